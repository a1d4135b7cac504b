"""``GET /ad_accounts`` and ``GET /ad_accounts/{ad_account_id}``.

Example (over HTTP):
    GET /v5/ad_accounts?page_size=2 → 200 {"items": [AdAccount, AdAccount], "bookmark": "…"}
"""

from __future__ import annotations

from flask import request

from pintools.emulator.routes import params


def list_accounts(state) -> dict:
    """One page of ad accounts (``include_shared_accounts`` defaults to true)."""
    args = request.args
    size, mark = params.page_size(args), params.bookmark(args)
    include_shared = params.boolean(args, "include_shared_accounts", True)
    items, next_mark = state.accounts.list(include_shared=include_shared, page_size=size, bookmark=mark)
    return {"items": items, "bookmark": next_mark}


def get_account(state, ad_account_id: str) -> dict:
    """One ad account (404 code 2 unknown, 403 code 29 not shared with the caller)."""
    return state.accounts.get(params.path_id(ad_account_id, "ad_account_id"))


HANDLERS = {"ad_accounts/list": list_accounts, "ad_accounts/get": get_account}
