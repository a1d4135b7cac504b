"""Any pintools frame to a file people open in a spreadsheet: ``to_excel`` and ``to_csv``.

What both writers do to a frame (entities, analytics, leads, ``plan.changes``, research frames):

- ids (``id``, ``*_id``, ``*_ID``) are text, never numbers: an 18-digit id keeps every digit
  (``@`` text cells in Excel); an integer Excel cannot hold exactly (16+ digits) is text too;
- timezone-aware times are naive UTC, the zone in the header: ``created_time (UTC)``;
- nested objects (``targeting_spec``, ``tracking_urls``, lists) are JSON text;
- each micro-currency column is followed by its value in currency units, named and converted by
  :func:`pintools.in_currency_units` (``budget_in_micro_currency`` then ``budget``);
- text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or CR)
  is inert: in CSV it gets a leading ``'``; in Excel it is a text cell (never a formula) with
  Excel's own quote prefix, so it reads back unchanged. Numbers, negative ones included, stay
  numbers, and so does text that is just a number (``-5``, ``+15551234567``);
- files are written atomically and privately (mode 0600, see :func:`pintools.files.write_private`):
  leads hold personal data, and no export needs to be readable by others.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["549755885175123456"], "name": ['=HYPERLINK("x")'],
...                    "created_time": pd.to_datetime([1763208000], unit="s", utc=True)})
>>> export_frame(df).iloc[0].tolist()
['549755885175123456', '\\'=HYPERLINK("x")', Timestamp('2025-11-15 12:00:00')]
>>> export_frame(df).columns.tolist()
['id', 'name', 'created_time (UTC)']
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .files import write_private

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: cells a spreadsheet may evaluate
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_EXACT = 10**15  # Excel keeps 15 significant digits: larger integers are written as text
_MICRO = re.compile(r"micro", re.IGNORECASE)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576  # Excel's sheet, header included
MAX_COLUMNS = 16_384
MAX_CELL_TEXT = 32_767
TEXT, DATE, DATETIME = "@", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"


def neutralise(text: str) -> str:
    """``text`` made inert for spreadsheets: a leading ``'`` when it starts like a formula.

    >>> neutralise('=HYPERLINK("x")'), neutralise("@SUM(A1)"), neutralise("-5"), neutralise("sofa")
    ('\\'=HYPERLINK("x")', "'@SUM(A1)", '-5', 'sofa')
    """
    if text.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def is_id_column(name: Any) -> bool:
    """Whether a column holds ids (``id``, ``campaign_id``, ``AD_GROUP_ID``): always written as text.

    >>> [is_id_column(c) for c in ("id", "ad_group_id", "CAMPAIGN_ID", "bid_in_micro_currency")]
    [True, True, True, False]
    """
    name = str(name).lower()
    return name == "id" or name.endswith("_id")


def _header(name: Any) -> str:
    return " ".join(map(str, name)) if isinstance(name, tuple) else str(name)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, bytes, dict, list, tuple, set, bool)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, Decimal)):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _plain(value: Any) -> Any:
    """One object-column value as a plain cell value (JSON text for containers)."""
    if _missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value) if abs(int(value)) < _EXACT else str(int(value))
    if isinstance(value, (float, np.floating, Decimal)):
        return float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple, set, frozenset, np.ndarray)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        stamp = pd.Timestamp(value)
        return stamp if stamp.tzinfo is None else stamp.isoformat()  # aware among other kinds: ISO with offset
    if isinstance(value, dt.date):
        return value
    return str(value)


def _id_text(value: Any) -> Any:
    if _missing(value):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return str(value)


def _aware_times(column: pd.Series) -> bool:
    values = column.dropna()
    return len(values) > 0 and all(isinstance(v, (dt.datetime, pd.Timestamp)) and v.tzinfo is not None
                                   for v in values)


def _column(name: str, column: pd.Series) -> tuple[str, pd.Series]:
    """(header, values) of one column as the writers write it (text not yet neutralised)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    if is_id_column(name):
        return name, column.map(_id_text, na_action="ignore").astype("string")
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return f"{name} (UTC)", column.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        return name, column
    if pd.api.types.is_integer_dtype(column.dtype):
        if column.dropna().abs().ge(_EXACT).any():
            return name, column.map(_id_text, na_action="ignore").astype("string")
        return name, column
    if pd.api.types.is_numeric_dtype(column.dtype):
        return name, column
    if isinstance(column.dtype, pd.StringDtype):
        return name, column
    if _aware_times(column):
        times = pd.to_datetime(column, utc=True).dt.tz_localize(None)
        return f"{name} (UTC)", times
    return name, column.map(_plain).astype(object)


def _unit_column(frame: pd.DataFrame, name: Any, currency: str | None) -> tuple[Any, pd.Series] | None:
    """A micro-currency column's twin in currency units, named and converted by the frames helper
    (:func:`pintools.in_currency_units`); ``None`` for a column the helper leaves as it is."""
    from .frames import in_currency_units

    if "currency" in frame.columns:
        view = in_currency_units(frame[[name, "currency"]])
    else:
        view = in_currency_units(frame[[name]], currency=currency)
    added = [c for c in view.columns if c not in (name, "currency")]
    if len(added) != 1 or added[0] in frame.columns:
        return None
    return added[0], view[added[0]]


def export_frame(frame: pd.DataFrame, *, currency: str | None = None, neutralise_text: bool = True) -> pd.DataFrame:
    """``frame`` as the exports write it: ids text, times naive UTC with ``(UTC)`` in the header,
    containers JSON, currency-unit columns after micro ones, formula-like text neutralised.

    Money needs its currency: the frame's ``currency`` column, else ``currency=`` (then added as
    a column). Without either, micro columns are written alone, with a warning. The index is not
    written: ``reset_index()`` first to keep it.

    >>> df = pd.DataFrame({"id": ["7"], "bid_in_micro_currency": pd.array([1_100_000], dtype="Int64"),
    ...                    "targeting_spec": [{"GENDER": ["female"]}]})
    >>> out = export_frame(df, currency="USD")
    >>> out.columns.tolist()
    ['id', 'bid_in_micro_currency', 'bid', 'targeting_spec', 'currency']
    >>> out.astype(str).iloc[0].tolist()
    ['7', '1100000', '1.1', '{"GENDER": ["female"]}', 'USD']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    if "currency" in frame.columns:
        currency = None
    micro = [c for c in frame.columns if _MICRO.search(str(c)) and pd.api.types.is_numeric_dtype(frame[c].dtype)]
    units = "currency" in frame.columns or currency is not None
    if micro and not units:
        warnings.warn(f"money ({', '.join(map(str, micro[:3]))}) without a currency column: written in micros only; "
                      f"give currency='USD' (the account's) to add columns in currency units", stacklevel=3)
    data: dict[str, pd.Series] = {}
    for name in frame.columns:
        column = frame[name]
        if isinstance(column, pd.DataFrame):
            raise ValueError(f"column {name!r} appears more than once: give columns unique names")
        pairs = [(name, column)]
        unit = _unit_column(frame, name, currency) if units and name in micro else None
        if unit is not None:
            pairs.append(unit)
        for column_name, values in pairs:
            header, values = _column(_header(column_name), values)
            if neutralise_text:
                header = neutralise(header)
                values = _neutralise_values(values)
            if header in data:
                raise ValueError(f"two columns would both be written as {header!r}: rename one")
            data[header] = values.reset_index(drop=True)
    if currency is not None and micro:
        data["currency"] = pd.Series([currency] * len(frame), dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(len(frame)))


def _neutralise_values(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.StringDtype):
        return values.map(neutralise, na_action="ignore").astype("string")
    if values.dtype == object:
        return values.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return values


def to_csv(frame: pd.DataFrame, path: str | os.PathLike, *, currency: str | None = None,
           encoding: str = "utf-8") -> Path:
    """Write ``frame`` to a CSV file at ``path`` (atomically, mode 0600); the path written.

    See the module docstring for what is written; ``currency`` names the money's currency when
    the frame has no ``currency`` column. Read it back with ids intact using
    ``pd.read_csv(path, dtype=str)``. ``encoding="utf-8-sig"`` adds the byte-order mark some Excel
    versions need to show non-ASCII text.

    >>> path = to_csv(pd.DataFrame({"id": ["549755885175123456"], "delta": [-5]}), "out/x.csv")  # doctest: +SKIP
    >>> pd.read_csv(path, dtype=str).id[0]                                                     # doctest: +SKIP
    '549755885175123456'
    """
    path = Path(path)
    text = export_frame(frame, currency=currency).to_csv(index=False, lineterminator="\r\n")  # RFC 4180; quotes a CR
    write_private(path, text.encode(encoding))
    return path


def excel_sheet_name(name: Any, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """``name`` under Excel's sheet rules: 1-31 characters, none of ``[]:*?/\\``, no leading or
    trailing ``'``, not ``History``, and unlike (ignoring case) every name in ``taken``.

    >>> excel_sheet_name("Spend: 2026/11 [draft]?"), excel_sheet_name("x" * 40, {"x" * 31})
    ('Spend_ 2026_11 _draft__', 'xxxxxxxxxxxxxxxxxxxxxxxxxxx (2)')
    """
    title = _BAD_SHEET_CHARS.sub("_", str(name)).strip().strip("'") or "Sheet"
    if title.lower() == "history":  # reserved by Excel
        title = "History_"
    base = title[:MAX_SHEET_NAME].rstrip("'")
    lower = {t.lower() for t in taken}
    title, n = base, 2
    while title.lower() in lower:
        suffix = f" ({n})"
        title = base[: MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
        n += 1
    return title


def to_excel(frames: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | os.PathLike, *,
             sheet_name: str | None = None, currency: str | None = None) -> Path:
    """Write one frame, or sheet name → frame, to an ``.xlsx`` workbook (atomically, mode 0600).

    See the module docstring for what is written (``currency`` as for :func:`to_csv`). Ids are text cells (number format ``@``),
    times date-time cells in UTC, formula-like text inert text cells. Sheet names follow Excel's
    rules (:func:`excel_sheet_name`); one frame's sheet is ``sheet_name`` or the file's stem.
    Each sheet's header row is bold and frozen, and its columns sized to their contents.
    Read back with ids intact using ``pd.read_excel(path, sheet_name=None, dtype=str)``.

    >>> to_excel({"Campaigns": pt.read_campaigns(acct), "Ad groups": pt.read_ad_groups(acct)},
    ...          "out/account.xlsx")                                                # doctest: +SKIP
    PosixPath('out/account.xlsx')
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"cannot write an Excel workbook to {path.name!r}: the file must end in .xlsx "
                         f"(use pt.to_csv for CSV)")
    if isinstance(frames, pd.DataFrame):
        frames = {sheet_name or path.stem: frames}
    elif not isinstance(frames, Mapping) or not frames:
        raise TypeError("to_excel takes a DataFrame or a non-empty dict of sheet name -> DataFrame")
    sheets: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        if len(frame) + 1 > MAX_ROWS or len(frame.columns) > MAX_COLUMNS:
            raise ValueError(f"sheet {name!r} has {len(frame):,} rows and {len(frame.columns):,} columns; an Excel "
                             f"sheet holds {MAX_ROWS - 1:,} rows and {MAX_COLUMNS:,} columns: use pt.to_csv")
        sheets[excel_sheet_name(name, set(sheets))] = export_frame(frame, currency=currency, neutralise_text=False)
    buffer = io.BytesIO()
    _write_workbook(sheets, buffer)
    write_private(path, buffer.getvalue())
    return path


