"""Analytics rows (sync JSON, async report files, targeting analytics) → one tidy frame.

A tidy analytics frame has, in order: ``ad_account_id``, ``currency`` (the account's currency,
which every money column of the row is in), the level's id column
(``campaign_id``, ``ad_group_id``, ``ad_id``, ``keyword_id``…), ``date`` (a ``date`` for
DAY/WEEK/MONTH, a UTC timestamp for HOUR, absent for TOTAL), then one column per requested
metric, named as Pinterest names it and typed by :func:`pintools.analytics.columns.kind_of`.
A metric missing from a row is NA, never a ``KeyError``.

>>> rows = [{"CAMPAIGN_ID": 5, "DATE": "2026-11-01", "SPEND_IN_MICRO_DOLLAR": 1500000},
...         {"CAMPAIGN_ID": "5", "DATE": "2026-11-02"}]
>>> df = tidy_frame(rows, level="campaign", columns=["SPEND_IN_MICRO_DOLLAR", "CTR"], granularity="DAY", ad_account_id="9")
>>> df.dtypes.astype(str).tolist()
['string', 'string', 'string', 'datetime64[ns]', 'Int64', 'Float64']
>>> df["SPEND_IN_MICRO_DOLLAR"].tolist()
[1500000, <NA>]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from .columns import kind_of

#: level → (row id field, frame id column)
ID_FIELDS = {
    "ad_account": ("AD_ACCOUNT_ID", None),
    "campaign": ("CAMPAIGN_ID", "campaign_id"),
    "ad_group": ("AD_GROUP_ID", "ad_group_id"),
    "ad": ("AD_ID", "ad_id"),
    "keyword": (None, "keyword_id"),  # no row column names a keyword: see keyword_performance
}
_ALT_ID_FIELDS = {"ad": ("PIN_PROMOTION_ID",), "ad_account": ("ADVERTISER_ID",)}
_KIND_DTYPES = {"id": "string", "str": "string", "micro": "Int64", "int": "Int64", "micro_rate": "Float64",
                "money": "Float64", "float": "Float64"}
_HOUR_FORMATS = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}(:\d{2}(:\d{2})?)?)?(Z|[+-]00:?00)?$")


def _number(value: Any, kind: str, column: str) -> Any:
    if value is None or value == "":
        return None
    if kind in ("micro", "int"):
        if isinstance(value, bool):
            raise TypeError(f"{column}: expected a number, got {value!r}")
        if isinstance(value, int):
            return value
        number = Decimal(str(value))
        if number != number.to_integral_value():
            # Pinterest sends integers; round half away from zero if it ever sends a fraction
            number = number.quantize(Decimal(1), rounding="ROUND_HALF_UP")
        return int(number)
    if kind in ("id", "str"):
        return str(value)
    return float(value)


def _metric_array(values: list[Any], column: str) -> Any:
    kind = kind_of(column)
    return pd.array([_number(v, kind, column) for v in values], dtype=_KIND_DTYPES[kind])


def parse_dates(values: Sequence[Any], granularity: str) -> Any:
    """``DATE`` values → calendar days as ``datetime64[ns]`` (Pinterest's UTC reporting days, at
    midnight), or UTC timestamps for HOUR (date or datetime text).

    >>> parse_dates(["2026-11-01", None], "DAY")
    <DatetimeArray>
    ['2026-11-01 00:00:00', 'NaT']
    Length: 2, dtype: datetime64[ns]
    """
    if granularity == "HOUR":
        stamps = pd.to_datetime(pd.Series(list(values), dtype="object"), utc=True, format="mixed")
        return stamps.astype("datetime64[ns, UTC]").array
    out = []
    for v in values:
        if v is None or v == "":
            out.append(None)
        elif isinstance(v, dt.date):
            out.append(v if not isinstance(v, dt.datetime) else v.date())
        else:
            out.append(dt.date.fromisoformat(str(v)[:10]))
    return pd.array(pd.to_datetime(pd.Series(out, dtype="object")).astype("datetime64[ns]"))


def tidy_frame(
    rows: Iterable[Mapping[str, Any]],
    *,
    level: str,
    columns: Sequence[str],
    granularity: str,
    ad_account_id: str,
    currency: str | None = None,
    extra: Mapping[str, Sequence[Any]] | None = None,
) -> pd.DataFrame:
    """Build the tidy frame from API rows (see the module docstring).

    ``currency`` is the ad account's currency (:meth:`pintools.Client.currency_of`), on every row.

    ``extra`` inserts ready-made columns after the id/date columns (e.g. targeting type and
    value for targeting analytics), one value per row.
    """
    rows = list(rows)
    id_field, id_column = ID_FIELDS[level]
    data: dict[str, Any] = {"ad_account_id": pd.array([ad_account_id] * len(rows), dtype="string"),
                            "currency": pd.array([currency] * len(rows), dtype="string")}
    if id_column is not None:
        ids = []
        for r in rows:
            value = r.get(id_field)
            for alt in _ALT_ID_FIELDS.get(level, ()):
                value = r.get(alt) if value is None else value
            ids.append(None if value is None else str(value))
        data[id_column] = pd.array(ids, dtype="string")
    if granularity != "TOTAL":
        data["date"] = parse_dates([r.get("DATE") for r in rows], granularity)
    for name, values in (extra or {}).items():
        data[name] = values
    for column in columns:
        if column in data or column in (id_field, "DATE"):
            continue
        data[column] = _metric_array([r.get(column) for r in rows], column)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    keys = [c for c in (id_column, "date") if c is not None and c in frame.columns]
    if keys and len(frame):
        frame = frame.sort_values(keys, kind="stable", ignore_index=True)
    return frame

