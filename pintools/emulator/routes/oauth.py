"""``POST /oauth/token`` (form-encoded; HTTP Basic app credentials checked by the app), and the
authorization page ``GET /oauth/`` (outside ``/v5``, like ``https://www.pinterest.com/oauth/``).

A refresh whose answer is lost after Pinterest rotated the token (the old one then refused for good):
``control.inject_fault(route="oauth/token", status=None, drop_connection=True, phase="after")``.

Example (over HTTP):
    POST /v5/oauth/token  grant_type=refresh_token&refresh_token=emulator-refresh-token&refresh_on=true
    → 200 {"access_token": "pina_…", "token_type": "bearer", "expires_in": 2592000,
           "scope": "ads:read,ads:write,pins:read,user_accounts:read", "response_type": "everlasting_refresh",
           "refresh_token": "pinr_…", "refresh_token_expires_in": 5184000, "refresh_token_expires_at": …}
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import redirect, request

from pintools.emulator import enums
from pintools.emulator.errors import ApiError, QueryError
from pintools.emulator.models.access import ALL_SCOPES, parse_scope

#: Add ``emulator_consent=deny`` to the authorization URL to play a user who refuses (an emulator-only switch).
CONSENT_PARAM = "emulator_consent"


def _form_bool(value: str | None) -> bool:
    if value is None or value == "":
        return False
    lowered = value.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise QueryError("refresh_on must be true or false.")


def token(state) -> dict:
    """Exchange a refresh token (optionally rotating it), an authorization code, or (5.23.0) the app's
    client credentials for a token with the asked ``scope``."""
    if request.mimetype != "application/x-www-form-urlencoded":
        raise QueryError("The body must be application/x-www-form-urlencoded.")
    form = request.form
    grant_type = form.get("grant_type")
    if grant_type not in enums.GRANT_TYPES:
        raise QueryError(f"grant_type must be one of {', '.join(enums.GRANT_TYPES)}.")
    if grant_type == "client_credentials":
        scope = form.get("scope")
        if not scope:
            raise QueryError("scope is required with grant_type=client_credentials (e.g. scope=ads:read).")
        return state.tokens.client_grant(scope)
    if grant_type == "refresh_token":
        refresh_token = form.get("refresh_token")
        if not refresh_token:
            raise QueryError("refresh_token is required.")
        grant = state.tokens.refresh(refresh_token, form.get("scope") or None, _form_bool(form.get("refresh_on")))
        if grant is None:
            raise ApiError(400, 1, "Invalid refresh token.")
        return grant
    code, redirect_uri = form.get("code"), form.get("redirect_uri")
    if not code or not redirect_uri:
        raise QueryError("code and redirect_uri are required.")
    app_id = request.authorization.username if request.authorization else ""
    grant = state.tokens.exchange_code(code, redirect_uri, app_id or "")
    if grant is None:
        raise ApiError(400, 1, "Invalid authorization code.")
    return grant


def authorize_view(state):
    """The Flask view of ``GET /oauth/``: the emulator's user always consents (unless the URL carries
    ``emulator_consent=deny``) and is sent at once to ``redirect_uri`` with ``code`` and ``state``.

    What Pinterest's page does with a bad request the spec does not say; the emulator follows RFC 6749
    §4.1.2.1: an unknown ``client_id`` or a missing/non-http(s) ``redirect_uri`` is a 400 here (never a
    redirect), any other problem (``response_type`` not ``code``, unknown or missing scopes, refusal)
    goes back to the redirect URI as ``error=...``. Every http(s) redirect URI counts as registered.

    Example (over HTTP):
        GET /oauth/?client_id=emulator-app-id&redirect_uri=http://127.0.0.1:8085/&response_type=code
            &scope=ads:read&state=xyz
        → 302 Location: http://127.0.0.1:8085/?code=…&state=xyz
    """

    def authorize():
        args = request.args
        client_id, redirect_uri = args.get("client_id", ""), args.get("redirect_uri", "")
        if client_id != state.tokens.app_id:
            raise ApiError(400, 400, "Unknown client_id: the emulator's app id is "
                                     f"{state.tokens.app_id!r}.")
        if urlsplit(redirect_uri).scheme not in ("http", "https") or not urlsplit(redirect_uri).netloc:
            raise ApiError(400, 400, "redirect_uri must be an http(s) URL registered for the app.")
        scopes = parse_scope(args.get("scope"))
        if args.get("response_type") != "code":
            answer = {"error": "unsupported_response_type", "error_description": "response_type must be code."}
        elif not scopes or scopes - set(ALL_SCOPES):
            answer = {"error": "invalid_scope",
                      "error_description": f"scope must name some of {', '.join(ALL_SCOPES)}."}
        elif args.get(CONSENT_PARAM) == "deny":
            answer = {"error": "access_denied", "error_description": "The user denied access."}
        else:
            with state.lock:
                answer = {"code": state.tokens.issue_code(client_id, redirect_uri, ",".join(sorted(scopes)))}
        if "state" in args:
            answer["state"] = args["state"]
        joiner = "&" if urlsplit(redirect_uri).query else "?"
        return redirect(redirect_uri + joiner + urlencode(answer), code=302)

    authorize.__name__ = "oauth_authorize"
    return authorize


HANDLERS = {"oauth/token": token}
