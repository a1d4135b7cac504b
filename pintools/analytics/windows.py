"""Date windows: check a requested range against Pinterest's limits and split it into the
fewest windows each call may cover.

Limits (v5.12.0 operation texts, digest §8 and §10):

==============================  ===================  =====================================
path                            furthest back        one call covers
==============================  ===================  =====================================
sync, granularity ≠ HOUR        90 days before today 90 calendar days (end ≤ start + 89)
sync, HOUR                      8 days before today  3 calendar days
async report, ≠ HOUR            914 days             186 calendar days
async report, HOUR              8 days               3 calendar days
==============================  ===================  =====================================

"Today" is in UTC. Dates after today are refused.

>>> from datetime import date
>>> plan_windows(date(2026, 1, 1), date(2026, 6, 30), granularity="DAY", today=date(2026, 7, 1))
Traceback (most recent call last):
...
ValueError: start_date 2026-01-01 is 181 days before today (2026-07-01 UTC); sync analytics reach back 90 days
>>> [str(w) for w in plan_windows(date(2026, 6, 1), date(2026, 6, 7), granularity="HOUR", today=date(2026, 6, 7))]
['2026-06-01..2026-06-03', '2026-06-04..2026-06-06', '2026-06-07..2026-06-07']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

GRANULARITIES = ("TOTAL", "DAY", "HOUR", "WEEK", "MONTH")


@dataclass(frozen=True)
class Limits:
    """How far back a path reaches and how many calendar days one call may span."""

    lookback_days: int
    max_span_days: int  # inclusive calendar days per call
    label: str


SYNC = Limits(lookback_days=90, max_span_days=90, label="sync analytics")
SYNC_HOUR = Limits(lookback_days=8, max_span_days=3, label="hourly analytics")
ASYNC = Limits(lookback_days=914, max_span_days=186, label="async reports")
ASYNC_HOUR = Limits(lookback_days=8, max_span_days=3, label="hourly analytics")


@dataclass(frozen=True, order=True)
class Window:
    """An inclusive date range ``start``..``end``."""

    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def as_date(value: "dt.date | str", name: str) -> dt.date:
    """A ``date`` from a date, datetime or ``YYYY-MM-DD`` string; a clear error otherwise.

    >>> as_date("2026-03-01", "start_date")
    datetime.date(2026, 3, 1)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} must be a date or 'YYYY-MM-DD', got {value!r}") from None


def limits_for(granularity: str, *, report: bool) -> Limits:
    if report:
        return ASYNC_HOUR if granularity == "HOUR" else ASYNC
    return SYNC_HOUR if granularity == "HOUR" else SYNC


def check_range(start: dt.date, end: dt.date, *, today: dt.date) -> None:
    """Errors that no splitting can fix: end before start, dates in the future."""
    if end < start:
        raise ValueError(f"end_date {end} is before start_date {start}")
    if end > today:
        raise ValueError(f"end_date {end} is in the future (today is {today} UTC); Pinterest has no data for it yet")


def needs_report(start: dt.date, granularity: str, *, today: dt.date) -> bool:
    """True when ``start`` is further back than sync analytics reach (so an async report is needed).

    >>> needs_report(dt.date(2026, 1, 1), "DAY", today=dt.date(2026, 6, 1))
    True
    """
    return (today - start).days > limits_for(granularity, report=False).lookback_days


def plan_windows(
    start: dt.date,
    end: dt.date,
    *,
    granularity: str,
    today: dt.date,
    report: bool = False,
) -> list[Window]:
    """The fewest consecutive windows covering ``start``..``end`` within the path's limits.

    >>> [str(w) for w in plan_windows(dt.date(2025, 1, 1), dt.date(2025, 12, 31), granularity="DAY",
    ...                               today=dt.date(2026, 5, 1), report=True)]
    ['2025-01-01..2025-07-05', '2025-07-06..2025-12-31']
    """
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    check_range(start, end, today=today)
    limits = limits_for(granularity, report=report)
    back = (today - start).days
    if back > limits.lookback_days:
        raise ValueError(f"start_date {start} is {back} days before today ({today} UTC); "
                         f"{limits.label} reach back {limits.lookback_days} days")
    if granularity == "TOTAL" and (end - start).days + 1 > limits.max_span_days:
        raise ValueError(f"granularity TOTAL over {(end - start).days + 1} days cannot be split without "
                         f"changing its meaning; {limits.label} allow {limits.max_span_days} days per call — "
                         f"use DAY (and sum) or a shorter range")
    windows = []
    cursor = start
    step = dt.timedelta(days=limits.max_span_days - 1)
    while cursor <= end:
        stop = min(end, cursor + step)
        windows.append(Window(cursor, stop))
        cursor = stop + dt.timedelta(days=1)
    return windows
