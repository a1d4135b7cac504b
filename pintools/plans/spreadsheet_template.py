"""Spreadsheet templates for :mod:`pintools.plans.spreadsheet`: an account's current values as an
XLSX to edit (:func:`template`), and any plan spreadsheet back as frames with ids as text
(:func:`read_template`), for editing in pandas.

>>> path = template("549755023801", "edit.xlsx", entity_types=("ad_group", "keyword"))   # doctest: +SKIP
>>> sheets = read_template(path)                                                       # doctest: +SKIP
>>> sheets["Ad groups"]["Ad group ID"].dtype                                           # doctest: +SKIP
string[python]
>>> sheets["Keywords"].loc[len(sheets["Keywords"])] = {"Ad group ID": "2680060061223", "Keyword": "velvet sofa",
...                                                    "Match type": "PHRASE"}          # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..frames import schema
from .changes import plain
from .money import to_units
from .spreadsheet_cells import as_text, parse_entity, parse_id
from .spreadsheet_files import Parsed, check_path, csv_text, read_sheets
from .spreadsheet_headers import ENTITY_LABELS, column_letter, resolve_header

_TEMPLATE = {
    "campaign": [("Campaign ID", "id"), ("Name", "name"), ("Status", "status"),
                 ("Daily budget", "daily_spend_cap_micro"), ("Lifetime budget", "lifetime_spend_cap_micro"),
                 ("Start time (UTC)", "start_time"), ("End time (UTC)", "end_time")],
    "ad_group": [("Ad group ID", "id"), ("Campaign ID", "campaign_id"), ("Name", "name"), ("Status", "status"),
                 ("Budget type", "budget_type"), ("Budget", "budget_in_micro_currency"),
                 ("Bid", "bid_in_micro_currency"), ("Start time (UTC)", "start_time"), ("End time (UTC)", "end_time")],
    "ad": [("Ad ID", "id"), ("Ad group ID", "ad_group_id"), ("Campaign ID", "campaign_id"), ("Name", "name"),
           ("Status", "status")],
    "keyword": [("Keyword ID", "id"), ("Ad group ID", "parent:ad_group"), ("Keyword", "value"),
                ("Match type", "match_type"), ("Status", "status:archived")],
}
_MONEY_FORMAT, _TIME_FORMAT = "#,##0.00####", "yyyy-mm-dd hh:mm:ss"
_ID_ROLES = ("id", "parent", "account")


def reader_of(entity: str) -> Any:
    """The ``pintools`` reader of campaigns, ad groups or ads."""
    from .. import entities

    return {"campaign": entities.read_campaigns, "ad_group": entities.read_ad_groups, "ad": entities.read_ads}[entity]


def template(ad_account_id: str, path: str | Path, *,
             entity_types: Sequence[str] = ("campaign", "ad_group", "keyword"), client: Any = None,
             ids: Sequence[str] | Mapping[str, Sequence[str]] | None = None) -> Path:
    """Write the current values of an ad account to an XLSX to edit and read back with
    :func:`from_spreadsheet`: one sheet per entity type, friendly headers, money in currency units
    (``Bid (USD)``), times in UTC, ids as text. Unedited, it plans nothing.

    The ``Keywords`` sheet (Keyword ID, Ad group ID, Keyword, Match type, Status) also adds
    keywords: a row with no Keyword ID but an Ad group ID, a Keyword and a Match type is a new
    keyword. ``ids`` keeps only these entities (a list, or ``{"ad_group": [...], ...}`` per entity
    type); without it the sheets hold the active and paused ones.

    >>> template("549755023801", "edit.xlsx", entity_types=("ad_group", "keyword"))   # doctest: +SKIP
    PosixPath('edit.xlsx')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..api._common import check_id

    account = check_id(ad_account_id, "ad_account_id")
    try:
        kinds = list(dict.fromkeys(parse_entity(e) for e in entity_types))
    except ValueError:
        raise ValueError(f"entity_types must name campaign, ad_group, ad or keyword; got {entity_types!r}") from None
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder: give a file name such as {path / 'template.xlsx'}")
    if client is None:
        from ..client import default_client

        client = default_client()
    currency = client.currency_of(account)
    book = Workbook()
    book.remove(book.active)
    for entity in kinds:
        frame = _template_frame(client, account, entity, ids)
        sheet = book.create_sheet(ENTITY_LABELS[entity])
        spec = _TEMPLATE[entity] + [("Ad account ID", "ad_account_id")]
        money = set(schema.SCHEMAS[entity].money_columns)
        sheet.append([f"{h} ({currency})" if col in money else h for h, col in spec])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(c.value)) for c in sheet[1]]
        for n, record in enumerate(frame.to_dict("records"), start=2):
            for j, (_, col) in enumerate(spec):
                cell = sheet.cell(n, j + 1)
                text = _template_cell(cell, record, col, money)
                widths[j] = max(widths[j], len(text))
        for j, (_, col) in enumerate(spec):
            letter = column_letter(j)
            sheet.column_dimensions[letter].width = min(widths[j] + 3, 60)
            if _is_id(col) or col in ("value", "name"):
                sheet.column_dimensions[letter].number_format = "@"  # ids and text typed later stay text
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _is_id(col: str) -> bool:
    return col == "id" or col.endswith("_id") or col.startswith("parent:")


