"""The emulator against Pinterest's OpenAPI spec 5.23.0 (the target): routes, enum and column tables,
and a validated session (more 5.23.0 behaviour is checked in tests/fidelity/test_v523_behaviour.py)."""

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


def _deref(spec, node):
    ref = node.get("$ref", "")
    return _schema(spec, ref.rsplit("/", 1)[1]) if ref.startswith("#/components/schemas/") else node


def test_every_route_exists_in_the_spec(spec):
    ops = {(m, p): (op_id, cat) for m, p, op_id, cat in spec_operations(spec)}
    for route in ROUTES:
        assert (route.method, route.path) in ops, route
        assert ops[(route.method, route.path)] == (route.operation_id, route.category), route
    assert len({r.operation_id for r in ROUTES}) == len(ROUTES)
    cov = coverage(spec)
    assert set(cov["implemented"]) <= set(cov["spec"])
    assert "lead_forms/list" not in cov["missing"] and "events/create" not in cov["missing"]
    for op in ("ads/analytics", "analytics/create_report", "trending_keywords/list", "ad_groups_bid_floor/get",
               "metrics_ready_state/get", "ad_targeting_analytics/get", "bulk_upsert/create", "bulk_request/get",
               "bulk_download/create"):
        assert op in cov["implemented"]


def test_reporting_tables_match_the_spec(spec):
    from pintools.emulator.models.column_names import (
        ASYNC_COLUMNS,
        ASYNC_ONLY_COLUMNS,
        SYNC_COLUMNS,
        SYNC_ONLY_COLUMNS,
    )
    from pintools.emulator.models.columns import COLUMNS, NOT_COMPUTED

    S = lambda name: _schema(spec, name)  # noqa: E731
    params = spec["components"]["parameters"]
    assert list(SYNC_COLUMNS) == params["query_columns"]["schema"]["items"]["enum"] and len(SYNC_COLUMNS) == 175
    assert sorted(ASYNC_COLUMNS) == sorted(S("ReportingColumnAsync")["enum"]) and len(ASYNC_COLUMNS) == 613
    assert not set(SYNC_COLUMNS) & set(ASYNC_ONLY_COLUMNS)
    assert set(SYNC_COLUMNS) - set(ASYNC_COLUMNS) == set(SYNC_ONLY_COLUMNS) == {"QUIZ_PIN_RESULT_OPEN"}
    every = set(ASYNC_COLUMNS) | set(SYNC_COLUMNS)
    assert set(COLUMNS) | set(NOT_COMPUTED) == every and not set(COLUMNS) & set(NOT_COMPUTED)
    assert set(SYNC_COLUMNS) - set(NOT_COMPUTED) <= set(COLUMNS)
    assert enums.GRANULARITIES == tuple(S("Granularity")["enum"])
    assert list(enums.ATTRIBUTION_WINDOW_DAYS) == S("ConversionAttributionWindowDays")["enum"]
    assert enums.CONVERSION_REPORT_TIMES == tuple(S("ConversionReportTimeType")["enum"])
    assert enums.ATTRIBUTION_TYPES == tuple(S("ConversionReportAttributionType")["enum"])
    assert enums.ANALYTICS_TARGETING_TYPES == tuple(S("AdsAnalyticsTargetingType")["enum"])
    assert enums.REPORTING_LEVELS == tuple(S("MetricsReportingLevel")["enum"])
    assert enums.REPORT_STATUSES == tuple(S("BulkReportingJobStatus")["enum"])
    assert enums.REPORT_FORMATS == tuple(S("DataOutputFormat")["enum"])
    assert enums.METRICS_FILTER_FIELDS == tuple(S("AdsAnalyticsFilterColumn")["enum"])
    assert enums.METRICS_FILTER_OPERATORS == tuple(S("AdsAnalyticsFilterOperator")["enum"])
    assert enums.PRODUCT_GROUP_STATUSES == tuple(S("ProductGroupSummaryStatus")["enum"])
    assert enums.TRENDS_REGIONS == tuple(S("TrendsSupportedRegion")["enum"])
    assert enums.TREND_TYPES == tuple(S("TrendType")["enum"])
    assert enums.L1_INTERESTS == tuple(S("L1InterestList")["items"]["enum"])
    assert enums.TREND_GENDERS == tuple(S("GenderList")["items"]["enum"])
    assert enums.TREND_AGES == tuple(S("AgeBucketList")["items"]["enum"])
    assert enums.AUDIENCE_INSIGHT_TYPES == tuple(S("AudienceInsightType")["enum"])
    assert enums.PUBLIC_TARGETING_TYPES == tuple(params["path_targeting_type"]["schema"]["enum"])
    assert params["query_targeting_types"]["schema"]["maxItems"] == 15
    assert S("TargetingTypeFilter")["properties"]["targeting_types"]["maxItems"] == 5
    assert params["query_keywords"]["schema"]["maxItems"] == 2000
    assert params["query_trending_keyword_limit"]["schema"]["maximum"] == 50


