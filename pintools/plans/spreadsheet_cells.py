"""Reading spreadsheets for :mod:`pintools.plans.spreadsheet`: the alias table, the cell parsers,
and files → sheets → checked cell records (:func:`parse_file`), every problem collected.

Headers are matched case-, space-, underscore- and punctuation-insensitively (``"AdGroup Id"``,
``"ad_group_id"`` and ``"Ad group ID"`` are one header); a trailing ``(…)`` names the currency
(``"Bid (USD)"``), ``micro`` (``"Bid (micro)"``) or the time zone of a date column (``"(UTC)"``).

>>> resolve_header("Bid (USD)").targets["ad_group"].column, resolve_header("Bid (USD)").currency
('bid_in_micro_currency', 'USD')
>>> parse_cell(resolve_header("Bid").targets["keyword"], "$1,234.50")
(1234500000, None)
>>> parse_id(" 549755023801")
'549755023801'
>>> parse_id(549755023801123456.0)                                  # doctest: +ELLIPSIS
Traceback (most recent call last):
pintools.plans.spreadsheet_cells.CellError: the id is a number: Excel stores long ids as numbers ...
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from itertools import zip_longest
from pathlib import Path
from typing import Any

from .fields import EDITABLE, FRAME_COLUMNS
from .money import to_micro

ENTITY_LABELS = {"campaign": "Campaigns", "ad_group": "Ad groups", "ad": "Ads", "keyword": "Keywords"}
ID_HEADERS = {"campaign": "Campaign ID", "ad_group": "Ad group ID", "ad": "Ad ID", "keyword": "Keyword ID"}
#: most specific first: a sheet with "Keyword ID" and "Ad group ID" columns holds keywords
SPECIFICITY = ("keyword", "ad", "ad_group", "campaign")
#: id columns that a sheet of this entity type may carry as read-only context
PARENTS = {"campaign": (), "ad_group": ("campaign",), "ad": ("ad_group", "campaign"),
           "keyword": ("ad_group", "campaign")}
MAX_MICRO = 2**63 - 1
PROBLEM_COLUMNS = ["sheet", "row", "column", "value", "reason"]
_SYMBOLS = {"€": "EUR", "£": "GBP"}


class CellError(ValueError):
    """One bad cell; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Target:
    """Where a header's values go: the frame ``column``, its ``kind``, whether it is in micro, and
    (ad groups) the budget type the header expects."""

    column: str
    kind: str
    micro: bool = False
    budget: str | None = None
    raw_time: bool = False
    allowed: tuple[str, ...] = ()


@dataclass
class Header:
    """A header as written, its role and, for fields, the target per entity type."""

    text: str
    role: str                      # id, parent, account, entity, currency, notes, field, value, kwtext,
    entity: str | None = None      # target, blank or unknown
    targets: dict[str, Target] = field(default_factory=dict)
    currency: str | None = None
    reason: str = ""


def norm(text: object) -> str:
    """``"Ad group ID"`` → ``"adgroupid"``."""
    return re.sub(r"[^0-9a-z]", "", str(text).casefold())


