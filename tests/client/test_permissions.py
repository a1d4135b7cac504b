"""Missing OAuth scopes and Business Access roles surface as pt.PermissionDenied saying what is
missing and how to fix it (Pinterest: 401 code 3 for a scope, 403 code 29 / 4182 for a role)."""

import time

import pytest

import pintools as pt

CAMPAIGN = {"name": "Permissions", "objective_type": "AWARENESS", "daily_spend_cap": 5_000_000,
            "is_campaign_budget_optimization": True, "status": "PAUSED"}


def _client(emu, token=None):
    creds = pt.Credentials(access_token=token or emu.access_token, refresh_token=emu.refresh_token,
                           app_id=emu.app_id, app_secret=emu.app_secret, expires_at=time.time() + 3600)
    return pt.connect(creds, base_url=emu.base_url)


def test_a_token_without_ads_write_is_told_to_reauthorize(fresh_emulator):
    emu = fresh_emulator
    client = _client(emu, emu.control.mint_token("ads:read"))
    account = pt.read_ad_accounts(client=client).id[0]          # reading works
    with pytest.raises(pt.PermissionDenied) as info:
        client.campaigns.create(account, [{**CAMPAIGN, "ad_account_id": account}])
    text = str(info.value)
    assert info.value.status == 401 and info.value.code == 3
    assert "lacks the OAuth scope ads:write" in text and "Re-authorize" in text
    # a missing scope is not an expired token: no refresh was attempted
    assert [r["operation_id"] for r in emu.control.requests()].count("oauth/token") == 0


def test_an_analyst_may_read_but_not_write(fresh_emulator):
    emu = fresh_emulator
    client = _client(emu)
    account = pt.read_ad_accounts(client=client).id[0]
    emu.control.set_permissions(account, ["ANALYST"])
    assert len(pt.read_campaigns(account, client=client)) > 0
    with pytest.raises(pt.PermissionDenied) as info:
        client.campaigns.create(account, [{**CAMPAIGN, "ad_account_id": account}])
    assert info.value.status == 403 and info.value.code == 29
    assert f"role on ad account {account}" in str(info.value) and "Owner, Admin or Campaign Manager" in str(info.value)


def test_lead_subscriptions_need_owner_or_admin(fresh_emulator):
    emu = fresh_emulator
    client = _client(emu)
    account = pt.read_ad_accounts(client=client).id[0]
    emu.control.set_permissions(account, ["CAMPAIGN_MANAGER"])
    with pytest.raises(pt.PermissionDenied, match="needs OWNER or ADMIN"):
        client.leads.create_subscription(account, "https://hooks.example.com/leads")
    emu.control.set_permissions(account, ["ADMIN"])
    assert client.leads.create_subscription(account, "https://hooks.example.com/leads")["id"]
