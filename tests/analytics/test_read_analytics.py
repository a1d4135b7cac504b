"""read_analytics end to end on the emulator: exact roll-ups, minimal calls, splitting,
reports, faults, several accounts, names, cache."""

import datetime as dt
import threading
import time
import warnings

import pandas as pd
import pytest

import pintools as pt
from pintools.analytics.cache import ChunkCache

from .conftest import BENCH_ACCOUNT, TODAY, fast_client

ADDITIVE = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH"]


def _analytics_calls(server, op=None):
    ops = {"ad_account/analytics", "campaigns/analytics", "ad_groups/analytics", "ads/analytics"}
    return [r for r in server.control.requests() if (r["operation_id"] == op if op else r["operation_id"] in ops)]


def test_additive_metrics_roll_up_exactly_from_ads_to_the_account(aclient, account):
    start, end = TODAY - dt.timedelta(days=13), TODAY
    frames = {level: pt.read_analytics(account, start, end, level=level, columns=ADDITIVE, client=aclient)
              for level in ("ad", "ad_group", "campaign", "ad_account")}
    by_day = {level: df.groupby("date")[ADDITIVE].sum() for level, df in frames.items()}
    assert by_day["ad_account"]["SPEND_IN_MICRO_DOLLAR"].sum() > 0
    for level in ("ad", "ad_group", "campaign"):
        pd.testing.assert_frame_equal(by_day[level], by_day["ad_account"], check_dtype=True)
    # and per entity: each ad group equals the sum of its ads
    ads = pt.read_ads(account, statuses="all", client=aclient)[["id", "ad_group_id"]]
    ad_rows = frames["ad"].merge(ads, left_on="ad_id", right_on="id")
    from_ads = ad_rows.groupby(["ad_group_id", "date"])[ADDITIVE].sum().sort_index()
    groups = frames["ad_group"].set_index(["ad_group_id", "date"])[ADDITIVE].sort_index()
    pd.testing.assert_frame_equal(from_ads, groups, check_names=False)


def test_a_bad_column_is_named_with_suggestions_before_any_request(aclient, account, analytics_emulator):
    analytics_emulator.control.clear_requests()
    with pytest.raises(ValueError, match="TOTAL_CLICKTHROUGH"):
        pt.read_analytics(account, TODAY - dt.timedelta(days=3), TODAY, columns=["TOTAL_CLICK_THROUGH"],
                          client=aclient)
    assert analytics_emulator.control.requests() == []


@pytest.mark.parametrize("start, end, message", [
    (TODAY, TODAY - dt.timedelta(days=1), "before start_date"),
    (TODAY, TODAY + dt.timedelta(days=1), "in the future"),
])
def test_impossible_dates_fail_before_any_analytics_call(aclient, account, analytics_emulator, start, end, message):
    analytics_emulator.control.clear_requests()
    with pytest.raises(ValueError, match=message):
        pt.read_analytics(account, start, end, client=aclient)
    assert _analytics_calls(analytics_emulator) == []


def test_hour_over_more_than_3_days_is_split_and_sums_to_the_day(aclient, account, analytics_emulator):
    start = TODAY - dt.timedelta(days=6)
    analytics_emulator.control.clear_requests()
    hourly = pt.read_analytics(account, start, TODAY - dt.timedelta(days=1), level="campaign", granularity="HOUR",
                               columns=ADDITIVE, client=aclient)
    calls = _analytics_calls(analytics_emulator, "campaigns/analytics")
    assert len(calls) == 2  # 6 days -> two 3-day windows
    assert str(hourly["date"].dtype) == "datetime64[ns, UTC]"
    daily = pt.read_analytics(account, start, TODAY - dt.timedelta(days=1), level="campaign", columns=ADDITIVE,
                              client=aclient)
    hourly["day"] = hourly["date"].dt.tz_localize(None).dt.normalize()  # the UTC day, as daily frames give it
    summed = hourly.groupby(["campaign_id", "day"])[ADDITIVE].sum()
    summed.index.names = ["campaign_id", "date"]
    pd.testing.assert_frame_equal(summed.sort_index(), daily.set_index(["campaign_id", "date"])[ADDITIVE].sort_index())


