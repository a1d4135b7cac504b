"""How pintools waits on Pinterest's asynchronous work: async reports and bulk upsert jobs alike.

One :class:`PollPolicy` says how often to ask (first wait, growth, longest wait), when to give up
(``timeout``), and how long to keep re-reading a write whose outcome is unknown before deciding
it did not land (``settle``, used when resuming an interrupted apply).

>>> policy = PollPolicy(first=1, factor=2, longest=5)
>>> delays = policy.delays()
>>> [next(delays) for _ in range(5)]
[1, 2, 4, 5, 5]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PollPolicy:
    """Waiting on asynchronous work, in seconds.

    ``first``, ``factor``, ``longest``: the waits between polls grow from ``first`` by ``factor``
    up to ``longest``. ``timeout``: the longest a report or bulk job is waited for. ``settle``:
    how long a resumed apply keeps re-reading entities that a write in flight at the
    interruption may still change, before it decides that write did not land.

    >>> PollPolicy(first=0.01, longest=0.05).timeout
    1800.0
    """

    first: float = 0.5
    factor: float = 1.5
    longest: float = 15.0
    timeout: float = 30 * 60.0
    settle: float = 60.0

    def __post_init__(self) -> None:
        for name in ("first", "factor", "longest", "timeout", "settle"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"PollPolicy.{name} must be a number >= 0, got {value!r}")
        if self.factor < 1:
            raise ValueError(f"PollPolicy.factor must be >= 1 (waits never shrink), got {self.factor!r}")

    def delays(self) -> Iterator[float]:
        """The waits between polls: ``first``, then × ``factor`` each time, capped at ``longest``."""
        delay = self.first
        while True:
            yield delay
            delay = min(self.longest, delay * self.factor)


#: The policy used when none is given.
DEFAULT_POLL = PollPolicy()
