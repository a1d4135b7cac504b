"""The six conversion events Pinterest API 5.23 added are accepted end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pintools.conversions import map_event_names, prepare_conversions, send_conversions
from pintools.conversions.fields import EVENT_NAMES
from pintools.emulator.models import conversions as emulator_conversions

from .conftest import NOW, orders

NEW_EVENTS = ("add_payment_info", "add_to_wishlist", "app_install", "initiate_checkout", "subscribe", "view_content")
SPEC_5_23 = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "pinterest-openapi-v5.23.0.json"


def test_event_names_are_the_ones_5_23_lists():
    if not SPEC_5_23.is_file():
        pytest.skip("Pinterest's 5.23.0 spec is not beside the checkout")
    spec = json.loads(SPEC_5_23.read_text())
    text = json.dumps(spec["components"]["schemas"]["ConversionEvents"])
    listed = {name for name in NEW_EVENTS + EVENT_NAMES if f"- `{name}`" in text.replace("\\n", "\n")}
    assert set(EVENT_NAMES) == listed == set(emulator_conversions.EVENT_NAMES)


@pytest.mark.parametrize("event", NEW_EVENTS)
def test_new_events_are_prepared_and_processed(capi, emu, account, event):
    prepared = prepare_conversions(orders(2), now=NOW, event_name=event, action_source="web")
    assert prepared["problems"].isna().all()
    results = send_conversions(prepared, account, client=capi, progress=False)
    assert results["status"].tolist() == ["processed", "processed"]
    assert results["event_name"].tolist() == [event, event]


def test_tracking_names_of_the_new_events_map_to_them():
    names = pd.Series(["Product Added to Wishlist", "Checkout Started", "Payment Info Entered", "Subscribed",
                       "Application Installed"])
    assert map_event_names(names).tolist() == ["add_to_wishlist", "initiate_checkout", "add_payment_info",
                                               "subscribe", "app_install"]
