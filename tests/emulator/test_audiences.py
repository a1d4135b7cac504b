"""Audiences and customer lists: demo data, paging, get, create, update/remove, 404s and validation."""

from __future__ import annotations

import pytest

from pintools.emulator import enums
from pintools.emulator.models import EmulatorState
from pintools.emulator.models.audiences import BUILD_SECONDS
from pintools.emulator.route_table import find_route

AUDIENCE_400 = "Invalid ad account audience parameters."
LIST_400 = "Invalid ad account customer list parameters."


def _base(account_id: str) -> str:
    return f"/ad_accounts/{account_id}"


def _audiences(api, account_id: str) -> list[dict]:
    return api.all_pages(_base(account_id) + "/audiences", {"page_size": 250})


def _lists(api, account_id: str) -> list[dict]:
    return api.all_pages(_base(account_id) + "/customer_lists", {"page_size": 250})


def _bad(r, message: str = AUDIENCE_400, detail: str | None = None) -> None:
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] == 400 and body["message"].startswith(message), body
    if detail is not None:
        assert detail in body["message"], body


def _visitor(tag: str = "5118617303078", **rule) -> dict:
    return {"name": "Checkout – 7 Days", "audience_type": "VISITOR",
            "rule": {"visitor_source_id": tag, "retention_days": 7, **rule}}


# ---- the spec's tables --------------------------------------------------------------------


def test_enum_tables_match_the_spec(openapi_spec):
    schemas = openapi_spec["components"]["schemas"]
    assert enums.AUDIENCE_TYPES == tuple(schemas["AudienceType"]["enum"])
    assert enums.AUDIENCE_OPERATIONS == tuple(schemas["AudienceUpdateOperationType"]["enum"])
    assert enums.CUSTOMER_LIST_STATUSES == tuple(schemas["CustomerList"]["properties"]["status"]["enum"])
    ops = openapi_spec["paths"]["/ad_accounts/{ad_account_id}/audiences"]["get"]["parameters"]
    ownership = next(p for p in ops if p.get("name") == "ownership_type")
    assert enums.AUDIENCE_OWNERSHIP_TYPES == tuple(ownership["schema"]["enum"])
    status_text = schemas["Audience"]["properties"]["status"]["description"]
    assert all(s in status_text for s in enums.AUDIENCE_STATUSES) and "at least 100 people" in status_text
    rule = schemas["AudienceRule"]["properties"]
    assert all(f"`{t}`" in rule["engagement_type"]["description"] for t in enums.ENGAGEMENT_TYPES)
    assert all(f'"{c}"' in rule["country"]["description"] for c in enums.ACTALIKE_COUNTRIES)
    assert "1-540" in rule["retention_days"]["description"] and "1-10" in rule["percentage"]["description"]


def test_routes_use_the_spec_categories_and_the_spec_400_message():
    assert [find_route(op).category for op in ("audiences/list", "audiences/get", "customer_lists/list",
                                               "customer_lists/get")] == ["ads_read"] * 4
    assert find_route("audiences/create").category == find_route("audiences/update").category == "ads_write"
    assert find_route("audiences/list").invalid_message == AUDIENCE_400


# ---- demo data ------------------------------------------------------------------------------


def test_every_demo_account_has_audiences_of_several_types_and_customer_lists(ro_api):
    for account in ro_api.accounts():
        audiences, lists = _audiences(ro_api, account["id"]), _lists(ro_api, account["id"])
        types = {a["audience_type"] for a in audiences}
        assert {"CUSTOMER_LIST", "VISITOR", "ENGAGEMENT"} <= types <= set(enums.AUDIENCE_TYPES)
        assert ("ACTALIKE" in types) == (account["country"] in enums.ACTALIKE_COUNTRIES)
        assert len(lists) == 3 and len(audiences) in (6, 7)
        for item in audiences + lists:
            assert item["id"].isdigit() and len(item["id"]) == 13 and item["ad_account_id"] == account["id"]
        assert all(a["type"] == "audience" and a["status"] in enums.AUDIENCE_STATUSES for a in audiences)
        assert all(c["type"] == "customerlist" and c["status"] in enums.CUSTOMER_LIST_STATUSES for c in lists)
        list_ids = {c["id"] for c in lists}
        for a in audiences:
            if a["audience_type"] == "CUSTOMER_LIST":
                assert a["rule"]["customer_list_id"] in list_ids
            if a["audience_type"] == "ACTALIKE":
                assert a["rule"]["seed_id"][0] in {x["id"] for x in audiences}


