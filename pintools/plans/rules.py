"""Performance rules: analytics in, an edit plan out. Each reads the entities and their
metrics over a period, decides per entity, and returns an unvalidated :class:`EditPlan`
(``plan.changes`` plus ``plan.settings["evidence"]``: the per-entity figures the rule used).

>>> plan = scale_bids_by_roas("549755885175", "2026-10-16", "2026-11-15", target_roas=3.0)   # doctest: +SKIP
>>> plan = pause_low_performers("549755885175", "2026-10-16", "2026-11-15", max_ctr_pct=0.5)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from . import builders
from .model import EditPlan

if TYPE_CHECKING:
    from ..client import Client

PERFORMANCE_COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH",
                       "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]


def _client(client: "Client | None") -> "Client":
    from ..client import default_client

    return client or default_client()


def performance(ad_account_id: str, start_date: "dt.date | str", end_date: "dt.date | str", *, level: str = "ad_group",
                client: "Client | None" = None) -> pd.DataFrame:
    """Per-entity totals with ``ctr_pct`` and ``roas`` computed from the sums (one row per entity
    that delivered), keyed by ``id``."""
    from ..analytics.read import read_analytics

    c = _client(client)
    rows = read_analytics(ad_account_id, start_date, end_date, level=level, columns=PERFORMANCE_COLUMNS,
                          progress=False, client=c)
    key = f"{level}_id"
    totals = rows.groupby(key)[PERFORMANCE_COLUMNS].sum(min_count=1)
    spend = totals["SPEND_IN_MICRO_DOLLAR"].astype("Float64")
    out = pd.DataFrame({
        "spend_micro": totals["SPEND_IN_MICRO_DOLLAR"],
        "impressions": totals["TOTAL_IMPRESSION"],
        "clicks": totals["TOTAL_CLICKTHROUGH"],
        "ctr_pct": (100 * totals["TOTAL_CLICKTHROUGH"].astype("Float64") / totals["TOTAL_IMPRESSION"].astype("Float64"))
        .round(3),
        "roas": (totals["TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"].astype("Float64") / spend).round(3),
    })
    out.index = out.index.astype(str)
    out.index.name = "id"
    return out


def scale_bids_by_roas(ad_account_id: str, start_date: "dt.date | str", end_date: "dt.date | str", *,
                       target_roas: float, up: float = 1.15, down: float = 0.85, min_spend_micro: int = 10_000_000,
                       client: "Client | None" = None) -> EditPlan:
    """Raise the bids of ad groups whose ROAS beats ``target_roas`` (× ``up``) and lower those
    below it (× ``down``); ad groups that spent less than ``min_spend_micro`` are left alone."""
    from ..entities import read_ad_groups

    c = _client(client)
    groups = read_ad_groups(ad_account_id, statuses=["ACTIVE"], client=c)
    groups = groups[groups["bid_in_micro_currency"].notna()]
    perf = performance(ad_account_id, start_date, end_date, level="ad_group", client=c)
    judged = perf[(perf["spend_micro"] >= min_spend_micro) & perf["roas"].notna()]
    factors = {i: (up if r >= target_roas else down) for i, r in judged["roas"].items()}
    plan = builders.set_bids(groups[groups["id"].isin(factors)], factor=factors)
    plan.settings["evidence"] = judged.reset_index().to_dict("records")
    plan.settings["rule"] = f"scale_bids_by_roas(target_roas={target_roas}, up={up}, down={down})"
    return plan


def pause_low_performers(ad_account_id: str, start_date: "dt.date | str", end_date: "dt.date | str", *,
                         max_ctr_pct: float, min_impressions: int = 1000, level: str = "ad_group",
                         client: "Client | None" = None) -> EditPlan:
    """Pause active entities (ad groups or ads) whose CTR over the period is below
    ``max_ctr_pct`` after at least ``min_impressions`` impressions."""
    from ..entities import read_ad_groups, read_ads

    c = _client(client)
    reader = {"ad_group": read_ad_groups, "ad": read_ads}[level]
    entities = reader(ad_account_id, statuses=["ACTIVE"], client=c)
    perf = performance(ad_account_id, start_date, end_date, level=level, client=c)
    low = perf[(perf["impressions"] >= min_impressions) & (perf["ctr_pct"] < max_ctr_pct)]
    plan = builders.pause(entities[entities["id"].isin(low.index)])
    plan.settings["evidence"] = low.reset_index().to_dict("records")
    plan.settings["rule"] = f"pause_low_performers(max_ctr_pct={max_ctr_pct}, min_impressions={min_impressions})"
    return plan


def reallocate_by_roas(ad_account_id: str, start_date: "dt.date | str", end_date: "dt.date | str", *,
                       campaign_id: str, floor_micro: int = 0, cap_micro: int | None = None,
                       client: "Client | None" = None) -> EditPlan:
    """Redistribute the daily budgets of one non-CBO campaign's active ad groups in proportion to
    their ROAS, keeping the total to the micro, with floors and caps."""
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
    plan.settings["evidence"] = perf.reindex(groups["id"].astype(str)).reset_index().to_dict("records")
    plan.settings["rule"] = f"reallocate_by_roas(campaign_id={campaign_id})"
    return plan
