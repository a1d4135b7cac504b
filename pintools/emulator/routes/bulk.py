"""Bulk routes (digest §13): upsert, download, and the status poll both share.

Parsing only; the lifecycle lives in :mod:`pintools.emulator.models.bulk`, the item rules in
the entity models. Result links point at the emulator itself (see ``files.py``).

Example (over HTTP):
    POST /v5/ad_accounts/{id}/bulk/upsert {"update": {"ad_groups": [{"id": "2680060704746", "status": "PAUSED"}]}}
    → 200 {"request_id": "549755885175-1742045400-6f1c…"}
    GET /v5/ad_accounts/{id}/bulk/549755885175-1742045400-6f1c… → 200 {"status": "RUNNING"}
    GET (again) → 200 {"status": "SUCCEEDED", "result_url": "http://…/_emulator/files/bulk/…/result.json?expires=…&sig=…"}
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import NOT_FOUND_CODE, ApiError
from pintools.emulator.models.bulk_request import parse_download, parse_upsert
from pintools.emulator.models.bulk_upsert import plan
from pintools.emulator.routes import params


def create_upsert(state, ad_account_id: str) -> dict:
    """Start a bulk upsert (``BulkUpsertRequest``); the job is RUNNING."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    parsed = parse_upsert(params.json_body(request), state.bulk.behaviour["max_items_per_list"])
    state.accounts.require(account_id)
    return {"request_id": state.bulk.create_upsert(account_id, plan(parsed)).request_id}


def create_download(state, ad_account_id: str) -> dict:
    """Start a bulk download (``BulkDownloadRequest``); the job is RUNNING."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    spec = parse_download(params.json_body(request))
    state.accounts.require(account_id)
    return {"request_id": state.bulk.create_download(account_id, spec).request_id}


def get_request(state, ad_account_id: str, bulk_request_id: str) -> dict:
    """Poll a bulk request (counts a poll; may run the job); 404 code 2 when unknown."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    include_details = params.boolean(request.args, "include_details", False)
    state.accounts.require(account_id)
    body = state.bulk.poll(account_id, bulk_request_id, include_details)
    if body is None:
        raise ApiError(404, NOT_FOUND_CODE, "Bulk request not found.")
    if "result_url" in body:
        body["result_url"] = request.host_url.rstrip("/") + body["result_url"]
    return body


HANDLERS = {"bulk_upsert/create": create_upsert, "bulk_download/create": create_download,
            "bulk_request/get": get_request}
