"""Spreadsheet sheets for :mod:`pintools.plans.spreadsheet`: sheets → checked records, every
problem collected (:func:`parse_file`).

Each row with an id becomes a record in ``rows``; its cells become ``cells`` (the frame column
and the parsed value) and read-only columns ``checks``. A Keywords row with no Keyword ID but an
ad group, a text and a match type is a new keyword (``creates``). Ids appear once per set of
wide sheets and each field is set once: repeats are problems, reported compactly however many.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "kw.csv").write_text("Keyword ID,Ad group ID,Keyword,Match type\\n,2680060061223,velvet sofa,Phrase\\n")
>>> [(c["parent"], c["value"], c["match_type"]) for c in parse_file(folder / "kw.csv").creates]
[('2680060061223', 'velvet sofa', 'PHRASE')]
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from pathlib import Path
from typing import Any

from .fields import MATCH_TYPES
from .spreadsheet_cells import CellError, as_text, is_empty, parse_cell, parse_entity, parse_enum, parse_id, parse_text
from .spreadsheet_files import Formula, Parsed, Sheet, read_sheets
from .spreadsheet_headers import ENTITY_LABELS, ID_HEADERS, PARENTS, SPECIFICITY, column_letter, editable_headers, resolve_header

_SHOWN = 3          # places named in a compact "appears N times" problem
_EACH_UP_TO = 4     # repeats up to this many: every place gets a problem naming the others


def parse_file(path: Path) -> Parsed:
    """Read a spreadsheet into records and problems (nothing is raised for bad cells)."""
    out = Parsed(path.name)
    sheets = read_sheets(path, out)
    out.sheets = {sheet.name: i for i, sheet in enumerate(sheets)}
    for sheet in sheets:
        _read_sheet(out, sheet)
    duplicates(out)
    return out


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
        elif entity in h.targets and h.targets[entity].kind == "refused":
            plan.append((i, "bad", h.targets[entity].reason))
        elif entity in h.targets:
            plan.append((i, "target", h.targets[entity]))
        else:
            plan.append((i, "bad", f"{h.text} cannot be set on {label}; their columns are: {editable_headers(entity)}"))
    return id_col, plan


def _read_sheet(out: Parsed, sheet: Sheet) -> None:
    name = sheet.name
    width = max([len(sheet.header)] + [len(r) for _, r in sheet.data])
    data = [(n, list(r) + [None] * (width - len(r))) for n, r in sheet.data]
    if not data and all(is_empty(v) for v in sheet.header):
        return  # an empty sheet
    headers = [resolve_header(h) for h in list(sheet.header) + [None] * (width - len(sheet.header))]
    for i, h in enumerate(headers):
        if h.role == "blank" and any(not is_empty(r[i]) for _, r in data):
            out.problem(name, 1, f"column {column_letter(i)}", "", "data under an empty header: name the column or delete it")
        elif h.role == "unknown":
            out.problem(name, 1, h.text, h.text, h.reason)
    one = {}
    for role in ("entity", "account", "field", "value"):
        found = [i for i, h in enumerate(headers) if h.role == role]
        for i in found[1:]:
            out.problem(name, 1, headers[i].text, headers[i].text, f"a second {role} column (the first is "
                        f"column {column_letter(found[0])})")
        one[role] = found[0] if found else None
    long = one["field"] is not None and one["value"] is not None
    if (one["field"] is None) != (one["value"] is None):
        i = one["field"] if one["value"] is None else one["value"]
        out.problem(name, 1, headers[i].text, headers[i].text, "long rows need both a Field and a Value column")
    for h in headers:
        if long and h.role == "target":
            out.problem(name, 1, h.text, h.text, "a sheet with Field and Value columns cannot also have field columns")
    kinds = [h.entity for h in headers if h.role == "id" and h.entity]
    fixed = (_sheet_kind(name) if sheet.by_name else None) or next((e for e in SPECIFICITY if e in kinds), None)
    if fixed is None and one["entity"] is None:
        out.problem(name, 1, "Entity type", "", "cannot tell what this sheet holds: name the sheet Campaigns, Ad "
                    "groups, Ads or Keywords, add an Entity type column, or use an id header such as 'Ad group ID'")
        return
    plans: dict[str, tuple] = {}
    for n, row in data:
        entity = fixed
        if one["entity"] is not None and not is_empty(row[one["entity"]]):
            try:
                entity = parse_entity(row[one["entity"]])
            except CellError as exc:
                out.problem(name, n, headers[one["entity"]].text, row[one["entity"]], str(exc))
                continue
        if entity is None:
            out.problem(name, n, headers[one["entity"]].text, "", "no entity type on this row")
            continue
        if entity not in plans:
            plans[entity] = _columns(headers, entity)
            if one["entity"] is None:  # one entity type: report column problems once, on the header
                _header_problems(out, name, headers, entity, *plans[entity])
        _read_row(out, name, n, row, headers, entity, plans[entity], one, per_row=one["entity"] is not None)


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
    account_column = headers[one["account"]].text if one["account"] is not None else ""
    if one["account"] is not None and not is_empty(row[one["account"]]):
        account = _id_cell(out, sheet, n, account_column, row[one["account"]]) or False
    if id_col is None and per_row:
        out.problem(sheet, n, ID_HEADERS[entity], "", f"no id column for {ENTITY_LABELS[entity].lower()}")
    elif id_col is not None and is_empty(row[id_col]) and entity == "keyword" and one["field"] is None:
        _new_keyword(out, sheet, n, row, headers, plan, id_col, {"account": account, "account_column": account_column},
                     per_row)
        return
    elif id_col is not None:
        ident = _id_cell(out, sheet, n, headers[id_col].text, row[id_col], missing="no id on this row")
    where = {"entity": entity, "id": ident, "account": account, "sheet": sheet, "row": n}
    if ident is not None:
        out.rows.append({**where, "column": headers[id_col].text, "raw": as_text(row[id_col]),
                         "wide": one["field"] is None, "account_column": account_column})
    for i, action, arg in plan:
        value = row[i]
        if is_empty(value) or (action == "bad" and not per_row):
            continue
        if isinstance(value, Formula):
            out.problem(sheet, n, headers[i].text, value, "a formula with no saved result: open the file in Excel "
                        "and save it, or paste the values")
        elif action == "bad":
            out.problem(sheet, n, headers[i].text, value, arg)
        elif action == "check":
            checked = _id_cell(out, sheet, n, headers[i].text, value) if arg.endswith("_id") else \
                _text_cell(out, sheet, n, headers[i].text, value, arg)
            if checked is not None and ident is not None:
                out.checks.append({**where, "what": arg, "value": checked, "column": headers[i].text})
        else:
            _cell(out, where, arg, value, headers[i].text, headers[i].currency)
    if one["field"] is not None and one["value"] is not None:
        _long_cell(out, where, row[one["field"]], row[one["value"]], headers[one["field"]].text)


def _text_cell(out: Parsed, sheet: str, n: int, column: str, value: Any, what: str) -> str | None:
    if what != "value":
        return as_text(value)
    try:
        return parse_text(value, "keywords").strip()
    except CellError as exc:
        out.problem(sheet, n, column, value, str(exc))
        return None


def _new_keyword(out: Parsed, sheet: str, n: int, row: list, headers: list, plan: list, id_col: int,
                 where: dict, per_row: bool) -> None:
    """A Keywords row with no Keyword ID: a new keyword under an ad group, or a problem saying what is missing."""
    given: dict[str, Any] = {}
    ok = True
    for i, action, arg in plan:
        value = row[i]
        if is_empty(value):
            continue
        column = headers[i].text
        if isinstance(value, Formula):
            out.problem(sheet, n, column, value, "a formula with no saved result: open the file in Excel and save it")
            ok = False
        elif action == "bad":   # a column keywords do not have: named once on the header, or on this row
            if per_row:
                out.problem(sheet, n, column, value, arg)
            ok = False
        elif action == "check" and arg in ("ad_group_id", "parent_id"):
            given["parent"] = _id_cell(out, sheet, n, column, value)
            given["parent_column"], given["parent_raw"] = column, as_text(value)
            ok = ok and given["parent"] is not None
        elif action == "check" and arg == "value":
            given["value"] = _text_cell(out, sheet, n, column, value, "value")
            ok = ok and given["value"] is not None
        elif action == "check":   # read-only: the ad group's campaign, the account's currency
            checked = _id_cell(out, sheet, n, column, value) if arg.endswith("_id") else as_text(value)
            given.setdefault("checks", []).append({"what": arg, "value": checked, "column": column})
            ok = ok and checked is not None
        elif arg.column == "match_type":
            try:
                given["match_type"] = parse_enum(value, MATCH_TYPES)
            except CellError as exc:
                out.problem(sheet, n, column, value, str(exc))
                given["match_type"], ok = None, False   # given, though wrong: not "missing" too
        else:
            try:
                parsed, _ = parse_cell(arg, value)
            except CellError as exc:
                out.problem(sheet, n, column, value, str(exc))
                ok = False
                continue
            if arg.column == "archived" and parsed:
                out.problem(sheet, n, column, value, "a new keyword cannot start archived: leave it empty or write "
                            "ACTIVE")
                ok = False
    wanted = {"parent": "its Ad group ID", "value": "its text (a Keyword column)",
              "match_type": f"a Match type ({', '.join(MATCH_TYPES)})"}
    missing = [text for key, text in wanted.items() if key not in given]
    if missing and len(missing) == len(wanted):
        out.problem(sheet, n, headers[id_col].text, "", "no id on this row (a new keyword needs an Ad group ID, a "
                    "Keyword and a Match type)")
    elif missing:
        out.problem(sheet, n, headers[id_col].text, "", f"no Keyword ID, so this is a new keyword: it needs "
                    f"{' and '.join(missing)} (to edit a keyword, paste its Keyword ID)")
    elif ok:
        out.creates.append({"entity": "keyword", "sheet": sheet, "row": n, "id_column": headers[id_col].text,
                            **where, **given})


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
    elif target.kind == "refused":
        out.problem(sheet, n, field_header, name, target.reason)
    elif isinstance(value, Formula):
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


# ------------------------------------------------------------------------------------------ repeats
def places(found: list[dict], here: dict) -> str:
    """``"rows 2, 3, Long row 5"``: where records are, sheet names only for other sheets than ``here``'s."""
    parts = []
    for sheet, group in groupby(found, key=lambda r: r["sheet"]):
        rows = [f"{r['row']}" for r in group]
        prefix = "" if sheet == here["sheet"] else f"{sheet} "
        parts.append(f"{prefix}{'rows' if len(rows) > 1 else 'row'} {', '.join(rows)}")
    return ", ".join(parts)