# ------------------------------------------------------------------------------------------ the alias table
_ROLES = {
    ("ID", "Entity ID"): ("id", None), ("Campaign ID",): ("id", "campaign"), ("Ad group ID",): ("id", "ad_group"),
    ("Ad ID", "Pin promotion ID"): ("id", "ad"), ("Keyword ID",): ("id", "keyword"), ("Parent ID",): ("parent", None),
    ("Ad account ID", "Account ID", "Ad account"): ("account", None),
    ("Entity type", "Entity", "Level", "Object type"): ("entity", None),
    ("Currency",): ("currency", None), ("Notes", "Note", "Comment", "Comments"): ("notes", None),
    ("Field", "Attribute", "Setting"): ("field", None), ("Value", "New value", "After"): ("value", None),
    ("Keyword", "Keyword text", "Text"): ("kwtext", None),
}
_BUDGET = "budget_in_micro_currency"
_FRIENDLY = {
    ("Name",): {"campaign": "name", "ad_group": "name", "ad": "name"},
    ("Campaign name",): {"campaign": "name"}, ("Ad group name",): {"ad_group": "name"}, ("Ad name",): {"ad": "name"},
    ("Status",): {"campaign": "status", "ad_group": "status", "ad": "status", "keyword": "archived:status"},
    ("Bid", "Max bid", "CPC bid", "Max CPC bid", "Bid amount"):
        {"ad_group": "bid_in_micro_currency", "keyword": "bid_in_micro_currency"},
    ("Ad group bid",): {"ad_group": "bid_in_micro_currency"}, ("Keyword bid",): {"keyword": "bid_in_micro_currency"},
    ("Budget",): {"ad_group": _BUDGET, "campaign": "daily_spend_cap_micro"},
    ("Daily budget", "Daily cap", "Daily spend cap"): {"ad_group": _BUDGET + "@DAILY",
                                                      "campaign": "daily_spend_cap_micro"},
    ("Lifetime budget", "Lifetime cap", "Lifetime spend cap", "Total budget"):
        {"ad_group": _BUDGET + "@LIFETIME", "campaign": "lifetime_spend_cap_micro"},
    ("Budget type",): {"ad_group": "budget_type"},
    ("Start date", "Start time", "Start", "Start date time"): {"campaign": "start_time", "ad_group": "start_time"},
    ("End date", "End time", "End", "End date time"): {"campaign": "end_time", "ad_group": "end_time"},
    ("Match type",): {"keyword": "match_type"}, ("Archived",): {"keyword": "archived"},
}
_COLUMN_OF = {e: {api: col for col, api in cols.items()} for e, cols in FRAME_COLUMNS.items()}


def _target(entity: str, spec: str, *, exact: bool = False) -> Target:
    spec, _, budget = spec.partition("@")
    if spec == "archived:status":
        return Target("archived", "kwstatus")
    rule = EDITABLE[(entity, FRAME_COLUMNS[entity].get(spec, spec))]
    allowed = rule.allowed + (("DRAFT",) if spec == "status" else ())  # DRAFT: only where it already is
    return Target(spec, rule.kind, micro=exact and rule.kind == "money", budget=budget or None,
                  raw_time=exact and rule.kind == "time", allowed=allowed)


def _tables() -> tuple[dict, dict, dict, dict]:
    roles = {norm(a): role for labels, role in _ROLES.items() for a in labels}
    friendly = {norm(a): {e: _target(e, s) for e, s in m.items()} for labels, m in _FRIENDLY.items() for a in labels}
    labels = {norm(a): a for group in list(_ROLES) + list(_FRIENDLY) for a in group}
    exact: dict[str, dict[str, Target]] = {}   # snake_case frame column / API field → micro, Unix seconds
    for (entity, api), rule in EDITABLE.items():
        if rule.kind == "targeting":
            continue
        column = _COLUMN_OF[entity].get(api, api)
        for name in {column, api} - {"bid"}:  # a "bid" header is the friendly one, in currency units
            keys = [name] + ([norm(name)] if "micro" in name else [])
            for key in keys:
                exact.setdefault(key, {})[entity] = _target(entity, column, exact=True)
                labels.setdefault(norm(key), name)
    return roles, friendly, exact, labels


_ROLE_OF, _FRIENDLY_OF, _EXACT_OF, _LABELS = _tables()


def known_headers() -> list[str]:
    """Every header the reader understands (one spelling each)."""
    return sorted(set(_LABELS.values()), key=str.casefold)


def editable_headers(entity: str) -> str:
    """The friendly headers that edit this entity type, for messages."""
    return ", ".join(labels[0] for labels, targets in _FRIENDLY.items() if entity in targets)


