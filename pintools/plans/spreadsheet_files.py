"""Spreadsheet files for :mod:`pintools.plans.spreadsheet`: a CSV or XLSX → its sheets' cells,
as they exist in the file, and every problem of the file itself.

Cells are read as they exist, in bounded memory whatever range the file declares (a workbook
whose dimension claims ``A1:XFD1048576`` for one blank cell reads as the cells it has). In an
XLSX nothing is applied that the person editing it could not see: a hidden sheet, hidden rows or
columns holding values, and merged cells in data rows are problems (:func:`read_sheets`).

>>> sheets = read_sheets(Path("bids.xlsx"), Parsed("bids.xlsx"))          # doctest: +SKIP
>>> sheets[0].name, sheets[0].header, sheets[0].data[:1]                   # doctest: +SKIP
('Ad groups', ['Ad group ID', 'Bid'], [(2, ['2680060061223', 1.5])])
"""

from __future__ import annotations

import bisect
import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import pandas as pd

from .spreadsheet_cells import as_text, is_empty
from .spreadsheet_headers import column_letter, resolve_header

PROBLEM_COLUMNS = ["sheet", "row", "column", "value", "reason"]
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


class SpreadsheetError(ValueError):
    """Everything wrong with a spreadsheet; ``.problems`` is a DataFrame with the columns
    ``sheet, row, column, value, reason`` (row: as Excel numbers it, the header is row 1)."""

    def __init__(self, problems: list[dict] | pd.DataFrame, source: str = "spreadsheet") -> None:
        self.problems = pd.DataFrame(problems, columns=PROBLEM_COLUMNS).reset_index(drop=True)
        self.source = source
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'' if n == 1 else 's'}, so nothing was planned"]
        for p in self.problems.head(20).itertuples():
            shown = f" = {p.value!r}" if p.value else ""
            lines.append(f"  {p.sheet} row {p.row}, {p.column}{shown}: {p.reason}")
        if n > 20:
            lines.append(f"  … and {n - 20} more (see .problems)")
        super().__init__("\n".join(lines))


class Parsed:
    """What the sheets said: problems, one record per row with an id, new entities (``creates``),
    parsed cells and read-only checks; ``sheets`` orders the problems."""

    def __init__(self, source: str) -> None:
        self.source, self.problems, self.rows, self.cells, self.checks = source, [], [], [], []
        self.creates: list[dict] = []
        self.sheets: dict[str, int] = {}

    def ordered_problems(self) -> list[dict]:
        """Sheet by sheet, row by row (the header's problems first)."""
        return sorted(self.problems, key=lambda p: (self.sheets.get(p["sheet"], -1), p["row"]))

    def problem(self, sheet: str, row: int, column: str, value: Any, reason: str) -> None:
        self.problems.append({"sheet": sheet, "row": row, "column": column or "(unnamed)",
                              "value": as_text(value), "reason": reason})

    def raise_problems(self) -> None:
        """Raise one :class:`SpreadsheetError` with every problem, if there is any."""
        if self.problems:
            raise SpreadsheetError(self.ordered_problems(), self.source)


class Formula(str):
    """A formula cell that has no saved result (the file was never opened and saved in Excel)."""


@dataclass
class Sheet:
    """One sheet: its name, row 1 (the header) and the data rows that hold something, as
    ``(row number, values)`` with trailing empty cells left off; ``by_name``: an XLSX sheet, whose
    name may say what it holds."""

    name: str
    header: list[Any]
    data: list[tuple[int, list[Any]]]
    by_name: bool = True


def check_path(path: Path) -> None:
    """A folder or a missing file is a clear error saying what to pass instead."""
    if path.is_dir():
        found = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        hint = f", e.g. {path / found[0]}" if found else ""
        raise IsADirectoryError(f"{path} is a folder, not a spreadsheet: pass a .csv or .xlsx file{hint}")
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path} (pass a .csv or .xlsx file)")


def read_sheets(path: Path, out: Parsed, *, strict: bool = True) -> list[Sheet]:
    """The sheets of a file; problems of the file go to ``out``. ``strict`` (reading a plan):
    hidden sheets, rows and columns holding values and merged cells in data rows are problems
    and are not read; otherwise (:func:`pintools.plans.read_template`) every cell is read."""
    check_path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_sheet(path, out)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_sheets(path, out, strict)
    out.problem(path.name, 1, "(file)", "", "not a spreadsheet: save it as .csv or .xlsx")
    return []


