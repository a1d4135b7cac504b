"""The emulator's tables moved to 5.23.0: new report columns served with exact roll-ups, new
targeting keys and age buckets, the client-credentials grant, AGE_BUCKET_AND_GENDER breakdowns."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import requests
from test_oauth_tokens import _token

TODAY = date(2025, 3, 15)
NEW_ADDITIVE = ["VIDEO_15SEC_UNIQUE_VIEWS_1", "TOTAL_VIDEO_15SEC_UNIQUE_VIEWS", "TOTAL_ADD_TO_WISHLIST",
                "TOTAL_SUBSCRIBE", "QUIZ_PIN_RESULT_OPEN"]


def _rows(aapi, path, columns, **params):
    r = aapi.get(path, params={"start_date": str(TODAY - timedelta(days=6)), "end_date": str(TODAY),
                               "granularity": "DAY", "columns": ",".join(columns), **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_new_sync_columns_are_served_and_add_up_from_ads_to_campaigns(aapi, demo):
    base = demo["base"]
    columns = NEW_ADDITIVE + ["SPEND_IN_MICRO_DOLLAR", "OUTBOUND_CTR_1", "VIDEO_SPEND_IN_DOLLAR"]
    ads = _rows(aapi, base + "/ads/analytics", columns, ad_ids=[a["id"] for a in demo["ads"]][:100])
    campaign_of = {a["id"]: a["campaign_id"] for a in demo["ads"]}
    sums: dict = defaultdict(lambda: dict.fromkeys(NEW_ADDITIVE, 0))
    for row in ads:
        for c in NEW_ADDITIVE:
            sums[(campaign_of[row["AD_ID"]], row["DATE"])][c] += row.get(c, 0)
    campaigns = _rows(aapi, base + "/campaigns/analytics", columns,
                      campaign_ids=sorted({campaign_of[r["AD_ID"]] for r in ads}))
    got = {(r["CAMPAIGN_ID"], r["DATE"]): {c: r.get(c, 0) for c in NEW_ADDITIVE} for r in campaigns}
    assert {k: v for k, v in got.items() if any(v.values())} == {k: v for k, v in sums.items() if any(v.values())}
    assert sum(r.get("TOTAL_ADD_TO_WISHLIST", 0) for r in ads) > 0
    for row in ads:
        assert row.get("VIDEO_15SEC_UNIQUE_VIEWS_1", 0) <= row.get("TOTAL_VIDEO_15SEC_UNIQUE_VIEWS", 0)
        video = row.get("VIDEO_SPEND_IN_DOLLAR")
        assert video is None or video in (0, row["SPEND_IN_MICRO_DOLLAR"] / 1e6)  # a video ad's whole spend
    assert any(r.get("VIDEO_SPEND_IN_DOLLAR") for r in ads)


def test_new_async_only_columns_are_refused_by_sync_analytics(aapi, demo):
    r = aapi.get(demo["base"] + "/analytics", params={"start_date": str(TODAY), "end_date": str(TODAY),
                                                      "granularity": "DAY", "columns": "TOTAL_DESTINATION_VIEWS"})
    assert r.status_code == 400 and "TOTAL_DESTINATION_VIEWS" in r.json()["message"]


def test_ad_group_rows_carry_the_new_budget_attributes(aapi, demo):
    groups = [g for g in demo["ad_groups"] if g.get("budget_in_micro_currency")][:5]
    rows = _rows(aapi, demo["base"] + "/ad_groups/analytics",
                 ["AD_GROUP_BUDGET_TYPE", "AD_GROUP_BUDGET_IN_LOCAL_CURRENCY", "CAMPAIGN_BUDGET_OPTIMIZATION"],
                 ad_group_ids=[g["id"] for g in groups], granularity="TOTAL")
    by_id = {g["id"]: g for g in groups}
    assert rows
    for row in rows:
        group = by_id[row["AD_GROUP_ID"]]
        assert row["AD_GROUP_BUDGET_TYPE"] == group["budget_type"]
        assert row["AD_GROUP_BUDGET_IN_LOCAL_CURRENCY"] == group["budget_in_micro_currency"] / 1e6
        assert isinstance(row["CAMPAIGN_BUDGET_OPTIMIZATION"], bool)


def test_minimum_and_maximum_age_are_checked_as_5_23_describes_them(ro_api, us_account):
    path = f"/ad_accounts/{us_account['id']}/ad_groups/audience_sizing"

    def size(spec):
        return ro_api.post(path, json={"targeting_spec": {"LOCATION": ["US"], **spec}})

    assert size({"MINIMUM_AGE": "21", "MAXIMUM_AGE": "65+"}).status_code == 200
    assert size({"AGE_BUCKET": ["19+", "20+"]}).status_code == 200
    for bad, words in (({"MINIMUM_AGE": "21"}, "used together"), ({"MINIMUM_AGE": "65+", "MAXIMUM_AGE": "65+"}, "65+"),
                       ({"MINIMUM_AGE": "40", "MAXIMUM_AGE": "30"}, "must not exceed"),
                       ({"MINIMUM_AGE": "21", "MAXIMUM_AGE": "30", "AGE_BUCKET": ["25-34"]}, "cannot be combined")):
        r = size(bad)
        assert r.status_code == 400 and words in r.json()["message"], (bad, r.text)


def test_client_credentials_grant_a_token_without_a_refresh_token(server):
    r = _token(server, {"grant_type": "client_credentials", "scope": "ads:read"})
    assert r.status_code == 200, r.text
    grant = r.json()
    assert grant["response_type"] == "client_credentials" and grant["scope"] == "ads:read"
    assert "refresh_token" not in grant
    listed = requests.get(server.base_url + "/ad_accounts",
                          headers={"Authorization": f"Bearer {grant['access_token']}"}, timeout=30)
    assert listed.status_code == 200
    missing = _token(server, {"grant_type": "client_credentials"})
    assert missing.status_code == 400 and "scope is required" in missing.json()["message"]


def test_age_bucket_and_gender_breaks_rows_down_by_both(aapi, demo):
    rows = aapi.get(demo["base"] + "/targeting_analytics", params={
        "start_date": str(TODAY - timedelta(days=6)), "end_date": str(TODAY), "granularity": "TOTAL",
        "columns": "SPEND_IN_MICRO_DOLLAR", "targeting_types": "AGE_BUCKET_AND_GENDER"})
    assert rows.status_code == 200, rows.text
    data = rows.json()["data"]
    assert data and {d["targeting_type"] for d in data} == {"AGE_BUCKET_AND_GENDER"}
    assert all("|" in str(d["targeting_value"]) for d in data)
