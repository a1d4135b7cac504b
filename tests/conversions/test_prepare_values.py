"""prepare_conversions sends values as they are (issue 16): ids from number columns, exact money,
one date order per column, and exact duplicate rows collapsed to one event."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pintools.conversions import STATUSES, prepare_conversions, send_conversions, summarise_results, to_events
from pintools.conversions.money import decimal_text

from .conftest import DAY, HOUR, NOW, orders


def prep(df: pd.DataFrame, **kw) -> pd.DataFrame:
    kw.setdefault("event_name", "checkout")
    kw.setdefault("action_source", "web")
    return prepare_conversions(df, now=kw.pop("now", NOW), **kw)


def two(**columns) -> pd.DataFrame:
    """Two sendable rows (emails, fresh times) with the given columns."""
    return pd.DataFrame({"email": ["a@b.co", "c@d.co"], "event_time": [NOW - HOUR] * 2, **columns})


# -- ids ----------------------------------------------------------------------------------------

def test_an_order_id_column_with_a_gap_is_float64_but_its_ids_stay_whole_numbers():
    df = two(order_id=[1001, np.nan])
    assert df["order_id"].dtype == "float64"
    prepared = prep(df)
    assert prepared.loc[0, "event_id"] == "1001" and prepared.loc[0, "custom_data.order_id"] == "1001"
    assert to_events(prepared)[0]["custom_data"]["order_id"] == "1001"


def test_the_same_order_from_a_float_and_an_int_column_gets_one_event_id():
    from_float = prep(two(order_id=[1001.0, 1002.0]))
    from_int = prep(two(order_id=[1001, 1002]))
    assert from_float.event_id.tolist() == from_int.event_id.tolist() == ["1001", "1002"]


@pytest.mark.parametrize("column", ["event_id", "partner_id", "external_measurement_id"])
def test_id_fields_from_whole_floats_are_whole_numbers(column):
    events = to_events(prep(two(event_id=["e1", "e2"], **{column: [7.0, 8.0]}) if column != "event_id"
                            else two(event_id=[7.0, 8.0])))
    assert "7" in str(events[0]) and "7.0" not in str(events[0])


def test_a_boolean_id_column_is_refused_naming_the_column():
    prepared = prep(two(order_id=[True, False]))
    assert prepared.event_id.isna().all()
    for text in prepared.problems:
        assert "column 'order_id'" in text and "true/false" in text
    assert "True" not in str(to_events(prepared))


def test_a_fractional_float_id_is_refused_naming_the_column():
    prepared = prep(two(order_id=[1001.5, 1002.0]))
    assert "column 'order_id'" in prepared.loc[0, "problems"] and "1001.5 is not a whole number" in \
        prepared.loc[0, "problems"]
    assert pd.isna(prepared.loc[1, "problems"]) and prepared.loc[1, "event_id"] == "1002"


def test_an_id_column_mixing_text_and_numbers_is_refused_naming_the_column():
    df = two(order_id=pd.Series(["A-0017", 17], dtype=object))
    prepared = prep(df)
    for text in prepared.problems:
        assert "column 'order_id'" in text and "mixes text (row 0) and numbers (row 1)" in text


def test_content_ids_from_number_lists_are_whole_numbers():
    prepared = prep(two(event_id=["e1", "e2"], content_ids=[[1001.0, 1002.0], ["S-1"]]))
    assert to_events(prepared)[0]["custom_data"]["content_ids"] == ["1001", "1002"]


def test_external_id_from_a_float_column_is_hashed_as_the_whole_number():
    from pintools.conversions import sha256_hex

    prepared = prep(two(event_id=["e1", "e2"], customer_id=[1001.0, np.nan]))
    assert prepared.loc[0, "user_data.external_id"] == sha256_hex("1001")


# -- money ---------------------------------------------------------------------------------------

def test_a_sum_of_money_floats_is_sent_as_the_amount():
    assert to_events(prep(two(event_id=["e1", "e2"], total=[0.1 + 0.2, 19.99 * 3])))[0]["custom_data"]["value"] == "0.3"
    assert decimal_text(19.99 * 3) == "59.97" and decimal_text(1e16) == "10000000000000000"


def test_money_text_is_exact_and_never_goes_through_a_float():
    prepared = prep(two(event_id=["e1", "e2"], total=["12345678901234567.891", "0.10"]))
    assert prepared["custom_data.value"].tolist() == ["12345678901234567.891", "0.10"]


def test_a_thousands_separator_is_read():
    prepared = prep(two(event_id=["e1", "e2"], total=["1,249.00", "59.90"]))
    assert prepared.problems.isna().all()
    assert prepared["custom_data.value"].tolist() == ["1249.00", "59.90"]


def test_european_amounts_are_read_in_a_column_of_decimal_commas():
    df = pd.DataFrame({"event_id": ["a", "b", "c"], "email": ["a@b.co"] * 3, "event_time": [NOW - HOUR] * 3,
                       "total": ["1.249,00", "12,99", "1.249"]})
    prepared = prep(df)
    assert prepared.problems.isna().all(), prepared.problems.tolist()
    assert prepared["custom_data.value"].tolist() == ["1249.00", "12.99", "1249"]


def test_an_amount_the_column_cannot_settle_is_refused_with_the_reason():
    prepared = prep(two(event_id=["e1", "e2"], total=["1,249", "15"]))
    text = prepared.loc[0, "problems"]
    assert "'1,249' could be 1249 (a thousands separator) or 1.249 (a decimal comma)" in text
    assert pd.isna(prepared.loc[1, "problems"])


def test_a_decimal_point_among_decimal_commas_is_refused_naming_the_rows():
    df = pd.DataFrame({"event_id": list("abc"), "email": ["a@b.co"] * 3, "event_time": [NOW - HOUR] * 3,
                       "total": ["12,99", "7,50", "3.25"]}, index=[10, 20, 30])
    prepared = prep(df)
    assert prepared.problems.notna().tolist() == [False, False, True]
    assert "'3.25' has a decimal point, but the column's other values (rows 10 and 20) use a decimal comma" in \
        prepared.loc[30, "problems"]


# -- dates ---------------------------------------------------------------------------------------

def day(seconds) -> str:
    return str(pd.Timestamp(int(seconds), unit="s").date())


def dated(*texts, index=None) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame({"event_id": [f"e{i}" for i in range(n)], "email": ["a@b.co"] * n,
                         "order_date": list(texts)}, index=index)


def test_slash_dates_are_read_one_way_per_column():
    prepared = prep(dated("11/10/2026 09:00", "13/11/2026 09:00"), max_age=None)
    assert prepared.problems.isna().all(), prepared.problems.tolist()
    assert [day(s) for s in prepared.event_time] == ["2026-10-11", "2026-11-13"]


def test_a_column_whose_slash_dates_disagree_is_refused_naming_the_rows():
    prepared = prep(dated("11/13/2026", "13/11/2026", index=["r1", "r2"]), max_age=None)
    for text in prepared.problems:
        assert "disagree on the order of day and month (row r2 put the day first, row r1 the month)" in text
    assert prepared.event_time.isna().all()


def test_a_column_of_ambiguous_dates_needs_dayfirst_or_date_format():
    prepared = prep(dated("01/11/2026", "02/11/2026"), max_age=None)
    assert all("pass dayfirst=True or False, or date_format=" in text for text in prepared.problems)
    by_day = prep(dated("01/11/2026", "02/11/2026"), dayfirst=True, max_age=None)
    assert [day(s) for s in by_day.event_time] == ["2026-11-01", "2026-11-02"] and by_day.problems.isna().all()
    by_month = prep(dated("01/11/2026", "02/11/2026"), dayfirst=False, max_age=None)
    assert [day(s) for s in by_month.event_time] == ["2026-01-11", "2026-02-11"]


def test_date_format_reads_every_row_and_names_those_that_do_not_match():
    prepared = prep(dated("14.11.2026 10:00", "2026-11-14"), date_format="%d.%m.%Y %H:%M", max_age=None)
    assert prepared.event_time.iloc[0] == NOW - DAY - 2 * HOUR
    assert "does not match date_format '%d.%m.%Y %H:%M'" in prepared.problems.iloc[1]


def test_a_row_against_the_given_dayfirst_is_refused():
    prepared = prep(dated("11/13/2026", "10/11/2026"), dayfirst=True, max_age=None)
    assert "cannot be read day first" in prepared.problems.iloc[0]
    assert pd.isna(prepared.problems.iloc[1]) and day(prepared.event_time.iloc[1]) == "2026-11-10"


def test_iso_dates_are_unaffected_by_slash_dates_in_the_column():
    prepared = prep(dated("2026-11-10T10:00:00Z", "13/11/2026"), max_age=None)
    assert [day(s) for s in prepared.event_time] == ["2026-11-10", "2026-11-13"]


def test_date_format_and_dayfirst_together_are_refused():
    with pytest.raises(ValueError, match="date_format= or dayfirst="):
        prep(dated("13/11/2026"), date_format="%d/%m/%Y", dayfirst=True)


# -- duplicates ----------------------------------------------------------------------------------

def test_an_exact_duplicate_row_is_sent_once_not_refused():
    df = pd.concat([orders(3), orders(1)], ignore_index=True)        # order-0 twice, exactly
    prepared = prep(df)
    assert prepared.problems.isna().all(), prepared.problems.tolist()
    assert prepared.duplicate_of.tolist() == [None, None, None, 0]
    assert "exact duplicate of row 0; sent once, as row 0" in prepared.loc[3, "warnings"]
    assert "an exact copy of this event is in row 3" in prepared.loc[0, "warnings"]


def test_rows_sharing_an_event_id_with_different_content_are_refused_naming_both():
    df = orders(3, index=["a", "b", "c"])
    df["order_id"] = ["X", "Y", "X"]
    prepared = prep(df)
    assert prepared.problems.notna().tolist() == [True, False, True]
    assert "event_id 'X' is repeated with different content (rows a and c)" in prepared.loc["c", "problems"]


def test_sending_an_exact_duplicate_sends_it_once_and_reports_it(capi, emu, account):
    df = pd.concat([orders(2), orders(1)], ignore_index=True)
    results = send_conversions(df, account, client=capi, event_name="checkout", action_source="web", progress=False)
    assert results.status.astype(str).tolist() == ["processed", "processed", "duplicate"]
    assert "duplicate" in STATUSES and pd.isna(results.batch.iloc[2])
    assert sorted(e["event"]["event_id"] for e in emu.control.conversion_events()) == ["order-0", "order-1"]
    summary = summarise_results(results)
    assert summary.loc[summary.status == "duplicate", "message"].tolist() == [
        "exact duplicate of row 0; sent once, as row 0"]
    from pintools import plots

    legend = plots.conversion_results(results).axes[0].get_legend_handles_labels()[1]
    assert legend == ["processed", "duplicate"]


# -- workers -------------------------------------------------------------------------------------

def test_workers_hash_in_other_processes_with_the_same_result(monkeypatch):
    import pintools.conversions.userdata as userdata

    df = orders(40, phone=[f"(415) 555-01{i:02d}" for i in range(40)], country=["US", "GB"] * 20)
    df.loc[3, "email"] = "not an email"
    one = prep(df)
    monkeypatch.setattr(userdata, "MIN_ROWS_PER_WORKER", 10)
    two = prep(df, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert one.attrs["worker_cpu_seconds"] == 0 and two.attrs["worker_cpu_seconds"] > 0


@pytest.mark.parametrize("workers", [0, 1.5, True, "2"])
def test_workers_must_be_a_whole_number_of_processes(workers):
    with pytest.raises(ValueError, match="workers must be"):
        prep(orders(1), workers=workers)


def test_a_repeated_phone_is_read_in_each_rows_country_when_distinct_values_are_hashed_once():
    from pintools.conversions import sha256_hex

    n = 3000  # enough rows for the one-hash-per-distinct-value path
    df = orders(n, phone=["020 7946 0018"] * n, country=["GB", "US", "gb"] * (n // 3),
                first_name=[" Ada", "ada", None] * (n // 3))
    prepared = prep(df)
    assert prepared["user_data.ph"].iloc[:3].tolist() == [sha256_hex("442079460018"), pd.NA,
                                                         sha256_hex("442079460018")]
    assert "user_data.ph (column 'phone')" in prepared["warnings"].iloc[1] and pd.isna(prepared["warnings"].iloc[0])
    assert prepared["user_data.fn"].iloc[:3].tolist() == [sha256_hex("ada"), sha256_hex("ada"), pd.NA]
    assert prepared["user_data.ph"].iloc[-3:].tolist() == prepared["user_data.ph"].iloc[:3].tolist()
