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
    """403: the token is valid but its user may not act on this resource."""


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


_BY_STATUS = {401: AuthError, 403: PermissionDenied, 404: NotFound, 429: RateLimited}


def error_for_status(status: int) -> type[PinterestError]:
    """The exception class for an HTTP error status.

    >>> error_for_status(404).__name__, error_for_status(502).__name__, error_for_status(422).__name__
    ('NotFound', 'ServerError', 'InvalidRequest')
    """
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return InvalidRequest
