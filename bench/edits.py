"""Scenario ``edits``: a spreadsheet of 10,000 ad-group bid changes → parse, check, diff → apply
with the fewest bulk requests → verified read-back.

Reports seconds per stage (the parse+validate+diff target is under 1 s), bulk requests made
(10,000 items at 1,000 a job = 10), and that every bid landed — decided by read-back, whatever
shape the bulk result file has (``result_format``: records, entities, csv, empty, garbage).

    python -m bench edits
    python -m bench edits ad_groups=2000 chunk_size=500 result_format=entities
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

import pintools as pt
from pintools.emulator import start
from pintools.plans import Guardrails
from pintools.plans.spreadsheet import from_spreadsheet, read_spreadsheet

NOW = "2026-11-15T12:00:00Z"


def run(ad_groups: int = 10_000, chunk_size: int = 1000, result_format: str = "records") -> dict:
    campaigns = max(1, ad_groups // 100)
    spec = {"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": campaigns,
            "ad_groups_per_campaign": ad_groups // campaigns, "ads_per_ad_group": 0, "keywords_per_ad_group": 0,
            "statuses": "active", "objectives": ["CONSIDERATION"], "cbo": False}
    limits = {"ads_read": None, "ads_write": None, "ads_analytics": None}
    server = start(seed=7, clock=NOW, accounts=[spec], spec_path="", rate_limits=limits)
    figures: dict = {"ad_groups": ad_groups, "chunk_size": chunk_size, "result_format": result_format}
    try:
        client = pt.connect(emulator=server, quiet=True, rate_limits={**limits, "universal": None})
        account = pt.read_ad_accounts(client=client).id[0]
        groups = pt.read_ad_groups(account, client=client)
        sheet = pd.DataFrame({"Ad group ID": groups["id"],
                              "Bid": (groups["bid_in_micro_currency"].astype("Float64") * 1.1 / 1e6).round(2)})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bids.csv"
            sheet.to_csv(path, index=False)
            started = time.perf_counter()
            desired = read_spreadsheet(path)
            parsed = time.perf_counter()
            plan = from_spreadsheet(path, ad_account_id=account, client=client)
            planned = time.perf_counter()
            checked = plan.validate(client=client, guardrails=Guardrails(check_bid_floors=True))
            validated = time.perf_counter()
        server.control.clear_requests()
        current = pt.read_ad_groups(account, client=client)
        started_local = time.perf_counter()
        local = pt.EditPlan.from_frames(current, desired["ad_group"].reset_index(drop=True), entity_type="ad_group")
        figures["changes"] = len(plan)
        assert len(local) == len(plan)
        figures["parse_s"] = round(parsed - started, 3)
        figures["diff_s"] = round(time.perf_counter() - started_local, 3)
        figures["plan_from_spreadsheet_s (parse + read current state + diff)"] = round(planned - parsed, 3)
        figures["validate_s (re-read + floors + rules)"] = round(validated - planned, 3)
        figures["parse_validate_diff_local_s"] = round(figures["parse_s"] + figures["diff_s"]
                                                       + (validated - planned), 3)
        figures["verdicts"] = checked.changes["verdict"].value_counts().to_dict()
        server.control.clear_requests()
        server.control.set_bulk_behaviour(result_format=result_format)
        started = time.perf_counter()
        applied = checked.apply(client, method="bulk", chunk_size=chunk_size, progress=False)
        figures["apply_and_verify_s"] = round(time.perf_counter() - started, 3)
        log = server.control.requests()
        figures["bulk_upsert_requests"] = sum(1 for r in log if r["operation_id"] == "bulk_upsert/create")
        figures["bulk_status_polls"] = sum(1 for r in log if r["operation_id"] == "bulk_request/get")
        figures["read_back_calls"] = sum(1 for r in log if r["operation_id"] == "ad_groups/list")
        figures["results"] = applied.changes["result"].value_counts().to_dict()
        after = pt.read_ad_groups(account, client=client).set_index("id")["bid_in_micro_currency"]
        target = applied.changes.set_index("id")["after"]
        figures["all_bids_landed"] = bool((after.loc[target.index] == target.astype("Int64")).all())
    finally:
        server.stop()
    return figures
