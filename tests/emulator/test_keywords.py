"""Keywords: list semantics, negative-only parents, value length, update and archive."""

import pytest


@pytest.fixture
def account_id(api):
    return api.accounts()[0]["id"]


def test_list_without_filter_returns_only_account_keywords(ro_api, us_account):
    items = ro_api.all_pages(f"/ad_accounts/{us_account['id']}/keywords")
    assert items and all(k["parent_id"] == us_account["id"] and k["parent_type"] == "advertiser" for k in items)
    assert all(k["match_type"].endswith("_NEGATIVE") for k in items)


def test_list_by_ad_group_and_match_types(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    group = ro_api.get(f"{base}/ad_groups", params={"page_size": 1}).json()["items"][0]
    kws = ro_api.all_pages(f"{base}/keywords", {"ad_group_id": group["id"]})
    assert len(kws) == 4 and all(k["parent_id"] == group["id"] and k["type"] == "keyword" for k in kws)
    exact = ro_api.all_pages(f"{base}/keywords", {"ad_group_id": group["id"], "match_types": ["EXACT", "PHRASE"]})
    assert {k["match_type"] for k in exact} <= {"EXACT", "PHRASE"} and exact
    joined = ro_api.all_pages(f"{base}/keywords", {"ad_group_id": group["id"], "match_types": "EXACT,PHRASE"})
    assert joined == exact
    both = ro_api.get(f"{base}/keywords", params={"ad_group_id": group["id"], "campaign_id": group["campaign_id"]})
    assert both.status_code == 400 and both.json()["code"] == 400


def test_accounts_and_campaigns_take_only_negative_keywords(api, account_id):
    campaign = api.get(f"/ad_accounts/{account_id}/campaigns", params={"page_size": 1}).json()["items"][0]
    path = f"/ad_accounts/{account_id}/keywords"
    for parent in (account_id, "C" + campaign["id"]):
        body = api.post(path, json={"parent_id": parent, "keywords": [
            {"value": "velvet sofa", "match_type": "EXACT"},
            {"value": "free sofa", "match_type": "PHRASE_NEGATIVE"},
        ]}).json()
        assert [k["value"] for k in body["keywords"]] == ["free sofa"]
        assert body["errors"] == [{
            "data": {"archived": None, "match_type": "EXACT", "parent_type": None, "value": "velvet sofa",
                     "parent_id": None, "type": "keyword", "id": None},
            "error_messages": ["Advertisers and Campaigns only accept excluded targeting attributes."],
        }]
    listed = api.all_pages(path, {"campaign_id": campaign["id"]})
    assert "free sofa" in {k["value"] for k in listed}


def test_ad_group_keywords_value_length_and_duplicates(api, account_id):
    group = api.get(f"/ad_accounts/{account_id}/ad_groups", params={"page_size": 1}).json()["items"][0]
    path = f"/ad_accounts/{account_id}/keywords"
    body = api.post(path, json={"parent_id": "AG" + group["id"], "keywords": [
        {"value": "x" * 120, "match_type": "BROAD", "bid": 300_000},
        {"value": "y" * 121, "match_type": "BROAD"},
        {"value": "boucle chair", "match_type": "EXACT"},
        {"value": "Boucle Chair", "match_type": "EXACT"},
        {"value": "chair sale", "match_type": "EXACT_NEGATIVE"},
    ]}).json()
    assert [k["value"] for k in body["keywords"]] == ["x" * 120, "boucle chair", "chair sale"]
    assert all(k["parent_id"] == group["id"] and k["parent_type"] == "ad_group" for k in body["keywords"])
    assert body["keywords"][0]["bid"] is None  # 5.23.0: "Input will not be set and field will return null"
    assert [e["data"]["value"] for e in body["errors"]] == ["y" * 121, "Boucle Chair"]


def test_update_bid_and_archive(api, account_id):
    group = api.get(f"/ad_accounts/{account_id}/ad_groups", params={"page_size": 1}).json()["items"][0]
    path = f"/ad_accounts/{account_id}/keywords"
    kws = api.all_pages(path, {"ad_group_id": group["id"]})
    positive = [k for k in kws if not k["match_type"].endswith("NEGATIVE")]
    body = api.patch(path, json={"keywords": [
        {"id": positive[0]["id"], "bid": 450_000},
        {"id": positive[1]["id"], "bid": None},
        {"id": positive[2]["id"], "archived": True},
        {"id": "2886364000001", "bid": 100_000},
    ]}).json()
    assert [k["id"] for k in body["keywords"]] == [positive[0]["id"], positive[1]["id"], positive[2]["id"]]
    assert body["keywords"][0]["bid"] is None and body["keywords"][1]["bid"] is None  # 5.23.0: bids ignored
    assert body["errors"][0]["error_messages"] == ["Keyword not found."]
    after = {k["id"] for k in api.all_pages(path, {"ad_group_id": group["id"]})}
    assert positive[2]["id"] not in after and positive[0]["id"] in after
    again = api.patch(path, json={"keywords": [{"id": positive[2]["id"], "archived": False}]}).json()
    assert again["keywords"] == [] and again["errors"][0]["error_messages"] == ["Archived keywords cannot be updated."]
