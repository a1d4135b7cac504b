"""Batch create/update of campaigns, ad groups and ads (digest §6)."""

import pytest


@pytest.fixture
def account_id(api):
    return next(a for a in api.accounts() if a["currency"] == "USD")["id"]


def _campaign(account_id, **extra):
    body = {"ad_account_id": account_id, "name": "Autumn Throws – Prospecting", "objective_type": "AWARENESS",
            "daily_spend_cap": 60_000_000}
    body.update(extra)
    return body


def _find(api, account_id, kind, **where):
    items = api.all_pages(f"/ad_accounts/{account_id}/{kind}",
                          {"entity_statuses": "ACTIVE,PAUSED,ARCHIVED,DRAFT", "page_size": 250})
    return [i for i in items if all(i.get(k) == v for k, v in where.items())]


def test_more_than_30_items_is_400(api, account_id):
    r = api.post(f"/ad_accounts/{account_id}/campaigns", json=[_campaign(account_id)] * 31)
    assert r.status_code == 400
    assert r.json()["code"] == 400
    assert r.json()["message"].startswith("Invalid ad account campaign parameters.")
    for kind in ("ad_groups", "ads"):
        assert api.patch(f"/ad_accounts/{account_id}/{kind}", json=[{"id": "1"}] * 31).status_code == 400
    assert api.post(f"/ad_accounts/{account_id}/campaigns", json=[]).status_code == 400
    assert api.post(f"/ad_accounts/{account_id}/campaigns", json={"name": "x"}).status_code == 400
    assert api.post(f"/ad_accounts/{account_id}/campaigns", json=[_campaign(account_id)] * 30).status_code == 200


def test_per_item_results_in_input_order(api, account_id):
    items = [
        _campaign(account_id, name="Good One"),
        _campaign(account_id, name="No Cap", daily_spend_cap=None),
        _campaign(account_id, name="Both Caps", lifetime_spend_cap=9_000_000_000),
        _campaign(account_id, name="Backwards", start_time=1893456000, end_time=1893400000),
        _campaign(account_id, name="Good Two", objective_type="VIDEO_COMPLETION", daily_spend_cap=None),
    ]
    r = api.post(f"/ad_accounts/{account_id}/campaigns", json=items)
    assert r.status_code == 200, r.text
    results = r.json()["items"]
    assert len(results) == 5
    assert [bool(x["data"]) for x in results] == [True, False, False, False, True]
    assert results[0]["data"]["name"] == "Good One" and results[0]["exceptions"] == []
    assert results[4]["data"]["is_campaign_budget_optimization"] is False
    for failed in results[1:4]:
        assert failed["data"] is None
        assert isinstance(failed["exceptions"], list) and len(failed["exceptions"]) == 1
        assert set(failed["exceptions"][0]) == {"code", "message"}
    assert "CBO" in results[1]["exceptions"][0]["message"]
    assert "same time" in results[2]["exceptions"][0]["message"]
    assert "end_time" in results[3]["exceptions"][0]["message"]
    assert len(_find(api, account_id, "campaigns", name="Good One")) == 1
    assert _find(api, account_id, "campaigns", name="Both Caps") == []


def test_schema_errors_are_item_exceptions_without_spec_validation(plain_api):
    api = plain_api
    account_id = api.accounts()[0]["id"]
    items = [
        _campaign(account_id, name="Fine"),
        {"ad_account_id": account_id, "objective_type": "AWARENESS", "daily_spend_cap": 1_000_000},
        _campaign(account_id, name="Bad Objective", objective_type="SALES"),
        _campaign(account_id, name="String cap", daily_spend_cap="60"),
    ]
    results = api.post(f"/ad_accounts/{account_id}/campaigns", json=items).json()["items"]
    assert [bool(x["data"]) for x in results] == [True, False, False, False]
    assert "name" in results[1]["exceptions"][0]["message"]
    assert "objective_type" in results[2]["exceptions"][0]["message"]
    assert "integer" in results[3]["exceptions"][0]["message"]
    campaign = results[0]["data"]
    patched = api.patch(f"/ad_accounts/{account_id}/campaigns", json=[
        {"id": campaign["id"], "ad_account_id": account_id, "name": None},
        {"id": campaign["id"], "ad_account_id": account_id, "order_line_id": None, "name": "Renamed"},
    ]).json()["items"]
    assert patched[0]["data"] is None and "name cannot be null" in patched[0]["exceptions"][0]["message"]
    assert patched[1]["data"]["name"] == "Renamed"


