"""Counting what a sync asks of the API: calls sent per rate category, answers refused with 429,
and retries (from the requestor's warnings), for the run log and the planner.

The counter wraps the client's rate budget (every attempt takes a token from it), so it counts
without touching the HTTP layer; the budget itself still paces every call.

>>> from pintools.http.ratelimit import RateBudget
>>> counter = CallCounter(RateBudget())
>>> counter.acquire("ads_analytics"); counter.acquire("ads_analytics"); counter.penalize("ads_analytics", 0.0)
0.0
0.0
>>> counter.snapshot()
{'calls': {'ads_analytics': 2}, 'throttled': {'ads_analytics': 1}, 'retries': 0}
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from contextlib import contextmanager
from typing import Any


class CallCounter:
    """A rate budget that counts: ``acquire`` (one attempt sent), ``penalize`` (a 429 answered);
    everything else goes to the wrapped budget."""

    def __init__(self, budget: Any) -> None:
        self._budget = budget
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.retries = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._budget, name)

    def acquire(self, category: str) -> float:
        with self._lock:
            self.calls[category.partition(":")[0]] += 1
        return self._budget.acquire(category)

    def penalize(self, category: str, seconds: float) -> None:
        with self._lock:
            self.throttled[category.partition(":")[0]] += 1
        self._budget.penalize(category, seconds)

    def snapshot(self) -> dict:
        """Counts so far: ``{"calls": {category: n}, "throttled": {category: n}, "retries": n}``."""
        with self._lock:
            return {"calls": dict(self.calls), "throttled": dict(self.throttled), "retries": self.retries}


class _RetryCounter(logging.Handler):
    def __init__(self, counter: CallCounter) -> None:
        super().__init__(logging.WARNING)
        self.counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        if "retry" in str(record.msg):
            with self.counter._lock:
                self.counter.retries += 1


@contextmanager
def counting(client: Any):
    """Count the calls ``client`` makes inside the block; yields the :class:`CallCounter`.

    >>> class C: pass
    >>> c = C(); c.requestor = C(); c.requestor.budget = None
    >>> with counting(c) as n: n.snapshot()["calls"]
    {}
    """
    requestor = client.requestor
    original = requestor.budget
    counter = CallCounter(original)
    handler = _RetryCounter(counter)
    log = logging.getLogger("pintools.http")
    requestor.budget = counter
    log.addHandler(handler)
    try:
        yield counter
    finally:
        log.removeHandler(handler)
        requestor.budget = original
