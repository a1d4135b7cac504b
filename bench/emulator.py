"""Scenario ``emulator``: how fast the emulator answers the heavy analytics calls (over HTTP,
spec validation off) — a sync call of 100 ad groups x 91 days x 10 columns, cold and warm, a
full-account async report build, and generating scale=200 demo data.

    python -m bench emulator
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import requests

from pintools.emulator import start
from pintools.emulator.models.state import EmulatorState

CLOCK = "2026-11-15T12:00:00Z"
TODAY = date(2026, 11, 15)
COLUMNS = ("SPEND_IN_DOLLAR,SPEND_IN_MICRO_DOLLAR,TOTAL_CLICKTHROUGH,TOTAL_IMPRESSION,CTR,CPM_IN_DOLLAR,"
           "TOTAL_CONVERSIONS,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR,CHECKOUT_ROAS,OUTBOUND_CLICK_1")
NO_LIMITS = {"ads_read": None, "ads_analytics": None, "ads_write": None}


def _timed(call):
    started = time.perf_counter()
    result = call()
    return round(time.perf_counter() - started, 3), result


def run() -> dict:
    figures: dict = {}
    server = start(seed=7, clock=CLOCK, rate_limits=NO_LIMITS, spec_path=False, accounts=[
        {"name": "Big Advertiser", "campaigns": 40, "ad_groups_per_campaign": 3, "ads_per_ad_group": 2,
         "statuses": "active"}])
    try:
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {server.access_token}"
        account = s.get(f"{server.base_url}/ad_accounts").json()["items"][0]["id"]
        groups = s.get(f"{server.base_url}/ad_accounts/{account}/ad_groups", params={"page_size": 100}).json()["items"]
        params = {"ad_group_ids": ",".join(g["id"] for g in groups), "start_date": str(TODAY - timedelta(days=90)),
                  "end_date": str(TODAY), "granularity": "DAY", "columns": COLUMNS}
        path = f"{server.base_url}/ad_accounts/{account}/ad_groups/analytics"
        timings = [_timed(lambda: s.get(path, params=params))[0] for _ in range(3)]
        figures["sync_100_ad_groups_91_days_10_columns_s"] = {"cold": timings[0], "warm": min(timings[1:])}
    finally:
        server.stop()
    server = start(seed=42, clock=CLOCK, rate_limits=NO_LIMITS, spec_path=False)
    try:
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {server.access_token}"
        account = s.get(f"{server.base_url}/ad_accounts").json()["items"][0]["id"]
        server.control.set_report_behaviour(polls_to_finish=0)
        body = {"start_date": str(TODAY - timedelta(days=185)), "end_date": str(TODAY), "granularity": "DAY",
                "level": "PIN_PROMOTION", "columns": COLUMNS.split(",") + ["CAMPAIGN_NAME", "AD_NAME"]}
        token = s.post(f"{server.base_url}/ad_accounts/{account}/reports", json=body).json()["token"]
        elapsed, response = _timed(lambda: s.get(f"{server.base_url}/ad_accounts/{account}/reports",
                                                  params={"token": token}))
        figures["report_186_days_ad_level_build_s"] = elapsed
        figures["report_size_bytes"] = response.json().get("size")
    finally:
        server.stop()
    elapsed, state = _timed(lambda: EmulatorState(seed=1, scale=200))
    figures["demo_data_scale_200_s"] = elapsed
    figures["demo_data_scale_200_counts"] = state.counts()
    return figures