# ------------------------------------------------------------------------------------------ CSV
def csv_text(path: Path) -> tuple[str, str]:
    """A CSV's text (UTF-8, else Windows-1252) and its delimiter (tab for .tsv, else the first of
    comma, semicolon, tab in the header line)."""
    data = path.read_bytes()
    text = ""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else next((d for d in ",;\t" if d in first), ",")
    return text.replace("\0", ""), delimiter


def _csv_sheet(path: Path, out: Parsed) -> list[Sheet]:
    """Every cell as text, no type guessing (so ids keep their digits); rows as Excel shows them."""
    text, delimiter = csv_text(path)
    header: list[Any] = []
    data = []
    try:
        for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if n == 1:
                header = row
            elif any(not is_empty(v) for v in row):
                data.append((n, row))
    except csv.Error as exc:
        out.problem(path.name, 1, "(file)", "", f"not readable as CSV: {exc}")
        return []
    return [Sheet(path.name, header, data, by_name=False)]


# ------------------------------------------------------------------------------------------ XLSX
@dataclass
class Layout:
    """What an XLSX sheet's XML says beyond values: hidden rows (as runs), hidden columns, merged
    ranges, and formulas with no saved result by ``(row, column)``."""

    hidden_rows: list[list[int]] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    last_row: int = 0   # the last row with a cell that holds something (a value, text or formula)

    def row_hidden(self, n: int) -> bool:
        i = bisect.bisect_right(self.hidden_rows, [n, float("inf")]) - 1
        return i >= 0 and self.hidden_rows[i][0] <= n <= self.hidden_rows[i][1]


def _xlsx_sheets(path: Path, out: Parsed, strict: bool) -> list[Sheet]:
    """Values from openpyxl in read-only mode (formulas give their saved results), cells as they
    exist; the layout from one streaming pass over each sheet's XML."""
    from openpyxl import load_workbook

    book = None
    try:
        layouts = xlsx_layouts(path)
        book = load_workbook(path, read_only=True, data_only=True)
        sheets = []
        for ws in book.worksheets:
            if ws.title not in layouts:   # never read a sheet as empty because its XML was not found
                raise ValueError(f"the XML of sheet {ws.title!r} was not found")
            sheet, hidden_rows = _read_ws(ws, layouts[ws.title], strict)
            if strict and not _visible(out, ws, sheet, hidden_rows, layouts[ws.title]):
                continue
            sheets.append(sheet)
        return sheets
    except Exception as exc:  # a zip, XML or format error: whatever it is, the file is unreadable
        out.problem(path.name, 1, "(file)", "", f"cannot open it as an Excel workbook ({type(exc).__name__}: {exc})")
        return []
    finally:
        if book is not None:
            book.close()


def _read_ws(ws: Any, layout: Layout, strict: bool) -> tuple[Sheet, list[int]]:
    ws.reset_dimensions()   # the declared range may be A1:XFD1048576: read the cells there are
    header: list[Any] = []
    data, hidden = [], []
    formulas: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in layout.formulas.items():
        formulas.setdefault(r, []).append((c, text))
    if not layout.last_row:
        return Sheet(ws.title, header, data), hidden
    for n, values in enumerate(ws.iter_rows(max_row=layout.last_row, values_only=True), start=1):
        if not values and n not in formulas:
            continue
        row = list(values)
        for c, text in formulas.get(n, ()):
            row.extend([None] * (c - len(row)))
            row[c - 1] = Formula(text)
        while row and is_empty(row[-1]):
            row.pop()
        if n == 1:
            header = row
            if strict and row and layout.row_hidden(1):
                hidden.append(1)
        elif row and strict and layout.row_hidden(n):
            hidden.append(n)
        elif row:
            data.append((n, row))
    return Sheet(ws.title, header, data), hidden


