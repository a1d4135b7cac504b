"""Scenario ``sync``: ``pt.sync`` of N accounts x M ad groups x D days x 10 columns from an
emulator (a process of its own) into a DuckDB file, twice.

For each account count in ``sizes`` (default ``5`` and ``accounts``), a fresh child process runs a
first sync (history backfilled) and a second one (only the restatement window re-read), so each
child's peak RSS (``resource.getrusage``) is that size's alone. It reports, per run:

* requests per operation, counted from the emulator's request log, beside the minimum the API's
  limits allow for the engine's plan — sync analytics: ceil(ids / 250) per window of <= 90 days;
  async reports: ceil(ids / 500) per window of <= 186 days (days older than sync analytics reach,
  90 days); ``minimum_met`` says whether they are equal;
* rows loaded, wall seconds, rows per second, and the child's peak RSS.

``rss_growth_mb`` compares the peak RSS of the largest and the smallest size: pages are streamed
into dlt's load files, so memory should not grow with the accounts. Measured at full size
(2026-12-04, 2 cores): 873 MB at 5 accounts, 886 MB at 20, once DuckDB got a memory limit
(the run before it, with ``arena_max=2``: 912 and 2,556 MB, DuckDB's merge growing with the rows
of the run). ``arena_max=N``
runs the child with ``MALLOC_ARENA_MAX=N`` (glibc's per-thread heaps), to tell heap
fragmentation from memory really held.

    python -m bench sync                                  # 20 accounts x 500 ad groups x 365 days
    python -m bench sync accounts=4 ad_groups=100 days=120 sizes=[2,4]  # a quick look
    python -m bench sync arena_max=2                      # the child with MALLOC_ARENA_MAX=2
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: 10 columns both sync analytics and async reports accept (money as micro-currency).
COLUMNS = ("SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "TOTAL_CONVERSIONS",
           "OUTBOUND_CLICK_1", "TOTAL_ENGAGEMENT", "TOTAL_CHECKOUT", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
           "TOTAL_PAGE_VISIT", "PAID_IMPRESSION")
SYNC_IDS, SYNC_DAYS, REPORT_IDS, REPORT_DAYS, SYNC_REACH = 250, 90, 500, 186, 90
LIST_PAGE = 250


def account_specs(accounts: int, ad_groups: int) -> list[dict]:
    """``accounts`` emulator accounts of ``ad_groups`` ad groups each (10 campaigns, one ad per ad
    group: the emulator's analytics come from ads; no keywords), alternating USD and EUR.

    >>> specs = account_specs(2, 500)
    >>> [(s["campaigns"] * s["ad_groups_per_campaign"], s["currency"]) for s in specs]
    [(500, 'USD'), (500, 'EUR')]
    """
    campaigns = 10 if ad_groups >= 10 else 1
    return [{"name": f"Bench {i:02d}", "currency": ("USD", "EUR")[i % 2], "country": ("US", "DE")[i % 2],
             "campaigns": campaigns, "ad_groups_per_campaign": ad_groups // campaigns, "ads_per_ad_group": 1,
             "keywords_per_ad_group": 0, "statuses": "active"} for i in range(accounts)]


def minimum_calls(ids: int, days: int, *, restate: int | None = None) -> dict:
    """The fewest analytics requests one account's ``ids`` need for the engine's plan: the last
    ``days`` complete days on a first run (days older than 90 through async reports), or only the
    last ``restate`` days on a later run (sync analytics).

    >>> minimum_calls(500, 365)
    {'ad_groups/analytics': 2, 'analytics/create_report': 2}
    >>> minimum_calls(500, 365, restate=32)
    {'ad_groups/analytics': 2, 'analytics/create_report': 0}
    """
    if restate is not None:
        sync_days, report_days = min(restate, SYNC_REACH, days), 0
    else:
        sync_days, report_days = min(days, SYNC_REACH), max(0, days - SYNC_REACH)
    return {"ad_groups/analytics": math.ceil(ids / SYNC_IDS) * math.ceil(sync_days / SYNC_DAYS),
            "analytics/create_report": math.ceil(ids / REPORT_IDS) * math.ceil(report_days / REPORT_DAYS)}


def _count(log: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for entry in log:
        counts[entry["operation_id"]] = counts.get(entry["operation_id"], 0) + 1
    return dict(sorted(counts.items()))


def measure(base_url: str, warehouse: str, *, days: int, ad_groups: int, max_workers: int) -> dict:
    """Two syncs of every account the emulator has into ``warehouse`` (run in a child process)."""
    import pintools as pt
    from pintools.emulator import DEMO_ACCESS_TOKEN, EmulatorControl

    control = EmulatorControl(base_url.removesuffix("/v5"))
    client = pt.connect(DEMO_ACCESS_TOKEN, base_url=base_url, quiet=True,
                        rate_limits={"ads_analytics": None, "ads_read": None, "universal": None})
    options = dict(levels=("ad_group",), columns=list(COLUMNS), history_days=days,
                   entities=("ad_accounts", "campaigns", "ad_groups"), destination=warehouse,
                   pipelines_dir=str(Path(warehouse).parent / "pipelines"), max_workers=max_workers,
                   progress=False, client=client)
    runs = []
    for name in ("first", "second"):
        control.clear_requests()
        started = time.perf_counter()
        result = pt.sync(**options)
        seconds = time.perf_counter() - started
        requests_made = _count(control.requests())
        accounts = len(result.accounts)
        from pintools.warehouse.settings import restatement_days

        restate = restatement_days({}) if name == "second" else None
        per_account = minimum_calls(ad_groups, days, restate=restate)
        minimum = {op: n * accounts for op, n in per_account.items()}
        daily = result.rows.get("daily_ad_group", 0)
        runs.append({"run": name, "status": result.status, "accounts": accounts, "seconds": round(seconds, 1),
                     "daily_rows": daily, "rows_per_second": round(daily / seconds) if seconds else None,
                     "requests": requests_made, "minimum": minimum,
                     "minimum_met": all(requests_made.get(op, 0) == n for op, n in minimum.items()),
                     "sync_calls_by_category": result.calls, "throttled": result.throttled})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"accounts": runs[0]["accounts"], "peak_rss_mb": round(peak / 1024, 1), "runs": runs}


def _child(base_url: str, warehouse: str, days: int, ad_groups: int, max_workers: int,
           arena_max: int | None) -> dict:
    command = [sys.executable, "-m", "bench.sync", base_url, warehouse, str(days), str(ad_groups), str(max_workers)]
    env = {**os.environ, "TQDM_DISABLE": "1"}
    if arena_max:
        env["MALLOC_ARENA_MAX"] = str(arena_max)
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], env=env)
    if done.returncode != 0:
        raise RuntimeError(f"the sync child failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(accounts: int = 20, ad_groups: int = 500, days: int = 365, sizes: str | int | None = None,
        max_workers: int = 4, arena_max: int | None = None) -> dict:
    from pintools.emulator import EmulatorControl
    from pintools.emulator.process import emulator_process

    counts = sorted({int(s) for s in re.findall(r"\d+", str(sizes))} if sizes else {min(5, accounts), accounts})
    scratch = Path(tempfile.mkdtemp(prefix="pintools-bench-sync-"))
    figures: dict = {"ad_groups_per_account": ad_groups, "days": days, "columns": len(COLUMNS),
                     "max_workers": max_workers, "malloc_arena_max": arena_max, "sizes": {}}
    try:
        # the real clock: a client on a plain base URL dates "today" by the machine's clock
        with emulator_process("--seed", "7", clock=None, log=scratch / "emulator.log") as base_url:
            control = EmulatorControl(base_url.removesuffix("/v5"))
            for n in counts:
                control.reset(accounts=account_specs(n, ad_groups))
                for category in control.rate_limits():
                    control.set_rate_limit(category, None)
                warehouse = scratch / f"accounts_{n}" / "bench.duckdb"
                warehouse.parent.mkdir(parents=True)
                figures["sizes"][str(n)] = _child(base_url, str(warehouse), days, ad_groups, max_workers, arena_max)
                figures["sizes"][str(n)]["warehouse_mb"] = round(warehouse.stat().st_size / 2**20, 1)
                shutil.rmtree(warehouse.parent, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    peaks = [figures["sizes"][str(n)]["peak_rss_mb"] for n in counts]
    figures["rss_growth_mb"] = round(peaks[-1] - peaks[0], 1)
    figures["all_minimum_met"] = all(r["minimum_met"] for s in figures["sizes"].values() for r in s["runs"])
    return figures


if __name__ == "__main__":  # the child: python -m bench.sync BASE_URL WAREHOUSE DAYS AD_GROUPS WORKERS
    url, path, n_days, n_groups, workers = sys.argv[1:6]
    print(json.dumps(measure(url, path, days=int(n_days), ad_groups=int(n_groups), max_workers=int(workers))))
