"""Per-entity totals of a tidy analytics frame, with ratios computed from the sums.

>>> import pandas as pd
>>> df = pd.DataFrame({"campaign_id": ["1", "1"], "SPEND_IN_MICRO_DOLLAR": [2_000_000, 1_000_000],
...                    "TOTAL_IMPRESSION": [1000, 500], "TOTAL_CLICKTHROUGH": [20, 10]})
>>> summarise(df, "campaign")[["campaign_id", "spend", "ctr_%", "cpc"]].values.tolist()
[['1', 3.0, 2.0, 0.1]]
"""

from __future__ import annotations

import pandas as pd

#: What a summary reads when present (read_analytics these to get every summary column).
SUMMARY_COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "OUTBOUND_CLICK_1",
                   "TOTAL_CONVERSIONS", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]


def summarise(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Totals per entity over the whole period: ``spend`` (currency units), ``impressions``,
    ``clicks``, ``ctr_%``, ``cpc``, ``conversions`` and ``roas`` (checkout value / spend) — each
    ratio computed from the period's sums, never averaged — largest spend first. Columns the
    frame lacks are left out.
    """
    key = [c for c in (f"{level}_id", f"{level}_name") if c in frame.columns] or ["ad_account_id"]
    present = [c for c in SUMMARY_COLUMNS if c in frame.columns]
    totals = frame.groupby(key, dropna=False)[present].sum(min_count=1).reset_index()
    out = totals[key].copy()
    spend = totals["SPEND_IN_MICRO_DOLLAR"].astype("Float64") / 1_000_000 if "SPEND_IN_MICRO_DOLLAR" in totals else None
    if spend is not None:
        out["spend"] = spend.round(2)
    if "TOTAL_IMPRESSION" in totals:
        out["impressions"] = totals["TOTAL_IMPRESSION"]
    if "TOTAL_CLICKTHROUGH" in totals:
        out["clicks"] = totals["TOTAL_CLICKTHROUGH"]
        if "TOTAL_IMPRESSION" in totals:
            ctr = 100 * totals["TOTAL_CLICKTHROUGH"].astype("Float64") / totals["TOTAL_IMPRESSION"].astype("Float64")
            out["ctr_%"] = ctr.round(2)
        if spend is not None:
            out["cpc"] = (spend / totals["TOTAL_CLICKTHROUGH"].astype("Float64")).round(2)
    if "TOTAL_CONVERSIONS" in totals:
        out["conversions"] = totals["TOTAL_CONVERSIONS"]
    if "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR" in totals and spend is not None:
        value = totals["TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"].astype("Float64") / 1_000_000
        out["roas"] = (value / spend).round(2)
    sort = "spend" if "spend" in out else key[0]
    return out.sort_values(sort, ascending=False, na_position="last").reset_index(drop=True)