def test_enums_match_the_spec(spec):
    S = lambda name: _schema(spec, name)  # noqa: E731
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
    ad_response = S("AdResponse")["allOf"][2]["properties"]
    assert enums.REVIEW_STATUSES == tuple(ad_response["review_status"]["enum"])
    learning = S("AdGroupResponse")["allOf"][1]["properties"]["conversion_learning_mode_type"]["enum"]
    assert enums.LEARNING_MODE_TYPES + (None,) == tuple(learning)
    goal = S("OptimizationGoalMetadata")["properties"]
    conv = goal["conversion_tag_v3_goal_metadata"]["properties"]
    assert enums.CONVERSION_EVENTS == tuple(conv["conversion_event"]["enum"])
    assert enums.FREQUENCY_TIMERANGES == tuple(goal["frequency_goal_metadata"]["properties"]["timerange"]["enum"])
    assert sorted(enums.TRACKING_URL_EVENTS) == sorted(S("TrackingUrls")["properties"])  # 5.23.0 reordered them
    targeting = S("TargetingSpec")["properties"]
    spec_keys = tuple(k.rstrip("'") for k in targeting)  # "AUDIENCE_INCLUDE'" typo, digest §17 #1
    assert sorted(enums.TARGETING_SPEC_KEYS) == sorted(spec_keys)
    items = lambda key: _deref(spec, targeting[key]["items"])["enum"]  # noqa: E731  (5.23.0 uses $refs)
    assert enums.AGE_BUCKETS == tuple(items("AGE_BUCKET"))
    assert enums.GENDERS == tuple(items("GENDER"))
    assert enums.APPTYPES == tuple(items("APPTYPE"))
    for key in ("MINIMUM_AGE", "MAXIMUM_AGE"):  # 5.23.0: strings of digits ("65+" only as maximum)
        assert targeting[key]["type"] == "string"
    assert enums.TARGETING_STRATEGIES == tuple(targeting["TARGETING_STRATEGY"]["items"]["enum"])
    params = spec["components"]["parameters"]
    assert enums.ORDERS == tuple(params["query_order"]["schema"]["enum"])
    assert list(enums.DEFAULT_LIST_STATUSES) == params["query_entity_statuses"]["schema"]["default"]
    assert params["query_page_size"]["schema"]["maximum"] == 250
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