def _annotation(text: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(.*?)\s*[(\[]([^()\[\]]*)[)\]]\s*", text)
    return (m.group(1), m.group(2).strip()) if m else (text, None)


def resolve_header(text: object) -> Header:
    """What a header means (see the module docstring of :mod:`pintools.plans.spreadsheet`)."""
    written = "" if text is None else str(text).strip()
    if not written:
        return Header(written, "blank")
    exact = _EXACT_OF.get(written.lower()) or ("micro" in written.lower() and _EXACT_OF.get(norm(written)))
    if exact:  # the frame / API name itself: money in micro, times also as Unix seconds
        friendly = {e: t for e, t in _FRIENDLY_OF.get(norm(written), {}).items() if t.kind != "money"}
        return Header(written, "target", targets={**friendly, **exact})
    base, note = _annotation(written)
    key = norm(base)
    if note is None and key in _ROLE_OF:
        return Header(written, _ROLE_OF[key][0], entity=_ROLE_OF[key][1])
    if key not in _FRIENDLY_OF:
        return Header(written, "unknown", reason=f"unknown column{_suggest(written)}")
    targets = dict(_FRIENDLY_OF[key])
    if note is None:
        return Header(written, "target", targets=targets)
    kinds = {t.kind for t in targets.values()}
    code = _SYMBOLS.get(note, note.upper() if re.fullmatch(r"[A-Za-z]{3}", note) else None)
    if kinds == {"time"} and norm(note) in ("utc", "gmt", "z"):
        return Header(written, "target", targets=targets)
    if kinds == {"money"} and norm(note) in ("micro", "micros"):
        return Header(written, "target", targets={e: replace(t, micro=True) for e, t in targets.items()})
    if kinds == {"money"} and (code or (note and all(unicodedata.category(c) == "Sc" for c in note))):
        return Header(written, "target", targets=targets, currency=code)
    return Header(written, "unknown", reason=f"unknown column: {base!r} does not take ({note}){_suggest(base)}")


def _suggest(text: str) -> str:
    close = difflib.get_close_matches(norm(text), list(_LABELS), n=1, cutoff=0.6)
    return f"; did you mean {_LABELS[close[0]]!r}?" if close else \
        " (the headers are listed in help(pintools.plans.spreadsheet); name a column Notes to keep notes)"


def parse_entity(value: object) -> str:
    """``"Ad groups"``, ``"adgroup"``, ``"AD_GROUP"`` → ``"ad_group"``."""
    key = norm(value)
    key = key[:-1] if key.endswith("s") else key
    found = {"campaign": "campaign", "adgroup": "ad_group", "ad": "ad", "keyword": "keyword"}.get(key)
    if found is None:
        raise CellError("not an entity type (Campaign, Ad group, Ad or Keyword)")
    return found


# ------------------------------------------------------------------------------------------ cells
def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """A raw cell as the user would read it (``""`` for an empty one)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}" if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def parse_id(value: object) -> str:
    """An id cell → its digits; numbers are refused (Excel rounds ids beyond 15 digits)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CellError("not an id (ids are digits only)")
    if isinstance(value, (int, float)):
        shown = int(value) if isinstance(value, int) or value.is_integer() else value
        raise CellError(f"the id is a number: Excel stores long ids as numbers and has rounded the last digits "
                        f"(it reads {shown}); format the column as Text and paste the ids again")
    text = value.strip().removeprefix("'")
    if re.fullmatch(r"[0-9]+", text):
        if len(text) > 19:
            raise CellError(f"too long for a Pinterest id ({len(text)} digits)")
        return text
    if re.fullmatch(r"[0-9.,]+(E\+?[0-9]+)?", text, flags=re.I):
        raise CellError("the id was converted to a number (and probably rounded); "
                        "format the column as Text and paste the ids again")
    raise CellError("not an id (ids are digits only)")


def parse_cell(target: Target, value: object) -> tuple[object, str | None]:
    """A non-empty cell → (value for the frame column, currency code found in the cell or ``None``)."""
    if target.kind == "money":
        return _money(value, target.micro)
    if target.kind == "text":
        return _text(value), None
    if target.kind == "time":
        return _time(value, target.raw_time), None
    if target.kind == "bool":
        return _bool(value), None
    if target.kind == "kwstatus":
        status = _enum(value, ("ACTIVE", "ARCHIVED", "PAUSED"))
        if status == "PAUSED":
            raise CellError("keywords cannot be paused: use ARCHIVED (or ACTIVE to keep them)")
        return status == "ARCHIVED", None
    return _enum(value, target.allowed), None


def _enum(value: object, allowed: tuple[str, ...]) -> str:
    text = re.sub(r"[\s-]+", "_", str(value).strip()).upper() if isinstance(value, str) else None
    if text not in allowed:
        raise CellError(f"must be one of {', '.join(a for a in allowed if a != 'DRAFT')}")
    return text


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = as_text(value).strip().lower()
    if key in ("true", "yes", "y", "1"):
        return True
    if key in ("false", "no", "n", "0"):
        return False
    raise CellError("must be true or false (yes/no, 1/0)")


def _text(value: object) -> str:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellError("Excel turned this into a date, time or boolean; format the column as Text")
    return as_text(value)


_AMOUNT = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)?(?:\.[0-9]+)?")


