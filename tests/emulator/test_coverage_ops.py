"""Conversion tags, audience sizing, related/suggested terms, delivery metrics, ad account
countries and single interests, served by the emulator as the 5.23.0 spec describes them (every
answer of the validated servers is checked against the spec: a violation fails the test)."""

from __future__ import annotations

import pytest

from pintools.emulator.route_table import find_route

SIZING = "/ad_accounts/{}/ad_groups/audience_sizing"


@pytest.mark.parametrize("operation_id, method, category", [
    ("conversion_tags/list", "GET", "ads_read"), ("conversion_tags/get", "GET", "ads_read"),
    ("conversion_tags/create", "POST", "ads_write"), ("ad_groups/audience_sizing", "POST", "ads_read"),
    ("terms_related/list", "GET", "ads_read"), ("terms_suggested/list", "GET", "ads_read"),
    ("delivery_metrics/get", "GET", "ads_read"), ("ad_account_countries/get", "GET", "ads_read"),
    ("interest_targeting_options/get", "GET", "ads_read"),
])
def test_routes_match_the_spec_operation(openapi_spec, operation_id, method, category):
    route = find_route(operation_id)
    op = openapi_spec["paths"]["/" + route.path.lstrip("/")][method.lower()]
    assert (route.method, route.category, op["operationId"]) == (method, op["x-ratelimit-category"], operation_id)
    assert route.category == category


def test_conversion_tags_list_and_get_agree_and_filter_deleted_hides_archived(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}/conversion_tags"
    every = ro_api.get(base).json()["items"]
    kept = ro_api.get(base, params={"filter_deleted": "true"}).json()["items"]
    assert {t["status"] for t in every} == {"ACTIVE", "ARCHIVED"}
    assert [t["status"] for t in kept] == ["ACTIVE"]
    one = ro_api.get(f"{base}/{kept[0]['id']}")
    assert one.status_code == 200 and one.json() == kept[0]
    assert kept[0]["ad_account_id"] == us_account["id"] and kept[0]["id"] in kept[0]["code_snippet"]