@pytest.mark.spec_violations_expected  # its conversions calls send bodies that break the spec on purpose
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
        {"ad_account_id": acct, "name": "Fidelity – Video", "objective_type": "VIDEO_COMPLETION"},
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

    _analytics_and_research(s, validated, base, campaigns, groups, ads)
    _bulk(s, base, acct, cbo, video, groups)
    _leads(s, base)
    _product_groups(s, base)
    _audiences(s, base)
    _coverage_ops(s, base)
    _conversions(s, validated, base, acct)

    auth = (validated.app_id, validated.app_secret)
    grant = requests.post(validated.base_url + "/oauth/token", auth=auth, data={
        "grant_type": "refresh_token", "refresh_token": validated.refresh_token, "refresh_on": "true"}).json()
    assert grant["response_type"] == "everlasting_refresh"
    page = requests.get(validated.url + "/oauth/", allow_redirects=False, params={
        "client_id": validated.app_id, "redirect_uri": "http://localhost/", "response_type": "code", "scope": "ads:read"})
    issued = page.headers["Location"].split("code=")[1]
    code = requests.post(validated.base_url + "/oauth/token", auth=auth, data={
        "grant_type": "authorization_code", "code": issued, "redirect_uri": "http://localhost/"})
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
    violations = validated.control.spec_violations()
    assert [v for v in violations if v["status"] is not None] == []  # every answer within the spec
    # the requests that break it on purpose (an unknown event field, no events, test=maybe) are seen
    assert [(v["operation_id"], v["status"]) for v in violations] == [("events/create", None)] * 4
    assert validated.control.coverage()["spec"]


def _bulk(s: _Session, base: str, acct: str, cbo: dict, video: dict, groups: list[dict]) -> None:
    """Bulk upsert, download and the status poll, answered 200, 400 and 404, under validation."""
    ok, bad = 200, 400
    group = next(g for g in groups if g["status"] == "ACTIVE")
    upsert = {
        "create": {
            "campaigns": [{"ad_account_id": acct, "name": "Fidelity – Bulk", "objective_type": "VIDEO_COMPLETION"}],
            "ad_groups": [{"campaign_id": video["id"], "name": "Fidelity – Bulk group", "billable_event": "VIDEO_V_50_MRC",
                           "bid_in_micro_currency": 60_000, "budget_in_micro_currency": 20_000_000}],
            "keywords": [{"parent_id": "AG" + group["id"], "keywords": [{"value": "bulk sofa", "match_type": "PHRASE"}]}],
            "product_groups": [{"ad_group_id": group["id"], "product_group_promotion": [{"creative_type": "REGULAR"}]}],
        },
        "update": {"campaigns": [{"id": cbo["id"], "ad_account_id": acct, "daily_spend_cap": 60_000_000}],
                   "ad_groups": [{"id": group["id"], "name": "Fidelity – renamed in bulk"}],
                   "ads": [{"id": "687195000001", "status": "PAUSED"}]},
    }
    job = s.call("bulk_upsert/create", "POST", f"{base}/bulk/upsert", ok, json=upsert)
    s.call("bulk_upsert/create", "POST", f"{base}/bulk/upsert", bad, json={"create": {"ad_groups": "all"}})
    s.call("bulk_upsert/create", "POST", f"{base}/bulk/upsert", bad, json={"update": {"ads": [{"id": "1"}] * 1001}})
    path = f"{base}/bulk/{job['request_id']}"
    assert s.call("bulk_request/get", "GET", path, ok, params={"include_details": "true"})["status"] == "RUNNING"
    done = s.call("bulk_request/get", "GET", path, ok, params={"include_details": "true"})
    assert done["status"] == "SUCCEEDED" and len(done["details"]) == 7
    assert requests.get(done["result_url"], timeout=30).json() == done["details"]
    s.call("bulk_request/get", "GET", f"{base}/bulk/nope", 404)
    s.call("bulk_request/get", "GET", path, bad, params={"include_details": "maybe"})
    for output_format in ("JSON", "CSV"):
        download = s.call("bulk_download/create", "POST", f"{base}/bulk/download", ok, json={
            "entity_types": ["CAMPAIGN", "AD_GROUP", "AD", "KEYWORD", "PRODUCT_GROUP"], "entity_ids": [cbo["id"]],
            "updated_since": "1700000000", "output_format": output_format,
            "campaign_filter": {"start_time": "1700000000", "end_time": "1956528000", "name": "Fidelity",
                                "campaign_status": ["RUNNING"], "objective_type": ["AWARENESS"]}})
        for _ in range(2):
            status = s.call("bulk_request/get", "GET", f"{base}/bulk/{download['request_id']}", ok)
        assert status["status"] == "SUCCEEDED" and requests.get(status["result_url"], timeout=30).status_code == 200
    s.call("bulk_download/create", "POST", f"{base}/bulk/download", bad, json={"entity_types": []})
    s.call("bulk_download/create", "POST", f"{base}/bulk/download", bad, json={"output_format": "XML"})