def test_schema_errors_reject_the_request_under_spec_validation(api, account_id):
    if not api.server.spec_enabled:
        pytest.skip("spec validation is off (PINTOOLS_OPENAPI_SPEC not set)")
    items = [_campaign(account_id, name="Fine"), _campaign(account_id, name="Bad", objective_type="SALES")]
    r = api.post(f"/ad_accounts/{account_id}/campaigns", json=items)
    assert r.status_code == 400
    assert r.json()["code"] == 400
    assert r.json()["message"].startswith("Invalid ad account campaign parameters.")
    assert "SALES" in r.json()["message"]
    assert _find(api, account_id, "campaigns", name="Fine") == []


def test_cbo_campaign_needs_exactly_one_spend_cap(api, account_id):
    path = f"/ad_accounts/{account_id}/campaigns"
    r = api.post(path, json=[_campaign(account_id, daily_spend_cap=None),
                             _campaign(account_id, objective_type="VIDEO_COMPLETION", daily_spend_cap=None),
                             _campaign(account_id, daily_spend_cap=None, lifetime_spend_cap=5_000_000_000)]).json()
    assert r["items"][0]["data"] is None and "CBO" in r["items"][0]["exceptions"][0]["message"]
    assert r["items"][1]["data"]["is_campaign_budget_optimization"] is False
    assert r["items"][2]["data"]["lifetime_spend_cap"] == 5_000_000_000


def test_ad_account_id_in_body_must_match_path(api, account_id):
    other = next(a for a in api.accounts() if a["id"] != account_id)["id"]
    r = api.post(f"/ad_accounts/{account_id}/campaigns", json=[_campaign(other)]).json()
    assert r["items"][0]["data"] is None


def _new_campaign(api, account_id, **extra):
    r = api.post(f"/ad_accounts/{account_id}/campaigns", json=[_campaign(account_id, **extra)]).json()
    assert r["items"][0]["data"], r
    return r["items"][0]["data"]


def test_ad_group_rules_for_cbo_and_non_cbo(api, account_id):
    cbo = _new_campaign(api, account_id)
    plain = _new_campaign(api, account_id, objective_type="VIDEO_COMPLETION", daily_spend_cap=None)
    path = f"/ad_accounts/{account_id}/ad_groups"
    items = [
        {"campaign_id": cbo["id"], "name": "CBO ok", "billable_event": "IMPRESSION", "bid_in_micro_currency": 5_000_000},
        {"campaign_id": cbo["id"], "name": "CBO with budget", "billable_event": "IMPRESSION",
         "bid_in_micro_currency": 5_000_000, "budget_in_micro_currency": 10_000_000},
        {"campaign_id": cbo["id"], "name": "CBO with dates", "billable_event": "IMPRESSION",
         "bid_in_micro_currency": 5_000_000, "start_time": 1893456000},
        {"campaign_id": cbo["id"], "name": "CBO daily", "billable_event": "IMPRESSION",
         "bid_in_micro_currency": 5_000_000, "budget_type": "DAILY"},
        {"campaign_id": "C" + plain["id"], "name": "Plain no budget", "billable_event": "VIDEO_V_50_MRC",
         "bid_in_micro_currency": 50_000},
        {"campaign_id": "C" + plain["id"], "name": "Plain ok", "billable_event": "VIDEO_V_50_MRC",
         "bid_in_micro_currency": 50_000, "budget_in_micro_currency": 30_000_000},
        {"campaign_id": plain["id"], "name": "Lifetime no end", "billable_event": "VIDEO_V_50_MRC",
         "bid_in_micro_currency": 50_000, "budget_in_micro_currency": 900_000_000, "budget_type": "LIFETIME"},
        {"campaign_id": cbo["id"], "name": "No bid", "billable_event": "IMPRESSION"},  # AWARENESS/IMPRESSION needs one
        {"campaign_id": "999999999999", "name": "Orphan", "billable_event": "CLICKTHROUGH"},
    ]
    results = api.post(path, json=items).json()["items"]
    ok = [bool(x["data"]) for x in results]
    assert ok == [True, False, False, False, False, True, False, False, False]
    assert results[0]["data"]["budget_type"] == "CBO_ADGROUP"
    assert results[0]["data"]["start_time"] is None
    assert results[5]["data"]["campaign_id"] == plain["id"]  # "C" prefix stripped
    assert results[5]["data"]["budget_type"] == "DAILY"
    assert "end_time" in results[6]["exceptions"][0]["message"]
    assert "bid_in_micro_currency" in results[7]["exceptions"][0]["message"]
    assert results[8]["exceptions"][0] == {"code": 2, "message": "Campaign not found."}


