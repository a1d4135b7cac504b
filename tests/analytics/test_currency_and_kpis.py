"""Money carries its currency on every analytics frame and is never added across currencies;
ratios (CTR, CPC, CPA, ROAS…) are recomputed from summed totals everywhere (pt.kpis, summarise,
the charts, the rules); pt.in_currency_units is the one money → units view."""

import datetime as dt
from decimal import Decimal

import matplotlib
import pandas as pd
import pytest

import pintools as pt
from pintools import plots

matplotlib.use("Agg")

WEEK = (dt.date(2026, 11, 2), dt.date(2026, 11, 8))
COLUMNS = pt.analytics.kpi_columns() + ["TOTAL_CONVERSIONS", "TOTAL_SIGNUP", "TOTAL_SIGNUP_VALUE_IN_MICRO_DOLLAR",
                                        "CTR"]


@pytest.fixture(scope="module")
def accounts(analytics_emulator):
    from .conftest import fast_client

    return pt.read_ad_accounts(client=fast_client(analytics_emulator))


@pytest.fixture
def three(aclient, accounts):
    """A week of ad-group days of the three demo accounts (USD, GBP, EUR), by id."""
    return pt.read_analytics(list(accounts.id), *WEEK, level="ad_group", columns=COLUMNS, progress=False,
                             client=aclient)


def _exact_units(micros) -> float:
    return float(Decimal(int(sum(int(m) for m in micros if not pd.isna(m)))) / 10**6)


def test_every_analytics_frame_carries_its_accounts_currency(aclient, accounts, three):
    assert set(accounts.currency) == {"USD", "GBP", "EUR"}
    assert list(three.columns[:3]) == ["ad_account_id", "currency", "ad_group_id"]
    assert three["currency"].dtype == "string" and three["currency"].notna().all()
    expected = dict(zip(accounts.id, accounts.currency, strict=True))
    assert (three["currency"] == three["ad_account_id"].map(expected)).all()
    long = pt.read_targeting_analytics(accounts.id[2], *WEEK, targeting_types=["GENDER"], columns=COLUMNS[:3],
                                       client=aclient, progress=False)
    assert list(long.columns[:2]) == ["ad_account_id", "currency"] and set(long["currency"]) == {"EUR"}
    units = pt.read_analytics(accounts.id[2], *WEEK, columns=["SPEND_IN_MICRO_DOLLAR", "SPEND_IN_DOLLAR", "CPM_IN_DOLLAR"],
                              currency_units=True, progress=False, client=aclient)
    assert "SPEND" in units.columns and "CPM" in units.columns  # EUR money is not named …_IN_DOLLAR
    assert not [c for c in units.columns if "DOLLAR" in c or "MICRO" in c]


def test_totals_are_kept_apart_by_currency(three):
    by_currency = pt.kpis(three)
    assert sorted(by_currency["currency"]) == ["EUR", "GBP", "USD"] and len(by_currency) == 3
    for row in by_currency.itertuples():
        part = three[three["currency"] == row.currency]
        assert row.spend == _exact_units(part["SPEND_IN_MICRO_DOLLAR"])  # exact to the micro
    summary = pt.analytics.summarise(three, "ad_group")
    assert summary["currency"].notna().all() and len(summary) == three["ad_group_id"].nunique()
    spend_by_currency = summary.groupby("currency")["spend"].sum()
    for currency, spend in spend_by_currency.items():
        assert spend == pytest.approx(_exact_units(three.loc[three["currency"] == currency, "SPEND_IN_MICRO_DOLLAR"]))
    for _currency, part in summary.groupby("currency"):  # largest spend first within each currency
        assert part["spend"].is_monotonic_decreasing
    daily = pt.kpis(three, by=["date"])
    assert "currency" in daily.columns and len(daily) == 3 * 7
    with pytest.raises(ValueError, match="no currency column"):
        pt.kpis(three.drop(columns="currency"), by=["ad_group_id"])