def test_the_base_tag_is_the_one_conversion_ad_groups_optimise_for(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    groups = ro_api.all_pages(base + "/ad_groups", {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED"]})
    used = {((g.get("optimization_goal_metadata") or {}).get("conversion_tag_v3_goal_metadata") or {})
            .get("conversion_tag_id") for g in groups} - {None}
    tags = {t["id"] for t in ro_api.get(base + "/conversion_tags").json()["items"]}
    assert used and used <= tags


def test_a_tag_of_another_account_is_not_found(ro_api):
    accounts = ro_api.accounts()
    other_tag = ro_api.get(f"/ad_accounts/{accounts[1]['id']}/conversion_tags").json()["items"][0]["id"]
    r = ro_api.get(f"/ad_accounts/{accounts[0]['id']}/conversion_tags/{other_tag}")
    assert r.status_code == 404 and r.json() == {"code": 2, "message": "ConversionTag not found."}


def test_a_created_tag_is_listed_with_its_settings(api):
    account = api.usd_account()
    r = api.post(f"/ad_accounts/{account}/conversion_tags", json={"name": "  Checkout tag ", "aem_enabled": True,
                                                                   "md_frequency": 0.5})
    assert r.status_code == 200, r.text
    tag = r.json()
    assert (tag["name"], tag["status"], tag["configs"]["aem_enabled"], tag["configs"]["md_frequency"]) == \
        ("Checkout tag", "ACTIVE", True, 0.5)
    assert tag["id"] in {t["id"] for t in api.get(f"/ad_accounts/{account}/conversion_tags").json()["items"]}


def test_a_tag_without_a_name_is_refused(plain_api):
    account = plain_api.usd_account()
    r = plain_api.post(f"/ad_accounts/{account}/conversion_tags", json={"aem_enabled": True})
    assert r.status_code == 400 and "name is required" in r.json()["message"]


def _size(api, account, body):
    r = api.post(SIZING.format(account), json=body)
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["audience_size_lower_bound"] < found["audience_size_upper_bound"]
    return found["audience_size_upper_bound"]


def test_audience_sizing_narrows_with_targeting_and_is_deterministic(ro_api, us_account):
    account = us_account["id"]
    broad = _size(ro_api, account, {"targeting_spec": {"LOCATION": ["US"]}})
    women = _size(ro_api, account, {"targeting_spec": {"LOCATION": ["US"], "GENDER": ["female"]}})
    search = _size(ro_api, account, {"targeting_spec": {"LOCATION": ["US"], "GENDER": ["female"]},
                                     "placement_group": "SEARCH"})
    wider = _size(ro_api, account, {"targeting_spec": {"LOCATION": ["US", "CA", "GB"]}})
    assert search < women < broad < wider
    assert _size(ro_api, account, {"targeting_spec": {"LOCATION": ["US"]}}) == broad


def test_audience_sizing_uses_the_accounts_audiences_and_refuses_others(ro_api):
    accounts = ro_api.accounts()
    mine = ro_api.get(f"/ad_accounts/{accounts[0]['id']}/audiences").json()["items"]
    theirs = ro_api.get(f"/ad_accounts/{accounts[1]['id']}/audiences").json()["items"]
    assert _size(ro_api, accounts[0]["id"], {"targeting_spec": {"AUDIENCE_INCLUDE": [mine[0]["id"]]}}) >= 0
    r = ro_api.post(SIZING.format(accounts[0]["id"]), json={"targeting_spec": {"AUDIENCE_INCLUDE": [theirs[0]["id"]]}})
    assert r.status_code == 403
    assert r.json() == {"code": 403, "message": "You don't have access to the requested audience list or product group."}


def test_audience_sizing_refuses_a_bad_targeting_key_with_the_spec_message(plain_api):
    account = plain_api.usd_account()
    r = plain_api.post(SIZING.format(account), json={"targeting_spec": {"GENDRE": ["female"]}})
    assert r.status_code == 400
    assert r.json()["message"].startswith("Invalid ad group audience sizing parameters.")
    assert "GENDRE" in r.json()["message"]


def test_related_terms_one_entry_per_term_first_term_is_the_id(ro_api):
    for params in ({"terms": "sofa,jute rug"}, [("terms", "sofa"), ("terms", "jute rug")]):
        body = ro_api.get("/terms/related", params=params).json()
        assert body["id"] == "sofa"
        assert [e["term"] for e in body["related_terms_list"]] == ["sofa", "jute rug"]
        assert body["related_term_count"] == sum(len(e["related_terms"]) for e in body["related_terms_list"])


def test_suggested_terms_default_to_four_and_respect_the_limit(ro_api, plain_api):
    assert len(ro_api.get("/terms/suggested", params={"term": "sofa"}).json()) == 4
    found = ro_api.get("/terms/suggested", params={"term": "sofa", "limit": 10}).json()
    assert len(found) == 10 and all(s.startswith("sofa") for s in found)
    r = plain_api.get("/terms/suggested", params={"term": "sofa", "limit": 11})
    assert r.status_code == 400 and r.json()["message"].startswith("Invalid terms suggested parameters.")
    assert plain_api.get("/terms/related").status_code == 400


def test_delivery_metrics_sync_is_a_subset_of_async_but_one(ro_api):
    sync = ro_api.get("/resources/delivery_metrics", params={"report_type": "SYNC"}).json()["items"]
    every = ro_api.get("/resources/delivery_metrics", params={"report_type": "ASYNC"}).json()["items"]
    names = {m["name"] for m in sync}
    # 5.23.0's query_columns lists QUIZ_PIN_RESULT_OPEN, its ReportingColumnAsync does not
    assert "SPEND_IN_MICRO_DOLLAR" in names and names - {m["name"] for m in every} == {"QUIZ_PIN_RESULT_OPEN"}
    spend = next(m for m in sync if m["name"] == "SPEND_IN_MICRO_DOLLAR")
    assert spend["display_name"] == "Spend" and spend["definition"]


def test_ad_account_countries_have_codes_names_and_currency_words(ro_api):
    items = ro_api.get("/resources/ad_account_countries").json()["items"]
    by_code = {i["code"]: i for i in items}
    assert by_code["US"]["currency"] == "Dollars" and by_code["DE"]["currency"] == "Euros"
    assert sorted(i["index"] for i in items) == list(range(1, len(items) + 1))


def test_an_interest_lists_children_that_resolve_to_level_two(ro_api):
    top = ro_api.get("/resources/targeting/interests/935249274030").json()
    assert (top["name"], top["level"]) == ("Home Decor", 1) and top["child_interests"]
    child = ro_api.get(f"/resources/targeting/interests/{top['child_interests'][0]}").json()
    assert child["level"] == 2
    r = ro_api.get("/resources/targeting/interests/1")
    assert r.status_code == 404 and r.json()["code"] == 2
