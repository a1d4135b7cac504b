"""Audience insights, audience definitions, targeting options and bid floors (digest §12).

Example (over HTTP):
    GET /v5/ad_accounts/{id}/audience_insights?audience_insight_type=YOUR_TOTAL_AUDIENCE
    GET /v5/resources/targeting/LOCATION → 200 [{"US": "United States", …}, {"807": "U.S.: San Francisco…", …}]
    POST /v5/ad_accounts/{id}/bid_floor {"bid_floor_specs": [{"billable_event": "CLICKTHROUGH", "currency": "USD"}]}
    → 200 {"bid_floors": [220000], "type": "bidfloor"}
"""

from __future__ import annotations

from flask import request

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models.audience_insights import audience_definitions, audience_insights
from pintools.emulator.models.bid_floor import bid_floor, check_request
from pintools.emulator.models.targeting_options import targeting_options
from pintools.emulator.routes import params
from pintools.emulator.routes.analytics import today


def insights(state, ad_account_id: str) -> dict:
    """``AudienceInsightsResponse``; ``audience_insight_type`` is required (digest §17 #15)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    insight_type = request.args.get("audience_insight_type")
    if insight_type not in enums.AUDIENCE_INSIGHT_TYPES:
        raise QueryError(f"audience_insight_type is required, one of {', '.join(enums.AUDIENCE_INSIGHT_TYPES)}.")
    account = state.accounts.require(account_id)
    return audience_insights(state.seed, account, insight_type, today(state))


def definitions(state, ad_account_id: str) -> dict:
    """``AudienceDefinitionResponse``: the available (type, scope) pairs."""
    state.accounts.require(params.path_id(ad_account_id, "ad_account_id"))
    return audience_definitions(today(state))


def options(state, targeting_type: str) -> list:
    """``TargetingOptionResponse`` (the legacy ``client_id``/``oauth_signature``/``timestamp`` are ignored)."""
    if targeting_type not in enums.PUBLIC_TARGETING_TYPES:
        raise QueryError(f"targeting_type must be one of {', '.join(enums.PUBLIC_TARGETING_TYPES)}.")
    return targeting_options(targeting_type)


def bid_floors(state, ad_account_id: str) -> dict:
    """``BidFloor``: one floor per spec, in request order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    specs = check_request(params.json_body(request))
    state.accounts.require(account_id)
    floors = [bid_floor(s["billable_event"], s["currency"], s.get("countries"), s.get("objective_type"))
              for s in specs]
    return {"bid_floors": floors, "type": "bidfloor"}


HANDLERS = {
    "audience_insights/get": insights,
    "audience_insights_scope_and_type/get": definitions,
    "targeting_options/get": options,
    "ad_groups_bid_floor/get": bid_floors,
}
