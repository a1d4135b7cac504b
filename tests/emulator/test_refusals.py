"""What the emulator refuses because Pinterest does: plain-http webhooks, CBO flag rules, missing
OAuth scopes and Business Access roles."""

from __future__ import annotations

import pytest

from pintools.emulator import enums

NON_CBO = next(o for o in enums.OBJECTIVE_TYPES if o not in enums.CBO_OBJECTIVES)  # VIDEO_COMPLETION in 5.23

# -- lead webhooks ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://hooks.example.com/leads", "http://192.168.1.10/hook", "ftp://x.example.com/"])
def test_a_plain_http_webhook_is_refused(plain_api, url):
    acct = plain_api.usd_account()
    r = plain_api.post(f"/ad_accounts/{acct}/leads/subscriptions", json={"webhook_url": url})
    assert r.status_code == 400 and "webhook_url must be an HTTPS URL." in r.json()["message"]
    assert plain_api.get(f"/ad_accounts/{acct}/leads/subscriptions").json()["items"] == []


@pytest.mark.parametrize("url", ["https://hooks.example.com/leads", "http://127.0.0.1:8080/hook",
                                 "http://localhost:8080/hook", "http://[::1]:8080/hook"])
def test_https_and_loopback_webhooks_are_accepted(plain_api, url):
    acct = plain_api.usd_account()
    r = plain_api.post(f"/ad_accounts/{acct}/leads/subscriptions", json={"webhook_url": url})
    assert r.status_code == 200, r.text


# -- campaign budget optimization: a create-time flag in 5.23 --------------------------------

def _create(api, acct, **fields):
    body = {"ad_account_id": acct, "name": "CBO flag", "objective_type": "AWARENESS", **fields}
    item = api.post(f"/ad_accounts/{acct}/campaigns", json=[body]).json()["items"][0]
    return item["data"], item["exceptions"]


def test_an_explicit_false_at_create_is_honoured(plain_api):
    acct = plain_api.usd_account()
    data, exceptions = _create(plain_api, acct, is_campaign_budget_optimization=False)
    assert not exceptions and data["is_campaign_budget_optimization"] is False  # no spend cap needed
    data, _ = _create(plain_api, acct, is_campaign_budget_optimization=True, daily_spend_cap=50_000_000)
    assert data["is_campaign_budget_optimization"] is True


def test_cbo_on_a_non_cbo_objective_or_without_a_cap_is_an_item_error(plain_api):
    acct = plain_api.usd_account()
    _, exceptions = _create(plain_api, acct, objective_type=NON_CBO, is_campaign_budget_optimization=True,
                            daily_spend_cap=50_000_000)
    assert exceptions and "cannot use campaign budget optimization" in exceptions[0]["message"]
    _, exceptions = _create(plain_api, acct, is_campaign_budget_optimization=True)
    assert exceptions and "lifetime_spend_cap or daily_spend_cap" in exceptions[0]["message"]


@pytest.mark.parametrize("reading, expected", [("objective", True), ("off", False)])
def test_an_absent_flag_follows_the_chosen_reading(plain_api, plain_server, reading, expected):
    acct = plain_api.usd_account()
    plain_server.control.set_campaigns_behaviour(reading)
    data, exceptions = _create(plain_api, acct, daily_spend_cap=50_000_000)
    assert not exceptions and data["is_campaign_budget_optimization"] is expected


def test_where_cbo_is_required_a_create_without_it_fails_with_2384(plain_api, plain_server):
    acct = plain_api.usd_account()
    plain_server.control.set_campaigns_behaviour("required")
    for fields in ({"daily_spend_cap": 50_000_000}, {"is_campaign_budget_optimization": False}):
        data, exceptions = _create(plain_api, acct, **fields)
        assert exceptions[0]["code"] == 2384 and "is_campaign_budget_optimization" in exceptions[0]["message"]
    data, exceptions = _create(plain_api, acct, is_campaign_budget_optimization=True, daily_spend_cap=50_000_000)
    assert not exceptions and data["is_campaign_budget_optimization"] is True
    data, exceptions = _create(plain_api, acct, objective_type=NON_CBO)  # not a CBO objective
    assert not exceptions and data["is_campaign_budget_optimization"] is False


def test_the_flag_still_switches_on_patch(plain_api):
    """5.23's CampaignUpdateRequest carries the flag (CampaignCreateCommon), so PATCH may switch it."""
    acct = plain_api.usd_account()
    data, _ = _create(plain_api, acct, is_campaign_budget_optimization=False)
    r = plain_api.patch(f"/ad_accounts/{acct}/campaigns", json=[{"id": data["id"], "ad_account_id": acct,
                                                                 "is_campaign_budget_optimization": True,
                                                                 "daily_spend_cap": 50_000_000}])
    assert r.json()["items"][0]["data"]["is_campaign_budget_optimization"] is True


