"""Performance rules: analytics in, an edit plan out. Each reads the entities and their
metrics over a period, decides per entity, and returns an unvalidated :class:`EditPlan`
(``plan.changes`` plus ``plan.settings["evidence"]``: the per-entity figures the rule used).

>>> plan = scale_bids_by_roas("549755885175", "2026-10-16", "2026-11-15", target_roas=3.0)   # doctest: +SKIP
>>> plan = pause_low_performers("549755885175", "2026-10-16", "2026-11-15", max_ctr=0.005)  # doctest: +SKIP

A period is two dates or a preset (``"last_14_days"``, ``"last_month"``…; the default is
``"last_7_days"``; see :mod:`pintools.analytics.dates`): complete days ending yesterday, so no rule
judges on a partial day.

The figures are :func:`pintools.kpis` of the period's totals per entity (``ctr`` is a fraction:
0.005 is 0.5 %; ``roas`` and ``cpa`` count the same conversion event, checkout by default).
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING

import pandas as pd

from ..analytics.kpis import kpi_columns, kpis
from ..frames.money import micro_to_units
from . import builders
from .changes import plain
from .model import EditPlan

if TYPE_CHECKING:
    from ..client import Client

#: the analytics columns the rules read (the inputs of :func:`pintools.kpis`, checkout conversions)
PERFORMANCE_COLUMNS = kpi_columns("checkout")


def _client(client: "Client | None") -> "Client":
    from ..client import default_client

    return client or default_client()


def performance(ad_account_id: str, start_date: "dt.date | str" = "last_7_days",
                end_date: "dt.date | str | None" = None, *, level: str = "ad_group",
                conversion: str = "checkout", client: "Client | None" = None) -> pd.DataFrame:
    """Per-entity totals and KPIs over the period (one row per entity that delivered), keyed by
    ``id``: ``currency``, ``spend`` (currency units), ``impressions``, ``clicks``, ``conversions``,
    ``conversion_value``, ``ctr`` (a fraction), ``cpc``, ``cpm``, ``cpa``, ``roas`` and
    ``conversion_rate`` — :func:`pintools.kpis` of the entity's sums.

    >>> performance("549755885175", "2026-10-16", "2026-11-15")[["ctr", "roas"]]   # doctest: +SKIP
    """
    from ..analytics.read import read_analytics

    c = _client(client)
    rows = read_analytics(ad_account_id, start_date, end_date, level=level, columns=kpi_columns(conversion),
                          progress=False, client=c)
    key = f"{level}_id"
    out = kpis(rows, by=[key], conversion=conversion).rename(columns={key: "id"}).set_index("id")
    out.index = out.index.astype(str)
    return out


def _evidence(frame: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in r.items()} for r in frame.reset_index().to_dict("records")]


def scale_bids_by_roas(ad_account_id: str, start_date: "dt.date | str" = "last_7_days",
                       end_date: "dt.date | str | None" = None, *,
                       target_roas: float, up: float = 1.15, down: float = 0.85, min_spend_micro: int = 10_000_000,
                       client: "Client | None" = None) -> EditPlan:
    """Raise the bids of ad groups whose ROAS beats ``target_roas`` (× ``up``) and lower those
    below it (× ``down``); ad groups that spent less than ``min_spend_micro`` are left alone.

    >>> scale_bids_by_roas(acct, "2026-10-16", "2026-11-15", target_roas=3.0).settings["evidence"][:1]  # doctest: +SKIP
    """
    from ..entities import read_ad_groups

    c = _client(client)
    groups = read_ad_groups(ad_account_id, statuses=["ACTIVE"], client=c)
    groups = groups[groups["bid_in_micro_currency"].notna()]
    perf = performance(ad_account_id, start_date, end_date, level="ad_group", client=c)
    judged = perf[(perf["spend"] >= micro_to_units(int(min_spend_micro))).fillna(False) & perf["roas"].notna()]
    factors = {i: (up if r >= target_roas else down) for i, r in judged["roas"].items()}
    plan = builders.set_bids(groups[groups["id"].isin(factors)], factor=factors)
    plan.settings["evidence"] = _evidence(judged)
    plan.settings["rule"] = f"scale_bids_by_roas(target_roas={target_roas}, up={up}, down={down})"
    return plan


def pause_low_performers(ad_account_id: str, start_date: "dt.date | str" = "last_7_days",
                         end_date: "dt.date | str | None" = None, *,
                         max_ctr: float | None = None, min_impressions: int = 1000, level: str = "ad_group",
                         client: "Client | None" = None, max_ctr_pct: float | None = None) -> EditPlan:
    """Pause active entities (ad groups or ads) whose CTR over the period (paid clicks / paid
    impressions, a fraction) is below ``max_ctr`` after at least ``min_impressions`` paid
    impressions. ``max_ctr_pct`` (the same threshold in percent) is the old spelling.

    >>> pause_low_performers(acct, "2026-10-16", "2026-11-15", max_ctr=0.005)   # doctest: +SKIP
    """
    from ..entities import read_ad_groups, read_ads

    if max_ctr_pct is not None:
        warnings.warn("max_ctr_pct is deprecated: give max_ctr as a fraction (0.006 for 0.6 %)", DeprecationWarning,
                      stacklevel=2)
        max_ctr = max_ctr_pct / 100 if max_ctr is None else max_ctr
    if max_ctr is None:
        raise TypeError("pause_low_performers needs max_ctr (a fraction: 0.005 is 0.5 %)")
    c = _client(client)
    reader = {"ad_group": read_ad_groups, "ad": read_ads}[level]
    entities = reader(ad_account_id, statuses=["ACTIVE"], client=c)
    perf = performance(ad_account_id, start_date, end_date, level=level, client=c)
    low = perf[((perf["impressions"] >= min_impressions) & (perf["ctr"] < max_ctr)).fillna(False)]
    plan = builders.pause(entities[entities["id"].isin(low.index)])
    plan.settings["evidence"] = _evidence(low)
    plan.settings["rule"] = f"pause_low_performers(max_ctr={max_ctr}, min_impressions={min_impressions})"
    return plan


def reallocate_by_roas(ad_account_id: str, start_date: "dt.date | str" = "last_7_days",
                       end_date: "dt.date | str | None" = None, *,
                       campaign_id: str, floor_micro: int = 0, cap_micro: int | None = None,
                       client: "Client | None" = None) -> EditPlan:
    """Redistribute the daily budgets of one non-CBO campaign's active ad groups in proportion to
    their ROAS, keeping the total to the micro, with floors and caps.

    >>> reallocate_by_roas(acct, "2026-10-16", "2026-11-15", campaign_id="626735045190")   # doctest: +SKIP
    """
    from ..entities import read_ad_groups

    c = _client(client)
    groups = read_ad_groups(ad_account_id, campaign_ids=[campaign_id], statuses=["ACTIVE"], client=c)
    groups = groups[groups["budget_in_micro_currency"].notna() & (groups["budget_type"] == "DAILY")]
    if groups.empty:
        raise ValueError(f"campaign {campaign_id} has no active ad groups with daily budgets (a CBO campaign "
                         f"budgets at the campaign level)")
    perf = performance(ad_account_id, start_date, end_date, level="ad_group", client=c)
    roas = perf["roas"].reindex(groups["id"].astype(str)).fillna(0)
    plan = builders.reallocate_budget(groups, roas, floor_micro=floor_micro, cap_micro=cap_micro)
    plan.settings["evidence"] = _evidence(perf.reindex(groups["id"].astype(str)))
    plan.settings["rule"] = f"reallocate_by_roas(campaign_id={campaign_id})"
    return plan
