"""Read-back is the truth: the bulk result file — per-item records, entity data, CSV, empty or
garbage — is only a hint, and every row ends correct under each; a write whose answer was lost
is `unknown` until resume decides it."""

import pandas as pd
import pytest

import pintools as pt
from pintools.plans import Guardrails, Journal, resume
from pintools.plans.hints import Hint, read_result_file
from pintools.plans.ops import Op, build_ops
from pintools.plans.runner import pre_existing
from pintools.plans.send import submit_bulk
from pintools.polling import PollPolicy

FAST = PollPolicy(first=0.02, longest=0.1, settle=3)
SHAPES = ["records", "entities", "csv", "empty", "garbage"]


def _mixed_plan(client, account, tag):
    """Five bid changes, two campaign creates and one keyword create, validated."""
    groups = pt.read_ad_groups(account, client=client)
    bids = pt.plans.set_bids(groups[groups["bid_in_micro_currency"].notna()].head(5), factor=1.1)
    campaigns = pt.plans.to_campaigns(pd.DataFrame({"name": [f"{tag} A", f"{tag} B"],
                                                    "objective_type": ["CONSIDERATION"] * 2,
                                                    "daily_spend_cap": [30_000_000] * 2}), account)
    keyword = pt.plans.to_keywords(pd.DataFrame({"parent_id": [groups["id"].iloc[0]], "value": [f"{tag} sofa"],
                                                 "match_type": ["EXACT"]}), account)
    records = [r for p in (bids, campaigns, keyword) for r in p.changes.to_dict("records")]
    return pt.EditPlan.from_changes(records).validate(client, Guardrails(check_bid_floors=False))


@pytest.mark.parametrize("shape", SHAPES)
def test_every_result_file_shape_ends_in_correct_row_results(pclient, account, emu, shape):
    plan = _mixed_plan(pclient, account, f"Shape {shape}")
    failing = plan.changes["id"].iloc[2]
    emu.control.set_bulk_behaviour(result_format=shape, fail_items=[failing], run_after=0.05, polls_to_finish=100)
    applied = plan.apply(pclient, progress=False, poll=FAST)
    results = applied.changes.set_index("row")
    assert results.loc[2, "result"] == "failed"
    assert (results.drop(index=2)["result"] == "applied").all(), results[["result", "message"]]
    if shape == "records":
        assert "Injected failure" in results.loc[2, "message"]
    else:  # no per-item error in the file: read-back says what Pinterest holds
        assert "Pinterest holds" in results.loc[2, "message"]
    creates = applied.changes[applied.changes["action"] == "create"]
    campaigns = pt.read_campaigns(account, ids=creates["created_id"].iloc[:2].tolist(), statuses="all", client=pclient)
    assert sorted(campaigns["name"]) == [f"Shape {shape} A", f"Shape {shape} B"]
    keywords = pt.read_keywords(account, ad_group_ids=[creates["parent_id"].iloc[2]], client=pclient)
    assert keywords.set_index("id").loc[creates["created_id"].iloc[2], "value"] == f"Shape {shape} sofa"
    counts = emu.control.write_counts()
    assert all(counts[i] == 1 for i in creates["created_id"])


@pytest.mark.parametrize("shape", SHAPES)
def test_resume_after_a_kill_mid_job_is_right_under_every_shape(pclient, account, emu, shape, tmp_path):
    """The job was accepted and journaled, the process died while it ran: resume waits for it
    and sends nothing again."""
    plan = _mixed_plan(pclient, account, f"Resume {shape}")
    emu.control.set_bulk_behaviour(result_format=shape, run_after=0.3, polls_to_finish=10_000)
    journal = Journal.create(plan, tmp_path)
    ops_rows = plan.changes["row"].astype(int).tolist()
    journal.log({"type": "chunk", "chunk": 0, "method": "bulk", "stage": 0, "rows": ops_rows,
                 "pre_existing": {str(k): v for k, v in pre_existing(pclient, plan.changes).items()}})
    ids = submit_bulk(pclient, build_ops(plan.changes))
    journal.log({"type": "bulk_request", "chunk": 0, "request_ids": ids})
    journal.release()  # ... and the process is gone, its job still RUNNING at Pinterest
    emu.control.clear_requests()
    finished = resume(journal.path, pclient, progress=False, poll=FAST)
    assert (finished.changes["result"] == "applied").all(), finished.changes[["result", "message"]]
    sent = [r for r in emu.control.requests() if r["method"] in ("POST", "PATCH") and "bulk" in r["path"]]
    assert sent == []  # polled, read back, never re-sent
    assert set(emu.control.write_counts().values()) == {1}


