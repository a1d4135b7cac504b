"""Dates people use: presets on the API's clock, complete days by default, datetime64 dates."""

import datetime as dt

import pandas as pd
import pytest

import pintools as pt
from pintools.analytics.dates import PRESETS, preset_range, resolve_range

from .conftest import TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.mark.parametrize("preset, days", [("yesterday", 1), ("last_7_days", 7), ("last_14_days", 14),
                                          ("last_30_days", 30), ("last_90_days", 90)])
def test_rolling_presets_are_complete_days_ending_yesterday(preset, days):
    start, end = preset_range(preset, today=TODAY)
    assert end == YESTERDAY and (end - start).days + 1 == days
    start, end = preset_range(preset, today=TODAY, include_today=True)
    assert end == TODAY and (end - start).days + 1 == days


def test_month_presets():
    assert preset_range("this_month", today=TODAY) == (dt.date(2026, 11, 1), YESTERDAY)
    assert preset_range("Month to date", today=TODAY) == (dt.date(2026, 11, 1), YESTERDAY)
    assert preset_range("last_month", today=dt.date(2026, 3, 1)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    with pytest.raises(ValueError, match="no complete day yet.*include_today=True"):
        preset_range("this_month", today=dt.date(2026, 12, 1))
    assert preset_range("this_month", today=dt.date(2026, 12, 1), include_today=True) == \
        (dt.date(2026, 12, 1), dt.date(2026, 12, 1))


def test_bad_ranges_say_what_to_do():
    with pytest.raises(ValueError, match="unknown date preset 'last_week'.*last_7_days"):
        resolve_range("last_week", today=TODAY)
    with pytest.raises(ValueError, match="is a preset.*leave end_date out"):
        resolve_range("last_7_days", "2026-11-10", today=TODAY)
    with pytest.raises(ValueError, match="default end is yesterday"):
        resolve_range(TODAY, today=TODAY)
    assert set(PRESETS) >= {"yesterday", "last_7_days", "last_14_days", "last_30_days", "last_90_days",
                            "this_month", "last_month", "month_to_date"}


def test_last_7_days_reads_exactly_seven_complete_days_ending_yesterday(aclient, account, analytics_emulator):
    analytics_emulator.control.clear_requests()
    df = pt.read_analytics(account, "last_7_days", level="campaign", client=aclient)
    assert str(df["date"].dtype) == "datetime64[ns]"
    assert sorted(df["date"].unique()) == list(pd.date_range(TODAY - dt.timedelta(days=7), YESTERDAY))
    assert df.attrs["query"]["start_date"] == "2026-11-08" and df.attrs["query"]["end_date"] == "2026-11-14"
    sent = {tuple(r["query"]["end_date"]) for r in analytics_emulator.control.requests()
            if r["operation_id"] == "campaigns/analytics"}
    assert sent == {("2026-11-14",)}  # today's partial day is never asked for


def test_a_start_date_alone_ends_yesterday_and_include_today_opts_in(aclient, account):
    df = pt.read_analytics(account, "2026-11-12", level="ad_account", client=aclient)
    assert df["date"].max() == pd.Timestamp(YESTERDAY)
    df = pt.read_analytics(account, "2026-11-12", level="ad_account", include_today=True, client=aclient)
    assert df["date"].max() == pd.Timestamp(TODAY)


def test_presets_follow_the_emulators_clock_not_the_machines(aclient, account):
    """The embedded emulator's clock is 2026-11-15; the machine's date is different."""
    df = pt.read_targeting_analytics(account, "yesterday", targeting_types=["GENDER"], client=aclient)
    assert df.attrs["query"]["start_date"] == df.attrs["query"]["end_date"] == YESTERDAY.isoformat()


def test_the_dashboard_and_the_rules_judge_complete_days_ending_yesterday(aclient, account, analytics_emulator):
    board = pt.widgets.dashboard(aclient, days=30)
    assert board.end.value == YESTERDAY and board.start.value == YESTERDAY - dt.timedelta(days=29)
    assert pt.widgets.dashboard(aclient, days=7, include_today=True).end.value == TODAY
    analytics_emulator.control.clear_requests()
    pt.plans.rules.pause_low_performers(account, "last_14_days", max_ctr=0.001, client=aclient)
    ends = {r["query"]["end_date"][0] for r in analytics_emulator.control.requests()
            if r["operation_id"].endswith("/analytics")}
    assert ends == {YESTERDAY.isoformat()}


def test_product_group_analytics_presets_follow_the_api_clock(aclient, account):
    groups = pt.read_product_groups(account, client=aclient)
    if groups.empty:
        pytest.skip("this fixture account has no product groups")
    df = pt.read_product_group_analytics(account, "last_7_days", product_groups=groups, client=aclient)
    assert df["date"].max() == pd.Timestamp(YESTERDAY) and df["date"].min() == pd.Timestamp(TODAY - dt.timedelta(days=7))
