"""Product group promotions (list/get/create/update, bulk ``product_groups``) and their analytics."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import requests

from pintools.emulator.control_client import EmulatorControlError

ALL = {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"], "page_size": 250}
COLUMNS = "SPEND_IN_MICRO_DOLLAR,TOTAL_IMPRESSION,TOTAL_CLICKTHROUGH,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"
ADDITIVE = COLUMNS.split(",")


def _promotions(api, account, **params):
    return api.all_pages(f"/ad_accounts/{account}/product_group_promotions", {**ALL, **params})


def _analytics(api, account, path, ids_param, ids, start, end, granularity):
    r = api.get(f"/ad_accounts/{account}/{path}/analytics",
                params={ids_param: ",".join(ids), "start_date": str(start), "end_date": str(end),
                        "granularity": granularity, "columns": COLUMNS})
    assert r.status_code == 200, r.text
    return r.json()


def _sums(rows, key=None):
    out = Counter()
    for row in rows:
        for column in ADDITIVE:
            out[(row.get(key) if key else None, row.get("DATE"), column)] += row.get(column, 0)
    return out


def test_demo_account_holds_catalog_sales_promotions(api):
    account = api.accounts()[0]["id"]
    promos = _promotions(api, account)
    by_group = Counter(p["ad_group_id"] for p in promos)
    assert promos and set(by_group.values()) == {4}
    group = api.get(f"/ad_accounts/{account}/ad_groups/{promos[0]['ad_group_id']}").json()
    campaign = api.get(f"/ad_accounts/{account}/campaigns/{group['campaign_id']}").json()
    assert campaign["objective_type"] == "CATALOG_SALES"
    first = [p for p in promos if p["ad_group_id"] == promos[0]["ad_group_id"]]
    assert [(p["catalog_product_group_name"], p["status"], p["included"]) for p in first] == [
        ("All Products", "ACTIVE", True), ("Best Sellers", "ACTIVE", True), ("Sale Items", "PAUSED", True),
        ("Clearance", "ACTIVE", False)]
    assert first[0]["bid_in_micro_currency"] is None and first[1]["bid_in_micro_currency"] == 1_200_000
    # default list: ACTIVE and PAUSED only; by ids; one by id; others accounts have none
    assert len(api.all_pages(f"/ad_accounts/{account}/product_group_promotions")) == len(promos)
    ids = [first[1]["id"], first[3]["id"]]
    listed = api.get(f"/ad_accounts/{account}/product_group_promotions",
                     params={"product_group_promotion_ids": ",".join(ids)}).json()["items"]
    assert [p["id"] for p in listed] == sorted(ids)
    assert api.get(f"/ad_accounts/{account}/product_group_promotions/{ids[0]}").json() == first[1]
    other = api.accounts()[1]["id"]
    assert api.get(f"/ad_accounts/{other}/product_group_promotions/{ids[0]}").status_code == 404
    assert _promotions(api, other) == []


def test_same_seed_same_promotions(api):
    account = api.accounts()[0]["id"]
    before = _promotions(api, account)
    api.server.control.reset(seed=42)
    assert _promotions(api, account) == before


def test_create_and_update_answer_per_item(api):
    account = api.accounts()[0]["id"]
    promo = _promotions(api, account)[1]
    path = f"/ad_accounts/{account}/product_group_promotions"
    r = api.patch(path, json={"ad_group_id": promo["ad_group_id"], "product_group_promotion": [
        {"id": promo["id"], "bid_in_micro_currency": 2_000_000, "status": "PAUSED"},
        {"id": promo["id"], "bid_in_micro_currency": 0}]})
    assert r.status_code == 200, r.text
    ok, bad = r.json()["items"]
    assert ok["exceptions"] == [] and (ok["data"]["bid_in_micro_currency"], ok["data"]["status"]) == (2_000_000, "PAUSED")
    assert "data" not in bad and bad["exceptions"][0]["code"] == 1
    assert api.get(f"{path}/{promo['id']}").json()["bid_in_micro_currency"] == 2_000_000
    created = api.post(path, json={"ad_group_id": "AG" + promo["ad_group_id"], "product_group_promotion": [
        {"catalog_product_group_id": "555", "bid_in_micro_currency": 900_000},
        {"catalog_product_group_id": "555"}]}).json()["items"]
    assert created[0]["data"]["ad_group_id"] == promo["ad_group_id"] and created[0]["data"]["status"] == "ACTIVE"
    assert "already promoted" in created[1]["exceptions"][0]["message"]
    assert "emulator's rule" in created[1]["exceptions"][0]["message"]
    # not a CATALOG_SALES ad group
    groups = api.all_pages(f"/ad_accounts/{account}/ad_groups", ALL)
    plain = next(g for g in groups if g["id"] not in {p["ad_group_id"] for p in _promotions(api, account)})
    refused = api.post(path, json={"ad_group_id": plain["id"],
                                   "product_group_promotion": [{"catalog_product_group_id": "1"}]}).json()["items"]
    assert "CATALOG_SALES" in refused[0]["exceptions"][0]["message"]
    # a body without the list is a 400 in Pinterest's error shape
    r = api.post(path, json={"ad_group_id": promo["ad_group_id"], "product_group_promotion": []})
    assert r.status_code == 400 and set(r.json()) == {"code", "message"}


def test_bulk_product_groups_items_are_applied(api):
    account = api.accounts()[0]["id"]
    promo = _promotions(api, account)[0]
    request_id = api.bulk_upsert(account, {
        "update": {"product_groups": [{"ad_group_id": promo["ad_group_id"], "product_group_promotion": [
            {"id": promo["id"], "bid_in_micro_currency": 3_300_000}, {"id": "1", "status": "PAUSED"}]}]},
        "create": {"product_groups": [{"ad_group_id": promo["ad_group_id"],
                                       "product_group_promotion": [{"catalog_product_group_id": "777"}]}]}})
    for _ in range(10):
        status = api.bulk_status(account, request_id)
        if status["status"] != "RUNNING":
            break
    records = requests.get(status["result_url"], timeout=30).json()
    assert [(r["action"], r["status"], r["sub_index"]) for r in records] == [
        ("CREATE", "SUCCEEDED", 0), ("UPDATE", "SUCCEEDED", 0), ("UPDATE", "FAILED", 1)]
    assert {r["entity_type"] for r in records} == {"PRODUCT_GROUP"}
    assert api.get(f"/ad_accounts/{account}/product_group_promotions/{promo['id']}").json()[
        "bid_in_micro_currency"] == 3_300_000
    new = api.get(f"/ad_accounts/{account}/product_group_promotions/{records[0]['id']}").json()
    assert new["catalog_product_group_id"] == "777"


def test_analytics_roll_up_to_the_ad_group(aapi):
    account = aapi.accounts()[0]["id"]
    promos = _promotions(aapi, account)
    group_ids = sorted({p["ad_group_id"] for p in promos})
    end = date(2025, 3, 14)
    start = end - timedelta(days=6)
    rows = _analytics(aapi, account, "product_groups", "product_group_ids", [p["id"] for p in promos],
                      start, end, "DAY")
    assert rows and all(set(r) <= {"DATE", "PRODUCT_GROUP_ID", *ADDITIVE} for r in rows)
    parent = {p["id"]: p["ad_group_id"] for p in promos}
    summed = Counter()
    for (pid, day, column), value in _sums(rows, "PRODUCT_GROUP_ID").items():
        summed[(parent[pid], day, column)] += value
    groups = _sums(_analytics(aapi, account, "ad_groups", "ad_group_ids", group_ids, start, end, "DAY"),
                   "AD_GROUP_ID")
    assert +summed == +groups
    # excluded promotions ("Clearance") get nothing
    excluded = {p["id"] for p in promos if p["included"] is False}
    assert not [r for r in rows if r["PRODUCT_GROUP_ID"] in excluded and r.get("SPEND_IN_MICRO_DOLLAR")]
    # HOUR rows sum to the DAY row; a row never depends on the other ids of the call
    one = promos[1]["id"]
    hours = _analytics(aapi, account, "product_groups", "product_group_ids", [one], end, end, "HOUR")
    day = _analytics(aapi, account, "product_groups", "product_group_ids", [one], end, end, "DAY")
    assert sum(h.get("SPEND_IN_MICRO_DOLLAR", 0) for h in hours) == day[0]["SPEND_IN_MICRO_DOLLAR"] > 0
    assert day[0] == next(r for r in rows if r["PRODUCT_GROUP_ID"] == one and r["DATE"] == str(end))


def test_analytics_ids_can_name_catalog_product_groups(server, api):
    account = api.accounts()[0]["id"]
    promos = _promotions(api, account)
    catalog_id = promos[1]["catalog_product_group_id"]
    day = date.fromtimestamp(0) + timedelta(days=int(server.state.clock.now()) // 86_400 - 1)
    assert _analytics(api, account, "product_groups", "product_group_ids", [catalog_id], day, day, "DAY") == []
    server.state.product_groups.configure(analytics_ids="catalog")
    rows = _analytics(api, account, "product_groups", "product_group_ids", [catalog_id], day, day, "DAY")
    assert [r["PRODUCT_GROUP_ID"] for r in rows] == [catalog_id]
    server.state.product_groups.configure(analytics_ids="promotion")
    same = [p["id"] for p in promos if p["catalog_product_group_id"] == catalog_id]
    parts = _analytics(api, account, "product_groups", "product_group_ids", same, day, day, "DAY")
    assert sum(r.get("SPEND_IN_MICRO_DOLLAR", 0) for r in parts) == rows[0]["SPEND_IN_MICRO_DOLLAR"]


def test_analytics_needs_product_group_ids(ro_api, us_account):
    r = ro_api.get(f"/ad_accounts/{us_account['id']}/product_groups/analytics",
                   params={"start_date": "2025-01-01", "end_date": "2025-01-02", "granularity": "DAY",
                           "columns": "SPEND_IN_DOLLAR"})
    assert r.status_code == 400 and "product_group_ids" in r.json()["message"]


def test_bulk_download_lists_active_promotions_of_the_ad_groups_in_scope(api):
    account = api.accounts()[0]["id"]
    promos = _promotions(api, account)
    group = promos[0]["ad_group_id"]
    r = api.post(f"/ad_accounts/{account}/bulk/download",
                 json={"entity_types": ["PRODUCT_GROUP"], "entity_ids": [group], "output_format": "JSON"})
    assert r.status_code == 200, r.text
    for _ in range(10):
        status = api.bulk_status(account, r.json()["request_id"])
        if status["status"] != "RUNNING":
            break
    body = requests.get(status["result_url"], timeout=30).json()
    assert [p["id"] for p in body["PRODUCT_GROUP"]] == [p["id"] for p in promos
                                                        if p["ad_group_id"] == group and p["status"] == "ACTIVE"]


def test_control_plane_switches_what_analytics_ids_name(server, api):
    account = api.accounts()[0]["id"]
    promos = _promotions(api, account)
    catalog_id = promos[1]["catalog_product_group_id"]
    day = date.fromtimestamp(0) + timedelta(days=int(server.state.clock.now()) // 86_400 - 1)
    assert server.control.set_product_groups_behaviour("catalog") == {"analytics_ids": "catalog"}
    rows = _analytics(api, account, "product_groups", "product_group_ids", [catalog_id], day, day, "DAY")
    assert [r["PRODUCT_GROUP_ID"] for r in rows] == [catalog_id]
    assert server.control.set_product_groups_behaviour() == {"analytics_ids": "promotion"}
    assert _analytics(api, account, "product_groups", "product_group_ids", [catalog_id], day, day, "DAY") == []
    with pytest.raises(EmulatorControlError, match="400.*promotion, catalog"):
        server.control.set_product_groups_behaviour("sku")
    server.control.set_product_groups_behaviour("catalog")
    server.control.reset(seed=42, scale=1, accounts="default")
    assert server.state.product_groups.behaviour == {"analytics_ids": "promotion"}