def _money(value: object, micro: bool) -> tuple[int, str | None]:
    code = None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CellError("not an amount")
    if isinstance(value, str):
        text, code = _strip_currency(value.strip())
        if text.startswith(("-", "(")) or text.endswith("-"):
            raise CellError("amounts cannot be negative")
        if not text or not _AMOUNT.fullmatch(text):
            raise CellError("not an amount (write 1234.50: a dot for decimals, no letters)")
        number = Decimal(text.replace(",", ""))
    elif isinstance(value, float):
        try:
            number = Decimal(f"{value:.15g}")  # what Excel shows: 15 significant digits
        except InvalidOperation:
            raise CellError("not an amount") from None
        if not number.is_finite():
            raise CellError("not a finite amount")
    else:
        number = Decimal(value)
    if number < 0:
        raise CellError("amounts cannot be negative")
    if number > (MAX_MICRO if micro else MAX_MICRO // 1_000_000):
        raise CellError("amount too large")
    places = max(0, -number.normalize().as_tuple().exponent)   # "1.1000000" has one decimal place
    if micro:
        if places:
            raise CellError("micro-currency amounts are whole numbers")
        result = int(number)
    elif places > 6:
        raise CellError("more than 6 decimal places (the API counts in millionths)")
    else:
        result = to_micro(number)
    return result, code


def _strip_currency(text: str) -> tuple[str, str | None]:
    code = None
    m = re.fullmatch(r"([A-Za-z]{3})\s*(.*)|(.*?)\s*([A-Za-z]{3})", text)
    if m:
        code, text = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        code = code.upper()
    symbols = [c for c in text if unicodedata.category(c) == "Sc"]
    text = "".join(c for c in text if unicodedata.category(c) != "Sc").strip()
    if len(symbols) > 1 or (symbols and code):
        raise CellError("not an amount (more than one currency)")
    return text, code or (_SYMBOLS.get(symbols[0]) if symbols else None)


def _time(value: object, raw: bool) -> int:
    if isinstance(value, bool):
        raise CellError("not a date")
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif raw and (isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"[0-9]{1,11}", value.strip()))):
        if not 0 <= int(value) < 2**40:
            raise CellError("not a time in Unix seconds")
        return int(value)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise CellError("not a date (write 2026-12-01 or 2026-12-01 18:00, UTC)") from None
    else:
        raise CellError("not a date: format the cell as a date or write 2026-12-01 (UTC)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = round(moment.timestamp())
    if seconds < 0:
        raise CellError("dates before 1970 are not allowed")
    return seconds


# ------------------------------------------------------------------------------------------ files and sheets
class _Formula(str):
    """A formula cell that has no saved result (the file was never opened and saved in Excel)."""


class Parsed:
    """What the sheets said: problems, one record per row, parsed cells and read-only checks."""

    def __init__(self, source: str) -> None:
        self.source, self.problems, self.rows, self.cells, self.checks = source, [], [], [], []
        self.sheets: dict[str, int] = {}

    def ordered_problems(self) -> list[dict]:
        """Sheet by sheet, row by row (the header's problems first)."""
        return sorted(self.problems, key=lambda p: (self.sheets.get(p["sheet"], -1), p["row"]))

    def problem(self, sheet: str, row: int, column: str, value: Any, reason: str) -> None:
        self.problems.append({"sheet": sheet, "row": row, "column": column or "(unnamed)",
                              "value": as_text(value), "reason": reason})


# ------------------------------------------------------------------------------------------ reading files
def parse_file(path: Path) -> Parsed:
    out = Parsed(path.name)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        sheets = [(path.name, _csv_rows(path, out), False)]
    elif suffix in (".xlsx", ".xlsm"):
        sheets = [(name, rows, True) for name, rows in _xlsx_sheets(path, out)]
    else:
        out.problem(path.name, 1, "(file)", "", "not a spreadsheet: save it as .csv or .xlsx")
        sheets = []
    for name, rows, by_name in sheets:
        _read_sheet(out, name, rows, by_name)
    _duplicates(out)
    out.sheets = {name: i for i, (name, _, _) in enumerate(sheets)}
    return out


def _csv_rows(path: Path, out: Parsed) -> list[list[Any]]:
    """Every cell as text, no type guessing (so ids keep their digits); rows as Excel shows them."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else next((d for d in ",;\t" if d in first), ",")
    try:
        return list(csv.reader(io.StringIO(text.replace("\0", ""), newline=""), delimiter=delimiter))
    except csv.Error as exc:
        out.problem(path.name, 1, "(file)", "", f"not readable as CSV: {exc}")
        return []


def _xlsx_sheets(path: Path, out: Parsed) -> list[tuple[str, list[list[Any]]]]:
    """Raw cell values per sheet (openpyxl; formulas give their saved results)."""
    from openpyxl import load_workbook

    books = []
    try:
        books = [load_workbook(path, read_only=True, data_only=flag) for flag in (True, False)]
        return [(values.title, _with_formulas(values, formulas))
                for values, formulas in zip(books[0].worksheets, books[1].worksheets, strict=False)]
    except Exception as exc:  # a zip, XML or format error: whatever it is, the file is unreadable
        out.problem(path.name, 1, "(file)", "", f"cannot open it as an Excel workbook ({type(exc).__name__}: {exc})")
        return []
    finally:
        for book in books:
            book.close()


def _with_formulas(values: Any, formulas: Any) -> list[list[Any]]:
    """A sheet's values, with each formula that has no saved result marked (it is not an empty cell)."""
    rows = zip_longest(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), fillvalue=())
    return [[_Formula(f) if v is None and isinstance(f, str) and f.startswith("=") else v
             for v, f in zip_longest(got, written)] for got, written in rows]


