"""Writing spreadsheets for the spreadsheet tests, and reading the problems they raise."""

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pintools.plans.spreadsheet import SpreadsheetError, from_spreadsheet, read_spreadsheet


def write_csv(path: Path, rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def problems_of(path: Path, **kwargs) -> pd.DataFrame:
    """The problems reading (or, given kwargs, planning from) ``path`` raises."""
    with pytest.raises(SpreadsheetError) as err:
        from_spreadsheet(path, **kwargs) if kwargs else read_spreadsheet(path)
    return err.value.problems


def where(problems: pd.DataFrame) -> list[tuple]:
    return list(problems[["sheet", "row", "column", "value"]].itertuples(index=False, name=None))
