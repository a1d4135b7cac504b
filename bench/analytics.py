"""Scenario ``analytics``: 1,000 ad groups x 90 days x 10 columns, DAY, 50 ms injected latency
per analytics call, three ways on the same emulator in the same process:

* ``pintools``: ``read_analytics`` (100 ids a call, concurrent within the rate budget);
* baseline (a): one ad group id per call, sequential (the pattern of Airbyte's connector);
* baseline (b): a plain ``requests`` loop batching 100 ids, sequential.

Reports calls made (from the emulator's log), seconds, and the ratios; checks that all three
give the same rows.

    python -m bench analytics
    python -m bench analytics latency_ms=500 one_by_one=false   # a latency closer to the real API

The emulator computes each call under one lock (and Python's GIL), so its own ~0.2 s of work
per 100-id call is serial whatever the client does; concurrency pays off against latency,
which is what the real API mostly costs.
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import requests

import pintools as pt
from pintools.analytics.tidy import tidy_frame
from pintools.emulator import start

COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "CTR", "CPC_IN_MICRO_DOLLAR",
           "CPM_IN_MICRO_DOLLAR", "TOTAL_CONVERSIONS", "OUTBOUND_CLICK_1", "TOTAL_ENGAGEMENT", "SPEND_IN_DOLLAR"]
NOW = "2026-11-15T12:00:00Z"


def _calls(server) -> int:
    return sum(1 for r in server.control.requests() if r["operation_id"] == "ad_groups/analytics")


def _plain_requests(server, account: str, ids: list[str], start: str, end: str, batch: int) -> pd.DataFrame:
    """What a careful hand-written integration does: a requests loop, one batch after another."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.access_token}"
    rows: list[dict] = []
    for i in range(0, len(ids), batch):
        resp = session.get(f"{server.base_url}/ad_accounts/{account}/ad_groups/analytics", timeout=60, params={
            "ad_group_ids": ids[i:i + batch], "start_date": start, "end_date": end,
            "columns": ",".join(COLUMNS), "granularity": "DAY"})
        resp.raise_for_status()
        rows += resp.json()
    return tidy_frame(rows, level="ad_group", columns=COLUMNS, granularity="DAY", ad_account_id=account)


def run(ad_groups: int = 1000, days: int = 90, latency_ms: int = 50, max_workers: int = 4,
        one_by_one: bool = True) -> dict:
    campaigns = max(1, ad_groups // 100)
    spec = {"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": campaigns,
            "ad_groups_per_campaign": ad_groups // campaigns, "ads_per_ad_group": 1, "keywords_per_ad_group": 0,
            "statuses": "active"}
    server = start(seed=7, clock=NOW, accounts=[spec], spec_path="",
                   rate_limits={"ads_analytics": None, "ads_read": None})
    try:
        client = pt.connect(emulator=server, quiet=True, rate_limits={"ads_analytics": None, "universal": None})
        account = pt.read_ad_accounts(client=client).id[0]
        ids = pt.read_ad_groups(account, client=client)["id"].tolist()
        end = dt.date(2026, 11, 15)
        start_day = end - dt.timedelta(days=days - 1)
        if latency_ms:
            server.control.inject_fault(route="ad_groups/analytics", status=None, latency_ms=latency_ms, times=None)
        figures = {"ad_groups": len(ids), "days": days, "columns": len(COLUMNS), "latency_ms": latency_ms}
        frames = {}
        runs = [
            ("pintools", lambda: pt.read_analytics(account, start_day, end, level="ad_group", columns=COLUMNS,
                                                   ids=ids, max_workers=max_workers, progress=False, client=client)),
            ("one_id_per_call", lambda: pt.read_analytics(account, start_day, end, level="ad_group", columns=COLUMNS,
                                                          ids=ids, batch_size=1, max_workers=1, progress=False,
                                                          client=client)),
            ("requests_loop_100", lambda: _plain_requests(server, account, ids, str(start_day), str(end), 100)),
        ]
        if not one_by_one:
            runs = [r for r in runs if r[0] != "one_id_per_call"]
        for name, pull in runs:
            server.control.clear_requests()
            started = time.perf_counter()
            frames[name] = pull()
            figures[name] = {"calls": _calls(server), "seconds": round(time.perf_counter() - started, 2),
                             "rows": len(frames[name])}
        base = figures["pintools"]["seconds"]
        others = [k for k in ("one_id_per_call", "requests_loop_100") if k in frames]
        for k in others:
            figures[f"speedup_vs_{k}"] = round(figures[k]["seconds"] / base, 1)
        figures["same_rows"] = all(frames["pintools"].equals(frames[k]) for k in others)
    finally:
        server.stop()
    return figures
