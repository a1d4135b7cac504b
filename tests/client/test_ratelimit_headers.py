"""Rate-limit headers: read in both forms, never required, and fed to the budget so the client
slows down before Pinterest says 429; the emulator sends each form behind a switch."""

import pytest
import requests

from pintools.http import Requestor, StaticToken
from pintools.http.ratelimit import FakeClock, RateBudget, RateHeaders, parse_rate_headers


def test_the_multi_window_form_is_read():
    info = parse_rate_headers({"X-RateLimit-Limit": "100, 100;w=1, 1000;w=60", "X-RateLimit-Remaining": "42",
                               "X-RateLimit-Reset": "7"})
    assert info == RateHeaders(limit=100, remaining=42, reset=7.0, windows=((100, 1.0), (1000, 60.0)))


def test_the_userendpoint_form_is_read_whatever_the_case():
    info = parse_rate_headers({"X-Userendpoint-Ratelimit-Limit": "1000", "x-userendpoint-ratelimit-remaining": "3",
                               "x-userendpoint-ratelimit-reset-seconds": "30"})
    assert (info.limit, info.remaining, info.reset) == (1000, 3, 30.0)


@pytest.mark.parametrize("headers", [None, {}, {"Content-Type": "application/json"},
                                     {"X-RateLimit-Remaining": "many", "X-RateLimit-Reset": "-"},
                                     {"X-RateLimit-Limit": ";w=;;,,"}])
def test_missing_or_garbled_headers_are_no_information(headers):
    assert parse_rate_headers(headers) is None


def test_a_garbled_field_is_dropped_and_the_rest_kept():
    info = parse_rate_headers({"X-RateLimit-Limit": "abc", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "5"})
    assert (info.limit, info.remaining, info.reset) == (None, 0, 5.0)


def test_a_reset_given_as_a_unix_time_becomes_seconds_from_now():
    info = parse_rate_headers({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000030"}, now=1_700_000_000)
    assert info.reset == 30.0


def test_nothing_left_holds_the_category_until_the_reset():
    budget = RateBudget(clock=FakeClock(), sleep=lambda s: None)
    budget.observe("ads_read", RateHeaders(limit=1000, remaining=0, reset=12.0))
    assert budget.acquire("ads_read") == pytest.approx(12.0)
    assert budget.acquire("ads_write") == 0.0  # other categories are not held


def test_little_left_spreads_the_rest_over_the_time_to_the_reset():
    budget = RateBudget(clock=FakeClock(), sleep=lambda s: None)
    assert budget.observe("ads_read", RateHeaders(limit=1000, remaining=9, reset=30.0)) == pytest.approx(3.0)
    assert budget.acquire("ads_read") == pytest.approx(3.0)


def test_plenty_left_or_no_headers_change_nothing():
    budget = RateBudget(clock=FakeClock(), sleep=lambda s: None)
    assert budget.observe("ads_read", RateHeaders(limit=1000, remaining=900, reset=30.0)) == 0.0
    assert budget.observe("ads_read", None) == 0.0
    assert budget.acquire("ads_read") == 0.0


def test_a_garbled_header_never_fails_a_call():
    class Answer(requests.Session):
        def request(self, *args, **kwargs):
            resp = requests.Response()
            resp.status_code, resp._content = 200, b'{"ok": true}'
            resp.headers.update({"X-RateLimit-Limit": "1000;w=oops", "X-RateLimit-Remaining": "\u00e9",
                                 "X-RateLimit-Reset": "soon"})
            return resp

    r = Requestor("http://example.invalid/v5", StaticToken("t"), session=Answer(), sleep=lambda s: None)
    assert r.request("GET", "/ad_accounts", category="ads_read").data == {"ok": True}


@pytest.mark.parametrize("form, names", [
    ("ratelimit", ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")),
    ("userendpoint", ("x-userendpoint-ratelimit-limit", "x-userendpoint-ratelimit-remaining",
                      "x-userendpoint-ratelimit-reset-seconds")),
])
def test_the_emulator_sends_each_form_behind_its_switch(fresh_emulator, form, names):
    url = fresh_emulator.base_url + "/ad_accounts"
    auth = {"Authorization": f"Bearer {fresh_emulator.access_token}"}
    assert not any(n.lower().startswith("x-ratelimit") or "userendpoint" in n.lower()
                   for n in requests.get(url, headers=auth, timeout=10).headers)  # the default: none
    fresh_emulator.control.set_rate_limit("ads_read", per_minute=6, burst=10)  # refills 1 token in 10 s
    fresh_emulator.control.set_rate_header_form(form)
    first = requests.get(url, headers=auth, timeout=10).headers
    second = requests.get(url, headers=auth, timeout=10).headers
    assert all(n in first for n in names)
    assert int(second[names[1]]) == int(first[names[1]]) - 1
    if form == "ratelimit":
        assert first[names[0]] == "10, 10;w=100"  # the bucket's capacity and its refill time


def test_fed_by_the_emulator_the_client_waits_for_the_reset_instead_of_meeting_a_429(fresh_emulator):
    fresh_emulator.control.set_rate_limit("ads_read", per_minute=60, burst=3)
    fresh_emulator.control.set_rate_header_form("ratelimit")
    slept: list[float] = []
    budget = RateBudget(sleep=slept.append)
    r = Requestor(fresh_emulator.base_url, StaticToken(fresh_emulator.access_token), budget=budget,
                  sleep=slept.append)
    for _ in range(3):
        r.request("GET", "/ad_accounts", category="ads_read")
    assert budget.acquire("ads_read") >= 2.0  # 0 left after 3 of 3: wait for tokens, not for a 429
    assert {e["status"] for e in fresh_emulator.control.requests()} == {200}


def test_without_headers_the_client_keeps_its_own_pace(fresh_emulator):
    fresh_emulator.control.set_rate_limit("ads_read", per_minute=60, burst=3)
    budget = RateBudget(sleep=lambda s: None)
    r = Requestor(fresh_emulator.base_url, StaticToken(fresh_emulator.access_token), budget=budget)
    for _ in range(3):
        r.request("GET", "/ad_accounts", category="ads_read")
    assert budget.acquire("ads_read") == 0.0
