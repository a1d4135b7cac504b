"""Spreadsheets → edit plans: CSV and XLSX, wide and long rows, aliases, exact money, every
problem reported at once, template round trips — against the emulator with a fixed clock."""

from __future__ import annotations

import datetime as dt
import time

import openpyxl
import pandas as pd
import pytest

import pintools as pt
from pintools.plans.spreadsheet import SpreadsheetError, from_spreadsheet, read_spreadsheet, template

from .sheets import problems_of, where, write_csv, write_xlsx


def changes(plan) -> list[tuple]:
    return list(plan.changes[["entity_type", "id", "field", "before", "after"]].itertuples(index=False, name=None))


@pytest.fixture
def groups(pclient, account):
    return pt.read_ad_groups(account, client=pclient)


@pytest.fixture
def campaigns(pclient, account):
    return pt.read_campaigns(account, client=pclient)


def _micro(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _seconds(value) -> int | None:
    return None if pd.isna(value) else int(value.timestamp())


# ------------------------------------------------------------------------------------------ formats
def test_csv_wide_rows_plan_bids_given_in_units_as_exact_micro(tmp_path, pclient, account, groups):
    g0, g1 = groups.iloc[0], groups.iloc[1]
    path = write_csv(tmp_path / "bids.csv", [["Ad group ID", "Bid (USD)", "Status"],
                                             [g0.id, "1.1", ""], [g1.id, "2.675", "paused"]])
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    assert changes(plan) == [
        ("ad_group", g0.id, "bid_in_micro_currency", _micro(g0.bid_in_micro_currency), 1_100_000),
        ("ad_group", g1.id, "status", g1.status, "PAUSED"),
        ("ad_group", g1.id, "bid_in_micro_currency", _micro(g1.bid_in_micro_currency), 2_675_000),
    ]
    assert plan.source == "spreadsheet bids.csv"
    assert plan.changes["row"].tolist() == [0, 1, 2]
    assert set(plan.changes["ad_account_id"]) == {account} and set(plan.changes["currency"]) == {"USD"}


def test_csv_long_rows_name_the_field_on_each_row(tmp_path, pclient, account, groups):
    g0, g1 = groups.iloc[0], groups.iloc[1]
    path = write_csv(tmp_path / "long.csv", [["ad_group_id", "field", "value"],
                                             [g0.id, "Max bid", "1.25"], [g0.id, "status", "Paused"],
                                             [g1.id, "Name", "Renamed"], [g1.id, "End date", "2026-12-31"],
                                             [g1.id, "Bid", ""]])
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    end = int(dt.datetime(2026, 12, 31, tzinfo=dt.UTC).timestamp())
    assert changes(plan) == [
        ("ad_group", g0.id, "status", "ACTIVE", "PAUSED"),
        ("ad_group", g0.id, "bid_in_micro_currency", _micro(g0.bid_in_micro_currency), 1_250_000),
        ("ad_group", g1.id, "name", g1["name"], "Renamed"),
        ("ad_group", g1.id, "end_time", None, end),
    ]


def test_csv_with_an_entity_type_column_mixes_campaigns_and_ad_groups(tmp_path, pclient, account, campaigns, groups):
    c0 = campaigns[campaigns.daily_spend_cap_micro.notna()].iloc[0]
    g0 = groups.iloc[0]
    path = write_csv(tmp_path / "mixed.csv", [["Entity type", "ID", "Status", "Daily budget"],
                                              ["Campaign", c0.id, "", "200"], ["ad groups", g0.id, "PAUSED", ""]])
    desired = read_spreadsheet(path)
    assert set(desired) == {"campaign", "ad_group"}
    assert desired["campaign"]["daily_spend_cap_micro"].tolist() == [200_000_000]
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    assert changes(plan) == [("campaign", c0.id, "daily_spend_cap", int(c0.daily_spend_cap_micro), 200_000_000),
                             ("ad_group", g0.id, "status", "ACTIVE", "PAUSED")]


def test_xlsx_with_a_sheet_per_kind(tmp_path, pclient, account, campaigns, groups):
    c0 = campaigns[campaigns.lifetime_spend_cap_micro.notna()].iloc[0]
    g0 = groups.iloc[0]
    keywords = pt.read_keywords(account, ad_group_ids=[g0.id], client=pclient)
    k0, k1 = keywords.iloc[0], keywords.iloc[1]
    path = write_xlsx(tmp_path / "edits.xlsx", {
        "Campaigns": [["Campaign ID", "Lifetime budget (USD)", "End time"],
                      [c0.id, 3500.5, dt.datetime(2027, 1, 31, 18, 30)]],
        "ad_groups": [["AdGroup Id", "Max bid", "Notes"], [g0.id, 2.675, "raise it"]],
        "KEYWORDS": [["Keyword ID", "Ad group ID", "Match type", "Status"],
                     [k0.id, g0.id, "", "archived"], [k1.id, g0.id, "exact", None]],
        "Sheet3": [],
    })
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    end = int(dt.datetime(2027, 1, 31, 18, 30, tzinfo=dt.UTC).timestamp())
    assert changes(plan) == [
        ("campaign", c0.id, "lifetime_spend_cap", int(c0.lifetime_spend_cap_micro), 3_500_500_000),
        ("campaign", c0.id, "end_time", _seconds(c0.end_time), end),
        ("ad_group", g0.id, "bid_in_micro_currency", _micro(g0.bid_in_micro_currency), 2_675_000),
        ("keyword", k0.id, "archived", False, True),
        ("keyword", k1.id, "match_type", k1.match_type, "EXACT"),
    ]
    keyword_rows = plan.changes[plan.changes.entity_type == "keyword"]
    assert set(keyword_rows["parent_id"]) == {g0.id}   # a match-type change re-creates the keyword there


def test_numeric_id_cells_are_refused_only_where_digits_were_lost(tmp_path):
    path = write_xlsx(tmp_path / "ids.xlsx", {"Ad groups": [["Ad group ID", "Bid"],
                                                            [549755023801123456, "1.00"],
                                                            [2680060061223.5, "1.00"],
                                                            [1234567890123456, "1.00"],
                                                            [2680060061223.0, "1.00"],
                                                            [2680060061482, "1.00"],
                                                            ["2680060061364", "1.00"]]})
    problems = problems_of(path)
    assert where(problems) == [("Ad groups", 2, "Ad group ID", "5.497550238011235e+17"),
                               ("Ad groups", 3, "Ad group ID", "2680060061223.5"),
                               ("Ad groups", 4, "Ad group ID", "1234567890123456")]
    assert problems["reason"].str.contains("Excel stores long ids as numbers and has rounded the last digits").all()
    assert problems["reason"].str.contains("format the column as Text and paste the ids again").all()
    assert "549755023801123520" in problems["reason"][0]  # what Excel made of …123456
    fixed = write_xlsx(tmp_path / "ok.xlsx", {"Ad groups": [["Ad group ID", "Bid"], [2680060061223.0, "1.00"],
                                                            [2680060061482, "1.00"], ["2680060061364", "1.00"]]})
    assert read_spreadsheet(fixed)["ad_group"]["id"].tolist() == ["2680060061223", "2680060061482", "2680060061364"]


def test_csv_from_excel_with_a_bom_semicolons_and_crlf(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffAd group ID;Bid (€);Notes\r\n2680060061223;2.5;«plus»\r\n".encode("utf-8"))
    desired = read_spreadsheet(path)["ad_group"]
    assert desired["bid_in_micro_currency"].tolist() == [2_500_000]
    assert desired.index.tolist() == ["excel.csv!2"]


def test_keywords_without_a_parent_column_are_found_in_the_whole_account(tmp_path, pclient, account, groups):
    keywords = pt.read_keywords(account, ad_group_ids=list(groups.id[:2]), client=pclient)
    k0, k1 = keywords.iloc[0], keywords.iloc[5]
    path = write_csv(tmp_path / "kw.csv", [["Keyword ID", "Keyword", "Archived", "Match type"],
                                           [k0.id, k0.value.upper(), "yes", ""],
                                           [k1.id, "something else", "", "broad"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("kw.csv", 3, "Keyword", "something else")]
    assert problems["reason"][0] == (f"read-only: this keyword's text is {k1.value!r} "
                                     f"(to change it, archive the keyword and add a new one)")
    path = write_csv(tmp_path / "kw.csv", [["Keyword ID", "Keyword", "Archived"], [k0.id, k0.value.upper(), "yes"]])
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    assert changes(plan) == [("keyword", k0.id, "archived", False, True)]
    assert plan.changes["parent_id"].tolist() == [k0.parent_id] and plan.changes["name"].tolist() == [k0.value]


# ------------------------------------------------------------------------------------------ headers and cells
@pytest.mark.parametrize("header", ["Ad group ID", "ad_group_id", "AdGroup Id", "ad-group id", "AD GROUP ID", "ID"])
def test_id_header_aliases(tmp_path, header):
    rows = [[header, "Bid"], ["2680060061223", "1"]]
    if header == "ID":
        rows = [[header, "Entity type", "Bid"], ["2680060061223", "Ad group", "1"]]
    desired = read_spreadsheet(write_csv(tmp_path / "a.csv", rows))
    assert desired["ad_group"]["id"].tolist() == ["2680060061223"]


@pytest.mark.parametrize("sheet, header, cell, column, expected", [
    ("Ad groups", "Bid", "1.5", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "Max bid", "1.5", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "CPC bid", "1.5", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "Bid (USD)", "1.5", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "Max. CPC bid ($)", "1.5", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "bid_in_micro_currency", "1500000", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "Bid (micro)", "1500000", "bid_in_micro_currency", 1_500_000),
    ("Ad groups", "Budget", "25", "budget_in_micro_currency", 25_000_000),
    ("Ad groups", "Daily budget", "25", "budget_in_micro_currency", 25_000_000),
    ("Ad groups", "Lifetime budget", "25", "budget_in_micro_currency", 25_000_000),
    ("Ad groups", "Budget type", "lifetime", "budget_type", "LIFETIME"),
    ("Ad groups", "Status", "Paused", "status", "PAUSED"),
    ("Ad groups", "Name", "Spring", "name", "Spring"),
    ("Campaigns", "Budget", "25", "daily_spend_cap_micro", 25_000_000),
    ("Campaigns", "Daily budget (EUR)", "€25", "daily_spend_cap_micro", 25_000_000),
    ("Campaigns", "Lifetime budget", "1,000", "lifetime_spend_cap_micro", 1_000_000_000),
    ("Campaigns", "daily_spend_cap", "25000000", "daily_spend_cap_micro", 25_000_000),
    ("Campaigns", "lifetime_spend_cap_micro", "25000000", "lifetime_spend_cap_micro", 25_000_000),
    ("Campaigns", "Start date", "2026-12-01", "start_time", pd.Timestamp("2026-12-01", tz="UTC")),
    ("Campaigns", "End time (UTC)", "2026-12-01 18:00", "end_time", pd.Timestamp("2026-12-01 18:00", tz="UTC")),
    ("Campaigns", "end_time", "1796148000", "end_time", pd.Timestamp("2026-12-01 18:00", tz="UTC")),
    ("Keywords", "Match type", "exact negative", "match_type", "EXACT_NEGATIVE"),
    ("Keywords", "Status", "ARCHIVED", "archived", True),
    ("Keywords", "Status", "active", "archived", False),
    ("Keywords", "Archived", "yes", "archived", True),
    ("Keywords", "archived", "0", "archived", False),
])
def test_field_header_aliases(tmp_path, sheet, header, cell, column, expected):
    path = write_xlsx(tmp_path / "a.xlsx", {sheet: [["ID", header], ["123", cell]]})
    entity = {"Ad groups": "ad_group", "Campaigns": "campaign", "Keywords": "keyword"}[sheet]
    frame = read_spreadsheet(path)[entity]
    assert frame.columns.tolist() == ["id", column]
    assert frame[column].tolist() == [expected]
    assert frame.index.tolist() == [f"{sheet}!2"]


@pytest.mark.parametrize("cell, micro", [
    ("1.1", 1_100_000), ("2.675", 2_675_000), ("$1.10", 1_100_000), ("1,234.50", 1_234_500_000), ("€12", 12_000_000),
    ("12 EUR", 12_000_000), ("usd 3", 3_000_000), ("0.000001", 1), (" 7 ", 7_000_000), ("0", 0), (".5", 500_000),
    (2.675, 2_675_000), (0.1 + 0.2, 300_000), (3, 3_000_000), (1.1 * 3, 3_300_000),
])
def test_money_cells_become_exact_micro(tmp_path, cell, micro):
    path = write_xlsx(tmp_path / "m.xlsx", {"Ad groups": [["Ad group ID", "Bid"], ["1", cell]]})
    assert read_spreadsheet(path)["ad_group"]["bid_in_micro_currency"].tolist() == [micro]


@pytest.mark.parametrize("cell, reason", [
    ("-1", "negative"), ("(1.00)", "negative"), ("1.0000001", "more than 6 decimal places"), ("abc", "not an amount"),
    ("1,5", "not an amount"), ("1.2.3", "not an amount"), ("1e3", "not an amount"), ("$€1", "more than one currency"),
    ("USD", "not an amount"), (-2.5, "negative"), (True, "not an amount"), (1e-7, "more than 6 decimal places"),
    ("=1+1", "not an amount"), (1e300, "too large"), (dt.datetime(2026, 1, 1), "not an amount"),
])
def test_bad_money_cells_are_refused(tmp_path, cell, reason):
    path = write_xlsx(tmp_path / "m.xlsx", {"Ad groups": [["Ad group ID", "Bid"], ["1", cell]]})
    if cell == "=1+1":
        path = write_csv(tmp_path / "m.csv", [["Ad group ID", "Bid"], ["1", cell]])
    problems = problems_of(path)
    assert len(problems) == 1 and reason in problems["reason"][0]
    assert problems[["row", "column"]].values.tolist() == [[2, "Bid"]]


def test_a_formula_without_a_saved_result_is_not_taken_as_empty(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"Ad groups": [["Ad group ID", "Bid"], ["1", "=1+1"]]})
    problems = problems_of(path)
    assert where(problems) == [("Ad groups", 2, "Bid", "=1+1")]
    assert "formula with no saved result" in problems["reason"][0]


def test_unknown_headers_are_errors_that_suggest_the_closest(tmp_path):
    path = write_csv(tmp_path / "h.csv", [["Ad group ID", "Bid ammount", "Stauts", "Colour"],
                                          ["1", "1", "PAUSED", "x"]])
    problems = problems_of(path)
    assert where(problems) == [("h.csv", 1, "Bid ammount", "Bid ammount"), ("h.csv", 1, "Stauts", "Stauts"),
                               ("h.csv", 1, "Colour", "Colour")]
    reasons = problems["reason"].tolist()
    assert "did you mean 'Bid amount'?" in reasons[0] and "did you mean 'Status'?" in reasons[1]
    assert reasons[2].startswith("unknown column")


def test_fields_that_the_entity_type_cannot_edit_are_errors(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"Campaigns": [["Campaign ID", "Bid", "Match type"], ["1", "2", "BROAD"]],
                                            "Ads": [["Ad ID", "Budget"], ["2", "3"]]})
    problems = problems_of(path)
    assert where(problems) == [("Campaigns", 1, "Bid", "Bid"), ("Campaigns", 1, "Match type", "Match type"),
                               ("Ads", 1, "Budget", "Budget")]
    assert problems["reason"].str.contains("cannot be set on").all()


def test_every_problem_of_a_sheet_is_reported_at_once(tmp_path):
    path = write_csv(tmp_path / "many.csv", [
        ["Ad group ID", "Bid (USD)", "Status", "Budget type", "End date", "Oops"],
        ["2680060061223", "1,5", "paused", "daily", "2026-12-31", ""],
        ["5.49755E+17", "-1", "ON", "", "", ""],
        ["2680060061223", "abc", "", "WEEKLY", "tomorrow", ""],
        ["12a", "1.0000001", "", "", "", ""],
        ["", "2", "", "", "", ""],
        ["", "", "", "", "", ""],
    ])
    problems = problems_of(path)
    assert where(problems) == [
        ("many.csv", 1, "Oops", "Oops"),
        ("many.csv", 2, "Bid (USD)", "1,5"),
        ("many.csv", 2, "Ad group ID", "2680060061223"),
        ("many.csv", 3, "Ad group ID", "5.49755E+17"),
        ("many.csv", 3, "Bid (USD)", "-1"),
        ("many.csv", 3, "Status", "ON"),
        ("many.csv", 4, "Bid (USD)", "abc"),
        ("many.csv", 4, "Budget type", "WEEKLY"),
        ("many.csv", 4, "End date", "tomorrow"),
        ("many.csv", 4, "Ad group ID", "2680060061223"),
        ("many.csv", 5, "Ad group ID", "12a"),
        ("many.csv", 5, "Bid (USD)", "1.0000001"),
        ("many.csv", 6, "Ad group ID", ""),
    ]
    reasons = dict(zip(zip(problems.row, problems.column, strict=True), problems.reason, strict=True))
    assert reasons[(2, "Ad group ID")] == "duplicate ad group id: also on row 4"
    assert reasons[(4, "Ad group ID")] == "duplicate ad group id: also on row 2"
    assert "converted to a number" in reasons[(3, "Ad group ID")]
    assert reasons[(3, "Status")] == "must be one of ACTIVE, PAUSED, ARCHIVED"
    assert reasons[(4, "Budget type")] == "must be one of DAILY, LIFETIME, CBO_ADGROUP"
    assert reasons[(6, "Ad group ID")] == "no id on this row"
    assert (problems["reason"].str.len() > 0).all()


def test_the_message_lists_twenty_problems_then_counts_the_rest(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["Ad group ID", "Bid"]] + [[str(i + 1), "x"] for i in range(25)])
    with pytest.raises(SpreadsheetError) as err:
        read_spreadsheet(path)
    text = str(err.value)
    assert text.splitlines()[0] == "bad.csv: 25 problems, so nothing was planned"
    assert "bad.csv row 2, Bid = 'x': not an amount" in text
    assert text.splitlines()[-1] == "  … and 5 more (see .problems)"
    assert isinstance(err.value, ValueError) and len(err.value.problems) == 25


def test_a_sheet_without_an_id_column_or_a_kind_is_an_error(tmp_path):
    path = write_xlsx(tmp_path / "k.xlsx", {"Ad groups": [["Name", "Bid"], ["a", "1"]],
                                            "Sheet1": [["Name"], ["b"]]})
    problems = problems_of(path)
    assert where(problems) == [("Ad groups", 1, "Ad group ID", ""), ("Sheet1", 1, "Entity type", "")]


def test_duplicates_across_wide_and_long_sheets_name_every_place(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", {"Ad groups": [["Ad group ID", "Bid"], ["7", "1"]],
                                            "Long": [["Ad group ID", "Field", "Value"], ["7", "Bid", "2"]]})
    problems = problems_of(path)
    assert where(problems) == [("Ad groups", 2, "Bid", "1"), ("Long", 2, "Bid", "2")]
    assert problems["reason"].tolist() == ["set more than once (also Long row 2)",
                                           "set more than once (also Ad groups row 2)"]


