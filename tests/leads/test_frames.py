import pandas as pd

from pintools.leads.frames import read_leads

from .conftest import ANSWERS, make_lead


def _fill(store):
    d = store.save_delivery(b"[]")
    store.add_lead(make_lead(), ANSWERS, delivery_id=d)
    store.add_lead(make_lead(lead_id="9007199254740993123", created_at="1700000000000", form="42"),
                   {"EMAIL": "x@y.z", "Favourite colour?": "blue"}, delivery_id=d)


def test_frame_columns_and_dtypes(store):
    _fill(store)
    df = read_leads(store)
    assert len(df) == 2
    for col in ("lead_id", "advertiser_id", "lead_form_id", "ad_id", "campaign_id", "ad_group_id", "user_id"):
        assert df[col].dtype == "string"
    assert df["lead_id"].tolist() == ["5554397289529204001", "9007199254740993123"]  # no float round-trip
    assert isinstance(df["created_at"].dtype, pd.DatetimeTZDtype) and str(df["created_at"].dt.tz) == "UTC"
    assert df["created_at"].iloc[0] == pd.Timestamp("2023-10-27T04:28:18Z")
    assert df["is_test"].dtype == "boolean"
    assert df["subscription_id"].dtype == "string" and df["subscription_id"].isna().all()  # added by hand
    answer_cols = list(df.columns[df.columns.get_loc("subscription_id") + 1:])
    assert answer_cols == ["FULL_NAME", "EMAIL", "PHONE_NUMBER", "Custom question", "Favourite colour?"]
    assert df.loc[1, "EMAIL"] == "x@y.z" and pd.isna(df.loc[1, "FULL_NAME"])
    assert df["EMAIL"].dtype == "string"


def test_filters(store):
    _fill(store)
    assert read_leads(store, since="2023-11-01")["lead_form_id"].tolist() == ["42"]
    assert read_leads(store, since=pd.Timestamp("2023-10-27T04:28:18Z")).shape[0] == 2
    assert read_leads(store, form="65300871001")["lead_id"].tolist() == ["5554397289529204001"]
    assert read_leads(store, form=42).shape[0] == 1


def test_empty_store_gives_typed_empty_frame(store):
    df = read_leads(store)
    assert df.empty and "lead_id" in df and df["lead_id"].dtype == "string"
    assert isinstance(df["created_at"].dtype, pd.DatetimeTZDtype)


def test_default_store_from_env(monkeypatch, tmp_path):
    from pintools.leads import LeadStore
    monkeypatch.setenv("PINTOOLS_LEADS_DB", str(tmp_path / "env.sqlite3"))
    with LeadStore() as s:
        s.add_lead(make_lead(), ANSWERS)
    assert read_leads()["EMAIL"].tolist() == ["abc@email.com"]
