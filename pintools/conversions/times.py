"""``event_time`` as Unix seconds, from datetimes, ISO 8601 text, slash dates or epoch numbers.

A column of slash (or dot/dash) dates is read one way: its day/month order is decided once per
column — by ``date_format=`` or ``dayfirst=`` when given, else from the rows that can only be
read one way (``13/11/2026`` is day first, ``11/13/2026`` month first). A column whose rows
disagree, or whose dates are all ambiguous (``01/02/2026``), is refused with the rows that show
it; ISO dates (``2026-11-10``) are never ambiguous.

>>> issues = Issues(pd.RangeIndex(2))
>>> df = pd.DataFrame({"t": ["11/10/2026 10:00", "13/11/2026 10:00"]})
>>> [str(pd.Timestamp(s, unit="s").date()) for s in event_times(df, "t", "UTC", issues)]
['2026-10-11', '2026-11-13']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .checks import Issues, label, rows_text
from .dtypes import TEXT
from .values import text_values

_EPOCH = r"\d{9,13}(?:\.\d*)?"  # Unix seconds (or milliseconds, refused below), "1794744000.0" too
_SLASHED = r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?=$|[ T])(.*)"


def now_seconds(now: Any, client) -> int:
    """Unix seconds of ``now`` (seconds, a timestamp or its text; None: the API's clock).

    >>> now_seconds("2026-11-15T12:00:00Z", None)
    1794744000
    """
    if now is None:
        from ..client import default_client

        now = (client or default_client()).now()
    if isinstance(now, (int, float, np.integer)):
        return int(now)
    stamp = pd.Timestamp(now)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return int(stamp.timestamp())


def event_times(df: pd.DataFrame, column: str | None, timezone: str, issues: Issues, *,
                date_format: str | None = None, dayfirst: bool | None = None) -> pd.Series:
    """Unix seconds (``Int64``) from datetimes, ISO strings, slash dates or epoch numbers; naive
    times are in ``timezone``; ``date_format`` (``"%d/%m/%Y %H:%M"``) reads every text row."""
    if column is None:
        return pd.Series(pd.NA, index=df.index, dtype="Int64")
    values = df[column]
    name = label("event_time", column)
    if pd.api.types.is_datetime64_any_dtype(values):
        return _seconds(values, timezone)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce")
    else:
        text = text_values(values)
        present = text.notna()
        numbers = pd.Series(np.nan, index=df.index, dtype="Float64")
        epoch = pd.Series(False, index=df.index)
        head = text.dropna().head(50)
        if len(head) and head.str.fullmatch(_EPOCH).all():  # a column of epoch numbers
            epoch = present & text.str.fullmatch(_EPOCH).fillna(False).astype(bool)
        dated = present & ~epoch
        if dated.any():
            if date_format is not None:
                parsed = pd.to_datetime(text[dated], errors="coerce", format=date_format)
                numbers[dated] = _seconds(parsed, timezone).astype("Float64")
                issues.error(dated & numbers.isna(), f"{name} does not match date_format {date_format!r}")
                dated &= False
            else:
                numbers[dated] = _parse_times(text[dated], timezone, mixed=False)  # ISO 8601: the fast path
                dated &= numbers.isna()
                if dated.any():  # other layouts: slash dates in the column's one order, then any layout
                    text = _day_month_ordered(text, dated, dayfirst, issues, name)
                    numbers[dated] = _parse_times(text[dated], timezone)
                unparsed = dated & numbers.isna()
                if unparsed.any():  # a few epoch numbers among dates
                    epoch |= unparsed & text.where(unparsed).str.fullmatch(_EPOCH).fillna(False).astype(bool)
        numbers[epoch] = pd.to_numeric(text[epoch])
        issues.error(present & numbers.isna() & ~issues.rows_mentioning("event_time"),
                     f"{name} is not a date and time")
    millis = numbers > 10**11
    issues.error(millis, f"{name} looks like milliseconds; give Unix seconds")
    return numbers.mask(millis).round().astype("Int64")


def _day_month_ordered(text: pd.Series, dated: pd.Series, dayfirst: bool | None, issues: Issues,
                       name: str) -> pd.Series:
    """``text`` with its slash dates rewritten year first (``13/11/2026 10:00`` → ``2026-11-13 10:00``),
    in the one order the column has; rows that cannot be read that way become NA with a problem."""
    candidates = dated & text.str.match(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d").fillna(False).astype(bool)
    if not candidates.any():
        return text
    parts = text[candidates].str.extract(_SLASHED)
    parts = parts[parts[0].notna()]
    if parts.empty:
        return text
    first, second = parts[0].astype(int), parts[2].astype(int)
    day_first = (first > 12) & (second <= 12)        # 13/11/2026
    month_first = (second > 12) & (first <= 12)      # 11/13/2026
    ambiguous = (first <= 12) & (second <= 12) & (first != second)
    undecided = pd.Series(False, index=parts.index)
    if dayfirst is None:
        if day_first.any() and month_first.any():
            issues.error(text.index.isin(parts.index),
                         f"{name}: the column's dates disagree on the order of day and month ("
                         f"{rows_text(parts.index[day_first])} put the day first, "
                         f"{rows_text(parts.index[month_first])} the month); pass dayfirst= or date_format=")
            return text.mask(text.index.isin(parts.index))
        if not day_first.any() and not month_first.any():
            if ambiguous.any():
                issues.error(text.index.isin(parts.index[ambiguous]),
                             f"{name}: cannot tell day from month ({rows_text(parts.index[ambiguous])}, e.g. "
                             f"'{text[parts.index[ambiguous][0]]}'), and no row of the column shows the order; "
                             f"pass dayfirst=True or False, or date_format=")
            undecided, dayfirst = ambiguous, False
        else:
            dayfirst = bool(day_first.any())
    wrong = month_first if dayfirst else day_first
    if wrong.any():
        issues.error(text.index.isin(parts.index[wrong]),
                     f"{name} cannot be read {'day' if dayfirst else 'month'} first "
                     f"(dayfirst={dayfirst}; {rows_text(parts.index[wrong])})")
    day, month = (first, second) if dayfirst else (second, first)
    year = parts[3].where(parts[3].str.len() == 4, "20" + parts[3])
    iso = year + "-" + month.map("{:02d}".format) + "-" + day.map("{:02d}".format) + parts[4]
    refused = wrong | undecided
    out = text.copy()
    out[parts.index] = iso.astype(TEXT).mask(refused.to_numpy())
    return out


def _parse_times(text: pd.Series, timezone: str, *, mixed: bool = True) -> pd.Series:
    """Seconds from date/time strings: ISO 8601 on the fast path, other layouts after (unless not
    ``mixed``). Times with an offset or "Z" keep it; naive ones are in ``timezone``."""
    if timezone.upper() == "UTC":  # naive and aware parse the same way
        groups = [(pd.Series(True, index=text.index), True)]
    else:
        aware = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).fillna(False).astype(bool)
        groups = [(aware, True), (~aware, False)]
    out = pd.Series(np.nan, index=text.index, dtype="Float64")
    for mask, utc in groups:
        if not mask.any():
            continue
        part = text[mask]
        stamps = pd.to_datetime(part, errors="coerce", utc=utc, format="ISO8601")
        retry = stamps.isna() & part.notna()
        if mixed and retry.any():
            stamps = stamps.astype(object)
            stamps[retry] = pd.to_datetime(part[retry], errors="coerce", utc=utc, format="mixed")
            stamps = pd.to_datetime(stamps, utc=utc)
        out[mask] = _seconds(stamps, timezone).astype("Float64")
    return out


def _seconds(stamps: pd.Series, timezone: str) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is None:
        stamps = stamps.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    seconds = stamps.dt.tz_convert("UTC").dt.floor("s").dt.as_unit("s").astype("int64")
    return seconds.astype("Int64").mask(stamps.isna())