def test_each_account_has_one_audience_too_small_to_target(ro_api):
    for account in ro_api.accounts():
        audiences = _audiences(ro_api, account["id"])
        small = [a for a in audiences if a["status"] == "TOO_SMALL"]
        assert len(small) == 1 and small[0]["size"] < 100 and small[0]["audience_type"] == "CUSTOMER_LIST"
        assert all(a["size"] >= 100 for a in audiences if a["status"] == "READY")
        behind = ro_api.get(_base(account["id"]) + f"/customer_lists/{small[0]['rule']['customer_list_id']}").json()
        assert behind["status"] == "TOO_SMALL" and behind["name"] == small[0]["name"]


def test_demo_audiences_are_deterministic_and_leave_the_ad_entities_alone():
    def snapshot(state):
        return ({i: dict(r) for i, r in state.audiences.items.items()},
                {i: dict(r) for i, r in state.customer_lists.items.items()})

    a, b, c = EmulatorState(seed=5), EmulatorState(seed=5), EmulatorState(seed=6)
    assert snapshot(a) == snapshot(b) != snapshot(c)
    assert a.counts() == {"accounts": 4, "campaigns": 24, "ad_groups": 72, "ads": 144, "keywords": 309,
                          "product_group_promotions": 12}
    custom = EmulatorState(seed=5, accounts=[{"name": "Fern & Co", "country": "CA", "currency": "CAD", "campaigns": 2}])
    types = {r["audience_type"] for r in custom.audiences.items.values()}
    assert "ACTALIKE" in types and len(custom.customer_lists.items) == 3


# ---- list paging and filters ---------------------------------------------------------------


def test_audience_pages_follow_bookmarks_in_id_order(ro_api, us_account):
    base = _base(us_account["id"]) + "/audiences"
    everything = _audiences(ro_api, us_account["id"])
    ids = [a["id"] for a in everything]
    assert ids == sorted(ids, key=int)
    first = ro_api.get(base, params={"page_size": 2}).json()
    assert len(first["items"]) == 2 and first["bookmark"]
    assert [a["id"] for a in ro_api.all_pages(base, {"page_size": 2})] == ids
    assert [a["id"] for a in ro_api.all_pages(base, {"page_size": 3, "order": "DESCENDING"})] == ids[::-1]
    last = ro_api.get(base, params={"page_size": 250}).json()
    assert last["bookmark"] is None


def test_a_bookmark_only_fits_the_filters_that_made_it(ro_api, us_account):
    base = _base(us_account["id"]) + "/audiences"
    mark = ro_api.get(base, params={"page_size": 2}).json()["bookmark"]
    _bad(ro_api.get(base, params={"page_size": 2, "order": "DESCENDING", "bookmark": mark}), detail="bookmark")
    _bad(ro_api.get(base, params={"bookmark": "not-a-bookmark"}), detail="bookmark")


def test_received_audiences_are_none_and_bad_list_parameters_are_400(ro_api, us_account):
    base = _base(us_account["id"]) + "/audiences"
    assert ro_api.get(base, params={"ownership_type": "RECEIVED"}).json() == {"items": [], "bookmark": None}
    assert len(ro_api.get(base, params={"ownership_type": "OWNED"}).json()["items"]) == 7
    for params in ({"page_size": 0}, {"page_size": 251}, {"order": "UP"}, {"ownership_type": "SHARED"}):
        _bad(ro_api.get(base, params=params))


def test_customer_list_pages_and_bounds(ro_api, us_account):
    base = _base(us_account["id"]) + "/customer_lists"
    ids = [c["id"] for c in _lists(ro_api, us_account["id"])]
    assert [c["id"] for c in ro_api.all_pages(base, {"page_size": 1})] == ids == sorted(ids, key=int)
    assert [c["id"] for c in ro_api.all_pages(base, {"page_size": 2, "order": "DESCENDING"})] == ids[::-1]
    _bad(ro_api.get(base, params={"page_size": 251}), LIST_400)


# ---- get and 404s ------------------------------------------------------------------------


