"""pt.to_excel / pt.to_csv on pintools frames: ids stay text, times naive UTC with (UTC) in the header,
nested objects as JSON, money beside micros, formula-like text inert, files private (0600)."""

import csv
import json
import stat

import pandas as pd
import pytest
from openpyxl import load_workbook

import pintools as pt

BIG_ID = "549755885175123456"  # 18 digits: a float (or an Excel number) loses the last ones
FORMULA = '=HYPERLINK("x")'


@pytest.fixture
def account(client):
    return pt.read_ad_accounts(client=client)["id"].iloc[0]


@pytest.fixture
def campaigns(client, account):
    df = pt.read_campaigns(account, client=client)
    df.loc[0, "id"] = BIG_ID
    df.loc[0, "name"] = FORMULA
    df["created_time"] = df["created_time"].dt.tz_convert("America/New_York")  # any zone: written as UTC
    return df


@pytest.fixture
def ad_groups(client, account):
    return pt.read_ad_groups(account, client=client)


@pytest.fixture
def analytics(client, account, ad_groups):
    return pt.read_analytics(account, "2026-11-02", "2026-11-08", level="ad_group", names=True, progress=False,
                             columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "CTR"], client=client)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def cells(path, sheet):
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return ws, header, [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2)]


def test_entities_round_trip_through_excel_with_ids_as_text(campaigns, ad_groups, tmp_path):
    path = pt.to_excel({"Campaigns": campaigns, "Ad groups": ad_groups}, tmp_path / "account.xlsx")
    assert path == tmp_path / "account.xlsx" and mode(path) == 0o600
    back = pd.read_excel(path, sheet_name=None, dtype=str)
    assert list(back) == ["Campaigns", "Ad groups"]
    assert back["Campaigns"]["id"].tolist() == campaigns["id"].tolist() and BIG_ID in back["Campaigns"]["id"].tolist()
    assert back["Campaigns"]["ad_account_id"].tolist() == campaigns["ad_account_id"].tolist()
    assert back["Ad groups"]["id"].tolist() == ad_groups["id"].tolist()
    assert back["Ad groups"]["campaign_id"].tolist() == ad_groups["campaign_id"].tolist()
    ws, header, rows = cells(path, "Campaigns")
    assert rows[0]["id"].value == BIG_ID and rows[0]["id"].data_type == "s" and rows[0]["id"].number_format == "@"
    assert ws.freeze_panes == "A2"
    assert 8 <= ws.column_dimensions["C"].width <= 60  # name: sized to its contents


def test_entities_round_trip_through_csv_with_ids_as_text(campaigns, ad_groups, tmp_path):
    path = pt.to_csv(campaigns, tmp_path / "campaigns.csv")
    assert mode(path) == 0o600
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["id"].tolist() == campaigns["id"].tolist() and back["id"][0] == BIG_ID
    groups = pd.read_csv(pt.to_csv(ad_groups, tmp_path / "groups.csv"), dtype=str)
    assert groups["id"].tolist() == ad_groups["id"].tolist()


def test_a_formula_name_is_inert_in_both(campaigns, tmp_path):
    with (pt.to_csv(campaigns, tmp_path / "c.csv")).open(newline="", encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))
    assert first["name"] == "'" + FORMULA
    _, _, rows = cells(pt.to_excel(campaigns, tmp_path / "c.xlsx"), "c")
    cell = rows[0]["name"]
    assert cell.data_type != "f" and cell.data_type == "s"
    assert cell.value == FORMULA and cell.quotePrefix  # text, shown as typed, never evaluated


