"""A rate-limit budget per Pinterest ``x-ratelimit-category``, shared by all threads of a client.

Each category is a token bucket: ``burst`` tokens at most, refilled at ``per_minute / 60``
tokens a second. A call takes one token from its category's bucket before it is sent,
and waits (outside any lock) when the bucket is empty. The bucket leaves :data:`JITTER_ALLOWANCE`
seconds' worth of its burst unused (when the burst is that large): calls reach the server a
little closer together than they left (encoding, threads, network), and a server bucket run
exactly empty answers such a call 429 — which costs every thread its ``Retry-After``. A 429 from the server drains the
bucket until the ``Retry-After`` moment, so every thread backs off together instead of
each one discovering the limit on its own.

Defaults are Pinterest's published Standard-tier limits (digest §1.3); categories without
a published number get a conservative default. Override per client::

    budget = RateBudget({"ads_read": Rate(per_minute=600)})

>>> clock = FakeClock()
>>> bucket = TokenBucket(Rate(per_minute=60, burst=2), clock=clock)
>>> [bucket.reserve() for _ in range(3)]
[0.0, 0.0, 1.0]
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """``per_minute`` calls on average with bursts of up to ``burst`` (default: 1 second's worth).

    >>> Rate(per_minute=300).burst
    5
    """

    per_minute: float
    burst: int | None = None

    def __post_init__(self) -> None:
        if self.per_minute <= 0:
            raise ValueError(f"per_minute must be positive, got {self.per_minute}")
        if self.burst is None:
            object.__setattr__(self, "burst", max(1, int(self.per_minute // 60)))
        elif self.burst < 1:
            raise ValueError(f"burst must be at least 1, got {self.burst}")

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


#: Published Standard-tier limits (digest §1.3); ``ads_write``/``trends_read`` are not
#: published, so they get the ``ads_read`` figure. ``universal`` caps all calls together.
DEFAULT_RATES: dict[str, Rate] = {
    "universal": Rate(per_minute=100 * 60, burst=100),
    "ads_read": Rate(per_minute=1000, burst=20),
    "ads_write": Rate(per_minute=1000, burst=20),
    "ads_analytics": Rate(per_minute=300, burst=10),
    "ads_conversions": Rate(per_minute=5000, burst=50),
    "trends_read": Rate(per_minute=1000, burst=20),
    "org_read": Rate(per_minute=1000, burst=20),
    "org_write": Rate(per_minute=1000, burst=20),
}
_FALLBACK = Rate(per_minute=1000, burst=20)


#: Seconds of calls a bucket keeps in reserve out of its burst (pintools' rule, not Pinterest's):
#: calls that arrive up to this much closer together than they were sent — jitter, or the calls a
#: few threads hold in flight while the server pauses, arriving together with the burst saved up
#: meanwhile — still find tokens in a server bucket of the same size. A burst of ``burst`` tokens
#: at ``per_second`` leaves ``min(burst - 1, floor(per_second * JITTER_ALLOWANCE))`` unused; the
#: steady rate is unchanged.
JITTER_ALLOWANCE = 0.4

#: When a response says fewer than this fraction of the window's calls remain, later calls in
#: its category are spread over the time left until the reset (pintools' rule, not Pinterest's).
LOW_REMAINING = 0.1
#: A reset larger than this is taken as a Unix time rather than a number of seconds.
_EPOCH_CUTOFF = 1_000_000_000
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class RateHeaders:
    """What a response said about its rate limit; any field may be None (the spec defines no
    rate headers, so none is ever required).

    ``windows`` are the ``(limit, window_seconds)`` policies of the multi-window form.

    >>> parse_rate_headers({"X-RateLimit-Limit": "100, 100;w=1, 1000;w=60", "X-RateLimit-Remaining": "7",
    ...                     "X-RateLimit-Reset": "12"})
    RateHeaders(limit=100, remaining=7, reset=12.0, windows=((100, 1.0), (1000, 60.0)))
    """

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    windows: tuple[tuple[int, float], ...] = ()


def _header(headers: Mapping[str, str], *names: str) -> str | None:
    lowered = {str(k).lower(): v for k, v in headers.items()}
    for name in names:
        value = lowered.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _number(text: str | None) -> float | None:
    match = _NUMBER.match(text) if text is not None else None
    return float(match.group(1)) if match else None


def _first_item(text: str | None) -> float | None:
    """The leading value of ``"100, 100;w=1"`` or ``"7"`` (parameters after ``;`` ignored)."""
    if text is None:
        return None
    return _number(text.split(",", 1)[0].split(";", 1)[0])


def _windows(text: str | None) -> tuple[tuple[int, float], ...]:
    out = []
    for item in (text or "").split(","):
        value, *params = item.split(";")
        limit = _number(value)
        window = next((_number(p.split("=", 1)[1]) for p in params if p.strip().lower().startswith("w=")), None)
        if limit is not None and window:
            out.append((int(limit), window))
    return tuple(out)


def parse_rate_headers(headers: Mapping[str, str] | None, *, now: float | None = None) -> RateHeaders | None:
    """Read ``X-RateLimit-Limit/-Remaining/-Reset`` (plain or multi-window: ``100, 100;w=1,
    1000;w=60``) or ``x-userendpoint-ratelimit-limit/-remaining/-reset-seconds``; None when
    the response carries none of them. Garbled values become None, never an error. A reset
    that looks like a Unix time becomes seconds from ``now``.

    >>> parse_rate_headers({"x-userendpoint-ratelimit-remaining": "0",
    ...                     "x-userendpoint-ratelimit-reset-seconds": "30"}).reset
    30.0
    >>> parse_rate_headers({"X-RateLimit-Remaining": "lots"}) is None
    True
    """
    if not headers:
        return None
    try:
        limit_text = _header(headers, "x-ratelimit-limit", "x-userendpoint-ratelimit-limit")
        remaining = _first_item(_header(headers, "x-ratelimit-remaining", "x-userendpoint-ratelimit-remaining"))
        reset = _first_item(_header(headers, "x-ratelimit-reset", "x-userendpoint-ratelimit-reset-seconds",
                                    "x-userendpoint-ratelimit-reset"))
    except (AttributeError, TypeError):
        return None
    limit = _first_item(limit_text)
    if reset is not None and reset > _EPOCH_CUTOFF:
        reset = max(0.0, reset - (time.time() if now is None else now))
    if limit is None and remaining is None and reset is None:
        return None
    return RateHeaders(None if limit is None else int(limit), None if remaining is None else int(remaining),
                       reset, _windows(limit_text))


class FakeClock:
    """A manual clock for tests: ``now()`` returns a number you move with ``advance``."""

    def __init__(self, start: float = 0.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def usable_burst(rate: Rate) -> int:
    """The burst a bucket of ``rate`` hands out: ``rate.burst`` less the :data:`JITTER_ALLOWANCE`
    reserve, never below 1.

    >>> usable_burst(Rate(per_minute=600, burst=10)), usable_burst(Rate(per_minute=60, burst=1))
    (6, 1)
    """
    assert rate.burst is not None
    return rate.burst - min(rate.burst - 1, int(rate.per_second * JITTER_ALLOWANCE))


class TokenBucket:
    """One category's bucket. ``reserve()`` claims a token and says how long to wait for it.

    Reservations are made under a lock and are first-come first-served; the waiting itself
    happens outside the lock, so threads queue fairly without blocking each other's math.
    """

    def __init__(self, rate: Rate, *, clock: "FakeClock | None" = None) -> None:
        self.rate = rate
        self._now: Callable[[], float] = clock.now if clock else time.monotonic
        self._lock = threading.Lock()
        self._interval = 1.0 / rate.per_second
        #: The burst actually used: ``rate.burst`` less the jitter reserve (never below 1).
        self.usable_burst = usable_burst(rate)
        # The moment at which the bucket would be full again if nothing else were taken.
        # A token is available at time t when t >= self._tat - (usable_burst - 1) * interval.
        self._tat = self._now()

    def reserve(self) -> float:
        """Claim one token; return the seconds to wait before using it (0.0 = go now).

        >>> bucket = TokenBucket(Rate(per_minute=600, burst=10), clock=FakeClock())  # 4 of 10 held back
        >>> [round(bucket.reserve(), 3) for _ in range(8)][-3:]
        [0.0, 0.1, 0.2]
        """
        with self._lock:
            now = self._now()
            tat = max(self._tat, now)
            earliest = tat - (self.usable_burst - 1) * self._interval
            wait = max(0.0, earliest - now)
            self._tat = tat + self._interval
            return wait

    def pause_until(self, moment: float) -> None:
        """No token before ``moment`` (a time on this bucket's clock): used after a 429."""
        with self._lock:
            self._tat = max(self._tat, moment + (self.usable_burst - 1) * self._interval)

    def pause_for(self, seconds: float) -> None:
        """No token for the next ``seconds``: used after a 429 or a response saying none are left.

        >>> clock = FakeClock()
        >>> bucket = TokenBucket(Rate(per_minute=60, burst=1), clock=clock)
        >>> bucket.pause_for(5.0); bucket.reserve()
        5.0
        """
        self.pause_until(self._now() + seconds)


class RateBudget:
    """The client's buckets, one per category, created on first use.

    >>> budget = RateBudget({"ads_read": Rate(per_minute=120, burst=1)})
    >>> budget.rate("ads_read").per_minute, budget.rate("ads_analytics").per_minute
    (120, 300)
    """

    def __init__(
        self,
        overrides: Mapping[str, Rate | float | None] | None = None,
        *,
        defaults: Mapping[str, Rate] = DEFAULT_RATES,
        clock: FakeClock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rates: dict[str, Rate | None] = dict(defaults)
        for category, rate in (overrides or {}).items():
            if rate is not None and not isinstance(rate, Rate):
                rate = Rate(per_minute=float(rate))
            self._rates[category] = rate  # None = unlimited
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket | None] = {}
        self._lock = threading.Lock()

    def rate(self, category: str) -> Rate | None:
        """The rate in force for ``category`` (``None`` when unlimited).

        A category may carry a scope after a colon, such as ``"ads_conversions:549755885175"``:
        it gets a bucket of its own at the category's rate (Pinterest limits conversions per ad
        account), unless the scoped name has an override of its own.

        >>> RateBudget().rate("ads_conversions:549755885175").per_minute
        5000
        """
        if category in self._rates:
            return self._rates[category]
        base, _, scope = category.partition(":")
        if scope and base in self._rates:
            return self._rates[base]
        return _FALLBACK

    def _bucket(self, category: str) -> TokenBucket | None:
        with self._lock:
            if category not in self._buckets:
                rate = self.rate(category)
                self._buckets[category] = self._new_bucket(category, rate) if rate else None
            return self._buckets[category]

    def _new_bucket(self, category: str, rate: Rate) -> TokenBucket:
        """The bucket of ``category`` (a subclass may keep it elsewhere: see :mod:`.shared_budget`)."""
        return TokenBucket(rate, clock=self._clock)

    def acquire(self, category: str) -> float:
        """Block until a call in ``category`` may be sent; return the seconds waited."""
        waited = 0.0
        for name in ("universal", category):
            bucket = self._bucket(name)
            if bucket is None:
                continue
            wait = bucket.reserve()
            if wait > 0:
                self._sleep(wait)
                waited += wait
        return waited

    def observe(self, category: str, info: RateHeaders | None) -> float:
        """Let a response's rate headers steer ``category``: none left → no call until the reset;
        fewer than :data:`LOW_REMAINING` of the limit left → the next call waits ``reset /
        (remaining + 1)`` so the rest spread over the window. Returns the pause set (0.0 = none).

        >>> budget = RateBudget(clock=FakeClock())
        >>> budget.observe("ads_read", RateHeaders(limit=100, remaining=3, reset=20.0))
        5.0
        """
        if info is None or info.remaining is None:
            return 0.0
        reset = info.reset if info.reset is not None else 1.0
        if info.remaining <= 0:
            pause = reset
        elif info.limit and info.remaining < info.limit * LOW_REMAINING and info.reset is not None:
            pause = reset / (info.remaining + 1)
        else:
            return 0.0
        pause = min(pause, 3600.0)  # a garbled reset must not park the client for days
        if pause > 0:
            self.penalize(category, pause)
        return pause

    def penalize(self, category: str, seconds: float) -> None:
        """The server said 429: hold every caller of ``category`` back for ``seconds``."""
        bucket = self._bucket(category)
        if bucket is not None:
            bucket.pause_for(seconds)
