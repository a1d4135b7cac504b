"""The bulk path: per-row failures among 1,000, and a process killed after its first chunk
whose journal lets resume finish the job with every entity updated exactly once."""

import subprocess
import sys
import textwrap

import pytest

import pintools as pt
from pintools.plans import Guardrails, Journal, resume
from pintools.polling import PollPolicy

BENCH = {"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": 10, "ad_groups_per_campaign": 100,
         "ads_per_ad_group": 0, "keywords_per_ad_group": 0, "statuses": "active",
         "objectives": ["CONSIDERATION"], "cbo": False}  # 1,000 ad groups, every one with a bid
NO_FLOORS = Guardrails(check_bid_floors=False)
FAST = PollPolicy(first=0.01, longest=0.05, settle=2)


@pytest.fixture
def bench(emu):
    emu.control.reset(accounts=[BENCH])
    emu.control.set_bulk_behaviour(polls_to_finish=1)
    client = pt.connect(emulator=emu, quiet=True, retry=pt.RetryPolicy(backoff_base=0.01),
                        rate_limits={"ads_write": None, "ads_read": None, "universal": None})
    account = pt.read_ad_accounts(client=client).id[0]
    return client, account


def test_three_failing_rows_among_1000_are_reported_and_the_rest_applied(bench, emu):
    client, account = bench
    groups = pt.read_ad_groups(account, client=client)
    failing = groups["id"].iloc[[10, 500, 999]].tolist()
    emu.control.set_bulk_behaviour(polls_to_finish=1, fail_items=failing)
    emu.control.clear_requests()
    applied = pt.plans.set_bids(groups, factor=1.1).validate(client, NO_FLOORS).apply(client, progress=False, poll=FAST)
    results = applied.changes.set_index("id")
    assert (results["result"] == "applied").sum() == 997
    assert sorted(results.index[results["result"] == "failed"]) == sorted(failing)
    assert results.loc[failing, "message"].str.contains("Injected failure").all()
    upserts = [r for r in emu.control.requests() if r["operation_id"] == "bulk_upsert/create"]
    assert len(upserts) == 1 and len(upserts[0]["json"]["update"]["ad_groups"]) == 1000
    now = pt.read_ad_groups(account, client=client).set_index("id")["bid_in_micro_currency"]
    landed = applied.changes[applied.changes["result"] == "applied"]
    assert (now.loc[landed["id"]].to_numpy() == landed["after"].to_numpy()).all()


CRASHING_APPLY = textwrap.dedent("""
    import os, sys
    import pintools as pt
    from pintools.plans import journal
    from pintools.polling import PollPolicy

    original = journal.Journal.log_many

    def log_then_die(self, events):
        events = list(events)
        if any(e.get("type") == "chunk" and e.get("chunk") == 1 for e in events):
            print(self.path, flush=True)
            os._exit(137)  # killed after the first chunk's results are journaled
        original(self, events)

    journal.Journal.log_many = log_then_die
    client = pt.connect(sys.argv[2], base_url=sys.argv[1])
    plan = pt.EditPlan.read(sys.argv[3])
    plan.apply(client, chunk_size=250, progress=False, poll=PollPolicy(first=0.01, longest=0.05))
""")


def test_killed_after_the_first_chunk_resume_lands_every_edit_exactly_once(bench, emu, tmp_path):
    client, account = bench
    groups = pt.read_ad_groups(account, client=client)
    plan_file = pt.plans.set_bids(groups, factor=1.1).validate(client, NO_FLOORS).to_file(tmp_path / "plan.json")
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_APPLY)
    emu.control.reset()  # fresh write counts; same data
    emu.control.set_bulk_behaviour(polls_to_finish=1)
    proc = subprocess.run([sys.executable, str(script), emu.base_url, emu.access_token, str(plan_file)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 137, proc.stderr
    journal_path = proc.stdout.strip().splitlines()[-1]
    journal = Journal.open(journal_path)
    assert len(journal.results()) == 250 and not journal.finished
    counts = emu.control.write_counts()
    assert len(counts) == 250 and set(counts.values()) == {1}

    finished = resume(journal_path, client, progress=False, poll=FAST)
    assert (finished.changes["result"] == "applied").all()
    counts = emu.control.write_counts()
    assert len(counts) == 1000 and set(counts.values()) == {1}  # each entity updated exactly once
    upserts = [r for r in emu.control.requests() if r["operation_id"] == "bulk_upsert/create"]
    assert sum(len(r["json"]["update"]["ad_groups"]) for r in upserts) == 1000
    assert Journal.open(journal_path).finished


def test_resume_does_not_resend_what_already_landed(bench, emu, tmp_path):
    client, account = bench
    groups = pt.read_ad_groups(account, client=client).head(20)
    plan = pt.plans.set_bids(groups, factor=1.1).validate(client=client, guardrails=NO_FLOORS)
    journal = Journal.create(plan, tmp_path)
    journal.log({"type": "chunk", "chunk": 0, "method": "bulk", "rows": list(range(10))})
    journal.release()
    # the chunk landed, but the process died before recording outcomes
    client.ad_groups.update(account, [{"id": r.id, "bid_in_micro_currency": r.after}
                                      for r in plan.changes.head(10).itertuples()])
    emu.control.clear_requests()
    finished = resume(journal.path, client, progress=False, poll=FAST)
    assert (finished.changes["result"] == "applied").all()
    upserts = [r for r in emu.control.requests() if r["operation_id"] == "bulk_upsert/create"]
    assert [len(r["json"]["update"]["ad_groups"]) for r in upserts] == [10]
