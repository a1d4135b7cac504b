"""Prepared frames to the JSON events the API takes, and back.

:func:`to_events` turns rows of a prepared frame into ``ConversionEvents.data`` items: missing
values are left out (never sent as ``"nan"``), hashed fields become arrays, and the dotted
column names become the nested ``user_data`` and ``custom_data`` objects.
:func:`from_events` reverses it (a dead-letter file is read back this way).

>>> frame = pd.DataFrame({"event_name": ["lead"], "action_source": ["web"], "event_time": [1763200000],
...                       "event_id": ["e1"], "user_data.em": ["a" * 64], "custom_data.value": [pd.NA]})
>>> to_events(frame)[0]["user_data"], "custom_data" in to_events(frame)[0]
({'em': ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']}, False)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .consent import withheld
from .fields import FIELDS


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and np.isnan(value)


def _column_values(column: pd.Series, kind: str) -> list:
    """Plain Python values (NA → None) for JSON, converted once per column."""
    values = column.astype(object).tolist()
    if kind == "hashed":
        return [None if _missing(v) else ([v] if isinstance(v, str) else list(v)) for v in values]
    if kind in {"int", "time"}:
        return [None if _missing(v) else int(v) for v in values]
    if kind == "bool":
        return [None if _missing(v) else bool(v) for v in values]
    if kind in {"str_list", "contents"}:
        return [None if v is None or (not isinstance(v, (list, tuple)) and _missing(v)) else list(v) for v in values]
    return [None if _missing(v) else str(v) for v in values]


def sendable(prepared: pd.DataFrame) -> pd.Series:
    """Which rows of a prepared frame may be sent: no ``problems``, not withheld for consent, and
    not an exact copy of another row (``duplicate_of``) — what :func:`pintools.send_conversions`
    sends. Select with it before :func:`to_events` when you send events yourself.

    >>> frame = pd.DataFrame({"problems": [pd.NA, "event_id is missing", pd.NA],
    ...                       "duplicate_of": [pd.NA, pd.NA, 0], "consent": [True, True, True]})
    >>> sendable(frame).tolist()
    [True, False, False]
    """
    ok = pd.Series(True, index=prepared.index)
    if "problems" in prepared:
        ok &= prepared["problems"].isna()
    if "duplicate_of" in prepared:
        ok &= prepared["duplicate_of"].isna()
    return ok & withheld(prepared).isna()


def to_events(frame: pd.DataFrame) -> list[dict]:
    """The API events of a frame's rows (columns that are not fields are ignored). It converts every
    row it is given — rows with problems, without consent or duplicate copies too: to send events
    yourself, take ``to_events(prepared[sendable(prepared)])``."""
    fields = [(path, FIELDS[path]) for path in frame.columns if path in FIELDS]
    columns = [(path.split(".", 1), _column_values(frame[path], field.kind)) for path, field in fields]
    events: list[dict] = []
    for row in range(len(frame)):
        event: dict = {}
        for parts, values in columns:
            value = values[row]
            if value is None:
                continue
            if len(parts) == 1:
                event[parts[0]] = value
            else:
                event.setdefault(parts[0], {})[parts[1]] = value
        event.setdefault("user_data", {})
        events.append(event)
    return events


def from_events(events: Iterable[dict], index: Iterable | None = None) -> pd.DataFrame:
    """A frame with one column per field path from API events (hashes and all, as sent).

    >>> from_events([{"event_name": "lead", "user_data": {"em": ["a" * 64]}}]).columns.tolist()
    ['event_name', 'user_data.em']
    """
    rows = []
    for event in events:
        row = {}
        for key, value in event.items():
            if isinstance(value, dict) and key in {"user_data", "custom_data", "app_info", "device_info"}:
                for inner, item in value.items():
                    row[f"{key}.{inner}"] = item
            else:
                row[key] = value
        rows.append(row)
    frame = pd.DataFrame(rows, index=None if index is None else list(index))
    return frame.astype(object).where(frame.notna(), None) if len(frame) else frame
