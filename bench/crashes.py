"""Scenario ``crashes``: kill -9 an apply at random moments, resume it, and reconcile every run
against the emulator's write counts: edits lost, entities written twice, duplicate creates.

Each run resets an emulator account (300 ad groups with keywords), plans bid changes on every
ad group, 3 campaign creates, 2 keyword creates and 2 keyword match-type changes, applies the
plan in a child process — by bulk upsert (jobs that finish on their own after 0.2 s, whatever
the polling; the result file in each shape the emulator can serve) or by PATCH, alternately —
and SIGKILLs it after a random delay within the apply's duration. Then ``resume`` finishes it
(or, when the kill came before anything was sent, the plan is applied again) and the run is
reconciled.

    python -m bench crashes                 # 20 runs
    python -m bench crashes runs=40 seed=7
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import pintools as pt
from pintools.emulator import start
from pintools.plans import Guardrails, Journal, resume
from pintools.plans.errors import JournalCorrupt
from pintools.polling import PollPolicy

NOW = "2026-11-15T12:00:00Z"
SHAPES = ("records", "entities", "csv", "empty", "garbage")
ACCOUNT = {"name": "Crash Co", "currency": "USD", "country": "US", "campaigns": 3, "ad_groups_per_campaign": 100,
           "ads_per_ad_group": 0, "keywords_per_ad_group": 3, "statuses": "active", "objectives": ["CONSIDERATION"],
           "cbo": False}
RESUME_POLL = PollPolicy(first=0.05, factor=1.5, longest=0.2, timeout=120, settle=3)
LIMITS = {"ads_write": None, "ads_read": None, "universal": None}


def build_plan(client, account: str, run: int) -> pt.EditPlan:
    """Bid changes on every ad group, 3 campaign creates, 2 keyword creates, 2 match-type changes."""
    groups = pt.read_ad_groups(account, client=client)
    keywords = pt.read_keywords(account, ad_group_ids=groups["id"].head(20).tolist(), client=client)
    parts = [pt.plans.set_bids(groups, factor=1.1)]
    parts.append(pt.plans.to_campaigns(pd.DataFrame({
        "name": [f"Crash run {run} campaign {i}" for i in range(3)], "objective_type": ["CONSIDERATION"] * 3,
        "daily_spend_cap": [50_000_000] * 3, "status": ["PAUSED"] * 3}), account))
    parts.append(pt.plans.to_keywords(pd.DataFrame({
        "parent_id": groups["id"].iloc[[30, 40]].tolist(), "value": [f"crash run {run} kw {i}" for i in range(2)],
        "match_type": ["EXACT", "EXACT"]}), account))
    parts.append(pt.plans.set_match_types(keywords[keywords["match_type"] == "BROAD"].head(2), "PHRASE"))
    records = [r for p in parts for r in p.changes.to_dict("records")]
    return pt.EditPlan.from_changes(records, source=f"crash run {run}").validate(
        client, Guardrails(check_bid_floors=False))


def reconcile(client, server, account: str, plan: pt.EditPlan, result: pt.EditPlan) -> dict:
    """Compare what Pinterest holds with the plan: lost edits, double writes, duplicate creates."""
    counts = server.control.write_counts()
    groups = pt.read_ad_groups(account, statuses="all", client=client).set_index("id")
    figures = {"lost": 0, "written_twice": 0, "duplicate_creates": 0, "not_applied": 0}
    c = plan.changes
    missed = result.changes[result.changes["result"] != "applied"]
    figures["not_applied"] = len(missed)
    figures["not_applied_rows"] = [f"row {r.row} {r.entity_type} {r.field}: {r.result}: {r.message}"
                                   for r in missed.head(5).itertuples()]
    for r in c[c["field"] == "bid_in_micro_currency"].itertuples():
        figures["lost"] += int(groups.loc[r.id, "bid_in_micro_currency"] != r.after)
        figures["written_twice"] += int(counts.get(r.id, 0) > 1)
    campaigns = pt.read_campaigns(account, statuses="all", client=client)
    keyword_cache: dict[str, pd.DataFrame] = {}

    def live(parent):
        if parent not in keyword_cache:
            keyword_cache[parent] = pt.read_keywords(account, ad_group_ids=[parent], client=client)
        return keyword_cache[parent]

    for r in c[c["action"] == "create"].itertuples():
        if r.entity_type == "campaign":
            same = campaigns[campaigns["name"] == r.after["name"]]
        else:
            kws = live(r.parent_id)
            same = kws[(kws["value"] == r.after["value"]) & (kws["match_type"] == r.after["match_type"])]
        figures["lost"] += int(len(same) == 0)
        figures["duplicate_creates"] += max(0, len(same) - 1)
        figures["written_twice"] += sum(int(counts.get(i, 0) > 1) for i in same["id"])
    for r in c[c["field"] == "match_type"].itertuples():
        kws = live(r.parent_id)
        new = kws[(kws["value"] == r.name) & (kws["match_type"] == r.after)]
        figures["lost"] += int(len(new) == 0 or r.id in set(kws["id"]))
        figures["duplicate_creates"] += max(0, len(new) - 1)
        figures["written_twice"] += int(counts.get(r.id, 0) > 1)
    return figures


def _journal(folder: Path) -> Path | None:
    found = sorted(folder.glob("*.jsonl"))
    return found[0] if found else None


def run(runs: int = 20, seed: int = 1, chunk_bulk: int = 60, chunk_patch: int = 30, keep: bool = False) -> dict:
    rng = random.Random(seed)
    server = start(seed=seed, clock=NOW, accounts=[ACCOUNT], spec_path="", rate_limits=dict.fromkeys(LIMITS))
    totals = {"runs": runs, "killed_mid_apply": 0, "killed_before_sending": 0, "finished_before_kill": 0,
              "lost": 0, "written_twice": 0, "duplicate_creates": 0, "not_applied": 0, "torn_lines": 0}
    durations = {"bulk": 2.0, "patch": 1.0}  # apply durations (seconds), updated by each run that finishes
    per_run = []
    try:
        tmp = tempfile.mkdtemp(prefix="pintools-crashes-")
        for number in range(runs):
            method = "bulk" if number % 2 == 0 else "patch"
            shape = SHAPES[(number // 2) % len(SHAPES)]
            server.control.reset()
            server.control.set_bulk_behaviour(polls_to_finish=10_000, run_after=0.2, result_format=shape)
            client = pt.connect(emulator=server, quiet=True, rate_limits=LIMITS)
            account = pt.read_ad_accounts(client=client).id[0]
            plan = build_plan(client, account, number)
            server.control.reset()  # fresh write counts, same entities
            server.control.set_bulk_behaviour(polls_to_finish=10_000, run_after=0.2, result_format=shape)
            folder = Path(tmp) / f"run-{number}"
            folder.mkdir()
            plan_file = plan.to_file(folder / "plan.json")
            env = {**os.environ, "PINTOOLS_JOURNAL_DIR": str(folder / "journals"), "TQDM_DISABLE": "1"}
            child = subprocess.Popen([sys.executable, "-m", "bench._crash_child", server.base_url,
                                      server.access_token, str(plan_file), method,
                                      str(chunk_bulk if method == "bulk" else chunk_patch)],
                                     env=env, stderr=subprocess.PIPE)
            while _journal(folder / "journals") is None and child.poll() is None:
                time.sleep(0.005)
            started = time.monotonic()  # the apply has begun: its journal exists
            delay = rng.uniform(0, 0.9 * durations[method])
            try:
                child.wait(timeout=delay)
                finished = True
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                finished = False
            if finished:
                if child.returncode != 0:
                    raise RuntimeError(f"run {number}: the apply failed: {child.stderr.read().decode()[-2000:]}")
                durations[method] = time.monotonic() - started
                totals["finished_before_kill"] += 1
            path = _journal(folder / "journals")
            try:
                journal = Journal.open(path) if path is not None else None
            except JournalCorrupt:
                journal = None
            if journal is None:
                assert not server.control.write_counts(), "a kill before the journal's first line sent something"
                totals["killed_before_sending"] += 1
                result = plan.apply(client, method=method, progress=False, poll=RESUME_POLL)
            else:
                totals["torn_lines"] += int(journal.torn is not None)
                totals["killed_mid_apply"] += int(not finished)
                result = journal_result(journal, client, finished)
            figures = reconcile(client, server, account, plan, result)
            per_run.append({"run": number, "method": method, "shape": shape, "killed": not finished,
                            "delay_s": round(delay, 3), **figures})
            if figures["lost"] or figures["not_applied"]:
                per_run[-1]["journal"] = str(path)
            for key in ("lost", "written_twice", "duplicate_creates", "not_applied"):
                totals[key] += figures[key]
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    totals["per_run"] = per_run
    return totals


def journal_result(journal: Journal, client, finished: bool) -> pt.EditPlan:
    """The apply's outcome: resumed when it was killed (a finished one is resumed too: a no-op)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the torn-line warning is counted, not printed
        return resume(journal.path, client, progress=False, poll=RESUME_POLL)