def test_get_matches_the_list_and_unknown_or_foreign_ids_are_404(ro_api):
    us, gb = ro_api.accounts()[:2]
    mine, theirs = _audiences(ro_api, us["id"]), _audiences(ro_api, gb["id"])
    assert ro_api.get(_base(us["id"]) + f"/audiences/{mine[3]['id']}").json() == mine[3]
    for audience_id in (theirs[0]["id"], "1", "999999999999999999"):
        r = ro_api.get(_base(us["id"]) + f"/audiences/{audience_id}")
        assert r.status_code == 404 and r.json() == {"code": 2, "message": "Audience not found."}
    my_lists, their_lists = _lists(ro_api, us["id"]), _lists(ro_api, gb["id"])
    assert ro_api.get(_base(us["id"]) + f"/customer_lists/{my_lists[0]['id']}").json() == my_lists[0]
    r = ro_api.get(_base(us["id"]) + f"/customer_lists/{their_lists[0]['id']}")
    assert r.status_code == 404 and r.json() == {"code": 2, "message": "Customer list not found."}


def test_unknown_and_hidden_accounts(ro_api):
    r = ro_api.get("/ad_accounts/549755000001/audiences")
    assert r.status_code == 404 and r.json()["message"] == "AdAccount not found."
    hidden = next(i for i, rec in ro_api.server.state.store.accounts.items() if not rec["_accessible"])
    assert ro_api.get(f"/ad_accounts/{hidden}/customer_lists").status_code == 403
    _bad(ro_api.get(_base(ro_api.accounts()[0]["id"]) + "/audiences/12ab"))


# ---- create ----------------------------------------------------------------------------------


def test_create_initializes_then_builds_and_is_listed(api, server):
    account = api.usd_account()
    r = api.post(_base(account) + "/audiences", json={**_visitor(), "description": "Checkout, last week"})
    assert r.status_code == 200, r.text
    made = r.json()
    assert made["status"] == "INITIALIZING" and made["size"] is None and made["type"] == "audience"
    assert made["created_timestamp"] == made["updated_timestamp"] and made["ad_account_id"] == account
    assert made["id"] == _audiences(api, account)[-1]["id"]  # the newest has the highest id
    server.control.advance_clock(BUILD_SECONDS)
    built = api.get(_base(account) + f"/audiences/{made['id']}").json()
    assert built["status"] == "READY" and built["size"] >= 100 and built["rule"] == made["rule"]
    assert server.control.write_counts()[made["id"]] == 1
    assert server.control.requests(operation_id="audiences/create")[0]["category"] == "ads_write"


def test_created_sizes_follow_the_rule(api, server):
    account = api.usd_account()
    audiences, lists = _audiences(api, account), _lists(api, account)
    small_list = next(c for c in lists if c["status"] == "TOO_SMALL")
    purchasers = next(a for a in audiences if a["audience_type"] == "CUSTOMER_LIST" and a["size"] > 1000)
    bodies = {
        "list": {"name": "VIP", "audience_type": "CUSTOMER_LIST", "rule": {"customer_list_id": small_list["id"]}},
        "empty": _visitor(prefill=False),
        "actalike": {"name": "Actalike 5%", "audience_type": "ACTALIKE",
                     "rule": {"seed_id": [purchasers["id"]], "country": "US", "percentage": 5}},
    }
    made = {key: api.post(_base(account) + "/audiences", json=body).json() for key, body in bodies.items()}
    server.control.advance_clock(BUILD_SECONDS)
    got = {key: api.get(_base(account) + f"/audiences/{m['id']}").json() for key, m in made.items()}
    assert got["list"]["status"] == "TOO_SMALL" and got["list"]["size"] < 100
    assert got["empty"]["status"] == "TOO_SMALL" and got["empty"]["size"] == 0  # "empty at creation time"
    assert got["actalike"]["status"] == "READY" and 4_500_000 < got["actalike"]["size"] < 5_000_000


