"""What the emulator refuses because Pinterest does: plain-http webhooks, CBO flag rules, missing
OAuth scopes and Business Access roles."""

from __future__ import annotations

import pytest

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
