"""Date ranges people use: presets resolved on the API's clock, complete days by default.

A preset names a range of whole UTC days (Pinterest's reporting days) relative to *today* — the
emulator's clock when embedded, the real date otherwise (``client.today()``). Ranges end
**yesterday**, the last complete day, unless ``include_today=True``: a partial day makes every
line drop at the end and judges rules on half a day.

==================  ================================================================
preset              range (today = 2026-11-15)
==================  ================================================================
``yesterday``       2026-11-14 .. 2026-11-14
``last_7_days``     2026-11-08 .. 2026-11-14 (7 complete days; 14, 30 and 90 alike)
``this_month``      2026-11-01 .. 2026-11-14 (``month_to_date`` is the same range)
``last_month``      2026-10-01 .. 2026-10-31
==================  ================================================================

>>> import datetime as dt
>>> resolve_range("last_7_days", today=dt.date(2026, 11, 15))
(datetime.date(2026, 11, 8), datetime.date(2026, 11, 14))
>>> resolve_range("2026-11-01", today=dt.date(2026, 11, 15), include_today=True)
(datetime.date(2026, 11, 1), datetime.date(2026, 11, 15))
"""

from __future__ import annotations

import datetime as dt

from .windows import as_date

ROLLING = {"yesterday": 1, "last_7_days": 7, "last_14_days": 14, "last_30_days": 30, "last_90_days": 90}
PRESETS = (*ROLLING, "this_month", "month_to_date", "last_month")
ONE_DAY = dt.timedelta(days=1)


def last_day(today: dt.date, *, include_today: bool = False) -> dt.date:
    """The last day a default range covers: yesterday (the last complete day), or today.

    >>> last_day(dt.date(2026, 11, 15))
    datetime.date(2026, 11, 14)
    """
    return today if include_today else today - ONE_DAY


def preset_range(name: str, *, today: dt.date, include_today: bool = False) -> tuple[dt.date, dt.date]:
    """The ``(start, end)`` of a preset (see the module docstring); a clear error naming the presets.

    >>> preset_range("last_month", today=dt.date(2026, 1, 10))
    (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    """
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    end = last_day(today, include_today=include_today)
    if key in ROLLING:
        return end - dt.timedelta(days=ROLLING[key] - 1), end
    if key in ("this_month", "month_to_date"):
        first = today.replace(day=1)
        if end < first:
            raise ValueError(f"{name!r} has no complete day yet on {today} (the 1st of the month, UTC): "
                             "pass include_today=True for today's partial numbers, or use 'last_month'")
        return first, end
    if key == "last_month":
        last = today.replace(day=1) - ONE_DAY
        return last.replace(day=1), last
    raise ValueError(f"unknown date preset {name!r}; use a date ('YYYY-MM-DD') or one of: {', '.join(PRESETS)}")


def is_preset(value: object) -> bool:
    """True when ``value`` is a preset's name (any case, spaces or dashes for underscores).

    >>> is_preset("Last 7 days"), is_preset("2026-11-01")
    (True, False)
    """
    return isinstance(value, str) and value.strip().lower().replace(" ", "_").replace("-", "_") in PRESETS


def resolve_range(start: "dt.date | str", end: "dt.date | str | None" = None, *, today: dt.date,
                  include_today: bool = False) -> tuple[dt.date, dt.date]:
    """``(start, end)`` dates from a preset, or from a start date and an optional end date (which
    defaults to yesterday, or today with ``include_today``).

    >>> resolve_range("yesterday", today=dt.date(2026, 11, 15))
    (datetime.date(2026, 11, 14), datetime.date(2026, 11, 14))
    """
    if isinstance(start, str) and not start.strip()[:1].isdigit():  # a preset's name, or a misspelt one
        if end is not None and is_preset(start):
            raise ValueError(f"start_date {start!r} is a preset, which sets its own end: leave end_date out "
                             f"(got end_date={end!r})")
        return preset_range(str(start), today=today, include_today=include_today)
    first = as_date(start, "start_date")
    last = as_date(end, "end_date") if end is not None else last_day(today, include_today=include_today)
    if last < first:
        hint = " (the default end is yesterday; pass include_today=True to end today)" if end is None else ""
        raise ValueError(f"end_date {last} is before start_date {first}{hint}")
    return first, last


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start..end`` (for period-over-period).

    >>> previous_period(dt.date(2026, 11, 8), dt.date(2026, 11, 14))
    (datetime.date(2026, 11, 1), datetime.date(2026, 11, 7))
    """
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - ONE_DAY
