"""Period over period: each period's KPIs from its own totals, the previous period just before."""

import datetime as dt

import pandas as pd
import pytest

import pintools as pt
from pintools.analytics.periods import compare_periods, read_period_over_period


def test_this_week_against_last_week_from_each_periods_totals(aclient, account):
    out = read_period_over_period(account, "last_7_days", level="campaign", client=aclient)
    assert out.attrs["current"] == ("2026-11-08", "2026-11-14") and out.attrs["previous"] == ("2026-11-01", "2026-11-07")
    columns = pt.analytics.kpi_columns()
    for (first, last), suffix in (((dt.date(2026, 11, 8), dt.date(2026, 11, 14)), ""),
                                  ((dt.date(2026, 11, 1), dt.date(2026, 11, 7)), "_previous")):
        period = pt.read_analytics(account, first, last, level="campaign", columns=columns, client=aclient)
        sums = period.groupby("campaign_id")[["CLICKTHROUGH_1", "IMPRESSION_1"]].sum()
        got = out.set_index("campaign_id")
        expected_ctr = (sums["CLICKTHROUGH_1"].astype("Float64") / sums["IMPRESSION_1"].astype("Float64"))
        assert (got.loc[sums.index, f"clicks{suffix}"] == sums["CLICKTHROUGH_1"]).all()
        pd.testing.assert_series_equal(got.loc[sums.index, f"ctr{suffix}"].astype("Float64").round(6),
                                       expected_ctr.round(6), check_names=False)
    row = out.iloc[0]
    assert round(float(row["spend_change_pct"]), 2) == round(100 * (row["spend"] - row["spend_previous"])
                                                             / row["spend_previous"], 2)
    assert set(out["currency"]) == {"USD"}  # money compared within one currency


def test_a_period_missing_from_the_frame_is_named():
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-11-10"]), "currency": ["USD"], "IMPRESSION_1": [1],
                          "CLICKTHROUGH_1": [0]})
    with pytest.raises(ValueError, match="no rows from 2026-11-09 to 2026-11-09"):
        compare_periods(daily, current=("2026-11-10", "2026-11-10"))
