"""One error tree for everything the Pinterest API (or the emulator) can answer.

Every error carries the HTTP status, Pinterest's numeric ``code``, its ``message`` and
the ``x-pinterest-rid`` request id, so a failure can be quoted to Pinterest support.

>>> try:
...     raise NotFound("AdAccount not found.", status=404, code=2, request_id="abc")
... except PinterestError as err:
...     print(err)
AdAccount not found. (HTTP 404, code 2, request id abc)
"""

from __future__ import annotations


class PinterestError(Exception):
    """Base class: an answer from the API that is not a success, or no usable answer at all.

    >>> PinterestError("boom", status=500).status
    500
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        details: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details  # the ``details`` object of a DetailedError body (e.g. a 422), if any
        self.status = status
        self.code = code
        self.request_id = request_id
        self.method = method
        self.path = path

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        where = f" [{self.method} {self.path}]" if self.method and self.path else ""
        suffix = f" ({', '.join(parts)})" if parts else ""
        return f"{self.message}{suffix}{where}"


class AuthError(PinterestError):
    """401: the access token is missing, wrong, expired or revoked (and refresh did not help)."""


class PermissionDenied(PinterestError):
    """403, or 401 code 3: the token is valid but lacks an OAuth scope, or its user lacks a Business
    Access role on the ad account, for this operation (the message says which and how to fix it)."""


class NotFound(PinterestError):
    """404: the ad account, campaign or other entity does not exist (or is not visible)."""


class InvalidRequest(PinterestError):
    """400 (and other 4xx): Pinterest rejected the request as written; resending won't help."""


class RateLimited(PinterestError):
    """429 that is still there after the retries: the rate limit of a category is exhausted.

    ``retry_after`` is the server's hint in seconds, if it gave one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(PinterestError):
    """5xx that is still there after the retries (reads), or a 5xx on a non-retryable call."""


class ConnectionFailed(PinterestError):
    """The server could not be reached, or the connection broke, and retries did not help."""


class BadResponse(PinterestError):
    """The server answered 2xx with a body that is not the JSON the endpoint promises."""


class WriteOutcomeUnknown(PinterestError):
    """A write (POST/PATCH/DELETE) met a 5xx or a dropped connection: it may or may not have
    been applied. It is never resent blindly. Re-read the entities and send again only what
    has not reached its target value.
    """


SCOPE_CODE = 3  # 401 "Your token does not have sufficient permissions ..." (the spec's msot_events example)
_SCOPES = {"ads_read": "ads:read", "ads_analytics": "ads:read", "ads_write": "ads:write",
           "ads_conversions": "ads:write", "trends_read": "user_accounts:read", "org_write": "ads:write"}
_ROLES = {"ads_analytics": "Owner, Admin, Analyst or Campaign Manager",
          "ads_conversions": "Owner, Admin, Analyst, Audience or Campaign Manager (or use the conversion token)",
          "ads_write": "Owner, Admin or Campaign Manager (an Analyst can only read)"}


def is_scope_error(status: int, code: int | None) -> bool:
    """Whether an answer says the token lacks an OAuth scope (401 code 3): refreshing will not help.

    >>> is_scope_error(401, 3), is_scope_error(401, 2)
    (True, False)
    """
    return status == 401 and code == SCOPE_CODE


def permission_hint(status: int, code: int | None, category: str | None, path: str | None) -> str | None:
    """What a permission refusal means and how to fix it, or None when the answer is not one.

    The scope follows the operation's rate-limit category (reads and analytics ``ads:read``, writes
    and conversions ``ads:write``, trends ``user_accounts:read``; the spec's ``security``); the roles
    follow the operation texts (lead subscriptions "OWNER or ADMIN", analytics, conversions). Which
    roles may write campaigns the spec does not say: that line is pintools' reading.

    >>> permission_hint(401, 3, "ads_write", "/ad_accounts/1/campaigns")[:62]
    ' The access token lacks the OAuth scope ads:write this call ne'
    >>> permission_hint(403, 29, "ads_write", "/ad_accounts/1/leads/subscriptions")[:80]
    " The token's user lacks a Business Access role on ad account 1 that allows this:"
    """
    if is_scope_error(status, code):
        scope = _SCOPES.get(category or "", "ads:read / ads:write")
        return (f" The access token lacks the OAuth scope {scope} this call needs. Re-authorize the app "
                f"asking for {scope} (pintools' OAuth flow, or a new token from your app's settings) and "
                f"use the new token; refreshing an old token keeps its scopes.")
    if status != 403:
        return None
    account = _account_of(path)
    where = f" on ad account {account}" if account else ""
    if path and "/leads/subscriptions" in path:
        needed = "OWNER or ADMIN (lead subscriptions)"
    else:
        needed = _ROLES.get(category or "", "any role on the account")
    return (f" The token's user lacks a Business Access role{where} that allows this: it needs {needed}. "
            f"Ask the account's owner to grant that role in Business Access, or use a token of a user who has it.")


def _account_of(path: str | None) -> str | None:
    parts = (path or "").strip("/").split("/")
    return parts[1] if len(parts) > 1 and parts[0] == "ad_accounts" and parts[1].isdigit() else None


_BY_STATUS = {401: AuthError, 403: PermissionDenied, 404: NotFound, 429: RateLimited}


def error_for_status(status: int, code: int | None = None) -> type[PinterestError]:
    """The exception class for an HTTP error status (and Pinterest's code: 401 code 3 is a missing
    scope, so :class:`PermissionDenied`, not :class:`AuthError`).

    >>> error_for_status(404).__name__, error_for_status(502).__name__, error_for_status(422).__name__
    ('NotFound', 'ServerError', 'InvalidRequest')
    """
    if status == 401 and code == SCOPE_CODE:
        return PermissionDenied
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return InvalidRequest
