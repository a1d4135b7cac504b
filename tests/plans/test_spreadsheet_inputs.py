"""Spreadsheets as analysts send them: money with its currency, what Excel hides or merges,
numbers where text belongs, repeats at scale, inflated used ranges, folders instead of files."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

import pintools as pt
from pintools.cli import main
from pintools.plans.spreadsheet import from_spreadsheet, read_spreadsheet
from pintools.plans.spreadsheet_cells import currency_conflict, read_money

from .sheets import problems_of, where, write_csv, write_xlsx


@pytest.fixture
def groups(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    return groups[groups["bid_in_micro_currency"].notna()]


def _account_in(pclient, currency: str) -> str:
    return pt.read_ad_accounts(client=pclient).set_index("currency").loc[currency, "id"]


# ------------------------------------------------------------------------------------------ money that means what it says
@pytest.mark.parametrize("cell, micro, mark", [
    ("5¢", 50_000, "¢"), ("0.5¢", 5_000, "¢"), ("12.5 ¢", 125_000, "¢"), ("$4.70", 4_700_000, "$"),
    ("US$ 4.70", 4_700_000, "US$"), ("4.70 usd", 4_700_000, "USD"), ("€12", 12_000_000, "€"),
    ("12 EUR", 12_000_000, "EUR"), ("¥10", 10_000_000, "¥"), ("R$5", 5_000_000, "R$"), ("$5 CAD", 5_000_000, "CAD"),
    ("12 kr", 12_000_000, "kr"), (" 7 ", 7_000_000, None),
])
def test_a_currency_in_a_money_cell_is_read_not_dropped(cell, micro, mark):
    assert read_money(cell) == (micro, mark)


@pytest.mark.parametrize("cell, reason", [
    ("₿5", "₿ is not a currency sign this reader knows: write the amount without a sign, or with its 3-letter code "
           "(12.50 EUR)"),
    ("€5 USD", "not an amount (more than one currency)"), ("-5¢", "amounts cannot be negative"),
    ("0.00005¢", "more than 6 decimal places (the API counts in millionths) — in cents, at most 4"),
])
def test_money_cells_that_cannot_be_read_are_refused(tmp_path, cell, reason):
    path = write_csv(tmp_path / "m.csv", [["Ad group ID", "Bid"], ["1", cell]])
    problems = problems_of(path)
    assert where(problems) == [("m.csv", 2, "Bid", cell)] and problems["reason"].tolist() == [reason]


def test_cents_plan_what_they_say_in_a_usd_account(tmp_path, pclient, account, groups):
    g0, g1 = groups.iloc[0], groups.iloc[1]
    path = write_csv(tmp_path / "c.csv", [["Ad group ID", "Bid"], [g0.id, "95¢"], [g1.id, "$1.05"]])
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    assert plan.changes["after"].tolist() == [950_000, 1_050_000]
    in_cents = write_csv(tmp_path / "h.csv", [["Ad group ID", "Bid (¢)"], [g0.id, "95"], [g1.id, "$1.05"]])
    assert from_spreadsheet(in_cents, client=pclient, ad_account_id=account).changes["after"].tolist() == \
        [950_000, 1_050_000]


def test_dollars_in_a_eur_account_are_refused_naming_both_currencies(tmp_path, pclient):
    eur = _account_in(pclient, "EUR")
    group = pt.read_ad_groups(eur, client=pclient).id[0]
    path = write_csv(tmp_path / "eur.csv", [["Ad group ID", "Bid"], [group, "$4.70"]])
    problems = problems_of(path, client=pclient, ad_account_id=eur)
    assert where(problems) == [("eur.csv", 2, "Bid", "$4.70")]
    assert problems["reason"].tolist() == [f"$ means USD but ad account {eur} is in EUR: write the amount in EUR, "
                                           f"without a currency sign"]
    header = write_csv(tmp_path / "h.csv", [["Ad group ID", "Bid ($)"], [group, "4.70"]])
    problems = problems_of(header, client=pclient, ad_account_id=eur)
    assert where(problems) == [("h.csv", 1, "Bid ($)", "Bid ($)")]
    assert problems["reason"][0].startswith(f"$ means USD but ad account {eur} is in EUR")


def test_euros_in_a_usd_account_are_refused_naming_both_currencies(tmp_path, pclient, account, groups):
    path = write_csv(tmp_path / "usd.csv", [["Ad group ID", "Bid"], [groups.id.iloc[0], "€12"],
                                            [groups.id.iloc[1], "12 EUR"], [groups.id.iloc[2], "12 usd"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("usd.csv", 2, "Bid", "€12"), ("usd.csv", 3, "Bid", "12 EUR")]
    assert problems["reason"].tolist() == [
        f"€ means EUR but ad account {account} is in USD: write the amount in USD, without a currency sign",
        f"written in EUR, but ad account {account} is in USD"]


def test_yen_is_ambiguous_outside_jpy_and_cny_accounts(tmp_path, pclient, account, groups):
    path = write_csv(tmp_path / "yen.csv", [["Ad group ID", "Bid"], [groups.id.iloc[0], "¥10"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert problems["reason"].tolist() == [f"¥ is written for both JPY and CNY, and ad account {account} is in USD "
                                           f"(neither): write the amount in USD, without a currency sign"]
    assert currency_conflict("¥", "JPY", "1") == currency_conflict("¥", "CNY", "1") == ""


def test_yen_is_taken_in_a_jpy_account(tmp_path):
    from pintools.emulator import start

    srv = start(seed=1, clock="2026-11-15T12:00:00Z", rate_limits={"ads_write": None, "ads_read": None},
                accounts=[{"name": "Tokyo", "currency": "JPY", "country": "JP", "campaigns": 1,
                           "ad_groups_per_campaign": 2, "ads_per_ad_group": 0, "keywords_per_ad_group": 0,
                           "statuses": "active", "objectives": ["CONSIDERATION"], "cbo": False}])
    try:
        client = pt.connect(emulator=srv, quiet=True, rate_limits={"ads_write": None, "ads_read": None,
                                                                   "universal": None})
        account = pt.read_ad_accounts(client=client).id[0]
        group = pt.read_ad_groups(account, client=client).id[0]
        path = write_csv(tmp_path / "jpy.csv", [["Ad group ID", "Bid"], [group, "¥250"]])
        plan = from_spreadsheet(path, client=client, ad_account_id=account)
    finally:
        srv.stop()
    assert plan.changes["after"].tolist() == [250_000_000] and plan.changes["currency"].tolist() == ["JPY"]


# ------------------------------------------------------------------------------------------ nothing applied silently
def test_a_hidden_sheet_with_values_is_a_problem_and_an_empty_one_is_skipped(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Ad groups"
    book.active.append(["Ad group ID", "Bid"])
    book.active.append(["2680060061223", "1.50"])
    secret = book.create_sheet("Old bids")
    secret.append(["Ad group ID", "Bid"])
    secret.append(["2680060061364", "9.00"])
    secret.sheet_state = "hidden"
    book.create_sheet("Scratch").sheet_state = "veryHidden"
    book.save(tmp_path / "h.xlsx")
    problems = problems_of(tmp_path / "h.xlsx")
    assert where(problems) == [("Old bids", 1, "(sheet)", "Old bids")]
    assert problems["reason"][0] == ("this sheet is hidden and is not applied: unhide it (right-click a sheet tab › "
                                     "Unhide) or delete it")


def test_hidden_rows_and_columns_holding_values_are_problems(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ad groups"
    sheet.append(["Ad group ID", "Bid", "Status"])
    for i in range(6):
        sheet.append([f"268006006122{i}", "1.50", ""])
    for n in (3, 5, 6):
        sheet.row_dimensions[n].hidden = True
    sheet.row_dimensions[9].hidden = True   # hidden and empty: nothing to apply, no problem
    sheet["C4"] = "PAUSED"
    sheet.column_dimensions["C"].hidden = True
    sheet["D1"], sheet["D2"], sheet["E1"] = "Notes", "kept out of sight", "Budget"
    sheet.column_dimensions["D"].hidden = True   # notes are never applied
    sheet.column_dimensions["E"].hidden = True   # a header with no values under it applies nothing
    book.save(tmp_path / "rows.xlsx")
    problems = problems_of(tmp_path / "rows.xlsx")
    assert where(problems) == [("Ad groups", 1, "Status", "C"), ("Ad groups", 3, "(row)", "3:3"),
                               ("Ad groups", 5, "(row)", "5:6")]
    assert problems["reason"].tolist() == [
        "column C is hidden and not applied: unhide it or delete it",
        "row 3 is hidden and not applied: unhide it (or clear the filter) or delete it",
        "rows 5–6 are hidden and not applied: unhide them (or clear the filter) or delete them"]


def test_merged_cells_in_data_rows_are_problems(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ad groups"
    sheet.append(["Ad group ID", "Bid", "Status"])
    sheet.append(["2680060061223", "1.50", "PAUSED"])
    sheet.append(["2680060061364", None, None])
    sheet.merge_cells("C2:C3")
    sheet.merge_cells("D1:E1")          # the header row only: not a data row
    book.save(tmp_path / "merged.xlsx")
    problems = problems_of(tmp_path / "merged.xlsx")
    assert where(problems) == [("Ad groups", 2, "Status", "C2:C3")]
    assert problems["reason"][0] == ("cells C2:C3 are merged, so only their first cell has a value: unmerge them "
                                     "and fill in every row (merged cells are not applied)")


def test_a_number_in_a_text_column_is_a_problem(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", {"Ad groups": [["Ad group ID", "Name"], ["2680060061223", 123],
                                                          ["2680060061364", "123"]],
                                            "Keywords": [["Keyword ID", "Keyword"], ["7", 2024.0]]})
    problems = problems_of(path)
    assert where(problems) == [("Ad groups", 2, "Name", "123"), ("Keywords", 2, "Keyword", "2024")]
    assert problems["reason"].tolist() == [
        "is a number; names are text — format the column as Text and type it again",
        "is a number; keywords are text — format the column as Text and type it again"]
    assert read_spreadsheet(write_csv(tmp_path / "n.csv", [["Ad group ID", "Name"], ["1", "123"]]))[
        "ad_group"]["name"].tolist() == ["123"]   # a CSV holds text


# ------------------------------------------------------------------------------------------ at scale
def test_a_few_duplicates_each_name_the_others(tmp_path):
    path = write_csv(tmp_path / "d.csv", [["Ad group ID", "Bid"], ["7", "1"], ["8", "1"], ["7", "2"], ["7", "3"]])
    problems = problems_of(path)
    assert problems["reason"].tolist() == ["duplicate ad group id: also on rows 4, 5",
                                           "duplicate ad group id: also on rows 2, 5",
                                           "duplicate ad group id: also on rows 2, 4"]


def test_twenty_thousand_rows_on_one_id_are_one_compact_problem(tmp_path, pclient, account, groups):
    """(Its speed is a benchmark: python -m bench edits duplicates=20000.)"""
    gid = groups.id.iloc[0]
    path = write_csv(tmp_path / "dup.csv", [["Ad group ID", "Bid"]] + [[gid, "1.50"]] * 20_000)
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("dup.csv", 2, "Ad group ID", gid)]
    assert problems["reason"][0] == (f"duplicate: ad group id {gid} appears 20,000 times: rows 2, 3, 4 … and "
                                     f"19,997 more")
    tracemalloc.start()
    try:
        problems_of(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 300e6, peak


def test_long_rows_setting_one_field_many_times_are_one_problem(tmp_path):
    path = write_csv(tmp_path / "l.csv", [["Ad group ID", "Field", "Value"]] + [["7", "Bid", "1"]] * 6)
    problems = problems_of(path)
    assert problems["reason"].tolist() == ["Bid of ad group 7 appears 6 times: rows 2, 3, 4 … and 3 more"]


def _inflated(path: Path) -> Path:
    """A small workbook whose used range is A1:XFD1048576, for one blank styled cell there."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ad groups"
    sheet.append(["Ad group ID", "Bid"])
    sheet.append(["2680060061223", 1.5])
    sheet["XFD1048576"].number_format = "0.00"
    book.save(path)
    return path


