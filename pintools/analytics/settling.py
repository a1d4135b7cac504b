"""When a day's numbers stop changing: conversions keep arriving for the attribution window.

With ``conversion_report_time=TIME_OF_AD_ACTION`` (Pinterest's default) a checkout made 20 days
after a click is counted on the day of the click, so a day's conversions keep growing until its
longest attribution window (click and engagement 30 days, view 1 day by default, per the API's
parameter docs) has passed. Pinterest's ``metrics_ready_state`` only says when a day's books
close for processing. pintools therefore calls a day **final** when more than the longest window
plus a margin of :data:`MARGIN_DAYS` (pintools' choice, for processing) has passed since it.
With ``TIME_OF_CONVERSION`` only the margin applies.

Rows of a day that is not final are marked ``is_final = False``; the cache never keeps them.

>>> import datetime as dt
>>> settle_days({})          # Pinterest's default windows: 30-day click and engagement
32
>>> last_final_day(dt.date(2026, 11, 15), {"click_window_days": 7, "engagement_window_days": 1,
...                                        "view_window_days": 1})
datetime.date(2026, 11, 5)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

#: Pinterest's defaults for the analytics attribution parameters (v5 spec parameter docs).
DEFAULT_ATTRIBUTION = {"click_window_days": 30, "engagement_window_days": 30, "view_window_days": 1,
                       "conversion_report_time": "TIME_OF_AD_ACTION"}
#: Days past the attribution window before a day counts as final (pintools' margin for processing).
MARGIN_DAYS = 2


def effective_attribution(params: Mapping[str, Any]) -> dict[str, Any]:
    """The attribution settings a query runs with: the given ones over Pinterest's defaults.

    >>> effective_attribution({"click_window_days": 7})["click_window_days"], effective_attribution({})["view_window_days"]
    (7, 1)
    """
    return {**DEFAULT_ATTRIBUTION, **{k: v for k, v in params.items() if v is not None}}


def settle_days(params: Mapping[str, Any]) -> int:
    """Days after which a day's numbers are final under these attribution settings.

    >>> settle_days({"conversion_report_time": "TIME_OF_CONVERSION"})
    2
    """
    settings = effective_attribution(params)
    if settings["conversion_report_time"] == "TIME_OF_CONVERSION":
        return MARGIN_DAYS
    longest = max(int(settings[k]) for k in ("click_window_days", "engagement_window_days", "view_window_days"))
    return longest + MARGIN_DAYS


def last_final_day(today: dt.date, params: Mapping[str, Any]) -> dt.date:
    """The latest day whose numbers are final on ``today`` (see :func:`settle_days`).

    >>> last_final_day(dt.date(2026, 11, 15), {})
    datetime.date(2026, 10, 13)
    """
    return today - dt.timedelta(days=settle_days(params) + 1)


def period_ends(dates: pd.Series, granularity: str, query_end: dt.date) -> pd.Series:
    """The last day each row covers: the day itself (DAY, HOUR), the week's 7th day (WEEK), the
    month's last day (MONTH); every TOTAL row covers up to the query's end.

    >>> period_ends(pd.Series(pd.to_datetime(["2026-10-05"])), "MONTH", dt.date(2026, 11, 1)).dt.day.tolist()
    [31]
    """
    if granularity == "TOTAL" or dates is None:
        return pd.Series(pd.Timestamp(query_end), index=getattr(dates, "index", None))
    days = pd.to_datetime(dates)
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_convert("UTC").dt.tz_localize(None)
    days = days.dt.normalize()
    if granularity == "WEEK":
        return days + pd.Timedelta(days=6)
    if granularity == "MONTH":
        return days + pd.offsets.MonthEnd(0)
    return days


def finality(frame: pd.DataFrame, *, granularity: str, query_end: dt.date, today: dt.date,
             params: Mapping[str, Any]) -> pd.DataFrame:
    """``frame`` with an ``is_final`` column (boolean) after its id and date columns.

    >>> df = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-11-14"]), "X": [1, 2]})
    >>> finality(df, granularity="DAY", query_end=dt.date(2026, 11, 14), today=dt.date(2026, 11, 15),
    ...          params={})["is_final"].tolist()
    [True, False]
    """
    boundary = pd.Timestamp(last_final_day(today, params))
    ends = period_ends(frame["date"] if "date" in frame.columns else pd.Series(index=frame.index, dtype="object"),
                       granularity, query_end)
    values = pd.array((ends <= boundary).to_numpy(dtype=bool), dtype="boolean")
    out = frame.copy()
    metrics_start = _first_metric_position(out)
    out.insert(metrics_start, "is_final", values)
    return out


def _first_metric_position(frame: pd.DataFrame) -> int:
    """Where the metric columns start: after ids, names, currency, date and targeting columns."""
    position = 0
    for i, column in enumerate(frame.columns):
        name = str(column)
        if name in ("ad_account_id", "currency", "date", "targeting_type", "targeting_value") \
                or name.endswith(("_id", "_name")) or name in ("keyword", "match_type"):
            position = i + 1
    return position