def test_cbo_campaign_holds_at_most_70_ad_groups(api, account_id):
    cbo = _new_campaign(api, account_id)
    path = f"/ad_accounts/{account_id}/ad_groups"
    item = {"campaign_id": cbo["id"], "name": "Slot", "billable_event": "IMPRESSION", "bid_in_micro_currency": 4_000_000}
    for _ in range(2):
        assert all(x["data"] for x in api.post(path, json=[item] * 30).json()["items"])
    last = api.post(path, json=[item] * 11).json()["items"]
    assert [bool(x["data"]) for x in last] == [True] * 10 + [False]
    assert "70" in last[-1]["exceptions"][0]["message"]


def test_web_conversion_needs_goal_metadata(api, account_id):
    conv = _new_campaign(api, account_id, objective_type="WEB_CONVERSION")
    path = f"/ad_accounts/{account_id}/ad_groups"
    goal = {"conversion_tag_v3_goal_metadata": {"conversion_event": "CHECKOUT", "conversion_tag_id": "2612345678901",
                                                "cpa_goal_value_in_micro_currency": "25000000",
                                                "learning_mode_type": "ACTIVE"}}
    results = api.post(path, json=[
        {"campaign_id": conv["id"], "name": "No goal", "billable_event": "IMPRESSION"},
        {"campaign_id": conv["id"], "name": "Goal", "billable_event": "IMPRESSION", "optimization_goal_metadata": goal},
    ]).json()["items"]
    assert results[0]["data"] is None
    assert results[1]["data"]["optimization_goal_metadata"]["conversion_tag_v3_goal_metadata"]["conversion_event"] == "CHECKOUT"
    assert results[1]["data"]["conversion_learning_mode_type"] == "ACTIVE"


def test_patch_absent_unchanged_null_clears_nullable_only(api, account_id):
    plain = _new_campaign(api, account_id, objective_type="VIDEO_COMPLETION", daily_spend_cap=None)
    path = f"/ad_accounts/{account_id}/ad_groups"
    group = api.post(path, json=[{
        "campaign_id": plain["id"], "name": "Video – Broad", "billable_event": "VIDEO_V_50_MRC",
        "bid_in_micro_currency": 60_000, "budget_in_micro_currency": 30_000_000,
        "tracking_urls": {"click": ["https://t.example.com/c"]}, "targeting_spec": {"GENDER": ["female"]},
    }]).json()["items"][0]["data"]
    results = api.patch(path, json=[
        {"id": group["id"], "tracking_urls": None, "bid_in_micro_currency": 70_000},
        {"id": group["id"], "budget_in_micro_currency": None},
    ]).json()["items"]
    first = results[0]["data"]
    assert first["tracking_urls"] is None and first["bid_in_micro_currency"] == 70_000
    assert first["name"] == "Video – Broad" and first["targeting_spec"] == {"GENDER": ["female"]}
    assert first["updated_time"] > group["updated_time"]
    # nullable, but a non-CBO ad group needs a budget: the rule refuses the clear
    assert results[1]["data"] is None and "budget_in_micro_currency" in results[1]["exceptions"][0]["message"]
    stored = api.get(f"/ad_accounts/{account_id}/ad_groups/{group['id']}").json()
    assert stored["bid_in_micro_currency"] == 70_000 and stored["budget_in_micro_currency"] == 30_000_000


