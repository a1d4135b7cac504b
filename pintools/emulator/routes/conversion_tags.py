"""Conversion tags: list, get and create (5.23.0 ``conversion_tags/*``).

Example (over HTTP):
    GET /v5/ad_accounts/{id}/conversion_tags?filter_deleted=true → 200 {"items": [{"id": "…", "status": "ACTIVE", …}]}
    GET /v5/ad_accounts/{id}/conversion_tags/{tag_id} → 200 {"id": "…", "name": "…", "code_snippet": "<script…", …}
    POST /v5/ad_accounts/{id}/conversion_tags {"name": "Checkout tag"} → 200 ConversionTag
"""

from __future__ import annotations

from flask import request

from pintools.emulator.routes import params


def list_tags(state, ad_account_id: str) -> dict:
    """``{items: [ConversionTag]}`` (not paginated in the spec)."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    filter_deleted = params.boolean(request.args, "filter_deleted", False)
    state.accounts.require(account_id)
    return {"items": state.conversion_tags.list(account_id, filter_deleted)}


def get_tag(state, ad_account_id: str, conversion_tag_id: str) -> dict:
    """One ``ConversionTag``; 404 code 2 when the account has no such tag."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    tag_id = params.path_id(conversion_tag_id, "conversion_tag_id")
    state.accounts.require(account_id)
    return state.conversion_tags.get(account_id, tag_id)


def create_tag(state, ad_account_id: str) -> dict:
    """A new ``ConversionTag`` from a ``ConversionTagCreate`` body."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    body = params.json_body(request)
    state.accounts.require(account_id)
    return state.conversion_tags.create(account_id, body)


HANDLERS = {"conversion_tags/list": list_tags, "conversion_tags/get": get_tag, "conversion_tags/create": create_tag}
