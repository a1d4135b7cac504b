"""Pure analytics planning: column checks, date windows, chunk plans, tidy frames."""

import datetime as dt

import pandas as pd
import pytest

from pintools.analytics.chunks import plan_chunks, run_chunks
from pintools.analytics.columns import ASYNC_COLUMNS, SYNC_COLUMNS, check_columns, kind_of
from pintools.analytics.tidy import tidy_frame
from pintools.analytics.windows import Window, needs_report, plan_windows
from pintools.frames.money import in_currency_units

TODAY = dt.date(2026, 11, 15)


def test_unknown_column_names_it_and_the_closest_valid_ones():
    with pytest.raises(ValueError) as info:
        check_columns(["SPEND_IN_DOLLAR", "TOTAL_CLICKTHRUOGH", "IMPRESION_1"])
    text = str(info.value)
    assert "'TOTAL_CLICKTHRUOGH'" in text and "TOTAL_CLICKTHROUGH" in text
    assert "'IMPRESION_1'" in text and "IMPRESSION_1" in text


def test_async_only_columns_are_refused_for_sync_with_the_reason():
    with pytest.raises(ValueError, match="only in async reports"):
        check_columns(["TOTAL_CONVERSIONS_QUANTITY"])
    assert check_columns(["TOTAL_CONVERSIONS_QUANTITY"], report=True) == ["TOTAL_CONVERSIONS_QUANTITY"]


def test_column_kinds():
    assert kind_of("SPEND_IN_MICRO_DOLLAR") == "micro"
    assert kind_of("CPC_IN_MICRO_DOLLAR") == "micro_rate"
    assert kind_of("SPEND_IN_DOLLAR") == "money"
    assert kind_of("CHECKOUT_ROAS") == "float"
    assert kind_of("TOTAL_CLICKTHROUGH") == "int"
    assert kind_of("CAMPAIGN_NAME") == "str"
    assert kind_of("PIN_ID") == "id"


@pytest.mark.spec
def test_column_tables_equal_the_specs_enums(openapi_spec, openapi_spec_path):
    """The tables are 5.23.0's lists; 5.12.0's are subsets of them (5.23.0 only added names)."""
    import json

    old = json.loads(openapi_spec_path.with_name("pinterest-openapi-v5.12.0.json").read_text())
    sync = openapi_spec["components"]["parameters"]["query_columns"]["schema"]["items"]["enum"]
    report = openapi_spec["components"]["schemas"]["ReportingColumnAsync"]["enum"]
    assert list(SYNC_COLUMNS) == sync and sorted(ASYNC_COLUMNS) == sorted(report)
    assert len(ASYNC_COLUMNS) == len(set(ASYNC_COLUMNS)) == 613 and len(SYNC_COLUMNS) == 175
    assert set(SYNC_COLUMNS) - set(ASYNC_COLUMNS) == {"QUIZ_PIN_RESULT_OPEN"}
    old_sync = old["components"]["parameters"]["query_columns"]["schema"]["items"]["enum"]
    old_report = old["components"]["schemas"]["ReportingColumnAsync"]["enum"]
    assert set(old_sync) < set(SYNC_COLUMNS) and len(set(SYNC_COLUMNS) - set(old_sync)) == 26
    assert set(old_report) < set(ASYNC_COLUMNS) and len(set(ASYNC_COLUMNS) - set(old_report)) == 52


def test_columns_new_in_5_23_are_accepted_where_the_spec_lists_them():
    assert check_columns(["OUTBOUND_CTR_1", "VIDEO_SPEND_IN_DOLLAR", "QUIZ_PIN_RESULT_OPEN"]) == [
        "OUTBOUND_CTR_1", "VIDEO_SPEND_IN_DOLLAR", "QUIZ_PIN_RESULT_OPEN"]
    assert check_columns(["TOTAL_DESTINATION_VIEWS", "ADS_CREDIT_SPEND_IN_DOLLAR"], report=True) == [
        "TOTAL_DESTINATION_VIEWS", "ADS_CREDIT_SPEND_IN_DOLLAR"]
    with pytest.raises(ValueError, match="only in async reports"):
        check_columns(["TOTAL_DESTINATION_VIEWS"])
    with pytest.raises(ValueError, match="'QUIZ_PIN_RESULT_OPEN' exists only in sync analytics"):
        check_columns(["QUIZ_PIN_RESULT_OPEN"], report=True)
    assert kind_of("VIDEO_SPEND_IN_DOLLAR") == "money" and kind_of("ADS_CREDIT_SPEND_IN_MICRO_DOLLAR") == "micro"
    assert kind_of("AD_GROUP_BUDGET_IN_LOCAL_CURRENCY") == "money" and kind_of("PROMO_ID") == "id"
    assert kind_of("CAMPAIGN_BUDGET_OPTIMIZATION") == "str" and kind_of("PRODUCT_ITEM_PIN_URL") == "str"
    assert kind_of("PRODUCT_ITEM_PRICE") == "float" and kind_of("TOTAL_VIDEO_15SEC_UNIQUE_VIEWS") == "int"


def test_hour_ranges_are_split_into_three_day_windows_not_rejected():
    windows = plan_windows(dt.date(2026, 11, 8), dt.date(2026, 11, 15), granularity="HOUR", today=TODAY)
    assert [str(w) for w in windows] == ["2026-11-08..2026-11-10", "2026-11-11..2026-11-13", "2026-11-14..2026-11-15"]


