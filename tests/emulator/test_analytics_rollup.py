"""Sync analytics numbers: exact roll-ups across levels and periods, derived columns, determinism."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from conftest import CLOCK, NO_LIMITS, SEED, Api
from pintools.emulator import start
from pintools.emulator.models.hour_conversions import is_conversion_column

ADDITIVE = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "OUTBOUND_CLICK_1", "TOTAL_CONVERSIONS",
            "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "TOTAL_WEB_CHECKOUT", "VIDEO_MRC_VIEWS_1", "TOTAL_ENGAGEMENT"]
TODAY = date(2025, 3, 15)


def _params(start, end, granularity, columns=ADDITIVE, **extra):
    return {"start_date": str(start), "end_date": str(end), "granularity": granularity, "columns": ",".join(columns),
            **extra}


def _table(rows, id_column, columns=ADDITIVE):
    """{(id, DATE): {column: value}} with absent columns as 0."""
    return {(r[id_column], r.get("DATE")): {c: r.get(c, 0) for c in columns} for r in rows}


def _sum_into(child_rows, child_id, parent_of, columns=ADDITIVE):
    sums = defaultdict(lambda: dict.fromkeys(columns, 0))
    for r in child_rows:
        key = (parent_of[r[child_id]], r.get("DATE"))
        for c in columns:
            sums[key][c] += r.get(c, 0)
    return {k: v for k, v in sums.items() if any(v.values())}


def _nonzero(table):
    return {k: v for k, v in table.items() if any(v.values())}


def _get(api, path, params):
    r = api.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def day_rows(aapi, demo):
    """DAY rows of every level for the US account over ten days up to today."""
    base, start, end = demo["base"], TODAY - timedelta(days=9), TODAY
    p = _params(start, end, "DAY")
    return {
        "account": _get(aapi, base + "/analytics", p),
        "campaigns": _get(aapi, base + "/campaigns/analytics",
                          {**p, "campaign_ids": [c["id"] for c in demo["campaigns"]]}),
        "ad_groups": _get(aapi, base + "/ad_groups/analytics",
                          {**p, "ad_group_ids": [g["id"] for g in demo["ad_groups"]]}),
        "ads": _get(aapi, base + "/ads/analytics", {**p, "ad_ids": [a["id"] for a in demo["ads"]]}),
    }


def test_rows_are_a_bare_array_with_string_ids_and_dates(day_rows):
    for level, id_column in (("account", "AD_ACCOUNT_ID"), ("campaigns", "CAMPAIGN_ID"), ("ad_groups", "AD_GROUP_ID"),
                             ("ads", "AD_ID")):
        rows = day_rows[level]
        assert isinstance(rows, list) and rows
        assert all(isinstance(r[id_column], str) and r[id_column].isdigit() for r in rows)
        assert {r["DATE"] for r in rows} <= {str(TODAY - timedelta(days=i)) for i in range(10)}
        assert all(isinstance(r["SPEND_IN_MICRO_DOLLAR"], int) for r in rows)


def test_ads_sum_to_ad_groups_to_campaigns_to_the_account_exactly(day_rows, demo):
    group_of_ad = {a["id"]: a["ad_group_id"] for a in demo["ads"]}
    campaign_of_group = {g["id"]: g["campaign_id"] for g in demo["ad_groups"]}
    groups = _nonzero(_table(day_rows["ad_groups"], "AD_GROUP_ID"))
    assert _sum_into(day_rows["ads"], "AD_ID", group_of_ad) == groups
    campaigns = _nonzero(_table(day_rows["campaigns"], "CAMPAIGN_ID"))
    assert _sum_into(day_rows["ad_groups"], "AD_GROUP_ID", campaign_of_group) == campaigns
    account = _nonzero(_table(day_rows["account"], "AD_ACCOUNT_ID"))
    to_account = {c["id"]: demo["account"] for c in demo["campaigns"]}
    assert _sum_into(day_rows["campaigns"], "CAMPAIGN_ID", to_account) == account
    assert len(account) == 10  # the account delivered every day, today included


def test_draft_and_long_paused_entities_do_not_deliver(day_rows, demo):
    delivering = {r["CAMPAIGN_ID"] for r in day_rows["campaigns"]}
    statuses = {c["id"]: c["status"] for c in demo["campaigns"]}
    assert {statuses[c] for c in delivering} == {"ACTIVE"}
    assert any(s == "DRAFT" for s in statuses.values()) and any(s == "PAUSED" for s in statuses.values())


def test_hours_sum_to_days_and_today_stops_at_the_clock(aapi, demo):
    base, groups = demo["base"], [g["id"] for g in demo["ad_groups"] if g["status"] == "ACTIVE"][:6]
    start = TODAY - timedelta(days=2)
    hours = _get(aapi, base + "/ad_groups/analytics", {**_params(start, TODAY, "HOUR"), "ad_group_ids": groups})
    days = _get(aapi, base + "/ad_groups/analytics", {**_params(start, TODAY, "DAY"), "ad_group_ids": groups})
    assert all(len(r["DATE"]) == 19 and r["DATE"].endswith(":00:00") for r in hours)
    # 5.23.0: "The HOUR enum no longer provides data for conversion metrics" (the rows leave them out)
    hourly = tuple(c for c in ADDITIVE if not is_conversion_column(c))
    assert not any(is_conversion_column(c) for r in hours for c in r)
    summed = defaultdict(lambda: dict.fromkeys(hourly, 0))
    for r in hours:
        for c in hourly:
            summed[(r["AD_GROUP_ID"], r["DATE"][:10])][c] += r.get(c, 0)
    assert dict(summed) == _nonzero(_table(days, "AD_GROUP_ID", hourly))
    today_hours = {int(r["DATE"][11:13]) for r in hours if r["DATE"].startswith(str(TODAY))}
    assert today_hours and max(today_hours) == 13  # the clock says 13:30 UTC


@pytest.mark.parametrize("granularity", ["WEEK", "MONTH", "TOTAL"])
def test_weeks_months_and_total_are_sums_of_days(aapi, demo, granularity):
    base, campaigns = demo["base"], [c["id"] for c in demo["campaigns"]]
    start, end = date(2025, 1, 29), date(2025, 3, 14)  # a Wednesday, mid-month
    daily = _get(aapi, base + "/campaigns/analytics", {**_params(start, end, "DAY"), "campaign_ids": campaigns})
    rows = _get(aapi, base + "/campaigns/analytics", {**_params(start, end, granularity), "campaign_ids": campaigns})

    def period(day: str):
        d = date.fromisoformat(day)
        if granularity == "TOTAL":
            return None
        first = d - timedelta(days=d.weekday()) if granularity == "WEEK" else d.replace(day=1)
        return str(max(first, start))  # DATE = first requested date in the period

    expected = defaultdict(lambda: dict.fromkeys(ADDITIVE, 0))
    for r in daily:
        for c in ADDITIVE:
            expected[(r["CAMPAIGN_ID"], period(r["DATE"]))][c] += r.get(c, 0)
    assert _table(rows, "CAMPAIGN_ID") == dict(expected)
    if granularity == "TOTAL":
        assert all("DATE" not in r for r in rows)
    else:
        assert str(start) in {r["DATE"] for r in rows}


def test_derived_columns_come_from_the_same_row(aapi, demo):
    cols = ["SPEND_IN_MICRO_DOLLAR", "SPEND_IN_DOLLAR", "IMPRESSION_1", "CLICKTHROUGH_1", "CTR", "CPC_IN_MICRO_DOLLAR",
            "CPM_IN_MICRO_DOLLAR", "CPM_IN_DOLLAR", "TOTAL_CHECKOUT", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
            "CHECKOUT_ROAS", "TOTAL_IMPRESSION", "TOTAL_IMPRESSION_USER", "TOTAL_IMPRESSION_FREQUENCY"]
    rows = _get(aapi, demo["base"] + "/analytics", _params(TODAY - timedelta(days=6), TODAY, "DAY", cols))
    for r in rows:
        assert r["SPEND_IN_DOLLAR"] == pytest.approx(r["SPEND_IN_MICRO_DOLLAR"] / 1e6, rel=1e-12)
        assert r["CTR"] == pytest.approx(r["CLICKTHROUGH_1"] / r["IMPRESSION_1"])
        assert r["CPC_IN_MICRO_DOLLAR"] == pytest.approx(r["SPEND_IN_MICRO_DOLLAR"] / r["CLICKTHROUGH_1"])
        assert r["CPM_IN_MICRO_DOLLAR"] == pytest.approx(1000 * r["SPEND_IN_MICRO_DOLLAR"] / r["IMPRESSION_1"])
        assert r["CPM_IN_DOLLAR"] == pytest.approx(r["CPM_IN_MICRO_DOLLAR"] / 1e6)
        roas = r["TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"] / r["SPEND_IN_MICRO_DOLLAR"]
        assert r["CHECKOUT_ROAS"] == pytest.approx(roas)
        assert 0 < r["TOTAL_IMPRESSION_USER"] <= r["TOTAL_IMPRESSION"]
        assert r["TOTAL_IMPRESSION_FREQUENCY"] == pytest.approx(r["TOTAL_IMPRESSION"] / r["TOTAL_IMPRESSION_USER"])
        assert 0.001 < r["CTR"] < 0.05 and 1e6 < r["CPM_IN_MICRO_DOLLAR"] < 30e6  # plausible USD numbers


def test_one_call_or_one_id_per_call_gives_the_same_rows(aapi, demo):
    ids = [g["id"] for g in demo["ad_groups"]][:5]
    p = _params(TODAY - timedelta(days=4), TODAY, "DAY", ADDITIVE + ["CTR", "CAMPAIGN_NAME"])
    together = _get(aapi, demo["base"] + "/ad_groups/analytics", {**p, "ad_group_ids": ",".join(ids)})
    path = demo["base"] + "/ad_groups/analytics"
    one_by_one = [row for i in ids for row in _get(aapi, path, {**p, "ad_group_ids": i})]
    key = lambda r: (r["AD_GROUP_ID"], r["DATE"])  # noqa: E731
    assert sorted(together, key=key) == sorted(one_by_one, key=key)


def test_two_servers_with_the_same_seed_answer_identically(aapi, demo):
    other = start(seed=SEED, clock=CLOCK, rate_limits=NO_LIMITS)
    try:
        twin = Api(other)
        p = {**_params(TODAY - timedelta(days=20), TODAY, "DAY", ADDITIVE + ["CTR", "CHECKOUT_ROAS"]),
             "campaign_ids": [c["id"] for c in demo["campaigns"]], "conversion_report_time": "TIME_OF_CONVERSION"}
        path = demo["base"] + "/campaigns/analytics"
        assert twin.get(path, params=p).content == aapi.get(path, params=p).content
        p["granularity"] = "HOUR"
        p["start_date"] = str(TODAY - timedelta(days=1))
        assert twin.get(path, params=p).content == aapi.get(path, params=p).content
        assert other.control.spec_violations() == []
    finally:
        other.stop()


def test_attribution_windows_and_report_time_change_conversions_not_delivery(aapi, demo):
    p = _params(TODAY - timedelta(days=30), TODAY - timedelta(days=1), "TOTAL",
                ["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICK_CHECKOUT", "TOTAL_VIEW_CHECKOUT", "TOTAL_CONVERSIONS"])
    path = demo["base"] + "/analytics"
    default = _get(aapi, path, p)[0]
    short = _get(aapi, path, {**p, "click_window_days": 1, "view_window_days": 0})[0]
    moved = _get(aapi, path, {**p, "conversion_report_time": "TIME_OF_CONVERSION"})[0]
    assert short["SPEND_IN_MICRO_DOLLAR"] == default["SPEND_IN_MICRO_DOLLAR"] == moved["SPEND_IN_MICRO_DOLLAR"]
    assert short["TOTAL_CLICK_CHECKOUT"] < default["TOTAL_CLICK_CHECKOUT"] and short["TOTAL_VIEW_CHECKOUT"] == 0
    assert moved["TOTAL_CONVERSIONS"] == pytest.approx(default["TOTAL_CONVERSIONS"], rel=0.05)


def test_pausing_stops_delivery_after_that_day(rapi):
    account = rapi.accounts()[0]["id"]
    base = f"/ad_accounts/{account}"
    group = rapi.get(base + "/ad_groups", params={"page_size": 1}).json()["items"][0]
    p = {**_params(TODAY - timedelta(days=1), TODAY, "DAY", ["SPEND_IN_MICRO_DOLLAR"]), "ad_group_ids": group["id"]}
    before = rapi.get(base + "/ad_groups/analytics", params=p).json()
    assert [r["DATE"] for r in before] == [str(TODAY - timedelta(days=1)), str(TODAY)]
    assert rapi.patch(base + "/ad_groups", json=[{"id": group["id"], "status": "PAUSED"}]).status_code == 200
    rapi.server.control.advance_clock(2 * 86_400)
    later = {**p, "end_date": str(TODAY + timedelta(days=2))}
    after = rapi.get(base + "/ad_groups/analytics", params=later).json()
    assert [r["DATE"] for r in after] == [str(TODAY - timedelta(days=1)), str(TODAY)]
    assert after[0] == before[0]  # history is untouched; the pause day keeps its full day now
