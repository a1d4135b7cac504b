"""Sync analytics, targeting analytics and ``metrics_ready_state`` (digest §8, §9, §10).

Query parsing only; the rules live in :mod:`pintools.emulator.models.analytics_query` and the
numbers in :mod:`pintools.emulator.models.analytics`. Array parameters (``columns``, id lists,
``targeting_types``, ``attribution_types``) accept comma-joined and repeated forms.

Example (over HTTP):
    GET /v5/ad_accounts/{id}/campaigns/analytics?campaign_ids=626735565838&start_date=2024-05-01
        &end_date=2024-05-31&columns=SPEND_IN_DOLLAR,TOTAL_CLICKTHROUGH&granularity=DAY
    → 200 [{"DATE": "2024-05-01", "CAMPAIGN_ID": "626735565838", "SPEND_IN_DOLLAR": 30.5, "TOTAL_CLICKTHROUGH": 216}, …]
"""

from __future__ import annotations

from datetime import date

from flask import request

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models import analytics_query as aq
from pintools.emulator.models import hour_conversions as hc
from pintools.emulator.models.columns import SYNC_SET
from pintools.emulator.models.metrics import day_ordinal
from pintools.emulator.models.metrics_ready import metrics_ready_state
from pintools.emulator.routes import params

MAX_TARGETING_TYPES = 15


def today(state) -> date:
    """The emulator clock's UTC date."""
    return date.fromordinal(day_ordinal(state.clock.now()))


def _query(state, args, targeting: bool = False) -> aq.Query:
    granularity = aq.check_granularity(args.get("granularity"))
    start = aq.parse_date(args.get("start_date"), "start_date")
    end = aq.parse_date(args.get("end_date"), "end_date")
    limits = aq.SYNC._replace(max_days=state.analytics.behaviour["sync_max_days"])
    aq.check_range(start, end, granularity, today(state), limits)
    columns = aq.check_columns(params.array(args, "columns"), SYNC_SET)
    attribution = params.enum_list(args, "attribution_types", enums.ATTRIBUTION_TYPES) if targeting else None
    settings = aq.settings(args.get("click_window_days"), args.get("engagement_window_days"),
                           args.get("view_window_days"), args.get("conversion_report_time"), attribution)
    hc.check_reporting_timezone(args.get("reporting_timezone"))
    return aq.Query(start, end, granularity, columns, settings)


def _ids(args, name: str | None) -> list[str] | None:
    if name is None:
        return None
    ids = params.id_list(args, name)
    if not ids:
        raise QueryError(f"{name} is required.")
    return ids


def _targeting_types(args) -> list[str]:
    types = params.enum_list(args, "targeting_types", enums.ANALYTICS_TARGETING_TYPES, max_items=MAX_TARGETING_TYPES)
    if not types:
        raise QueryError("targeting_types is required.")
    return list(dict.fromkeys(types))


def _sync(state, ad_account_id: str, level: str, id_param: str | None) -> list:
    account_id = params.path_id(ad_account_id, "ad_account_id")
    ids = _ids(request.args, id_param)
    query = _query(state, request.args)
    state.accounts.require(account_id)
    rows = state.analytics.sync(account_id, level, ids, query, state.clock.now())
    if query.granularity != "HOUR":
        return rows
    return hc.strip_hour_conversions(rows, state.analytics.behaviour["hour_conversions"])


def _targeting(state, ad_account_id: str, level: str, id_param: str | None) -> dict:
    account_id = params.path_id(ad_account_id, "ad_account_id")
    ids = _ids(request.args, id_param)
    types = _targeting_types(request.args)
    query = _query(state, request.args, targeting=True)
    state.accounts.require(account_id)
    items = state.analytics.targeting(account_id, level, ids, query, types, state.clock.now())
    if query.granularity == "HOUR":
        items = hc.strip_hour_conversions(items, state.analytics.behaviour["hour_conversions"])
    return {"data": items}


def account_analytics(state, ad_account_id: str) -> list:
    """Rows of the whole ad account (``AD_ACCOUNT_ID``)."""
    return _sync(state, ad_account_id, "ACCOUNT", None)


def campaign_analytics(state, ad_account_id: str) -> list:
    """Rows per campaign of ``campaign_ids`` (1..250 in 5.23.0)."""
    return _sync(state, ad_account_id, "CAMPAIGN", "campaign_ids")


def ad_group_analytics(state, ad_account_id: str) -> list:
    """Rows per ad group of ``ad_group_ids`` (1..250 in 5.23.0)."""
    return _sync(state, ad_account_id, "AD_GROUP", "ad_group_ids")


def ad_analytics(state, ad_account_id: str) -> list:
    """Rows per ad of ``ad_ids`` (1..250 in 5.23.0)."""
    return _sync(state, ad_account_id, "AD", "ad_ids")


def account_targeting_analytics(state, ad_account_id: str) -> dict:
    """Targeting breakdowns of the ad account."""
    return _targeting(state, ad_account_id, "ACCOUNT", None)


def campaign_targeting_analytics(state, ad_account_id: str) -> dict:
    """Targeting breakdowns per campaign."""
    return _targeting(state, ad_account_id, "CAMPAIGN", "campaign_ids")


def ad_group_targeting_analytics(state, ad_account_id: str) -> dict:
    """Targeting breakdowns per ad group."""
    return _targeting(state, ad_account_id, "AD_GROUP", "ad_group_ids")


def ad_targeting_analytics(state, ad_account_id: str) -> dict:
    """Targeting breakdowns per ad."""
    return _targeting(state, ad_account_id, "AD", "ad_ids")


def ready_state(state) -> dict:
    """``BookClosedResponse`` for ``date`` (YYYY-MM-DD)."""
    day = aq.parse_date(request.args.get("date"), "date")
    return metrics_ready_state(day, today(state))


HANDLERS = {
    "ad_account/analytics": account_analytics,
    "campaigns/analytics": campaign_analytics,
    "ad_groups/analytics": ad_group_analytics,
    "ads/analytics": ad_analytics,
    "ad_account_targeting_analytics/get": account_targeting_analytics,
    "campaign_targeting_analytics/get": campaign_targeting_analytics,
    "ad_groups_targeting_analytics/get": ad_group_targeting_analytics,
    "ad_targeting_analytics/get": ad_targeting_analytics,
    "metrics_ready_state/get": ready_state,
}
