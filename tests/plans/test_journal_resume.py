"""Exactly once under crashes: the journal records each step before waiting on it, one process
at a time holds it, a torn last line is reported and dropped, and a keyword match-type change is
never left without its keyword."""

import os
import stat
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import pintools as pt
from pintools.plans import Guardrails, Journal, JournalLocked, resume
from pintools.polling import PollPolicy

FAST = PollPolicy(first=0.02, longest=0.1, settle=2)


def _keyword(client, account, match_type="BROAD"):
    groups = pt.read_ad_groups(account, client=client)
    keywords = pt.read_keywords(account, ad_group_ids=groups["id"].head(10).tolist(), client=client)
    return keywords[keywords["match_type"] == match_type].head(1)


def _live(client, account, parent):
    return pt.read_keywords(account, ad_group_ids=[parent], client=client)


def test_the_journal_records_each_request_before_waiting_on_it(pclient, account, emu):
    groups = pt.read_ad_groups(account, client=pclient)
    plan = pt.plans.set_bids(groups[groups["bid_in_micro_currency"].notna()].head(4), factor=1.1)
    applied = plan.validate(pclient).apply(pclient, progress=False, poll=FAST)
    journal = Journal.open(applied.journal)
    kinds = [e["type"] for e in journal.events]
    assert kinds == ["plan", "chunk", "bulk_request", "bulk_status", *["row_result"] * 4, "done"]
    assert journal.chunks()[0].request_ids == [emu.control.bulk_jobs()[-1]["request_id"]]
    assert stat.S_IMODE(os.stat(applied.journal).st_mode) == 0o600


def test_a_second_resume_is_refused_naming_who_holds_the_journal(pclient, account, tmp_path):
    groups = pt.read_ad_groups(account, client=pclient)
    plan = pt.plans.pause(groups.head(2)).validate(pclient)
    journal = Journal.create(plan, tmp_path)  # held, as by an apply or resume still running
    with pytest.raises(JournalLocked, match=rf"in use by process {os.getpid()} on .* since"):
        resume(journal.path, pclient, progress=False)
    journal.release()
    assert (resume(journal.path, pclient, progress=False, poll=FAST).changes["result"] == "applied").all()


RESUME = textwrap.dedent("""
    import sys
    import pintools as pt
    from pintools.plans import JournalLocked, resume
    from pintools.polling import PollPolicy

    client = pt.connect(sys.argv[2], base_url=sys.argv[1], rate_limits={"ads_write": None, "ads_read": None})
    try:
        resume(sys.argv[3], client, progress=False, poll=PollPolicy(first=0.02, longest=0.1, settle=2))
    except JournalLocked as exc:
        print("LOCKED", exc)
        sys.exit(3)
""")


def test_two_resumes_at_once_write_every_entity_once(pclient, account, emu, tmp_path):
    groups = pt.read_ad_groups(account, client=pclient)
    plan = pt.plans.set_bids(groups[groups["bid_in_micro_currency"].notna()].head(40), factor=1.1)
    plan = plan.validate(pclient, Guardrails(check_bid_floors=False))
    journal = Journal.create(plan, tmp_path)
    journal.release()  # an apply that died before sending anything
    script = tmp_path / "resume.py"
    script.write_text(RESUME)
    emu.control.set_bulk_behaviour(run_after=0.3, polls_to_finish=10_000)  # a slow job keeps the first busy
    args = [sys.executable, str(script), emu.base_url, emu.access_token, str(journal.path)]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes in ([0, 0], [0, 3]), outs
    counts = emu.control.write_counts()
    assert len(plan) >= 10 and len(counts) == len(plan) and set(counts.values()) == {1}
    if codes == [0, 3]:
        assert "LOCKED" in "".join(out for out, _ in outs) and "in use by process" in "".join(o for o, _ in outs)


