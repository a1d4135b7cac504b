"""Targeting analytics: exact shares per targeting type, value types, parameters and messages."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from pintools.emulator import enums

TODAY = date(2025, 3, 15)
ADDITIVE = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "CLICKTHROUGH_1", "IMPRESSION_1",
            "TOTAL_CONVERSIONS", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "VIDEO_MRC_VIEWS_1"]
LEVELS = {
    "/targeting_analytics": ("/analytics", None, "AD_ACCOUNT_ID", "Invalid ad account analytics parameters."),
    "/campaigns/targeting_analytics": ("/campaigns/analytics", "campaign_ids", "CAMPAIGN_ID",
                                       "Invalid ad account campaign analytics parameters."),
    "/ad_groups/targeting_analytics": ("/ad_groups/analytics", "ad_group_ids", "AD_GROUP_ID",
                                       "Invalid ad account group analytics parameters."),
    "/ads/targeting_analytics": ("/ads/analytics", "ad_ids", "AD_ID", "Invalid ad account ads analytics parameters."),
}


def _ids(demo, id_param):
    live = {"campaign_ids": [c["id"] for c in demo["campaigns"] if c["status"] == "ACTIVE"][:3],
            "ad_group_ids": [g["id"] for g in demo["ad_groups"] if g["status"] == "ACTIVE"][:3],
            "ad_ids": [a["id"] for a in demo["ads"] if a["status"] == "ACTIVE"][:3]}
    return {id_param: live[id_param]} if id_param else {}


def _params(granularity="DAY", days=3, columns=ADDITIVE, **extra):
    return {"start_date": str(TODAY - timedelta(days=days - 1)), "end_date": str(TODAY), "granularity": granularity,
            "columns": ",".join(columns), **extra}


@pytest.mark.parametrize("suffix", list(LEVELS))
@pytest.mark.parametrize("granularity", ["DAY", "TOTAL"])
def test_each_type_splits_the_entity_exactly(aapi, demo, suffix, granularity):
    sync_suffix, id_param, id_column, _ = LEVELS[suffix]
    ids = _ids(demo, id_param)
    types = list(enums.ANALYTICS_TARGETING_TYPES)
    body = aapi.get(demo["base"] + suffix, params={**_params(granularity), **ids, "targeting_types": ",".join(types)})
    assert body.status_code == 200, body.text
    data = body.json()["data"]
    rows = aapi.get(demo["base"] + sync_suffix, params={**_params(granularity), **ids}).json()
    expected = {(r[id_column], r.get("DATE")): {c: r.get(c, 0) for c in ADDITIVE} for r in rows}
    seen_types = set()
    for ttype in types:
        sums = defaultdict(lambda: dict.fromkeys(ADDITIVE, 0))
        for item in (d for d in data if d["targeting_type"] == ttype):
            metrics = item["metrics"]
            assert isinstance(metrics[id_column], int)  # a number, as in the spec's example
            for c in ADDITIVE:
                sums[(str(metrics[id_column]), metrics.get("DATE"))][c] += metrics.get(c, 0)
        if sums:
            seen_types.add(ttype)
            assert dict(sums) == {k: v for k, v in expected.items() if k[0] in {i[0] for i in sums}}, ttype
    assert {"GENDER", "AGE_BUCKET", "APPTYPE", "PLACEMENT", "COUNTRY", "LOCATION", "REGION", "GEO",
            "PINNER_INTEREST"} <= seen_types


def test_values_and_their_types(aapi, demo):
    group = next(g for g in demo["ad_groups"] if g["status"] == "ACTIVE" and "INTEREST" in g["targeting_spec"])
    params = {**_params("TOTAL", 7), "ad_group_ids": group["id"],
              "targeting_types": "GENDER,KEYWORD,LOCATION,PLACEMENT,TARGETED_INTEREST,COUNTRY,REGION,GEO"}
    data = aapi.get(demo["base"] + "/ad_groups/targeting_analytics", params=params).json()["data"]
    values = defaultdict(set)
    for item in data:
        values[item["targeting_type"]].add(item["targeting_value"])
    assert values["GENDER"] <= set(group["targeting_spec"]["GENDER"])
    keywords = aapi.all_pages(demo["base"] + "/keywords", {"ad_group_id": group["id"]})
    assert values["KEYWORD"] == {k["value"] for k in keywords if not k["match_type"].endswith("NEGATIVE")}
    assert values["LOCATION"] and all(isinstance(v, int) for v in values["LOCATION"])
    assert values["PLACEMENT"] <= {"SEARCH", "BROWSE", "OTHER"}
    assert values["COUNTRY"] == {"US"} and all(v.startswith("US-") for v in values["REGION"])
    assert all(v.startswith("US:") for v in values["GEO"]) and len(values["TARGETED_INTEREST"]) == 3
    ordered = [item["targeting_type"] for item in data]
    assert ordered == sorted(ordered, key=params["targeting_types"].split(",").index)  # grouped by type, in order


def test_rates_are_consistent_within_each_share(aapi, demo):
    params = {**_params("DAY", 1, ["CLICKTHROUGH_1", "IMPRESSION_1", "CTR", "TOTAL_CHECKOUT",
                                    "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]), "targeting_types": "AGE_BUCKET,APPTYPE"}
    data = aapi.get(demo["base"] + "/targeting_analytics", params=params).json()["data"]
    assert data
    for item in data:
        m = item["metrics"]
        assert m["CLICKTHROUGH_1"] <= m["IMPRESSION_1"]
        assert ("CTR" in m) == (m["IMPRESSION_1"] > 0)
        assert ("TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR" in m) == (m["TOTAL_CHECKOUT"] > 0)


def test_attribution_types_scalar_or_list(aapi, demo):
    path = demo["base"] + "/targeting_analytics"
    base = {**_params("TOTAL", 14, ["TOTAL_CONVERSIONS", "SPEND_IN_MICRO_DOLLAR"]), "targeting_types": "GENDER"}
    individual = aapi.get(path, params={**base, "attribution_types": "INDIVIDUAL"}).json()["data"]
    household = aapi.get(path, params={**base, "attribution_types": "HOUSEHOLD"}).json()["data"]
    both = aapi.get(path, params={**base, "attribution_types": "INDIVIDUAL,HOUSEHOLD"}).json()["data"]
    repeated = aapi.get(path, params={**base, "attribution_types": ["INDIVIDUAL", "HOUSEHOLD"]}).json()["data"]
    assert household == both == repeated
    assert individual == aapi.get(path, params=base).json()["data"]
    total = lambda data, c: sum(d["metrics"][c] for d in data)  # noqa: E731
    assert total(household, "SPEND_IN_MICRO_DOLLAR") == total(individual, "SPEND_IN_MICRO_DOLLAR")
    assert total(household, "TOTAL_CONVERSIONS") > total(individual, "TOTAL_CONVERSIONS")


@pytest.mark.parametrize("suffix", list(LEVELS))
def test_targeting_parameter_rules(plain_aapi, demo, suffix):
    _, id_param, _, message = LEVELS[suffix]
    ok = {**_params(), **_ids(demo, id_param)}
    cases = [
        ({}, "targeting_types is required"),
        ({"targeting_types": "GENDER,SHOE_SIZE"}, "targeting_types values"),
        ({"targeting_types": ",".join(["GENDER"] * 16)}, "at most 15"),
        ({"targeting_types": "GENDER", "attribution_types": "PERSON"}, "attribution_types"),
        ({"targeting_types": "GENDER", "granularity": "HOUR", "start_date": str(TODAY - timedelta(days=3))},
         "at most 3 days"),
    ]
    for changes, detail in cases:
        response = plain_aapi.get(demo["base"] + suffix, params={**ok, **changes})
        assert response.status_code == 400, (changes, response.text)
        assert response.json()["code"] == 400 and response.json()["message"].startswith(message)
        assert detail in response.json()["message"]
    fifteen = plain_aapi.get(demo["base"] + suffix, params={**ok, "targeting_types": ",".join(["GENDER"] * 15)})
    assert fifteen.status_code == 200


def _keyword_report(api, account, group_id, columns):
    """A KEYWORD report of one ad group over the test range: ``{keyword id: [rows]}``."""
    import json

    import requests

    body = {"start_date": str(TODAY - timedelta(days=2)), "end_date": str(TODAY), "granularity": "DAY",
            "level": "KEYWORD", "columns": columns, "ad_group_ids": [group_id]}
    token = api.post(f"/ad_accounts/{account}/reports", json=body).json()["token"]
    for _ in range(10):
        status = api.get(f"/ad_accounts/{account}/reports", params={"token": token}).json()
        if status["report_status"] != "IN_PROGRESS":
            break
    assert status["report_status"] == "FINISHED", status
    return json.loads(requests.get(status["url"], timeout=30).content)


def test_keyword_values_follow_the_switch_and_keep_the_numbers(rapi, server):
    """Each KEYWORD value shape names the same delivery: per-keyword shapes give each keyword's
    KEYWORD report rows, merged shapes their sums, and every shape sums to the ad group."""
    account = next(a for a in rapi.accounts() if a["currency"] == "USD")["id"]
    base = f"/ad_accounts/{account}"
    group = next(g for g in rapi.all_pages(base + "/ad_groups", {"entity_statuses": "ACTIVE"})
                 if rapi.all_pages(base + "/keywords", {"ad_group_id": g["id"]}))
    first = rapi.all_pages(base + "/keywords", {"ad_group_id": group["id"]})[0]
    other = next(m for m in ("BROAD", "PHRASE", "EXACT") if m != first["match_type"])
    created = rapi.post(base + "/keywords", json={"parent_id": "AG" + group["id"], "keywords": [
        {"value": first["value"], "match_type": other}]}).json()
    assert created["keywords"], created  # one text, two match types: the case a text alone cannot split
    keywords = [k for k in rapi.all_pages(base + "/keywords", {"ad_group_id": group["id"]})
                if not k["match_type"].endswith("NEGATIVE")]
    columns = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION"]
    report = _keyword_report(rapi, account, group["id"], columns)
    params = {**_params("DAY", 3, columns), "ad_group_ids": group["id"], "targeting_types": "KEYWORD"}
    group_rows = {r["DATE"]: r for r in rapi.get(base + "/ad_groups/analytics",
                                                 params=_params("DAY", 3, columns) | {"ad_group_ids": group["id"]}).json()}
    assert server.control.set_analytics_behaviour() == {"keyword_targeting_value": "text", "sync_max_days": 90,
                                                        "hour_conversions": "omit"}  # the default
    for shape in ("text", "text_per_keyword", "lowercase", "notation", "suffix", "keyword_id"):
        server.control.set_analytics_behaviour(shape)
        data = rapi.get(base + "/ad_groups/targeting_analytics", params=params).json()["data"]
        per_value = defaultdict(list)
        for item in data:
            per_value[item["targeting_value"]].append(item["metrics"])
        for day, row in group_rows.items():
            assert sum(m.get("SPEND_IN_MICRO_DOLLAR", 0) for m in (i["metrics"] for i in data)
                       if m["DATE"] == day) == row["SPEND_IN_MICRO_DOLLAR"], shape
        expected = {"text": lambda k: k["value"], "lowercase": lambda k: " ".join(k["value"].lower().split()),
                    "notation": lambda k: {"EXACT": f"[{k['value']}]", "PHRASE": f'"{k["value"]}"'}.get(
                        k["match_type"], k["value"]),
                    "suffix": lambda k: f"{k['value']} ({k['match_type']})", "keyword_id": lambda k: int(k["id"]),
                    "text_per_keyword": lambda k: k["value"]}[shape]
        assert set(per_value) == {expected(k) for k in keywords}, shape
        if shape in ("notation", "suffix", "keyword_id"):
            for k in keywords:  # one value per keyword: its rows are the keyword's report rows
                rows = [{c: m.get(c, 0) for c in ["DATE", *columns]} for m in per_value[expected(k)]]
                assert rows == [{c: r.get(c, 0) for c in ["DATE", *columns]} for r in report.get(k["id"], [])]
        if shape == "text_per_keyword":
            twins = [m for m in data if m["targeting_value"] == first["value"]]
            assert len({m["metrics"]["DATE"] for m in twins}) < len(twins)  # the text repeats in one day
    server.control.reset(seed=42)
    assert server.control._call("GET", "/analytics")["behaviour"] == {"keyword_targeting_value": "text", "sync_max_days": 90,
                                                                      "hour_conversions": "omit"}
    with pytest.raises(Exception, match="keyword_targeting_value must be one of"):
        server.control.set_analytics_behaviour("guess")
