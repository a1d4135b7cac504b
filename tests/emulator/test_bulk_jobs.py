"""Bulk jobs that run on their own (``run_after``) and the shapes of the upsert result file (``result_format``)."""

from __future__ import annotations

import csv
import io
import json
import threading
import time

import pytest
import requests

from pintools.emulator.models.bulk import BulkJobs
from pintools.emulator.models.bulk_upsert import GARBAGE
from pintools.emulator.models.clock import Clock

EVERY = {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"], "page_size": 250}
WAIT = 10.0  # the longest any wait below may take (it normally ends within a fraction of a second)


def _wait(condition, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition still false after the bounded wait"
        time.sleep(0.01)


def _groups(api, account) -> list[dict]:
    """Active ad groups with a bid (free to rename)."""
    return [g for g in api.all_pages(f"/ad_accounts/{account}/ad_groups", EVERY)
            if g["status"] == "ACTIVE" and g["bid_in_micro_currency"] is not None]


def _job(control, request_id) -> dict:
    return next(j for j in control.bulk_jobs() if j["request_id"] == request_id)


def _rename(group: dict, name: str) -> dict:
    return {"update": {"ad_groups": [{"id": group["id"], "name": name}]}}


def test_an_accepted_job_runs_without_being_polled(api):
    control = api.server.control
    account = api.usd_account()
    group = _groups(api, account)[0]
    control.set_bulk_behaviour(polls_to_finish=50, run_after=0.2)
    request_id = api.bulk_upsert(account, _rename(group, "Ran on its own"))
    _wait(lambda: control.write_counts() == {group["id"]: 1})
    assert api.get(f"/ad_accounts/{account}/ad_groups/{group['id']}").json()["name"] == "Ran on its own"
    job = _job(control, request_id)
    assert (job["status"], job["polls"], job["run_after"]) == ("SUCCEEDED", 0, 0.2)
    status = api.bulk_status(account, request_id, include_details="true")
    assert status["status"] == "SUCCEEDED" and status["details"][0]["status"] == "SUCCEEDED"
    assert requests.get(status["result_url"], timeout=30).json() == status["details"]

    download = api.post(f"/ad_accounts/{account}/bulk/download", json={"entity_types": ["CAMPAIGN"]}).json()
    _wait(lambda: _job(control, download["request_id"])["status"] == "SUCCEEDED")
    assert _job(control, download["request_id"])["polls"] == 0


def test_run_after_none_waits_for_polls(api):
    control = api.server.control
    account = api.usd_account()
    first, second = _groups(api, account)[:2]
    control.set_bulk_behaviour(polls_to_finish=1, run_after=None)
    polled_only = api.bulk_upsert(account, _rename(first, "Polled"))
    control.set_bulk_behaviour(polls_to_finish=1, run_after=0.05)
    timed = api.bulk_upsert(account, _rename(second, "Timed"))  # created later, so it is due later too
    _wait(lambda: _job(control, timed)["status"] == "SUCCEEDED")
    assert _job(control, polled_only)["status"] == "RUNNING"
    assert control.write_counts() == {second["id"]: 1}
    assert [api.bulk_status(account, polled_only)["status"] for _ in range(2)] == ["RUNNING", "SUCCEEDED"]
    assert control.write_counts() == {first["id"]: 1, second["id"]: 1}


def _mixed_body(account: str, group: dict) -> dict:
    return {"create": {"campaigns": [{"ad_account_id": account, "name": "Bulk – shapes", "objective_type": "VIDEO_COMPLETION"}],
                       "keywords": [{"parent_id": group["id"], "keywords": [{"value": "shape sofa", "match_type": "EXACT"}]}]},
            "update": {"ad_groups": [{"id": group["id"], "name": "Bulk – shaped"}, {"id": "2680060000001", "name": "x"}]}}


@pytest.mark.parametrize("result_format", ["records", "entities", "csv", "empty", "garbage"])
def test_result_formats(api, result_format):
    control = api.server.control
    account = api.usd_account()
    group = _groups(api, account)[0]
    control.set_bulk_behaviour(run_after=None, result_format=result_format)
    request_id = api.bulk_upsert(account, _mixed_body(account, group))
    assert api.bulk_status(account, request_id)["status"] == "RUNNING"
    status = api.bulk_status(account, request_id, include_details="true")
    assert status["status"] == "SUCCEEDED"  # one item failed: items are independent
    records = status["details"]  # the per-item records, whatever the file's shape
    assert [(r["entity_type"], r["action"], r["status"]) for r in records] == [
        ("CAMPAIGN", "CREATE", "SUCCEEDED"), ("KEYWORD", "CREATE", "SUCCEEDED"),
        ("AD_GROUP", "UPDATE", "SUCCEEDED"), ("AD_GROUP", "UPDATE", "FAILED")]
    campaign_id, keyword_id = records[0]["id"], records[1]["id"]
    # the same effects on the entities whatever the file's shape
    assert control.write_counts() == {campaign_id: 1, keyword_id: 1, group["id"]: 1}
    campaign = api.get(f"/ad_accounts/{account}/campaigns/{campaign_id}").json()
    renamed = api.get(f"/ad_accounts/{account}/ad_groups/{group['id']}").json()
    keyword = next(k for k in api.get(f"/ad_accounts/{account}/keywords", params={"ad_group_id": group["id"]}).json()["items"]
                   if k["id"] == keyword_id)
    assert (campaign["name"], renamed["name"], keyword["value"]) == ("Bulk – shapes", "Bulk – shaped", "shape sofa")

    file = requests.get(status["result_url"], timeout=30)
    assert file.status_code == 200
    name = file.url.split("?")[0].rsplit("/", 1)[1]
    assert name == ("result.csv" if result_format == "csv" else "result.json")
    assert file.headers["Content-Type"].startswith("text/csv" if result_format == "csv" else "application/json")
    entities = {"CAMPAIGN": [campaign], "AD_GROUP": [renamed], "AD": [], "KEYWORD": [keyword]}
    if result_format == "records":
        assert file.json() == records
    elif result_format == "entities":
        data = file.json()
        assert list(data) == ["CAMPAIGN", "AD_GROUP", "AD", "KEYWORD"] and data == entities
    elif result_format == "csv":
        rows = list(csv.DictReader(io.StringIO(file.content.decode("utf-8"))))
        assert [(r["entity_type"], r["id"]) for r in rows] == [
            ("CAMPAIGN", campaign_id), ("AD_GROUP", group["id"]), ("KEYWORD", keyword_id)]
        assert rows[0]["name"] == "Bulk – shapes" and rows[1]["name"] == "Bulk – shaped"
        assert rows[2]["value"] == "shape sofa"
        assert json.loads(rows[1]["targeting_spec"]) == renamed["targeting_spec"]
    elif result_format == "empty":
        assert file.content == b""
    else:
        assert file.content == GARBAGE
        with pytest.raises(ValueError):
            json.loads(file.content)
        with pytest.raises(UnicodeDecodeError):
            file.content.decode("utf-8")


def test_entities_file_of_a_job_that_wrote_nothing(api):
    control = api.server.control
    account = api.usd_account()
    control.set_bulk_behaviour(polls_to_finish=0, run_after=None, result_format="entities")
    status = api.bulk_status(account, api.bulk_upsert(account, {"update": {"ads": [{"id": "2680060000001"}]}}))
    assert status["status"] == "FAILED"
    assert requests.get(status["result_url"], timeout=30).json() == {"CAMPAIGN": [], "AD_GROUP": [], "AD": [],
                                                                     "KEYWORD": []}
    control.set_bulk_behaviour(polls_to_finish=0, run_after=None, result_format="csv")
    status = api.bulk_status(account, api.bulk_upsert(account, {"update": {"ads": [{"id": "2680060000001"}]}}))
    assert requests.get(status["result_url"], timeout=30).content == b"entity_type\r\n"


def test_reset_forgets_pending_jobs(api):
    control = api.server.control
    account = api.usd_account()
    first, second = _groups(api, account)[:2]
    control.set_bulk_behaviour(polls_to_finish=50, run_after=0.3)
    api.bulk_upsert(account, _rename(first, "Discarded"))
    control.reset()  # the fixture's seed: the same ids
    control.set_bulk_behaviour(polls_to_finish=50, run_after=0.3)
    later = api.bulk_upsert(account, _rename(second, "Kept"))  # due after the discarded job would have been
    _wait(lambda: _job(control, later)["status"] == "SUCCEEDED")
    assert control.write_counts() == {second["id"]: 1}
    assert api.get(f"/ad_accounts/{account}/ad_groups/{first['id']}").json()["name"] == first["name"]
    assert [j["request_id"] for j in control.bulk_jobs()] == [later]


def _poll_until_done(api, account, request_id, seen: list[str]) -> None:
    session = requests.Session()
    url = f"{api.base}/ad_accounts/{account}/bulk/{request_id}"
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        status = session.get(url, headers={"Authorization": f"Bearer {api.token}"}, timeout=30).json()["status"]
        if status != "RUNNING":
            seen.append(status)
            return


def test_a_job_polled_while_its_timer_fires_runs_once(api):
    control = api.server.control
    account = api.usd_account()
    groups = _groups(api, account)[:4]
    # 4 threads poll while the 0.05 s timer fires: the poll budget ends before, around or after it
    for group, polls in zip(groups, (3, 20, 40, 80), strict=True):
        control.set_bulk_behaviour(polls_to_finish=polls, run_after=0.05)
        request_id = api.bulk_upsert(account, _rename(group, "Once"))
        seen: list[str] = []
        threads = [threading.Thread(target=_poll_until_done, args=(api, account, request_id, seen)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT + 5)
        assert seen == ["SUCCEEDED"] * 4
        assert api.bulk_status(account, request_id, include_details="true")["details"][0]["status"] == "SUCCEEDED"
    assert control.write_counts() == {g["id"]: 1 for g in groups}


def test_a_job_never_runs_twice_in_the_model():
    runs: list[str] = []

    def run_upsert(job):
        runs.append(job.request_id)
        return [], False

    jobs = BulkJobs(Clock(fixed=1_700_000_000), 0, run_upsert, lambda job: {})
    jobs.configure(polls_to_finish=0, run_after=0.01)
    polled = jobs.create_upsert("1", units=[])
    assert jobs.poll("1", polled.request_id, False)["status"] == "SUCCEEDED"
    jobs._run_due(polled.request_id)  # the timer firing after the poll ran the job
    timed = jobs.create_upsert("1", units=[])
    _wait(lambda: timed.status == "SUCCEEDED")
    assert jobs.poll("1", timed.request_id, False)["status"] == "SUCCEEDED"
    jobs._run_due(timed.request_id)
    assert runs == [polled.request_id, timed.request_id]
    jobs.configure(polls_to_finish=5, run_after=0.01)
    discarded = jobs.create_upsert("1", units=[])
    jobs.close()
    jobs._run_due(discarded.request_id)  # a timer that fires after close does nothing
    assert discarded.status == "RUNNING" and jobs.pending_timers() == 0 and len(runs) == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("run_after", -1, "run_after must be a number of seconds >= 0 or null"),
    ("run_after", "soon", "run_after must be a number of seconds >= 0 or null"),
    ("run_after", True, "run_after must be a number of seconds >= 0 or null"),
    ("result_format", "xml", "result_format must be one of records, entities, csv, empty, garbage"),
    ("result_format", 3, "result_format must be one of records, entities, csv, empty, garbage"),
])
def test_bad_behaviour_is_400(api, field, value, message):
    r = requests.post(f"{api.server.url}/_emulator/bulk/behaviour", json={field: value}, timeout=30)
    assert r.status_code == 400 and r.json() == {"code": 400, "message": message}


def test_behaviour_is_shown(api):
    control = api.server.control
    control.set_bulk_behaviour(run_after=2, result_format="empty")
    shown = requests.get(f"{control.url}/_emulator/bulk", timeout=30).json()["behaviour"]
    assert (shown["run_after"], shown["result_format"]) == (2.0, "empty")