# ------------------------------------------------------------------------------------------ reading sheets
def _sheet_kind(name: str) -> str | None:
    try:
        return parse_entity(name)
    except CellError:
        return None


def _columns(headers: list, entity: str) -> tuple[int | None, list[tuple[int, str, Any]]]:
    """For one entity type: the id column and, per other column, ``(index, action, argument)``."""
    generic = [i for i, h in enumerate(headers) if h.role == "id" and h.entity is None]
    own = [i for i, h in enumerate(headers) if h.role == "id" and h.entity == entity]
    id_col = (generic or own or [None])[0]
    label = ENTITY_LABELS[entity].lower()
    plan: list[tuple[int, str, Any]] = []
    for i, h in enumerate(headers):
        if i == id_col or h.role in ("blank", "unknown", "notes", "entity", "field", "value", "account"):
            continue
        if h.role == "id" and h.entity in PARENTS[entity]:
            plan.append((i, "check", f"{h.entity}_id"))
        elif h.role == "id":
            why = "a second id column" if h.entity in (None, entity) else f"not a parent of {label}"
            plan.append((i, "bad", f"{h.text}: {why}"))
        elif h.role in ("parent", "kwtext"):
            ok = entity == "keyword"
            plan.append((i, "check", "parent_id" if h.role == "parent" else "value") if ok else
                        (i, "bad", f"{label} have no {h.text} column"))
        elif h.role == "currency":
            plan.append((i, "check", "currency"))
        elif entity in h.targets:
            plan.append((i, "target", h.targets[entity]))
        else:
            plan.append((i, "bad", f"{h.text} cannot be set on {label}; their columns are: {editable_headers(entity)}"))
    return id_col, plan