def test_a_torn_last_line_is_reported_dropped_and_nothing_is_created_twice(pclient, account, emu, tmp_path):
    frame = pd.DataFrame({"name": ["Torn A", "Torn B"], "objective_type": ["CONSIDERATION"] * 2,
                          "daily_spend_cap": [30_000_000] * 2})
    plan = pt.plans.to_campaigns(frame, account).validate(pclient)
    journal = Journal.create(plan, tmp_path)
    journal.release()
    with open(journal.path, "a") as fh:
        fh.write('{"type": "chunk", "chunk": 0, "meth')  # killed mid-write
    with pytest.warns(UserWarning, match="last line was torn"):
        first = resume(journal.path, pclient, progress=False, poll=FAST)
    assert (first.changes["result"] == "applied").all()
    reread = Journal.open(journal.path)
    assert reread.torn is None and [e["type"] for e in reread.events].count("torn_line") == 1
    assert reread.finished and len(reread.results()) == 2  # the events after the torn line are readable
    again = resume(journal.path, pclient, progress=False, poll=FAST)
    assert again.changes["created_id"].tolist() == first.changes["created_id"].tolist()
    campaigns = pt.read_campaigns(account, statuses="all", client=pclient)
    assert sorted(campaigns.loc[campaigns["name"].str.startswith("Torn"), "name"]) == ["Torn A", "Torn B"]


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 503}, {"status": None, "drop_connection": True}],
                         ids=["500", "503", "dropped"])
def test_a_failed_match_type_create_keeps_the_old_keyword_and_resume_recreates(pclient, account, emu, fault):
    kw = _keyword(pclient, account)
    parent, old_id, text = kw["parent_id"].iloc[0], kw["id"].iloc[0], kw["value"].iloc[0]
    plan = pt.plans.set_match_types(kw, "EXACT").validate(pclient)
    emu.control.inject_fault(route="keywords/create", times=1, **fault)
    applied = plan.apply(pclient, method="patch", progress=False, poll=FAST)
    row = applied.changes.iloc[0]
    assert row["result"] == "unknown" and "resume" in row["message"]
    assert old_id in set(_live(pclient, account, parent)["id"])  # not archived: nothing is lost

    finished = resume(applied.journal, pclient, progress=False, poll=FAST)
    row = finished.changes.iloc[0]
    assert row["result"] == "applied" and "at target" not in (row["message"] or "")
    live = _live(pclient, account, parent)
    same = live[live["value"] == text]
    assert same["match_type"].tolist() == ["EXACT"] and same["id"].tolist() == [row["created_id"]]


def test_a_bulk_match_type_whose_create_fails_leaves_the_old_keyword_live(pclient, account, emu):
    kw = _keyword(pclient, account)
    parent, old_id = kw["parent_id"].iloc[0], kw["id"].iloc[0]
    emu.control.set_bulk_behaviour(fail_items=["keywords:0"])
    applied = pt.plans.set_match_types(kw, "PHRASE").validate(pclient).apply(pclient, progress=False, poll=FAST)
    row = applied.changes.iloc[0]
    assert row["result"] == "failed" and "Injected failure" in row["message"]
    assert "the old BROAD keyword is still live" in row["message"]
    assert old_id in set(_live(pclient, account, parent)["id"])
    assert not [r for r in emu.control.requests(operation_id="bulk_upsert/create") if "update" in r["json"]]


def test_resume_recreates_a_keyword_whose_match_type_change_lost_it(pclient, account, emu, tmp_path):
    """A journal from a run that archived the old keyword but never created the new one."""
    kw = _keyword(pclient, account, "PHRASE")
    parent, text = kw["parent_id"].iloc[0], kw["value"].iloc[0]
    plan = pt.plans.set_match_types(kw, "BROAD").validate(pclient)
    journal = Journal.create(plan, tmp_path)
    journal.log({"type": "chunk", "chunk": 0, "method": "patch", "stage": 0, "rows": [0], "pre_existing": {"0": []}})
    pclient.keywords.update(account, [{"id": kw["id"].iloc[0], "archived": True}])
    journal.log({"type": "answered", "chunk": 0})
    journal.log({"type": "row_result", "row": 0, "result": "failed", "message": "create failed", "created_id": None})
    journal.release()
    finished = resume(journal.path, pclient, progress=False, poll=FAST)
    assert finished.changes["result"].tolist() == ["applied"]
    live = _live(pclient, account, parent)
    assert live.loc[live["value"] == text, "match_type"].tolist() == ["BROAD"]
