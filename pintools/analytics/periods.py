"""Period over period: this 7 days against the 7 before, KPIs recomputed from each period's totals.

>>> import pandas as pd
>>> daily = pd.DataFrame({"campaign_id": ["1"] * 4, "currency": ["USD"] * 4,
...                       "date": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]),
...                       "IMPRESSION_1": [100, 100, 200, 200], "CLICKTHROUGH_1": [1, 1, 4, 4]})
>>> out = compare_periods(daily, current=("2026-11-03", "2026-11-04"), by="campaign_id")
>>> out[["campaign_id", "clicks", "clicks_previous", "clicks_change_pct", "ctr", "ctr_previous"]].values.tolist()
[['1', 8, 2, 300.0, 0.02, 0.01]]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from .dates import previous_period, resolve_range
from .kpis import KPIS, TOTALS, kpi_columns, kpis
from .windows import as_date

if TYPE_CHECKING:
    from ..client import Client


def compare_periods(frame: pd.DataFrame, *, current: tuple[Any, Any], previous: tuple[Any, Any] | None = None,
                    by: "str | Sequence[str] | None" = None, conversion: str = "checkout") -> pd.DataFrame:
    """Totals and KPIs of ``current`` (a ``(start, end)`` pair of dates) next to those of ``previous``
    (default: the same number of days just before) for each group of a daily analytics frame.

    For every total and KPI ``x`` (see :func:`pintools.kpis`): ``x``, ``x_previous`` and
    ``x_change_pct`` (percent change; NA when the previous value is 0 or missing). Each period's
    KPIs come from that period's summed totals; money stays per currency.
    """
    if "date" not in frame.columns:
        raise ValueError("compare_periods needs a frame with a 'date' column (granularity='DAY')")
    start, end = as_date(current[0], "current start"), as_date(current[1], "current end")
    before = previous_period(start, end) if previous is None else \
        (as_date(previous[0], "previous start"), as_date(previous[1], "previous end"))
    days = pd.to_datetime(frame["date"])
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    parts = []
    for first, last in ((start, end), before):
        rows = frame[(days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))]
        if rows.empty:
            raise ValueError(f"the frame has no rows from {first} to {last}; read both periods "
                             f"(e.g. pt.analytics.read_period_over_period)")
        parts.append(kpis(rows, by=by, conversion=conversion))
    now, then = parts
    keys = [c for c in now.columns if c in then.columns and c not in _measures(now)]
    merged = now.merge(then, on=keys, how="outer", suffixes=("", "_previous"), sort=True) if keys else \
        now.join(then.add_suffix("_previous"))
    out = merged[keys].copy()
    for measure in _measures(now):
        current_values, previous_values = merged[measure], merged[f"{measure}_previous"]
        out[measure], out[f"{measure}_previous"] = current_values, previous_values
        base = previous_values.astype("Float64")
        change = 100 * (current_values.astype("Float64") - base) / base.where(base != 0)
        out[f"{measure}_change_pct"] = change.round(2)
    out.attrs["current"] = (start.isoformat(), end.isoformat())
    out.attrs["previous"] = (before[0].isoformat(), before[1].isoformat())
    out.attrs["conversion"] = now.attrs.get("conversion")
    return out


def _measures(table: pd.DataFrame) -> list[str]:
    return [c for c in (*TOTALS, *KPIS) if c in table.columns]


def read_period_over_period(ad_account_id: "str | Sequence[str]", period: "str | dt.date" = "last_7_days",
                            end_date: "str | dt.date | None" = None, *, level: str = "campaign",
                            conversion: str = "checkout", include_today: bool = False,
                            client: "Client | None" = None, **read_options: Any) -> pd.DataFrame:
    """Read a period and the one before it (one ``read_analytics`` call over both) and compare them
    per entity of ``level`` (see :func:`compare_periods`).

    >>> pt.analytics.read_period_over_period(acct, "last_7_days", level="campaign")   # doctest: +SKIP
    """
    from ..client import default_client
    from .read import read_analytics

    c = client or default_client()
    start, end = resolve_range(period, end_date, today=c.today(), include_today=include_today)
    before = previous_period(start, end)
    frame = read_analytics(ad_account_id, before[0], end, level=level, columns=kpi_columns(conversion),
                           client=c, **read_options)
    entity = {"ad_account": [], "campaign": ["campaign_id"], "ad_group": ["ad_group_id"], "ad": ["ad_id"],
              "keyword": ["keyword_id"]}.get(level, [])
    by = ["ad_account_id", *entity, *[name for name in frame.columns if name == f"{level}_name"]]
    return compare_periods(frame, current=(start, end), previous=before, by=by, conversion=conversion)