def test_a_sync_range_of_90_days_is_one_call_and_91_days_two():
    start = TODAY - dt.timedelta(days=89)
    assert plan_windows(start, TODAY, granularity="DAY", today=TODAY) == [Window(start, TODAY)]
    earlier = start - dt.timedelta(days=1)
    assert plan_windows(earlier, TODAY, granularity="DAY", today=TODAY) == [
        Window(earlier, TODAY - dt.timedelta(days=1)), Window(TODAY, TODAY)]


@pytest.mark.parametrize("start, end, message", [
    (dt.date(2026, 11, 10), dt.date(2026, 11, 9), "before start_date"),
    (dt.date(2026, 11, 10), dt.date(2026, 11, 16), "in the future"),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 31), "reach back 90 days"),
])
def test_ranges_no_split_can_fix(start, end, message):
    with pytest.raises(ValueError, match=message):
        plan_windows(start, end, granularity="DAY", today=TODAY)


def test_old_ranges_need_reports_and_reports_use_186_day_windows():
    assert needs_report(dt.date(2026, 8, 1), "DAY", today=TODAY)
    assert not needs_report(dt.date(2026, 8, 17), "DAY", today=TODAY)
    windows = plan_windows(dt.date(2025, 11, 15), TODAY, granularity="DAY", today=TODAY, report=True)
    assert [w.days for w in windows] == [186, 180]
    with pytest.raises(ValueError, match="reach back 914 days"):
        plan_windows(dt.date(2023, 1, 1), TODAY, granularity="DAY", today=TODAY, report=True)


def test_total_over_more_than_one_window_is_refused_rather_than_silently_wrong():
    with pytest.raises(ValueError, match="TOTAL"):
        plan_windows(dt.date(2025, 1, 1), TODAY, granularity="TOTAL", today=TODAY, report=True)


def test_chunk_plan_is_ids_by_windows_without_duplicates():
    windows = plan_windows(dt.date(2026, 11, 8), TODAY, granularity="HOUR", today=TODAY)
    chunks = plan_chunks([str(i) for i in range(250)] + ["1"], windows, batch_size=100)
    assert len(chunks) == 3 * 3
    assert len({c.key for c in chunks}) == len(chunks)


def test_run_chunks_keeps_order_and_raises_the_first_failure():
    assert run_chunks(list(range(20)), lambda i: i * i, max_workers=4, progress=False) == [i * i for i in range(20)]

    def boom(i):
        if i == 7:
            raise RuntimeError("chunk 7 failed")
        return i

    with pytest.raises(RuntimeError, match="chunk 7"):
        run_chunks(list(range(20)), boom, max_workers=4, progress=False)


def test_tidy_frame_types_and_missing_values():
    rows = [{"AD_GROUP_ID": 2680060704746, "DATE": "2026-11-01", "SPEND_IN_MICRO_DOLLAR": 2_500_000,
             "TOTAL_CLICKTHROUGH": 12, "CTR": 0.012},
            {"AD_GROUP_ID": "2680060704746", "DATE": "2026-11-02", "TOTAL_CLICKTHROUGH": 3}]
    df = tidy_frame(rows, level="ad_group", columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH", "CTR"],
                    granularity="DAY", ad_account_id="549755885175", currency="GBP")
    assert list(df.columns) == ["ad_account_id", "currency", "ad_group_id", "date", "SPEND_IN_MICRO_DOLLAR",
                                "TOTAL_CLICKTHROUGH", "CTR"]
    assert df["ad_group_id"].tolist() == ["2680060704746"] * 2
    assert df["date"].tolist() == [pd.Timestamp("2026-11-01"), pd.Timestamp("2026-11-02")]
    assert str(df["date"].dtype) == "datetime64[ns]"  # calendar days you can resample and compare to strings
    assert df["SPEND_IN_MICRO_DOLLAR"].dtype == "Int64" and pd.isna(df.loc[1, "SPEND_IN_MICRO_DOLLAR"])
    assert pd.isna(df.loc[1, "CTR"])
    assert df["currency"].tolist() == ["GBP", "GBP"] and df["currency"].dtype == "string"
    assert in_currency_units(df).loc[0, "SPEND"] == 2.5


def test_hourly_dates_parse_as_utc_timestamps_in_either_format():
    rows = [{"CAMPAIGN_ID": "1", "DATE": "2026-11-14 05:00:00", "TOTAL_IMPRESSION": 1},
            {"CAMPAIGN_ID": "1", "DATE": "2026-11-14T06:00:00Z", "TOTAL_IMPRESSION": 2}]
    df = tidy_frame(rows, level="campaign", columns=["TOTAL_IMPRESSION"], granularity="HOUR", ad_account_id="9")
    assert df["date"].tolist() == [pd.Timestamp("2026-11-14 05:00", tz="UTC"), pd.Timestamp("2026-11-14 06:00", tz="UTC")]


def test_an_empty_pull_is_an_empty_frame_with_the_columns():
    df = tidy_frame([], level="ad", columns=["SPEND_IN_DOLLAR"], granularity="DAY", ad_account_id="9")
    assert list(df.columns) == ["ad_account_id", "currency", "ad_id", "date", "SPEND_IN_DOLLAR"] and len(df) == 0
