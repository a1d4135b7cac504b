"""Matplotlib charts that take pintools DataFrames and return a Figure (no global state, no
``plt.show()``), so notebooks display them and scripts save them.

>>> import pintools as pt
>>> from pintools import plots
>>> fig = plots.budgets_by_campaign(pt.read_campaigns(acct), pt.read_ad_groups(acct))  # doctest: +SKIP
>>> fig.savefig("budgets.png")                                                        # doctest: +SKIP
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MICRO = 1_000_000


@functools.cache
def _figure_class() -> type:
    from matplotlib.figure import Figure

    class ChartFigure(Figure):
        """A Figure with a PNG repr, so notebooks show it without pyplot."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            return buffer.getvalue()

    return ChartFigure


def figure(**kwargs) -> "Figure":
    """A new matplotlib Figure that shows itself as a PNG in notebooks — without pyplot's global
    state, so nothing is drawn twice and scripts never open windows.

    >>> fig = figure(figsize=(4, 3)); _ = fig.subplots()
    >>> fig._repr_png_()[:4]
    b'\\x89PNG'
    """
    kwargs.setdefault("layout", "constrained")
    return _figure_class()(**kwargs)


def daily_budget_by_campaign(campaigns: pd.DataFrame, ad_groups: pd.DataFrame) -> pd.DataFrame:
    """Each campaign's daily budget in currency units, wherever it is set.

    CBO campaigns carry the budget themselves (``daily_spend_cap_micro``); the others are the
    sum of their DAILY ad groups' ``budget_in_micro_currency``. Returns columns
    ``campaign_id, name, objective_type, cbo, daily_budget_micro, daily_budget, currency``,
    largest first.

    >>> daily_budget_by_campaign(campaigns, ad_groups).head(3)   # doctest: +SKIP
    """
    daily_groups = ad_groups[ad_groups["budget_type"] == "DAILY"]
    group_sums = daily_groups.groupby("campaign_id")["budget_in_micro_currency"].sum(min_count=1)
    out = campaigns[["id", "name", "objective_type", "is_campaign_budget_optimization", "daily_spend_cap_micro",
                     "currency"]].rename(columns={"id": "campaign_id", "is_campaign_budget_optimization": "cbo"})
    from_groups = out["campaign_id"].map(group_sums).astype("Int64")
    cbo = out["cbo"].fillna(False).astype(bool)
    out["daily_budget_micro"] = out["daily_spend_cap_micro"].where(cbo, from_groups).astype("Int64")
    out["daily_budget"] = (out["daily_budget_micro"].astype("Float64") / MICRO).round(2)
    out = out.drop(columns="daily_spend_cap_micro")
    cols = ["campaign_id", "name", "objective_type", "cbo", "daily_budget_micro", "daily_budget", "currency"]
    return out[cols].sort_values("daily_budget_micro", ascending=False, na_position="last").reset_index(drop=True)


def budgets_by_campaign(campaigns: pd.DataFrame, ad_groups: pd.DataFrame, *, title: str | None = None) -> "Figure":
    """Horizontal bars of each campaign's daily budget (see :func:`daily_budget_by_campaign`),
    CBO campaigns in a second colour, labelled in the account's currency.
    """
    from matplotlib.patches import Patch

    table = daily_budget_by_campaign(campaigns, ad_groups).dropna(subset=["daily_budget_micro"])
    table = table.iloc[::-1]  # largest at the top
    currency = ", ".join(sorted(set(table["currency"].dropna()))) or "currency units"
    fig = figure(figsize=(8, 0.45 * max(len(table), 3) + 1.2))
    ax = fig.subplots()
    colours = ["#e60023" if cbo else "#767676" for cbo in table["cbo"].fillna(False)]
    values = table["daily_budget"].astype(float)
    ax.barh(table["name"].astype(str), values, color=colours)
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:,.2f}", va="center", fontsize=8)
    ax.set_xlabel(f"daily budget ({currency})")
    ax.set_title(title or "Daily budget by campaign")
    ax.legend(handles=[Patch(color="#e60023", label="campaign budget (CBO)"),
                       Patch(color="#767676", label="sum of ad-group budgets")],
              loc="lower right", fontsize=8, frameon=False)
    ax.margins(x=0.15)
    return fig


def _entity_column(frame: pd.DataFrame) -> str:
    for name in ("campaign_name", "ad_group_name", "ad_name", "campaign_id", "ad_group_id", "ad_id", "keyword_id",
                 "ad_account_id"):
        if name in frame.columns:
            return name
    raise ValueError("the frame has no entity column (campaign_id, ad_group_id, ad_id, …)")


