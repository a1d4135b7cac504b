"""Keywords from sheets: the template's Keywords sheet, new keywords as create rows, status and
match type edits, keyword bids refused (Pinterest ignores them), applied against the emulator."""

from __future__ import annotations

import openpyxl
import pytest

import pintools as pt
from pintools.plans.spreadsheet import from_spreadsheet, read_spreadsheet, template

from .sheets import problems_of, write_xlsx

IGNORED = ("Pinterest's current API ignores keyword bids (v5.23 KeywordsCommon.bid: \"Input will not be set and "
           "field will return null\"): change the ad group's bid instead (the Bid column of the Ad groups sheet)")


@pytest.fixture
def group(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    return groups[groups["status"] == "ACTIVE"].iloc[0]


def test_the_template_has_a_keywords_sheet_that_plans_nothing_unedited(tmp_path, pclient, account):
    path = template(account, tmp_path / "t.xlsx", client=pclient)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Campaigns", "Ad groups", "Keywords"]
    sheet = book["Keywords"]
    assert [c.value for c in sheet[1]] == ["Keyword ID", "Ad group ID", "Keyword", "Match type", "Status",
                                           "Ad account ID"]
    assert {sheet.cell(r, 5).value for r in range(2, sheet.max_row + 1)} <= {"ACTIVE", "ARCHIVED"}
    assert len(from_spreadsheet(path, client=pclient)) == 0


def test_a_keywords_row_without_an_id_is_a_new_keyword(tmp_path, pclient, account, group):
    path = write_xlsx(tmp_path / "kw.xlsx", {"Keywords": [
        ["Keyword ID", "Ad group ID", "Keyword", "Match type", "Status"],
        [None, group.id, " velvet armchair ", "phrase", None],
        [None, group.id, "boucle chair", "Exact negative", "active"],
    ]})
    desired = read_spreadsheet(path)["keyword"]
    assert desired["id"].tolist() == ["new-1", "new-2"] and desired["parent_id"].tolist() == [group.id] * 2
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    rows = plan.changes[["action", "entity_type", "id", "parent_id", "name", "field", "before", "after"]]
    assert rows.values.tolist() == [
        ["create", "keyword", "new-1", group.id, "velvet armchair", "*", None,
         {"value": "velvet armchair", "match_type": "PHRASE"}],
        ["create", "keyword", "new-2", group.id, "boucle chair", "*", None,
         {"value": "boucle chair", "match_type": "EXACT_NEGATIVE"}],
    ]
    assert plan.changes["ad_account_id"].tolist() == [account] * 2 and plan.changes["currency"].tolist() == ["USD"] * 2


def test_existing_keywords_status_and_match_type_are_edited_next_to_new_ones(tmp_path, pclient, account, group):
    keywords = pt.read_keywords(account, ad_group_ids=[group.id], client=pclient)
    k0, k1 = keywords.iloc[0], keywords.iloc[1]
    other = "EXACT" if k1.match_type != "EXACT" else "BROAD"
    path = write_xlsx(tmp_path / "kw.xlsx", {"Keywords": [
        ["Keyword ID", "Ad group ID", "Keyword", "Match type", "Status"],
        [k0.id, group.id, k0.value, None, "Archived"],
        [None, group.id, "rattan lounge chair", "BROAD", None],
        [k1.id, group.id, k1.value, other.lower(), None],
    ]})
    plan = from_spreadsheet(path, client=pclient, ad_account_id=account)
    assert plan.changes[["action", "id", "field", "before", "after"]].values.tolist() == [
        ["update", k0.id, "archived", False, True],
        ["create", "new-1", "*", None, {"value": "rattan lounge chair", "match_type": "BROAD"}],
        ["update", k1.id, "match_type", k1.match_type, other],
    ]
    assert plan.changes["parent_id"].tolist() == [group.id] * 3


@pytest.mark.parametrize("header", ["Bid", "Keyword bid", "Max CPC bid (USD)", "bid_in_micro_currency"])
def test_a_keyword_bid_column_is_refused_pointing_to_the_ad_group_bid(tmp_path, header):
    path = write_xlsx(tmp_path / "b.xlsx", {"Keywords": [["Keyword ID", header], ["7", "0.95"]]})
    problems = problems_of(path)
    assert problems[["sheet", "row", "column"]].values.tolist() == [["Keywords", 1, header]]
    assert problems["reason"].tolist() == [IGNORED]


def test_a_keyword_bid_column_is_named_once_however_many_new_keywords_fill_it(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", {"Keywords": [["Keyword ID", "Ad group ID", "Keyword", "Match type", "Bid"],
                                                         [None, "2680060061223", "velvet sofa", "BROAD", 0.95],
                                                         [None, "2680060061223", "boucle chair", "BROAD", 0.80],
                                                         ["7", None, None, None, 0.70]]})
    problems = problems_of(path)
    assert problems[["row", "column"]].values.tolist() == [[1, "Bid"]] and problems["reason"].tolist() == [IGNORED]