# ------------------------------------------------------------------------------------------ against the account
def test_ids_not_in_the_account_are_named_with_their_rows(tmp_path, pclient, account, groups):
    other = pt.read_ad_accounts(client=pclient).id[1]
    foreign = pt.read_ad_groups(other, client=pclient).id[0]
    path = write_csv(tmp_path / "ids.csv", [["Ad group ID", "Bid"], [groups.id[0], "1"], ["1234567890123", "1"],
                                            [foreign, "1"], [groups.id[1], "2"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("ids.csv", 3, "Ad group ID", "1234567890123"), ("ids.csv", 4, "Ad group ID", foreign)]
    assert problems["reason"].tolist() == [f"no ad_group with this id in ad account {account}"] * 2


def test_the_ad_account_comes_from_a_column_the_argument_or_the_token(tmp_path, pclient, account, groups):
    path = write_csv(tmp_path / "a.csv", [["Ad group ID", "Bid"], [groups.id[0], "1"]])
    problems = problems_of(path, client=pclient)
    assert where(problems) == [("a.csv", 1, "Ad account ID", "")]
    assert "which ad account?" in problems["reason"][0]
    with_column = write_csv(tmp_path / "b.csv", [["Ad account ID", "Ad group ID", "Bid"], [account, groups.id[0], "1"]])
    assert len(from_spreadsheet(with_column, client=pclient)) == 1
    problems = problems_of(with_column, client=pclient, ad_account_id="549755024040")
    assert problems["reason"].tolist() == ["another account than ad_account_id=549755024040"]
    unseen = write_csv(tmp_path / "c.csv", [["Ad account ID", "Ad group ID", "Bid"], ["999", groups.id[0], "1"]])
    assert problems_of(unseen, client=pclient)["reason"].tolist() == ["not an ad account this token can see"]


def test_read_only_columns_must_match_the_account(tmp_path, pclient, account, groups):
    g0 = groups.iloc[0]
    path = write_csv(tmp_path / "r.csv", [["Ad group ID", "Campaign ID", "Currency", "Bid"],
                                          [g0.id, g0.campaign_id, "usd", "1"],
                                          [groups.id[1], "626735044999", "GBP", "2"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("r.csv", 3, "Campaign ID", "626735044999"), ("r.csv", 3, "Currency", "GBP")]
    assert problems["reason"].tolist() == [f"read-only: this ad_group belongs to campaign {groups.campaign_id[1]}",
                                           f"read-only: ad account {account} is in USD"]


def test_money_written_in_another_currency_is_an_error(tmp_path, pclient, account, groups):
    path = write_csv(tmp_path / "gbp.csv", [["Ad group ID", "Bid (GBP)", "Budget"],
                                            [groups.id[0], "1", ""], [groups.id[1], "2", "€3"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("gbp.csv", 1, "Bid (GBP)", "Bid (GBP)"), ("gbp.csv", 3, "Budget", "€3")]
    assert problems["reason"].tolist() == [f"written in GBP, but ad account {account} is in USD",
                                           f"€ means EUR but ad account {account} is in USD: write the amount in "
                                           f"USD, without a currency sign"]


def test_a_lifetime_budget_needs_an_ad_group_with_a_lifetime_budget_type(tmp_path, pclient, account, groups):
    daily = groups[groups.budget_type == "DAILY"].iloc[0]
    path = write_csv(tmp_path / "l.csv", [["Ad group ID", "Lifetime budget", "Budget type"],
                                          [daily.id, "500", ""], [groups[groups.budget_type == "DAILY"].id.iloc[1],
                                                                  "600", "LIFETIME"]])
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert where(problems) == [("l.csv", 2, "Lifetime budget", "500")]
    assert "set Budget type to LIFETIME" in problems["reason"][0]


# ------------------------------------------------------------------------------------------ templates
def test_template_round_trip_plans_nothing_then_exactly_the_edit(tmp_path, pclient, account, groups):
    path = template(account, tmp_path / "edit.xlsx", entity_types=("campaign", "ad_group", "ad", "keyword"),
                    client=pclient)
    assert path == tmp_path / "edit.xlsx"
    assert len(from_spreadsheet(path, client=pclient)) == 0

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Campaigns", "Ad groups", "Ads", "Keywords"]
    sheet = book["Ad groups"]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["Ad group ID", "Campaign ID", "Name", "Status", "Budget type", "Budget (USD)", "Bid (USD)"]
    assert sheet.freeze_panes == "A2"
    id_cell = sheet.cell(2, 1)
    assert isinstance(id_cell.value, str) and id_cell.number_format == "@"
    assert sheet.column_dimensions["C"].width > 10
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 7).value is not None)
    gid = sheet.cell(row, 1).value
    before = int(groups.set_index("id").loc[gid, "bid_in_micro_currency"])
    sheet.cell(row, 7).value = 1.234567
    book.save(path)

    plan = from_spreadsheet(path, client=pclient)
    assert changes(plan) == [("ad_group", gid, "bid_in_micro_currency", before, 1_234_567)]
    assert plan.changes["delta"].tolist() == [1_234_567 - before]


def test_template_checks_its_arguments(tmp_path, pclient, account):
    with pytest.raises(ValueError, match="entity_types must name"):
        template(account, tmp_path / "t.xlsx", entity_types=("pins",), client=pclient)
    with pytest.raises(ValueError, match="ad_account_id"):
        template(5.49755023801e11, tmp_path / "t.xlsx", client=pclient)


def test_template_in_another_currency_and_for_chosen_ids(tmp_path, pclient):
    gbp = pt.read_ad_accounts(client=pclient).set_index("currency").loc["GBP", "id"]
    groups = pt.read_ad_groups(gbp, client=pclient)
    path = template(gbp, tmp_path / "gbp.xlsx", entity_types=["ad_group"], ids=list(groups.id[:2]), client=pclient)
    book = openpyxl.load_workbook(path)
    sheet = book["Ad groups"]
    assert "Bid (GBP)" in [c.value for c in sheet[1]]
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == list(groups.id[:2])
    sheet.cell(2, 4).value = "paused" if groups.status[0] == "ACTIVE" else "active"
    book.save(path)
    plan = from_spreadsheet(path, client=pclient)
    assert changes(plan) == [("ad_group", groups.id[0], "status", groups.status[0],
                              "PAUSED" if groups.status[0] == "ACTIVE" else "ACTIVE")]
    assert plan.changes["currency"].tolist() == ["GBP"]


# ------------------------------------------------------------------------------------------ scale
BENCH = [{"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": 100, "ad_groups_per_campaign": 100,
          "ads_per_ad_group": 0, "keywords_per_ad_group": 0, "statuses": "active"}]


def test_ten_thousand_ad_group_bids_from_csv(tmp_path, monkeypatch):
    from pintools import entities
    from pintools.emulator import start

    srv = start(seed=42, clock="2026-11-15T12:00:00Z", rate_limits={"ads_write": None, "ads_read": None},
                accounts=BENCH)
    reading = []   # seconds spent reading current state from the emulator (HTTP, spec checks, frames)

    def timed(read):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return read(*args, **kwargs)
            finally:
                reading.append(time.perf_counter() - started)
        return wrapper

    try:
        client = pt.connect(emulator=srv, quiet=True,
                            rate_limits={"ads_write": None, "ads_read": None, "universal": None})
        account = pt.read_ad_accounts(client=client).id[0]
        groups = pt.read_ad_groups(account, statuses="all", client=client)
        assert len(groups) == 10_000
        path = tmp_path / "bids.csv"
        rows = [["Ad group ID", "Bid (USD)"]]
        for i, (gid, bid) in enumerate(zip(groups.id, groups.bid_in_micro_currency, strict=True)):
            rows.append([gid, f"{(0 if pd.isna(bid) else int(bid)) / 1e6 + 0.01 * (1 + i % 7):.2f}"])
        write_csv(path, rows)

        started = time.perf_counter()
        desired = read_spreadsheet(path)
        parsing = time.perf_counter() - started
        for name in ("read_ad_accounts", "read_ad_groups"):
            monkeypatch.setattr(entities, name, timed(getattr(entities, name)))
        started = time.perf_counter()
        plan = from_spreadsheet(path, client=client, ad_account_id=account)
        total = time.perf_counter() - started
    finally:
        srv.stop()
    assert len(desired["ad_group"]) == 10_000
    assert len(plan) == 10_000 and plan.changes["row"].tolist() == list(range(10_000))
    assert (plan.changes["delta"] > 0).all()
    print(f"\n10,000-row CSV: read_spreadsheet {parsing:.2f} s; from_spreadsheet {total:.2f} s = reading current "
          f"state from the emulator {sum(reading):.2f} s + parse, validate and diff {total - sum(reading):.2f} s")
