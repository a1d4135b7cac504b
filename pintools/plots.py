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
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from .analytics.kpis import KPIS, MONEY, available, is_additive, kpi_inputs, kpi_of, kpis
from .frames.money import is_micro, micro_to_units, unit_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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


_LEFT_OUT = ("ARCHIVED", "DRAFT", "DELETED_DRAFT")  # statuses that do not spend: not charted as budgets


def daily_budget_by_campaign(campaigns: pd.DataFrame, ad_groups: pd.DataFrame) -> pd.DataFrame:
    """Each campaign's daily budget in currency units, wherever it is set.

    CBO campaigns carry the budget themselves (``daily_spend_cap_micro``); the others are the
    sum of their DAILY ad groups' ``budget_in_micro_currency`` (archived and draft ad groups left
    out: they do not spend). Returns columns ``campaign_id, name, status, objective_type, cbo,
    daily_budget_micro, daily_budget, currency``, by currency and largest first.

    >>> daily_budget_by_campaign(campaigns, ad_groups).head(3)   # doctest: +SKIP
    """
    daily_groups = ad_groups[ad_groups["budget_type"] == "DAILY"]
    if "status" in daily_groups.columns:
        daily_groups = daily_groups[~daily_groups["status"].isin(_LEFT_OUT).fillna(False)]
    group_sums = daily_groups.groupby("campaign_id")["budget_in_micro_currency"].sum(min_count=1)
    cols = ["id", "name", "status", "objective_type", "is_campaign_budget_optimization", "daily_spend_cap_micro",
            "currency"]
    out = campaigns[[c for c in cols if c in campaigns.columns]].rename(
        columns={"id": "campaign_id", "is_campaign_budget_optimization": "cbo"})
    if "currency" not in out.columns:
        raise ValueError("the campaigns frame has no currency column (pt.read_campaigns gives one)")
    if "status" not in out.columns:
        out["status"] = pd.array([None] * len(out), dtype="string")
    from_groups = out["campaign_id"].map(group_sums).astype("Int64")
    cbo = out["cbo"].fillna(False).astype(bool)
    out["daily_budget_micro"] = out["daily_spend_cap_micro"].where(cbo, from_groups).astype("Int64")
    out["daily_budget"] = micro_to_units(out["daily_budget_micro"])
    cols = ["campaign_id", "name", "status", "objective_type", "cbo", "daily_budget_micro", "daily_budget", "currency"]
    return out[cols].sort_values(["currency", "daily_budget_micro"], ascending=[True, False], na_position="last",
                                 kind="stable").reset_index(drop=True)


def budgets_by_campaign(campaigns: pd.DataFrame, ad_groups: pd.DataFrame, *, title: str | None = None) -> "Figure":
    """Horizontal bars of each campaign's daily budget (see :func:`daily_budget_by_campaign`):
    CBO campaigns in a second colour, paused ones hatched, one panel per currency, each labelled
    in its currency. Archived and draft campaigns are left out (they do not spend); the title
    says how many.

    >>> plots.budgets_by_campaign(pt.read_campaigns(acct, statuses="all"), pt.read_ad_groups(acct))  # doctest: +SKIP
    """
    from matplotlib.patches import Patch

    table = daily_budget_by_campaign(campaigns, ad_groups)
    left_out = int(table["status"].isin(_LEFT_OUT).fillna(False).sum())
    table = table[~table["status"].isin(_LEFT_OUT).fillna(False)].dropna(subset=["daily_budget_micro"])
    panels = _panels(table, True, "budgets_by_campaign")
    fig = figure(figsize=(8.5, sum(0.42 * max(len(p), 3) + 1.1 for _, p in panels)))
    axes = fig.subplots(len(panels), 1, squeeze=False,
                        gridspec_kw={"height_ratios": [max(len(p), 3) for _, p in panels]})[:, 0]
    for ax, (currency, part) in zip(axes, panels, strict=True):
        part = part.iloc[::-1]  # largest at the top
        values = part["daily_budget"].astype(float)
        paused = (part["status"] == "PAUSED").fillna(False).tolist()
        ax.barh(part["name"].astype(str), values, color=["#e60023" if c else "#767676" for c in part["cbo"].fillna(False)],
                hatch=["//" if p else "" for p in paused], edgecolor="white")
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:,.2f}", va="center", fontsize=8)
        ax.set_xlabel(f"Daily budget ({currency})")
        ax.xaxis.set_major_formatter(_formatter("money"))
        ax.margins(x=0.18)
    handles = [Patch(color="#e60023", label="campaign budget (CBO)"), Patch(color="#767676", label="sum of ad-group budgets"),
               Patch(facecolor="#bbbbbb", hatch="//", edgecolor="white", label="paused")]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    note = f"active and paused campaigns; {left_out} archived or draft left out" if left_out else \
        "active and paused campaigns"
    fig.suptitle(f"{title or 'Daily budget by campaign'}\n({note})", fontsize=11)
    return fig


