"""The ``changes`` frame of an edit plan: its columns, their dtypes, and plain values.

See :mod:`pintools.plans.model` for what each column holds.

>>> changes_frame([{"row": 0, "id": "7"}]).dtypes[["row", "id", "include"]].map(str).tolist()
['Int64', 'string', 'boolean']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

COLUMNS = ["row", "action", "entity_type", "ad_account_id", "id", "parent_id", "name", "field", "before", "after",
           "delta", "delta_pct", "currency", "verdict", "reason", "include", "force", "note", "updated_time",
           "expected", "result", "message", "created_id", "applied_at", "read_back"]
_STRING = ["action", "entity_type", "ad_account_id", "id", "parent_id", "name", "field", "currency", "verdict",
           "reason", "note", "result", "message", "created_id"]
_DTYPES = {"row": "Int64", "delta": "Int64", "delta_pct": "Float64", "updated_time": "Int64", "include": "boolean",
           "force": "boolean", **{c: "string" for c in _STRING}}
VERDICTS = ("pending", "ok", "warn", "blocked")
RESULTS = ("applied", "failed", "skipped", "blocked", "unknown")
_NEVER_MISSING = frozenset({str, int, bool, dict, list, tuple})


def is_missing(value: Any) -> bool:
    """None, NaN, NA and NaT are missing; containers and strings never are.

    >>> is_missing(pd.NA), is_missing(float("nan")), is_missing([]), is_missing("")
    (True, True, False, False)
    """
    if value is None:
        return True
    kind = type(value)
    if kind in _NEVER_MISSING:
        return False
    if kind is float:
        return value != value
    if isinstance(value, (dict, list, tuple, str, bool)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain(value: Any) -> Any:
    """A frame value as plain JSON-able Python: Timestamps → Unix seconds, numpy scalars → int/float,
    missing → None.

    >>> plain(pd.Timestamp("2026-11-15", tz="UTC")), plain(pd.NA), plain(pd.array([3], dtype="Int64")[0])
    (1794700800, None, 3)
    """
    if type(value) in _NEVER_MISSING:  # the common case, answered without pandas
        return value
    if is_missing(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return int(value.timestamp())
    if hasattr(value, "item") and not isinstance(value, (dict, list, str)):
        return value.item()
    return value


def changes_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The typed ``changes`` frame of a plan from row records (missing columns are empty).

    >>> changes_frame([{"row": 0, "id": "7"}])["include"].tolist()
    [True]
    """
    data: dict[str, Any] = {}
    for col in COLUMNS:
        values = [r.get(col) for r in rows]
        if col == "include":
            data[col] = pd.array([True if is_missing(v) else bool(v) for v in values], dtype="boolean")
        elif col == "force":
            data[col] = pd.array([False if is_missing(v) else bool(v) for v in values], dtype="boolean")
        elif col == "applied_at":
            data[col] = pd.to_datetime(pd.Series([None if is_missing(v) else v for v in values], dtype="object"),
                                       utc=True, format="ISO8601").array
        elif col in _STRING:
            data[col] = pd.array([None if is_missing(v) else str(v) for v in values], dtype="string")
        elif col in _DTYPES:
            data[col] = pd.array([plain(v) for v in values], dtype=_DTYPES[col])
        else:
            data[col] = pd.array([plain(v) for v in values], dtype="object")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def money_delta(field_kind: str, before: Any, after: Any) -> tuple[int | None, float | None]:
    """``(after − before, change in percent)`` for a money field; ``(None, None)`` otherwise.

    >>> money_delta("money", 1_000_000, 1_100_000), money_delta("enum", "ACTIVE", "PAUSED")
    ((100000, 10.0), (None, None))
    """
    if field_kind != "money" or not isinstance(before, int) or not isinstance(after, int) \
            or isinstance(before, bool) or isinstance(after, bool):
        return None, None
    delta = after - before
    return delta, (round(100.0 * delta / before, 2) if before else None)