def test_1000_ad_groups_by_90_days_take_4_calls_and_equal_a_one_id_per_call_pull(own_emulator):
    own_emulator.control.reset(accounts=[BENCH_ACCOUNT])
    client = fast_client(own_emulator)
    account = pt.read_ad_accounts(client=client).id[0]
    columns = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "CTR", "CPC_IN_MICRO_DOLLAR",
               "CPM_IN_MICRO_DOLLAR", "TOTAL_CONVERSIONS", "OUTBOUND_CLICK_1", "TOTAL_ENGAGEMENT", "SPEND_IN_DOLLAR"]
    start = TODAY - dt.timedelta(days=89)
    own_emulator.control.clear_requests()
    batched = pt.read_analytics(account, start, TODAY, level="ad_group", columns=columns, client=client,
                                progress=False)
    assert len(_analytics_calls(own_emulator, "ad_groups/analytics")) == 4  # 250 ids a call (5.23)
    assert batched.attrs["calls"] == 4 and batched["ad_group_id"].nunique() == 1000
    one_by_one = pt.read_analytics(account, start, TODAY, level="ad_group", columns=columns, client=client,
                                   batch_size=1, max_workers=8, progress=False)
    assert one_by_one.attrs["calls"] == 1000
    pd.testing.assert_frame_equal(batched, one_by_one)


def test_a_429_storm_mid_pull_finishes_with_every_chunk_fetched_once_and_rows_complete(own_emulator):
    own_emulator.control.reset(accounts=[dict(BENCH_ACCOUNT, campaigns=4)])  # 400 ad groups
    client = fast_client(own_emulator, retry=pt.RetryPolicy(max_attempts=30, backoff_base=0.01))
    account = pt.read_ad_accounts(client=client).id[0]
    start = TODAY - dt.timedelta(days=29)
    clean = pt.read_analytics(account, start, TODAY, level="ad_group", columns=ADDITIVE, batch_size=10,
                              client=client, progress=False)
    own_emulator.control.clear_requests()
    result = {}
    worker = threading.Thread(target=lambda: result.update(df=pt.read_analytics(
        account, start, TODAY, level="ad_group", columns=ADDITIVE, batch_size=10, max_workers=4, client=client,
        progress=False)))
    worker.start()
    deadline = time.time() + 30
    while len(_analytics_calls(own_emulator, "ad_groups/analytics")) < 10 and time.time() < deadline:
        time.sleep(0.005)
    own_emulator.control.inject_fault(route="ad_groups/analytics", status=429, code=8, retry_after=0, times=15)
    worker.join(60)
    calls = _analytics_calls(own_emulator, "ad_groups/analytics")
    assert sum(1 for r in calls if r["status"] == 429) == 15
    ok = [tuple(r["query"]["ad_group_ids"]) for r in calls if r["status"] == 200]
    assert len(ok) == 40 and len(set(ok)) == 40  # 40 chunks, each fetched exactly once
    pd.testing.assert_frame_equal(result["df"], clean)


def test_ranges_older_than_90_days_go_through_async_reports_and_agree_with_sync(aclient, account,
                                                                             analytics_emulator):
    start = TODAY - dt.timedelta(days=120)
    analytics_emulator.control.clear_requests()
    old = pt.read_analytics(account, start, TODAY, level="campaign", columns=ADDITIVE, client=aclient)
    assert old.attrs["query"]["path"] == "async reports"
    assert len([r for r in analytics_emulator.control.requests() if r["operation_id"] == "analytics/create_report"]) == 1
    recent_start = TODAY - dt.timedelta(days=30)
    recent = pt.read_analytics(account, recent_start, TODAY, level="campaign", columns=ADDITIVE, client=aclient)
    tail = old[old["date"] >= pd.Timestamp(recent_start)].reset_index(drop=True)
    pd.testing.assert_frame_equal(tail, recent, check_dtype=True)


@pytest.mark.parametrize("outcome", ["FAILED", "EXPIRED", "CANCELLED"])
def test_a_report_that_does_not_finish_is_a_clear_error(own_emulator, outcome):
    own_emulator.control.set_report_behaviour(polls_to_finish=1, outcome=outcome)
    client = fast_client(own_emulator)
    account = pt.read_ad_accounts(client=client).id[0]
    with pytest.raises(pt.ReportFailed) as info:
        pt.read_analytics(account, TODAY - dt.timedelta(days=150), TODAY - dt.timedelta(days=100), client=client)
    assert info.value.report_status == outcome and outcome in str(info.value)


def test_keyword_level_comes_from_keyword_targeting_analytics(aclient, account):
    """No report column names a keyword, so level="keyword" reads ad group KEYWORD targeting
    analytics (more in test_keyword_performance.py)."""
    df = pt.read_analytics(account, TODAY - dt.timedelta(days=6), TODAY, level="keyword", columns=ADDITIVE,
                           client=aclient)
    assert df.attrs["query"]["path"].startswith("targeting analytics")
    assert list(df.columns[:5]) == ["ad_account_id", "currency", "ad_group_id", "keyword_id", "date"] and len(df) > 0
    assert df["keyword_id"].str.fullmatch(r"\d+").all()


