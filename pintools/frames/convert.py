"""API records ↔ typed DataFrames (the currency-unit view, :func:`in_currency_units`, lives in
:mod:`pintools.frames.money` and is re-exported here).

>>> from pintools.frames.schema import KEYWORD
>>> df = to_frame([{"id": "7", "value": "sofa", "match_type": "EXACT", "bid": 1100000}], KEYWORD,
...               constants={"ad_account_id": "1", "currency": "USD"})
>>> df[["id", "bid_in_micro_currency", "currency"]].dtypes.astype(str).tolist()
['string', 'Int64', 'string']
>>> in_currency_units(df)["bid"].tolist()
[1.1]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .money import in_currency_units
from .schema import Field, Schema

__all__ = ["explode_targeting", "in_currency_units", "to_frame", "to_records"]

log = logging.getLogger("pintools.frames")


def _get(record: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _column(values: list[Any], field: Field) -> pd.Series | pd.api.extensions.ExtensionArray:
    kind = field.kind
    if kind in ("id", "str", "enum"):
        return pd.array([None if v is None else str(v) for v in values], dtype="string")
    if kind in ("int", "micro"):
        return pd.array([_int_or_none(v, field) for v in values], dtype="Int64")
    if kind == "bool":
        return pd.array([None if v is None else bool(v) for v in values], dtype="boolean")
    if kind == "time":
        ints = pd.array([_int_or_none(v, field) for v in values], dtype="Int64")
        return pd.to_datetime(pd.Series(ints, dtype="Int64"), unit="s", utc=True).astype("datetime64[ns, UTC]").array
    return pd.array(values, dtype="object")


def _int_or_none(value: Any, field: Field) -> int | None:
    if value is None or type(value) is int:
        return value
    if isinstance(value, bool):
        raise TypeError(f"{field.column}: expected an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise TypeError(f"{field.column}: expected an integer, got {value!r}")


def to_frame(
    records: Iterable[Mapping[str, Any]],
    schema: Schema,
    *,
    constants: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Typed frame from API records: every schema column, in order, with its dtype.

    ``constants`` fills columns the records lack (``ad_account_id``, ``currency``). Fields
    the schema does not know (e.g. from a newer API version) are kept as extra object
    columns after the schema's. No records → an empty frame that still has every column.
    """
    records = list(records)
    constants = dict(constants or {})
    data: dict[str, Any] = {}
    for field in schema.fields:
        if len(field.api) == 1:
            key = field.api[0]
            values = [r.get(key) for r in records]
        else:
            values = [_get(r, field.api) for r in records]
        if field.column in constants and all(v is None for v in values):
            values = [constants[field.column]] * len(records)
        data[field.column] = _column(values, field)
    if schema.has_currency:
        data["currency"] = pd.array([constants.get("currency")] * len(records), dtype="string")
    known = schema.api_fields
    extras: dict[str, None] = {}
    for r in records:
        for key in r:
            if key not in known:
                extras[key] = None
    for key in extras:
        log.debug("%s: keeping unknown API field %r as an extra column", schema.entity, key)
        data[key] = pd.array([r.get(key) for r in records], dtype="object")
    return pd.DataFrame(data, index=pd.RangeIndex(len(records)))


def to_records(frame: pd.DataFrame, schema: Schema, *, columns: Iterable[str] | None = None) -> list[dict]:
    """Frame rows → API bodies (the inverse of :func:`to_frame` for the chosen columns).

    Ids and enums become strings, micro columns plain ints, times Unix seconds; NA is left
    out (absent = unchanged in Pinterest's PATCH semantics).

    >>> from pintools.frames.schema import CAMPAIGN
    >>> df = pd.DataFrame({"id": ["1"], "daily_spend_cap_micro": pd.array([5000000], dtype="Int64")})
    >>> to_records(df, CAMPAIGN)
    [{'id': '1', 'daily_spend_cap': 5000000}]
    """
    wanted = list(columns) if columns is not None else [c for c in frame.columns if c != "currency"]
    fields = []
    for col in wanted:
        try:
            fields.append(schema.field(col))
        except KeyError:
            raise KeyError(f"column {col!r} is not a {schema.entity} field; known columns: "
                           f"{', '.join(schema.columns)}") from None
    out = []
    for row in frame[[f.column for f in fields]].itertuples(index=False, name=None):
        record: dict[str, Any] = {}
        for field, value in zip(fields, row, strict=True):
            if value is None or (not isinstance(value, (dict, list)) and pd.isna(value)):
                continue
            target = record
            for key in field.api[:-1]:
                target = target.setdefault(key, {})
            target[field.api[-1]] = _to_api(value, field)
        out.append(record)
    return out


def _to_api(value: Any, field: Field) -> Any:
    if field.kind in ("id", "str", "enum"):
        return str(value)
    if field.kind in ("int", "micro"):
        return int(value)
    if field.kind == "bool":
        return bool(value)
    if field.kind == "time":
        return int(pd.Timestamp(value).timestamp())
    return value


def explode_targeting(ad_groups: pd.DataFrame) -> pd.DataFrame:
    """Ad groups' ``targeting_spec`` as a long frame: one row per (ad group, type, value).

    >>> ag = pd.DataFrame({"id": ["5"], "targeting_spec": [{"GENDER": ["female"], "AGE_BUCKET": ["25-34", "35-44"]}]})
    >>> explode_targeting(ag).values.tolist()
    [['5', 'AGE_BUCKET', '25-34'], ['5', 'AGE_BUCKET', '35-44'], ['5', 'GENDER', 'female']]
    """
    rows = []
    for ad_group_id, spec in zip(ad_groups["id"], ad_groups["targeting_spec"], strict=True):
        if not isinstance(spec, Mapping):
            continue
        for ttype in sorted(spec):
            values = spec[ttype]
            for value in values if isinstance(values, list) else [values]:
                rows.append((ad_group_id, ttype, value if isinstance(value, str) else str(value)))
    return pd.DataFrame(rows, columns=["ad_group_id", "targeting_type", "value"]).astype("string")
