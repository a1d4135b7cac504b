"""Research endpoints: keyword metrics, trending keywords, audience insights, targeting options,
bid floors and metrics_ready_state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import requests

from conftest import CLOCK, NO_LIMITS, SEED, Api
from pintools.emulator import start
from pintools.emulator.models.bid_floor import bid_floor
from pintools.emulator.models.keyword_metrics import VOLUME_BUCKETS

TODAY = date(2025, 3, 15)
TRENDS_MESSAGE = "Invalid trending keywords request parameters"


# ---- keyword metrics ---------------------------------------------------------------------
def test_keyword_metrics_one_row_per_keyword_stable_per_country(aapi, demo):
    path = demo["base"] + "/keywords/metrics"
    body = aapi.get(path, params={"country_code": "US", "keywords": "velvet sofa,jute rug,animals,velvet sofa"}).json()
    assert [d["keyword"] for d in body["data"]] == ["velvet sofa", "jute rug", "animals"]
    for item in body["data"]:
        assert item["metrics"]["keyword_query_volume"] in VOLUME_BUCKETS
        assert set(item["metrics"]) == {"keyword_query_volume"}  # 5.23.0's KeywordMetrics
    again = aapi.get(path, params={"country_code": "US", "keywords": ["animals", "jute rug"]}).json()
    assert {d["keyword"]: d for d in again["data"]}["animals"] == body["data"][2]
    germany = aapi.get(path, params={"country_code": "de", "keywords": "velvet sofa,jute rug,animals"}).json()
    assert germany != {"data": body["data"][:3]}


def test_keyword_metrics_limits(plain_aapi, aapi, demo):
    path = demo["base"] + "/keywords/metrics"
    many = ",".join(f"kw{i}" for i in range(2000))
    assert len(plain_aapi.get(path, params={"country_code": "GB", "keywords": many}).json()["data"]) == 2000
    for api in (plain_aapi, aapi):
        for params in ({"country_code": "GB", "keywords": many + ",one more"}, {"country_code": "GBR", "keywords": "x"},
                       {"country_code": "GB"}, {"keywords": "x"}):
            r = api.get(path, params=params)
            assert r.status_code == 400 and r.json()["code"] == 400, (params, r.text)
            assert r.json()["message"].startswith("Invalid ad account keyword metrics parameters.")


def test_keyword_metrics_are_the_same_on_another_server_with_the_seed(aapi, demo):
    other = start(seed=SEED, clock=CLOCK, rate_limits=NO_LIMITS, spec_path=False)
    try:
        params = {"country_code": "US", "keywords": "linen sheets,teak chairs"}
        path = demo["base"] + "/keywords/metrics"
        assert Api(other).get(path, params=params).json() == aapi.get(path, params=params).json()
    finally:
        other.stop()


# ---- trending keywords ----------------------------------------------------------------------
def _trends(api, region, trend_type="growing", **params):
    return api.session.get(f"{api.base}/trends/keywords/{region}/top/{trend_type}", params=params,
                           headers={"Authorization": f"Bearer {api.token}"}, timeout=30)


def test_plus_and_percent_2b_name_the_same_region(aapi):
    literal = _trends(aapi, "DE+AT+CH", limit=5)
    encoded = _trends(aapi, "DE%2BAT%2BCH", limit=5)
    lower = _trends(aapi, "DE%2bAT%2bCH", limit=5)
    assert literal.status_code == encoded.status_code == lower.status_code == 200
    assert literal.json() == encoded.json() == lower.json()
    assert literal.json() != _trends(aapi, "GB+IE", limit=5).json()
    for bad in ("DE%20AT%20CH", "DE AT CH", "DEATCH", "XX"):  # "+" never becomes a space, nor the reverse
        r = _trends(aapi, bad, limit=5)
        assert r.status_code == 400 and r.json() == {"code": 400, "message": r.json()["message"]}
        assert r.json()["message"].startswith(TRENDS_MESSAGE)


def test_trend_shape_series_and_caps(aapi):
    body = _trends(aapi, "US", "growing").json()
    trends = body["trends"]
    assert len(trends) == 50 and len({t["keyword"] for t in trends}) == 50
    ends = [str(TODAY - timedelta(days=1 + 7 * i)) for i in range(52)][::-1]
    for t in trends:
        assert list(t["time_series"]) == ends  # week-end dates, the last one yesterday
        assert all(isinstance(v, int) and 0 <= v <= 100 for v in t["time_series"].values())
        assert max(t["time_series"].values()) == 100
        for key in ("pct_growth_wow", "pct_growth_mom", "pct_growth_yoy"):
            assert isinstance(t[key], int) and -10_000 <= t[key] <= 10_001
    assert any(t["pct_growth_yoy"] == 10_001 for t in trends)  # "> 10000%"
    moms = [t["pct_growth_mom"] for t in trends]
    assert moms == sorted(moms, reverse=True)


def test_trend_filters_limit_and_group_normalisation(aapi, plain_aapi):
    home = _trends(aapi, "US", "monthly", interests="home_decor", limit=7).json()["trends"]
    yearly = _trends(aapi, "US", "yearly", interests="home_decor").json()["trends"]
    assert len(home) == 7 and "japandi living room" in {t["keyword"].split(" 20")[0] for t in yearly}
    both = _trends(aapi, "US", "seasonal", interests=["beauty", "travel"], genders="female,unknown", ages=["25-34"],
                   limit=10).json()["trends"]
    assert _trends(aapi, "US", "seasonal", interests="beauty,travel", genders=["female", "unknown"], ages="25-34",
                   limit=10).json()["trends"] == both
    grouped = _trends(aapi, "US", "seasonal", interests="beauty,travel", limit=10,
                      normalize_against_group="true").json()["trends"]
    peaks = [max(t["time_series"].values()) for t in grouped]
    assert max(peaks) == 100 and min(peaks) < 100
    for api in (aapi, plain_aapi):
        for params, trend_type in (({"limit": 51}, "growing"), ({"limit": 0}, "growing"), ({}, "weekly"),
                                   ({"interests": "cars"}, "growing"), ({"ages": "21+"}, "growing"),
                                   ({"genders": "other"}, "growing")):
            r = _trends(api, "US", trend_type, **params)
            assert r.status_code == 400 and r.json()["message"].startswith(TRENDS_MESSAGE), (params, r.text)


# ---- audience insights and definitions --------------------------------------------------------
@pytest.mark.parametrize("kind", ["YOUR_TOTAL_AUDIENCE", "YOUR_ENGAGED_AUDIENCE", "PINTEREST_TOTAL_AUDIENCE"])
def test_audience_insights(aapi, demo, kind):
    body = aapi.get(demo["base"] + "/audience_insights", params={"audience_insight_type": kind}).json()
    assert body["type"] == kind and body["date"] == str(TODAY - timedelta(days=2))
    assert isinstance(body["size"], int) and body["size"] > 0 and isinstance(body["size_is_upper_bound"], bool)
    assert body["categories"] and all(set(c) == {"key", "name", "ratio", "index", "id", "subcategories"}
                                      for c in body["categories"])
    assert all(0 < s["ratio"] <= 1 for c in body["categories"] for s in c["subcategories"])
    for dimension in ("ages", "genders", "devices", "metros", "countries"):
        values = body["demographics"][dimension]
        assert values and sum(v["ratio"] for v in values) == pytest.approx(1.0, abs=0.01)
    assert body["demographics"]["countries"][0]["key"] == "us"
    assert aapi.get(demo["base"] + "/audience_insights", params={"audience_insight_type": kind}).json() == body


def test_audience_insights_needs_its_type(aapi, plain_aapi, demo):
    for api in (aapi, plain_aapi):
        for params in ({}, {"audience_insight_type": "EVERYONE"}):
            r = api.get(demo["base"] + "/audience_insights", params=params)
            assert r.status_code == 400 and r.json()["message"].startswith(
                "Invalid ad account audience insights parameters.")
    sizes = {k: aapi.get(demo["base"] + "/audience_insights", params={"audience_insight_type": k}).json()["size"]
             for k in ("YOUR_TOTAL_AUDIENCE", "YOUR_ENGAGED_AUDIENCE", "PINTEREST_TOTAL_AUDIENCE")}
    assert sizes["YOUR_ENGAGED_AUDIENCE"] < sizes["YOUR_TOTAL_AUDIENCE"] < sizes["PINTEREST_TOTAL_AUDIENCE"]


def test_audience_definitions(aapi, demo):
    items = aapi.get(demo["base"] + "/insights/audiences").json()["items"]
    assert {(i["type"], i["scope"]) for i in items} == {("IMPRESSION_PLUS_ENGAGEMENT", "PARTNER"),
                                                        ("ENGAGEMENT", "PARTNER"),
                                                        ("IMPRESSION_PLUS_ENGAGEMENT", "PINTEREST")}
    assert aapi.get("/ad_accounts/123456789012/insights/audiences").status_code == 404


# ---- targeting options ----------------------------------------------------------------------------
def test_targeting_options(aapi, plain_aapi):
    options = {t: aapi.get(f"/resources/targeting/{t}").json() for t in
               ("APPTYPE", "GENDER", "LOCALE", "AGE_BUCKET", "LOCATION", "GEO", "INTEREST", "KEYWORD",
                "AUDIENCE_INCLUDE", "AUDIENCE_EXCLUDE")}
    merged = {t: {k: v for obj in objs for k, v in obj.items()} for t, objs in options.items()}
    assert merged["GENDER"] == {"female": "Female", "male": "Male", "unknown": "Unspecified"}
    assert merged["LOCATION"]["US"] == "United States" and merged["LOCATION"]["807"].startswith("U.S.:")
    assert len(options["LOCATION"]) == 2 and "US-CA" in merged["GEO"] and "US:94102" in merged["GEO"]
    assert "935249274030" in merged["INTEREST"] and "25-34" in merged["AGE_BUCKET"] and "iphone" in merged["APPTYPE"]
    assert options["KEYWORD"] == options["AUDIENCE_INCLUDE"] == options["AUDIENCE_EXCLUDE"] == []
    ignored = aapi.get("/resources/targeting/GENDER", params={"client_id": "1094834", "timestamp": "1618338184277"})
    assert ignored.json() == options["GENDER"]
    for api in (aapi, plain_aapi):
        r = api.get("/resources/targeting/SHOE_SIZE")
        assert r.status_code == 400 and r.json()["message"].startswith("Invalid targeting options parameters.")


# ---- bid floor ------------------------------------------------------------------------------------
def test_bid_floors_one_per_spec_in_order(aapi, demo):
    specs = [{"billable_event": "CLICKTHROUGH", "currency": "USD", "countries": ["US"]},
             {"billable_event": "IMPRESSION", "currency": "USD", "countries": ["US"], "objective_type": "AWARENESS"},
             {"billable_event": "CLICKTHROUGH", "currency": "JPY", "countries": ["JP"]},
             {"billable_event": "VIDEO_V_50_MRC", "currency": "EUR", "creative_type": "VIDEO",
              "optimization_goal_metadata": {"frequency_goal_metadata": {"frequency": 5, "timerange": "DAY"}}},
             {"billable_event": "CLICKTHROUGH", "currency": "USD", "countries": ["US"]}]
    body = aapi.post(demo["base"] + "/bid_floor", json={"bid_floor_specs": specs,
                                                         "targeting_spec": {"GENDER": ["female"]}}).json()
    assert body["type"] == "bidfloor" and len(body["bid_floors"]) == 5
    floors = body["bid_floors"]
    assert floors[0] == floors[4] == bid_floor("CLICKTHROUGH", "USD", ["US"])
    assert 100_000 <= floors[0] <= 300_000 and floors[1] > floors[0]
    assert floors[2] > 10 * floors[0] and floors[2] % 1_000_000 == 0  # yen: whole units
    assert all(isinstance(f, int) and f > 0 for f in floors)
    assert bid_floor("CLICKTHROUGH", "USD", ["BR"]) < floors[0]


def test_bid_floor_request_rules(aapi, plain_aapi, demo):
    for api in (aapi, plain_aapi):
        for body in ({}, {"bid_floor_specs": []}, {"bid_floor_specs": [{"currency": "USD"}]},
                     {"bid_floor_specs": [{"billable_event": "CLICKTHROUGH", "currency": "XXX"}]},
                     {"bid_floor_specs": [{"billable_event": "CLICK", "currency": "USD"}]}):
            r = api.post(demo["base"] + "/bid_floor", json=body)
            assert r.status_code == 400 and r.json()["message"].startswith("Invalid ad account bid floor parameters.")
    assert requests.post(aapi.base + demo["base"] + "/bid_floor", json={}).status_code == 401


# ---- metrics ready state -------------------------------------------------------------------------------
def test_metrics_ready_state(aapi, plain_aapi):
    def ready(day):
        r = aapi.get("/resources/metrics_ready_state", params={"date": str(day)})
        assert r.status_code == 200
        return r.json()

    assert ready(TODAY - timedelta(days=5)) == {"conversion_metrics_ready": True, "non_conversion_metrics_ready": True}
    assert ready(TODAY - timedelta(days=2))["conversion_metrics_ready"] is True
    assert ready(TODAY - timedelta(days=1)) == {"conversion_metrics_ready": False, "non_conversion_metrics_ready": True}
    assert ready(TODAY)["conversion_metrics_ready"] is False
    for api in (aapi, plain_aapi):
        for params in ({}, {"date": "2025-3-1"}):
            r = api.get("/resources/metrics_ready_state", params=params)
            assert r.status_code == 400 and r.json()["message"].startswith("Invalid metrics ready state parameters.")