@pytest.mark.parametrize("text", ["+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralised_in_csv_but_numbers_stay_numbers(text, tmp_path):
    frame = pd.DataFrame({"note": [text, "-5"], "delta": pd.array([-100000, 3], dtype="Int64")})
    with pt.to_csv(frame, tmp_path / "x.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["note"] == "'" + text and rows[1]["note"] == "-5"
    assert rows[0]["delta"] == "-100000"
    _, _, cells_ = cells(pt.to_excel(frame, tmp_path / "x.xlsx"), "x")
    assert cells_[0]["delta"].value == -100000 and cells_[0]["delta"].data_type == "n"
    assert cells_[0]["note"].data_type == "s"


def test_times_are_naive_utc_with_the_zone_in_the_header(campaigns, tmp_path):
    utc = campaigns["created_time"].dt.tz_convert("UTC").dt.tz_localize(None)
    back = pd.read_csv(pt.to_csv(campaigns, tmp_path / "c.csv"), dtype=str)
    assert "created_time (UTC)" in back.columns and "created_time" not in back.columns
    assert pd.to_datetime(back["created_time (UTC)"]).tolist() == utc.tolist()
    _, header, rows = cells(pt.to_excel(campaigns, tmp_path / "c.xlsx"), "c")
    assert "created_time (UTC)" in header
    first = rows[0]["created_time (UTC)"]
    assert first.is_date and first.value.tzinfo is None and pd.Timestamp(first.value) == utc[0]


def test_targeting_spec_is_json_and_money_sits_beside_micros(ad_groups, tmp_path):
    back = pd.read_csv(pt.to_csv(ad_groups, tmp_path / "g.csv"), dtype=str, keep_default_na=False)
    specs = [s for s in ad_groups["targeting_spec"]]
    assert [json.loads(s) if s else None for s in back["targeting_spec"]] == specs
    assert "{'" not in back["targeting_spec"][0]  # not a Python repr
    columns = back.columns.tolist()
    assert columns[columns.index("bid_in_micro_currency") + 1] == "bid" and "currency" in columns
    row = ad_groups.dropna(subset=["bid_in_micro_currency"]).index[0]
    assert float(back.loc[row, "bid"]) * 1_000_000 == pytest.approx(ad_groups.loc[row, "bid_in_micro_currency"])
    assert back.loc[row, "bid_in_micro_currency"] == str(ad_groups.loc[row, "bid_in_micro_currency"])
    _, _, rows = cells(pt.to_excel(ad_groups, tmp_path / "g.xlsx"), "g")
    assert json.loads(rows[0]["targeting_spec"].value) == specs[0]


def test_analytics_round_trip_with_ids_dates_and_money(analytics, client, account, tmp_path):
    assert len(analytics) > 0
    analytics = analytics.drop(columns=["currency"], errors="ignore")  # e.g. after a groupby
    with pytest.warns(UserWarning, match="without a currency column"):
        plain = pd.read_csv(pt.to_csv(analytics, tmp_path / "plain.csv"), dtype=str)
    assert "currency" not in plain.columns and plain["ad_group_id"].tolist() == analytics["ad_group_id"].tolist()
    path = pt.to_csv(analytics, tmp_path / "a.csv", currency=client.currency_of(account))
    back = pd.read_csv(path, dtype=str)
    assert back["ad_group_id"].tolist() == analytics["ad_group_id"].tolist()
    assert set(back["date"]) == {f"2026-11-{d:02d}" for d in range(2, 9)}
    assert back["SPEND_IN_MICRO_DOLLAR"].tolist() == analytics["SPEND_IN_MICRO_DOLLAR"].astype(str).tolist()
    spend = back.columns[back.columns.get_loc("SPEND_IN_MICRO_DOLLAR") + 1]
    assert spend != "SPEND_IN_MICRO_DOLLAR" and "MICRO" not in spend
    assert back["currency"].unique().tolist() == [client.currency_of(account)]
    xlsx = pt.to_excel({"Daily": analytics}, tmp_path / "a.xlsx", currency=client.currency_of(account))
    sheet = pd.read_excel(xlsx, sheet_name="Daily", dtype=str)
    assert sheet["ad_group_id"].tolist() == analytics["ad_group_id"].tolist()
    assert sheet["SPEND_IN_MICRO_DOLLAR"].tolist() == back["SPEND_IN_MICRO_DOLLAR"].tolist()


def test_research_frames_and_plan_changes_export(client, account, tmp_path):
    metrics = pt.read_keyword_metrics(account, ["sofa", FORMULA], client=client)
    plan = pt.EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": account, "id": BIG_ID,
                                      "field": "bid_in_micro_currency", "before": 1_000_000, "after": 900_000,
                                      "currency": "USD"}])
    path = pt.to_excel({"Keyword metrics": metrics, "Plan": plan.changes}, tmp_path / "r.xlsx")
    _, _, kw = cells(path, "Keyword metrics")
    assert [r["keyword"].value for r in kw] == ["sofa", FORMULA] and kw[1]["keyword"].data_type == "s"
    _, _, changes = cells(path, "Plan")
    assert changes[0]["id"].value == BIG_ID and changes[0]["delta"].value == -100_000
    back = pd.read_csv(pt.to_csv(plan.changes, tmp_path / "p.csv"), dtype=str)
    assert back["id"][0] == BIG_ID and back["delta"][0] == "-100000" and back["before"][0] == "1000000"


