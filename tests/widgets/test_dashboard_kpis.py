"""The dashboard's table and chart show KPIs recomputed from totals, percent CTR, money in the
account's currency."""

import pytest

import pintools as pt

NOW = "2026-11-15T12:00:00Z"


@pytest.fixture
def dclient():
    from pintools.emulator import start

    srv = start(seed=42, clock=NOW, rate_limits={"ads_analytics": None})
    yield pt.connect(emulator=srv, quiet=True, rate_limits={"ads_analytics": None, "universal": None})
    srv.stop()


def test_the_dashboard_charts_a_kpi_from_each_days_totals_and_shows_ctr_as_percent(dclient):
    dash = pt.widgets.dashboard(dclient)
    dash.account.value = dash.account.options[2][1]  # the EUR account
    dash.level.value, dash.metric.value = "campaign", "ctr"
    summary = dash.load()
    data = dash.data
    sums = data.groupby("campaign_id")[["CLICKTHROUGH_1", "IMPRESSION_1"]].sum()
    expected = (sums["CLICKTHROUGH_1"] / sums["IMPRESSION_1"]).reindex(summary["campaign_id"])
    assert summary["ctr"].tolist() == pytest.approx(expected.tolist(), rel=1e-12)
    assert set(summary["currency"]) == {"EUR"}
    assert "%" in dash.table.value and "ctr_%" not in dash.table.value
    assert dash.figure().axes[0].get_ylabel() == "CTR"
    dash.metric.value = "SPEND_IN_MICRO_DOLLAR"
    assert dash.figure().axes[0].get_ylabel() == "Spend (EUR)"
    dash.metric.value = "TOTAL_CLICKTHROUGH"  # paid + earned clicks stay a chart choice
    assert dash.figure().axes[0].get_ylabel() == "Total clickthrough"
