"""Campaign routes: list, get, batch create, batch update.

Example (over HTTP):
    GET /v5/ad_accounts/{id}/campaigns?entity_statuses=ACTIVE,ARCHIVED&order=DESCENDING
    PATCH /v5/ad_accounts/{id}/campaigns  [{"id": "…", "ad_account_id": "…", "daily_spend_cap": 80000000}]
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import not_found
from pintools.emulator.routes import params
from pintools.emulator.routes.batch import run_batch


def list_campaigns(state, ad_account_id: str) -> dict:
    """One page of the account's campaigns."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    ids = params.id_list(args, "campaign_ids")
    statuses = params.entity_statuses(args)
    size, desc, mark = params.page_size(args), params.descending(args), params.bookmark(args)
    state.accounts.require(account_id)
    items, next_mark = state.campaigns.list(account_id, ids, statuses, desc, size, mark)
    return {"items": items, "bookmark": next_mark}


def get_campaign(state, ad_account_id: str, campaign_id: str) -> dict:
    """One campaign (404 code 2 "Campaign not found.")."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    campaign_id = params.path_id(campaign_id, "campaign_id")
    state.accounts.require(account_id)
    body = state.campaigns.get(account_id, campaign_id)
    if body is None:
        raise not_found("Campaign")
    return body


def create_campaigns(state, ad_account_id: str) -> dict:
    """Create 1..30 campaigns; per-item results in input order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    items = params.batch_items(request)
    state.accounts.require(account_id)
    return run_batch(items, lambda item: state.campaigns.create_one(account_id, item))


def update_campaigns(state, ad_account_id: str) -> dict:
    """Update 1..30 campaigns; per-item results in input order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    items = params.batch_items(request)
    state.accounts.require(account_id)
    return run_batch(items, lambda item: state.campaigns.update_one(account_id, item))


HANDLERS = {
    "campaigns/list": list_campaigns,
    "campaigns/get": get_campaign,
    "campaigns/create": create_campaigns,
    "campaigns/update": update_campaigns,
}
