"""List filters: default statuses, id filters and their limits, both array encodings."""


def _campaigns(api, account_id, params=None):
    return api.all_pages(f"/ad_accounts/{account_id}/campaigns", params or {})


def test_default_status_filter_hides_archived_and_draft(ro_api, us_account):
    shown = {c["status"] for c in _campaigns(ro_api, us_account["id"])}
    assert shown == {"ACTIVE", "PAUSED"}
    every = _campaigns(ro_api, us_account["id"], {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"]})
    assert {c["status"] for c in every} == {"ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"}
    archived = _campaigns(ro_api, us_account["id"], {"entity_statuses": "ARCHIVED"})
    assert archived and all(c["status"] == "ARCHIVED" for c in archived)


def test_default_status_filter_applies_to_ad_groups_and_ads(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    for kind in ("ad_groups", "ads"):
        default = ro_api.all_pages(f"{base}/{kind}", {"page_size": 250})
        everything = ro_api.all_pages(f"{base}/{kind}", {"page_size": 250,
                                                           "entity_statuses": "ACTIVE,PAUSED,ARCHIVED,DRAFT"})
        assert {x["status"] for x in default} <= {"ACTIVE", "PAUSED"}
        assert len(everything) > len(default)


def test_both_query_array_encodings_are_accepted(ro_api, us_account):
    path = f"/ad_accounts/{us_account['id']}/campaigns"
    ids = [c["id"] for c in _campaigns(ro_api, us_account["id"])][:3]
    repeated = ro_api.get(path, params=[("campaign_ids", i) for i in ids]).json()["items"]
    joined = ro_api.get(path, params={"campaign_ids": ",".join(ids)}).json()["items"]
    assert [c["id"] for c in repeated] == [c["id"] for c in joined] == sorted(ids, key=int)
    statuses_repeated = ro_api.get(path, params=[("entity_statuses", "ARCHIVED"), ("entity_statuses", "DRAFT")])
    statuses_joined = ro_api.get(path, params={"entity_statuses": "ARCHIVED,DRAFT"})
    assert statuses_repeated.json() == statuses_joined.json()
    assert {c["status"] for c in statuses_joined.json()["items"]} == {"ARCHIVED", "DRAFT"}


def test_id_filter_limits(ro_api, us_account):
    path = f"/ad_accounts/{us_account['id']}/campaigns"
    most = [str(626735000000 + i) for i in range(250)]  # maxItems 250 in 5.23.0 (100 in 5.12.0)
    assert ro_api.get(path, params={"campaign_ids": most}).status_code == 200
    r = ro_api.get(path, params={"campaign_ids": most + ["626735999999"]})
    assert r.status_code == 400
    assert r.json() == {"code": 400, "message": r.json()["message"]}
    assert r.json()["message"].startswith("Invalid ad account campaign parameters.")
    assert ro_api.get(path, params={"campaign_ids": "abc"}).status_code == 400
    assert ro_api.get(path, params={"campaign_ids": ""}).status_code == 400
    assert ro_api.get(path, params={"entity_statuses": "LIVE"}).status_code == 400


def test_only_one_id_filter_type(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    groups = ro_api.get(f"{base}/ad_groups", params={"page_size": 2}).json()["items"]
    both = {"campaign_ids": groups[0]["campaign_id"], "ad_group_ids": groups[0]["id"]}
    r = ro_api.get(f"{base}/ad_groups", params=both)
    assert r.status_code == 400 and r.json()["message"].startswith("Invalid ad account group parameters.")
    r = ro_api.get(f"{base}/ads", params=both)
    assert r.status_code == 400 and r.json()["message"].startswith("Invalid ad account ads parameters.")
    ads = ro_api.get(f"{base}/ads", params={"page_size": 1}).json()["items"]
    assert ro_api.get(f"{base}/ads", params={"ad_ids": ads[0]["id"], "campaign_ids": ads[0]["campaign_id"]}).status_code == 400


def test_id_filters_select_children(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    group = ro_api.get(f"{base}/ad_groups", params={"page_size": 1}).json()["items"][0]
    by_campaign = ro_api.all_pages(f"{base}/ad_groups", {"campaign_ids": group["campaign_id"]})
    assert by_campaign and all(g["campaign_id"] == group["campaign_id"] for g in by_campaign)
    ads = ro_api.all_pages(f"{base}/ads", {"ad_group_ids": group["id"]})
    assert ads and all(a["ad_group_id"] == group["id"] for a in ads)
    by_campaign_ads = ro_api.all_pages(f"{base}/ads", {"campaign_ids": group["campaign_id"]})
    assert {a["ad_group_id"] for a in by_campaign_ads} >= {group["id"]}
    assert all(a["campaign_id"] == group["campaign_id"] for a in by_campaign_ads)


def test_ids_of_another_account_are_not_listed(ro_api):
    accounts = ro_api.accounts()
    mine, other = accounts[0]["id"], accounts[1]["id"]
    foreign = ro_api.get(f"/ad_accounts/{other}/campaigns", params={"page_size": 1}).json()["items"][0]["id"]
    assert ro_api.get(f"/ad_accounts/{mine}/campaigns", params={"campaign_ids": foreign}).json()["items"] == []
    r = ro_api.get(f"/ad_accounts/{mine}/campaigns/{foreign}")
    assert r.status_code == 404 and r.json() == {"code": 2, "message": "Campaign not found."}
