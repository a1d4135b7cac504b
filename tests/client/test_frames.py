"""The pandas boundary: dtypes, ids as text, exact money, UTC times, empty frames, round trips."""

import pandas as pd
import pytest

from pintools.frames import AD_GROUP, CAMPAIGN, KEYWORD, SCHEMAS, explode_targeting, in_currency_units
from pintools.frames.convert import to_frame, to_records

BIG_ID = "987654321098765432"  # 18 digits: a float would corrupt it


def test_ids_stay_exact_strings_and_money_is_int64_micro():
    df = to_frame([{"id": BIG_ID, "campaign_id": "626735565838", "budget_in_micro_currency": 5_000_000,
                    "created_time": 1_700_000_000}], AD_GROUP, constants={"ad_account_id": "1", "currency": "EUR"})
    assert df.loc[0, "id"] == BIG_ID
    assert df["id"].dtype == "string"
    assert df["budget_in_micro_currency"].dtype == "Int64"
    assert df.loc[0, "created_time"] == pd.Timestamp("2023-11-14 22:13:20", tz="UTC")
    assert str(df["created_time"].dtype) == "datetime64[ns, UTC]"
    assert df.loc[0, "currency"] == "EUR"


def test_missing_fields_are_na_not_errors():
    df = to_frame([{"id": "1"}], CAMPAIGN, constants={"ad_account_id": "9", "currency": "USD"})
    assert df["daily_spend_cap_micro"].isna().all()
    assert df["start_time"].isna().all()
    assert df.loc[0, "ad_account_id"] == "9"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_an_empty_result_is_an_empty_frame_with_the_full_schema(name):
    table = SCHEMAS[name]
    df = to_frame([], table, constants={"currency": "USD"})
    assert list(df.columns) == table.columns
    assert len(df) == 0
    for f in table.fields:
        assert str(df[f.column].dtype) == f.dtype


def test_nested_objects_are_kept_structured_and_targeting_explodes_long():
    spec = {"AGE_BUCKET": ["25-34"], "LOCATION": ["US", 807]}
    df = to_frame([{"id": "5", "targeting_spec": spec}], AD_GROUP, constants={"currency": "USD"})
    assert df.loc[0, "targeting_spec"] == spec
    long = explode_targeting(df)
    assert long.values.tolist() == [["5", "AGE_BUCKET", "25-34"], ["5", "LOCATION", "US"], ["5", "LOCATION", "807"]]


def test_unknown_api_fields_are_kept_as_extra_columns():
    df = to_frame([{"id": "1", "future_field": {"x": 1}}], CAMPAIGN, constants={"currency": "USD"})
    assert df.columns[-1] == "future_field" and df.loc[0, "future_field"] == {"x": 1}


def test_a_non_integer_money_value_is_an_error_naming_the_column():
    with pytest.raises(TypeError, match="budget_in_micro_currency"):
        to_frame([{"id": "1", "budget_in_micro_currency": 1.5}], AD_GROUP)


def test_currency_unit_view_is_exact_to_the_micro():
    df = to_frame([{"id": "1", "bid": 1_100_000}, {"id": "2", "bid": None}], KEYWORD, constants={"currency": "USD"})
    view = in_currency_units(df)
    assert view["bid"].tolist()[0] == 1.1 and view["bid"].isna().tolist() == [False, True]
    assert "bid_in_micro_currency" in df.columns  # the original is untouched


def test_records_round_trip_back_to_api_names_skipping_na():
    src = [{"id": BIG_ID, "name": "Sofas", "lifetime_spend_cap": 9_000_000, "daily_spend_cap": None,
            "start_time": 1_700_000_000, "is_flexible_daily_budgets": True}]
    df = to_frame(src, CAMPAIGN, constants={"currency": "USD"})
    out = to_records(df, CAMPAIGN, columns=["id", "name", "lifetime_spend_cap_micro", "daily_spend_cap_micro",
                                            "start_time", "is_flexible_daily_budgets"])
    assert out == [{"id": BIG_ID, "name": "Sofas", "lifetime_spend_cap": 9_000_000,
                    "start_time": 1_700_000_000, "is_flexible_daily_budgets": True}]


def test_to_records_names_an_unknown_column():
    with pytest.raises(KeyError, match="'budget' is not a campaign field"):
        to_records(pd.DataFrame({"budget": [1]}), CAMPAIGN)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_row_dicts_are_what_to_dict_records_gives_for_every_schema_and_the_plan_frame(name):
    """Validation walks plans with ``row_dicts`` (pandas' ``to_dict`` is 5× slower): the values a
    check sees must be the same, missing ones included (None for nullable columns, NaT for times)."""
    from pintools.frames.rows import row_dicts
    from pintools.plans.changes import changes_frame

    frames = [to_frame([{"id": BIG_ID}, {"id": "2", "created_time": 1_700_000_000}], SCHEMAS[name],
                       constants={"currency": "USD"}),  # mostly missing values, of every dtype
              changes_frame([{"row": 0, "id": "7", "before": 1_000_000, "after": {"a": [1]}},
                             {"row": 1, "applied_at": "2026-11-15T12:00:00Z", "delta_pct": 12.5}])]
    for frame in frames:
        expected, got = frame.to_dict("records"), row_dicts(frame)
        assert [{k: (type(v), repr(v)) for k, v in r.items()} for r in got] == \
               [{k: (type(v), repr(v)) for k, v in r.items()} for r in expected]
