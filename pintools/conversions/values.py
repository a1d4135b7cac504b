"""Column values as the payload holds them: text, ids, enums, whole numbers, flags, lists and
``contents`` — nothing changes on the way.

Ids (:data:`ID_FIELDS`, ``content_ids`` and each ``contents`` item's ``id``) are text. A
number column holding whole numbers gives ``"1001"`` whatever its dtype (pandas makes a
column of order numbers with one gap ``float64``; ``1001.0`` must not become a second id).
A fractional number, a true/false column, and a column mixing text with numbers are refused
naming the column: read such a column as text (``pd.read_csv(..., dtype=str)``).

>>> issues = Issues(pd.RangeIndex(3))
>>> id_column(pd.Series([1001.0, None, 1002.0]), issues, "event_id").tolist()
['1001', <NA>, '1002']
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .checks import Issues, rows_text
from .dtypes import TEXT
from .fields import CONTENT_FIELDS
from .hashing import trimmed_strings
from .money import decimal_text, is_decimal_text, money_column

#: Fields that hold identifiers: sent as text, never as a number's text (``1001.0``).
ID_FIELDS = ("event_id", "custom_data.order_id", "user_data.partner_id", "user_data.click_id",
             "user_data.external_id", "custom_data.external_measurement_id", "app_id")
_CONTENT_ALIASES = {"product_id": "id", "sku": "id", "price": "item_price", "unit_price": "item_price",
                    "name": "item_name", "category": "item_category", "brand": "item_brand", "qty": "quantity"}
_EXACT_FLOAT = 2**53
_STRIP = np.frompyfunc(str.strip, 1, 1)


def text_values(values: pd.Series) -> pd.Series:
    """Trimmed strings (``string`` dtype); blanks and missing values are NA.

    >>> text_values(pd.Series([" a ", "", None, 42])).tolist()
    ['a', <NA>, <NA>, '42']
    """
    if pd.api.types.is_object_dtype(values.dtype) or isinstance(values.dtype, pd.StringDtype):
        cells = values.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(cells, skipna=True) == "string":  # the common case, without a Python loop
            missing = pd.isna(cells)
            if missing.any():
                cells = np.where(missing, "", cells)
            cells = _STRIP(cells).astype(object)
            cells[cells == ""] = pd.NA
            return pd.Series(pd.arrays.StringArray(cells), index=values.index)
    return pd.Series(pd.array(trimmed_strings(values), dtype=TEXT), index=values.index)


def id_cell(value) -> tuple[str | None, str | None]:
    """(id text, None) or (None, why it is not an id) for one value.

    >>> id_cell(1001.0), id_cell(" A-1 "), id_cell(True)[1]
    (('1001', None), ('A-1', None), 'is true/false, not an id')
    """
    if isinstance(value, (bool, np.bool_)):
        return None, "is true/false, not an id"
    if isinstance(value, (int, np.integer)):
        return str(int(value)), None
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return None, None
        if not np.isfinite(value) or value % 1 != 0:
            return None, f"{value!r} is not a whole number"
        if abs(value) >= _EXACT_FLOAT:
            return None, f"{value!r} is too large to be exact as a number"
        return str(int(value)), None
    if value is None or value is pd.NA or value is pd.NaT:
        return None, None
    return (str(value).strip() or None), None


def id_column(values: pd.Series, issues: Issues, label: str) -> pd.Series:
    """Ids as text (``string`` dtype); cells that are not ids are NA with a problem naming the column.

    >>> issues = Issues(pd.RangeIndex(2))
    >>> id_column(pd.Series(["A-1", 7], dtype=object), issues, "event_id").isna().all()
    np.True_
    >>> print(issues.errors[1])  # doctest: +NORMALIZE_WHITESPACE
    event_id mixes text (row 0) and numbers (row 1), so ids may have lost leading zeros
    or gained '.0'; read the column as text (dtype=str)
    """
    dtype = values.dtype
    if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred in ("string", "empty"):
            return text_values(values)
    elif pd.api.types.is_bool_dtype(dtype):
        issues.error(values.notna(), f"{label} is a true/false column, not ids; map it to an id column")
        return pd.Series(pd.NA, index=values.index, dtype=TEXT)
    elif dtype.kind in "iu":
        return pd.Series(pd.array(values.astype(str).to_numpy(), dtype=TEXT), index=values.index)
    cells = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells)
    read = [id_cell(v) for v in uniques.tolist()]
    is_text = [isinstance(v, str) for v in uniques.tolist()]
    is_number = [not t and why is None and text is not None for t, (text, why) in zip(is_text, read, strict=True)]
    if any(is_text) and any(is_number):
        where = np.array(is_text + [False])[codes]
        numbers = np.array(is_number + [False])[codes]
        issues.error(codes >= 0, f"{label} mixes text ({rows_text(values.index[where])}) and numbers "
                                 f"({rows_text(values.index[numbers])}), so ids may have lost "
                                 f"leading zeros or gained '.0'; read the column as text (dtype=str)")
        return pd.Series(pd.NA, index=values.index, dtype=TEXT)
    why = np.array([w for _, w in read] + [None], dtype=object)[codes]
    refused = np.array([w is not None for w in why], dtype=bool)
    issues.error(refused, lambda mask: [f"{label} {w}; ids from a number column must be whole numbers (read "
                                        f"the column as text, dtype=str)" if "true/false" not in w
                                        else f"{label} {w}" for w in why[mask]])
    result = np.array([t for t, _ in read] + [None], dtype=object)[codes]
    return pd.Series(pd.array(result, dtype=TEXT), index=values.index)


def filled(df: pd.DataFrame, column: str | None, default: str | None, *, lower: bool) -> pd.Series:
    """A text column with ``default`` where it is missing (or ``default`` for every row when no column)."""
    if column is None:  # the same value for every row
        value = pd.NA if default is None else (default.lower() if lower else default)
        return pd.Series(value, index=df.index, dtype=TEXT)
    values = text_values(df[column])
    if lower:
        values = recase(values, str.lower)
    if default is not None:
        values = values.fillna(default.lower() if lower else default)
    return values


def recase(values: pd.Series, change) -> pd.Series:
    """``str.lower``/``str.upper`` once per distinct value (these columns repeat a few values)."""
    return values.map({v: change(v) for v in values.dropna().unique()}).astype(TEXT)


def plain(values: pd.Series, path: str, kind: str, issues: Issues, label: str) -> pd.Series:
    """One column of a ``str``/``int``/``bool``/``decimal`` field, checked."""
    if path in ID_FIELDS:
        return id_column(values, issues, label)
    if kind == "int":
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & (numbers.isna() | (numbers % 1 != 0) | (numbers < 0))
        issues.error(bad, f"{label} is not a whole number")
        return numbers.mask(bad).astype("Int64")
    if kind == "bool":
        text = text_values(values).str.lower()
        mapped = text.map({"true": True, "1": True, "yes": True, "y": True, "false": False, "0": False,
                           "no": False, "n": False, "1.0": True, "0.0": False})
        issues.error(text.notna() & mapped.isna(), f"{label} is not true or false")
        return mapped.astype("boolean")
    if kind == "decimal":
        return money_column(values, issues, label)
    text = text_values(values)
    if path == "language":
        text = text.str.lower()
        issues.warn(text.notna() & ~text.str.fullmatch(r"[a-z]{2}").fillna(False).astype(bool),
                    f"{label} is not a two-letter ISO-639-1 code")
    if path == "partner_name":
        issues.warn(text.notna() & ~text.str.startswith("ss-").fillna(False).astype(bool),
                    f"{label} should look like 'ss-partnername' (lower case)")
    return text


def _missing(cell) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell))


def string_lists(values: pd.Series, issues: Issues, label: str) -> pd.Series:
    """Lists of ids, from list cells (numbers as whole-number ids) or "A, B | C" text."""
    problems: dict[int, str] = {}

    def one(position: int, cell):
        if isinstance(cell, (list, tuple, np.ndarray)):
            items = []
            for value in cell:
                text, why = id_cell(value)
                if why is not None:
                    problems[position] = f"{label} item {value!r} {why}"
                elif text:
                    items.append(text)
        elif _missing(cell):
            return None
        else:
            items = [part.strip() for part in re.split(r"[,|;]", id_cell(cell)[0] or "") if part.strip()]
        return items or None

    out = pd.Series([one(p, c) for p, c in enumerate(values.tolist())], index=values.index, dtype=object)
    if problems:
        mask = np.zeros(len(values), dtype=bool)
        mask[list(problems)] = True
        issues.error(mask, lambda rows: [problems[p] for p in np.flatnonzero(rows)])
        out[mask] = None
    return out


def contents(values: pd.Series, issues: Issues, label: str) -> pd.Series:
    """``contents`` lists: each item a mapping of the six allowed keys (common aliases understood)."""
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    problems_at: dict[int, str] = {}
    for position, cell in enumerate(values.tolist()):
        if _missing(cell):
            continue
        if isinstance(cell, str):
            try:
                cell = json.loads(cell)
            except ValueError:
                problems_at[position] = f"{label} is not a JSON list of products"
                continue
        if isinstance(cell, Mapping):
            cell = [cell]
        if not isinstance(cell, (list, tuple)):
            problems_at[position] = f"{label} is not a list of products"
            continue
        items, problems = [], []
        for n, item in enumerate(cell):
            if not isinstance(item, Mapping):
                problems.append(f"{label}[{n}] is not an object")
                continue
            clean = {}
            for key, value in item.items():
                name = _CONTENT_ALIASES.get(str(key), str(key))
                if name not in CONTENT_FIELDS:
                    problems.append(f"{label}[{n}] has unknown field {key!r} (allowed: {', '.join(CONTENT_FIELDS)})")
                    continue
                if _missing(value):
                    continue
                value, problem = _content_value(CONTENT_FIELDS[name], value, f"{label}[{n}].{name}")
                if problem:
                    problems.append(problem)
                else:
                    clean[name] = value
            items.append(clean)
        if problems:
            problems_at[position] = "; ".join(problems)
        else:
            out.iloc[position] = items
    if problems_at:
        mask = np.zeros(len(values), dtype=bool)
        mask[list(problems_at)] = True
        issues.error(mask, lambda rows: [problems_at[p] for p in np.flatnonzero(rows)])
    return out


def _content_value(kind: str, value, where: str):
    """(value, None) or (None, problem) for one key of one ``contents`` item."""
    if kind == "decimal":
        if isinstance(value, (bool, np.bool_)):
            return None, f"{where} is true/false, not a price"
        text = (decimal_text(value) or "") if isinstance(value, (int, float, np.number)) else str(value).strip()
        return (text, None) if is_decimal_text(text) else (None, f"{where} '{text}' is not a decimal number")
    if kind == "int":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, f"{where} is not a whole number"
        return (int(number), None) if number % 1 == 0 and not isinstance(value, bool) else \
            (None, f"{where} is not a whole number")
    if where.endswith(".id"):
        text, why = id_cell(value)
        return (text, None) if why is None else (None, f"{where} {why}")
    return str(value), None
