"""The retry decision and delay: pure functions, so every rule is checked directly."""

import random

import pytest

from pintools.http.retry import Decision, Failure, RetryPolicy, backoff_delay, decide, parse_retry_after

P = RetryPolicy(max_attempts=4, backoff_base=1.0, backoff_max=8.0)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
def test_429_is_retried_for_every_method_because_nothing_was_processed(method):
    assert decide(method, status=429, attempt=1, policy=P) is Decision.RETRY


def test_429_gives_up_when_attempts_are_spent():
    assert decide("GET", status=429, attempt=4, policy=P) is Decision.GIVE_UP


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_a_read_is_retried(status):
    assert decide("GET", status=status, attempt=1, policy=P) is Decision.RETRY


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_5xx_on_a_write_is_an_unknown_outcome_never_a_retry(method):
    assert decide(method, status=500, attempt=1, policy=P) is Decision.OUTCOME_UNKNOWN


def test_a_write_marked_idempotent_is_retried_on_5xx():
    assert decide("POST", status=503, attempt=1, policy=P, idempotent=True) is Decision.RETRY


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_other_4xx_give_up_at_once(status):
    assert decide("GET", status=status, attempt=1, policy=P) is Decision.GIVE_UP


def test_connection_never_made_is_retried_even_for_writes():
    assert decide("PATCH", failure=Failure.NOT_SENT, attempt=1, policy=P) is Decision.RETRY


def test_broken_connection_after_sending_a_write_is_an_unknown_outcome():
    assert decide("PATCH", failure=Failure.BROKEN, attempt=1, policy=P) is Decision.OUTCOME_UNKNOWN
    assert decide("GET", failure=Failure.BROKEN, attempt=1, policy=P) is Decision.RETRY


def test_decide_needs_exactly_one_cause():
    with pytest.raises(ValueError):
        decide("GET", attempt=1, policy=P)


def test_retry_after_is_honoured_never_shortened_and_jittered_by_at_most_ten_percent():
    delays = [backoff_delay(1, policy=P, retry_after=2.0, rng=random.Random(i)) for i in range(200)]
    assert min(delays) >= 2.0
    assert max(delays) <= 2.2


def test_retry_after_is_capped_by_the_policy():
    policy = RetryPolicy(max_retry_after=5.0)
    assert backoff_delay(1, policy=policy, retry_after=3600, rng=random.Random(1)) <= 5.5


def test_exponential_backoff_grows_and_is_capped():
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        d = backoff_delay(attempt, policy=P, rng=rng)
        assert ceiling / 2 <= d <= ceiling


def test_parse_retry_after_forms():
    assert parse_retry_after("7", now=0) == 7.0
    assert parse_retry_after(" 1.5 ", now=0) == 1.5
    assert parse_retry_after("-3", now=0) == 0.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=30.0) == 30.0
    assert parse_retry_after("", now=0) is None
    assert parse_retry_after("tomorrow", now=0) is None
    assert parse_retry_after(None, now=0) is None