def _template_frame(client: Any, account: str, entity: str, ids: Any) -> pd.DataFrame:
    from ..entities import read_keywords

    wanted = ids.get(entity) if isinstance(ids, Mapping) else ids
    wanted = None if wanted is None else [str(i) for i in wanted]
    if entity == "keyword":
        frame = read_keywords(account, client=client)
    else:
        frame = reader_of(entity)(account, ids=wanted or None, statuses="all" if wanted else None, client=client)
    return frame if wanted is None else frame[frame["id"].isin(wanted)]


def _template_cell(cell: Any, record: Mapping[str, Any], col: str, money: set[str]) -> str:
    """Fill one template cell; returns its text (for the column width)."""
    if col.startswith("parent:"):
        value = record["parent_id"] if plain(record.get("parent_type")) == col[7:] else None
    elif col == "status:archived":
        value = "ARCHIVED" if plain(record.get("archived")) else "ACTIVE"
    else:
        value = plain(record.get(col))
    if value is None:
        return ""
    if _is_id(col):
        cell.value, cell.number_format = str(value), "@"
    elif col in money:
        cell.value, cell.number_format = to_units(value), _MONEY_FORMAT
    elif col.endswith("_time"):
        value = dt.datetime.fromtimestamp(value, dt.UTC).replace(tzinfo=None)
        cell.value, cell.number_format = value, _TIME_FORMAT
        return "2026-01-01 00:00:00"
    else:
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # a name, not a formula
    return as_text(cell.value)


# ------------------------------------------------------------------------------------------ reading back
def read_template(path: str | Path) -> dict[str, pd.DataFrame]:
    """The sheets of a template (or any plan spreadsheet) as frames, by sheet name, with every id
    column (``Ad group ID``, ``Parent ID``, ``Ad account ID`` …) as text (``string`` dtype) — what
    ``pd.read_excel(path, sheet_name=None, dtype=str)`` does for ids without turning every other
    column into text. An id Excel or pandas stored as a whole number of up to 15 digits reads as
    its digits; other columns get pandas' types (numbers, dates, text). A CSV gives one frame,
    named after the file. Write the frames back with ``to_excel(..., index=False)``.

    >>> sheets = read_template("edit.xlsx")                                      # doctest: +SKIP
    >>> sheets["Ad groups"].loc[0, "Bid (USD)"] = 1.25                           # doctest: +SKIP
    >>> with pd.ExcelWriter("edit.xlsx") as book:                                # doctest: +SKIP
    ...     for name, frame in sheets.items():
    ...         frame.to_excel(book, sheet_name=name, index=False)
    """
    path = Path(path)
    out = Parsed(path.name)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        check_path(path)
        text, delimiter = csv_text(path)
        try:
            columns = pd.read_csv(io.StringIO(text), sep=delimiter, nrows=0).columns
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype={c: str for c in _id_columns(columns)})
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame()
        except (pd.errors.ParserError, ValueError) as exc:
            out.problem(path.name, 1, "(file)", "", f"not readable as CSV: {exc}")
            out.raise_problems()
        return {path.name: _ids_as_text(frame)}
    sheets = read_sheets(path, out, strict=False)
    out.raise_problems()
    frames = {}
    for sheet in sheets:
        width = max([len(sheet.header)] + [len(r) for _, r in sheet.data])
        names = _column_names(sheet.header, width)
        rows: list[list[Any]] = []
        for n, row in sheet.data:
            rows.extend([[None] * width for _ in range(n - 2 - len(rows))])   # blank rows in between stay
            rows.append(list(row) + [None] * (width - len(row)))
        frame = pd.DataFrame(rows, columns=names).infer_objects() if rows else pd.DataFrame(columns=names)
        frames[sheet.name] = _ids_as_text(frame)
    return frames


def _column_names(header: list[Any], width: int) -> list[str]:
    names, seen = [], set()
    for i in range(width):
        value = as_text(header[i] if i < len(header) else None).strip() or f"Unnamed: {i}"
        name, k = value, 1
        while name in seen:   # as pandas does: a repeated header gets .1, .2 …
            name, k = f"{value}.{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


def _id_columns(names: Any) -> list[str]:
    """The columns holding ids (a repeated header, ``Ad group ID.1``, too)."""
    return [n for n in names if resolve_header(re.sub(r"\.[0-9]+$", "", str(n))).role in _ID_ROLES]


def _id_text(value: Any) -> Any:
    """An id cell as text: a whole number of up to 15 digits as its digits, anything else as written."""
    if value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value):
        return None
    try:
        return parse_id(value)
    except ValueError:
        return as_text(value)


def _ids_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    for name in _id_columns(frame.columns):
        frame[name] = pd.array([_id_text(v) for v in frame[name]], dtype="string")
    return frame
