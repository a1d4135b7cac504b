"""``POST /oauth/token``: exchange a refresh token for a new access token.

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
    """Call the token endpoint (HTTP Basic with the app's id and secret, form-encoded body).

    With ``continuous=True`` it asks for continuous refresh (``refresh_on=true``), under which
    Pinterest answers with a rotated refresh token that the caller must keep.
    """
    basic = base64.b64encode(f"{app_id}:{app_secret}".encode()).decode()
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if continuous:
        form["refresh_on"] = "true"
    resp = requestor.request(
        "POST", "/oauth/token", category=CATEGORY, form=form,
        headers={"Authorization": f"Basic {basic}"}, authenticate=False, idempotent=True,
    )
    if not isinstance(resp.data, dict):
        from ..http.errors import BadResponse

        raise BadResponse("The token endpoint answered with something other than a JSON object.",
                          status=resp.status, request_id=resp.request_id)
    return resp.data