def _entity_column(frame: pd.DataFrame) -> str:
    for name in ("campaign_name", "ad_group_name", "ad_name", "campaign_id", "ad_group_id", "ad_id", "keyword_id",
                 "ad_account_id"):
        if name in frame.columns:
            return name
    raise ValueError("the frame has no entity column (campaign_id, ad_group_id, ad_id, …)")


def _one_breakdown(frame: pd.DataFrame) -> None:
    if "targeting_type" in frame.columns and frame["targeting_type"].nunique() > 1:
        raise ValueError("the frame has several targeting types, each splitting the same totals again; filter "
                         "to one, e.g. df[df.targeting_type == 'GENDER']")


def _entity_label(entity: str) -> str:
    return entity.removesuffix("_name").removesuffix("_id").replace("_", " ")


class _Metric(NamedTuple):
    column: str  # the frame's column, or the KPI name
    kpi: str | None  # a KPI recomputed from totals (pt.kpis), or None for an additive column
    conversion: str
    kind: str  # "count", "money", "fraction" or "ratio"

    @property
    def money(self) -> bool:  # needs one currency per line: money, or a ratio of money (roas)
        return self.kind == "money" or self.kpi == "roas"

    def label(self, currency: str | None) -> str:
        if self.kpi:
            text = _KPI_LABELS[self.kpi]
            if self.kpi in ("cpa", "roas", "conversion_rate"):
                text += f" ({self.conversion.replace('_', ' ')})"
        else:
            text = (unit_name(self.column) or self.column).replace("_", " ").strip().capitalize()
        return f"{text} ({currency})" if self.kind == "money" and currency else text


_KPI_LABELS = {"ctr": "CTR", "cpc": "CPC", "cpm": "CPM", "cpa": "CPA", "roas": "ROAS", "conversion_rate": "Conversion rate"}


def _is_money(column: str) -> bool:
    stem = (unit_name(column) or column).upper()
    return unit_name(column) is not None or stem == "SPEND" or stem.endswith("_VALUE")


def _metric(frame: pd.DataFrame, metric: str, conversion: str) -> _Metric:
    found = kpi_of(metric)
    if found is not None:
        kpi, event = found
        event = event or conversion
        if kpi not in available(frame, event):
            needed = " / ".join(KPIS[kpi][:2])
            raise ValueError(f"{metric} is a ratio: it is recomputed from totals ({needed}), whose columns the frame "
                             f"lacks; read them with pt.read_analytics(..., columns=pt.analytics.kpi_columns({event!r}))")
        kind = "money" if kpi in MONEY else "fraction" if kpi in ("ctr", "conversion_rate") else "ratio"
        return _Metric(kpi, kpi, event, kind)
    if metric not in frame.columns:
        raise ValueError(f"no column {metric!r}; the frame has {', '.join(map(str, frame.columns))}")
    if not is_additive(metric) or not pd.api.types.is_numeric_dtype(frame[metric]):
        raise ValueError(f"{metric} is a ratio or not a number, so it cannot be added across rows or dates; plot a "
                         f"KPI recomputed from totals instead: {', '.join(KPIS)} (see pt.kpis)")
    return _Metric(metric, None, conversion, "money" if _is_money(metric) else "count")