def test_sheet_names_follow_excels_rules(tmp_path):
    frame = pd.DataFrame({"id": ["1"]})
    path = pt.to_excel({"Spend: 2026/11 [draft]?": frame, "x" * 40: frame, "X" * 31: frame, "History": frame},
                       tmp_path / "s.xlsx")
    names = load_workbook(path).sheetnames
    assert names == ["Spend_ 2026_11 _draft__", "x" * 31, "X" * 27 + " (2)", "History_"]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_an_existing_file_is_replaced_privately_and_a_wrong_suffix_refused(tmp_path):
    target = tmp_path / "open.csv"
    target.write_text("old")
    target.chmod(0o644)
    pt.to_csv(pd.DataFrame({"id": ["1"]}), target)
    assert mode(target) == 0o600 and target.read_text().startswith("id")
    assert [p.name for p in tmp_path.iterdir()] == ["open.csv"]  # no temporary file left
    with pytest.raises(ValueError, match=r"must end in \.xlsx"):
        pt.to_excel(pd.DataFrame({"id": ["1"]}), tmp_path / "book.xls")
    assert not (tmp_path / "book.xls").exists()


def test_leads_exports_are_private_and_inert(tmp_path):
    from pintools.leads.store import LeadStore

    with LeadStore(tmp_path / "leads.sqlite3") as store:
        d = store.save_delivery(b"[]")
        store.add_lead({"lead_id": "5493000000012345678", "lead_form_id": "0650000000000000001",
                        "created_at": "1763208000000"}, {"EMAIL": "ada@example.com", "Note": "=1+2"}, delivery_id=d)
        csv_path = pt.export_leads(store, tmp_path / "out" / "leads.csv")
        xlsx_path = pt.export_leads(store, tmp_path / "out" / "leads.xlsx")
    assert mode(csv_path) == 0o600 and mode(xlsx_path) == 0o600
    with csv_path.open(newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["Note"] == "'=1+2" and row["lead_id"] == "5493000000012345678"
    _, _, rows = cells(xlsx_path, "leads")
    assert rows[0]["Note"].data_type == "s" and rows[0]["lead_id"].value == "5493000000012345678"


def test_ids_held_as_numbers_are_written_as_text(tmp_path):
    frame = pd.DataFrame({"CAMPAIGN_ID": [int(BIG_ID), 7], "pin_id": [6.26735044150e11, None], "clicks": [3, 4]})
    _, _, rows = cells(pt.to_excel(frame, tmp_path / "n.xlsx"), "n")
    assert [r["CAMPAIGN_ID"].value for r in rows] == [BIG_ID, "7"] and rows[0]["CAMPAIGN_ID"].data_type == "s"
    assert rows[0]["pin_id"].value == "626735044150" and rows[0]["clicks"].value == 3
    back = pd.read_csv(pt.to_csv(frame, tmp_path / "n.csv"), dtype=str)
    assert back["CAMPAIGN_ID"].tolist() == [BIG_ID, "7"] and back["pin_id"][0] == "626735044150"
