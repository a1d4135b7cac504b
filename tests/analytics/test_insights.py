"""Keyword metrics, trending keywords, audience insights, targeting options, bid floors."""

import datetime as dt

import pandas as pd
import pytest

import pintools as pt


def _calls(server, op):
    return [r for r in server.control.requests() if r["operation_id"] == op]


def test_keyword_metrics_for_any_number_of_keywords_in_2000_keyword_calls(aclient, account, analytics_emulator):
    keywords = [f"sofa idea {i}" for i in range(4500)] + ["sofa idea 3"]  # a duplicate
    analytics_emulator.control.clear_requests()
    df = pt.read_keyword_metrics(account, keywords, country_code="us", client=aclient)
    assert len(_calls(analytics_emulator, "country_keywords_metrics/get")) == 3
    assert len(df) == 4500 and df["keyword"].is_unique
    assert df["keyword_query_volume"].cat.ordered
    assert df["volume_lower_bound"].notna().all()
    assert list(df.columns) == ["keyword", "country_code", "keyword_query_volume", "volume_lower_bound"]  # 5.23: no CPC
    assert (df["country_code"] == "US").all()
    # buckets order like their lower bounds
    cats = list(df["keyword_query_volume"].cat.categories)
    from pintools.insights import volume_lower_bound

    assert cats == sorted(cats, key=volume_lower_bound)


def test_keyword_metrics_are_stable_per_keyword(aclient, account):
    a = pt.read_keyword_metrics(account, ["velvet sofa", "boucle chair"], client=aclient)
    b = pt.read_keyword_metrics(account, ["boucle chair", "velvet sofa"], client=aclient)
    pd.testing.assert_frame_equal(a.set_index("keyword").sort_index(), b.set_index("keyword").sort_index())


def test_keywords_with_commas_are_refused_by_name_before_any_request(aclient, account, analytics_emulator):
    analytics_emulator.control.clear_requests()
    with pytest.raises(ValueError, match="'sofas, chairs'"):
        pt.read_keyword_metrics(account, ["rug", "sofas, chairs"], client=aclient)
    assert analytics_emulator.control.requests() == []


def test_trending_keywords_in_a_plus_region_with_caps_made_explicit(aclient, analytics_emulator):
    analytics_emulator.control.clear_requests()
    trends = pt.read_trending_keywords("GB+IE", "growing", interests=["home_decor"], limit=20, client=aclient)
    call = _calls(analytics_emulator, "trending_keywords/list")[0]
    assert call["status"] == 200 and "GB+IE" in call["path"].replace("%2B", "+")
    kw, series = trends
    assert 0 < len(kw) <= 20 and list(kw["rank"]) == list(range(1, len(kw) + 1))
    for g in ("pct_growth_wow", "pct_growth_mom", "pct_growth_yoy"):
        assert (kw[f"{g}_over_cap"] == (kw[g] > 10000)).all()
    assert set(series["keyword"]) == set(kw["keyword"])
    assert series["value"].between(0, 100).all()
    assert all(isinstance(d, dt.date) for d in series["week_ending"])
    peaks = series.groupby("keyword")["value"].max()
    assert (peaks == 100).all()  # each keyword's own peak is 100 unless normalised against the group


def test_an_unknown_region_is_refused_locally(aclient):
    with pytest.raises(ValueError, match="region must be one of"):
        pt.read_trending_keywords("GB", "growing", client=aclient)


def test_audience_insights_long_frame(aclient, account):
    df = pt.read_audience_insights(account, "YOUR_ENGAGED_AUDIENCE", client=aclient)
    assert {"category", "subcategory", "age", "gender"} <= set(df["dimension"])
    subs = df[df["dimension"] == "subcategory"]
    assert subs["parent_key"].notna().all() and set(subs["parent_key"]) <= set(df.loc[df["dimension"] == "category", "key"])
    ages = df[df["dimension"] == "age"]["ratio"]
    assert ages.sum() == pytest.approx(1.0, abs=0.02)
    assert df.attrs["size"] > 0
    defs = pt.read_audience_definitions(account, client=aclient)
    assert len(defs) > 0 and set(defs.columns) == {"type", "scope", "date"}


def test_targeting_options_and_bid_floors(aclient, account):
    locations = pt.read_targeting_options("LOCATION", client=aclient)
    assert "US" in set(locations["id"])
    floors = pt.read_bid_floors(account, [
        {"billable_event": "CLICKTHROUGH", "currency": "USD", "countries": ["US"], "objective_type": "CONSIDERATION"},
        {"billable_event": "IMPRESSION", "currency": "USD", "countries": ["US"], "objective_type": "AWARENESS"},
    ], client=aclient)
    assert floors["bid_floor_in_micro_currency"].dtype == "Int64"
    assert (floors["bid_floor_in_micro_currency"] > 0).all()
    with pytest.raises(ValueError, match="billable_event"):
        pt.read_bid_floors(account, [{"currency": "USD"}], client=aclient)