def _read_sheet(out: Parsed, sheet: str, rows: list[list[Any]], by_name: bool) -> None:
    width = max((len(r) for r in rows), default=0)
    data = [(n, list(r) + [None] * (width - len(r))) for n, r in enumerate(rows[1:], start=2)
            if any(not is_empty(v) for v in r)]
    if not rows or (not data and all(is_empty(v) for v in rows[0])):
        return  # an empty sheet
    headers = [resolve_header(h) for h in list(rows[0]) + [None] * (width - len(rows[0]))]
    for i, h in enumerate(headers):
        if h.role == "blank" and any(not is_empty(r[i]) for _, r in data):
            out.problem(sheet, 1, f"column {column_letter(i)}", "",
                        "data under an empty header: name the column or delete it")
        elif h.role == "unknown":
            out.problem(sheet, 1, h.text, h.text, h.reason)
    one = {}
    for role in ("entity", "account", "field", "value"):
        found = [i for i, h in enumerate(headers) if h.role == role]
        for i in found[1:]:
            out.problem(sheet, 1, headers[i].text, headers[i].text, f"a second {role} column (the first is "
                        f"column {column_letter(found[0])})")
        one[role] = found[0] if found else None
    long = one["field"] is not None and one["value"] is not None
    if (one["field"] is None) != (one["value"] is None):
        i = one["field"] if one["value"] is None else one["value"]
        out.problem(sheet, 1, headers[i].text, headers[i].text, "long rows need both a Field and a Value column")
    for h in headers:
        if long and h.role == "target":
            out.problem(sheet, 1, h.text, h.text, "a sheet with Field and Value columns cannot also have field columns")
    kinds = [h.entity for h in headers if h.role == "id" and h.entity]
    fixed = (_sheet_kind(sheet) if by_name else None) or next((e for e in SPECIFICITY if e in kinds), None)
    if fixed is None and one["entity"] is None:
        out.problem(sheet, 1, "Entity type", "", "cannot tell what this sheet holds: name the sheet Campaigns, Ad "
                    "groups, Ads or Keywords, add an Entity type column, or use an id header such as 'Ad group ID'")
        return
    plans: dict[str, tuple] = {}
    for n, row in data:
        entity = fixed
        if one["entity"] is not None and not is_empty(row[one["entity"]]):
            try:
                entity = parse_entity(row[one["entity"]])
            except CellError as exc:
                out.problem(sheet, n, headers[one["entity"]].text, row[one["entity"]], str(exc))
                continue
        if entity is None:
            out.problem(sheet, n, headers[one["entity"]].text, "", "no entity type on this row")
            continue
        if entity not in plans:
            plans[entity] = _columns(headers, entity)
            if one["entity"] is None:  # one entity type: report column problems once, on the header
                _header_problems(out, sheet, headers, entity, *plans[entity])
        _read_row(out, sheet, n, row, headers, entity, plans[entity], one, per_row=one["entity"] is not None)


def _header_problems(out: Parsed, sheet: str, headers: list, entity: str, id_col: int | None, plan: list) -> None:
    if id_col is None:
        out.problem(sheet, 1, ID_HEADERS[entity], "", f"no id column: add '{ID_HEADERS[entity]}' (or 'ID')")
    for i, action, arg in plan:
        if action == "bad":
            out.problem(sheet, 1, headers[i].text, headers[i].text, arg)


def _read_row(out: Parsed, sheet: str, n: int, row: list, headers: list, entity: str, columns: tuple,
              one: dict, per_row: bool) -> None:
    id_col, plan = columns
    ident = account = None
    if id_col is None and per_row:
        out.problem(sheet, n, ID_HEADERS[entity], "", f"no id column for {ENTITY_LABELS[entity].lower()}")
    elif id_col is not None:
        ident = _id_cell(out, sheet, n, headers[id_col].text, row[id_col], missing="no id on this row")
    if one["account"] is not None and not is_empty(row[one["account"]]):
        account = _id_cell(out, sheet, n, headers[one["account"]].text, row[one["account"]]) or False
    where = {"entity": entity, "id": ident, "account": account, "sheet": sheet, "row": n}
    if ident is not None:
        raw = row[id_col]
        out.rows.append({**where, "column": headers[id_col].text, "raw": as_text(raw), "wide": one["field"] is None,
                         "account_column": headers[one["account"]].text if one["account"] is not None else ""})
    for i, action, arg in plan:
        value = row[i]
        if is_empty(value) or (action == "bad" and not per_row):
            continue
        if isinstance(value, _Formula):
            out.problem(sheet, n, headers[i].text, value, "a formula with no saved result: open the file in Excel "
                        "and save it, or paste the values")
        elif action == "bad":
            out.problem(sheet, n, headers[i].text, value, arg)
        elif action == "check":
            checked = _id_cell(out, sheet, n, headers[i].text, value) if arg.endswith("_id") else as_text(value)
            if checked is not None and ident is not None:
                out.checks.append({**where, "what": arg, "value": checked, "column": headers[i].text})
        else:
            _cell(out, where, arg, value, headers[i].text, headers[i].currency)
    if one["field"] is not None and one["value"] is not None:
        _long_cell(out, where, row[one["field"]], row[one["value"]], headers[one["field"]].text)


