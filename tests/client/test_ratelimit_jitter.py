"""Calls leave at the bucket's pace but reach the server closer together: jitter (encoding,
threads, network), or a server pause during which the calls in flight wait and the client saves
up a burst. The bucket keeps part of its burst in reserve so that a server bucket of the same
size never answers 429 to such calls (each 429 holds every thread back for its Retry-After),
at no cost to the steady rate."""

import heapq
import random

import pytest

from pintools.emulator.models.ratelimit import RateLimiter
from pintools.http import ratelimit
from pintools.http.ratelimit import FakeClock, Rate, TokenBucket


def server(per_minute: int, burst: int):
    now = [0.0]
    limiter = RateLimiter({"ads_conversions": (per_minute, burst)}, now=lambda: now[0])

    def refuses(at: float) -> bool:
        now[0] = at
        return limiter.take("account", "ads_conversions") != 0
    return refuses


def jittered(per_minute: int, burst: int, calls: int, jitter: float) -> tuple[int, list[float]]:
    """Calls sent as fast as the bucket allows, each arriving 0..jitter s after it left: 429s."""
    bucket = TokenBucket(Rate(per_minute=per_minute, burst=burst), clock=FakeClock())
    sent = [bucket.reserve() for _ in range(calls)]       # every call asked for at t=0: the pace itself
    rng, refuses = random.Random(7), server(per_minute, burst)
    return sum(refuses(at) for at in sorted(t + rng.uniform(0, jitter) for t in sent)), sent


def with_pauses(per_minute: int, burst: int, *, workers: int = 4, calls: int = 600,
                pauses=((5.0, 6.0), (20.0, 22.5)), latency: float = 0.05) -> tuple[int, float]:
    """``workers`` threads each sending a call when the last one answered (as send_conversions
    does); the server handles nothing during ``pauses`` (a garbage collection, a deploy), then the
    calls that waited. Returns (429s, seconds for all calls)."""
    clock = FakeClock()
    bucket, refuses = TokenBucket(Rate(per_minute=per_minute, burst=burst), clock=clock), server(per_minute, burst)
    free = [(0.0, w) for w in range(workers)]
    refused, last = 0, 0.0
    for _ in range(calls):
        ready, worker = heapq.heappop(free)
        clock.t = max(clock.t, ready)
        arrival = clock.t + bucket.reserve() + 0.005
        handled = max([last, arrival] + [end for start, end in pauses if start <= arrival < end])
        refused += refuses(handled)
        last = handled
        heapq.heappush(free, (handled + latency, worker))
    return refused, last


@pytest.mark.parametrize(("per_minute", "burst", "jitter"), [(600, 10, 0.35), (5000, 83, 0.35), (1000, 20, 0.35)])
def test_jittered_arrivals_within_the_allowance_meet_no_429(per_minute, burst, jitter):
    refused, sent = jittered(per_minute, burst, calls=1000, jitter=jitter)
    assert refused == 0
    assert sent[-1] - sent[-101] == pytest.approx(100 * 60 / per_minute)   # the steady pace is the limit's


def test_calls_held_in_flight_by_a_server_pause_meet_no_429():
    refused, seconds = with_pauses(600, 10)
    assert refused == 0
    assert seconds < 600 / 10 + 2                       # 60 s at the limit, + what the 3.5 s of pauses cost


def test_without_the_reserve_the_same_pauses_meet_429s(monkeypatch):
    monkeypatch.setattr(ratelimit, "JITTER_ALLOWANCE", 0.0)
    refused, _ = with_pauses(600, 10)
    assert refused >= 3


def test_the_reserve_never_takes_the_last_token_of_a_burst():
    assert TokenBucket(Rate(per_minute=60, burst=1)).usable_burst == 1       # one a second: nothing to spare
    assert TokenBucket(Rate(per_minute=600, burst=2)).usable_burst == 1
    assert TokenBucket(Rate(per_minute=600, burst=10)).usable_burst == 6     # 0.4 s at 10/s = 4 tokens
    assert TokenBucket(Rate(per_minute=5000, burst=50)).usable_burst == 17
    assert TokenBucket(Rate(per_minute=120, burst=3)).usable_burst == 3      # 0.8 of a token: none held