def test_a_bulk_upsert_whose_answer_was_lost_is_unknown_then_resumed_once(pclient, account, emu):
    plan = _mixed_plan(pclient, account, "Lost answer")
    emu.control.set_bulk_behaviour(run_after=0.5, polls_to_finish=10_000)
    emu.control.inject_fault(route="bulk_upsert/create", status=502, phase="after")  # accepted, answer lost
    applied = plan.apply(pclient, progress=False, poll=FAST)
    assert set(applied.changes["result"]) <= {"unknown", "applied"} and (applied.changes["result"] == "unknown").any()
    unknown = applied.changes[applied.changes["result"] == "unknown"]
    assert unknown["message"].str.contains("resume").all()
    finished = resume(applied.journal, pclient, progress=False, poll=FAST)
    assert (finished.changes["result"] == "applied").all(), finished.changes[["result", "message"]]
    assert set(emu.control.write_counts().values()) == {1}  # the accepted job did it; nothing was sent twice


def test_a_result_file_is_only_ever_a_hint():
    chunk = [Op("ad_group", "update", "9", {"id": "7", "status": "PAUSED"}, [0], "7"),
             Op("campaign", "create", "9", {"name": "New"}, [1], "new-1")]
    entities = b'{"CAMPAIGN": [{"id": "55", "name": "New"}], "AD_GROUP": [{"id": "7", "status": "PAUSED"}]}'
    assert read_result_file(entities, chunk) == {0: Hint(True), 1: Hint(True, id="55")}
    csv = b"entity_type,id,name\r\nCAMPAIGN,55,New\r\nAD_GROUP,7,\r\n"
    assert read_result_file(csv, chunk) == {0: Hint(True), 1: Hint(True, id="55")}
    for junk in (b"", b"\x00\xff<html>", b"[1, 2, 3]", b'{"unexpected": true}', b"a,b\n1,2\n", b"null"):
        assert read_result_file(junk, chunk) == {}


@pytest.mark.parametrize("trouble", ["polls fail", "job outlasts the timeout"])
def test_a_job_that_does_not_report_an_end_leaves_rows_unknown_until_resume(pclient, account, emu, trouble):
    groups = pt.read_ad_groups(account, client=pclient)
    plan = pt.plans.set_bids(groups[groups["bid_in_micro_currency"].notna()].head(5), factor=1.1).validate(pclient)
    if trouble == "polls fail":
        emu.control.set_bulk_behaviour(run_after=None, polls_to_finish=1)  # runs only when polled
        emu.control.inject_fault(route="bulk_request/get", status=503, times=None)
        poll = FAST
    else:  # the job runs on its own after 4 s: longer than this apply waits
        emu.control.set_bulk_behaviour(run_after=4, polls_to_finish=10_000)
        poll = PollPolicy(first=0.02, longest=0.05, timeout=0.3, settle=3)
    applied = plan.apply(pclient, progress=False, poll=poll)
    assert (applied.changes["result"] == "unknown").all()
    assert applied.changes["message"].str.contains("did not report an end and may still land").all()
    assert emu.control.write_counts() == {}
    emu.control.clear_faults()
    finished = resume(applied.journal, pclient, progress=False, poll=FAST)
    assert (finished.changes["result"] == "applied").all(), finished.changes[["result", "message"]]
    assert set(emu.control.write_counts().values()) == {1}
