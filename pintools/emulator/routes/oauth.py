"""``POST /oauth/token`` (form-encoded; HTTP Basic app credentials checked by the app).

Example (over HTTP):
    POST /v5/oauth/token  grant_type=refresh_token&refresh_token=emulator-refresh-token&refresh_on=true
    → 200 {"access_token": "pina_…", "token_type": "bearer", "expires_in": 2592000,
           "scope": "ads:read,ads:write,pins:read,user_accounts:read", "response_type": "everlasting_refresh",
           "refresh_token": "pinr_…", "refresh_token_expires_in": 5184000, "refresh_token_expires_at": …}
"""

from __future__ import annotations

from flask import request

from pintools.emulator import enums
from pintools.emulator.errors import ApiError, QueryError


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
    grant = state.tokens.exchange_code(code)
    if grant is None:
        raise ApiError(400, 1, "Invalid authorization code.")
    return grant


HANDLERS = {"oauth/token": token}
