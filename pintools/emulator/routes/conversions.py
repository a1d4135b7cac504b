"""Conversions API route (digest §15): ``POST /ad_accounts/{id}/events`` (``events/create``).

The route is not refused by the OpenAPI request check (see ``route_table``): it checks the path id,
the ``test`` flag and the body itself, so one bad event fails alone instead of the whole request; a
body that breaks the spec is recorded as a spec violation (the client sent what Pinterest forbids).
Authentication (OAuth token or the account's conversion token) and the per-account rate limit
happen in ``app.py``; the event rules live in :mod:`pintools.emulator.models.conversions`.

Example (over HTTP):
    POST /v5/ad_accounts/{id}/events?test=true {"data": [{"event_name": "checkout", "action_source": "web",
        "event_time": 1742045400, "event_id": "order-1", "user_data": {"em": ["<sha256 hex>"]}}]}
    → 200 {"num_events_received": 1, "num_events_processed": 1,
           "events": [{"status": "processed", "error_message": null, "warning_message": null}]}
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import not_processed
from pintools.emulator.routes import params


def create_events(state, ad_account_id: str) -> dict:
    """``ConversionEvents`` → ``ConversionApiResponse`` (200) when at least one event was processed;
    422 ``DetailedError`` with the ``ConversionApiResponse`` as ``details`` when none was."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    test = params.boolean(request.args, "test", False)
    state.accounts.require(account_id)
    answer = state.conversions.receive(account_id, request.get_json(silent=True), test=test)
    if answer["num_events_processed"] == 0:
        raise not_processed(answer)
    return answer


HANDLERS = {"events/create": create_events}
