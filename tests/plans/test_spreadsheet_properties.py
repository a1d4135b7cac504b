"""Property tests: whatever a spreadsheet holds, reading it gives desired values or one
``SpreadsheetError`` whose problems each name a sheet, a row, a column and a reason."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import pintools as pt
from pintools.plans.model import EditPlan
from pintools.plans.spreadsheet import SpreadsheetError, from_spreadsheet, read_spreadsheet
from pintools.plans.spreadsheet_headers import known_headers

HEADERS = known_headers() + ["Bid (USD)", "Budget (EUR)", "Start time (UTC)", "Bid (micro)", "Daily budget ($)",
                             "start_time", "daily_spend_cap", "Entity type", "ID", "Ad group ID", "Keyword ID"]
SHEETS = ["Campaigns", "Ad groups", "ad_groups", "KEYWORDS", "Ads", "Sheet1", "Long"]
ENTITIES = ["Campaign", "ad group", "Ad groups", "keyword", "ads", "pin", ""]

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
ids = st.one_of(
    st.from_regex(r"[1-9][0-9]{11,12}", fullmatch=True),            # valid
    st.integers(10**11, 10**19).map(float),                          # a number Excel rounded
    st.integers(10**17, 10**18),                                     # an 18-digit number
    st.integers(-(10**12), -1).map(str),                             # negative
    st.from_regex(r"[0-9]{20,30}", fullmatch=True),                  # too long
    st.from_regex(r"[0-9]{3}[a-z]{1,3}[0-9]?", fullmatch=True),      # letters
)
cells = st.one_of(
    st.none(), st.just(""), _text, ids,
    st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.integers(0, 8).flatmap(lambda places: st.decimals(-(10**6), 10**6, places=places)).map(str),
    st.sampled_from(["1.10", "$1.10", "1,234.50", "€12", "12 EUR", "=1+1", "=A1*2", "paused", "ACTIVE", "archived",
                     "exact", "yes", "0", "LIFETIME", "2026-12-01", "2026-12-01 18:00", "Ünïcødé ☃", "1e3", "-0.5"]),
    st.sampled_from(ENTITIES), st.booleans(),
    st.datetimes(min_value=dt.datetime(1960, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


@st.composite
def tables(draw) -> tuple[list, list[list]]:
    headers = draw(st.lists(st.one_of(st.sampled_from(HEADERS), _text), min_size=1, max_size=5))
    if draw(st.booleans()):  # usually give the rows an id column
        headers[0] = draw(st.sampled_from(["Ad group ID", "Campaign ID", "Keyword ID", "ID", "Ad ID"]))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(headers) + 1), max_size=6))
    for row in rows:
        if row and headers[0].endswith("ID") and draw(st.booleans()):
            row[0] = draw(ids)
    return headers, rows


def _write_csv(path: Path, headers: list, rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([headers] + [["" if v is None else str(v) for v in r] for r in rows])
    return path


def _write_xlsx(path: Path, sheets: list[tuple[str, list, list[list]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, headers, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _check_outcome(read, path: Path, n_rows: int):
    """``read(path)`` returns, or raises a SpreadsheetError whose problems are all well-formed."""
    try:
        result = read(path)
    except SpreadsheetError as err:
        problems = err.problems
        assert list(problems.columns) == ["sheet", "row", "column", "value", "reason"]
        assert len(problems) > 0
        for p in problems.itertuples():
            assert isinstance(p.sheet, str) and p.sheet
            assert isinstance(p.row, int) and 1 <= p.row <= n_rows + 1
            assert isinstance(p.column, str) and p.column.strip()
            assert isinstance(p.value, str)
            assert isinstance(p.reason, str) and p.reason
        assert str(err).startswith(f"{path.name}: {len(problems)} problem")
        event("SpreadsheetError")
        return None
    event("read")
    return result


def _check_desired(desired: dict) -> None:
    for entity, frame in desired.items():
        assert entity in ("campaign", "ad_group", "ad", "keyword")
        assert frame["id"].str.fullmatch(r"[0-9]{1,19}|new-[0-9]+").all()
        assert frame["id"].is_unique
        assert all("!" in ref for ref in frame.index)


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(table=tables())
def test_any_csv_reads_or_raises_a_spreadsheet_error(table):
    headers, rows = table
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_csv(Path(tmp) / "sheet.csv", headers, rows)
        desired = _check_outcome(read_spreadsheet, path, len(rows))
    if desired is not None:
        _check_desired(desired)


@FAST
@given(sheets=st.lists(st.tuples(st.sampled_from(SHEETS), tables()), min_size=1, max_size=3,
                       unique_by=lambda s: s[0]))
def test_any_xlsx_reads_or_raises_a_spreadsheet_error(sheets):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_xlsx(Path(tmp) / "book.xlsx", [(name, h, r) for name, (h, r) in sheets])
        desired = _check_outcome(read_spreadsheet, path, max(len(r) for _, (_, r) in sheets))
    if desired is not None:
        _check_desired(desired)


@FAST
@given(text=st.binary(max_size=200), suffix=st.sampled_from([".csv", ".xlsx", ".tsv", ".xls"]))
def test_garbage_files_raise_a_spreadsheet_error(text, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"junk{suffix}"
        path.write_bytes(text)
        desired = _check_outcome(read_spreadsheet, path, text.count(b"\n") + text.count(b"\r") + 1)
    if desired is not None:
        _check_desired(desired)


# ------------------------------------------------------------------------------------------ through the emulator
@pytest.fixture(scope="module")
def live():
    from pintools.emulator import start

    srv = start(seed=42, clock="2026-11-15T12:00:00Z", rate_limits={"ads_write": None, "ads_read": None})
    client = pt.connect(emulator=srv, quiet=True, rate_limits={"ads_write": None, "ads_read": None, "universal": None})
    account = pt.read_ad_accounts(client=client).id[0]
    groups = pt.read_ad_groups(account, client=client)
    yield client, account, list(groups.id)
    violations = srv.control.spec_violations()
    srv.stop()
    assert violations == [], violations


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_from_spreadsheet_plans_or_raises_a_spreadsheet_error(live, data):
    client, account, group_ids = live
    header = data.draw(st.lists(st.sampled_from(["Bid (USD)", "Status", "Name", "Budget", "Budget type", "End date",
                                                 "Lifetime budget", "Campaign ID", "Bidd"]),
                                min_size=1, max_size=3, unique=True))
    n = data.draw(st.integers(1, 4))
    rows = [[data.draw(st.one_of(st.sampled_from(group_ids), ids))] + data.draw(st.lists(cells, min_size=len(header),
                                                                                         max_size=len(header)))
            for _ in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_xlsx(Path(tmp) / "live.xlsx", [("Ad groups", ["Ad group ID"] + header, rows)])
        plan = _check_outcome(lambda p: from_spreadsheet(p, client=client, ad_account_id=account), path, n)
    if plan is not None:
        assert isinstance(plan, EditPlan) and plan.source == "spreadsheet live.xlsx"
        assert set(plan.changes["id"]) <= {r[0] for r in rows}
        assert plan.changes["row"].tolist() == list(range(len(plan)))
