"""Analytics query rules (no HTTP): dates and their limits, columns, granularity, attribution.

Limits (digest §8, §10; "today" = the emulator clock's UTC date):

============  ==================  ===========================================
kind          furthest back       longest range (calendar days, inclusive)
============  ==================  ===========================================
sync          today − 90 days     90 (91 behind a control-plane switch)
async         today − 914 days    186
HOUR (both)   today − 8 days      3
PRODUCT_ITEM  today − 92 days     31
============  ==================  ===========================================

Everywhere: ``start_date`` ≤ ``end_date`` and no date after today. Every violation raises
:class:`~pintools.emulator.errors.QueryError`, which the routes answer as their family's 400.

Example:
    >>> from datetime import date
    >>> check_range(date(2024, 5, 1), date(2024, 5, 2), "DAY", date(2024, 6, 1), SYNC).days
    2
    >>> check_range(date(2024, 5, 1), date(2024, 5, 5), "HOUR", date(2024, 5, 6), SYNC)
    Traceback (most recent call last):
    ...
    pintools.emulator.errors.QueryError: HOUR granularity allows at most 3 days per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models.metrics import Settings

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Limits(NamedTuple):
    """How far back a range may start and how many calendar days it may hold."""

    lookback_days: int
    max_days: int


SYNC = Limits(90, 90)
ASYNC = Limits(914, 186)
HOUR = Limits(8, 3)
PRODUCT_ITEM = Limits(92, 31)


class Range(NamedTuple):
    """A checked date range."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Query:
    """A checked analytics query (dates, granularity, columns, conversion settings).

    Example:
        >>> from datetime import date
        >>> Query(date(2024, 1, 1), date(2024, 1, 2), "DAY", ("SPEND_IN_DOLLAR",), Settings()).granularity
        'DAY'
    """

    start: date
    end: date
    granularity: str
    columns: tuple[str, ...]
    settings: Settings


def parse_date(value, name: str) -> date:
    """A ``YYYY-MM-DD`` date; QueryError otherwise.

    Example:
        >>> parse_date("2024-02-29", "start_date").isoformat()
        '2024-02-29'
    """
    if not isinstance(value, str) or not value:
        raise QueryError(f"{name} is required (YYYY-MM-DD).")
    if not _DATE.match(value):
        raise QueryError(f"{name} must be a date in YYYY-MM-DD format.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} is not a valid date.") from None


def check_range(start: date, end: date, granularity: str, today: date, limits: Limits) -> Range:
    """Apply the date rules above (HOUR uses :data:`HOUR` whatever ``limits`` says)."""
    if start > end:
        raise QueryError("start_date must not be after end_date.")
    if end > today:
        raise QueryError(f"Dates cannot be in the future (today is {today.isoformat()} UTC).")
    if granularity == "HOUR":
        limits = HOUR
    if (today - start).days > limits.lookback_days:
        raise QueryError(f"start_date cannot be more than {limits.lookback_days} days before today"
                         + (" for HOUR granularity." if limits is HOUR else "."))
    span = (end - start).days + 1
    if span > limits.max_days:
        if limits is HOUR:
            raise QueryError(f"HOUR granularity allows at most {limits.max_days} days per request.")
        raise QueryError(f"The date range cannot be longer than {limits.max_days} days (start_date and end_date "
                         f"both count; this one has {span}). Split it into shorter ranges.")
    return Range(start, end)


def check_granularity(value) -> str:
    """One of TOTAL, DAY, HOUR, WEEK, MONTH (digest §17 #12: not WEEKLY/MONTHLY)."""
    if value is None or value == "":
        raise QueryError("granularity is required.")
    if value not in enums.GRANULARITIES:
        raise QueryError(f"granularity must be one of {', '.join(enums.GRANULARITIES)}.")
    return value


def check_columns(values, allowed: frozenset[str], kind: str = "") -> tuple[str, ...]:
    """A non-empty column list, each in ``allowed`` (duplicates dropped, order kept)."""
    if not values:
        raise QueryError("columns is required.")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise QueryError(f"Unknown {kind}column(s): {', '.join(unknown[:5])}.")
    return tuple(dict.fromkeys(values))


def check_window(value, name: str, default: int) -> int:
    """An attribution window: 0, 1, 7, 14, 30 or 60 days."""
    if value is None or value == "":
        return default
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name} must be one of 0, 1, 7, 14, 30, 60.") from None
    if isinstance(value, bool) or days not in enums.ATTRIBUTION_WINDOW_DAYS:
        raise QueryError(f"{name} must be one of 0, 1, 7, 14, 30, 60.")
    return days


def check_report_time(value) -> str:
    """TIME_OF_AD_ACTION (default) or TIME_OF_CONVERSION."""
    if value is None or value == "":
        return "TIME_OF_AD_ACTION"
    if value not in enums.CONVERSION_REPORT_TIMES:
        raise QueryError("conversion_report_time must be TIME_OF_AD_ACTION or TIME_OF_CONVERSION.")
    return value


def check_attribution_types(values) -> bool:
    """INDIVIDUAL and/or HOUSEHOLD; returns whether HOUSEHOLD attribution is on."""
    if not values:
        return False
    for value in values:
        if value not in enums.ATTRIBUTION_TYPES:
            raise QueryError("attribution_types must be INDIVIDUAL or HOUSEHOLD.")
    return "HOUSEHOLD" in values


def settings(click=None, engagement=None, view=None, report_time=None, attribution_types=None) -> Settings:
    """Conversion settings from raw parameter values (defaults 30 / 30 / 1 days, TIME_OF_AD_ACTION).

    Example:
        >>> settings(click="7").click_window
        7
    """
    return Settings(
        click_window=check_window(click, "click_window_days", 30),
        engagement_window=check_window(engagement, "engagement_window_days", 30),
        view_window=check_window(view, "view_window_days", 1),
        report_time=check_report_time(report_time),
        household=check_attribution_types(attribution_types),
    )