def metric_over_time(frame: pd.DataFrame, metric: str, *, top: int = 8, title: str | None = None) -> "Figure":
    """One line per entity of a tidy analytics frame (``date`` + ``metric``): the ``top``
    entities by total, the rest summed as "other".

    >>> plots.metric_over_time(pt.read_analytics(acct, start, end), "SPEND_IN_MICRO_DOLLAR")  # doctest: +SKIP
    """

    if "date" not in frame.columns:
        raise ValueError("metric_over_time needs a frame with a date column (granularity DAY, WEEK, MONTH or HOUR)")
    if metric not in frame.columns:
        raise ValueError(f"no column {metric!r}; the frame has {', '.join(map(str, frame.columns))}")
    entity = _entity_column(frame)
    values = frame[metric].astype("Float64")
    if metric.endswith("_IN_MICRO_DOLLAR"):
        values = values / MICRO
    data = pd.DataFrame({"entity": frame[entity].astype(str), "date": pd.to_datetime(frame["date"]), "v": values})
    totals = data.groupby("entity")["v"].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    data["entity"] = data["entity"].where(data["entity"].isin(keep), "other")
    table = data.pivot_table(index="date", columns="entity", values="v", aggfunc="sum").sort_index()
    order = [e for e in keep if e in table.columns] + (["other"] if "other" in table.columns else [])
    fig = figure(figsize=(9, 4.5))
    ax = fig.subplots()
    for name in order:
        ax.plot(table.index, table[name].astype(float), label=name, linewidth=1.6)
    label = metric.replace("_IN_MICRO_DOLLAR", " (currency units)").replace("_", " ").lower()
    ax.set_ylabel(label)
    ax.set_title(title or f"{label} by {entity.replace('_', ' ')}")
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    fig.autofmt_xdate()
    return fig


def top_entities(frame: pd.DataFrame, metric: str, *, n: int = 10, title: str | None = None) -> "Figure":
    """Horizontal bars of the ``n`` entities with the largest total ``metric``.

    >>> plots.top_entities(df, "TOTAL_CLICKTHROUGH", n=5)   # doctest: +SKIP
    """

    if metric not in frame.columns:
        raise ValueError(f"no column {metric!r}")
    entity = _entity_column(frame)
    totals = frame.groupby(entity)[metric].sum().astype("Float64")
    if metric.endswith("_IN_MICRO_DOLLAR"):
        totals = totals / MICRO
    totals = totals.sort_values(ascending=False).head(n).iloc[::-1]
    fig = figure(figsize=(8, 0.4 * max(len(totals), 3) + 1.2))
    ax = fig.subplots()
    ax.barh([str(i) for i in totals.index], totals.astype(float), color="#e60023")
    label = metric.replace("_IN_MICRO_DOLLAR", " (currency units)").replace("_", " ").lower()
    ax.set_xlabel(label)
    ax.set_title(title or f"Top {len(totals)} by {label}")
    return fig


def trending_keywords(time_series: pd.DataFrame, *, keywords: "list[str] | None" = None, top: int = 8,
                      title: str | None = None) -> "Figure":
    """Weekly interest curves (0..100) of trending keywords, from
    :func:`pintools.read_trending_keywords`'s ``time_series`` frame.

    >>> plots.trending_keywords(pt.read_trending_keywords("US").time_series)   # doctest: +SKIP
    """

    chosen = keywords or list(dict.fromkeys(time_series["keyword"]))[:top]
    fig = figure(figsize=(9, 4.5))
    ax = fig.subplots()
    for kw in chosen:
        part = time_series[time_series["keyword"] == kw].sort_values("week_ending")
        ax.plot(pd.to_datetime(part["week_ending"]), part["value"].astype(float), label=str(kw), linewidth=1.6)
    ax.set_ylabel("relative search interest (peak = 100)")
    ax.set_title(title or "Trending keywords")
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    fig.autofmt_xdate()
    return fig


_STATUS_COLOURS = {"processed": "#2e7d32", "failed": "#e60023", "invalid": "#f9a825", "not_sent": "#757575"}


def conversion_results(results: pd.DataFrame, *, title: str | None = None) -> "Figure":
    """Stacked bars of events per ``event_name`` by result status, from
    :func:`pintools.send_conversions`'s result frame.

    >>> plots.conversion_results(pt.send_conversions(orders, acct, test=True))   # doctest: +SKIP
    """
    from .conversions.send import STATUSES

    if not {"event_name", "status"} <= set(results.columns):
        raise ValueError("expected send_conversions results (columns event_name and status)")
    counts = (pd.crosstab(results["event_name"].astype("string").fillna("(none)"), results["status"].astype(str))
              .reindex(columns=list(STATUSES), fill_value=0))
    counts = counts.loc[:, counts.sum() > 0]
    fig = figure(figsize=(8, 0.5 * max(len(counts), 2) + 1.4))
    ax = fig.subplots()
    left = pd.Series(0, index=counts.index)
    for status in counts.columns:
        ax.barh(counts.index, counts[status], left=left, color=_STATUS_COLOURS[status], label=status)
        left = left + counts[status]
    ax.set_xlabel("events")
    mode = " (test mode)" if results.attrs.get("test") else ""
    ax.set_title(title or f"Conversions sent{mode}: {int((results['status'] == 'processed').sum()):,} of "
                          f"{len(results):,} processed")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1), fontsize=8)
    return fig