def _product_groups(s: _Session, base: str) -> None:
    """Product group promotions and their analytics, answered 200 (with a failed item), 400 and 404."""
    ok, bad = 200, 400
    path = f"{base}/product_group_promotions"
    promos = s.call("product_group_promotions/list", "GET", path, ok,
                    params={"entity_statuses": ["ACTIVE", "PAUSED"], "order": "DESCENDING", "page_size": 5})["items"]
    s.call("product_group_promotions/list", "GET", path, bad, params={"entity_statuses": "LIVE"})
    s.call("product_group_promotions/get", "GET", f"{path}/{promos[0]['id']}", ok)
    s.call("product_group_promotions/get", "GET", f"{path}/1", 404)
    group = promos[0]["ad_group_id"]
    s.call("product_group_promotions/create", "POST", path, ok, json={"ad_group_id": group, "product_group_promotion": [
        {"catalog_product_group_id": "4242", "bid_in_micro_currency": 800_000}, {"catalog_product_group_id": "4242"}]})
    s.call("product_group_promotions/create", "POST", path, bad, json={"ad_group_id": group})
    s.call("product_group_promotions/update", "PATCH", path, ok, json={"ad_group_id": group, "product_group_promotion": [
        {"id": promos[0]["id"], "status": "PAUSED", "bid_in_micro_currency": None}, {"id": "1"}]})
    from datetime import date, timedelta

    day = date(1970, 1, 1) + timedelta(days=s.server.control.health()["now"] // 86_400 - 1)
    params = {"start_date": str(day), "end_date": str(day), "columns": "SPEND_IN_DOLLAR,CTR", "granularity": "HOUR"}
    s.call("product_groups/analytics", "GET", f"{base}/product_groups/analytics", ok,
           params={**params, "product_group_ids": [p["id"] for p in promos]})
    s.call("product_groups/analytics", "GET", f"{base}/product_groups/analytics", bad, params=params)


def _leads(s: _Session, base: str) -> None:
    """Lead forms, question types, subscriptions and a test lead, answered 200/204, 400 and 404."""
    ok, bad = 200, 400
    forms = s.call("lead_forms/list", "GET", f"{base}/lead_forms", ok, params={"page_size": 1, "order": "DESCENDING"})
    s.call("lead_forms/list", "GET", f"{base}/lead_forms", bad, params={"order": "UP"})
    form = s.call("lead_form/get", "GET", f"{base}/lead_forms/{forms['items'][0]['id']}", ok)
    s.call("lead_form/get", "GET", f"{base}/lead_forms/1", 404)
    s.call("lead_form_questions/get", "GET", "/resources/lead_form_questions", ok)
    subs = f"{base}/leads/subscriptions"
    sub = s.call("ad_accounts_subscriptions/post", "POST", subs, ok,
                 json={"webhook_url": "http://127.0.0.1:9/hook", "lead_form_id": form["id"]})
    s.call("ad_accounts_subscriptions/post", "POST", subs, bad,
           json={"webhook_url": "http://127.0.0.1:9/hook", "lead_form_id": form["id"]})
    s.call("ad_accounts_subscriptions/get_list", "GET", subs, ok, params={"page_size": 1})
    s.call("ad_accounts_subscriptions/get_by_id", "GET", f"{subs}/{sub['id']}", ok)
    s.call("ad_accounts_subscriptions/get_by_id", "GET", f"{subs}/1", 404)
    s.server.control.set_delivery_behaviour(max_attempts=1, backoff_seconds=0, timeout_seconds=0.5)
    answers = [q["custom_question_options"][0] if q["custom_question_options"] else "x@example.com"
               for q in form["questions"]]
    test = f"{base}/lead_forms/{form['id']}/test"
    assert s.call("lead_form_test/create", "POST", test, ok, json={"answers": answers}) == {"subscription_id": sub["id"]}
    s.call("lead_form_test/create", "POST", test, bad, json={"answers": []})
    s.call("lead_form_test/create", "POST", f"{base}/lead_forms/1/test", 404, json={"answers": answers})
    s.server.control.wait_for_deliveries()
    gone = s.http.delete(s.server.base_url + f"{subs}/{sub['id']}", timeout=30)
    assert gone.status_code == 204 and gone.content == b""
    s.statuses.setdefault("ad_accounts_subscriptions/del_by_id", set()).add(204)
    s.call("ad_accounts_subscriptions/del_by_id", "DELETE", f"{subs}/{sub['id']}", 404)


def _audiences(s: _Session, base: str) -> None:
    """Audiences (list, get, create, update, remove) and customer lists, answered 200, 400 and 404."""
    ok, bad = 200, 400
    audiences = s.call("audiences/list", "GET", f"{base}/audiences", ok, params={"page_size": 2, "order": "DESCENDING"})
    s.call("audiences/list", "GET", f"{base}/audiences", ok, params={"ownership_type": "RECEIVED"})
    s.call("audiences/list", "GET", f"{base}/audiences", bad, params={"page_size": 251})
    s.call("audiences/get", "GET", f"{base}/audiences/{audiences['items'][0]['id']}", ok)
    s.call("audiences/get", "GET", f"{base}/audiences/1", 404)
    lists = s.call("customer_lists/list", "GET", f"{base}/customer_lists", ok, params={"page_size": 1})
    s.call("customer_lists/list", "GET", f"{base}/customer_lists", bad, params={"order": "UP"})
    s.call("customer_lists/get", "GET", f"{base}/customer_lists/{lists['items'][0]['id']}", ok)
    s.call("customer_lists/get", "GET", f"{base}/customer_lists/1", 404)
    made = s.call("audiences/create", "POST", f"{base}/audiences", ok, json={
        "name": "Fidelity – VIP", "audience_type": "CUSTOMER_LIST", "description": "From the VIP list",
        "rule": {"customer_list_id": lists["items"][0]["id"]}})
    s.call("audiences/create", "POST", f"{base}/audiences", bad, json={"name": "x", "audience_type": "ACTALIKE",
                                                                       "rule": {"seed_id": [made["id"]], "percentage": 30}})
    url = f"{base}/audiences/{made['id']}"
    s.call("audiences/update", "PATCH", url, ok, json={"name": "Fidelity – VIP 2", "operation_type": "UPDATE"})
    s.call("audiences/update", "PATCH", url, bad, json={"operation_type": "ARCHIVE"})
    s.call("audiences/update", "PATCH", url, ok, json={"operation_type": "REMOVE"})
    s.call("audiences/update", "PATCH", url, 404, json={"name": "gone"})


def _conversions(s: _Session, validated, base: str, acct: str) -> None:
    """Conversion events answered 200 (with failed events), 422, 400, 401 and 429, under validation."""
    import hashlib

    now = validated.control.health()["now"]
    email = hashlib.sha256(b"jo@example.com").hexdigest()
    good = {"event_name": "checkout", "action_source": "web", "event_time": now - 60, "event_id": "fidelity-1",
            "user_data": {"em": [email], "client_ip_address": "216.3.128.12", "client_user_agent": "Mozilla/5.0"},
            "custom_data": {"currency": "USD", "value": "72.39", "content_ids": ["sku-1"], "num_items": 1,
                            "contents": [{"id": "sku-1", "item_price": "72.39", "quantity": 1}]},
            "event_source_url": "https://www.juniperandsage.com/checkout", "opt_out": False, "language": "en"}
    odd = {**good, "event_id": "fidelity-2", "custom_event_name": "wishlist"}
    path = f"{base}/events"
    answer = s.call("events/create", "POST", path, 200, json={"data": [good, odd, good]})
    assert [e["status"] for e in answer["events"]] == ["processed", "failed", "processed"]
    s.call("events/create", "POST", path, 200, params={"test": "true"}, json={"data": [good]})
    assert s.call("events/create", "POST", path, 422, json={"data": [odd]})["details"]["num_events_processed"] == 0
    s.call("events/create", "POST", path, 400, json={"data": []})
    s.call("events/create", "POST", path, 400, params={"test": "maybe"}, json={"data": [good]})
    s.call("events/create", "POST", "/ad_accounts/123456789012/events", 404, json={"data": [good]})
    token = validated.control.conversion_token(acct)
    s.call("events/create", "POST", path, 200, json={"data": [good]}, headers={"Authorization": f"Bearer {token}"})
    s.call("campaigns/create", "POST", f"{base}/campaigns", 401, headers={"Authorization": f"Bearer {token}"})
    validated.control.set_rate_limit("ads_conversions", per_minute=1, burst=1)
    s.call("events/create", "POST", path, 200, json={"data": [good]})
    s.call("events/create", "POST", path, 429, json={"data": [good]})
    validated.control.set_rate_limit("ads_conversions", per_minute=5000)
    issued = s.call("oauth/conversion_token", "POST", "/oauth/conversion_token", 200)["access_token"]
    s.call("events/create", "POST", path, 200, json={"data": [good]}, headers={"Authorization": f"Bearer {issued}"})
    eqs = f"{base}/conversion_eqs"
    assert s.call("conversion_eqs/list", "GET", eqs, 200, params={"lookback_period": "14d"})[0]["quality_components"]
    validated.control.set_event_quality_behaviour(coverage_scale="fraction")
    s.call("conversion_eqs/list", "GET", eqs, 200, params={"lookback_period": "1d", "source_platform": "WEB"})
    s.call("conversion_eqs/list", "GET", eqs, 400, params={"lookback_period": "7d"})
    s.call("conversion_eqs/list", "GET", eqs, 400)


def _analytics_and_research(s: _Session, validated, base: str, campaigns, groups, ads) -> None:
    """Every analytics, report and research operation, answered 200 and 400, under validation."""
    from datetime import date, timedelta

    ok, bad = 200, 400
    today = date(1970, 1, 1) + timedelta(days=validated.control.health()["now"] // 86_400)
    window = {"start_date": str(today - timedelta(days=6)), "end_date": str(today), "granularity": "DAY",
              "columns": "SPEND_IN_DOLLAR,TOTAL_CLICKTHROUGH,CTR,CHECKOUT_ROAS,TOTAL_IMPRESSION_USER,CAMPAIGN_NAME"}
    hours = {**window, "granularity": "HOUR", "start_date": str(today - timedelta(days=1))}
    ids = {"campaign_ids": ",".join(c["id"] for c in campaigns[:4]), "ad_group_ids": [g["id"] for g in groups[:4]],
           "ad_ids": ",".join(a["id"] for a in ads[:4])}
    for op, suffix, id_param in (("ad_account/analytics", "/analytics", None),
                                 ("campaigns/analytics", "/campaigns/analytics", "campaign_ids"),
                                 ("ad_groups/analytics", "/ad_groups/analytics", "ad_group_ids"),
                                 ("ads/analytics", "/ads/analytics", "ad_ids")):
        id_args = {id_param: ids[id_param]} if id_param else {}
        for granularity in ("DAY", "WEEK", "MONTH", "TOTAL"):
            s.call(op, "GET", base + suffix, ok, params={**window, **id_args, "granularity": granularity})
        s.call(op, "GET", base + suffix, ok,
               params={**hours, **id_args, "conversion_report_time": "TIME_OF_CONVERSION"})
        s.call(op, "GET", base + suffix, bad, params={**window, **id_args, "granularity": "WEEKLY"})
        s.call(op, "GET", base + suffix, bad,
               params={**window, **id_args, "start_date": str(today - timedelta(days=95))})
    types = ("KEYWORD,GENDER,LOCATION,PLACEMENT,COUNTRY,TARGETED_INTEREST,PINNER_INTEREST,AUDIENCE_INCLUDE,GEO,"
             "AGE_BUCKET")
    for op, suffix, id_param in (
            ("ad_account_targeting_analytics/get", "/targeting_analytics", None),
            ("campaign_targeting_analytics/get", "/campaigns/targeting_analytics", "campaign_ids"),
            ("ad_groups_targeting_analytics/get", "/ad_groups/targeting_analytics", "ad_group_ids"),
            ("ad_targeting_analytics/get", "/ads/targeting_analytics", "ad_ids")):
        id_args = {id_param: ids[id_param]} if id_param else {}
        s.call(op, "GET", base + suffix, ok, params={**window, **id_args, "granularity": "TOTAL",
                                                      "targeting_types": types + ",REGION,APPTYPE",
                                                      "attribution_types": "INDIVIDUAL,HOUSEHOLD"})
        s.call(op, "GET", base + suffix, ok, params={**hours, **id_args, "targeting_types": "GENDER",
                                                      "attribution_types": "HOUSEHOLD"})
        s.call(op, "GET", base + suffix, bad, params={**window, **id_args, "targeting_types": "SHOE_SIZE"})

    report = {"start_date": str(today - timedelta(days=30)), "end_date": str(today), "granularity": "DAY",
              "level": "AD_GROUP_TARGETING", "targeting_types": ["GENDER", "KEYWORD"], "columns": [
                  "SPEND_IN_DOLLAR", "OUTBOUND_CTR", "TOTAL_WEB_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "AD_GROUP_NAME"],
              "campaign_ids": [campaigns[0]["id"]], "campaign_statuses": ["RUNNING", "PAUSED"],
              "attribution_types": ["INDIVIDUAL"], "click_window_days": 7, "report_format": "CSV",
              "metrics_filters": [{"field": "TOTAL_IMPRESSION", "operator": "GREATER_THAN", "values": [0]}]}
    created = s.call("analytics/create_report", "POST", base + "/reports", ok, json=report)
    s.call("analytics/create_report", "POST", base + "/reports", bad, json={**report, "level": "CAMPAIGN"})
    s.call("analytics/create_report", "POST", base + "/reports", bad, json={**report, "columns": ["NOPE"]})
    status = {}
    for _ in range(3):
        status = s.call("analytics/get_report", "GET", base + "/reports", ok, params={"token": created["token"]})
    assert status["report_status"] == "FINISHED" and requests.get(status["url"], timeout=30).status_code == 200
    s.call("analytics/get_report", "GET", base + "/reports", ok, params={"token": "nope"})
    s.call("analytics/get_report", "GET", base + "/reports", bad)
    s.call("metrics_ready_state/get", "GET", "/resources/metrics_ready_state", ok, params={"date": str(today)})
    s.call("metrics_ready_state/get", "GET", "/resources/metrics_ready_state", bad, params={"date": "today"})

    s.call("country_keywords_metrics/get", "GET", base + "/keywords/metrics", ok,
           params={"country_code": "US", "keywords": "velvet sofa,jute rug"})
    s.call("country_keywords_metrics/get", "GET", base + "/keywords/metrics", bad, params={"country_code": "US"})
    for region in ("US", "DE+AT+CH", "GB%2BIE"):
        s.call("trending_keywords/list", "GET", f"/trends/keywords/{region}/top/seasonal", ok,
               params={"interests": "home_decor,travel", "genders": ["female"], "ages": "25-34,35-44", "limit": 5,
                       "normalize_against_group": "true"})
    s.call("trending_keywords/list", "GET", "/trends/keywords/US/top/growing", ok)
    s.call("trending_keywords/list", "GET", "/trends/keywords/XX/top/growing", bad)
    s.call("trending_keywords/list", "GET", "/trends/keywords/US/top/growing", bad, params={"limit": 51})
    for kind in ("YOUR_TOTAL_AUDIENCE", "YOUR_ENGAGED_AUDIENCE", "PINTEREST_TOTAL_AUDIENCE"):
        s.call("audience_insights/get", "GET", base + "/audience_insights", ok, params={"audience_insight_type": kind})
    s.call("audience_insights/get", "GET", base + "/audience_insights", bad)
    s.call("audience_insights_scope_and_type/get", "GET", base + "/insights/audiences", ok)
    s.call("audience_insights_scope_and_type/get", "GET", "/ad_accounts/123456789012/insights/audiences", 404)
    for ttype in ("APPTYPE", "GENDER", "LOCALE", "AGE_BUCKET", "LOCATION", "GEO", "INTEREST", "KEYWORD",
                  "AUDIENCE_INCLUDE", "AUDIENCE_EXCLUDE"):
        s.call("targeting_options/get", "GET", f"/resources/targeting/{ttype}", ok)
    s.call("targeting_options/get", "GET", "/resources/targeting/SHOE_SIZE", bad)
    s.call("ad_groups_bid_floor/get", "POST", base + "/bid_floor", ok, json={
        "bid_floor_specs": [{"billable_event": "CLICKTHROUGH", "currency": "USD", "countries": ["US", "CA"],
                             "objective_type": "CONSIDERATION", "creative_type": "REGULAR"},
                            {"billable_event": "IMPRESSION", "currency": "JPY"}],
        "targeting_spec": {"GENDER": ["female"], "LOCATION": ["US"]}})
    s.call("ad_groups_bid_floor/get", "POST", base + "/bid_floor", bad, json={"bid_floor_specs": [{"currency": "USD"}]})
    assert validated.control.spec_violations() == []


def test_spec_validation_rejects_bad_requests_in_pinterest_shape(validated):
    headers = {"Authorization": f"Bearer {validated.access_token}"}
    acct = requests.get(validated.base_url + "/ad_accounts", headers=headers).json()["items"][0]["id"]
    r = requests.post(f"{validated.base_url}/ad_accounts/{acct}/ad_groups", headers=headers,
                      json=[{"campaign_id": "1", "name": "x", "billable_event": "CLICK"}])
    assert r.status_code == 400
    assert r.json()["code"] == 400 and r.json()["message"].startswith("Invalid ad account group parameters.")
    assert "CLICK" in r.json()["message"]


@pytest.mark.spec_violations_expected  # provoked on purpose
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


def _coverage_ops(s: _Session, base: str) -> None:
    """Conversion tags, audience sizing, terms, delivery metrics, countries, interests."""
    tags = s.call("conversion_tags/list", "GET", f"{base}/conversion_tags", 200, params={"filter_deleted": "true"})
    s.call("conversion_tags/get", "GET", f"{base}/conversion_tags/{tags['items'][0]['id']}", 200)
    s.call("conversion_tags/get", "GET", f"{base}/conversion_tags/1", 404)
    s.call("conversion_tags/create", "POST", f"{base}/conversion_tags", 200, json={"name": "Fidelity tag"})
    s.call("conversion_tags/create", "POST", f"{base}/conversion_tags", 400, json={"aem_enabled": True})
    s.call("ad_groups/audience_sizing", "POST", f"{base}/ad_groups/audience_sizing", 200,
           json={"targeting_spec": {"LOCATION": ["US"], "GENDER": ["female"]}, "placement_group": "SEARCH"})
    s.call("ad_groups/audience_sizing", "POST", f"{base}/ad_groups/audience_sizing", 400,
           json={"targeting_spec": {"GENDER": ["robot"]}})
    s.call("terms_related/list", "GET", "/terms/related", 200, params={"terms": "sofa,rug"})
    s.call("terms_suggested/list", "GET", "/terms/suggested", 200, params={"term": "sofa", "limit": 10})
    s.call("terms_suggested/list", "GET", "/terms/suggested", 400, params={"term": "sofa", "limit": 0})
    s.call("delivery_metrics/get", "GET", "/resources/delivery_metrics", 200, params={"report_type": "ASYNC"})
    s.call("ad_account_countries/get", "GET", "/resources/ad_account_countries", 200)
    s.call("interest_targeting_options/get", "GET", "/resources/targeting/interests/935249274030", 200)
