"""Round trips through pandas: ``read_template`` gives ids as text; a template read with
``pd.read_excel``'s default dtypes (ids as int64) and written back with ``to_excel`` plans
exactly the edit made."""

from __future__ import annotations

import pandas as pd
import pytest

import pintools as pt
from pintools.plans.spreadsheet import from_spreadsheet, template


def _write(sheets: dict[str, pd.DataFrame], path):
    with pd.ExcelWriter(path) as book:
        for name, frame in sheets.items():
            frame.to_excel(book, sheet_name=name, index=False)
    return path


@pytest.fixture
def edit_template(tmp_path, pclient, account):
    return template(account, tmp_path / "edit.xlsx", entity_types=("campaign", "ad_group", "ad", "keyword"),
                    client=pclient)


def test_read_excel_default_dtypes_edit_to_excel_plans_exactly_that_change(tmp_path, pclient, account,
                                                                           edit_template):
    sheets = pd.read_excel(edit_template, sheet_name=None)
    groups = sheets["Ad groups"]
    assert groups["Ad group ID"].dtype == "int64" and groups["Ad account ID"].dtype == "int64"  # what pandas does
    row = groups[groups["Bid (USD)"].notna()].index[0]
    gid = str(groups.loc[row, "Ad group ID"])
    before = pt.read_ad_groups(account, ids=[gid], client=pclient)["bid_in_micro_currency"].iloc[0]
    groups.loc[row, "Bid (USD)"] = 1.23
    plan = from_spreadsheet(_write(sheets, tmp_path / "back.xlsx"), client=pclient)
    assert plan.changes[["entity_type", "id", "field", "before", "after"]].values.tolist() == [
        ["ad_group", gid, "bid_in_micro_currency", int(before), 1_230_000]]


def test_read_template_gives_ids_as_text_and_round_trips(tmp_path, pclient, account, edit_template):
    sheets = pt.plans.read_template(edit_template)
    assert list(sheets) == ["Campaigns", "Ad groups", "Ads", "Keywords"]
    as_text = pd.read_excel(edit_template, sheet_name=None, dtype=str)
    for name, frame in sheets.items():
        assert list(frame.columns) == list(as_text[name].columns)
        for column in [c for c in frame.columns if c.endswith("ID")]:
            assert frame[column].dtype == "string", (name, column)
            assert frame[column].fillna("").tolist() == as_text[name][column].fillna("").tolist()
    groups = sheets["Ad groups"]
    assert groups["Bid (USD)"].dtype == "float64" and groups["Start time (UTC)"].dtype.kind == "M"
    assert len(from_spreadsheet(_write(sheets, tmp_path / "same.xlsx"), client=pclient)) == 0

    keywords = sheets["Keywords"]
    group = groups.loc[groups["Status"] == "ACTIVE", "Ad group ID"].iloc[0]
    keywords.loc[len(keywords)] = {"Ad group ID": group, "Keyword": "oak side table", "Match type": "exact"}
    plan = from_spreadsheet(_write(sheets, tmp_path / "new.xlsx"), client=pclient, ad_account_id=account)
    assert plan.changes[["action", "parent_id", "after"]].values.tolist() == [
        ["create", group, {"value": "oak side table", "match_type": "EXACT"}]]


def test_read_template_reads_a_csv_with_ids_as_text(tmp_path):
    path = tmp_path / "bids.csv"
    path.write_text("Ad group ID;Bid (USD);Ad account ID\n0268006006122;1.5;549755023801\n", encoding="utf-8")
    frame = pt.plans.read_template(path)["bids.csv"]
    assert frame["Ad group ID"].tolist() == ["0268006006122"] and frame["Ad group ID"].dtype == "string"
    assert frame["Ad account ID"].dtype == "string" and frame["Bid (USD)"].tolist() == [1.5]


def test_ids_pandas_wrote_as_numbers_are_taken_only_when_exact(tmp_path):
    frame = pd.DataFrame({"Ad group ID": [2680060061223, 549755023801123456], "Bid": [1.0, 2.0]})
    path = tmp_path / "ids.xlsx"
    frame.to_excel(path, sheet_name="Ad groups", index=False)
    with pytest.raises(pt.plans.SpreadsheetError) as err:
        pt.plans.read_spreadsheet(path)
    problems = err.value.problems
    assert problems[["row", "column"]].values.tolist() == [[3, "Ad group ID"]]
    assert "has rounded the last digits" in problems["reason"][0]
