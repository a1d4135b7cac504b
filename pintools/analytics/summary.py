"""Per-entity totals of a tidy analytics frame, with every KPI recomputed from the period's sums
(by :func:`pintools.kpis`), one row per entity and currency.

>>> import pandas as pd
>>> df = pd.DataFrame({"campaign_id": ["1", "1"], "currency": ["GBP", "GBP"],
...                    "SPEND_IN_MICRO_DOLLAR": [2_000_000, 1_000_000],
...                    "IMPRESSION_1": [1000, 500], "CLICKTHROUGH_1": [20, 10]})
>>> summarise(df, "campaign")[["campaign_id", "currency", "spend", "ctr", "cpc"]].values.tolist()
[['1', 'GBP', 3.0, 0.02, 0.1]]
"""

from __future__ import annotations

import pandas as pd

from .kpis import KPI_COLUMNS, kpis

#: What a summary reads (read_analytics these to get every summary column): see :func:`pintools.analytics.kpi_columns`.
SUMMARY_COLUMNS = list(KPI_COLUMNS)


def summarise(frame: pd.DataFrame, level: str, *, conversion: str = "checkout") -> pd.DataFrame:
    """Totals per entity over the whole period — the entity's id (and name), ``currency``, then
    ``spend, impressions, clicks, conversions, conversion_value`` and the KPIs ``ctr`` (a
    fraction), ``cpc``, ``cpm``, ``cpa``, ``roas``, ``conversion_rate``, each computed from the
    period's sums (see :func:`pintools.kpis`; CPA and ROAS count the same ``conversion``) —
    grouped by currency, largest spend first within each currency. Columns whose inputs the frame
    lacks are left out.

    >>> summarise(pt.read_analytics(acct, "2026-11-01", "2026-11-07", level="ad_group",
    ...                             columns=pt.analytics.SUMMARY_COLUMNS), "ad_group")   # doctest: +SKIP
    """
    key = [c for c in (f"{level}_id", f"{level}_name") if c in frame.columns] or ["ad_account_id"]
    out = kpis(frame, by=key, conversion=conversion)
    order = [c for c in ("currency", "spend") if c in out.columns]
    if order:
        out = out.sort_values(order, ascending=[c == "currency" for c in order], na_position="last", kind="stable")
    return out.reset_index(drop=True)
