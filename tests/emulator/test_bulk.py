"""Bulk upsert, bulk download and the shared status poll (digest §13), plus write counts."""

from __future__ import annotations

import csv
import io
import json
import re

import requests

from pintools.emulator.models.bulk_upsert import TERMINATED_MESSAGE

RESULT_KEYS = {"entity_type", "action", "index", "id", "status", "errors"}
EVERY = {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"], "page_size": 250}


def _finish(api, account, request_id) -> dict:
    for _ in range(10):
        status = api.bulk_status(account, request_id)
        if status["status"] != "RUNNING":
            return status
    raise AssertionError("bulk job still RUNNING after 10 polls")


def _results(api, account, body) -> tuple[dict, list[dict]]:
    """Run an upsert to the end: (final status, result records from the file)."""
    status = _finish(api, account, api.bulk_upsert(account, body))
    download = requests.get(status["result_url"], timeout=30)
    assert download.status_code == 200, download.text
    return status, download.json()


def _ad_groups(api, account) -> list[dict]:
    return api.all_pages(f"/ad_accounts/{account}/ad_groups", EVERY)


def _live_groups(api, account, non_cbo: bool = False) -> list[dict]:
    """Active ad groups with a bid (free to rename and rebid), optionally of non-CBO campaigns only."""
    campaigns = {c["id"]: c for c in api.all_pages(f"/ad_accounts/{account}/campaigns", EVERY)}
    return [g for g in _ad_groups(api, account)
            if g["status"] == "ACTIVE" and g["bid_in_micro_currency"] is not None
            and not (non_cbo and campaigns[g["campaign_id"]]["is_campaign_budget_optimization"])]


def test_lifecycle_running_then_succeeded(api):
    account = api.usd_account()
    group = _live_groups(api, account)[0]
    request_id = api.bulk_upsert(account, {"update": {"ad_groups": [{"id": group["id"], "name": "Bulk renamed"}]}})
    assert re.fullmatch(rf"{account}-\d{{10}}-[0-9a-f]{{8}}-[0-9a-f]{{4}}-4[0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}-[0-9a-f]{{12}}",
                        request_id)
    first = api.bulk_status(account, request_id)
    assert first == {"status": "RUNNING"}
    assert api.get(f"/ad_accounts/{account}/ad_groups/{group['id']}").json()["name"] == group["name"]
    second = api.bulk_status(account, request_id)
    assert second["status"] == "SUCCEEDED" and "/_emulator/files/bulk/" in second["result_url"]
    assert api.get(f"/ad_accounts/{account}/ad_groups/{group['id']}").json()["name"] == "Bulk renamed"
    [job] = api.server.control.bulk_jobs()
    assert (job["request_id"], job["kind"], job["status"], job["polls"], job["items"]) == (
        request_id, "upsert", "SUCCEEDED", 2, 1)

    api.server.control.set_bulk_behaviour(polls_to_finish=3)
    slow = api.bulk_upsert(account, {"update": {"ad_groups": [{"id": group["id"], "name": "Slow"}]}})
    assert [api.bulk_status(account, slow)["status"] for _ in range(4)] == ["RUNNING"] * 3 + ["SUCCEEDED"]


def test_result_file_shape_and_link_expiry(rapi):
    account = rapi.usd_account()
    group = _live_groups(rapi, account)[0]
    body = {"update": {"ad_groups": [{"id": group["id"], "status": "PAUSED"}, {"id": "2680060000001"}]}}
    status, records = _results(rapi, account, body)
    assert status["status"] == "SUCCEEDED"  # one item failed: items are independent
    assert [set(r) for r in records] == [RESULT_KEYS, RESULT_KEYS]
    assert records[0] == {"entity_type": "AD_GROUP", "action": "UPDATE", "index": 0, "id": group["id"],
                          "status": "SUCCEEDED", "errors": []}
    assert records[1]["status"] == "FAILED" and records[1]["index"] == 1 and records[1]["id"] == "2680060000001"
    assert records[1]["errors"] == [{"code": 2, "message": "AdGroup not found."}]

    url = status["result_url"]
    assert re.search(r"/_emulator/files/bulk/[\w-]+/result\.json\?expires=\d+&sig=\w+$", url)
    expires = int(re.search(r"expires=(\d+)", url).group(1))
    assert expires == rapi.server.control.health()["now"] + 300
    assert requests.get(url.replace("sig=", "sig=0"), timeout=30).status_code == 403
    rapi.server.control.advance_clock(301)
    expired = requests.get(url, timeout=30)
    assert expired.status_code == 403 and b"Request has expired" in expired.content
    fresh = rapi.bulk_status(account, url.split("/bulk/")[1].split("/")[0])["result_url"]
    assert requests.get(fresh, timeout=30).json() == records


def test_creates_then_updates_in_one_job(api):
    account = api.usd_account()
    group = _live_groups(api, account)[0]
    before = api.get(f"/ad_accounts/{account}/ad_groups/{group['id']}").json()
    body = {
        "update": {"ad_groups": [{"id": group["id"], "bid_in_micro_currency": before["bid_in_micro_currency"] + 10_000,
                                  "name": "Bulk – updated"}]},
        "create": {
            "campaigns": [{"ad_account_id": account, "name": "Bulk – Video", "objective_type": "VIDEO_COMPLETION"}],
            "keywords": [{"parent_id": "AG" + group["id"], "keywords": [
                {"value": "bulk velvet armchair", "match_type": "EXACT"}, {"value": "", "match_type": "EXACT"}]}],
            "product_groups": [{"ad_group_id": group["id"], "product_group_promotion": [{"creative_type": "REGULAR"}]}],
        },
    }
    status, records = _results(api, account, body)
    assert status["status"] == "SUCCEEDED"
    assert [(r["action"], r["entity_type"], r["index"], r.get("sub_index"), r["status"]) for r in records] == [
        ("CREATE", "CAMPAIGN", 0, None, "SUCCEEDED"),
        ("CREATE", "PRODUCT_GROUP", 0, 0, "FAILED"),
        ("CREATE", "KEYWORD", 0, 0, "SUCCEEDED"),
        ("CREATE", "KEYWORD", 0, 1, "FAILED"),
        ("UPDATE", "AD_GROUP", 0, None, "SUCCEEDED"),
    ]
    assert "sub_index" in records[2] and "sub_index" not in records[0]
    assert records[1]["errors"][0]["message"].startswith("Product group promotions belong to CATALOG_SALES ad groups")
    assert records[3]["errors"][0]["message"] == "value must not be empty."
    created = api.get(f"/ad_accounts/{account}/campaigns/{records[0]['id']}")
    assert created.status_code == 200 and created.json()["name"] == "Bulk – Video"
    keywords = api.get(f"/ad_accounts/{account}/keywords", params={"ad_group_id": group["id"]}).json()["items"]
    assert records[2]["id"] in {k["id"] for k in keywords}
    after = api.get(f"/ad_accounts/{account}/ad_groups/{group['id']}").json()
    assert after["name"] == "Bulk – updated"
    assert after["bid_in_micro_currency"] == before["bid_in_micro_currency"] + 10_000
    assert after["updated_time"] > before["updated_time"]


def _patch_messages(api, account, kind, method, items) -> list[str]:
    r = api.session.request(method, f"{api.base}/ad_accounts/{account}/{kind}", json=items,
                            headers={"Authorization": f"Bearer {api.token}"}, timeout=30)
    assert r.status_code == 200, r.text
    out = []
    for result in r.json()["items"]:
        exceptions = result["exceptions"]
        exceptions = [exceptions] if isinstance(exceptions, dict) else exceptions
        assert result["data"] is None and len(exceptions) == 1
        out.append(exceptions[0]["message"])
    return out


def test_same_errors_as_patch_for_the_same_item(api):
    account = api.usd_account()
    campaigns = api.all_pages(f"/ad_accounts/{account}/campaigns", EVERY)
    cbo = next(c for c in campaigns if c["is_campaign_budget_optimization"] and c["status"] == "ACTIVE")
    archived = next(c for c in campaigns if c["status"] == "ARCHIVED")
    group = _live_groups(api, account)[0]
    ad = next(a for a in api.all_pages(f"/ad_accounts/{account}/ads", EVERY) if a["status"] == "ACTIVE")
    cases = {
        ("campaigns", "POST"): [
            {"ad_account_id": account, "name": "Both", "objective_type": "AWARENESS",
             "daily_spend_cap": 5_000_000, "lifetime_spend_cap": 90_000_000},
            {"ad_account_id": account, "name": "No cap", "objective_type": "CATALOG_SALES"}],
        ("campaigns", "PATCH"): [{"id": archived["id"], "ad_account_id": account, "name": "x"},
                                 {"id": cbo["id"], "ad_account_id": account, "objective_type": "VIDEO_COMPLETION"}],
        ("ad_groups", "POST"): [{"campaign_id": cbo["id"], "name": "CBO with budget", "billable_event": "IMPRESSION",
                                 "budget_in_micro_currency": 9_000_000, "bid_in_micro_currency": 9_000_000}],
        ("ad_groups", "PATCH"): [{"id": group["id"], "budget_type": "LIFETIME"},
                                 {"id": group["id"], "bid_in_micro_currency": 10_000}],
        ("ads", "PATCH"): [{"id": ad["id"], "creative_type": "VIDEO"}],
        ("ads", "POST"): [{"ad_group_id": group["id"], "pin_id": "394205773611545468", "creative_type": "SHOP_THE_PIN"}],
    }
    bulk: dict = {}
    for (kind, method), items in cases.items():
        bulk.setdefault("create" if method == "POST" else "update", {})[kind] = items
    patch_messages = {key: _patch_messages(api, account, key[0], key[1], items) for key, items in cases.items()}
    assert api.server.control.write_counts() == {}
    status, records = _results(api, account, bulk)
    assert status["status"] == "FAILED"  # every item failed
    bulk_messages: dict = {}
    for record in records:
        kind = {"CAMPAIGN": "campaigns", "AD_GROUP": "ad_groups", "AD": "ads"}[record["entity_type"]]
        method = "POST" if record["action"] == "CREATE" else "PATCH"
        bulk_messages.setdefault((kind, method), []).append(record["errors"][0]["message"])
    assert bulk_messages == patch_messages
    assert any("Bid is below the minimum bid" in m for m in bulk_messages[("ad_groups", "PATCH")])


def test_1000_ad_group_updates_with_3_injected_failures(api):
    control = api.server.control
    control.reset(accounts=[{"name": "Bulk Big", "campaigns": 50, "ad_groups_per_campaign": 20,
                             "ads_per_ad_group": 0, "keywords_per_ad_group": 0, "statuses": "active"}])
    account = api.accounts()[0]["id"]
    groups = _ad_groups(api, account)
    assert len(groups) == 1000
    failing = [groups[7]["id"], groups[500]["id"], groups[999]["id"]]
    control.set_bulk_behaviour(fail_items=failing)
    updates = [{"id": g["id"], "name": f"{g['name']} – v2"} for g in groups]
    status, records = _results(api, account, {"update": {"ad_groups": updates}})
    assert status["status"] == "SUCCEEDED"
    assert len(records) == 1000 and [r["index"] for r in records] == list(range(1000))
    failed = [r for r in records if r["status"] == "FAILED"]
    assert [r["id"] for r in failed] == failing
    assert all(r["errors"] == [{"code": 1, "message": "Injected failure."}] for r in failed)
    assert sum(r["status"] == "SUCCEEDED" for r in records) == 997
    after = {g["id"]: g["name"] for g in _ad_groups(api, account)}
    for g in groups:
        assert after[g["id"]] == (g["name"] if g["id"] in failing else f"{g['name']} – v2")
    counts = control.write_counts()
    assert set(counts) == {g["id"] for g in groups} - set(failing)
    assert set(counts.values()) == {1}


def test_kill_after_applies_a_prefix_and_reports_the_rest(api):
    account = api.usd_account()
    groups = _live_groups(api, account)[:6]
    assert len(groups) == 6
    api.server.control.set_bulk_behaviour(kill_after=4)
    updates = [{"id": g["id"], "name": f"Killed {n}"} for n, g in enumerate(groups)]
    updates[1]["budget_type"] = "LIFETIME"  # fails for real (not a draft)
    status, records = _results(api, account, {"update": {"ad_groups": updates}})
    assert status["status"] == "FAILED" and len(records) == 6
    assert [r["status"] for r in records] == ["SUCCEEDED", "FAILED", "SUCCEEDED", "SUCCEEDED", "FAILED", "FAILED"]
    assert records[1]["errors"][0]["message"] == "Only draft ad groups may update budget_type."
    assert all(r["errors"] == [{"code": 1, "message": TERMINATED_MESSAGE}] for r in records[4:])
    names = {g["id"]: g["name"] for g in _ad_groups(api, account)}
    assert [names[g["id"]] == f"Killed {n}" for n, g in enumerate(groups)] == [True, False, True, True, False, False]
    [job] = api.server.control.bulk_jobs()
    assert job["status"] == "FAILED"


def test_cap_per_list_is_400(api):
    account = api.usd_account()
    too_many = {"update": {"ads": [{"id": "1"}] * 1001}}
    r = api.post(f"/ad_accounts/{account}/bulk/upsert", json=too_many)
    assert r.status_code == 400 and r.json()["code"] == 400
    assert r.json()["message"] == ("Invalid ad account bulk parameters. update.ads holds 1001 items; "
                                   "the emulator accepts at most 1000 per list (its guess: Pinterest's spec sets "
                                   "no limit on a bulk list).")
    api.server.control.set_bulk_behaviour(max_items_per_list=5)
    campaign = {"ad_account_id": account, "name": "Capped", "objective_type": "VIDEO_COMPLETION"}
    over = api.post(f"/ad_accounts/{account}/bulk/upsert", json={"create": {"campaigns": [campaign] * 6}})
    assert over.status_code == 400 and "at most 5 per list" in over.json()["message"]
    assert api.post(f"/ad_accounts/{account}/bulk/upsert",
                    json={"create": {"campaigns": [campaign] * 5}, "update": {"ads": [{"id": "1"}] * 5}}).status_code == 200
    assert api.post(f"/ad_accounts/{account}/bulk/upsert", json={"create": {}}).status_code == 400
    assert api.server.control.bulk_jobs()[0]["items"] == 10


def test_bid_below_the_floor_fails_on_patch_create_and_bulk(api):
    account = api.usd_account()
    campaigns = {c["id"]: c for c in api.all_pages(f"/ad_accounts/{account}/campaigns", EVERY)}
    group = _live_groups(api, account, non_cbo=True)[0]
    campaign = campaigns[group["campaign_id"]]
    countries = [c for c in group["targeting_spec"].get("LOCATION", []) if c.isalpha()]
    spec = {"billable_event": group["billable_event"], "currency": "USD", "countries": countries,
            "objective_type": campaign["objective_type"]}
    floor = api.post(f"/ad_accounts/{account}/bid_floor", json={"bid_floor_specs": [spec]}).json()["bid_floors"][0]
    message = f"Bid is below the minimum bid (floor {floor} micro)."
    low = {"id": group["id"], "bid_in_micro_currency": floor - 10_000}
    patched = api.patch(f"/ad_accounts/{account}/ad_groups", json=[low]).json()["items"][0]
    assert patched["data"] is None and patched["exceptions"] == [{"code": 1, "message": message}]
    _, [record] = _results(api, account, {"update": {"ad_groups": [low]}})
    assert record["status"] == "FAILED" and record["errors"] == [{"code": 1, "message": message}]
    new = {"campaign_id": campaign["id"], "name": "Low bid", "billable_event": group["billable_event"],
           "bid_in_micro_currency": floor - 10_000, "budget_in_micro_currency": 20_000_000,
           "targeting_spec": group["targeting_spec"]}
    created = api.post(f"/ad_accounts/{account}/ad_groups", json=[new]).json()["items"][0]
    assert created["exceptions"] == [{"code": 1, "message": message}]
    at_floor = api.patch(f"/ad_accounts/{account}/ad_groups",
                         json=[{"id": group["id"], "bid_in_micro_currency": floor}]).json()["items"][0]
    assert at_floor["data"]["bid_in_micro_currency"] == floor
    assert api.server.control.write_counts() == {group["id"]: 1}


def _download(api, account, body) -> tuple[dict, requests.Response]:
    r = api.post(f"/ad_accounts/{account}/bulk/download", json=body)
    assert r.status_code == 200, r.text
    request_id = r.json()["request_id"]
    assert request_id.isdigit()
    status = _finish(api, account, request_id)
    assert status["status"] == "SUCCEEDED"
    file = requests.get(status["result_url"], timeout=30)
    assert file.status_code == 200
    return status, file


def test_download_campaign_with_children_as_json_and_csv(api):
    account = api.usd_account()
    campaigns = api.all_pages(f"/ad_accounts/{account}/campaigns", EVERY)
    groups = _ad_groups(api, account)
    ads = api.all_pages(f"/ad_accounts/{account}/ads", EVERY)
    campaign = next(c for c in campaigns if c["status"] == "ACTIVE"
                    and any(g["status"] != "ACTIVE" for g in groups if g["campaign_id"] == c["id"]))
    body = {"entity_types": ["AD", "CAMPAIGN", "AD_GROUP"], "entity_ids": [campaign["id"]]}
    status, file = _download(api, account, body)
    assert file.url.split("?")[0].endswith("/result.json")
    data = file.json()
    assert list(data) == ["CAMPAIGN", "AD_GROUP", "AD"]
    assert data["CAMPAIGN"] == [campaign]  # the API's own objects
    active_groups = [g for g in groups if g["campaign_id"] == campaign["id"] and g["status"] == "ACTIVE"]
    assert data["AD_GROUP"] == active_groups and len(active_groups) < 3  # only active entities
    assert data["AD"] == [a for a in ads if a["campaign_id"] == campaign["id"] and a["status"] == "ACTIVE"]
    assert data["AD"]
    details = api.bulk_status(account, file.url.split("/bulk/")[1].split("/")[0], include_details="true")["details"]
    assert details == [{"entity_type": t, "count": len(data[t])} for t in data]

    _, csv_file = _download(api, account, {**body, "output_format": "CSV"})
    assert csv_file.url.split("?")[0].endswith("/result.csv")
    rows = list(csv.DictReader(io.StringIO(csv_file.content.decode("utf-8"))))
    assert [(r["entity_type"], r["id"]) for r in rows] == [(t, e["id"]) for t in data for e in data[t]]
    campaign_row = rows[0]
    assert campaign_row["name"] == campaign["name"]
    assert campaign_row["is_campaign_budget_optimization"] == str(campaign["is_campaign_budget_optimization"]).lower()
    assert json.loads(rows[1]["targeting_spec"]) == data["AD_GROUP"][0]["targeting_spec"]
    assert rows[1]["lifetime_spend_cap"] == ""


def test_download_filters(api):
    account = api.usd_account()
    campaigns = [c for c in api.all_pages(f"/ad_accounts/{account}/campaigns", EVERY) if c["status"] == "ACTIVE"]
    _, file = _download(api, account, {"entity_types": ["CAMPAIGN"], "campaign_filter": {
        "objective_type": ["VIDEO_COMPLETION"]}})
    assert file.json()["CAMPAIGN"] == [c for c in campaigns if c["objective_type"] == "VIDEO_COMPLETION"]
    renamed = campaigns[0]
    api.patch(f"/ad_accounts/{account}/campaigns", json=[{"id": renamed["id"], "ad_account_id": account,
                                                            "name": "Freshly renamed"}])
    since = str(api.get(f"/ad_accounts/{account}/campaigns/{renamed['id']}").json()["updated_time"])
    _, file = _download(api, account, {"entity_types": ["CAMPAIGN", "KEYWORD"], "updated_since": since})
    assert [c["id"] for c in file.json()["CAMPAIGN"]] == [renamed["id"]]
    assert file.json()["KEYWORD"] == []
    bad = api.post(f"/ad_accounts/{account}/bulk/download", json={"entity_types": ["CAMPAIGN"], "updated_since": "x"})
    assert bad.status_code == 400


def test_write_counts_cover_patch_post_keywords_and_bulk(api):
    account = api.usd_account()
    control = api.server.control
    group = _live_groups(api, account)[0]
    api.patch(f"/ad_accounts/{account}/ad_groups", json=[{"id": group["id"], "name": "Once"}])
    made = api.post(f"/ad_accounts/{account}/campaigns", json=[
        {"ad_account_id": account, "name": "Counted", "objective_type": "VIDEO_COMPLETION"}]).json()["items"][0]["data"]
    kw = api.post(f"/ad_accounts/{account}/keywords", json={"parent_id": group["id"], "keywords": [
        {"value": "counted keyword", "match_type": "PHRASE"}]}).json()["keywords"][0]
    api.patch(f"/ad_accounts/{account}/ad_groups", json=[{"id": group["id"], "budget_type": "LIFETIME"}])  # fails
    assert control.write_counts() == {group["id"]: 1, made["id"]: 1, kw["id"]: 1}
    _results(api, account, {"update": {"ad_groups": [{"id": group["id"], "name": "Twice"}],
                                       "keywords": [{"id": kw["id"], "bid": 300_000}]}})
    assert control.write_counts() == {group["id"]: 2, made["id"]: 1, kw["id"]: 2}
    control.reset()
    assert control.write_counts() == {} and control.bulk_jobs() == []


def test_unknown_or_foreign_request_id_is_404(api):
    accounts = [a["id"] for a in api.accounts()]
    r = api.get(f"/ad_accounts/{accounts[0]}/bulk/549755885175-1700000000-nope")
    assert r.status_code == 404 and r.json() == {"code": 2, "message": "Bulk request not found."}
    request_id = api.bulk_upsert(accounts[0], {"update": {"ads": [{"id": "1"}]}})
    assert api.get(f"/ad_accounts/{accounts[1]}/bulk/{request_id}").status_code == 404
    assert api.get(f"/ad_accounts/{accounts[0]}/bulk/{request_id}").status_code == 200


def test_reset_restores_the_default_behaviour(api):
    control = api.server.control
    behaviour = control.set_bulk_behaviour(polls_to_finish=0, max_items_per_list=2, fail_items=["ads:0"], kill_after=1,
                                           run_after=None, result_format="garbage")
    assert behaviour == {"polls_to_finish": 0, "max_items_per_list": 2, "fail_items": ["ads:0"], "kill_after": 1,
                         "run_after": None, "result_format": "garbage"}
    control.reset()
    assert requests.get(f"{control.url}/_emulator/bulk", timeout=30).json()["behaviour"] == {
        "polls_to_finish": 1, "max_items_per_list": 1000, "fail_items": [], "kill_after": None,
        "run_after": 1.0, "result_format": "records"}
    account = api.usd_account()
    request_id = api.bulk_upsert(account, {"update": {"ads": [{"id": "1"}] * 3}})
    assert api.bulk_status(account, request_id)["status"] == "RUNNING"
