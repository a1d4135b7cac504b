"""Ad group routes: list, get, batch create, batch update.

Example (over HTTP):
    GET /v5/ad_accounts/{id}/ad_groups?campaign_ids=1&campaign_ids=2&page_size=100
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import not_found
from pintools.emulator.routes import params
from pintools.emulator.routes.batch import run_batch


def list_ad_groups(state, ad_account_id: str) -> dict:
    """One page of ad groups; ``campaign_ids`` or ``ad_group_ids`` (not both)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    campaign_ids = params.id_list(args, "campaign_ids")
    ad_group_ids = params.id_list(args, "ad_group_ids")
    params.only_one(campaign_ids=campaign_ids, ad_group_ids=ad_group_ids)
    statuses = params.entity_statuses(args)
    size, desc, mark = params.page_size(args), params.descending(args), params.bookmark(args)
    params.boolean(args, "translate_interests_to_names", False)
    state.accounts.require(account_id)
    items, next_mark = state.ad_groups.list(account_id, campaign_ids, ad_group_ids, statuses, desc, size, mark)
    return {"items": items, "bookmark": next_mark}


def get_ad_group(state, ad_account_id: str, ad_group_id: str) -> dict:
    """One ad group (404 code 2 "AdGroup not found.")."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    ad_group_id = params.path_id(ad_group_id, "ad_group_id")
    state.accounts.require(account_id)
    body = state.ad_groups.get(account_id, ad_group_id)
    if body is None:
        raise not_found("AdGroup")
    return body


def create_ad_groups(state, ad_account_id: str) -> dict:
    """Create 1..30 ad groups; per-item results in input order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    items = params.batch_items(request)
    state.accounts.require(account_id)
    return run_batch(items, lambda item: state.ad_groups.create_one(account_id, item))


def update_ad_groups(state, ad_account_id: str) -> dict:
    """Update 1..30 ad groups; per-item results in input order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    items = params.batch_items(request)
    state.accounts.require(account_id)
    return run_batch(items, lambda item: state.ad_groups.update_one(account_id, item))


HANDLERS = {
    "ad_groups/list": list_ad_groups,
    "ad_groups/get": get_ad_group,
    "ad_groups/create": create_ad_groups,
    "ad_groups/update": update_ad_groups,
}