def test_several_accounts_in_one_call_equal_separate_pulls(aclient):
    accounts = pt.read_ad_accounts(client=aclient).id.tolist()[:2]
    start = TODAY - dt.timedelta(days=6)
    both = pt.read_analytics(accounts, start, TODAY, columns=ADDITIVE, client=aclient)
    assert set(both["ad_account_id"]) == set(accounts)
    for acct in accounts:
        alone = pt.read_analytics(acct, start, TODAY, columns=ADDITIVE, client=aclient)
        part = both[both["ad_account_id"] == acct].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone)


def test_names_currency_units_and_attrs(aclient, account):
    df = pt.read_analytics(account, TODAY - dt.timedelta(days=2), TODAY, level="campaign",
                           columns=["SPEND_IN_MICRO_DOLLAR", "CTR"], names=True, currency_units=True, client=aclient)
    assert list(df.columns) == ["ad_account_id", "currency", "campaign_id", "campaign_name", "date", "is_final", "SPEND",
                                "CTR"]
    assert df["campaign_name"].notna().all() and (df["currency"] == aclient.currency_of(account)).all()
    assert df["SPEND"].dtype == "Float64"
    assert df.attrs["query"]["level"] == "campaign" and df.attrs["query"]["columns"] == ["SPEND_IN_MICRO_DOLLAR", "CTR"]


@pytest.mark.parametrize("windows, settling", [
    (None, 32),  # Pinterest's default windows: click and engagement 30 days (+ pintools' 2-day margin)
    ({"click_window_days": 7, "engagement_window_days": 7, "view_window_days": 1}, 9),
    ({"conversion_report_time": "TIME_OF_CONVERSION"}, 2),
])
def test_the_cache_keeps_final_days_and_rereads_days_still_inside_the_attribution_window(
        aclient, account, analytics_emulator, tmp_path, windows, settling):
    with warnings.catch_warnings():  # 5.23: engagement_window_days returns no new data (a UserWarning)
        warnings.simplefilter("ignore", UserWarning)
        attribution = None if windows is None else pt.Attribution(**windows)
    cache = ChunkCache(tmp_path)
    start = TODAY - dt.timedelta(days=60)
    first = pt.read_analytics(account, start, TODAY, columns=ADDITIVE, cache=cache, attribution=attribution,
                              client=aclient)
    last_final = TODAY - dt.timedelta(days=settling + 1)
    assert first.attrs["query"]["final_through"] == last_final.isoformat()
    assert first.attrs["calls"] == 2  # the final days, and the days still settling
    assert first["is_final"].tolist() == (first["date"] <= pd.Timestamp(last_final)).tolist()
    assert first["is_final"].any() and not first["is_final"].all()
    analytics_emulator.control.clear_requests()
    again = pt.read_analytics(account, start, TODAY, columns=ADDITIVE, cache=cache, attribution=attribution,
                              client=aclient)
    calls = _analytics_calls(analytics_emulator)  # the request log: only the settling days are read again
    assert len(calls) == 1 and calls[0]["query"]["start_date"] == [str(last_final + dt.timedelta(days=1))]
    assert calls[0]["query"]["end_date"] == [str(TODAY)]
    pd.testing.assert_frame_equal(first, again)


def test_the_windows_a_frame_was_read_with_are_recorded(aclient, account):
    df = pt.read_analytics(account, "last_7_days", columns=ADDITIVE, client=aclient,
                           attribution=pt.Attribution(click_window_days=7))
    assert df.attrs["query"]["attribution"] == {"click_window_days": 7, "engagement_window_days": 30,
                                                "view_window_days": 1, "conversion_report_time": "TIME_OF_AD_ACTION"}


def test_targeting_breakdown_is_long_and_sums_to_the_entity(aclient, account):
    start = TODAY - dt.timedelta(days=2)
    long = pt.read_targeting_analytics(account, start, TODAY, level="campaign", granularity="DAY",
                                       targeting_types=["GENDER", "AGE_BUCKET"], columns=ADDITIVE, client=aclient)
    assert list(long.columns[:6]) == ["ad_account_id", "currency", "campaign_id", "date", "targeting_type",
                                      "targeting_value"]
    assert set(long["targeting_type"]) == {"GENDER", "AGE_BUCKET"}
    totals = pt.read_analytics(account, start, TODAY, level="campaign", columns=ADDITIVE, client=aclient)
    for ttype in ("GENDER", "AGE_BUCKET"):
        part = long[long["targeting_type"] == ttype].groupby(["campaign_id", "date"])[ADDITIVE].sum().sort_index()
        whole = totals.set_index(["campaign_id", "date"])[ADDITIVE].sort_index()
        pd.testing.assert_frame_equal(part, whole.loc[part.index])