def _lines(ax) -> dict[str, list[float]]:
    return {line.get_label(): [float(v) for v in line.get_ydata()] for line in ax.get_lines()}


def test_a_chart_of_money_has_one_panel_per_currency_and_no_line_mixes_them(three):
    fig = plots.metric_over_time(three, "SPEND_IN_MICRO_DOLLAR", top=3)
    axes = [ax for ax in fig.axes if ax.get_lines()]
    assert [ax.get_ylabel() for ax in axes] == ["Spend (EUR)", "Spend (GBP)", "Spend (USD)"]
    for ax, currency in zip(axes, ["EUR", "GBP", "USD"], strict=True):
        part = three[three["currency"] == currency]
        daily = part.groupby(["ad_group_id", "date"])["SPEND_IN_MICRO_DOLLAR"].sum()
        lines = _lines(ax)
        named = [k for k in lines if not k.startswith("other")]
        assert set(named) <= set(part["ad_group_id"]) and len(named) == 3
        for name in named:
            assert lines[name] == pytest.approx([v / 1e6 for v in daily.loc[name].tolist()])
        other = part[~part["ad_group_id"].isin(named)].groupby("date")["SPEND_IN_MICRO_DOLLAR"].sum() / 1e6
        (other_label,) = [k for k in lines if k.startswith("other")]
        assert lines[other_label] == pytest.approx(other.tolist())
    bars = plots.top_entities(three, "SPEND_IN_MICRO_DOLLAR", n=2)
    assert [ax.get_xlabel() for ax in bars.axes] == ["Spend (EUR)", "Spend (GBP)", "Spend (USD)"]
    for chart in (plots.metric_over_time, plots.top_entities):
        with pytest.raises(ValueError, match="no currency column"):
            chart(three.drop(columns="currency"), "SPEND_IN_MICRO_DOLLAR")


