"""Keyword routes: list (single parent filter, no ``order``), create, update.

Example (over HTTP):
    POST /v5/ad_accounts/{id}/keywords {"parent_id": "AG2680060704746",
                                       "keywords": [{"value": "linen sheets", "match_type": "PHRASE"}]}
"""

from __future__ import annotations

from flask import request

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models.keywords import request_problem
from pintools.emulator.routes import params


def list_keywords(state, ad_account_id: str) -> dict:
    """One page of keywords under an ad group, a campaign, or (no filter) the account itself."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    campaign_id = params.single_id(args, "campaign_id")
    ad_group_id = params.single_id(args, "ad_group_id")
    params.only_one(campaign_id=campaign_id, ad_group_id=ad_group_id)
    match_types = params.enum_list(args, "match_types", enums.MATCH_TYPES, max_items=5)
    size, mark = params.page_size(args), params.bookmark(args)
    state.accounts.require(account_id)
    items, next_mark = state.keywords.list(account_id, campaign_id, ad_group_id, match_types, size, mark)
    return {"items": items, "bookmark": next_mark}


def create_keywords(state, ad_account_id: str) -> dict:
    """``KeywordsRequest`` → ``KeywordsResponse`` (HTTP 200 even when keywords fail)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    body = params.json_body(request)
    problem = request_problem(body)
    if problem:
        raise QueryError(problem)
    state.accounts.require(account_id)
    return state.keywords.create(account_id, body["parent_id"], body["keywords"])


def update_keywords(state, ad_account_id: str) -> dict:
    """``KeywordUpdateBody`` → ``KeywordsResponse`` (bid / archived per keyword)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    body = params.json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("keywords"), list) or not body["keywords"]:
        raise QueryError("keywords must be a non-empty array.")
    state.accounts.require(account_id)
    return state.keywords.update(account_id, body["keywords"])


HANDLERS = {"keywords/get": list_keywords, "keywords/create": create_keywords, "keywords/update": update_keywords}
