"""Audiences and customer lists (the targeting lists): ``audiences/*`` and ``customer_lists/list|get``.

Audience insights and definitions live in :mod:`pintools.emulator.routes.audiences`. The rules
(what is checked, sizes, statuses, which choices are the emulator's own) are in
:mod:`pintools.emulator.models.audiences` and :mod:`pintools.emulator.models.audience_rules`.
A bad request is a 400 ``{"code": 400, "message": "Invalid ad account audience parameters. …"}``
(the spec's ``audiences/list`` example); customer lists use "Invalid ad account customer list
parameters." (the emulator's wording: the spec gives none).

Example (over HTTP):
    GET /v5/ad_accounts/{id}/audiences?page_size=2&order=DESCENDING → {"items": [Audience, …], "bookmark": "…"}
    POST /v5/ad_accounts/{id}/audiences {"name": "Cart – 7 Days", "audience_type": "VISITOR",
                                         "rule": {"visitor_source_id": "5118617303078", "retention_days": 7}}
    PATCH /v5/ad_accounts/{id}/audiences/{audience_id} {"operation_type": "REMOVE"}
    GET /v5/ad_accounts/{id}/customer_lists/{customer_list_id} → CustomerList
"""

from __future__ import annotations

from flask import request

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.routes import params


def _ownership(args) -> str:
    """``ownership_type``: OWNED (default) or RECEIVED."""
    raw = args.get("ownership_type")
    if raw is None:
        return "OWNED"
    if raw not in enums.AUDIENCE_OWNERSHIP_TYPES:
        raise QueryError(f"ownership_type must be one of {', '.join(enums.AUDIENCE_OWNERSHIP_TYPES)}.")
    return raw


def list_audiences(state, ad_account_id: str) -> dict:
    """``Paginated`` of ``Audience`` (``bookmark``, ``order``, ``page_size``, ``ownership_type``)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    size, mark, descending = params.page_size(args), params.bookmark(args), params.descending(args)
    ownership = _ownership(args)
    state.accounts.require(account_id)
    items, next_mark = state.audiences.list(account_id, ownership, size, mark, descending)
    return {"items": items, "bookmark": next_mark}


def create_audience(state, ad_account_id: str) -> dict:
    """``AudienceCreateRequest`` → ``Audience`` (INITIALIZING until built)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    body = params.json_body(request)
    state.accounts.require(account_id)
    return state.audiences.create(account_id, body)


def get_audience(state, ad_account_id: str, audience_id: str) -> dict:
    """One ``Audience``; 404 code 2 "Audience not found." (unknown, or another account's)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    audience = params.path_id(audience_id, "audience_id")
    state.accounts.require(account_id)
    return state.audiences.get(account_id, audience)


def update_audience(state, ad_account_id: str, audience_id: str) -> dict:
    """``AudienceUpdateRequest`` → ``Audience``; ``operation_type: REMOVE`` deletes it."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    audience = params.path_id(audience_id, "audience_id")
    body = params.json_body(request)
    state.accounts.require(account_id)
    return state.audiences.update(account_id, audience, body)


def list_customer_lists(state, ad_account_id: str) -> dict:
    """``Paginated`` of ``CustomerList`` (``page_size``, ``order``, ``bookmark``)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    args = request.args
    size, mark, descending = params.page_size(args), params.bookmark(args), params.descending(args)
    state.accounts.require(account_id)
    items, next_mark = state.customer_lists.list(account_id, size, mark, descending)
    return {"items": items, "bookmark": next_mark}


def get_customer_list(state, ad_account_id: str, customer_list_id: str) -> dict:
    """One ``CustomerList``; 404 code 2 "Customer list not found."."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    list_id = params.path_id(customer_list_id, "customer_list_id")
    state.accounts.require(account_id)
    return state.customer_lists.get(account_id, list_id)


HANDLERS = {
    "audiences/list": list_audiences,
    "audiences/create": create_audience,
    "audiences/get": get_audience,
    "audiences/update": update_audience,
    "customer_lists/list": list_customer_lists,
    "customer_lists/get": get_customer_list,
}
