"""5.23's app_info / device_info objects and custom_data's predicted_ltv and external measurement ids:
mapped from columns, checked against the spec's limits, sent unhashed and accepted by the emulator."""

from __future__ import annotations

import pandas as pd
import pytest

from pintools.conversions import prepare_conversions, send_conversions
from pintools.conversions.payload import from_events, to_events
from pintools.emulator.models.conversions import check_event

from .conftest import NOW, orders

CONTEXT = {"app_info.app_id": ["429047995", "429047995"], "App_Info.App_Version": ["7.9", "8.0"],
           "app_info.install_time": [1739222269, pd.NA], "device_info.os_family": ["iOS", "android"],
           "device_info.languages": ["en, DE", '["lt"]'], "device_info.battery_level": [78, 5],
           "predicted_ltv": [2794.82, "12.5"], "custom_data.external_measurement_id": ["rbos-1", None],
           "external_measurement_vendor_id": [1, 2]}


def test_columns_map_to_the_new_fields_typed_and_unhashed():
    prepared = prepare_conversions(orders(2).assign(**CONTEXT), now=NOW, event_name="checkout", action_source="app_ios")
    assert prepared["problems"].isna().all(), prepared["problems"].tolist()
    event = to_events(prepared)[0]
    assert event["app_info"] == {"app_id": "429047995", "app_version": "7.9", "install_time": 1739222269}
    assert event["device_info"] == {"os_family": "ios", "languages": ["en", "de"], "battery_level": 78}
    assert {k: event["custom_data"][k] for k in ("predicted_ltv", "external_measurement_id",
                                                 "external_measurement_vendor_id")} == \
        {"predicted_ltv": "2794.82", "external_measurement_id": "rbos-1", "external_measurement_vendor_id": 1}
    second = to_events(prepared)[1]
    assert "install_time" not in second["app_info"] and second["device_info"]["languages"] == ["lt"]
    assert "external_measurement_id" not in second["custom_data"] and second["custom_data"]["predicted_ltv"] == "12.5"
    assert check_event(event, now=NOW) == ([], [])
    assert from_events([event])["device_info.os_family"].tolist() == ["ios"]


@pytest.mark.parametrize(("column", "value", "message"), [
    ("device_info.os_family", "beos", "device_info.os_family must be one of ios, android"),
    ("device_info.battery_level", 101, "must be 0 to 100"),
    ("device_info.cpu_cores", 2.5, "is not a whole number"),
    ("device_info.timezone_abbr", "EUROPE", "longer than 5 characters"),
    ("app_info.window_width", -1, "must be 0 to 30720"),
    ("predicted_ltv", "1,250", "could be 1250 (a thousands separator) or 1.250"),
])
def test_values_outside_the_spec_are_problems_naming_the_field(column, value, message):
    prepared = prepare_conversions(orders(1).assign(**{column: [value]}), now=NOW, event_name="checkout",
                                   action_source="web")
    assert message in prepared["problems"].iloc[0]


def test_unknown_fields_of_the_new_objects_are_refused_and_short_names_are_not_guessed():
    with pytest.raises(ValueError, match="device_info.colour.*not a Conversions API field"):
        prepare_conversions(orders(1).assign(**{"device_info.colour": ["red"]}), now=NOW, event_name="lead",
                            action_source="web")
    prepared = prepare_conversions(orders(1).assign(model=["16 Pro"], type=["phone"]), now=NOW, event_name="lead",
                                   action_source="web")
    assert "device_info" not in to_events(prepared)[0]
    assert {"model", "type"} <= set(prepared.attrs["unused_columns"])


def test_the_emulator_processes_them_and_refuses_what_the_spec_forbids(capi, emu, account):
    prepared = prepare_conversions(orders(2).assign(**CONTEXT), now=NOW, event_name="checkout", action_source="app_ios")
    results = send_conversions(prepared, account, client=capi, progress=False)
    assert results["status"].tolist() == ["processed", "processed"]
    base = to_events(prepared)[0]
    for change, message in [({"device_info": {"os_family": "beos"}}, "device_info.os_family must be one of"),
                            ({"app_info": {"app_id": "x", "sdk": "1"}}, "unknown field app_info.sdk"),
                            ({"app_info": {"window_height": 30721}}, "app_info.window_height must be 0 to 30720"),
                            ({"device_info": {"languages": "en"}}, "device_info.languages must be an array"),
                            ({"custom_data": {"predicted_ltv": "lots"}}, "predicted_ltv must be a decimal string"),
                            ({"custom_data": {"external_measurement_vendor_id": "1"}},
                             "external_measurement_vendor_id must be an integer")]:
        errors, _ = check_event({**base, **change}, now=NOW)
        assert any(message in e for e in errors), (change, errors)
    assert check_event({**base, "custom_data": {"predicted_ltv": None, "external_measurement_id": None}}, now=NOW)[0] == []
