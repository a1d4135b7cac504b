"""The plan rules judge entities by pt.kpis of their summed totals: ctr a fraction, roas and cpa
from the same checkout conversions, each entity's currency in the evidence."""

import json

import pytest

import pintools as pt
from pintools.plans import rules

START, END = "2026-11-02", "2026-11-08"


def _sums(pclient, account):
    rows = pt.read_analytics(account, START, END, level="ad_group", columns=pt.analytics.kpi_columns(), progress=False,
                             client=pclient)
    return rows.groupby("ad_group_id")[pt.analytics.kpi_columns()].sum()


def test_performance_is_kpis_of_each_entitys_totals(pclient, account):
    perf = rules.performance(account, START, END, client=pclient)
    sums = _sums(pclient, account)
    assert set(perf.index) == set(sums.index) and (perf["currency"] == pclient.currency_of(account)).all()
    ctr = sums["CLICKTHROUGH_1"] / sums["IMPRESSION_1"]
    assert perf["ctr"].tolist() == pytest.approx(ctr.reindex(perf.index).tolist(), rel=1e-12)
    sold = sums[sums["TOTAL_CHECKOUT"] > 0].index
    spend = sums.loc[sold, "SPEND_IN_MICRO_DOLLAR"]
    assert perf.loc[sold, "roas"].tolist() == pytest.approx(
        (sums.loc[sold, "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"] / spend).tolist(), rel=1e-12)
    assert perf.loc[sold, "cpa"].tolist() == pytest.approx((spend / 1e6 / sums.loc[sold, "TOTAL_CHECKOUT"]).tolist())
    assert "ctr_pct" not in perf.columns and "spend_micro" not in perf.columns


def test_pause_low_performers_takes_ctr_as_a_fraction(pclient, account):
    perf = rules.performance(account, START, END, client=pclient)
    threshold = float(perf["ctr"].median())
    plan = rules.pause_low_performers(account, START, END, max_ctr=threshold, min_impressions=1000, client=pclient)
    judged = perf[(perf["impressions"] >= 1000) & (perf["ctr"] < threshold)]
    active = set(pt.read_ad_groups(account, statuses=["ACTIVE"], client=pclient)["id"])
    assert set(plan.changes["id"]) == set(judged.index) & active and len(plan.changes) > 0
    evidence = plan.settings["evidence"]
    assert {e["id"] for e in evidence} == set(judged.index)
    assert all(e["ctr"] < threshold and e["currency"] == pclient.currency_of(account) for e in evidence)
    assert json.loads(json.dumps(evidence)) == evidence  # plain values: a missing ratio is None, not <NA>
    with pytest.warns(DeprecationWarning, match="max_ctr"):
        old = rules.pause_low_performers(account, START, END, max_ctr_pct=threshold * 100, client=pclient)
    assert set(old.changes["id"]) == set(plan.changes["id"])