def _panels(frame: pd.DataFrame, money: bool, what: str) -> list[tuple[str | None, pd.DataFrame]]:
    """One (currency, rows) per currency when money is charted, so no line or bar adds currencies."""
    if not money:
        return [(None, frame)]
    if "currency" not in frame.columns:
        raise ValueError(f"{what}: the frame has money but no currency column, so currencies could be mixed; read "
                         f"it with pt.read_analytics (which adds currency) or add the column")
    if frame["currency"].isna().any():
        raise ValueError(f"{what}: some rows have no currency; fill the currency column, or drop those rows")
    return [(str(c), frame[frame["currency"] == c]) for c in sorted(frame["currency"].unique())] or [(None, frame)]


def _formatter(kind: str):
    """Tick labels: percent for fractions, thousands separators for everything else (whole
    numbers for counts; money and ratios with two decimals unless every tick is whole)."""
    from matplotlib.ticker import Formatter, PercentFormatter

    if kind == "fraction":
        return PercentFormatter(xmax=1)

    class Thousands(Formatter):
        def __call__(self, x, pos=None) -> str:
            return self.format_ticks([x])[0]

        def format_ticks(self, values) -> list[str]:
            whole = kind == "count" or all(float(v).is_integer() for v in values)
            return [f"{v:,.{0 if whole else 2}f}" for v in values]

    return Thousands()


def _kpis(part: pd.DataFrame, m: _Metric, by: list[str]) -> pd.DataFrame:
    """:func:`pintools.kpis` from only the KPI's own inputs, indexed by ``by`` (a ratio of counts,
    like ctr, adds rows of every currency; one of money stays within the panel's currency)."""
    columns = by + (["currency"] if m.money else []) + kpi_inputs(part, m.kpi, m.conversion)
    return kpis(part[list(dict.fromkeys(columns))], by=by, conversion=m.conversion).set_index(by)


def _values(part: pd.DataFrame, m: _Metric, by: list[str]) -> pd.Series:
    """The metric per group of ``by``: summed (an additive column, in currency units for money)
    or recomputed from the group's totals (a KPI)."""
    if m.kpi:
        return _kpis(part, m, by)[m.kpi]
    totals = part.groupby(by, dropna=False)[m.column].sum(min_count=1)
    return micro_to_units(totals) if is_micro(m.column) else totals.astype("Float64")


def _ranking(part: pd.DataFrame, m: _Metric, entity: str) -> pd.Series:
    """Entities by volume: the additive metric's total, or the KPI's denominator (impressions
    for ctr and cpm, clicks for cpc and conversion rate, conversions for cpa, spend for roas)."""
    if m.kpi:
        return _kpis(part, m, [entity])[KPIS[m.kpi][1]]
    return _values(part, m, [entity])


def _named(frame: pd.DataFrame, entity: str) -> pd.DataFrame:
    return frame.assign(**{entity: frame[entity].astype("string").fillna("(none)")})


