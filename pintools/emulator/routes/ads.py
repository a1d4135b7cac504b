"""Ad routes: list, get, batch create, batch update (``exceptions`` is a single object).

Example (over HTTP):
    GET /v5/ad_accounts/{id}/ads?ad_group_ids=2680060704746
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import not_found
from pintools.emulator.routes import params
from pintools.emulator.routes.batch import run_batch


def list_ads(state, ad_account_id: str) -> dict:
    """One page of ads; at most one kind of id filter (no filter = every ad)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    campaign_ids = params.id_list(args, "campaign_ids")
    ad_group_ids = params.id_list(args, "ad_group_ids")
    ad_ids = params.id_list(args, "ad_ids")
    params.only_one(campaign_ids=campaign_ids, ad_group_ids=ad_group_ids, ad_ids=ad_ids)
    statuses = params.entity_statuses(args)
    size, desc, mark = params.page_size(args), params.descending(args), params.bookmark(args)
    state.accounts.require(account_id)
    items, next_mark = state.ads.list(account_id, campaign_ids, ad_group_ids, ad_ids, statuses, desc, size, mark)
    return {"items": items, "bookmark": next_mark}


def get_ad(state, ad_account_id: str, ad_id: str) -> dict:
    """One ad (404 code 2 "Ad not found.")."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    ad_id = params.path_id(ad_id, "ad_id")
    state.accounts.require(account_id)
    body = state.ads.get(account_id, ad_id)
    if body is None:
        raise not_found("Ad")
    return body


def create_ads(state, ad_account_id: str) -> dict:
    """Create 1..30 ads; per-item results in input order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    items = params.batch_items(request)
    state.accounts.require(account_id)
    return run_batch(items, lambda item: state.ads.create_one(account_id, item), single_exception=True)


def update_ads(state, ad_account_id: str) -> dict:
    """Update 1..30 ads; per-item results in input order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    items = params.batch_items(request)
    state.accounts.require(account_id)
    return run_batch(items, lambda item: state.ads.update_one(account_id, item), single_exception=True)


HANDLERS = {"ads/list": list_ads, "ads/get": get_ad, "ads/create": create_ads, "ads/update": update_ads}