def test_targeting_spec_is_replaced_whole_and_checked(api, account_id):
    plain = _new_campaign(api, account_id, objective_type="VIDEO_COMPLETION", daily_spend_cap=None)
    path = f"/ad_accounts/{account_id}/ad_groups"
    group = api.post(path, json=[{
        "campaign_id": plain["id"], "name": "T", "billable_event": "VIDEO_V_50_MRC", "bid_in_micro_currency": 60_000,
        "budget_in_micro_currency": 30_000_000, "targeting_spec": {"GENDER": ["female"], "AGE_BUCKET": ["25-34"]},
    }]).json()["items"][0]["data"]
    results = api.patch(path, json=[
        {"id": group["id"], "targeting_spec": {"LOCATION": ["US"], "AUDIENCE_INCLUDE'": ["2542620905473"]}},
        {"id": group["id"], "targeting_spec": {"GEO": ["US-94107", "BE-VOV"]}},
    ]).json()["items"]
    assert results[0]["data"]["targeting_spec"] == {"LOCATION": ["US"], "AUDIENCE_INCLUDE": ["2542620905473"]}
    assert results[1]["data"] is None and "GEO" in results[1]["exceptions"][0]["message"]


def test_targeting_enums_are_item_errors_without_spec_validation(plain_api):
    api = plain_api
    account_id = api.accounts()[0]["id"]
    group = api.get(f"/ad_accounts/{account_id}/ad_groups", params={"page_size": 1}).json()["items"][0]
    results = api.patch(f"/ad_accounts/{account_id}/ad_groups", json=[
        {"id": group["id"], "targeting_spec": {"AGE_BUCKET": ["18-99"]}},
        {"id": group["id"], "targeting_spec": {"SHOE_SIZE": ["42"]}},
        {"id": group["id"], "name": "Renamed"},
    ]).json()["items"]
    assert [bool(x["data"]) for x in results] == [False, False, True]
    assert "AGE_BUCKET" in results[0]["exceptions"][0]["message"]


def test_draft_only_updates(api, account_id):
    live = _new_campaign(api, account_id)
    draft = _new_campaign(api, account_id, status="DRAFT")
    path = f"/ad_accounts/{account_id}/campaigns"
    results = api.patch(path, json=[
        {"id": live["id"], "ad_account_id": account_id, "objective_type": "CONSIDERATION"},
        {"id": draft["id"], "ad_account_id": account_id, "objective_type": "CONSIDERATION"},
        {"id": live["id"], "ad_account_id": account_id, "status": "DRAFT"},
    ]).json()["items"]
    assert results[0]["data"] is None and "draft" in results[0]["exceptions"][0]["message"].lower()
    assert results[1]["data"]["objective_type"] == "CONSIDERATION"
    assert results[2]["data"] is None


def test_archived_entities_refuse_updates(api, account_id):
    live = _new_campaign(api, account_id)
    path = f"/ad_accounts/{account_id}/campaigns"
    archived = api.patch(path, json=[{"id": live["id"], "ad_account_id": account_id, "status": "ARCHIVED"}]).json()
    assert archived["items"][0]["data"]["status"] == "ARCHIVED"
    again = api.patch(path, json=[{"id": live["id"], "ad_account_id": account_id, "status": "ACTIVE"}]).json()
    assert again["items"][0]["data"] is None