def metric_over_time(frame: pd.DataFrame, metric: str, *, top: int = 8, title: str | None = None,
                     conversion: str = "checkout") -> "Figure":
    """One line per entity of a tidy analytics frame (``date`` + ``metric``): the ``top``
    entities by volume, the rest as one "other" line — one panel per currency when the metric
    is money.

    ``metric`` is an additive column (``SPEND_IN_MICRO_DOLLAR``, ``TOTAL_IMPRESSION``…; summed,
    money in currency units) or a KPI (``ctr``, ``cpc``, ``cpm``, ``cpa``, ``roas``,
    ``conversion_rate``, or Pinterest's ``CTR``, ``CPM_IN_DOLLAR``…), recomputed from each day's
    totals by :func:`pintools.kpis` — for "other" too. Other ratios are refused.

    >>> plots.metric_over_time(pt.read_analytics(acct, start, end), "SPEND_IN_MICRO_DOLLAR")  # doctest: +SKIP
    """
    if "date" not in frame.columns:
        raise ValueError("metric_over_time needs a frame with a date column (granularity DAY, WEEK, MONTH or HOUR)")
    _one_breakdown(frame)
    m = _metric(frame, metric, conversion)
    entity = _entity_column(frame)
    panels = _panels(_named(frame, entity), m.money, "metric_over_time")
    fig = figure(figsize=(9.5, 3.8 * len(panels) + 0.8))
    axes = fig.subplots(len(panels), 1, squeeze=False, sharex=True)[:, 0]
    for ax, (currency, part) in zip(axes, panels, strict=True):
        keep = list(_ranking(part, m, entity).sort_values(ascending=False, na_position="last").index[:top])
        lines = _values(part[part[entity].isin(keep)], m, [entity, "date"]).unstack(entity)
        rest = part[~part[entity].isin(keep)]
        for name in keep:
            if name in lines.columns:
                ax.plot(pd.to_datetime(lines.index), lines[name].astype(float), label=name, linewidth=1.6)
        if len(rest):
            other = _values(rest, m, ["date"])
            ax.plot(pd.to_datetime(other.index), other.astype(float), label=f"other ({rest[entity].nunique()})",
                    linewidth=1.6, color="black", linestyle="--")
        ax.set_ylabel(m.label(currency))
        ax.yaxis.set_major_formatter(_formatter(m.kind))
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
        if len(panels) > 1:
            ax.set_title(currency, fontsize=10, loc="left")
    fig.suptitle(title or f"{m.label(panels[0][0] if len(panels) == 1 else None)} by {_entity_label(entity)}")
    fig.autofmt_xdate()
    return fig


def top_entities(frame: pd.DataFrame, metric: str, *, n: int = 10, title: str | None = None,
                 conversion: str = "checkout") -> "Figure":
    """Horizontal bars of the ``n`` entities with the largest ``metric`` over the frame's period —
    an additive column's total, or a KPI recomputed from the entity's totals (see
    :func:`metric_over_time`) — one panel per currency when the metric is money.

    >>> plots.top_entities(df, "TOTAL_CLICKTHROUGH", n=5)   # doctest: +SKIP
    """
    _one_breakdown(frame)
    m = _metric(frame, metric, conversion)
    entity = _entity_column(frame)
    panels = _panels(_named(frame, entity), m.money, "top_entities")
    tops = [_values(part, m, [entity]).dropna().sort_values(ascending=False).head(n).iloc[::-1] for _, part in panels]
    fig = figure(figsize=(8.5, sum(0.4 * max(len(t), 3) + 1.1 for t in tops)))
    axes = fig.subplots(len(panels), 1, squeeze=False,
                        gridspec_kw={"height_ratios": [max(len(t), 3) for t in tops]})[:, 0]
    for ax, (currency, _part), values in zip(axes, panels, tops, strict=True):
        ax.barh([str(i) for i in values.index], values.astype(float), color="#e60023")
        ax.set_xlabel(m.label(currency))
        ax.xaxis.set_major_formatter(_formatter(m.kind))
        if len(panels) > 1:
            ax.set_title(currency, fontsize=10, loc="left")
    fig.suptitle(title or f"Top {n} by {m.label(panels[0][0] if len(panels) == 1 else None)}")
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


_STATUS_COLOURS = {"processed": "#2e7d32", "failed": "#e60023", "invalid": "#f9a825", "not_sent": "#757575",
                   "duplicate": "#90a4ae", "no_consent": "#5c6bc0"}


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
        ax.barh(counts.index, counts[status], left=left, color=_STATUS_COLOURS.get(status, "#bdbdbd"), label=status)
        left = left + counts[status]
    ax.set_xlabel("events")
    ax.xaxis.set_major_formatter(_formatter("count"))
    mode = " (test mode)" if results.attrs.get("test") else ""
    ax.set_title(title or f"Conversions sent{mode}: {int((results['status'] == 'processed').sum()):,} of "
                          f"{len(results):,} processed")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1), fontsize=8)
    return fig