def test_a_keyword_bid_cell_in_long_rows_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"Long": [["Entity type", "ID", "Field", "Value"],
                                                     ["keyword", "7", "Bid", "0.95"],
                                                     ["ad group", "8", "Bid", "0.95"]]})
    problems = problems_of(path)
    assert problems[["row", "column", "value"]].values.tolist() == [[2, "Field", "Bid"]]
    assert problems["reason"].tolist() == [IGNORED]


def test_a_new_keyword_missing_a_piece_says_which(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"Keywords": [
        ["Keyword ID", "Ad group ID", "Keyword", "Match type", "Status"],
        [None, "2680060061223", "velvet armchair", None, None],
        [None, None, "velvet armchair", "BROAD", None],
        [None, "2680060061223", "velvet armchair", "WIDE", None],
        [None, "2680060061223", "velvet armchair", "BROAD", "archived"],
        [None, None, None, None, "ACTIVE"],
    ]})
    problems = problems_of(path)
    assert problems[["row", "column", "value"]].values.tolist() == [
        [2, "Keyword ID", ""], [3, "Keyword ID", ""], [4, "Match type", "WIDE"], [5, "Status", "archived"],
        [6, "Keyword ID", ""]]
    assert problems["reason"].tolist() == [
        "no Keyword ID, so this is a new keyword: it needs a Match type (BROAD, PHRASE, EXACT, EXACT_NEGATIVE, "
        "PHRASE_NEGATIVE) (to edit a keyword, paste its Keyword ID)",
        "no Keyword ID, so this is a new keyword: it needs its Ad group ID (to edit a keyword, paste its Keyword ID)",
        "must be one of BROAD, PHRASE, EXACT, EXACT_NEGATIVE, PHRASE_NEGATIVE",
        "a new keyword cannot start archived: leave it empty or write ACTIVE",
        "no id on this row (a new keyword needs an Ad group ID, a Keyword and a Match type)",
    ]


def test_new_keywords_need_an_ad_group_of_the_account_and_come_once(tmp_path, pclient, account, group):
    path = write_xlsx(tmp_path / "k.xlsx", {"Keywords": [
        ["Keyword ID", "Ad group ID", "Keyword", "Match type"],
        [None, "1234567890123", "velvet armchair", "BROAD"],
        [None, group.id, "Velvet Armchair", "broad"],
        [None, group.id, "velvet armchair", "BROAD"],
    ]})
    problems = problems_of(path, client=pclient, ad_account_id=account)
    assert problems[["row", "column", "value"]].values.tolist() == [
        [2, "Ad group ID", "1234567890123"], [3, "Keyword ID", ""], [4, "Keyword ID", ""]]
    assert problems["reason"].tolist() == [
        f"no ad_group with this id in ad account {account} (a new keyword's ad group)",
        "the same new keyword twice: also on row 4", "the same new keyword twice: also on row 3"]


def test_a_keyword_created_from_a_sheet_is_applied_and_read_back(tmp_path, pclient, account, group):
    path = template(account, tmp_path / "kw.xlsx", entity_types=("keyword",), client=pclient)
    book = openpyxl.load_workbook(path)
    book["Keywords"].append([None, group.id, "velvet chaise longue", "Phrase", None, account])
    book.save(path)
    plan = from_spreadsheet(path, client=pclient)
    assert plan.changes[["action", "id", "parent_id"]].values.tolist() == [["create", "new-1", group.id]]
    checked = plan.validate(pclient)
    assert checked.changes["verdict"].tolist() == ["ok"], checked.changes["reason"].tolist()
    applied = checked.apply(pclient, progress=False)
    assert applied.changes["result"].tolist() == ["applied"], applied.changes["message"].tolist()
    new_id = applied.created_ids["new-1"]
    live = pt.read_keywords(account, ad_group_ids=[group.id], client=pclient).set_index("id")
    assert live.loc[new_id, ["value", "match_type", "archived"]].tolist() == ["velvet chaise longue", "PHRASE", False]
    again = from_spreadsheet(template(account, tmp_path / "again.xlsx", entity_types=("keyword",), client=pclient),
                             client=pclient)
    assert len(again) == 0
