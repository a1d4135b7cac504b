"""The client against the emulator's faults: each case from the foundation issue's list."""

import logging
import time

import pytest

import pintools as pt
from pintools.http.ratelimit import Rate

ACCOUNT_OP = "ad_groups/update"


@pytest.fixture
def emu(fresh_emulator):
    return fresh_emulator


def _client(emu, **kw):
    kw.setdefault("retry", pt.RetryPolicy(max_attempts=4, backoff_base=0.01))
    return pt.connect(emulator=emu, quiet=True, **kw)


def _account(client):
    return next(iter(client.ad_accounts.list()))["id"]


def test_invalid_token_is_an_auth_error_that_names_the_fix(emu):
    client = pt.connect(pt.Credentials(access_token="not-a-real-token"), emulator=emu, quiet=True)
    with pytest.raises(pt.AuthError) as info:
        pt.read_ad_accounts(client=client)
    err = info.value
    assert err.status == 401 and err.code == 2
    assert "PINTEREST_ACCESS_TOKEN" in str(err)
    assert "not-a-real-token" not in str(err)


def test_unknown_account_is_not_found_with_pinterests_code(emu):
    client = _client(emu)
    with pytest.raises(pt.NotFound) as info:
        pt.read_campaigns("123456789012", client=client)
    assert info.value.status == 404 and info.value.code == 2
    assert info.value.request_id  # x-pinterest-rid is carried for support tickets


def test_a_503_on_a_get_is_retried_and_succeeds(emu):
    client = _client(emu)
    account = _account(client)
    emu.control.clear_requests()
    emu.control.inject_fault(route="campaigns/list", status=503, times=2)
    df = pt.read_campaigns(account, client=client)
    assert len(df) > 0
    statuses = [r["status"] for r in emu.control.requests(operation_id="campaigns/list")]
    assert statuses == [503, 503, 200]


def test_429_with_retry_after_2_waits_about_2_seconds(emu):
    client = _client(emu)
    account = _account(client)
    emu.control.inject_fault(route="campaigns/list", status=429, code=8, retry_after=2, times=1)
    started = time.monotonic()
    pt.read_campaigns(account, client=client)
    elapsed = time.monotonic() - started
    assert 2.0 <= elapsed < 4.0
    log = emu.control.requests(operation_id="campaigns/list")
    assert [r["status"] for r in log] == [429, 200]
    assert log[1]["time"] - log[0]["time"] >= 2.0


def test_a_patch_met_by_a_500_is_outcome_unknown_and_never_resent(emu):
    client = _client(emu)
    account = _account(client)
    group = next(iter(client.ad_groups.list(account)))
    emu.control.clear_requests()
    emu.control.inject_fault(route=ACCOUNT_OP, status=500, times=1, phase="after")
    with pytest.raises(pt.WriteOutcomeUnknown) as info:
        client.ad_groups.update(account, [{"id": group["id"], "name": "Renamed"}])
    assert "Re-read" in str(info.value)
    assert len(emu.control.requests(operation_id=ACCOUNT_OP)) == 1


def test_a_dropped_connection_on_a_patch_is_outcome_unknown_but_a_get_is_retried(emu):
    client = _client(emu)
    account = _account(client)
    group = next(iter(client.ad_groups.list(account)))
    emu.control.clear_requests()
    emu.control.inject_fault(route=ACCOUNT_OP, drop_connection=True, times=1)
    with pytest.raises(pt.WriteOutcomeUnknown):
        client.ad_groups.update(account, [{"id": group["id"], "name": "Renamed"}])
    assert len(emu.control.requests(operation_id=ACCOUNT_OP)) == 1
    emu.control.inject_fault(route="ad_groups/get", drop_connection=True, times=1)
    assert client.ad_groups.get(account, group["id"])["id"] == group["id"]


def test_a_malformed_json_body_is_a_clear_error_not_a_key_error(emu):
    client = _client(emu)
    account = _account(client)
    emu.control.inject_fault(route="campaigns/list", malformed_body=True, times=1)
    with pytest.raises(pt.BadResponse, match="not valid JSON"):
        pt.read_campaigns(account, client=client)


def test_more_than_30_items_are_split_by_the_client(emu):
    client = _client(emu)
    account = _account(client)
    groups = pt.read_ad_groups(account, client=client)
    campaign = groups["campaign_id"].iloc[0]
    cbo = pt.read_campaigns(account, ids=[campaign], client=client)["is_campaign_budget_optimization"].iloc[0]
    items = [{"campaign_id": campaign, "name": f"Split test {i}", "billable_event": "IMPRESSION",
              "bid_in_micro_currency": 5_000_000, "status": "PAUSED",
              **({"budget_type": "CBO_ADGROUP"} if cbo else {"budget_in_micro_currency": 10_000_000})}
             for i in range(31)]
    emu.control.clear_requests()
    results = client.ad_groups.create(account, items)
    assert len(results) == 31
    assert all(r["exceptions"] == [] for r in results), [r for r in results if r["exceptions"]][:2]
    sizes = [len(r["json"]) for r in emu.control.requests(operation_id="ad_groups/create")]
    assert sizes == [30, 1]


def test_429_storm_beyond_the_attempts_is_rate_limited_with_the_hint(emu):
    client = _client(emu, retry=pt.RetryPolicy(max_attempts=2, backoff_base=0.01))
    emu.control.inject_fault(route="ad_accounts/list", status=429, code=8, retry_after=0, times=5)
    with pytest.raises(pt.RateLimited) as info:
        pt.read_ad_accounts(client=client)
    assert info.value.code == 8 and info.value.retry_after == 0


def test_reading_1000_ad_groups_takes_exactly_4_list_requests(emu):
    emu.control.reset(accounts=[{"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": 10,
                                 "ad_groups_per_campaign": 100, "ads_per_ad_group": 1,
                                 "keywords_per_ad_group": 0, "statuses": "active"}])
    client = _client(emu)
    account = _account(client)
    emu.control.clear_requests()
    df = pt.read_ad_groups(account, client=client)
    assert len(df) == 1000 and df["id"].is_unique
    lists = emu.control.requests(operation_id="ad_groups/list")
    assert len(lists) == 4
    assert all(r["query"]["page_size"] == ["250"] for r in lists)


def test_two_threads_sharing_a_client_never_exceed_the_configured_ads_read_rate(emu):
    import threading

    emu.control.set_rate_limit("ads_read", per_minute=None)  # only the client limits here
    rate_per_s = 20.0
    client = _client(emu, rate_limits={"ads_read": Rate(per_minute=rate_per_s * 60, burst=1)})
    account = _account(client)
    emu.control.clear_requests()

    def work():
        for _ in range(15):
            client.campaigns.list(account).__next__()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(r["time"] for r in emu.control.requests(operation_id="campaigns/list"))
    assert len(times) == 30
    # token bucket with burst 1: any window of length w holds at most 1 + rate*w calls
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            window = times[j] - times[i]
            assert (j - i + 1) <= 1 + rate_per_s * window + 0.5, (i, j, window)
    assert times[-1] - times[0] >= (30 - 1) / rate_per_s * 0.9


def test_retries_are_logged_without_secrets(emu, caplog):
    client = _client(emu)
    emu.control.inject_fault(route="ad_accounts/list", status=503, times=1)
    with caplog.at_level(logging.DEBUG, logger="pintools"):
        pt.read_ad_accounts(client=client)
    text = caplog.text
    assert "503" in text and "retry" in text
    assert emu.access_token not in text
