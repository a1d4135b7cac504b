"""pintools frames → rows dlt loads: plain Python values, column names lower-cased, and column
hints that keep ids text, money exact integers and days dates in every destination.

>>> import pandas as pd
>>> frame = pd.DataFrame({"id": pd.array(["549755813888123456"], dtype="string"),
...                       "SPEND_IN_MICRO_DOLLAR": pd.array([1500000], dtype="Int64"),
...                       "date": pd.to_datetime(["2026-11-01"]), "CTR": pd.array([None], dtype="Float64")})
>>> frame_records(frame)
[{'id': '549755813888123456', 'spend_in_micro_dollar': 1500000, 'date': datetime.date(2026, 11, 1), 'ctr': None}]
>>> column_hints(["ad_account_id", "spend_in_micro_dollar", "date", "ctr"])["spend_in_micro_dollar"]
{'data_type': 'bigint', 'nullable': True}
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..analytics.columns import ALL_COLUMNS, kind_of

_METRICS = frozenset(ALL_COLUMNS)
#: columns whose values are calendar days (DAY analytics), loaded as dates
DATE_COLUMNS = frozenset({"date"})


def _plain(value: Any, day: bool) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if day else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, list | dict | str):  # numpy scalars
        return value.item()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """Rows of ``frame`` as dicts of plain values (NA → None, ``date`` → ``datetime.date``, other
    timestamps → timezone-aware ``datetime``), column names lower-cased.

    >>> frame_records(pd.DataFrame({"ID": pd.array([None], dtype="string")}))
    [{'id': None}]
    """
    names = [str(c).lower() for c in frame.columns]
    days = [n in DATE_COLUMNS for n in names]
    columns = [frame[c].astype(object).tolist() for c in frame.columns]
    return [{name: _plain(value, day) for name, day, value in zip(names, days, row, strict=True)}
            for row in zip(*columns, strict=True)] if len(frame) else []


def column_hints(names: Iterable[str]) -> dict[str, dict]:
    """dlt column hints: ``*_id`` and ``currency`` text, ``date`` a date, metrics by their kind
    (money in micro-currency and counts ``bigint``, rates ``double``).

    >>> column_hints(["campaign_id", "date"])
    {'campaign_id': {'data_type': 'text', 'nullable': True}, 'date': {'data_type': 'date', 'nullable': True}}
    """
    hints: dict[str, dict] = {}
    for name in names:
        lower = name.lower()
        if lower.endswith("_id") or lower in ("id", "currency", "attribution", "targeting_type", "targeting_value",
                                              "level", "run_id", "keyword", "match_type", "match"):
            kind = "text"
        elif lower in DATE_COLUMNS:
            kind = "date"
        elif lower == "is_final":
            kind = "bool"
        elif name.upper() in _METRICS:
            metric = kind_of(name.upper())
            kind = {"micro": "bigint", "int": "bigint", "id": "text", "str": "text"}.get(metric, "double")
        else:
            continue
        hints[lower] = {"data_type": kind, "nullable": True}
    return hints


def today_text(day: dt.date) -> str:
    """A date as ``YYYY-MM-DD`` (state values are text, so they survive any destination).

    >>> today_text(dt.date(2026, 11, 15))
    '2026-11-15'
    """
    return day.isoformat()