def _long_cell(out: Parsed, where: dict, name: Any, value: Any, field_header: str) -> None:
    sheet, n, entity = where["sheet"], where["row"], where["entity"]
    if is_empty(name):
        if not is_empty(value):
            out.problem(sheet, n, field_header, "", "a value with no field: name the field (e.g. Bid)")
        return
    header = resolve_header(name)
    target = header.targets.get(entity) if header.role == "target" else None
    if target is None:
        reason = header.reason or f"not a field of {ENTITY_LABELS[entity].lower()} ({editable_headers(entity)})"
        out.problem(sheet, n, field_header, name, reason)
    elif isinstance(value, _Formula):
        out.problem(sheet, n, header.text, value, "a formula with no saved result: save the file in Excel")
    elif not is_empty(value):
        _cell(out, where, target, value, header.text, header.currency)


def _id_cell(out: Parsed, sheet: str, n: int, column: str, value: Any, missing: str = "") -> str | None:
    if is_empty(value):
        if missing:
            out.problem(sheet, n, column, "", missing)
        return None
    try:
        return parse_id(value)
    except CellError as exc:
        out.problem(sheet, n, column, value, str(exc))
        return None


def _cell(out: Parsed, where: dict, target: Any, value: Any, column: str, header_currency: str | None) -> None:
    try:
        parsed, currency = parse_cell(target, value)
    except CellError as exc:
        out.problem(where["sheet"], where["row"], column, value, str(exc))
        return
    if where["id"] is not None:
        out.cells.append({**where, "column": target.column, "value": parsed, "header": column, "raw": as_text(value),
                          "budget": target.budget, "currency": currency or header_currency,
                          "from_header": currency is None})


def _where(other: dict, here: dict) -> str:
    return f"row {other['row']}" if other["sheet"] == here["sheet"] else f"{other['sheet']} row {other['row']}"


def _duplicates(out: Parsed) -> None:
    """Each id once per wide sheet set, each (id, field) once: every occurrence is named."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in out.rows:
        if r["wide"]:
            groups[(r["entity"], r["id"])].append(r)
    repeated = set()
    for (entity, _), rows in groups.items():
        if len(rows) > 1:
            repeated.add((entity, rows[0]["id"]))
            for r in rows:
                others = ", ".join(_where(o, r) for o in rows if o is not r)
                out.problem(r["sheet"], r["row"], r["column"], r["raw"],
                            f"duplicate {entity.replace('_', ' ')} id: also on {others}")
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for c in out.cells:
        cells[(c["entity"], c["id"], c["column"])].append(c)
    for (entity, ident, _), found in cells.items():
        places = {(c["sheet"], c["row"]) for c in found}
        if len(found) < 2 or (len(places) == len(found) and (entity, ident) in repeated):
            continue
        if len(places) == 1 and len({repr(c["value"]) for c in found}) == 1:
            continue  # two columns on one row agreeing
        for c in found:
            others = ", ".join(o["header"] if (o["sheet"], o["row"]) == (c["sheet"], c["row"]) else _where(o, c)
                               for o in found if o is not c)
            out.problem(c["sheet"], c["row"], c["header"], c["raw"], f"set more than once (also {others})")


def column_letter(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


