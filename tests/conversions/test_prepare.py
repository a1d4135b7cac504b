"""prepare_conversions: column mapping, per-row checks and the payload to_events builds."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from pintools.conversions import (
    ConversionsInvalid,
    contents_from_items,
    from_tracking_events,
    map_event_names,
    prepare_conversions,
    send_conversions,
    to_events,
)

from .conftest import DAY, HOUR, NOW, orders


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prep(df: pd.DataFrame, **kw) -> pd.DataFrame:
    kw.setdefault("event_name", "checkout")
    kw.setdefault("action_source", "web")
    return prepare_conversions(df, now=NOW, **kw)


def one(df: pd.DataFrame, **kw) -> dict:
    events = to_events(prep(df, **kw))
    assert len(events) == 1
    return events[0]


def base(**columns) -> pd.DataFrame:
    """One sendable row (email + fresh time + id) with extra columns."""
    return pd.DataFrame({"event_id": ["e1"], "event_time": [NOW - HOUR], "email": ["a@b.co"], **columns})


# -- several values per field ----------------------------------------------------------------

def test_two_email_columns_become_an_array_of_both_hashes():
    df = pd.DataFrame({"event_id": ["a", "b", "c"], "event_time": [NOW - 60] * 3,
                       "email": ["a@b.co", "x@y.co", None], "email_2": ["A@B.co ", "z@y.co", "q@r.co"]})
    events = to_events(prep(df))
    assert events[0]["user_data"]["em"] == [sha("a@b.co")]                    # the same address once
    assert events[1]["user_data"]["em"] == [sha("x@y.co"), sha("z@y.co")]
    assert events[2]["user_data"]["em"] == [sha("q@r.co")]


def test_two_email_columns_named_explicitly():
    df = base(work=["W@Corp.com"])
    event = one(df, columns={"work": "em"})
    assert event["user_data"]["em"] == [sha("a@b.co"), sha("w@corp.com")]


def test_a_list_cell_becomes_an_array():
    df = base(phone=[["(415) 555-0100", "+44 20 7946 0018"]])
    assert one(df)["user_data"]["ph"] == [sha("14155550100"), sha("442079460018")]


def test_a_single_value_is_still_an_array():
    event = one(base())
    assert event["user_data"]["em"] == [sha("a@b.co")]


# -- plain user_data fields --------------------------------------------------------------------

def test_plain_fields_are_sent_as_given_never_hashed():
    df = pd.DataFrame({"event_id": ["e1"], "event_time": [NOW - 60], "ip": [" 203.0.113.5 "],
                       "user_agent": ["Mozilla/5.0 (X11)"], "epik": ["dj0yJnU9abc"], "partner_id": ["ramp-XY"]})
    user = one(df)["user_data"]
    assert user == {"client_ip_address": "203.0.113.5", "client_user_agent": "Mozilla/5.0 (X11)",
                    "click_id": "dj0yJnU9abc", "partner_id": "ramp-XY"}


def test_a_64_hex_partner_id_is_not_touched():
    digest = sha("x").upper()
    user = one(base(partner_id=[digest], click_id=["Abc"]))["user_data"]
    assert user["partner_id"] == digest and user["click_id"] == "Abc"


# -- identifiers -------------------------------------------------------------------------------

def test_a_row_without_identifiers_has_a_problem_naming_what_is_needed():
    df = pd.DataFrame({"event_id": ["e1", "e2"], "event_time": [NOW - 60] * 2, "ip": ["1.2.3.4", None],
                       "phone": ["+14155550100", "+14155550101"]})
    prepared = prep(df)
    for text in prepared.problems:
        assert "em" in text and "hashed_maids" in text and "client_ip_address" in text and "client_user_agent" in text


def test_invalid_email_with_ip_and_user_agent_is_sendable_with_a_warning():
    df = base(ip=["1.2.3.4"], user_agent=["Mozilla/5.0"])
    df["email"] = ["jo at example dot com"]
    prepared = prep(df)
    assert pd.isna(prepared.loc[0, "problems"])
    assert "user_data.em" in prepared.loc[0, "warnings"] and "jo at example" not in prepared.loc[0, "warnings"]
    assert "em" not in to_events(prepared)[0]["user_data"]


def test_invalid_email_alone_is_a_problem():
    df = base()
    df["email"] = ["jo at example dot com"]
    prepared = prep(df)
    assert "no identifier" in prepared.loc[0, "problems"]
    assert "jo at example" not in prepared.loc[0, "problems"] + prepared.loc[0, "warnings"]


def test_hashed_maids_alone_identify_a_user():
    df = pd.DataFrame({"event_id": ["e1"], "event_time": [NOW - 60], "idfa": ["6D92078A-8246-4BA4-AE5B-76104861E7DC"]})
    prepared = prep(df, action_source="app_ios")
    assert prepared.problems.isna().all()
    assert to_events(prepared)[0]["user_data"]["hashed_maids"] == [sha("6d92078a-8246-4ba4-ae5b-76104861e7dc")]


# -- unknown fields ------------------------------------------------------------------------------

def test_unknown_custom_data_column_is_refused_before_anything_is_sent(capi, emu, account):
    df = orders(3, **{"custom_data.custom_event_name": "wishlist"})
    with pytest.raises(ValueError, match=r"custom_data\.custom_event_name"):
        send_conversions(df, account, client=capi, event_name="custom", action_source="web", progress=False)
    assert emu.control.conversion_calls() == []


def test_unknown_field_in_columns_mapping_is_refused_before_anything_is_sent(capi, emu, account):
    df = orders(3, x="wishlist")
    with pytest.raises(ValueError, match="custom_event_name") as info:
        send_conversions(df, account, client=capi, columns={"x": "custom_event_name"}, event_name="custom",
                         action_source="web", progress=False)
    assert "'x'" in str(info.value)
    assert emu.control.conversion_calls() == []


def test_columns_mapping_naming_a_missing_column_is_refused():
    with pytest.raises(ValueError, match="Email Address"):
        prep(base(), columns={"Email Address": "em"})


# -- event_name, action_source --------------------------------------------------------------

def test_event_name_and_action_source_outside_the_spec_lists_are_problems():
    df = base(event_name=["Purchase"], action_source=["store"])
    text = prep(df).loc[0, "problems"]
    assert "event_name 'purchase' is not one of" in text and "action_source 'store' is not one of" in text


@pytest.mark.parametrize("name, source", [("CHECKOUT", "Web"), (" lead ", "OFFLINE"), ("watch_video", "app_android")])
def test_event_name_and_action_source_are_case_insensitive(name, source):
    df = base(event_name=[name], action_source=[source])
    prepared = prepare_conversions(df, now=NOW)
    assert prepared.problems.isna().all()
    assert prepared.loc[0, "event_name"] == name.strip().lower()


def test_missing_event_name_and_action_source():
    text = prepare_conversions(base(), now=NOW).loc[0, "problems"]
    assert "event_name is missing" in text and "action_source is missing" in text


# -- event_time ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (NOW - HOUR, NOW - HOUR),
    (pd.Timestamp("2026-11-15T10:00:00Z"), NOW - 2 * HOUR),
    ("2026-11-15T10:00:00Z", NOW - 2 * HOUR),
    ("2026-11-15T11:00:00+01:00", NOW - 2 * HOUR),
    (str(NOW - HOUR), NOW - HOUR),
])
def test_event_time_from_seconds_timestamps_and_strings(value, expected):
    assert one(base(event_time=[value]))["event_time"] == expected


def test_event_time_from_a_datetime64_column():
    df = base(event_time=pd.to_datetime(["2026-11-15 10:00"]))
    assert one(df)["event_time"] == NOW - 2 * HOUR


def test_naive_times_are_read_in_the_given_timezone():
    df = base(event_time=["2026-11-15 06:00"])
    assert one(df, timezone="America/New_York")["event_time"] == NOW - HOUR   # 06:00 EST = 11:00 UTC
    assert one(df)["event_time"] == NOW - 6 * HOUR                            # UTC by default


def test_naive_datetime64_column_is_read_in_the_given_timezone():
    df = base(event_time=pd.to_datetime(["2026-11-15 12:00"]))
    assert one(df, timezone="Europe/Berlin")["event_time"] == NOW - HOUR


@pytest.mark.parametrize("value, message", [
    (NOW + HOUR, "event_time is in the future"),
    ("2026-11-15 13:00", "event_time is in the future"),
    (NOW - 8 * DAY, "older than 7 days"),
    ((NOW - HOUR) * 1000, "milliseconds"),
    ("last tuesday", "is not a date and time"),
    (None, "event_time is missing"),
])
def test_bad_event_times_are_problems(value, message):
    prepared = prep(base(event_time=pd.Series([value], dtype=object)))
    assert message in prepared.loc[0, "problems"]


def test_an_event_near_the_age_limit_is_sendable_with_a_warning():
    prepared = prep(base(event_time=[NOW - int(6.5 * DAY)]))
    assert pd.isna(prepared.loc[0, "problems"])
    assert "within a day of the 7 days limit" in prepared.loc[0, "warnings"]


def test_max_age_changes_the_limit():
    prepared = prep(base(event_time=[NOW - 3 * DAY]), max_age=pd.Timedelta(days=2))
    assert "older than 2 days" in prepared.loc[0, "problems"]


# -- event_id --------------------------------------------------------------------------------

def test_missing_event_id_is_a_problem():
    df = orders(2)
    df["event_id"] = ["x", None]
    prepared = prep(df)
    assert pd.isna(prepared.problems.iloc[0])
    assert "event_id is missing" in prepared.problems.iloc[1]


def test_event_id_defaults_to_the_order_id():
    df = orders(2).drop(columns=[])
    prepared = prep(df)
    assert prepared.event_id.tolist() == ["order-0", "order-1"]
    assert [e["custom_data"]["order_id"] for e in to_events(prepared)] == ["order-0", "order-1"]


def test_repeated_event_id_names_both_rows():
    df = orders(3, index=["r1", "r2", "r3"])
    df["event_id"] = ["dup", "ok", "dup"]
    prepared = prep(df)
    assert pd.isna(prepared.loc["r2", "problems"])
    for row in ("r1", "r3"):
        text = prepared.loc[row, "problems"]
        assert "'dup' is repeated" in text and "r1" in text and "r3" in text


# -- decimals --------------------------------------------------------------------------------

def test_value_with_a_decimal_comma_is_refused_naming_row_and_column(capi, emu, account):
    df = orders(3, index=[10, 20, 30])
    df["total"] = ["12.99", "12,99", "7"]
    prepared = prep(df)
    assert prepared.problems.notna().tolist() == [False, True, False]
    assert "custom_data.value (column 'total')" in prepared.loc[20, "problems"]
    assert "decimal comma" in prepared.loc[20, "problems"]
    with pytest.raises(ConversionsInvalid, match=r"row 20: custom_data\.value \(column 'total'\)") as info:
        send_conversions(prepared, account, client=capi, progress=False)
    assert info.value.problems.index.tolist() == [20]
    assert emu.control.conversion_calls() == []


def test_item_price_with_a_comma_is_refused_naming_the_item():
    df = base(contents=[[{"id": "s1", "item_price": "9,50", "quantity": 1}]])
    text = prep(df).loc[0, "problems"]
    assert "custom_data.contents" in text and "[0].item_price" in text


@pytest.mark.parametrize("value, sent", [(12.99, "12.99"), (59.5, "59.5"), (40, "40"), ("12.990", "12.990"),
                                         (0.1 + 0.2, "0.3")])
def test_values_are_sent_as_decimal_strings(value, sent):
    assert one(base(total=[value]))["custom_data"]["value"] == sent


def test_value_in_micro_currency_is_exact():
    event = one(base(value_micro=[59_500_000]))
    assert event["custom_data"]["value"] == "59.5"


# -- missing optional values -----------------------------------------------------------------

def test_nan_and_none_in_optional_fields_are_left_out_not_sent_as_nan():
    df = pd.DataFrame({
        "event_id": ["a", "b"], "event_time": [NOW - 60] * 2, "email": ["a@b.co", "c@d.co"],
        "total": [np.nan, 5.0], "currency": [None, "eur"], "content_name": [np.nan, "Sofa"],
        "num_items": [np.nan, 2], "phone": [np.nan, None], "city": [None, np.nan], "url": [np.nan, None],
        "opt_out": [None, True], "search": [pd.NA, np.nan],
    })
    events = to_events(prep(df))
    assert events[0] == {"event_name": "checkout", "action_source": "web", "event_time": NOW - 60, "event_id": "a",
                         "user_data": {"em": [sha("a@b.co")]}}
    assert events[1]["custom_data"] == {"value": "5", "currency": "EUR", "content_name": "Sofa", "num_items": 2}
    assert events[1]["opt_out"] is True
    assert "nan" not in json.dumps(events).lower()


def test_missing_optional_values_are_not_recorded_by_the_emulator(capi, emu, account):
    df = pd.DataFrame({"event_id": ["a"], "event_time": [NOW - 60], "email": ["a@b.co"], "total": [np.nan],
                       "content_name": [None], "currency": [np.nan]})
    results = send_conversions(df, account, client=capi, event_name="lead", action_source="web", progress=False)
    assert results.status.tolist() == ["processed"]
    recorded = emu.control.conversion_events()[0]["event"]
    assert "custom_data" not in recorded and "nan" not in json.dumps(recorded).lower()


# -- contents ----------------------------------------------------------------------------------

def test_contents_from_a_list_of_dicts_column():
    df = base(products=[[{"sku": "S1", "price": 9.5, "qty": 2}, {"id": "S2", "item_price": "20", "quantity": 1,
                                                                 "item_name": "Lamp"}]])
    assert one(df)["custom_data"]["contents"] == [{"id": "S1", "item_price": "9.5", "quantity": 2},
                                                  {"id": "S2", "item_price": "20", "quantity": 1, "item_name": "Lamp"}]


def test_contents_from_a_json_text_column():
    df = base(contents=['[{"id": "S1", "item_price": "9.50", "quantity": 3}]'])
    assert one(df)["custom_data"]["contents"] == [{"id": "S1", "item_price": "9.50", "quantity": 3}]


def test_unknown_content_key_is_a_row_problem():
    df = orders(2)
    df["contents"] = [[{"id": "S1", "colour": "red"}], [{"id": "S2"}]]
    prepared = prep(df)
    assert "unknown field 'colour'" in prepared.problems.iloc[0]
    assert pd.isna(prepared.problems.iloc[1])


def test_contents_from_items_feeds_the_orders():
    lines = pd.DataFrame({"order_id": ["order-0", "order-0", "order-1"], "sku": ["S1", "S2", "S3"],
                          "price": [9.5, 20, "3.25"], "qty": [2, 1, 4], "title": ["Cup", "Lamp", None]})
    contents = contents_from_items(lines, by="order_id", id="sku", item_price="price", quantity="qty",
                                   item_name="title")
    df = orders(3)
    df["contents"] = df.order_id.map(contents)
    events = to_events(prep(df))
    assert events[0]["custom_data"]["contents"] == [{"id": "S1", "item_price": "9.5", "quantity": 2, "item_name": "Cup"},
                                                    {"id": "S2", "item_price": "20", "quantity": 1, "item_name": "Lamp"}]
    assert events[1]["custom_data"]["contents"] == [{"id": "S3", "item_price": "3.25", "quantity": 4}]
    assert "contents" not in events[2]["custom_data"]


def test_contents_from_items_names_missing_columns():
    with pytest.raises(ValueError, match="sku"):
        contents_from_items(pd.DataFrame({"order_id": ["A"]}), by="order_id", id="sku")


# -- tracking event names ----------------------------------------------------------------------

@pytest.mark.parametrize("tracking, pinterest", [("Order Completed", "checkout"), ("Product Added", "add_to_cart"),
                                                 ("Signed Up", "signup"), ("Lead Generated", "lead"),
                                                 ("Products Searched", "search"), ("order_completed", "checkout"),
                                                 ("checkout", "checkout")])
def test_map_event_names(tracking, pinterest):
    assert map_event_names(pd.Series([tracking])).tolist() == [pinterest]


def test_unknown_tracking_names_raise_naming_them():
    with pytest.raises(ValueError) as info:
        map_event_names(pd.Series(["Order Completed", "Gift Card Redeemed", "Coupon Applied", "Gift Card Redeemed"]))
    assert "'Gift Card Redeemed' (2)" in str(info.value) and "'Coupon Applied' (1)" in str(info.value)
    assert "Order Completed" not in str(info.value)


def test_unknown_tracking_names_can_become_custom():
    assert map_event_names(pd.Series(["Gift Card Redeemed"]), unknown="custom").tolist() == ["custom"]
    assert map_event_names(pd.Series(["Quote Requested"]), {"Quote Requested": "lead"}).tolist() == ["lead"]


def test_from_tracking_events_search_query_goes_to_search_string():
    calls = pd.DataFrame({
        "event": ["Products Searched", "Order Completed", "Signed Up"],
        "messageId": ["m1", "m2", "m3"],
        "timestamp": ["2026-11-15T11:00:00Z"] * 3,
        "email": ["a@b.co"] * 3,
        "properties": [{"query": "velvet sofa"},
                       {"order_id": "A-1", "revenue": 59.5, "currency": "usd",
                        "products": [{"product_id": "S1", "price": 59.5, "quantity": 1}]},
                       {}],
    })
    flat = from_tracking_events(calls)
    prepared = prep(flat, event_name=None)
    assert prepared.problems.isna().all(), prepared.problems.tolist()
    events = to_events(prepared)
    assert [e["event_name"] for e in events] == ["search", "checkout", "signup"]
    assert [e["event_id"] for e in events] == ["m1", "m2", "m3"]
    assert events[0]["custom_data"] == {"search_string": "velvet sofa"}
    assert events[1]["custom_data"]["value"] == "59.5"
    assert events[1]["custom_data"]["contents"] == [{"id": "S1", "item_price": "59.5", "quantity": 1}]
    text = json.dumps(events)
    assert "search_query" not in text and "custom_event_name" not in text


@pytest.mark.parametrize("key", ["query", "search_query", "search_term"])
def test_from_tracking_events_search_keys_all_become_search_string(key):
    calls = pd.DataFrame({"event": ["Products Searched"], "messageId": ["m1"], "email": ["a@b.co"],
                          "timestamp": [NOW - 60], "properties": [{key: "oak table"}]})
    event = to_events(prep(from_tracking_events(calls), event_name=None))[0]
    assert event["custom_data"] == {"search_string": "oak table"}


def test_from_tracking_events_unknown_name_raises_naming_it():
    calls = pd.DataFrame({"event": ["Cart Abandoned"], "messageId": ["m1"], "properties": [{}]})
    with pytest.raises(ValueError, match="'Cart Abandoned'"):
        from_tracking_events(calls)


# -- the prepared frame ------------------------------------------------------------------------

def test_prepared_frame_is_aligned_to_the_input_index_and_holds_no_raw_pii():
    df = orders(3, index=["z", "a", "m"], phone=["(415) 555-0100", None, "+44 20 7946 0018"])
    prepared = prep(df)
    assert prepared.index.tolist() == ["z", "a", "m"]
    text = prepared.astype(str).to_csv()
    for raw in ["Buyer0@Example.com", "buyer0@example.com", "415", "7946"]:
        assert raw not in text


def test_epoch_seconds_in_an_object_column_with_floats_and_gaps():
    df = orders(3)
    df["order_date"] = pd.Series([float(NOW - HOUR), None, str(NOW - 2 * HOUR)], dtype=object)
    prepared = prep(df)
    assert prepared.event_time.tolist()[::2] == [NOW - HOUR, NOW - 2 * HOUR]
    assert pd.isna(prepared.problems.iloc[0]) and pd.isna(prepared.problems.iloc[2])
    assert "event_time is missing" in prepared.problems.iloc[1]
