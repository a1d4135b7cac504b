"""Pinterest-shaped errors for the emulator.

Every failure the emulator answers with is an :class:`ApiError`, rendered in one place
(``app.py``) as Pinterest's ``Error`` schema ``{"code": int, "message": str}``. Per-item
failures inside a batch write are :class:`ItemError` and end up in ``exceptions`` (or a
keyword's ``error_messages``) instead of failing the request.

Codes and messages follow the API digest §1.2 (spec examples, 5.23.0's ``Pinterest.Lib.Error``).

Example:
    >>> err = not_found("Campaign")
    >>> (err.status, err.body())
    (404, {'code': 2, 'message': 'Campaign not found.'})
"""

from __future__ import annotations

AUTH_FAILED_MESSAGE = "Authentication failed."
FORBIDDEN_MESSAGE = "You are not permitted to access that resource."
RATE_LIMIT_MESSAGE = (
    "This request exceeded a rate limit. This can happen if the client exceeds one\n"
    "of the published rate limits within a short time window."
)
INVALID_PARAMETERS_MESSAGE = "Invalid parameters."
# events/create 422 (DetailedError): the spec gives the description but no code; 4196 is the
# operation's own 400 code, reused (emulator choice).
NOT_PROCESSED_CODE = 4196
NOT_PROCESSED_MESSAGE = "Not all events were successfully processed."

# Item-level codes: 1 = invalid parameters (as lead forms/subscriptions use it),
# 2 = entity not found (as the spec's ``Exception`` example "Advertiser not found.").
ITEM_INVALID_CODE = 1
NOT_FOUND_CODE = 2


class ApiError(Exception):
    """An HTTP error answered in Pinterest's shape.

    Example:
        >>> ApiError(400, 400, "Invalid ad account campaign parameters.").body()
        {'code': 400, 'message': 'Invalid ad account campaign parameters.'}
    """

    def __init__(self, status: int, code: int, message: str, headers: dict | None = None, details: dict | None = None):
        super().__init__(message)
        self.status = int(status)
        self.code = int(code)
        self.message = str(message)
        self.headers = dict(headers or {})
        self.details = details

    def body(self) -> dict:
        """The JSON body: ``{"code": int, "message": str}``, plus ``details`` for a ``DetailedError``."""
        body = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class ItemError(Exception):
    """One failed item of a batch write (campaigns, ad groups, ads, keywords).

    Example:
        >>> ItemError("name is required.").as_exception()
        {'code': 1, 'message': 'name is required.'}
    """

    def __init__(self, message: str, code: int = ITEM_INVALID_CODE):
        super().__init__(message)
        self.code = int(code)
        self.message = str(message)

    def as_exception(self) -> dict:
        """The spec's ``Exception`` object for this failure."""
        return {"code": self.code, "message": self.message}


def bad_request(message: str, detail: str | None = None, code: int = 400) -> ApiError:
    """A 400 with ``code`` (400, or the route's own, e.g. 4196 for ``events/create``), the family
    message first and an optional detail after it.

    Example:
        >>> bad_request("Invalid ad account campaign parameters.", "page_size must be 1..250.").message
        'Invalid ad account campaign parameters. page_size must be 1..250.'
    """
    text = message if not detail else f"{message} {detail}"
    return ApiError(400, code, text)


def not_found(kind: str) -> ApiError:
    """A 404 with code 2 and ``"<kind> not found."`` (e.g. ``AdAccount``, ``Campaign``).

    Example:
        >>> not_found("AdAccount").body()
        {'code': 2, 'message': 'AdAccount not found.'}
    """
    return ApiError(404, NOT_FOUND_CODE, f"{kind} not found.")


def auth_failed() -> ApiError:
    """The 401 every bad or missing credential gets: code 2, "Authentication failed."."""
    return ApiError(401, 2, AUTH_FAILED_MESSAGE)


def forbidden() -> ApiError:
    """The 403 for an ad account the caller may not access: code 29."""
    return ApiError(403, 29, FORBIDDEN_MESSAGE)


def rate_limited(retry_after: int) -> ApiError:
    """The 429 with code 8, the verbatim message and a ``Retry-After`` header (seconds ≥ 1).

    Example:
        >>> rate_limited(3).headers
        {'Retry-After': '3'}
    """
    seconds = max(1, int(retry_after))
    return ApiError(429, 8, RATE_LIMIT_MESSAGE, headers={"Retry-After": str(seconds)})


def not_processed(response: dict) -> ApiError:
    """The 422 ``DetailedError`` of a conversions batch in which no event was processed: code 4196
    (emulator choice), the spec's description as message, the ``ConversionApiResponse`` as details.

    Example:
        >>> not_processed({"num_events_received": 1, "num_events_processed": 0, "events": []}).body()["message"]
        'Not all events were successfully processed.'
    """
    return ApiError(422, NOT_PROCESSED_CODE, NOT_PROCESSED_MESSAGE, details=response)


# Error bodies a route's spec gives for a status (its examples), used by injected faults that
# name no code/message of their own. Other (route, status) pairs keep the generic bodies.
ROUTE_ERROR_EXAMPLES: dict[tuple[str, int], tuple[int, str]] = {
    ("events/create", 503): (4197, "The endpoint has been ramped down and is currently not accepting any traffic."),
}


def route_error_example(operation_id: str, status: int | None) -> dict | None:
    """The spec's example error body of an operation for an HTTP status, if it gives one.

    Example:
        >>> route_error_example("events/create", 503)["code"]
        4197
        >>> route_error_example("campaigns/list", 503) is None
        True
    """
    found = ROUTE_ERROR_EXAMPLES.get((operation_id, int(status or 0)))
    return None if found is None else {"code": found[0], "message": found[1]}


class QueryError(Exception):
    """A bad query parameter or bookmark; the route turns it into its family's 400.

    Example:
        >>> str(QueryError("page_size must be between 1 and 250."))
        'page_size must be between 1 and 250.'
    """