def _visible(out: Parsed, ws: Any, sheet: Sheet, hidden_rows: list[int], layout: Layout) -> bool:
    """Report what is hidden or merged; False for a hidden sheet (it is not read)."""
    from openpyxl.utils.cell import range_boundaries

    name = sheet.name
    if ws.sheet_state != "visible":
        if sheet.data or hidden_rows or any(not is_empty(v) for v in sheet.header):
            how = "right-click a sheet tab › Unhide" if ws.sheet_state == "hidden" else \
                "it is very hidden: only VBA can unhide it, so copy its rows to a visible sheet"
            out.problem(name, 1, "(sheet)", name, f"this sheet is hidden and is not applied: unhide it ({how}) "
                        "or delete it")
        return False
    for first, last in _runs(hidden_rows):
        rows = f"row {first} is" if first == last else f"rows {first}–{last} are"
        out.problem(name, first, "(row)", f"{first}:{last}", f"{rows} hidden and not applied: unhide "
                    f"{'it' if first == last else 'them'} (or clear the filter) or delete {'it' if first == last else 'them'}")
    width = max([len(sheet.header)] + [len(r) for _, r in sheet.data])
    for low, high in layout.hidden_columns:   # holding values under a header that is not Notes
        for c in range(low, min(high, width) + 1):
            notes = c <= len(sheet.header) and resolve_header(sheet.header[c - 1]).role == "notes"
            if not notes and any(c <= len(r) and not is_empty(r[c - 1]) for _, r in sheet.data):
                letter = column_letter(c - 1)
                out.problem(name, 1, _header_text(sheet, c), letter, f"column {letter} is hidden and not applied: "
                            "unhide it or delete it")
    rows = [n for n, _ in sheet.data]
    for ref in layout.merged:
        low_col, low_row, _, high_row = range_boundaries(ref)
        low_col, low_row, high_row = low_col or 1, low_row or 1, high_row or 1_048_576
        i = bisect.bisect_left(rows, max(low_row, 2))
        if high_row >= 2 and i < len(rows) and rows[i] <= high_row:
            out.problem(name, max(low_row, 2), _header_text(sheet, low_col), ref, f"cells {ref} are merged, so only "
                        "their first cell has a value: unmerge them and fill in every row (merged cells are not applied)")
    return True


def _header_text(sheet: Sheet, column: int) -> str:
    value = sheet.header[column - 1] if column <= len(sheet.header) else None
    return as_text(value).strip() or f"column {column_letter(column - 1)}"


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(a, b) for a, b in runs]


# ------------------------------------------------------------------------------------------ the XML pass
def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _relations(z: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, str]:
    """A part's relationships, id → the target's path in the zip."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in names:
        return {}
    found = {}
    for el in ElementTree.fromstring(z.read(rels)):
        target = el.get("Target", "")
        if el.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[el.get("Id", "")] = path
        found["type:" + el.get("Type", "").rpartition("/")[2]] = path
    return found


def xlsx_layouts(path: Path) -> dict[str, Layout]:
    """Per sheet name, what :class:`Layout` says, from one streaming pass over each sheet's XML."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        book = _relations(z, "", names).get("type:officeDocument", "xl/workbook.xml")
        targets = _relations(z, book, names)
        layouts = {}
        for el in ElementTree.fromstring(z.read(book)).iter():
            if _local(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            if targets.get(rid) in names:
                with z.open(targets[rid]) as source:
                    layouts[el.get("name", "")] = _scan(source)
    return layouts


def _scan(source: Any) -> Layout:
    """One streaming pass (expat, no tree) over a sheet's XML."""
    layout = Layout()
    runs = layout.hidden_rows
    at = {"row": 0, "column": 0, "in": "", "formula": None, "held": False}

    def start(name: str, attrs: dict) -> None:
        tag = name.rpartition(":")[2]
        if tag == "c":
            at["column"] = _column_of(attrs.get("r"), at["column"])
            at["formula"], at["held"] = None, False
        elif tag == "row":
            ref = attrs.get("r")
            row = at["row"] = int(float(ref)) if ref else at["row"] + 1
            at["column"] = 0
            if attrs.get("hidden") in ("1", "true"):
                if runs and runs[-1][1] == row - 1:
                    runs[-1][1] = row
                else:
                    runs.append([row, row])
        elif tag in ("v", "f"):
            at["in"] = tag
            if tag == "f":
                at["formula"] = ""
        elif tag == "is":
            at["held"] = True
        elif tag == "col" and attrs.get("hidden") in ("1", "true"):
            layout.hidden_columns.append((int(attrs.get("min", 1)), int(attrs.get("max", 1))))
        elif tag == "mergeCell" and attrs.get("ref"):
            layout.merged.append(attrs["ref"])

    def text(data: str) -> None:
        if at["in"] == "v":
            at["held"] = True
        elif at["in"] == "f":
            at["formula"] += data

    def end(name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag in ("v", "f"):
            at["in"] = ""
        elif tag == "c" and (at["formula"] is not None or at["held"]):
            if not at["held"]:
                layout.formulas[(at["row"], at["column"])] = "=" + (at["formula"] or "…")
            layout.last_row = max(layout.last_row, at["row"])

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.ParseFile(source)
    return layout


def _column_of(ref: str | None, previous: int) -> int:
    if not ref:
        return previous + 1
    number = 0
    for ch in ref:
        if not ch.isalpha():
            break
        number = number * 26 + ord(ch.upper()) - 64
    return number