def _repeated(out: Parsed, found: list[dict], what: str, each: str, column: Any, value: Any) -> None:
    """Problems for records that repeat: each named with the others when there are few, else one
    problem on the first naming a few places and counting the rest (linear however many)."""
    if len(found) <= _EACH_UP_TO:
        for r in found:
            others = [o for o in found if o is not r]
            out.problem(r["sheet"], r["row"], column(r), value(r), each.format(places=places(others, r)))
        return
    first = found[0]
    more = f" … and {len(found) - _SHOWN:,} more"
    out.problem(first["sheet"], first["row"], column(first), value(first),
                f"{what} appears {len(found):,} times: {places(found[:_SHOWN], first)}{more}")


def duplicates(out: Parsed) -> None:
    """Each id once per set of wide sheets, each (id, field) once, each new keyword once."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in out.rows:
        if r["wide"]:
            groups[(r["entity"], r["id"])].append(r)
    repeated = set()
    for (entity, ident), rows in groups.items():
        if len(rows) > 1:
            label = entity.replace("_", " ")
            repeated.add((entity, ident))
            _repeated(out, rows, f"duplicate: {label} id {ident}", f"duplicate {label} id: also on {{places}}",
                      lambda r: r["column"], lambda r: r["raw"])
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for c in out.cells:
        cells[(c["entity"], c["id"], c["column"])].append(c)
    for (entity, ident, _), found in cells.items():
        if len(found) < 2:
            continue
        spots = {(c["sheet"], c["row"]) for c in found}
        if len(spots) == len(found) and (entity, ident) in repeated:
            continue   # already named as a duplicate id
        if len(spots) == 1 and len({repr(c["value"]) for c in found}) == 1:
            continue   # two columns on one row agreeing
        if len(spots) == 1:
            for c in found:
                others = ", ".join(o["header"] for o in found if o is not c)
                out.problem(c["sheet"], c["row"], c["header"], c["raw"], f"set more than once (also {others})")
            continue
        _repeated(out, found, f"{found[0]['header']} of {entity.replace('_', ' ')} {ident}", "set more than once "
                  "(also {places})", lambda c: c["header"], lambda c: c["raw"])
    news: dict[tuple, list[dict]] = defaultdict(list)
    for c in out.creates:
        news[(c["account"], c["parent"], c["value"].casefold(), c["match_type"])].append(c)
    for (_, parent, _, match_type), found in news.items():
        if len(found) > 1:
            _repeated(out, found, f"new keyword {found[0]['value']!r} ({match_type}) under ad group {parent}",
                      "the same new keyword twice: also on {places}", lambda c: c["id_column"], lambda c: "")
