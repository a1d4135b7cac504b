"""Scenario ``edits``: a spreadsheet of 10,000 ad-group bid changes → parse, check, diff → apply
with the fewest bulk requests → verified read-back.

The emulator serves from a process of its own (as Pinterest does), so the client is not charged
for the emulator's CPU. Reports seconds per stage: the parse+validate+diff target is under 1 s,
reported with and without validation's re-read of the 10,000 ad groups over HTTP (40 pages; on
the real API that read alone takes many seconds, and validation never skips it: the current
state decides the verdicts). Also reported: bulk requests made
(10,000 items at 1,000 a job = 10), and that every bid landed — decided by read-back, whatever
shape the bulk result file has (``result_format``: records, entities, csv, empty, garbage).
``from_spreadsheet_local_s`` is ``from_spreadsheet`` without the time spent reading the account
(parse, checks against the current state, and the spreadsheet's own diff).

``duplicates=N`` runs the duplicate-heavy case instead: a sheet naming one ad group on N rows
(the target: 20,000 rows in under 2 s and 300 MB), refused as one compact problem; it reports
seconds and peak memory (Python allocations, traced in a second run) of ``read_spreadsheet`` and
``from_spreadsheet``, for a CSV and an XLSX.

    python -m bench edits
    python -m bench edits ad_groups=2000 chunk_size=500 result_format=entities
    python -m bench edits duplicates=20000
"""

from __future__ import annotations

import importlib
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import pintools as pt
from pintools import entities
from pintools.emulator import start
from pintools.emulator.constants import DEMO_ACCESS_TOKEN
from pintools.plans import Guardrails
from pintools.plans.spreadsheet import SpreadsheetError, from_spreadsheet, read_spreadsheet

from ._serve import emulator_in_process

validate_module = importlib.import_module("pintools.plans.validate")  # the module (the package exports the function)

NOW = "2026-11-15T12:00:00Z"
LIMITS = {"ads_read": None, "ads_write": None, "ads_analytics": None}


