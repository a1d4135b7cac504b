"""The emulator's Flask app: route table → handlers, plus the request pipeline.

For each ``/v5`` request, in order: request id, route match (unknown → 404 in Pinterest's
shape), request-log entry, injected fault (latency; ``phase="before"`` answers now),
authentication (Bearer token, or HTTP Basic app credentials on ``/oauth/token``), rate
limit per (token, ``x-ratelimit-category``), optional spec validation of the request, the
handler (under the state lock), ``phase="after"`` faults, optional spec validation of the
response, then ``x-pinterest-rid`` and the log entry's status. Errors of every kind are
rendered in one place as ``{"code": int, "message": str}``.

``events/create`` (Conversions API) differs in three ways: it accepts an OAuth access token
or the ad account's conversion token (valid nowhere else); its rate-limit bucket is per ad
account (``account:<id>``, "5,000 calls per minute per ad account"), whatever the token; and a
request that breaks the spec is not refused (``Route.spec_checks_request``) because its handler fails
bad events one by one: the mismatch is recorded as a spec violation instead.

Violations (a response that breaks the spec, a request of ``events/create`` that does, a crash of
the validator) go to the state and to ``$PINTOOLS_SPEC_VIOLATIONS_LOG`` (:mod:`.violation_log`).

Example:
    >>> from pintools.emulator.models import EmulatorState
    >>> client = create_app(EmulatorState(seed=1)).test_client()
    >>> r = client.get("/v5/ad_accounts", headers={"Authorization": "Bearer emulator-demo-token"})
    >>> r.status_code, len(r.get_json()["items"])
    (200, 3)
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
import uuid
from wsgiref.handlers import format_date_time

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from pintools.emulator.errors import ApiError, QueryError, auth_failed, bad_request, rate_limited, route_error_example
from pintools.emulator.models import EmulatorState, access
from pintools.emulator.models.faults import Fault
from pintools.emulator.responses import json_response
from pintools.emulator.route_table import API_PREFIX, ROUTES, Route, find_route, flask_rule
from pintools.emulator.routes import HANDLERS
from pintools.emulator.routes.oauth import authorize_view
from pintools.emulator.violation_log import record as record_violation

log = logging.getLogger("pintools.emulator")

DROP_HEADER = "X-Emulator-Drop-Connection"
CONVERSIONS_OPERATION = "events/create"
MALFORMED_BODY = b'{"items": [{"id": "626735565838", "name": "Spring Sofas \xe2\x80\x93 Prosp'


def _error_response(err: ApiError) -> Response:
    return json_response(err.body(), err.status, err.headers)


def _fault_response(fault: Fault, route: Route) -> Response:
    """The answer an injected fault gives instead of (or after) the real one: the fault's own
    code/message, else the route's spec example for the status (e.g. 503 code 4197 on
    ``events/create``), else the generic body."""
    if fault.drop_connection:
        return Response(b"", status=500, headers={DROP_HEADER: "1"})
    if fault.malformed_body:
        return Response(MALFORMED_BODY, status=200, mimetype="application/json")
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(int(fault.retry_after))
    elif fault.status == 429:
        headers["Retry-After"] = "1"
    body = None
    if fault.code is None and fault.message is None:
        body = route_error_example(route.operation_id, fault.status)
    return json_response(body or fault.error_body(), int(fault.status), headers)


def _fault_kind(fault: Fault | None) -> str | None:
    if fault is None:
        return None
    if fault.drop_connection:
        kind = "drop_connection"
    elif fault.malformed_body:
        kind = "malformed_body"
    elif fault.status is not None:
        kind = f"status_{fault.status}"
    else:
        kind = "latency"
    return kind if kind == "latency" or fault.phase == "before" else f"{kind}_after"


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _basic_credentials() -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    app_id, sep, secret = decoded.partition(":")
    return (app_id, secret) if sep else None


class _DropConnection:
    """WSGI middleware: a response marked with ``DROP_HEADER`` becomes a dead connection.

    Under waitress it raises waitress's ``ClientDisconnected`` before any byte is written,
    so the server closes the socket and the client sees the connection end without a
    response (``requests.exceptions.ConnectionError``).
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None

        app_iter = self.wsgi_app(environ, capture)
        if any(name == DROP_HEADER for name, _ in captured.get("headers", ())):
            if hasattr(app_iter, "close"):
                app_iter.close()
            if "waitress.client_disconnected" in environ:
                from waitress.channel import ClientDisconnected

                raise ClientDisconnected("emulator fault: drop_connection")
            raise ConnectionAbortedError("emulator fault: drop_connection")
        start_response(captured["status"], captured["headers"], captured.get("exc_info"))
        return app_iter


