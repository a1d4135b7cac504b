"""Ad group routes: list, get, batch create, batch update.

Example (over HTTP):
    GET /v5/ad_accounts/{id}/ad_groups?campaign_ids=1&campaign_ids=2&page_size=100
"""

from __future__ import annotations

from flask import request

from pintools.emulator.routes import params
from pintools.emulator.routes.batch import entity_handlers


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


HANDLERS = {
    "ad_groups/list": list_ad_groups,
    **entity_handlers("ad_groups", "ad_groups", "ad_group_id", "AdGroup"),
}
