"""Pinterest-shaped errors: 401, 403, 404, unknown routes, request ids."""

import pytest


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}])
def test_bad_or_missing_token_is_401_code_2(ro_api, headers):
    r = ro_api.session.get(ro_api.base + "/ad_accounts", headers=headers)
    assert r.status_code == 401
    assert r.json() == {"code": 2, "message": "Authentication failed."}
    assert r.headers["x-pinterest-rid"]


def test_unknown_account_is_404_code_2(ro_api):
    r = ro_api.get("/ad_accounts/123456789012/campaigns")
    assert r.status_code == 404
    assert r.json() == {"code": 2, "message": "AdAccount not found."}
    assert ro_api.get("/ad_accounts/123456789012").json() == {"code": 2, "message": "AdAccount not found."}


def test_unknown_entities_are_404(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    assert ro_api.get(f"{base}/campaigns/1").json() == {"code": 2, "message": "Campaign not found."}
    assert ro_api.get(f"{base}/ad_groups/1").json() == {"code": 2, "message": "AdGroup not found."}
    assert ro_api.get(f"{base}/ads/1").json() == {"code": 2, "message": "Ad not found."}


def test_hidden_account_is_403_code_29(ro_api):
    hidden = ro_api.server.state.store.accounts
    hidden_id = next(i for i, r in hidden.items() if not r["_accessible"])
    r = ro_api.get(f"/ad_accounts/{hidden_id}/campaigns")
    assert r.status_code == 403
    assert r.json() == {"code": 29, "message": "You are not permitted to access that resource."}
    assert hidden_id not in {a["id"] for a in ro_api.accounts()}


def test_unknown_route_and_method(ro_api, us_account):
    r = ro_api.get("/no/such/route")
    assert r.status_code == 404 and set(r.json()) == {"code", "message"}
    r = ro_api.session.delete(ro_api.base + f"/ad_accounts/{us_account['id']}/campaigns",
                              headers={"Authorization": f"Bearer {ro_api.token}"})
    assert r.status_code == 405 and set(r.json()) == {"code", "message"}


def test_bad_path_id_is_400(ro_api):
    r = ro_api.get("/ad_accounts/abc/campaigns")
    assert r.status_code == 400 and r.json()["code"] == 400


def test_every_response_has_a_fresh_request_id(ro_api, us_account):
    rids = {ro_api.get(f"/ad_accounts/{us_account['id']}").headers["x-pinterest-rid"] for _ in range(3)}
    assert len(rids) == 3


def test_ids_money_and_times_have_wire_types(ro_api, us_account):
    base = f"/ad_accounts/{us_account['id']}"
    campaigns = ro_api.all_pages(f"{base}/campaigns", {"entity_statuses": "ACTIVE,PAUSED,ARCHIVED,DRAFT"})
    groups = ro_api.all_pages(f"{base}/ad_groups", {"page_size": 250})
    ads = ro_api.all_pages(f"{base}/ads", {"page_size": 250})
    for entity in campaigns + groups + ads:
        assert isinstance(entity["id"], str) and entity["id"].isdigit() and 12 <= len(entity["id"]) <= 19
        assert isinstance(entity["created_time"], int) and isinstance(entity["updated_time"], int)
    for ad in ads:
        assert len(ad["pin_id"]) == 18
    for c in campaigns:
        cap = c["daily_spend_cap"] or c["lifetime_spend_cap"]
        if c["is_campaign_budget_optimization"]:
            assert isinstance(cap, int) and cap % 10_000 == 0
    assert any(g["budget_in_micro_currency"] for g in groups)
    assert {c["objective_type"] for c in campaigns} >= {"AWARENESS", "CONSIDERATION", "WEB_CONVERSION",
                                                        "CATALOG_SALES", "VIDEO_COMPLETION"}