def create_app(state: EmulatorState, spec_validator=None) -> Flask:
    """The Flask app serving ``/v5`` (per the route table), ``/_emulator`` (control plane),
    ``/_emulator/files`` (report downloads) and ``/oauth/`` (the authorization page, see
    :func:`pintools.emulator.routes.oauth.authorize_view`).

    ``spec_validator`` (a :class:`pintools.emulator.spec.SpecValidator`) turns on request and
    response validation; None keeps it off (no cost).

    Example:
        >>> from pintools.emulator.models import EmulatorState
        >>> app = create_app(EmulatorState())
        >>> app.test_client().get("/v5/nope").get_json()
        {'code': 404, 'message': 'Not found.'}
    """
    from pintools.emulator.control import control_blueprint
    from pintools.emulator.files import files_blueprint

    app = Flask("pintools.emulator")
    app.config["EMULATOR_STATE"] = state
    app.config["SPEC_VALIDATOR"] = spec_validator
    app.json.sort_keys = False
    for route in ROUTES:
        app.add_url_rule(flask_rule(route.path), endpoint=route.operation_id,
                         view_func=_view(state, HANDLERS[route.operation_id]), methods=[route.method])
    app.add_url_rule("/oauth/", endpoint="oauth_authorize", view_func=authorize_view(state), methods=["GET"])
    app.register_blueprint(control_blueprint(state))
    app.register_blueprint(files_blueprint(state))
    app.before_request(lambda: _before(state, spec_validator))
    app.after_request(lambda response: _after(state, spec_validator, response))
    _register_errors(app)
    app.wsgi_app = _DropConnection(app.wsgi_app)
    return app


def _view(state: EmulatorState, handler):
    def view(**path_args):
        with state.lock:
            body = handler(state, **path_args)
        if isinstance(body, Response):  # e.g. a 204 with no body
            return body
        return json_response(body)

    view.__name__ = handler.__name__
    return view


def _is_api() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _current_route() -> Route | None:
    rule = request.url_rule
    if rule is None or rule.endpoint not in HANDLERS:
        return None
    return find_route(rule.endpoint)


def _before(state: EmulatorState, validator):
    if not _is_api():
        return None
    g.rid = uuid.uuid4().hex
    g.fault = None
    route = _current_route()
    g.route = route
    body = _redacted(request.get_json(silent=True) if request.is_json else None, route)
    with state.lock:
        g.log_entry = state.request_log.open(
            method=request.method,
            path=request.path,
            route=route.path if route else None,
            operation_id=route.operation_id if route else None,
            category=route.category if route else None,
            query={key: request.args.getlist(key) for key in request.args},
            json=body,
        )
    if route is None:
        if request.routing_exception is not None and getattr(request.routing_exception, "code", 404) == 405:
            raise ApiError(405, 405, "Method not allowed.")
        raise ApiError(404, 404, "Not found.")
    with state.lock:
        fault = state.faults.take(route, request.method)
    g.fault = fault
    if fault is not None and fault.latency_ms:
        time.sleep(fault.latency_ms / 1000.0)
    if fault is not None and fault.answers and fault.phase == "before":
        return _fault_response(fault, route)
    _authenticate_and_limit(state, route)
    if validator is not None:
        _validate_request(state, validator, route)
    return None


def _validate_request(state: EmulatorState, validator, route: Route) -> None:
    """Check the request against the spec: a mismatch is a 400 in Pinterest's shape, except on a
    route that checks its own request (``events/create``: one bad event fails alone), where it is
    recorded as a spec violation and the handler answers. A validator crash is recorded as a
    violation (never a silent pass) and the request goes on."""
    try:
        errors = validator.request_errors(request.method, request.path, route.path,
                                          list(request.args.items(multi=True)), request.get_data(),
                                          request.content_type)
    except Exception as exc:  # a validator crash must not take the emulator down
        log.exception("spec validation of the request failed")
        _record(state, route, None, f"validator error on the request: {type(exc).__name__}: {exc}"[:1000])
        return
    if errors and route.spec_checks_request:
        raise bad_request(route.invalid_message, errors[0], route.invalid_code)
    for message in errors:
        _record(state, route, None, "request: " + message)


def _authenticate_and_limit(state: EmulatorState, route: Route) -> None:
    with state.lock:
        if route.operation_id == "oauth/token":
            credentials = _basic_credentials()
            if credentials is None or not state.tokens.check_app(*credentials):
                raise auth_failed()
            key = "app:" + credentials[0]
        elif route.operation_id == CONVERSIONS_OPERATION:
            token = _bearer_token()
            account_id = (request.view_args or {}).get("ad_account_id")
            if state.tokens.is_valid(token):
                access.check_scopes(route.operation_id, route.category, state.tokens.scopes_of(token))
            elif not state.conversions.accepts(token, account_id):
                raise auth_failed()
            _check_role(state, route)
            key = "account:" + str(account_id)
        else:
            token = _bearer_token()
            if not state.tokens.is_valid(token):
                raise auth_failed()
            access.check_scopes(route.operation_id, route.category, state.tokens.scopes_of(token))
            _check_role(state, route)
            key = "token:" + token
        wait = state.rate_limiter.take(key, route.category)
        g.rate_headers = state.rate_limiter.headers(key, route.category)
        refusal = state.sandbox.refusal(route.operation_id)
    if wait:
        raise rate_limited(wait)
    if refusal is not None:
        raise refusal