def _account(ad_groups: int) -> dict:
    campaigns = max(1, ad_groups // 100)
    return {"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": campaigns,
            "ad_groups_per_campaign": max(1, ad_groups // campaigns), "ads_per_ad_group": 0,
            "keywords_per_ad_group": 0, "statuses": "active", "objectives": ["CONSIDERATION"], "cbo": False}


class _Reads:
    """Seconds spent in some readers of a module (the account's current state over HTTP)."""

    def __init__(self, module: Any, *names: str) -> None:
        self.seconds = 0.0
        self.module = module
        self.saved = {name: getattr(module, name) for name in names}

    def __enter__(self) -> "_Reads":
        for name, read in self.saved.items():
            setattr(self.module, name, self._timed(read))
        return self

    def __exit__(self, *exc: Any) -> None:
        for name, read in self.saved.items():
            setattr(self.module, name, read)

    def _timed(self, read: Callable) -> Callable:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return read(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
        return wrapper


def run(ad_groups: int = 10_000, chunk_size: int = 1000, result_format: str = "records", duplicates: int = 0) -> dict:
    if duplicates:
        return run_duplicates(duplicates)
    figures: dict = {"ad_groups": ad_groups, "chunk_size": chunk_size, "result_format": result_format}
    with emulator_in_process(seed=7, clock=NOW, accounts=[_account(ad_groups)], rate_limits=LIMITS) as (url, control):
        client = pt.connect(DEMO_ACCESS_TOKEN, base_url=url, quiet=True, rate_limits={**LIMITS, "universal": None})
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
            with _Reads(entities, "read_ad_accounts", "read_ad_groups") as reads:
                plan = from_spreadsheet(path, ad_account_id=account, client=client)
            planned = time.perf_counter()
            with _Reads(validate_module, "read_updated") as rereads:
                checked = plan.validate(client=client, guardrails=Guardrails(check_bid_floors=True))
            validated = time.perf_counter()
        current = pt.read_ad_groups(account, client=client)
        started_local = time.perf_counter()
        local = pt.EditPlan.from_frames(current, desired["ad_group"].reset_index(drop=True), entity_type="ad_group")
        diffed = time.perf_counter()
        figures["changes"] = len(plan)
        assert len(local) == len(plan)
        figures["parse_s"] = round(parsed - started, 3)
        figures["diff_s"] = round(diffed - started_local, 3)
        figures["plan_from_spreadsheet_s (parse + read current state + diff)"] = round(planned - parsed, 3)
        figures["from_spreadsheet_local_s (parse + checks + diff, without reading the account)"] = \
            round(planned - parsed - reads.seconds, 3)
        figures["validate_s (re-read + floors + rules)"] = round(validated - planned, 3)
        figures["validate_re_read_s (10,000 ad groups over HTTP)"] = round(rereads.seconds, 3)
        figures["parse_validate_diff_s (the target: under 1 s)"] = round(
            (parsed - started) + (diffed - started_local) + (validated - planned), 3)
        figures["parse_validate_diff_local_s (without the re-read)"] = round(
            figures["parse_validate_diff_s (the target: under 1 s)"] - rereads.seconds, 3)
        figures["verdicts"] = checked.changes["verdict"].value_counts().to_dict()
        control.clear_requests()
        control.set_bulk_behaviour(result_format=result_format)
        started = time.perf_counter()
        applied = checked.apply(client, method="bulk", chunk_size=chunk_size, progress=False)
        figures["apply_and_verify_s"] = round(time.perf_counter() - started, 3)
        log = control.requests()
        figures["bulk_upsert_requests"] = sum(1 for r in log if r["operation_id"] == "bulk_upsert/create")
        figures["bulk_status_polls"] = sum(1 for r in log if r["operation_id"] == "bulk_request/get")
        figures["read_back_calls"] = sum(1 for r in log if r["operation_id"] == "ad_groups/list")
        figures["results"] = applied.changes["result"].value_counts().to_dict()
        after = pt.read_ad_groups(account, client=client).set_index("id")["bid_in_micro_currency"]
        target = applied.changes.set_index("id")["after"]
        figures["all_bids_landed"] = bool((after.loc[target.index] == target.astype("Int64")).all())
    return figures


def _refused(read: Callable[[], Any]) -> tuple[float, float, str]:
    """Seconds of one untraced run, peak MB of one traced run, and the first problem's reason."""
    started = time.perf_counter()
    try:
        read()
        raise AssertionError("a sheet naming one id on every row must be refused")
    except SpreadsheetError as err:
        seconds, reason = time.perf_counter() - started, err.problems["reason"].iloc[0]
        assert len(err.problems) == 1, err.problems
    tracemalloc.start()
    try:
        try:
            read()
        except SpreadsheetError:
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return round(seconds, 3), round(peak / 1e6, 1), reason


def run_duplicates(rows: int = 20_000) -> dict:
    """One ad group id on every row: one problem, in linear time and bounded memory."""
    server = start(seed=7, clock=NOW, accounts=[_account(1)], spec_path="", rate_limits=LIMITS)
    figures: dict = {"case": "duplicates", "rows": rows}
    try:
        client = pt.connect(emulator=server, quiet=True, rate_limits={**LIMITS, "universal": None})
        account = pt.read_ad_accounts(client=client).id[0]
        gid = pt.read_ad_groups(account, client=client)["id"].iloc[0]
        sheet = pd.DataFrame({"Ad group ID": [gid] * rows, "Bid": ["1.50"] * rows})
        with tempfile.TemporaryDirectory() as tmp:
            for suffix in ("csv", "xlsx"):
                path = Path(tmp) / f"dup.{suffix}"
                sheet.to_csv(path, index=False) if suffix == "csv" else \
                    sheet.to_excel(path, sheet_name="Ad groups", index=False)
                for name, read in (("read_spreadsheet", lambda p=path: read_spreadsheet(p)),
                                   ("from_spreadsheet", lambda p=path: from_spreadsheet(p, ad_account_id=account,
                                                                                        client=client))):
                    seconds, peak, reason = _refused(read)
                    figures[f"{suffix}_{name}_s"] = seconds
                    figures[f"{suffix}_{name}_peak_mb"] = peak
            figures["problem"] = reason
        figures["max_rss_mb (whole process)"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1)
    finally:
        server.stop()
    return figures
