"""Product group promotion routes (list, get, batch create/update) and ``product_groups/analytics``.

Example (over HTTP):
    PATCH /v5/ad_accounts/{id}/product_group_promotions
          {"ad_group_id": "2680060704746", "product_group_promotion": [{"id": "2680059592705", "status": "PAUSED"}]}
    GET /v5/ad_accounts/{id}/product_groups/analytics?product_group_ids=2680059592705&start_date=2024-05-01
        &end_date=2024-05-31&columns=SPEND_IN_DOLLAR&granularity=DAY
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import QueryError, not_found
from pintools.emulator.models.product_group_analytics import product_group_rows
from pintools.emulator.models.product_groups import MAX_FILTER_IDS, body_problem
from pintools.emulator.routes import params
from pintools.emulator.routes.analytics import _query
from pintools.emulator.routes.batch import run_batch

MAX_ANALYTICS_IDS = 250  # query_product_group_ids_required maxItems (5.23.0; 5.12.0 said 100)


def list_promotions(state, ad_account_id: str) -> dict:
    """One page of promotions: by ``product_group_promotion_ids``, else ``ad_group_id``, else all."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    ids = params.id_list(args, "product_group_promotion_ids", max_items=MAX_FILTER_IDS)
    ad_group_id = params.single_id(args, "ad_group_id")
    statuses = params.entity_statuses(args)
    size, desc, mark = params.page_size(args), params.descending(args), params.bookmark(args)
    state.accounts.require(account_id)
    items, next_mark = state.product_groups.list(account_id, ids, ad_group_id, statuses, desc, size, mark)
    return {"items": items, "bookmark": next_mark}


def get_promotion(state, ad_account_id: str, product_group_promotion_id: str) -> dict:
    """One promotion (404 code 2 "ProductGroupPromotion not found.")."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    promotion_id = params.path_id(product_group_promotion_id, "product_group_promotion_id")
    state.accounts.require(account_id)
    body = state.product_groups.get(account_id, promotion_id)
    if body is None:
        raise not_found("ProductGroupPromotion")
    return body


def _write(state, ad_account_id: str, action: str) -> dict:
    account_id = params.path_id(ad_account_id, "ad_account_id")
    body = params.json_body(request)
    problem = body_problem(body)
    if problem:
        raise QueryError(problem)
    state.accounts.require(account_id)
    model = state.product_groups
    one = model.create_one if action == "create" else model.update_one
    answer = run_batch(body["product_group_promotion"], lambda item: one(account_id, body["ad_group_id"], item))
    for result in answer["items"]:  # ``data`` is not nullable in ProductGroupPromotionResponseItem:
        if result["data"] is None:  # a failed item carries only its exceptions (emulator's choice)
            del result["data"]
    return answer


def create_promotions(state, ad_account_id: str) -> dict:
    """Create 1..30 promotions under ``ad_group_id``; per-item results in input order."""
    return _write(state, ad_account_id, "create")


def update_promotions(state, ad_account_id: str) -> dict:
    """Update 1..30 promotions of ``ad_group_id``; per-item results in input order."""
    return _write(state, ad_account_id, "update")


def product_group_analytics(state, ad_account_id: str) -> list:
    """Rows per product group of ``product_group_ids`` (1..250), keyed as the behaviour says."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    ids = params.id_list(request.args, "product_group_ids", max_items=MAX_ANALYTICS_IDS)
    if not ids:
        raise QueryError("product_group_ids is required.")
    query = _query(state, request.args)
    state.accounts.require(account_id)
    return product_group_rows(state.analytics, account_id, ids, query, state.clock.now(),
                              state.product_groups.behaviour["analytics_ids"])


HANDLERS = {
    "product_group_promotions/list": list_promotions,
    "product_group_promotions/get": get_promotion,
    "product_group_promotions/create": create_promotions,
    "product_group_promotions/update": update_promotions,
    "product_groups/analytics": product_group_analytics,
}
