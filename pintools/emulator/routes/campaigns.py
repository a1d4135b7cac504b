"""Campaign routes: list, get, batch create, batch update.

Example (over HTTP):
    GET /v5/ad_accounts/{id}/campaigns?entity_statuses=ACTIVE,ARCHIVED&order=DESCENDING
    PATCH /v5/ad_accounts/{id}/campaigns  [{"id": "…", "ad_account_id": "…", "daily_spend_cap": 80000000}]
"""

from __future__ import annotations

from flask import request

from pintools.emulator.routes import params
from pintools.emulator.routes.batch import entity_handlers


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


HANDLERS = {
    "campaigns/list": list_campaigns,
    **entity_handlers("campaigns", "campaigns", "campaign_id", "Campaign"),
}
