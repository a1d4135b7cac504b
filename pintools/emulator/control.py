"""The control plane blueprint under ``/_emulator/...`` (loopback tool, no auth).

Endpoints (JSON in, JSON out):
- ``POST /_emulator/reset`` ``{"seed", "scale", "accounts"}`` – regenerate demo data (null keeps
  the current value; ``"accounts": "default"`` restores the default advertisers), clear log,
  faults, violations, rate buckets, issued tokens, report and bulk jobs with their behaviour,
  and write counts;
- ``POST /_emulator/clock`` ``{"clock": unix|iso|null}``; ``POST /_emulator/clock/advance``
  ``{"seconds": n}`` (a real clock becomes fixed at now + n);
- ``GET|POST|DELETE /_emulator/faults`` – list, inject (fields of :class:`Fault`), clear;
- ``GET|DELETE /_emulator/requests`` (``?operation_id=&method=``) – the request log;
- ``GET|POST /_emulator/rate_limits`` ``{"category", "per_minute", "burst"}`` and/or
  ``{"header_form": "none"|"ratelimit"|"userendpoint"}`` (rate headers on every answer; see
  :mod:`pintools.emulator.models.ratelimit`);
- ``GET|POST /_emulator/sandbox`` ``{"enabled", "shape": "forbidden"|"not_found"}`` – act as
  Pinterest's sandbox: refuse the operations the spec marks ``x-sandbox: disabled`` in the chosen
  shape (see :mod:`pintools.emulator.models.sandbox`);
- ``POST /_emulator/tokens/expire`` ``{"token"}``; ``POST /_emulator/tokens`` ``{"scope", "expires_in"}`` –
  ``{"access_token", "scope"}``, a new token granted only those scopes (see
  :mod:`pintools.emulator.models.access`);
- ``POST /_emulator/accounts/permissions`` ``{"ad_account_id", "permissions": [role, ...]}`` – the demo
  user's Business Access roles on an account (e.g. ``["ANALYST"]``: reads and analytics only);
- ``GET /_emulator/reports`` – async report jobs; ``POST /_emulator/reports/behaviour``
  ``{"polls_to_finish", "outcome", "url_ttl_seconds", "json_layout", "column_names", "csv_bom",
  "file_format"}`` – how reports created afterwards behave, the file layout (not in the spec) included
  (see :mod:`pintools.emulator.models.report_layouts`);
- ``GET /_emulator/analytics`` – the analytics behaviour; ``POST /_emulator/analytics/behaviour``
  ``{"keyword_targeting_value"}`` – how KEYWORD targeting values are written from now on: ``"text"``
  (the default, the spec's example) or one of the emulator's guesses (``text_per_keyword``,
  ``lowercase``, ``notation``, ``suffix``, ``keyword_id``; see
  :data:`pintools.emulator.models.targeting_values.KEYWORD_VALUE_SHAPES`), and ``{"sync_max_days"}``:
  90 (default, "max time range 90 days") or 91 calendar days per sync request, and
  ``{"hour_conversions"}``: ``"omit"`` (default) or ``"zero"`` – conversion columns of HOUR rows, which
  5.23.0 says get no data without saying how;
- ``POST /_emulator/analytics/restate`` ``{"ad_account_id", "days" | "start_date"+"end_date", "factor",
  "delivery_factor"}`` or ``{"clear": true}`` – restate past days (the emulator's model of conversions
  arriving late and delivery corrected later: conversion fields × factor, all fields × delivery_factor;
  see :mod:`pintools.emulator.models.restatement`); the answer is ``{"behaviour": {"rules": [...]}}``;
- ``POST /_emulator/campaigns/behaviour`` ``{"cbo_on_create"}`` – what a campaign create without
  ``is_campaign_budget_optimization`` means: ``"objective"`` (default), ``"off"`` or ``"required"``
  (see :mod:`pintools.emulator.models.campaigns`);
- ``POST /_emulator/product_groups/behaviour`` ``{"analytics_ids"}`` – what ``product_groups/analytics``
  ids name: ``"promotion"`` (default, the promotion's ``id``) or ``"catalog"`` (its
  ``catalog_product_group_id``); the spec says neither (see
  :mod:`pintools.emulator.models.product_group_analytics`);
- ``GET /_emulator/bulk`` – bulk jobs and the current behaviour; ``POST /_emulator/bulk/behaviour``
  ``{"polls_to_finish", "max_items_per_list", "fail_items", "kill_after", "run_after",
  "result_format"}`` – how bulk jobs created afterwards behave: ``run_after`` seconds (real time;
  null = only polls) until a job runs on its own, ``result_format`` one of records, entities, csv,
  empty, garbage (the emulator's guesses at the unspecified result file; see
  :mod:`pintools.emulator.models.bulk` and ``bulk_upsert``); a field left out takes its default;
- ``POST /_emulator/leads/fire`` ``{"subscription_id", "n", "lead_form_id"}`` – deliver n synthetic
  encrypted leads (unique numeric lead ids) to a subscription's webhook, in background batches;
  ``GET /_emulator/leads/deliveries`` – every delivery attempt (no keys, no plaintext) and the
  batches still in flight; ``POST /_emulator/leads/behaviour`` ``{"max_attempts", "backoff_seconds",
  "timeout_seconds", "batch_size", "reencrypt_retries", "content_type"}`` (the last two: what the guide
  leaves open — whether a retry re-encrypts, which content type a delivery has; see
  :mod:`pintools.emulator.models.lead_delivery`);
- ``GET /_emulator/conversions/token?ad_account_id=`` – ``{"ad_account_id", "conversion_token"}``, the
  conversion token of the account's user (valid only on ``events/create``, on every account of that user);
  ``GET /_emulator/conversions/events[?ad_account_id=]`` – ``{"events": [...]}``, recorded (processed,
  non-test) events, deduplicated by event_id, with ``times_received``;
  ``POST /_emulator/conversions/behaviour`` ``{"max_event_age_days": int|null}`` – the oldest
  ``event_time`` accepted (default 7 days; the spec states none, so it is the emulator's guess);
  ``POST /_emulator/conversions/quality`` ``{"coverage_scale": "percent"|"fraction", "good_at", "fair_at"}`` –
  how ``conversion_eqs/list`` expresses coverage and derives ``overall_status`` (the emulator's model, see
  :mod:`pintools.emulator.models.event_quality`);
  ``GET /_emulator/conversions/summary[?ad_account_id=]`` – ``{"recorded": n, "times_received": {"1": n, ...}}``
  (counts only: cheap for a million events).
  ``GET /_emulator/conversions/calls[?ad_account_id=]`` – ``{"calls": [...]}``, one per ``events/create``
  request (test flag, number of events, status, fault), from the request log
  (see :mod:`pintools.emulator.models.conversions`);
- ``GET /_emulator/write_counts`` – successful API writes per entity id since the last reset
  (PATCH/POST batch endpoints, keyword endpoints and bulk upserts; a create counts 1);
- ``GET /_emulator/spec_violations``, ``GET /_emulator/coverage``, ``GET /_emulator/health``.
A bad control request answers 400 ``{"code": 400, "message": ...}``. Only this machine's programs may
drive the plane (:mod:`pintools.emulator.control_guard`): POST bodies are JSON (``Content-Type:
application/json``, else 415), the ``Host`` is loopback and an ``Origin``, if any, too (else 403).

Example:
    >>> from pintools.emulator.models import EmulatorState
    >>> from pintools.emulator.app import create_app
    >>> client = create_app(EmulatorState()).test_client()
    >>> client.post("/_emulator/clock", json={"clock": "2024-05-01T00:00:00Z"}).get_json()
    {'clock': 1714521600}
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from pintools.emulator import route_table
from pintools.emulator.control_guard import control_refusal
from pintools.emulator.enums import BUSINESS_ACCESS_ROLES
from pintools.emulator.models import EmulatorState
from pintools.emulator.models.conversions import calls_from_log
from pintools.emulator.models.faults import Fault
from pintools.emulator.models.tokens import ACCESS_TOKEN_TTL
from pintools.emulator.responses import json_response

CONTROL_PREFIX = "/_emulator"
BULK_FIELDS = ("polls_to_finish", "max_items_per_list", "fail_items", "kill_after", "run_after", "result_format")
FAULT_FIELDS = ("route", "method", "status", "times", "code", "message", "retry_after", "latency_ms",
                "drop_connection", "malformed_body", "phase")


def _json_body() -> dict:
    if not request.get_data(cache=True):
        return {}
    body = request.get_json(silent=True)
    if body is None:
        raise ValueError("the control request body is not valid JSON: send a JSON object ('{}' to set nothing)")
    if not isinstance(body, dict):
        raise ValueError("the control request body must be a JSON object")
    return body


def _json_fields(allowed, what: str) -> dict:
    """The JSON body, refused when it names a field outside ``allowed`` (``what`` names the set)."""
    body = _json_body()
    unknown = set(body) - set(allowed)
    if unknown:
        raise ValueError(f"unknown {what} fields: {sorted(unknown)}")
    return body


#: ``POST`` endpoints that change how one part of the emulator behaves: path → (fields accepted, what
#: the fields are called in a refusal, the part of the state whose ``configure`` takes them).
_BEHAVIOURS = {
    "/reports/behaviour": ({"polls_to_finish", "outcome", "url_ttl_seconds", "json_layout", "column_names", "csv_bom",
                            "file_format"}, "report behaviour", "reports"),
    "/analytics/behaviour": ({"keyword_targeting_value", "sync_max_days", "hour_conversions"}, "analytics behaviour",
                             "analytics"),
    "/analytics/restate": ({"ad_account_id", "days", "start_date", "end_date", "factor", "delivery_factor", "clear"},
                           "analytics restatement", "restatements"),
    "/campaigns/behaviour": ({"cbo_on_create"}, "campaigns behaviour", "campaigns"),
    "/product_groups/behaviour": ({"analytics_ids"}, "product_groups behaviour", "product_groups"),
    "/bulk/behaviour": (BULK_FIELDS, "bulk behaviour", "bulk"),
    "/conversions/behaviour": ({"max_event_age_days"}, "conversions behaviour", "conversions"),
    "/conversions/quality": ({"coverage_scale", "good_at", "fair_at"}, "event quality behaviour", "event_quality"),
}


def _check_route_selector(selector) -> None:
    if selector is None:
        return
    if not any(route_table.route_matches(r, selector) for r in route_table.ROUTES):
        raise ValueError(f"unknown route {selector!r}: use an operationId or a path template")


def control_blueprint(state: EmulatorState) -> Blueprint:
    """The ``/_emulator`` blueprint bound to one state.

    Example:
        >>> from pintools.emulator.models import EmulatorState
        >>> control_blueprint(EmulatorState()).url_prefix
        '/_emulator'
    """

    bp = Blueprint("emulator_control", __name__, url_prefix=CONTROL_PREFIX)

    def configure(fields, what: str, part: str):
        def view():
            body = _json_fields(fields, what)
            with state.lock:
                return json_response({"behaviour": getattr(state, part).configure(**body)})
        return view

    for path, (fields, what, part) in _BEHAVIOURS.items():
        bp.add_url_rule(path, endpoint="set_" + path.strip("/").replace("/", "_"), view_func=configure(fields, what, part),
                        methods=["POST"])

    @bp.before_request
    def _guard():
        refusal = control_refusal(request.method, request.headers.get("Host"), request.headers.get("Origin"),
                                  request.mimetype)
        if refusal is not None:
            return json_response({"code": refusal[0], "message": refusal[1]}, refusal[0])
        return None

    @bp.errorhandler(ValueError)
    @bp.errorhandler(TypeError)
    def _bad(err):
        return json_response({"code": 400, "message": str(err)}, 400)

    @bp.get("/health")
    def health():
        with state.lock:
            now = state.clock.now()
        return json_response({"ok": True, "seed": state.seed, "scale": state.scale, "now": now,
                              "counts": state.counts()})

    @bp.post("/reset")
    def reset():
        body = _json_body()
        state.reset(seed=body.get("seed"), scale=body.get("scale"), accounts=body.get("accounts"))
        return json_response({"ok": True, "seed": state.seed, "scale": state.scale, "counts": state.counts()})

    @bp.post("/clock")
    def clock():
        body = _json_body()
        with state.lock:
            state.clock.set(body.get("clock"))
            return json_response({"clock": state.clock.fixed})

    @bp.post("/clock/advance")
    def advance_clock():
        seconds = _json_body().get("seconds")
        with state.lock:
            return json_response({"clock": state.clock.advance(seconds)})

    @bp.get("/reports")
    def list_reports():
        with state.lock:
            return json_response({"reports": state.reports.list(), "behaviour": dict(state.reports.behaviour)})

    @bp.get("/analytics")
    def analytics_behaviour():
        with state.lock:
            return json_response({"behaviour": dict(state.analytics.behaviour)})

    @bp.get("/bulk")
    def list_bulk():
        with state.lock:
            return json_response({"jobs": state.bulk.list(), "behaviour": dict(state.bulk.behaviour)})

    @bp.post("/leads/fire")
    def fire_leads():
        body = _json_fields({"subscription_id", "n", "lead_form_id"}, "fire_leads")
        return json_response(state.fire_leads(str(body.get("subscription_id")), body.get("n", 1),
                                               body.get("lead_form_id")))

    @bp.get("/leads/deliveries")
    def lead_deliveries():
        deliverer = state.deliverer
        return json_response({"deliveries": deliverer.log(), "in_flight": deliverer.in_flight(),
                              "behaviour": dict(deliverer.behaviour)})

    @bp.post("/leads/behaviour")
    def lead_behaviour():
        return json_response({"behaviour": state.deliverer.configure(**_json_body())})

    @bp.get("/conversions/token")
    def conversion_token():
        account_id = request.args.get("ad_account_id")
        if not account_id:
            raise ValueError("ad_account_id is required")
        with state.lock:
            if account_id not in state.store.accounts:
                raise ValueError(f"unknown ad account {account_id!r}")
            token = state.conversions.token_for(account_id)
        return json_response({"ad_account_id": account_id, "conversion_token": token})

    @bp.get("/conversions/events")
    def conversion_events():
        with state.lock:
            return json_response({"events": state.conversions.events(request.args.get("ad_account_id"))})

    @bp.get("/conversions/summary")
    def conversion_summary():
        with state.lock:
            return json_response(state.conversions.summary(request.args.get("ad_account_id")))

    @bp.get("/conversions/calls")
    def conversion_calls():
        with state.lock:
            calls = calls_from_log(state.request_log.scan("events/create"), request.args.get("ad_account_id"))
        return json_response({"calls": calls})

    @bp.get("/write_counts")
    def write_counts():
        with state.lock:
            return json_response({"write_counts": dict(state.store.writes)})

    @bp.get("/faults")
    def list_faults():
        with state.lock:
            return json_response({"faults": [f.as_dict() for f in state.faults.active()]})

    @bp.post("/faults")
    def add_fault():
        body = _json_fields(FAULT_FIELDS, "fault")
        _check_route_selector(body.get("route"))
        fault = Fault(**{k: v for k, v in body.items() if k in FAULT_FIELDS})
        with state.lock:
            state.faults.add(fault)
            return json_response({"fault": fault.as_dict()})

    @bp.delete("/faults")
    def clear_faults():
        with state.lock:
            state.faults.clear()
        return json_response({"ok": True})

    @bp.get("/requests")
    def requests_log():
        with state.lock:
            entries = state.request_log.entries(request.args.get("operation_id"), request.args.get("method"))
        return json_response({"requests": entries})

    @bp.delete("/requests")
    def clear_requests():
        with state.lock:
            state.request_log.clear()
        return json_response({"ok": True})

    @bp.get("/rate_limits")
    def get_rate_limits():
        with state.lock:
            return json_response({"rate_limits": state.rate_limiter.limits(),
                                  "header_form": state.rate_limiter.header_form})

    @bp.post("/rate_limits")
    def set_rate_limit():
        body = _json_body()
        category = body.get("category")
        if "header_form" not in body and (not isinstance(category, str) or not category):
            raise ValueError("category is required")
        with state.lock:
            if "header_form" in body:
                state.rate_limiter.set_header_form(body["header_form"])
            if category is not None:
                state.rate_limiter.configure(category, body.get("per_minute"), body.get("burst"))
            return json_response({"rate_limits": state.rate_limiter.limits(),
                                  "header_form": state.rate_limiter.header_form})

    @bp.get("/sandbox")
    def get_sandbox():
        with state.lock:
            return json_response(state.sandbox.settings())

    @bp.post("/sandbox")
    def set_sandbox():
        body = _json_body()
        with state.lock:
            return json_response(state.sandbox.configure(enabled=body.get("enabled"), shape=body.get("shape")))

    @bp.post("/tokens")
    def mint_token():
        body = _json_fields({"scope", "expires_in"}, "token")
        scope = body.get("scope")
        if not isinstance(scope, str):
            raise ValueError("scope is required: the granted scopes, comma-separated (e.g. \"ads:read\")")
        expires_in = body.get("expires_in", ACCESS_TOKEN_TTL)
        if expires_in is not None and (isinstance(expires_in, bool) or not isinstance(expires_in, int) or expires_in < 1):
            raise ValueError("expires_in must be a positive number of seconds or null (never)")
        with state.lock:
            token = state.tokens.mint(scope, expires_in)
            return json_response({"access_token": token, "scope": ",".join(sorted(state.tokens.scopes_of(token)))})

    @bp.post("/accounts/permissions")
    def set_permissions():
        body = _json_body()
        account_id, roles = str(body.get("ad_account_id") or ""), body.get("permissions")
        if not isinstance(roles, list) or not all(r in BUSINESS_ACCESS_ROLES for r in roles):
            raise ValueError(f"permissions must be a list of {', '.join(BUSINESS_ACCESS_ROLES)}")
        with state.lock:
            record = state.store.accounts.get(account_id)
            if record is None or not record.get("_accessible", True):
                raise ValueError(f"unknown ad account {account_id!r}")
            record["permissions"] = list(roles)
            return json_response({"ad_account_id": account_id, "permissions": list(roles)})

    @bp.post("/tokens/expire")
    def expire_token():
        token = _json_body().get("token")
        if not isinstance(token, str) or not token:
            raise ValueError("token is required")
        with state.lock:
            known = state.tokens.expire(token)
        return json_response({"expired": known})

    @bp.get("/spec_violations")
    def spec_violations():
        with state.lock:
            return json_response({"violations": list(state.spec_violations)})

    @bp.get("/coverage")
    def coverage():
        validator = current_app.config.get("SPEC_VALIDATOR")
        return json_response(route_table.coverage(validator.raw if validator is not None else None))

    return bp