def test_an_inflated_used_range_reads_in_bounded_memory(tmp_path):
    path = _inflated(tmp_path / "inflated.xlsx")
    assert path.stat().st_size < 10_000
    assert b'<dimension ref="A1:XFD1048576"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    tracemalloc.start()
    try:
        desired = read_spreadsheet(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50e6, peak
    assert desired["ad_group"]["bid_in_micro_currency"].tolist() == [1_500_000]
    assert pt.plans.read_template(path)["Ad groups"].shape == (1, 2)


def test_a_folder_is_a_clear_error_saying_what_to_pass(tmp_path, capsys):
    folder = tmp_path / "sheets"
    folder.mkdir()
    write_csv(folder / "bids.csv", [["Ad group ID", "Bid"], ["1", "1"]])
    with pytest.raises(IsADirectoryError, match=r"sheets is a folder, not a spreadsheet: pass a \.csv or \.xlsx "
                                                r"file, e\.g\. .*sheets/bids\.csv"):
        read_spreadsheet(folder)
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_spreadsheet(tmp_path / "missing.xlsx")
    assert main(["plan", str(folder), "--account", "549755023801"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pintools: ") and "is a folder, not a spreadsheet" in err and "Traceback" not in err
    assert main(["plan", str(folder / "bids.csv"), "--account", "549755023801", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (f"pintools: --out {tmp_path} is a folder: pass the plan file's name, e.g. --out "
                   f"{tmp_path / 'bids.plan.json'}\n")