def test_ctr_of_an_entity_and_a_week_is_summed_clicks_over_summed_impressions(aclient, accounts, three):
    usd = three[three["currency"] == "USD"]
    group = usd.groupby("ad_group_id")["IMPRESSION_1"].sum().idxmax()
    rows = usd[usd["ad_group_id"] == group]
    expected = rows["CLICKTHROUGH_1"].sum() / rows["IMPRESSION_1"].sum()
    assert expected != pytest.approx(rows["CTR"].sum()) and expected != pytest.approx(rows["CTR"].mean())
    from_kpis = pt.kpis(three, by="ad_group_id").set_index("ad_group_id").loc[group, "ctr"]
    from_summary = pt.analytics.summarise(three, "ad_group").set_index("ad_group_id").loc[group, "ctr"]
    fig = plots.top_entities(usd, "CTR", n=len(usd["ad_group_id"].unique()))
    (ax,) = fig.axes
    bars = {label.get_text(): patch.get_width() for label, patch in zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert from_kpis == pytest.approx(expected, rel=1e-12)
    assert from_summary == pytest.approx(expected, rel=1e-12)
    assert bars[group] == pytest.approx(expected, rel=1e-12)
    api = pt.read_analytics(accounts.id[0], *WEEK, level="ad_group", ids=[group], granularity="TOTAL",
                            columns=["CTR"], progress=False, client=aclient)
    assert api["CTR"].iloc[0] == pytest.approx(expected, rel=1e-9)  # the same definition as Pinterest's CTR


def test_the_other_line_of_a_ratio_is_recomputed_from_its_totals(three):
    usd = three[three["currency"] == "USD"]
    fig = plots.metric_over_time(usd, "CTR", top=2)
    lines = _lines(fig.axes[0])
    top = [k for k in lines if not k.startswith("other")]
    rest = usd[~usd["ad_group_id"].isin(top)].groupby("date")[["CLICKTHROUGH_1", "IMPRESSION_1"]].sum()
    (other,) = [v for k, v in lines.items() if k.startswith("other")]
    assert other == pytest.approx((rest["CLICKTHROUGH_1"] / rest["IMPRESSION_1"]).tolist(), rel=1e-12)
    assert fig.axes[0].get_ylabel() == "CTR"
    with pytest.raises(ValueError, match="ratio"):
        plots.metric_over_time(three[["ad_account_id", "currency", "ad_group_id", "date", "CTR"]], "CTR")


def test_cpa_counts_the_same_conversions_as_roas(three):
    out = pt.kpis(three, by="ad_group_id").set_index("ad_group_id")
    sums = three.groupby("ad_group_id")[["SPEND_IN_MICRO_DOLLAR", "TOTAL_CHECKOUT", "TOTAL_CONVERSIONS",
                                         "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]].sum()
    ok = sums[(sums["TOTAL_CHECKOUT"] > 0)].index
    assert len(ok) > 5
    assert (out.loc[ok, "conversions"] == sums.loc[ok, "TOTAL_CHECKOUT"]).all()
    assert (sums.loc[ok, "TOTAL_CONVERSIONS"] > sums.loc[ok, "TOTAL_CHECKOUT"]).any()  # not all event types
    spend = sums.loc[ok, "SPEND_IN_MICRO_DOLLAR"] / 1e6
    assert out.loc[ok, "cpa"].tolist() == pytest.approx((spend / sums.loc[ok, "TOTAL_CHECKOUT"]).tolist())
    value = sums.loc[ok, "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"] / 1e6
    assert out.loc[ok, "roas"].tolist() == pytest.approx((value / spend).tolist())
    # CPA × ROAS = value per conversion: only true when both count the same conversions
    per_conversion = (value / sums.loc[ok, "TOTAL_CHECKOUT"]).tolist()
    assert (out.loc[ok, "cpa"] * out.loc[ok, "roas"]).tolist() == pytest.approx(per_conversion)
    summary = pt.analytics.summarise(three, "ad_group").set_index("ad_group_id")
    assert summary.loc[ok, "cpa"].tolist() == pytest.approx(out.loc[ok, "cpa"].tolist())
    signup = pt.kpis(three, by="ad_group_id", conversion="signup").set_index("ad_group_id")
    signups = three.groupby("ad_group_id")["TOTAL_SIGNUP"].sum()
    assert (signup["conversions"] == signups.reindex(signup.index)).all()
    with pytest.raises(ValueError, match="conversion must be one of"):
        pt.kpis(three, conversion="purchase")


def test_in_currency_units_handles_every_suffix_exactly(aclient, accounts, three):
    account = accounts.id[1]  # GBP
    groups = pt.read_ad_groups(account, client=aclient)
    campaigns = pt.read_campaigns(account, statuses="all", client=aclient)
    for frame, pairs in ((groups, {"budget_in_micro_currency": "budget", "bid_in_micro_currency": "bid"}),
                         (campaigns, {"daily_spend_cap_micro": "daily_spend_cap",
                                      "lifetime_spend_cap_micro": "lifetime_spend_cap",
                                      "default_ad_group_budget_in_micro_currency": "default_ad_group_budget"})):
        view = pt.in_currency_units(frame)
        assert "currency" in view.columns and (view["currency"] == "GBP").all()
        for micro, unit in pairs.items():
            assert micro not in view.columns and view[unit].dtype == "Float64"
            assert frame[micro].notna().any()
            for m, u in zip(frame[micro], view[unit], strict=True):
                assert (pd.isna(m) and pd.isna(u)) or u == float(Decimal(int(m)) / 10**6)
    money = pd.DataFrame({"currency": pd.array(["EUR", "EUR"], dtype="string"),
                          "SPEND_IN_MICRO_DOLLAR": pd.array([123_456_789, 1], dtype="Int64"),
                          "SPEND_IN_DOLLAR": [123.456789, 0.000001], "CPM_IN_DOLLAR": [4.25, None],
                          "CPC_IN_MICRO_DOLLAR": [612_345.5, None], "TOTAL_IMPRESSION": [10, 20]})
    view = pt.in_currency_units(money)
    assert list(view.columns) == ["currency", "SPEND", "CPM", "CPC", "TOTAL_IMPRESSION"]
    assert view["SPEND"].tolist() == [123.456789, 0.000001] and view["CPM"].tolist()[0] == 4.25
    assert view["CPC"].tolist()[0] == 0.612346 and view["TOTAL_IMPRESSION"].tolist() == [10, 20]
    pd.testing.assert_frame_equal(pt.in_currency_units(view), view)  # a second pass changes nothing
    analytics = pt.in_currency_units(three)
    assert {"SPEND", "TOTAL_CHECKOUT_VALUE", "TOTAL_SIGNUP_VALUE"} <= set(analytics.columns)
    assert analytics["SPEND"].tolist() == [float(Decimal(int(m)) / 10**6) for m in three["SPEND_IN_MICRO_DOLLAR"]]
    assert pt.analytics.in_currency is pt.in_currency_units
    with pytest.raises(ValueError, match="without a currency column"):
        pt.in_currency_units(money.drop(columns="currency"))
    assert pt.in_currency_units(money.drop(columns="currency"), currency="EUR")["currency"].tolist() == ["EUR"] * 2


def test_kpis_from_unit_columns_equal_kpis_from_micros(three):
    from_micros = pt.kpis(three, by=["ad_group_id"])
    from_units = pt.kpis(pt.in_currency_units(three), by=["ad_group_id"])
    pd.testing.assert_frame_equal(from_micros, from_units, rtol=1e-12)


def test_other_conversion_events_are_counted_the_same_way_in_cpa_and_roas():
    df = pd.DataFrame({"currency": ["USD"] * 2, "SPEND_IN_MICRO_DOLLAR": [3_000_000, 1_000_000],
                       "IMPRESSION_1": [100, 100], "CLICKTHROUGH_1": [4, 6], "TOTAL_CHECKOUT": [1, 1],
                       "TOTAL_LEAD": [3, 5], "TOTAL_SIGNUP": [0, 2],
                       "TOTAL_SIGNUP_VALUE_IN_MICRO_DOLLAR": [0, 10_000_000]})
    lead = pt.kpis(df, conversion="lead").iloc[0]
    assert lead["conversions"] == 8 and lead["cpa"] == 0.5 and lead["conversion_rate"] == 0.8
    assert "roas" not in lead.index  # no lead value column: no ROAS rather than one of another event
    signup = pt.kpis(df, conversion="signup").iloc[0]
    assert signup["cpa"] == 2.0 and signup["roas"] == 2.5
    # 5.23.0's column lists: a page visit has no value column; lead value and add to cart are new
    assert pt.analytics.kpi_columns("page_visit") == ["SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "CLICKTHROUGH_1",
                                                      "TOTAL_PAGE_VISIT"]
    assert pt.analytics.kpi_columns("lead")[-1] == "TOTAL_LEAD_VALUE_IN_MICRO_DOLLAR"
    assert pt.analytics.kpi_columns("add_to_cart")[-2:] == ["TOTAL_ADD_TO_CART", "TOTAL_ADD_TO_CART_VALUE_IN_MICRO_DOLLAR"]


def test_a_long_targeting_frame_is_not_summed_across_breakdowns(aclient, accounts):
    long = pt.read_targeting_analytics(accounts.id[0], *WEEK, targeting_types=["GENDER", "AGE_BUCKET"],
                                       columns=COLUMNS[:3], granularity="DAY", client=aclient, progress=False)
    with pytest.raises(ValueError, match="several targeting types"):
        pt.kpis(long)
    with pytest.raises(ValueError, match="several targeting types"):
        plots.metric_over_time(long, "SPEND_IN_MICRO_DOLLAR")
    by_type = pt.kpis(long, by=["targeting_type"]).set_index("targeting_type")
    total = pt.kpis(pt.read_analytics(accounts.id[0], *WEEK, level="ad_account", columns=COLUMNS[:3],
                                      progress=False, client=aclient)).iloc[0]
    assert (by_type["spend"] == total["spend"]).all() and (by_type["ctr"] == total["ctr"]).all()
