"""The retry policy as small pure functions: whether to try again, and how long to wait.

Rules (Pinterest retries its own webhooks on 429 and 5xx only, and so do we):

* 429 — the request was refused, not processed: retry any method.
* 5xx — retry reads (and calls marked idempotent). A write is never resent blindly:
  the outcome is unknown, so the caller gets :class:`~pintools.http.errors.WriteOutcomeUnknown`.
* Connection never made (DNS, refused, connect timeout): nothing reached the server, retry.
* Connection broken after the request was sent (read timeout, reset, truncated body):
  retry reads; for writes the outcome is unknown.
* Any other 4xx: give up at once.

>>> policy = RetryPolicy(max_attempts=3)
>>> decide("GET", status=503, attempt=1, policy=policy)
<Decision.RETRY: 'retry'>
>>> decide("PATCH", status=500, attempt=1, policy=policy)
<Decision.OUTCOME_UNKNOWN: 'outcome_unknown'>
>>> decide("GET", status=503, attempt=3, policy=policy)
<Decision.GIVE_UP: 'give_up'>
"""

from __future__ import annotations

import email.utils
import enum
import random
from dataclasses import dataclass

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Decision(enum.Enum):
    """What to do after one attempt failed."""

    RETRY = "retry"
    GIVE_UP = "give_up"
    OUTCOME_UNKNOWN = "outcome_unknown"


class Failure(enum.Enum):
    """How an attempt failed when there is no HTTP status to look at."""

    NOT_SENT = "not_sent"  # connection refused, DNS failure, connect timeout
    BROKEN = "broken"  # sent, then the connection dropped or timed out before a full answer


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to try and how to space the tries.

    ``max_attempts`` counts the first try. Delays grow as ``backoff_base * 2**(attempt-1)``,
    capped at ``backoff_max``, with "equal jitter" (half fixed, half random) so that many
    clients do not retry in lockstep. A ``Retry-After`` from the server is honoured up to
    ``max_retry_after`` seconds.

    >>> RetryPolicy().max_attempts
    5
    """

    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 300.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.backoff_base < 0 or self.backoff_max < 0:
            raise ValueError("backoff_base and backoff_max must not be negative")


NO_RETRY = RetryPolicy(max_attempts=1)


def is_read(method: str) -> bool:
    """True for methods that never change server state.

    >>> is_read("get"), is_read("PATCH")
    (True, False)
    """
    return method.upper() in READ_METHODS


def decide(
    method: str,
    *,
    attempt: int,
    policy: RetryPolicy,
    status: int | None = None,
    failure: Failure | None = None,
    idempotent: bool | None = None,
) -> Decision:
    """Decide what follows a failed attempt number ``attempt`` (1 = the first try).

    Give either ``status`` (an HTTP error status) or ``failure`` (no status: the connection
    failed). ``idempotent`` overrides the method's default (e.g. a POST that only reads,
    or a conversions upload that Pinterest deduplicates by ``event_id``).

    >>> decide("POST", failure=Failure.NOT_SENT, attempt=1, policy=RetryPolicy())
    <Decision.RETRY: 'retry'>
    >>> decide("POST", failure=Failure.BROKEN, attempt=1, policy=RetryPolicy())
    <Decision.OUTCOME_UNKNOWN: 'outcome_unknown'>
    >>> decide("GET", status=400, attempt=1, policy=RetryPolicy())
    <Decision.GIVE_UP: 'give_up'>
    """
    if (status is None) == (failure is None):
        raise ValueError("give exactly one of status or failure")
    safe = is_read(method) if idempotent is None else idempotent
    attempts_left = attempt < policy.max_attempts

    if status is not None:
        if status == 429:
            return Decision.RETRY if attempts_left else Decision.GIVE_UP
        if status >= 500:
            if not safe:
                return Decision.OUTCOME_UNKNOWN
            return Decision.RETRY if attempts_left else Decision.GIVE_UP
        return Decision.GIVE_UP

    if failure is Failure.BROKEN and not safe:
        return Decision.OUTCOME_UNKNOWN
    return Decision.RETRY if attempts_left else Decision.GIVE_UP


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    ``now`` is the current Unix time, used for the date form. Garbage gives ``None``.

    >>> parse_retry_after("2", now=0.0)
    2.0
    >>> parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0)
    6.0
    >>> parse_retry_after("soon", now=0.0) is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - now
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff_delay(
    attempt: int,
    *,
    policy: RetryPolicy,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to sleep before try number ``attempt + 1``.

    With a server ``retry_after`` we wait exactly that (capped at ``policy.max_retry_after``)
    plus up to 10 % jitter, never less. Otherwise exponential backoff with equal jitter.

    >>> backoff_delay(1, policy=RetryPolicy(backoff_base=1.0), retry_after=2.0, rng=random.Random(0)) >= 2.0
    True
    >>> 0.5 <= backoff_delay(1, policy=RetryPolicy(backoff_base=1.0), rng=random.Random(0)) <= 1.0
    True
    """
    rng = rng or random
    if retry_after is not None:
        base = min(retry_after, policy.max_retry_after)
        return base + rng.uniform(0, 0.1 * base) if base > 0 else 0.0
    ceiling = min(policy.backoff_max, policy.backoff_base * (2 ** max(0, attempt - 1)))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)