def _check_role(state: EmulatorState, route: Route) -> None:
    """403 when the demo user's Business Access roles on the path's ad account do not allow the
    operation (:mod:`pintools.emulator.models.access`); unknown or hidden accounts are left to the handler."""
    record = state.store.accounts.get(str((request.view_args or {}).get("ad_account_id")))
    if record is not None and record.get("_accessible", True):
        access.check_role(route.operation_id, route.category, record.get("permissions"))


def _after(state: EmulatorState, validator, response: Response) -> Response:
    # HTTP's Date is the server's clock: the emulator's, frozen or not, so clients that read the
    # API's "today" from it (pintools.http.requestor) agree with the emulator's data
    response.headers["Date"] = format_date_time(state.clock.now())
    if not _is_api() or "log_entry" not in g:
        response.headers.setdefault("x-pinterest-rid", uuid.uuid4().hex)
        return response
    fault = g.get("fault")
    route = g.get("route")
    if fault is not None and fault.answers and fault.phase == "after":
        response = _fault_response(fault, route)
    faulted = fault is not None and fault.answers
    if validator is not None and route is not None and not faulted:
        _validate_response(state, validator, route, response)
    response.headers["x-pinterest-rid"] = g.rid
    response.headers.update(g.get("rate_headers") or {})
    with state.lock:
        state.request_log.close(g.log_entry, response.status_code, _fault_kind(fault))
    return response


# Credentials travel in the Authorization header, which nothing logs; these body keys are masked
# in the request log and in recorded violations ("conversion_token" is defensive: no v5 body holds it).
SECRET_FIELDS = ("access_token", "refresh_token", "cryptographic_key", "partner_access_token",
                 "partner_refresh_token", "conversion_token")


def _redacted(body, route: Route | None):
    """A request body for the log: secret fields (partner tokens) and test-lead answers (personal
    data) replaced by ``***``."""
    hidden = SECRET_FIELDS + (("answers",) if route is not None and route.operation_id == "lead_form_test/create"
                              else ())
    if isinstance(body, dict) and any(k in body for k in hidden):
        return {k: ("***" if k in hidden else v) for k, v in body.items()}
    return body


def _secrets_in(data: bytes) -> list[str]:
    """Secret values (tokens, lead-ads keys) inside a response body, top level or in ``items``
    (to keep them out of logs and violation records)."""
    try:
        body = json.loads(data)
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    objects = [body] + [i for i in body.get("items") or [] if isinstance(i, dict)]
    return [v for o in objects for k, v in o.items() if k in SECRET_FIELDS and isinstance(v, str) and v]


def _validate_response(state: EmulatorState, validator, route: Route, response: Response) -> None:
    data = response.get_data()
    try:
        errors = validator.response_errors(request.method, request.path, response.status_code, data,
                                           response.mimetype or "application/json")
    except Exception as exc:  # record it rather than break the answer
        log.exception("spec validation of the response failed")
        errors = [f"validator error: {type(exc).__name__}: {exc}"[:1000]]
    secrets = _secrets_in(data) if errors else []
    for message in errors:
        for secret in secrets:
            message = message.replace(secret, "***")
        _record(state, route, response.status_code, message)


def _record(state: EmulatorState, route: Route, status: int | None, message: str) -> None:
    """Record one spec violation (``status`` None: the request broke the spec) in the state and,
    when ``$PINTOOLS_SPEC_VIOLATIONS_LOG`` names a file, in that file too."""
    violation = {"operation_id": route.operation_id, "method": request.method, "path": request.path,
                 "status": status, "message": message}
    record_violation(state, violation)
    log.warning("spec violation in %s %s (%s): %s", route.operation_id, request.path, status, message)


def _register_errors(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return _error_response(err)

    @app.errorhandler(QueryError)
    def _query_error(err: QueryError):
        route = g.get("route")
        message = route.invalid_message if route else "Invalid parameters."
        return _error_response(bad_request(message, str(err), route.invalid_code if route else 400))

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        messages = {404: "Not found.", 405: "Method not allowed."}
        status = err.code or 500
        return _error_response(ApiError(status, status, messages.get(status, err.description or err.name)))

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("emulator error")
        return _error_response(ApiError(500, 500, "Internal server error."))