def _date_format(column: pd.Series) -> str:
    if pd.api.types.is_datetime64_dtype(column.dtype):
        times = column.dropna()
        return DATE if len(times) and (times == times.dt.normalize()).all() else DATETIME
    return DATETIME


def _display(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, pd.Timestamp):
        return "0000-00-00 00:00:00"
    return str(value)


def _widths(frame: pd.DataFrame) -> list[float]:
    widths = []
    for name in frame.columns:
        sample = [_display(v) for v in frame[name].head(200) if not _missing(v)]
        longest = max([len(name), *(max(map(len, s.splitlines() or [""])) for s in sample)])
        widths.append(min(max(longest + 2, 8), 60))
    return widths


def _write_workbook(sheets: Mapping[str, pd.DataFrame], target: Any) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def text(ws: Any, value: str, where: tuple, as_id: bool = False) -> Any:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters an xlsx file cannot hold
        if len(value) > MAX_CELL_TEXT:
            place = f"sheet {where[0]!r}, column {where[1]!r}" + (f", row {where[2]}" if len(where) > 2 else "")
            raise ValueError(f"{place} holds {len(value):,} characters; an Excel cell holds {MAX_CELL_TEXT:,}: "
                             f"use pt.to_csv")
        formula_like = value.startswith(TRIGGERS)
        if not (as_id or formula_like):
            return value  # openpyxl stores it as a text cell
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # text, never a formula
        cell.number_format = TEXT
        if formula_like:
            cell.quotePrefix = True  # Excel's own mark for text that looks like a formula
        return cell

    def cell(ws: Any, value: Any, time_format: str, as_id: bool, where: tuple) -> Any:
        if _missing(value):
            return None
        if isinstance(value, str):
            return text(ws, value, where, as_id) if value else None
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return float(value) if math.isfinite(value) else text(ws, str(float(value)), where)
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            c = WriteOnlyCell(ws, pd.Timestamp(value).to_pydatetime())
            c.number_format = time_format
            return c
        if isinstance(value, dt.date):
            c = WriteOnlyCell(ws, value)
            c.number_format = DATE
            return c
        return text(ws, str(value), where, as_id)

    bold = Font(bold=True)
    book = Workbook(write_only=True)
    for title, frame in sheets.items():
        ws = book.create_sheet(title)
        ws.freeze_panes = "A2"
        for index, width in enumerate(_widths(frame), start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        header = []
        for name in frame.columns:
            header.append(text(ws, name, (title, name), as_id=True))
            header[-1].font = bold
        ws.append(header)
        names = list(frame.columns)
        columns = list(zip([_date_format(frame[n]) for n in names], [is_id_column(n) for n in names], names,
                           strict=True))
        for number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            ws.append([cell(ws, v, f, as_id, (title, n, number))
                       for v, (f, as_id, n) in zip(row, columns, strict=True)])
    book.save(target)
