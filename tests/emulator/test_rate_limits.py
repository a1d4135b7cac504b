"""Rate limits per (token, x-ratelimit-category): 429 code 8 with Retry-After."""

from pintools.emulator.errors import RATE_LIMIT_MESSAGE


def test_exceeding_a_category_is_429_with_retry_after(api):
    api.server.control.set_rate_limit("ads_read", per_minute=2, burst=2)
    account = api.accounts()[0]["id"]  # 1
    assert api.get(f"/ad_accounts/{account}").status_code == 200  # 2
    r = api.get(f"/ad_accounts/{account}/campaigns")
    assert r.status_code == 429
    assert r.json() == {"code": 8, "message": RATE_LIMIT_MESSAGE}
    assert int(r.headers["Retry-After"]) >= 1
    assert r.headers["x-pinterest-rid"]


def test_categories_and_tokens_have_separate_buckets(api):
    api.server.control.set_rate_limit("ads_read", per_minute=1, burst=1)
    account = api.accounts()[0]["id"]
    assert api.get(f"/ad_accounts/{account}").status_code == 429
    write = api.patch(f"/ad_accounts/{account}/campaigns", json=[{"id": "1", "ad_account_id": account}])
    assert write.status_code == 200  # ads_write is its own bucket
    import requests

    data = {"grant_type": "refresh_token", "refresh_token": api.server.refresh_token}
    grant = requests.post(api.server.base_url + "/oauth/token", data=data,
                          auth=(api.server.app_id, api.server.app_secret)).json()
    other = api.get(f"/ad_accounts/{account}", token=grant["access_token"])
    assert other.status_code == 200  # another token, another bucket


def test_unlimited_and_refill(api):
    api.server.control.set_rate_limit("ads_read", per_minute=None)
    account = api.accounts()[0]["id"]
    assert all(api.get(f"/ad_accounts/{account}").status_code == 200 for _ in range(30))
    api.server.control.set_rate_limit("ads_read", per_minute=60, burst=1)
    statuses = [api.get(f"/ad_accounts/{account}").status_code for _ in range(2)]
    assert statuses == [200, 429]  # the second call comes well within the one-second refill
    import time

    time.sleep(1.1)  # one token a second
    assert api.get(f"/ad_accounts/{account}").status_code == 200


def test_start_accepts_rate_limits():
    from pintools.emulator import start

    srv = start(seed=1, rate_limits={"ads_read": (1, 1)})
    try:
        limits = srv.control.rate_limits()
        assert limits["ads_read"] == {"per_minute": 1, "burst": 1}
        assert limits["ads_analytics"]["per_minute"] == 300
    finally:
        srv.stop()