@pytest.mark.parametrize("body, detail", [
    ({"audience_type": "VISITOR", "rule": {"visitor_source_id": "1"}}, "name"),
    ({"name": "x", "audience_type": "LOOKALIKE", "rule": {}}, "audience_type"),
    ({"name": "x", "audience_type": "VISITOR"}, "rule"),
    (_visitor(retention_days=541), "retention_days"),
    ({"name": "x", "audience_type": "ENGAGEMENT", "rule": {"engager_type": 1}}, "engagement_domain"),
    ({"name": "x", "audience_type": "ENGAGEMENT", "rule": {"engagement_domain": ["a.com"], "engager_type": 3}},
     "engager_type"),
    ({"name": "x", "audience_type": "ENGAGEMENT", "rule": {"engagement_domain": ["a.com"], "engagement_type": "view"}},
     "engagement_type"),
    ({"name": "x", "audience_type": "CUSTOMER_LIST", "rule": {}}, "customer_list_id"),
    ({"name": "x", "audience_type": "ACTALIKE", "rule": {"seed_id": ["1"], "country": "US", "percentage": 11}},
     "percentage"),
    ({"name": "x", "audience_type": "VISITOR", "rule": {"visitor_source_id": "AB12"}}, "visitor_source_id"),
])
def test_create_validation_is_a_400_with_and_without_the_spec_check(api, plain_api, body, detail):
    for client in (api, plain_api):
        r = client.post(_base(client.usd_account()) + "/audiences", json=body)
        _bad(r)
        if client is plain_api:  # the emulator's own check answered, naming the field
            assert detail in r.json()["message"]


def test_create_rules_that_need_the_account(api):
    us, gb = api.accounts()[:2]
    their_list = _lists(api, gb["id"])[0]["id"]
    their_audience = _audiences(api, gb["id"])[0]["id"]
    base = _base(us["id"]) + "/audiences"
    _bad(api.post(base, json={"name": "x", "audience_type": "CUSTOMER_LIST", "rule": {"customer_list_id": their_list}}),
         detail="not a customer list of this ad account")
    _bad(api.post(base, json={"name": "x", "audience_type": "ACTALIKE",
                              "rule": {"seed_id": [their_audience], "country": "US", "percentage": 2}}),
         detail="not another audience")
    mine = _audiences(api, us["id"])[1]["id"]
    _bad(api.post(base, json={"name": "x", "audience_type": "ACTALIKE",
                              "rule": {"seed_id": [mine], "country": "DE", "percentage": 2}}), detail="US, CA, GB")
    _bad(api.post(base, json={**_visitor(), "ad_account_id": gb["id"]}), detail="ad_account_id")
    _bad(api.post(base, json=["not", "an", "object"]))
    assert len(_audiences(api, us["id"])) == 7  # nothing was created


# ---- update and remove -------------------------------------------------------------------------


def test_update_renames_and_a_new_rule_rebuilds(api, server):
    server.control.set_clock("2025-03-15T13:30:00Z")
    account = api.usd_account()
    visitor = next(a for a in _audiences(api, account) if a["audience_type"] == "VISITOR")
    url = _base(account) + f"/audiences/{visitor['id']}"
    renamed = api.patch(url, json={"name": "Site Visitors – Last 30 Days", "description": "Renamed"}).json()
    assert renamed["name"] == "Site Visitors – Last 30 Days" and renamed["description"] == "Renamed"
    assert renamed["status"] == "READY" and renamed["size"] == visitor["size"]
    assert renamed["updated_timestamp"] > visitor["updated_timestamp"]
    rebuilt = api.patch(url, json={"rule": {**visitor["rule"], "retention_days": 180}}).json()
    assert rebuilt["status"] == "INITIALIZING" and rebuilt["size"] is None
    server.control.advance_clock(BUILD_SECONDS)
    assert api.get(url).json()["size"] > visitor["size"]  # six times the retention, a bigger audience
    _bad(api.patch(url, json={"rule": {"retention_days": 10}}), detail="visitor_source_id")
    _bad(api.patch(url, json={"operation_type": "DELETE"}))
    assert server.control.write_counts()[visitor["id"]] == 2


def test_remove_answers_the_audience_then_it_is_gone(api):
    us, gb = api.accounts()[:2]
    target = _audiences(api, us["id"])[4]
    foreign = api.patch(_base(gb["id"]) + f"/audiences/{target['id']}", json={"operation_type": "REMOVE"})
    assert foreign.status_code == 404 and foreign.json()["code"] == 2
    r = api.patch(_base(us["id"]) + f"/audiences/{target['id']}", json={"operation_type": "REMOVE"})
    assert r.status_code == 200 and r.json()["id"] == target["id"]
    assert api.get(_base(us["id"]) + f"/audiences/{target['id']}").status_code == 404
    assert target["id"] not in {a["id"] for a in _audiences(api, us["id"])}
    assert api.patch(_base(us["id"]) + f"/audiences/{target['id']}", json={"name": "x"}).status_code == 404
