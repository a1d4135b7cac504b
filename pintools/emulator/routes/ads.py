"""Ad routes: list, get, batch create, batch update (``exceptions`` is a single object).

Example (over HTTP):
    GET /v5/ad_accounts/{id}/ads?ad_group_ids=2680060704746
"""

from __future__ import annotations

from flask import request

from pintools.emulator.routes import params
from pintools.emulator.routes.batch import entity_handlers


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


HANDLERS = {
    "ads/list": list_ads,
    **entity_handlers("ads", "ads", "ad_id", "Ad", single_exception=True),
}
