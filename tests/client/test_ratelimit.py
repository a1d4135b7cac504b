"""The token-bucket budget: burst, steady rate, 429 penalties, thread sharing."""

import threading

import pytest

from pintools.http.ratelimit import FakeClock, Rate, RateBudget, TokenBucket


def test_a_full_bucket_allows_a_burst_then_spaces_calls_at_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(Rate(per_minute=120, burst=3), clock=clock)  # 2 per second
    waits = [bucket.reserve() for _ in range(5)]
    assert waits == [0.0, 0.0, 0.0, 0.5, 1.0]


def test_tokens_refill_with_time():
    clock = FakeClock()
    bucket = TokenBucket(Rate(per_minute=60, burst=1), clock=clock)
    assert bucket.reserve() == 0.0
    assert bucket.reserve() == 1.0
    clock.advance(10)
    assert bucket.reserve() == 0.0


def test_pause_until_holds_back_every_caller():
    clock = FakeClock()
    bucket = TokenBucket(Rate(per_minute=600, burst=10), clock=clock)
    bucket.pause_until(5.0)
    assert bucket.reserve() == pytest.approx(5.0)


def test_budget_sleeps_what_the_bucket_says_and_penalize_pauses_the_category():
    clock, slept = FakeClock(), []
    budget = RateBudget({"ads_read": Rate(per_minute=60, burst=1)}, clock=clock, sleep=slept.append)
    budget.acquire("ads_read")
    budget.acquire("ads_read")
    assert slept == [1.0]
    budget.penalize("ads_write", 2.0)
    budget.acquire("ads_write")
    assert slept[-1] == pytest.approx(2.0)


def test_unlimited_category_and_plain_number_override():
    budget = RateBudget({"ads_read": None, "ads_write": 30})
    assert budget.rate("ads_read") is None
    assert budget.acquire("ads_read") == 0.0
    assert budget.rate("ads_write") == Rate(per_minute=30.0)


def test_published_defaults():
    budget = RateBudget()
    assert budget.rate("ads_analytics").per_minute == 300
    assert budget.rate("ads_read").per_minute == 1000
    assert budget.rate("ads_conversions").per_minute == 5000


def test_invalid_rates_are_refused():
    with pytest.raises(ValueError):
        Rate(per_minute=0)
    with pytest.raises(ValueError):
        Rate(per_minute=10, burst=0)


def test_threads_share_one_bucket_and_never_exceed_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(Rate(per_minute=600, burst=1), clock=clock)  # one per 0.1 s
    slots, lock = [], threading.Lock()

    def worker():
        for _ in range(50):
            w = bucket.reserve()
            with lock:
                slots.append(w)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(slots) == pytest.approx([i * 0.1 for i in range(200)])
