"""``POST /oauth/token``: exchange an authorization code, or a refresh token, for an access token.

Both calls are form-encoded and authenticated with HTTP Basic ``app_id:app_secret`` (the spec's
``basic`` security scheme); the answer is ``OauthAccessTokenResponse``.

>>> refresh_access_token(requestor, app_id="1", app_secret="s", refresh_token="r")  # doctest: +SKIP
{'access_token': '...', 'expires_in': 2592000, ...}
"""

from __future__ import annotations

import base64

from ..http.requestor import Requestor

CATEGORY = "org_read"


def refresh_access_token(
    requestor: Requestor,
    *,
    app_id: str,
    app_secret: str,
    refresh_token: str,
    continuous: bool = True,
) -> dict:
    """Call the token endpoint with ``grant_type=refresh_token``.

    With ``continuous=True`` it asks for continuous refresh (``refresh_on=true``), under which
    Pinterest answers with a rotated refresh token that the caller must keep.

    >>> refresh_access_token(requestor, app_id="1", app_secret="s", refresh_token="r")  # doctest: +SKIP
    """
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if continuous:
        form["refresh_on"] = "true"
    return _token_call(requestor, app_id, app_secret, form)


def exchange_code(requestor: Requestor, *, app_id: str, app_secret: str, code: str, redirect_uri: str) -> dict:
    """Call the token endpoint with ``grant_type=authorization_code``: the code that the authorization
    page sent to ``redirect_uri`` (the same URI, exactly) becomes an access and a refresh token.

    Not retried after a dropped connection: a code works once, so a resend could only be refused.

    >>> exchange_code(requestor, app_id="1", app_secret="s", code="c", redirect_uri="http://127.0.0.1:8085/")  # doctest: +SKIP
    {'access_token': '...', 'refresh_token': '...', 'scope': 'ads:read,ads:write', ...}
    """
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    return _token_call(requestor, app_id, app_secret, form, idempotent=False)


def _token_call(requestor: Requestor, app_id: str, app_secret: str, form: dict, idempotent: bool = True) -> dict:
    basic = base64.b64encode(f"{app_id}:{app_secret}".encode()).decode()
    resp = requestor.request(
        "POST", "/oauth/token", category=CATEGORY, form=form,
        headers={"Authorization": f"Basic {basic}"}, authenticate=False, idempotent=idempotent,
    )
    if not isinstance(resp.data, dict):
        from ..http.errors import BadResponse

        raise BadResponse("The token endpoint answered with something other than a JSON object.",
                          status=resp.status, request_id=resp.request_id)
    return resp.data


def create_conversion_token(requestor: Requestor) -> dict:
    """``POST /oauth/conversion_token`` (5.23.0): a new, long-lived token dedicated to sending conversions,
    asked for with the requestor's OAuth token (which needs ``ads:write``). No body; the answer is
    ``ConversionAccessTokenResponse`` ``{"access_token", "token_type": "conversion"}``.

    Not retried after a dropped connection: each call makes a new token.

    >>> create_conversion_token(client.requestor)["token_type"]  # doctest: +SKIP
    'conversion'
    """
    from ..http.errors import BadResponse

    resp = requestor.request("POST", "/oauth/conversion_token", category="org_write", idempotent=False)
    token = resp.data.get("access_token") if isinstance(resp.data, dict) else None
    if not isinstance(token, str) or not token.strip():
        raise BadResponse("The conversion token endpoint answered without an access_token.",
                          status=resp.status, request_id=resp.request_id)
    return resp.data
