"""Token-bucket rate limits per (caller key, ``x-ratelimit-category``).

The caller key is chosen by the app: ``token:<access token>`` for most operations,
``app:<app id>`` for ``oauth/token`` and ``account:<ad account id>`` for ``events/create``,
whose limit is per ad account whatever the token.

Defaults follow digest §1.3 (Standard tier): ads_read 1000/min, ads_analytics 300/min;
ads_conversions 5000/min, the spec's own ``events/create`` text ("5,000 calls per minute per ad
account"), which wins over the rate-limit page's 120,000/min; the numbers the docs do not give
(ads_write, trends_read, org_*, catalogs_*) default to 1000/min. A bucket holds ``burst`` tokens (default = per_minute) and
refills at ``per_minute / 60`` per second. Real time (``time.monotonic``) drives refills, not the
emulator clock, so a fixed clock never freezes a bucket.

Rate headers: the spec defines none (digest §1.3), so by default the emulator sends none but
``Retry-After`` on a 429 (header form ``"none"``). Two other forms can be switched on
(``POST /_emulator/rate_limits {"header_form": ...}``), sent on every API answer for the
request's bucket: ``"ratelimit"`` — ``X-RateLimit-Limit: 1000, 1000;w=60`` (the multi-window
form: the bucket's capacity and the seconds it takes to refill), ``X-RateLimit-Remaining``,
``X-RateLimit-Reset`` (seconds until full) — and ``"userendpoint"`` —
``x-userendpoint-ratelimit-limit``/``-remaining``/``-reset-seconds``, the v3-era names
third-party code reads. Both are the emulator's guesses at what Pinterest sends.

Example:
    >>> limits = RateLimiter({"ads_read": (2, 2)})
    >>> [limits.take("tok", "ads_read") for _ in range(3)][:2]
    [0, 0]
    >>> limits.take("tok", "ads_read") >= 1
    True
    >>> limits.header_form = "ratelimit"
    >>> limits.headers("tok", "ads_read")["X-RateLimit-Remaining"]
    '0'
"""

from __future__ import annotations

import math
import time

DEFAULT_RATE_LIMITS: dict[str, int | None] = {
    "ads_read": 1000,
    "ads_write": 1000,
    "ads_analytics": 300,
    "ads_conversions": 5000,
    "trends_read": 1000,
    "org_read": 1000,
    "org_write": 1000,
    "org_analytics": 300,
    "catalogs_read": 1000,
    "catalogs_write": 1000,
}


HEADER_FORMS = ("none", "ratelimit", "userendpoint")


def normalise_limits(limits: dict | None) -> dict[str, tuple[int | None, int | None]]:
    """``{category: per_minute | (per_minute, burst) | {"per_minute":..,"burst":..} | None}`` → pairs.

    Example:
        >>> normalise_limits({"ads_write": {"per_minute": 60, "burst": 5}})["ads_write"]
        (60, 5)
    """
    result: dict[str, tuple[int | None, int | None]] = {c: (n, None) for c, n in DEFAULT_RATE_LIMITS.items()}
    for category, value in (limits or {}).items():
        if isinstance(value, dict):
            result[category] = (value.get("per_minute"), value.get("burst"))
        elif isinstance(value, (tuple, list)):
            result[category] = (value[0], value[1] if len(value) > 1 else None)
        else:
            result[category] = (value, None)
    return result


class RateLimiter:
    """Buckets per (caller key, category); ``take`` answers 0 (allowed) or seconds to wait.

    Not thread-safe by itself: the state lock guards it.

    Example:
        >>> RateLimiter({"ads_read": None}).take("t", "ads_read")
        0
    """

    def __init__(self, limits: dict | None = None, now=time.monotonic):
        self._now = now
        self._limits = normalise_limits(limits)
        self._buckets: dict[tuple[str, str], list[float]] = {}
        self.header_form = "none"

    def set_header_form(self, form: str) -> None:
        """Choose the rate headers sent on every answer: one of :data:`HEADER_FORMS`.

        Example:
            >>> limiter = RateLimiter()
            >>> limiter.set_header_form("userendpoint")
            >>> limiter.header_form
            'userendpoint'
        """
        if form not in HEADER_FORMS:
            raise ValueError(f"header_form must be one of {', '.join(HEADER_FORMS)}; got {form!r}")
        self.header_form = form

    def headers(self, key: str, category: str) -> dict[str, str]:
        """The rate headers of the (key, category) bucket in the current form (``{}`` for
        ``"none"`` or an unlimited category).

        Example:
            >>> limiter = RateLimiter({"ads_read": 60})
            >>> limiter.header_form = "userendpoint"
            >>> limiter.take("t", "ads_read")
            0
            >>> limiter.headers("t", "ads_read")
            {'x-userendpoint-ratelimit-limit': '60', 'x-userendpoint-ratelimit-remaining': '59', \
'x-userendpoint-ratelimit-reset-seconds': '1'}
        """
        per_minute, burst = self._limits.get(category, (None, None))
        if self.header_form == "none" or per_minute is None:
            return {}
        capacity = float(burst if burst is not None else per_minute)
        rate = per_minute / 60.0
        bucket = self._buckets.get((key, category))
        tokens = capacity if bucket is None else min(capacity, bucket[0] + (self._now() - bucket[1]) * rate)
        remaining = int(math.floor(tokens + 1e-9))
        reset = math.ceil((capacity - tokens) / rate - 1e-9) if tokens < capacity else 0
        if self.header_form == "userendpoint":
            return {"x-userendpoint-ratelimit-limit": str(int(capacity)),
                    "x-userendpoint-ratelimit-remaining": str(remaining),
                    "x-userendpoint-ratelimit-reset-seconds": str(reset)}
        window = math.ceil(capacity / rate)
        return {"X-RateLimit-Limit": f"{int(capacity)}, {int(capacity)};w={window}",
                "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}

    def configure(self, category: str, per_minute: int | None, burst: int | None = None) -> None:
        """Change one category's limit (``per_minute=None`` = unlimited); its buckets restart full."""
        if per_minute is not None and int(per_minute) <= 0:
            raise ValueError("per_minute must be a positive integer or None")
        if burst is not None and int(burst) <= 0:
            raise ValueError("burst must be a positive integer or None")
        self._limits[category] = (None if per_minute is None else int(per_minute), None if burst is None else int(burst))
        self._buckets = {key: b for key, b in self._buckets.items() if key[1] != category}

    def limits(self) -> dict[str, dict]:
        """The configured limits, for the control plane."""
        return {c: {"per_minute": pm, "burst": b if b is not None else pm} for c, (pm, b) in self._limits.items()}

    def clear(self) -> None:
        """Refill every bucket (forget all consumption) and go back to sending no rate headers."""
        self._buckets.clear()
        self.header_form = "none"

    def take(self, key: str, category: str) -> int:
        """Consume one request; 0 when allowed, else whole seconds (≥1) until one is available."""
        per_minute, burst = self._limits.get(category, (None, None))
        if per_minute is None:
            return 0
        capacity = float(burst if burst is not None else per_minute)
        rate = per_minute / 60.0
        now = self._now()
        bucket = self._buckets.get((key, category))
        if bucket is None:
            bucket = [capacity, now]
            self._buckets[(key, category)] = bucket
        tokens = min(capacity, bucket[0] + (now - bucket[1]) * rate)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0
        bucket[0] = tokens
        return max(1, math.ceil((1.0 - tokens) / rate))
