"""Async reports: create (JSON body only) and poll (``?token=``) (digest §10).

The download link the poll hands out points at the emulator itself (see ``files.py``).

Example (over HTTP):
    POST /v5/ad_accounts/{id}/reports {"start_date": "2024-05-01", "end_date": "2024-05-31", "granularity": "DAY",
                                      "level": "CAMPAIGN", "columns": ["SPEND_IN_DOLLAR"]}
    → 200 {"report_status": "IN_PROGRESS", "token": "…", "message": null}
    GET /v5/ad_accounts/{id}/reports?token=… → 200 {"report_status": "FINISHED", "url": "http://…", "size": 1234}
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import QueryError
from pintools.emulator.models.report_request import parse_report_request
from pintools.emulator.routes import params
from pintools.emulator.routes.analytics import today


def create_report(state, ad_account_id: str) -> dict:
    """Start a report job; the body is an ``AdsAnalyticsCreateAsyncRequest``."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    if request.args:
        raise QueryError("This endpoint does not support URL query parameters.")
    spec = parse_report_request(params.json_body(request), today(state))
    state.accounts.require(account_id)
    job = state.reports.create(account_id, spec)
    return {"report_status": job.status, "token": job.token, "message": None}


def get_report(state, ad_account_id: str) -> dict:
    """Poll a report job (counts a poll); FINISHED answers carry a fresh 5-minute link."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    token = request.args.get("token")
    if not token:
        raise QueryError("token is required.")
    state.accounts.require(account_id)
    body = state.reports.poll(account_id, token)
    if body["url"]:
        body["url"] = request.host_url.rstrip("/") + body["url"]
    return body


HANDLERS = {"analytics/create_report": create_report, "analytics/get_report": get_report}
