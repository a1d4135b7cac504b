"""Tracking names from common tracking plans map onto every Pinterest event name of 5.23; Pinterest's own
names always pass through."""

from __future__ import annotations

import pandas as pd
import pytest

from pintools.conversions import from_tracking_events, map_event_names
from pintools.conversions.fields import EVENT_NAMES

#: (tracking plan, name it sends, Pinterest event)
NAMES = [
    ("GA4", "add_payment_info", "add_payment_info"), ("GA4", "add_to_wishlist", "add_to_wishlist"),
    ("GA4", "begin_checkout", "initiate_checkout"), ("GA4", "view_item", "view_content"),
    ("GA4", "view_item_list", "view_category"), ("GA4", "sign_up", "signup"), ("GA4", "generate_lead", "lead"),
    ("GA4", "purchase", "checkout"), ("GA4", "view_search_results", "search"), ("GA4", "page_view", "page_visit"),
    ("GA4", "video_start", "watch_video"), ("Firebase", "first_open", "app_install"),
    ("Firebase", "in_app_purchase", "checkout"),
    ("Segment", "Order Completed", "checkout"), ("Segment", "Product Viewed", "view_content"),
    ("Segment", "Checkout Started", "initiate_checkout"), ("Segment", "Payment Info Entered", "add_payment_info"),
    ("Segment", "Application Installed", "app_install"), ("Segment", "Product Added to Wishlist", "add_to_wishlist"),
    ("Shopify", "checkout_completed", "checkout"), ("Shopify", "checkout_started", "initiate_checkout"),
    ("Shopify", "payment_info_submitted", "add_payment_info"), ("Shopify", "product_added_to_cart", "add_to_cart"),
    ("Shopify", "product_viewed", "view_content"), ("Shopify", "collection_viewed", "view_category"),
    ("Shopify", "search_submitted", "search"), ("Shopify", "page_viewed", "page_visit"),
    ("Meta", "AddPaymentInfo", "add_payment_info"), ("Meta", "AddToWishlist", "add_to_wishlist"),
    ("Meta", "InitiateCheckout", "initiate_checkout"), ("Meta", "Subscribe", "subscribe"),
    ("Meta", "ViewContent", "view_content"), ("Meta", "CompleteRegistration", "signup"),
    ("Meta", "PageView", "page_visit"), ("Meta", "AddToCart", "add_to_cart"),
    ("TikTok", "CompletePayment", "checkout"), ("TikTok", "SubmitForm", "lead"),
    ("Snap", "START_CHECKOUT", "initiate_checkout"), ("Snap", "ADD_BILLING", "add_payment_info"),
    ("Snap", "APP_INSTALL", "app_install"), ("Snap", "LIST_VIEW", "view_category"),
]


@pytest.mark.parametrize(("plan", "name", "event"), NAMES, ids=[f"{p}:{n}" for p, n, _ in NAMES])
def test_common_tracking_names_map(plan, name, event):
    assert map_event_names(pd.Series([name])).tolist() == [event]


def test_every_pinterest_event_has_a_tracking_name_and_passes_through_itself():
    assert {event for _, _, event in NAMES} | {"custom"} == set(EVENT_NAMES)
    assert map_event_names(pd.Series(list(EVENT_NAMES))).tolist() == list(EVENT_NAMES)


def test_a_product_view_can_still_be_sent_as_page_visit():
    assert map_event_names(pd.Series(["Product Viewed"]), {"Product Viewed": "page_visit"}).tolist() == ["page_visit"]


def test_names_without_a_pinterest_event_are_refused_by_name():
    with pytest.raises(ValueError, match="'add_shipping_info' \\(1\\), 'StartTrial' \\(1\\)"):
        map_event_names(pd.Series(["add_shipping_info", "StartTrial", "purchase"]))


def test_a_ga4_export_flattens_with_the_new_names():
    calls = pd.DataFrame({"event": ["begin_checkout", "add_payment_info"], "messageId": ["m1", "m2"],
                          "properties": [{"currency": "EUR", "value": 12.5}, {"currency": "EUR"}]})
    out = from_tracking_events(calls)
    assert out["event_name"].tolist() == ["initiate_checkout", "add_payment_info"]
    assert out["event_id"].tolist() == ["m1", "m2"] and out["value"].tolist()[0] == 12.5