def test_turning_off_cbo_moves_budget_to_ad_groups(api, account_id):
    cbo = _new_campaign(api, account_id)
    groups_path = f"/ad_accounts/{account_id}/ad_groups"
    group = api.post(groups_path, json=[{"campaign_id": cbo["id"], "name": "G", "billable_event": "IMPRESSION",
                                         "bid_in_micro_currency": 5_000_000}]).json()["items"][0]["data"]
    path = f"/ad_accounts/{account_id}/campaigns"
    missing = api.patch(path, json=[{"id": cbo["id"], "ad_account_id": account_id,
                                     "is_campaign_budget_optimization": False}]).json()["items"][0]
    assert missing["data"] is None
    done = api.patch(path, json=[{"id": cbo["id"], "ad_account_id": account_id, "is_campaign_budget_optimization": False,
                                  "default_ad_group_budget_in_micro_currency": 25_000_000}]).json()["items"][0]
    assert done["data"]["is_campaign_budget_optimization"] is False
    moved = api.get(f"/ad_accounts/{account_id}/ad_groups/{group['id']}").json()
    assert moved["budget_in_micro_currency"] == 25_000_000 and moved["budget_type"] == "DAILY"


def test_updated_time_bumps_on_every_update_even_with_fixed_clock(api, account_id):
    api.server.control.set_clock("2024-06-01T00:00:00Z")
    created = _new_campaign(api, account_id)
    assert created["created_time"] == created["updated_time"] == 1717200000
    path = f"/ad_accounts/{account_id}/campaigns"
    times = []
    for cap in (70_000_000, 80_000_000):
        item = api.patch(path, json=[{"id": created["id"], "ad_account_id": account_id, "daily_spend_cap": cap}])
        times.append(item.json()["items"][0]["data"]["updated_time"])
    assert created["updated_time"] < times[0] < times[1]


def test_ads_exceptions_is_a_single_object(api, account_id):
    group = api.get(f"/ad_accounts/{account_id}/ad_groups", params={"page_size": 1}).json()["items"][0]
    path = f"/ad_accounts/{account_id}/ads"
    results = api.post(path, json=[
        {"ad_group_id": "AG" + group["id"], "pin_id": "394205773611545468", "creative_type": "REGULAR",
         "destination_url": "https://www.juniperandsage.com/sofas", "name": "New sofa pin"},
        {"ad_group_id": "2680060000001", "pin_id": "394205773611545469", "creative_type": "REGULAR"},
        {"ad_group_id": group["id"], "pin_id": "394205773611545470", "creative_type": "REGULAR",
         "ios_deep_link": "app://x"},
        {"ad_group_id": group["id"], "pin_id": "394205773611545471", "creative_type": "SHOP_THE_PIN"},
    ]).json()["items"]
    assert results[1]["exceptions"] == {"code": 2, "message": "AdGroup not found."}
    assert results[0]["data"]["ad_group_id"] == group["id"]
    assert results[0]["data"]["review_status"] == "PENDING" and results[0]["data"]["type"] == "pinpromotion"
    assert results[0]["exceptions"] is None
    for failed in results[1:]:
        assert failed["data"] is None
        assert isinstance(failed["exceptions"], dict) and set(failed["exceptions"]) == {"code", "message"}
    ad = results[0]["data"]
    updates = api.patch(path, json=[{"id": ad["id"], "status": "PAUSED"},
                                    {"id": ad["id"], "creative_type": "VIDEO"},
                                    {"id": "1", "status": "PAUSED"}]).json()["items"]
    assert updates[0]["data"]["status"] == "PAUSED" and updates[0]["data"]["summary_status"] == "PAUSED"
    assert isinstance(updates[1]["exceptions"], dict) and updates[1]["data"] is None
    assert updates[2]["exceptions"] == {"code": 2, "message": "Ad not found."}


def test_concurrent_creates_respect_the_cbo_limit(api, account_id):
    from concurrent.futures import ThreadPoolExecutor

    cbo = _new_campaign(api, account_id)
    path = f"/ad_accounts/{account_id}/ad_groups"
    item = {"campaign_id": cbo["id"], "name": "Race", "billable_event": "IMPRESSION", "bid_in_micro_currency": 4_000_000}

    def create(_):
        return api.session.post(api.base + path, json=[item] * 3,
                                headers={"Authorization": f"Bearer {api.token}"}, timeout=30).json()["items"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [x for batch in pool.map(create, range(30)) for x in batch]
    created = [x["data"]["id"] for x in results if x["data"]]
    assert len(created) == 70 and len(set(created)) == 70
    assert len(results) - len(created) == 20
