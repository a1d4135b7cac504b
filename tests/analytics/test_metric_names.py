"""Friendly metric names: aliases resolve to Pinterest's columns, hints name the real fix, and
``pt.analytics.columns`` searches the catalogue."""

import datetime as dt

import pytest

import pintools as pt
from pintools.analytics.columns import ALL_COLUMNS, ASYNC_COLUMNS, SYNC_COLUMNS, check_columns, resolve_column
from pintools.analytics.metric_names import ALIASES, DESCRIPTIONS, name_key, plain_key

from .conftest import TODAY


@pytest.mark.parametrize("name, column", [
    ("spend", "SPEND_IN_MICRO_DOLLAR"),
    ("clicks", "TOTAL_CLICKTHROUGH"),
    ("impressions", "TOTAL_IMPRESSION"),
    ("revenue", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"),
    ("checkout value", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"),
    ("Pin clicks", "TOTAL_CLICKTHROUGH"),
    ("pin_clicks", "TOTAL_CLICKTHROUGH"),
    ("PIN-CLICK", "TOTAL_CLICKTHROUGH"),
    ("outbound clicks", "OUTBOUND_CLICK_1"),
    ("saves", "REPIN_1"),
    ("checkouts", "TOTAL_CHECKOUT"),
    ("ROAS", "CHECKOUT_ROAS"),
    ("ctr", "CTR"),
    ("cpc", "CPC_IN_MICRO_DOLLAR"),
    ("cpm", "CPM_IN_MICRO_DOLLAR"),
    ("conversions", "TOTAL_CONVERSIONS"),
    ("engagements", "TOTAL_ENGAGEMENT"),
    ("video views", "TOTAL_VIDEO_MRC_VIEWS"),
    ("add to cart", "TOTAL_WEB_ADD_TO_CART"),
    ("leads", "LEADS"),
    ("sign-ups", "TOTAL_SIGNUP"),
    ("page visits", "TOTAL_PAGE_VISIT"),
    ("earned impressions", "IMPRESSION_2"),
    ("spend in dollar", "SPEND_IN_DOLLAR"),      # a column name with other separators
    ("total conversion", "TOTAL_CONVERSIONS"),   # singular of a column
    ("web checkouts", "TOTAL_WEB_CHECKOUT"),     # a TOTAL_ column without TOTAL_
])
def test_friendly_names_resolve_to_pinterest_columns(name, column):
    assert resolve_column(name) == column


def test_every_alias_resolves_to_its_own_column_and_shadows_no_column():
    for alias, column in ALIASES.items():
        assert column in ASYNC_COLUMNS, alias
        assert resolve_column(alias) == column, alias
        # no alias hides a real column that differs only in case, separators or a plural
        twins = [c for c in ASYNC_COLUMNS if name_key(c) == name_key(alias) or c == plain_key(alias)]
        assert twins in ([], [column]), (alias, twins)
    assert set(DESCRIPTIONS) <= set(ASYNC_COLUMNS)


def test_check_columns_returns_api_names_once_in_the_order_given():
    assert check_columns(["clicks", "spend", "TOTAL_CLICKTHROUGH", "Spend"]) == ["TOTAL_CLICKTHROUGH",
                                                                                "SPEND_IN_MICRO_DOLLAR"]


def test_an_unknown_name_suggests_columns_and_aliases_nearest_first():
    with pytest.raises(ValueError) as info:
        check_columns(["impresions"])
    text = str(info.value)
    assert text.index("TOTAL_IMPRESSION") < text.index("IMPRESSION_1")  # the alias' column comes first
    assert "'impressions' (TOTAL_IMPRESSION)" in text
    assert "pintools.analytics.columns(" in text
    with pytest.raises(ValueError, match=r"'revenue' \(TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR\)"):
        check_columns(["revenu"])
    with pytest.raises(ValueError, match=r"'spend' \(SPEND_IN_MICRO_DOLLAR\)"):
        check_columns(["spnd"])


def test_an_async_only_column_says_how_to_get_it():
    with pytest.raises(ValueError) as info:
        check_columns(["add to cart"])
    text = str(info.value)
    assert "'add to cart' (TOTAL_WEB_ADD_TO_CART) exists only in async reports" in text
    assert "more than 90 days before today" in text and "level='keyword'" in text
    assert "91 or more days back" in text
    assert "TOTAL_CLICK_ADD_TO_CART" in text  # the sync alternative
    assert "report=True" not in text  # read_analytics has no such argument
    assert check_columns(["add to cart"], report=True) == ["TOTAL_WEB_ADD_TO_CART"]


def test_the_async_only_rule_stated_is_the_one_read_analytics_follows(aclient, account, analytics_emulator):
    """91 days back: an async report gives the column; 90 days back: the hint, before any call."""
    old = pt.read_analytics(account, TODAY - dt.timedelta(days=91), TODAY - dt.timedelta(days=85),
                            level="ad_account", columns=["spend", "add to cart"], client=aclient, progress=False)
    assert old.attrs["query"]["path"] == "async reports"
    assert old.attrs["query"]["columns"] == ["SPEND_IN_MICRO_DOLLAR", "TOTAL_WEB_ADD_TO_CART"]
    analytics_emulator.control.clear_requests()
    with pytest.raises(ValueError, match="exists only in async reports.*91 or more days back"):
        pt.read_analytics(account, TODAY - dt.timedelta(days=90), TODAY - dt.timedelta(days=85),
                          level="ad_account", columns=["spend", "add to cart"], client=aclient, progress=False)
    assert [r for r in analytics_emulator.control.requests() if "analytics" in r["operation_id"]] == []


def test_read_analytics_takes_friendly_names_and_names_columns_as_pinterest(aclient, account):
    start, end = TODAY - dt.timedelta(days=6), TODAY - dt.timedelta(days=1)
    friendly = pt.read_analytics(account, start, end, level="campaign", columns=["spend", "Pin clicks", "impressions"],
                                 client=aclient, progress=False)
    api = pt.read_analytics(account, start, end, level="campaign",
                            columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH", "TOTAL_IMPRESSION"],
                            client=aclient, progress=False)
    names = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH", "TOTAL_IMPRESSION"]
    assert friendly.attrs["query"]["columns"] == names
    assert list(friendly.columns[-3:]) == names
    assert friendly["SPEND_IN_MICRO_DOLLAR"].sum() > 0
    assert friendly[names].equals(api[names])


def test_targeting_analytics_take_friendly_names_too(aclient, account):
    df = pt.read_targeting_analytics(account, TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=1),
                                     targeting_types=["GENDER"], columns=["spend", "clicks"], client=aclient,
                                     progress=False)
    assert df.attrs["query"]["columns"] == ["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH"]


def test_catalogue_lists_the_checkout_columns():
    df = pt.analytics.columns("checkout")
    assert df.column.iloc[0] == "TOTAL_CHECKOUT"
    expected = {c for c in ASYNC_COLUMNS if "CHECKOUT" in c}
    assert expected <= set(df.column)
    assert df.column.str.contains("CHECKOUT").all()
    # sync columns come before async-only ones among name matches
    assert df.sync.tolist() == sorted(df.sync.tolist(), reverse=True)
    value = df.set_index("column").loc["TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]
    assert "revenue" in value.aliases and value.kind == "money" and value.unit == "micro"
    assert bool(value.sync) and bool(value.targeting) and bool(value.report)
    assert value.sync_levels == "ad_account, campaign, ad_group, ad" and "HOUR" in value.granularities
    quantity = df.set_index("column").loc["TOTAL_CHECKOUT_QUANTITY"]
    assert not quantity.sync and not quantity.targeting and "90 days" in quantity.available


def test_catalogue_search_is_case_separator_and_plural_insensitive_and_covers_every_column():
    assert pt.analytics.columns("Checkout-Values").column.tolist() == \
        pt.analytics.columns("checkout_value").column.tolist()
    assert pt.analytics.columns("revenue").column.iloc[0] == "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"
    assert pt.analytics.columns("impressions").column.iloc[0] == "TOTAL_IMPRESSION"
    everything = pt.analytics.columns()
    assert everything.column.tolist() == list(ALL_COLUMNS)
    assert everything.sync.sum() == len(SYNC_COLUMNS) and everything.report.sum() == len(ASYNC_COLUMNS)
    assert not everything.set_index("column").loc["QUIZ_PIN_RESULT_OPEN", "report"]
    assert set(everything.kind) <= {"money", "count", "ratio", "duration", "id", "text"}
    assert everything.set_index("column").loc["CTR", "kind"] == "ratio"
    assert everything.set_index("column").loc["TOTAL_IMPRESSION", "kind"] == "count"
    assert pt.analytics.columns("no such metric anywhere").empty
