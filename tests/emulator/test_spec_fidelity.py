"""The emulator against Pinterest's OpenAPI v5.12.0: routes, a validated session, enums."""

from __future__ import annotations

import json

import pytest
import requests

from pintools.emulator import enums, start
from pintools.emulator.route_table import ROUTES, coverage, spec_operations

pytestmark = pytest.mark.spec


@pytest.fixture(scope="module")
def spec(openapi_spec_path) -> dict:
    return json.loads(openapi_spec_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validated(openapi_spec_path):
    server = start(seed=42, spec_path=str(openapi_spec_path))
    yield server
    server.stop()


def _schema(spec, name):
    return spec["components"]["schemas"][name]


def test_every_route_exists_in_the_spec(spec):
    ops = {(m, p): (op_id, cat) for m, p, op_id, cat in spec_operations(spec)}
    for route in ROUTES:
        assert (route.method, route.path) in ops, route
        assert ops[(route.method, route.path)] == (route.operation_id, route.category), route
    assert len({r.operation_id for r in ROUTES}) == len(ROUTES)
    cov = coverage(spec)
    assert set(cov["implemented"]) <= set(cov["spec"])
    assert "ads/analytics" in cov["missing"]


def test_enums_match_the_spec(spec):
    S = lambda name: _schema(spec, name)  # noqa: E731
    assert enums.OBJECTIVE_TYPES == tuple(S("ObjectiveType")["enum"])
    assert enums.ENTITY_STATUSES == tuple(S("EntityStatus")["enum"])
    assert enums.SUMMARY_STATUSES == tuple(S("CampaignSummaryStatus")["enum"]) == tuple(S("AdGroupSummaryStatus")["enum"])
    assert enums.AD_SUMMARY_STATUSES == tuple(S("PinPromotionSummaryStatus")["enum"])
    assert enums.BUDGET_TYPES == tuple(S("BudgetType")["enum"])
    assert enums.ACTION_TYPES == tuple(S("ActionType")["enum"])
    assert enums.MATCH_TYPES == tuple(S("MatchType")["enum"])
    assert enums.CREATIVE_TYPES == tuple(S("CreativeType")["enum"])
    assert enums.PACING_DELIVERY_TYPES == tuple(S("PacingDeliveryType")["enum"])
    assert enums.PLACEMENT_GROUP_TYPES == tuple(S("PlacementGroupType")["enum"])
    assert enums.GRID_CLICK_TYPES == tuple(S("GridClickType")["enum"])
    assert enums.CURRENCIES == tuple(S("Currency")["enum"])
    assert enums.BUSINESS_ACCESS_ROLES == tuple(S("BusinessAccessRole")["enum"])
    assert enums.GRANT_TYPES == tuple(S("OauthAccessTokenRequest")["properties"]["grant_type"]["enum"])
    ad_group = S("AdGroupCommon")["properties"]
    assert enums.BID_STRATEGY_TYPES + (None,) == tuple(ad_group["bid_strategy_type"]["enum"])
    ad = S("AdCommon")["properties"]
    assert enums.CUSTOMIZABLE_CTA_TYPES + (None,) == tuple(ad["customizable_cta_type"]["enum"])
    ad_response = S("AdResponse")["allOf"][2]["properties"]
    assert enums.REVIEW_STATUSES == tuple(ad_response["review_status"]["enum"])
    learning = S("AdGroupResponse")["allOf"][1]["properties"]["conversion_learning_mode_type"]["enum"]
    assert enums.LEARNING_MODE_TYPES + (None,) == tuple(learning)
    goal = S("OptimizationGoalMetadata")["properties"]
    conv = goal["conversion_tag_v3_goal_metadata"]["properties"]
    assert enums.CONVERSION_EVENTS == tuple(conv["conversion_event"]["enum"])
    assert enums.FREQUENCY_TIMERANGES == tuple(goal["frequency_goal_metadata"]["properties"]["timerange"]["enum"])
    assert enums.TRACKING_URL_EVENTS == tuple(S("TrackingUrls")["properties"])
    targeting = S("TargetingSpec")["properties"]
    spec_keys = tuple(k.rstrip("'") for k in targeting)  # "AUDIENCE_INCLUDE'" typo, digest §17 #1
    assert sorted(enums.TARGETING_SPEC_KEYS) == sorted(spec_keys)
    assert enums.AGE_BUCKETS == tuple(targeting["AGE_BUCKET"]["items"]["enum"])
    assert enums.GENDERS == tuple(targeting["GENDER"]["items"]["enum"])
    assert enums.APPTYPES == tuple(targeting["APPTYPE"]["items"]["enum"])
    assert enums.TARGETING_STRATEGIES == tuple(targeting["TARGETING_STRATEGY"]["items"]["enum"])
    params = spec["components"]["parameters"]
    assert enums.ORDERS == tuple(params["query_order"]["schema"]["enum"])
    assert list(enums.DEFAULT_LIST_STATUSES) == params["query_entity_statuses"]["schema"]["default"]
    assert params["query_page_size"]["schema"]["maximum"] == 250
    assert params["query_campaign_ids"]["schema"]["maxItems"] == 100
    categories = {op.get("x-ratelimit-category") for item in spec["paths"].values() for op in item.values()
                  if isinstance(op, dict) and "operationId" in op}
    assert set(enums.RATE_LIMIT_CATEGORIES) == categories


class _Session:
    def __init__(self, server):
        self.server = server
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {server.access_token}"
        self.statuses: dict[str, set[int]] = {}

    def call(self, op, method, path, expect, **kw):
        r = self.http.request(method, self.server.base_url + path, timeout=30, **kw)
        assert r.status_code == expect, (op, r.status_code, r.text)
        self.statuses.setdefault(op, set()).add(r.status_code)
        return r.json()


def test_realistic_session_has_no_spec_violations(validated):
    assert validated.spec_enabled
    s = _Session(validated)
    ok, bad = 200, 400
    accounts = s.call("ad_accounts/list", "GET", "/ad_accounts", ok, params={"page_size": 2})
    s.call("ad_accounts/list", "GET", "/ad_accounts", ok, params={"bookmark": accounts["bookmark"]})
    s.call("ad_accounts/list", "GET", "/ad_accounts", bad, params={"page_size": 0})
    acct = accounts["items"][0]["id"]
    base = f"/ad_accounts/{acct}"
    s.call("ad_accounts/get", "GET", base, ok)
    s.call("ad_accounts/get", "GET", "/ad_accounts/123456789012", 404)
    hidden = next(i for i, r in validated.state.store.accounts.items() if not r["_accessible"])
    s.call("ad_accounts/get", "GET", f"/ad_accounts/{hidden}", 403)

    every = {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"], "page_size": 250}
    campaigns = s.call("campaigns/list", "GET", f"{base}/campaigns", ok, params=every)["items"]
    s.call("campaigns/list", "GET", f"{base}/campaigns", ok,
           params={"campaign_ids": ",".join(c["id"] for c in campaigns[:3]), "order": "DESCENDING"})
    s.call("campaigns/list", "GET", f"{base}/campaigns", bad, params={"order": "SIDEWAYS"})
    s.call("campaigns/get", "GET", f"{base}/campaigns/{campaigns[0]['id']}", ok)
    s.call("campaigns/get", "GET", f"{base}/campaigns/1", 404)
    created = s.call("campaigns/create", "POST", f"{base}/campaigns", ok, json=[
        {"ad_account_id": acct, "name": "Fidelity – Awareness", "objective_type": "AWARENESS",
         "daily_spend_cap": 40_000_000, "tracking_urls": {"impression": ["https://t.example.com/i"]}},
        {"ad_account_id": acct, "name": "Fidelity – Video", "objective_type": "VIDEO_VIEW"},
        {"ad_account_id": acct, "name": "Fidelity – No cap", "objective_type": "CATALOG_SALES"},
    ])["items"]
    assert created[2]["data"] is None
    cbo, video = created[0]["data"], created[1]["data"]
    s.call("campaigns/create", "POST", f"{base}/campaigns", bad, json=[{"name": "no account"}])
    s.call("campaigns/update", "PATCH", f"{base}/campaigns", ok, json=[
        {"id": cbo["id"], "ad_account_id": acct, "daily_spend_cap": 55_000_000, "tracking_urls": None},
        {"id": "1", "ad_account_id": acct, "status": "PAUSED"},
    ])
    s.call("campaigns/update", "PATCH", f"{base}/campaigns", bad, json=[{"id": cbo["id"]}] * 31)

    groups = s.call("ad_groups/list", "GET", f"{base}/ad_groups", ok, params=every)["items"]
    s.call("ad_groups/list", "GET", f"{base}/ad_groups", ok, params={"campaign_ids": [campaigns[0]["id"]]})
    s.call("ad_groups/list", "GET", f"{base}/ad_groups", bad,
           params={"campaign_ids": campaigns[0]["id"], "ad_group_ids": groups[0]["id"]})
    s.call("ad_groups/get", "GET", f"{base}/ad_groups/{groups[0]['id']}", ok)
    s.call("ad_groups/get", "GET", f"{base}/ad_groups/1", 404)
    new_groups = s.call("ad_groups/create", "POST", f"{base}/ad_groups", ok, json=[
        {"campaign_id": cbo["id"], "name": "Fidelity – Broad", "billable_event": "IMPRESSION",
         "bid_in_micro_currency": 5_000_000, "targeting_spec": {"AGE_BUCKET": ["25-34"], "GENDER": ["female"],
                                                               "AUDIENCE_INCLUDE'": ["2542620905473"]}},
        {"campaign_id": "C" + video["id"], "name": "Fidelity – Video", "billable_event": "VIDEO_V_50_MRC",
         "bid_in_micro_currency": 50_000, "budget_in_micro_currency": 20_000_000, "end_time": 1956528000,
         "placement_group": "BROWSE", "optimization_goal_metadata": None},
        {"campaign_id": video["id"], "name": "Fidelity – No budget", "billable_event": "VIDEO_V_50_MRC",
         "bid_in_micro_currency": 50_000},
    ])["items"]
    assert new_groups[2]["data"] is None
    group = new_groups[1]["data"]
    s.call("ad_groups/create", "POST", f"{base}/ad_groups", bad, json=[{"name": "x", "campaign_id": "x1"}])
    s.call("ad_groups/update", "PATCH", f"{base}/ad_groups", ok, json=[
        {"id": group["id"], "bid_in_micro_currency": None, "status": "PAUSED"},
        {"id": group["id"], "budget_type": "LIFETIME"},
    ])

    ads = s.call("ads/list", "GET", f"{base}/ads", ok, params=every)["items"]
    s.call("ads/list", "GET", f"{base}/ads", ok, params={"ad_group_ids": groups[0]["id"]})
    s.call("ads/list", "GET", f"{base}/ads", bad, params={"ad_ids": "x"})
    s.call("ads/get", "GET", f"{base}/ads/{ads[0]['id']}", ok)
    s.call("ads/get", "GET", f"{base}/ads/1", 404)
    new_ads = s.call("ads/create", "POST", f"{base}/ads", ok, json=[
        {"ad_group_id": "AG" + group["id"], "pin_id": "394205773611545468", "creative_type": "REGULAR",
         "name": "Fidelity ad", "destination_url": "https://www.juniperandsage.com/", "customizable_cta_type": None},
        {"ad_group_id": "2680060000001", "pin_id": "394205773611545469", "creative_type": "VIDEO"},
    ])["items"]
    assert new_ads[1]["data"] is None
    s.call("ads/update", "PATCH", f"{base}/ads", ok, json=[
        {"id": new_ads[0]["data"]["id"], "status": "PAUSED", "tracking_urls": {}},
        {"id": ads[0]["id"], "creative_type": "VIDEO"},
    ])
    s.call("ads/update", "PATCH", f"{base}/ads", bad, json=[{"status": "PAUSED"}])

    s.call("keywords/get", "GET", f"{base}/keywords", ok)
    kws = s.call("keywords/get", "GET", f"{base}/keywords", ok,
                 params={"ad_group_id": groups[0]["id"], "match_types": ["BROAD", "EXACT", "PHRASE"]})["items"]
    s.call("keywords/get", "GET", f"{base}/keywords", bad, params={"match_types": "FUZZY"})
    s.call("keywords/create", "POST", f"{base}/keywords", ok, json={"parent_id": "C" + cbo["id"], "keywords": [
        {"value": "cheap sofa", "match_type": "PHRASE_NEGATIVE"}, {"value": "sofa", "match_type": "BROAD"}]})
    s.call("keywords/create", "POST", f"{base}/keywords", ok, json={"parent_id": "AG" + group["id"], "keywords": [
        {"value": "velvet sofa", "match_type": "EXACT", "bid": 400_000}]})
    s.call("keywords/create", "POST", f"{base}/keywords", bad, json={"keywords": []})
    s.call("keywords/update", "PATCH", f"{base}/keywords", ok, json={"keywords": [
        {"id": kws[0]["id"], "bid": 250_000}, {"id": kws[1]["id"], "archived": True}, {"id": "2886364000001"}]})
    s.call("keywords/update", "PATCH", f"{base}/keywords", bad, json={"keywords": [{"bid": 0}]})

    auth = (validated.app_id, validated.app_secret)
    grant = requests.post(validated.base_url + "/oauth/token", auth=auth, data={
        "grant_type": "refresh_token", "refresh_token": validated.refresh_token, "refresh_on": "true"}).json()
    assert grant["response_type"] == "everlasting_refresh"
    code = requests.post(validated.base_url + "/oauth/token", auth=auth, data={
        "grant_type": "authorization_code", "code": "fidelity", "redirect_uri": "http://localhost/"})
    assert code.status_code == 200
    again = requests.post(validated.base_url + "/oauth/token", auth=auth, data={
        "grant_type": "refresh_token", "refresh_token": grant["refresh_token"]})
    assert again.status_code == 200
    assert requests.post(validated.base_url + "/oauth/token", auth=("x", "y"),
                         data={"grant_type": "refresh_token", "refresh_token": "z"}).status_code == 401
    assert requests.post(validated.base_url + "/oauth/token", auth=auth,
                         data={"grant_type": "refresh_token", "refresh_token": "pinr_nope"}).status_code == 400
    s.call("campaigns/list", "GET", f"{base}/campaigns", 401, headers={"Authorization": "Bearer nope"})
    validated.control.set_rate_limit("ads_read", per_minute=1, burst=1)
    s.call("ads/list", "GET", f"{base}/ads", ok)
    s.call("ads/list", "GET", f"{base}/ads", 429)
    validated.control.set_rate_limit("ads_read", per_minute=1000)

    implemented = {r.operation_id for r in ROUTES} - {"oauth/token"}
    assert implemented <= set(s.statuses), implemented - set(s.statuses)
    assert validated.control.spec_violations() == []
    assert validated.control.coverage()["spec"]


def test_spec_validation_rejects_bad_requests_in_pinterest_shape(validated):
    headers = {"Authorization": f"Bearer {validated.access_token}"}
    acct = requests.get(validated.base_url + "/ad_accounts", headers=headers).json()["items"][0]["id"]
    r = requests.post(f"{validated.base_url}/ad_accounts/{acct}/ad_groups", headers=headers,
                      json=[{"campaign_id": "1", "name": "x", "billable_event": "CLICK"}])
    assert r.status_code == 400
    assert r.json()["code"] == 400 and r.json()["message"].startswith("Invalid ad account group parameters.")
    assert "CLICK" in r.json()["message"]


def test_violations_are_recorded_when_a_response_breaks_the_spec(openapi_spec_path):
    server = start(seed=1, spec_path=str(openapi_spec_path))
    try:
        with server.state.lock:
            campaign = next(iter(server.state.store.campaigns.values()))
            campaign["daily_spend_cap"] = "lots"  # a string where the spec wants an integer
            account = campaign["ad_account_id"]
        headers = {"Authorization": f"Bearer {server.access_token}"}
        r = requests.get(f"{server.base_url}/ad_accounts/{account}/campaigns/{campaign['id']}", headers=headers)
        assert r.status_code == 200
        violations = server.control.spec_violations()
        assert len(violations) == 1
        assert violations[0]["operation_id"] == "campaigns/get" and violations[0]["status"] == 200
        assert "lots" in violations[0]["message"]
    finally:
        server.stop()
