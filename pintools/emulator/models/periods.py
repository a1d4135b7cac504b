"""Reporting periods: how days (or hours) of ``[start_date, end_date]`` group into rows.

- ``DAY``: one period per date, ``DATE`` = the date.
- ``WEEK``: ISO weeks (Monday–Sunday) cut to the requested range; ``MONTH``: calendar months
  cut to the range. The ``DATE`` of a WEEK/MONTH row is the **first requested date in that
  period** (so a range starting on a Wednesday opens with a row dated that Wednesday, and the
  next rows are dated Mondays / the 1st).
- ``TOTAL``: one period for the whole range, no ``DATE``.
- ``HOUR``: one period per UTC hour, ``DATE`` = ``YYYY-MM-DD HH:MM:SS`` (digest §17 #14).

A period groups consecutive *slots*: days, or ``day × 24 + hour`` for HOUR. ``starts`` holds
the first slot of each period, so summing per period is one exact integer reduction.

Example:
    >>> from datetime import date
    >>> p = periods(date(2024, 3, 13), date(2024, 3, 19), "WEEK")
    >>> p.labels, p.days
    (['2024-03-13', '2024-03-18'], [5.0, 2.0])
    >>> periods(date(2024, 3, 1), date(2024, 3, 1), "HOUR").labels[13]
    '2024-03-01 13:00:00'
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import numpy as np


class Periods(NamedTuple):
    """Row periods of a range: ``labels`` (``DATE`` or None), ``days`` (length of each, in days),
    ``starts`` (first slot of each period) or None when every slot is its own period."""

    labels: list[str | None]
    days: list[float]
    starts: np.ndarray | None

    def aggregate(self, values: np.ndarray) -> np.ndarray:
        """Per-slot int values ``(R, slots)`` → per-period sums ``(R, P)`` (exact)."""
        if self.starts is None or values.shape[1] == 0:
            return values
        return np.add.reduceat(values, self.starts, axis=1)


def _period_key(day: date, granularity: str):
    if granularity == "WEEK":
        return day - timedelta(days=day.weekday())
    if granularity == "MONTH":
        return day.replace(day=1)
    if granularity == "TOTAL":
        return None
    return day


def periods(start: date, end: date, granularity: str) -> Periods:
    """The periods of ``[start, end]`` at a granularity (TOTAL, DAY, HOUR, WEEK, MONTH)."""
    n_days = (end - start).days + 1
    dates = [start + timedelta(days=i) for i in range(n_days)]
    if granularity == "HOUR":
        labels = [f"{d.isoformat()} {h:02d}:00:00" for d in dates for h in range(24)]
        return Periods(labels, [1 / 24] * len(labels), None)
    if granularity == "DAY":
        return Periods([d.isoformat() for d in dates], [1.0] * n_days, None)
    keys: dict = {}
    for d in dates:
        keys.setdefault(_period_key(d, granularity), []).append(d)
    labels = [None if granularity == "TOTAL" else members[0].isoformat() for members in keys.values()]
    lengths = [float(len(members)) for members in keys.values()]
    starts = np.array([(members[0] - start).days for members in keys.values()], dtype=np.int64)
    return Periods(labels, lengths, starts)