# -- OAuth scopes and Business Access roles --------------------------------------------------

SCOPE_ERROR = {"code": 3, "message": "Your token does not have sufficient permissions to perform this operation. "
                                     "Please ensure your token is authorized with the correct set of scopes."}
ROLE_ERROR = {"code": 29, "message": "You are not permitted to access that resource."}


def test_a_read_only_token_reads_but_cannot_write(api, server):
    acct = api.usd_account()
    token = server.control.mint_token("ads:read")
    assert api.get(f"/ad_accounts/{acct}/campaigns", token=token).status_code == 200
    r = api.post(f"/ad_accounts/{acct}/campaigns", token=token,
                 json=[{"ad_account_id": acct, "name": "x", "objective_type": "AWARENESS", "daily_spend_cap": 5_000_000}])
    assert r.status_code == 401 and r.json() == SCOPE_ERROR
    assert api.post(f"/ad_accounts/{acct}/events", token=token, json={"data": []}).json() == SCOPE_ERROR


def test_a_write_only_token_cannot_read_and_trends_need_user_accounts_read(api, server):
    acct = api.usd_account()
    token = server.control.mint_token("ads:write")
    assert api.get(f"/ad_accounts/{acct}/campaigns", token=token).json() == SCOPE_ERROR
    assert api.get(f"/ad_accounts/{acct}/analytics", token=token).json() == SCOPE_ERROR  # analytics: ads:read
    ads_only = server.control.mint_token("ads:read,ads:write")
    trends = api.get("/trends/keywords/US/top/monthly", token=ads_only)
    assert trends.status_code == 401 and trends.json() == SCOPE_ERROR


def test_the_demo_token_has_every_scope(api):
    assert api.get("/trends/keywords/US/top/monthly").status_code == 200


def test_an_analyst_reads_but_cannot_write_nor_subscribe_to_leads(api, server):
    acct = api.usd_account()
    server.control.set_permissions(acct, ["ANALYST"])
    assert api.get(f"/ad_accounts/{acct}/campaigns").status_code == 200
    assert api.get(f"/ad_accounts/{acct}/analytics", params={
        "start_date": "2025-03-01", "end_date": "2025-03-02", "granularity": "DAY", "columns": "SPEND_IN_DOLLAR"}
    ).status_code != 403
    r = api.post(f"/ad_accounts/{acct}/campaigns",
                 json=[{"ad_account_id": acct, "name": "x", "objective_type": "AWARENESS", "daily_spend_cap": 5_000_000}])
    assert r.status_code == 403 and r.json() == ROLE_ERROR
    sub = api.post(f"/ad_accounts/{acct}/leads/subscriptions", json={"webhook_url": "https://hooks.example.com/x"})
    assert sub.status_code == 403 and sub.json() == {"code": 4182, "message": "Can't access this subscription."}
    assert api.get(f"/ad_accounts/{acct}/leads/subscriptions").json() == ROLE_ERROR


def test_a_campaign_manager_writes_but_lead_subscriptions_need_owner_or_admin(api, server):
    acct = api.usd_account()
    server.control.set_permissions(acct, ["CAMPAIGN_MANAGER"])
    r = api.post(f"/ad_accounts/{acct}/campaigns",
                 json=[{"ad_account_id": acct, "name": "x", "objective_type": "AWARENESS", "daily_spend_cap": 5_000_000}])
    assert r.status_code == 200
    assert api.get(f"/ad_accounts/{acct}/leads/subscriptions").status_code == 403
    server.control.set_permissions(acct, ["ADMIN"])
    assert api.get(f"/ad_accounts/{acct}/leads/subscriptions").status_code == 200


def test_a_custom_account_can_be_analyst_only(api, server):
    server.control.reset(seed=42, accounts=[{"name": "Mine"}, {"name": "Read only", "permissions": ["ANALYST"]}])
    try:
        accounts = {a["name"]: a for a in api.accounts()}
        assert accounts["Read only"]["permissions"] == ["ANALYST"] and accounts["Mine"]["permissions"] == ["OWNER"]
        acct = accounts["Read only"]["id"]
        assert api.get(f"/ad_accounts/{acct}/campaigns").status_code == 200
        r = api.post(f"/ad_accounts/{acct}/campaigns", json=[{"ad_account_id": acct, "name": "x",
                                                              "objective_type": "AWARENESS"}])
        assert r.status_code == 403 and r.json() == ROLE_ERROR
    finally:
        server.control.reset(seed=42, accounts="default")
