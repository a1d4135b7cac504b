"""pintools (client and emulator) behaves as Pinterest API 5.23.0 does, the version it targets.

Each test names the 5.23.0 text it rests on; the spec file itself stays in ../shared/reference.
Requests the spec refuses go to an emulator without spec validation (the refusal is the point).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import warnings
from pathlib import Path

import pytest
import requests

import pintools as pt
from pintools.emulator import enums, start
from pintools.emulator.models.common import MAX_FILTER_IDS
from pintools.emulator.spec import SpecValidator, patch_spec

pytestmark = pytest.mark.spec

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"
SPEC_5_12 = REFERENCE / "pinterest-openapi-v5.12.0.json"


@pytest.fixture(scope="module")
def spec(openapi_spec) -> dict:
    assert openapi_spec["info"]["version"] == "5.23.0"
    return openapi_spec


@pytest.fixture(scope="module")
def plain():
    """An emulator without spec validation, for requests 5.23.0 refuses."""
    server = start(seed=42, spec_path=False)
    yield server
    server.stop()


def _get(server, path, **params):
    return requests.get(server.base_url + path, params=params, timeout=30,
                        headers={"Authorization": f"Bearer {server.access_token}"})


def _send(server, method, path, body):
    return requests.request(method, server.base_url + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {server.access_token}"})


def _account(server) -> str:
    return _get(server, "/ad_accounts").json()["items"][0]["id"]


def _yesterday(server) -> str:
    return (pt.connect(emulator=server, quiet=True).today() - dt.timedelta(days=1)).isoformat()


# ---- 12. validation runs against 5.23.0 by default; 5.12.0 still loads ----------------------------
def test_the_suite_validates_against_5_23_and_5_12_still_loads(spec):
    assert os.environ["PINTOOLS_OPENAPI_SPEC"].endswith("pinterest-openapi-v5.23.0.json")
    if not SPEC_5_12.is_file():
        pytest.skip("5.12.0 spec not present")
    old = json.loads(SPEC_5_12.read_text())
    for document in (spec, old):
        patched = patch_spec(document)
        assert patched["servers"][0]["url"] == "/v5"
        keyword = patched["components"]["schemas"]["Keyword"]
        parts = [keyword, *keyword.get("allOf", [])]
        assert any(p.get("properties", {}).get("archived", {}).get("nullable") for p in parts)
    assert SpecValidator.from_file(str(SPEC_5_12)) is not None


def test_emulator_tables_follow_5_23(spec):
    S, P = spec["components"]["schemas"], spec["components"]["parameters"]
    assert enums.OBJECTIVE_TYPES == tuple(S["ObjectiveType"]["enum"])
    assert enums.CUSTOMIZABLE_CTA_TYPES + (None,) == tuple(S["CustomizableCTAType"]["enum"])
    assert enums.REPORTING_TIMEZONES == tuple(sorted(S["ReportingTimeZone"]["enum"], reverse=True))
    assert MAX_FILTER_IDS == P["query_campaign_ids"]["schema"]["maxItems"] == P["query_ad_ids"]["schema"]["maxItems"]


# ---- 1. 250 ids per call ----------------------------------------------------------------------
def test_emulator_takes_250_ids_and_refuses_251_in_pinterest_shape(plain):
    account = _account(plain)
    base = dict(start_date=_yesterday(plain), end_date=_yesterday(plain), columns="SPEND_IN_DOLLAR", granularity="DAY")
    ids = [str(10**11 + i) for i in range(251)]
    assert _get(plain, f"/ad_accounts/{account}/campaigns/analytics", campaign_ids=ids[:250], **base).status_code == 200
    refused = _get(plain, f"/ad_accounts/{account}/campaigns/analytics", campaign_ids=ids, **base)
    assert refused.status_code == 400
    assert refused.json() == {"code": 400, "message": refused.json()["message"]}
    assert refused.json()["message"].startswith("Invalid ad account campaign analytics parameters.")
    assert "at most 250" in refused.json()["message"]


def test_read_analytics_sends_250_ids_a_call():
    server = start(seed=42, scale=6)  # 288 ads in the first account
    try:
        client = pt.connect(emulator=server, quiet=True)
        account = _account(server)
        server.control.clear_requests()
        day = _yesterday(server)
        frame = pt.read_analytics(account, day, day, level="ad", client=client, progress=False)
        sent = [len(r["query"]["ad_ids"][0].split(",")) if len(r["query"]["ad_ids"]) == 1 else len(r["query"]["ad_ids"])
                for r in server.control.requests("ads/analytics")]
        assert sorted(sent) == [38, 250] and frame.attrs["calls"] == 2
        assert server.control.spec_violations() == []
    finally:
        server.stop()


# ---- 2. VIDEO_COMPLETION replaces VIDEO_VIEW and WEB_SESSIONS ---------------------------------------
def test_video_completion_campaigns_are_created_and_video_view_is_refused(plain, emulator):
    account = _account(emulator)
    made = _send(emulator, "POST", f"/ad_accounts/{account}/campaigns",
                 [{"ad_account_id": account, "name": "5.23 video", "objective_type": "VIDEO_COMPLETION"}]).json()
    campaign = made["items"][0]["data"]
    assert campaign["objective_type"] == "VIDEO_COMPLETION"
    # 5.23.0 requires a bid only for AWARENESS/IMPRESSION, CONSIDERATION/CLICKTHROUGH, CATALOG_SALES/CLICKTHROUGH
    group = _send(emulator, "POST", f"/ad_accounts/{account}/ad_groups", [
        {"campaign_id": campaign["id"], "name": "no bid", "billable_event": "VIDEO_V_50_MRC",
         "budget_in_micro_currency": 20_000_000}]).json()
    assert group["items"][0]["data"]["bid_in_micro_currency"] is None
    plain_account = _account(plain)
    for removed in ("VIDEO_VIEW", "WEB_SESSIONS"):
        item = _send(plain, "POST", f"/ad_accounts/{plain_account}/campaigns",
                     [{"ad_account_id": plain_account, "name": "old", "objective_type": removed}]).json()["items"][0]
        assert item["data"] is None and "objective_type" in item["exceptions"][0]["message"]


def test_demo_data_uses_only_5_23_objectives(client):
    account = next(iter(client.ad_accounts.list()))["id"]
    objectives = set(pt.read_campaigns(account, statuses="all", client=client)["objective_type"])
    assert "VIDEO_COMPLETION" in objectives and objectives <= set(enums.OBJECTIVE_TYPES)


def test_a_plan_creating_a_video_view_campaign_says_what_to_use():
    from pintools.plans.checks import objective_problem

    assert objective_problem("VIDEO_VIEW").endswith("use VIDEO_COMPLETION")
    assert "choose one of" in objective_problem("WEB_SESSIONS") and "VIDEO_COMPLETION" in objective_problem("X")


# ---- 3. VISIT_SITE ------------------------------------------------------------------------------
def test_cta_visit_site_is_accepted_and_visit_website_refused(plain, emulator):
    account = _account(emulator)
    ad = _get(emulator, f"/ad_accounts/{account}/ads", page_size=1).json()["items"][0]
    done = _send(emulator, "PATCH", f"/ad_accounts/{account}/ads",
                 [{"id": ad["id"], "customizable_cta_type": "VISIT_SITE"}]).json()["items"][0]
    assert done["data"]["customizable_cta_type"] == "VISIT_SITE"
    plain_account = _account(plain)
    plain_ad = _get(plain, f"/ad_accounts/{plain_account}/ads", page_size=1).json()["items"][0]
    old = _send(plain, "PATCH", f"/ad_accounts/{plain_account}/ads",
                [{"id": plain_ad["id"], "customizable_cta_type": "VISIT_WEBSITE"}]).json()["items"][0]
    assert old["data"] is None and "customizable_cta_type" in old["exceptions"]["message"]  # one object for ads


# ---- 4. keyword bids are ignored and null ---------------------------------------------------------
def test_keyword_bids_are_ignored_and_the_frame_reads_null(client, emulator):
    account = next(iter(client.ad_accounts.list()))["id"]
    group = _get(emulator, f"/ad_accounts/{account}/ad_groups", page_size=1).json()["items"][0]
    made = _send(emulator, "POST", f"/ad_accounts/{account}/keywords", {
        "parent_id": group["id"], "keywords": [{"value": "bid ignored 523", "match_type": "EXACT", "bid": 300_000}]}).json()
    assert made["keywords"][0]["bid"] is None and made["errors"] == []
    frame = pt.read_keywords(account, ad_group_ids=[group["id"]], client=client)
    assert str(frame["bid_in_micro_currency"].dtype) == "Int64" and frame["bid_in_micro_currency"].isna().all()


# ---- 5. keyword metrics: no CPC ---------------------------------------------------------------------
def test_keyword_metrics_have_no_cpc(spec, client):
    assert set(spec["components"]["schemas"]["KeywordMetrics"]["properties"]) == {"keyword_query_volume"}
    account = next(iter(client.ad_accounts.list()))["id"]
    frame = pt.read_keyword_metrics(account, ["velvet sofa"], client=client)
    assert "avg_cpc_in_micro_currency" not in frame.columns and frame["keyword_query_volume"].notna().all()


# ---- 6. audience sizing is POST in 5.23 -------------------------------------------------------------
def test_audience_sizing_is_a_post_in_5_23(spec):
    path = spec["paths"]["/ad_accounts/{ad_account_id}/ad_groups/audience_sizing"]
    assert set(path) - {"parameters"} == {"post"}
    from pintools.emulator.route_table import ROUTES

    assert not [r for r in ROUTES if r.path.endswith("/audience_sizing") and r.method != "POST"]


# ---- 7. HOUR: no conversion metrics -----------------------------------------------------------------
def test_hourly_rows_carry_no_conversion_columns(emulator):
    account = _account(emulator)
    day = _yesterday(emulator)
    params = dict(start_date=day, end_date=day, columns="SPEND_IN_DOLLAR,TOTAL_CHECKOUT,TOTAL_CLICKTHROUGH")
    hourly = _get(emulator, f"/ad_accounts/{account}/analytics", granularity="HOUR", **params).json()
    daily = _get(emulator, f"/ad_accounts/{account}/analytics", granularity="DAY", **params).json()
    assert hourly and all("TOTAL_CHECKOUT" not in row and "SPEND_IN_DOLLAR" in row for row in hourly)
    assert "TOTAL_CHECKOUT" in daily[0]


def test_read_analytics_refuses_conversion_columns_by_the_hour_before_any_call(client, emulator):
    account = next(iter(client.ad_accounts.list()))["id"]
    emulator.control.clear_requests()
    with pytest.raises(ValueError, match=r"HOUR.*drop TOTAL_CHECKOUT.*granularity='DAY'"):
        pt.read_analytics(account, "yesterday", level="campaign", granularity="HOUR",
                          columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CHECKOUT"], client=client, progress=False)
    assert emulator.control.requests("campaigns/analytics") == []
    frame = pt.read_analytics(account, "yesterday", level="ad_account", granularity="HOUR",
                              columns=["SPEND_IN_MICRO_DOLLAR", "CTR"], client=client, progress=False)
    assert len(frame) > 0


# ---- 8. engagement_window_days returns no new data ------------------------------------------------------
def test_engagement_window_warns_and_the_others_do_not(spec):
    text = spec["components"]["parameters"]["query_conversion_attribution_engagement_window_days"]["description"]
    assert "no longer returns new data" in text and "Sept 30, 2027" in text
    with pytest.warns(UserWarning, match="engagement_window_days no longer returns new data"):
        pt.Attribution(engagement_window_days=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pt.Attribution(click_window_days=7, view_window_days=1)


# ---- 10. attribution windows: each an enum value, no combination rule in 5.23 --------------------------
def test_attribution_windows_are_checked_one_by_one(spec, plain):
    params = spec["components"]["parameters"]
    for name in ("click", "engagement", "view"):
        schema = params[f"query_conversion_attribution_{name}_window_days"]["schema"]
        assert schema["enum"] == [0, 1, 7, 14, 30, 60]
    with pytest.raises(ValueError, match="click_window_days must be one of"):
        pt.Attribution(click_window_days=3)
    account = _account(plain)
    day = _yesterday(plain)
    ok = _get(plain, f"/ad_accounts/{account}/analytics", start_date=day, end_date=day, columns="TOTAL_CHECKOUT",
              granularity="DAY", click_window_days=1, view_window_days=60)
    assert ok.status_code == 200  # no combination rule: a view window longer than the click window is fine
    bad = _get(plain, f"/ad_accounts/{account}/analytics", start_date=day, end_date=day, columns="TOTAL_CHECKOUT",
               granularity="DAY", click_window_days=3)
    assert bad.status_code == 400 and "click_window_days" in bad.json()["message"]


# ---- 11. reporting_timezone --------------------------------------------------------------------------
def test_reporting_timezone_is_passed_through_and_checked(spec, client, emulator, plain):
    assert "reporting_timezone" in spec["components"]["schemas"]["AdsAnalyticsCreateAsyncRequest"]["allOf"][2][
        "properties"]
    assert "reporting_timezone" not in spec["components"]["schemas"]["AdAccount"]["properties"]
    account = next(iter(client.ad_accounts.list()))["id"]
    emulator.control.clear_requests()
    frame = pt.read_analytics(account, "yesterday", level="ad_account", reporting_timezone="ad_account_time_zone",
                              client=client, progress=False)
    sent = emulator.control.requests("ad_account/analytics")
    assert [r["query"]["reporting_timezone"] for r in sent] == [["AD_ACCOUNT_TIME_ZONE"]]
    assert frame.attrs["query"]["reporting_timezone"] == "AD_ACCOUNT_TIME_ZONE"
    with pytest.raises(ValueError, match="reporting_timezone must be one of"):
        pt.read_analytics(account, "yesterday", reporting_timezone="UTC", client=client, progress=False)
    day = _yesterday(plain)
    bad = _get(plain, f"/ad_accounts/{_account(plain)}/analytics", start_date=day, end_date=day,
               columns="SPEND_IN_DOLLAR", granularity="DAY", reporting_timezone="UTC")
    assert bad.status_code == 400 and "reporting_timezone" in bad.json()["message"]


def test_async_report_bodies_carry_reporting_timezone():
    from pintools.analytics.reports import report_body

    body = report_body(level="campaign", start_date="2026-01-01", end_date="2026-01-02", columns=["SPEND_IN_DOLLAR"],
                       granularity="DAY", reporting_timezone="PINTEREST_TIME_ZONE")
    assert body["reporting_timezone"] == "PINTEREST_TIME_ZONE"
    assert "reporting_timezone" not in report_body(level="campaign", start_date="2026-01-01", end_date="2026-01-02",
                                                   columns=["SPEND_IN_DOLLAR"], granularity="DAY")


def test_async_report_bodies_refuse_conversion_columns_by_the_hour():
    from pintools.analytics.reports import report_body

    args = dict(level="campaign", start_date="2026-01-01", end_date="2026-01-02")
    with pytest.raises(ValueError, match=r"HOUR.*drop TOTAL_CHECKOUT"):
        report_body(**args, columns=["SPEND_IN_DOLLAR", "TOTAL_CHECKOUT"], granularity="HOUR")
    assert report_body(**args, columns=["SPEND_IN_DOLLAR", "TOTAL_CHECKOUT"], granularity="DAY")["granularity"] == "DAY"
    assert report_body(**args, columns=["SPEND_IN_DOLLAR"], granularity="HOUR")["columns"] == ["SPEND_IN_DOLLAR"]


def test_the_emulator_checks_reporting_timezone_in_report_bodies():
    from pintools.emulator.errors import QueryError
    from pintools.emulator.models.report_request import parse_report_request

    body = {"level": "CAMPAIGN", "columns": ["SPEND_IN_DOLLAR"], "granularity": "DAY", "start_date": "2024-05-01",
            "end_date": "2024-05-02"}
    assert parse_report_request(dict(body, reporting_timezone="AD_ACCOUNT_TIME_ZONE"), dt.date(2024, 6, 1))
    with pytest.raises(QueryError, match="reporting_timezone must be one of"):
        parse_report_request(dict(body, reporting_timezone="UTC"), dt.date(2024, 6, 1))


def test_the_emulator_serves_both_hourly_conversion_shapes_and_the_client_refuses_under_both():
    server = start(seed=42)
    try:
        client = pt.connect(emulator=server, quiet=True)
        account, day = _account(server), _yesterday(server)
        params = dict(start_date=day, end_date=day, columns="SPEND_IN_DOLLAR,TOTAL_CHECKOUT", granularity="HOUR")
        assert server.control.set_analytics_behaviour(hour_conversions="zero")["hour_conversions"] == "zero"
        rows = _get(server, f"/ad_accounts/{account}/analytics", **params).json()
        assert rows and all(row["TOTAL_CHECKOUT"] == 0 for row in rows) and any(row["SPEND_IN_DOLLAR"] for row in rows)
        with pytest.raises(ValueError, match="HOUR"):
            pt.read_analytics(account, day, day, level="ad_account", granularity="HOUR", columns=["TOTAL_CHECKOUT"],
                              client=client, progress=False)
        with pytest.raises(Exception, match="hour_conversions must be one of"):
            server.control.set_analytics_behaviour(hour_conversions="null")
        assert server.control.spec_violations() == []
    finally:
        server.stop()


@pytest.mark.parametrize("level, path", [
    ("ad_account", "/ad_accounts/{ad_account_id}/targeting_analytics"),
    ("campaign", "/ad_accounts/{ad_account_id}/campaigns/targeting_analytics"),
    ("ad_group", "/ad_accounts/{ad_account_id}/ad_groups/targeting_analytics"),
    ("ad", "/ad_accounts/{ad_account_id}/ads/targeting_analytics"),
])
def test_the_client_takes_each_levels_targeting_breakdowns_as_5_23_lists_them(spec, level, path):
    from pintools.analytics.read import LEVEL_TARGETING_TYPES

    parameter = next(p for p in spec["paths"][path]["get"]["parameters"] if "targeting_types" in p.get("$ref", ""))
    schema = spec["components"]["parameters"][parameter["$ref"].split("/")[-1]]["schema"]["items"]["$ref"]
    assert set(LEVEL_TARGETING_TYPES[level]) == set(spec["components"]["schemas"][schema.split("/")[-1]]["enum"])
