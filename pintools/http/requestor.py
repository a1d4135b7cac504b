"""The one requestor every service call goes through.

It adds the auth header, applies timeouts, takes a token from the rate budget of the call's
``x-ratelimit-category``, retries what is safe to retry (see :mod:`pintools.http.retry`),
refreshes an expired OAuth token once on a 401, turns error answers into the
:mod:`pintools.http.errors` tree, and pages through bookmark-paginated lists lazily.

>>> from pintools.http import Requestor, StaticToken
>>> r = Requestor("http://127.0.0.1:1/v5", StaticToken("t"))   # doctest: +SKIP
>>> r.request("GET", "/ad_accounts", category="ads_read").data  # doctest: +SKIP
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
import urllib3.exceptions

from . import errors
from .ratelimit import RateBudget, parse_rate_headers
from .retry import Decision, Failure, RetryPolicy, backoff_delay, decide, parse_retry_after
from .sandbox import refuse_in_sandbox

log = logging.getLogger("pintools.http")

DEFAULT_TIMEOUT = (5.0, 60.0)  # (connect, read) seconds
MAX_PAGE_SIZE = 250


class AuthProvider(Protocol):
    """What the requestor needs from credentials: a header, and a way to renew it."""

    def header(self) -> str:
        """The ``Authorization`` header value to send now."""

    def refresh_after_401(self, rejected_header: str) -> bool:
        """Renew after the server rejected ``rejected_header``; True if a retry makes sense."""


class StaticToken:
    """A fixed bearer token (no refresh). Its repr never shows the token.

    >>> StaticToken("secret-value")
    StaticToken(token=***)
    """

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("an access token is required")
        self._token = token

    def header(self) -> str:
        return f"Bearer {self._token}"

    def refresh_after_401(self, rejected_header: str) -> bool:
        return False

    def __repr__(self) -> str:
        return "StaticToken(token=***)"


@dataclass
class ApiResponse:
    """A successful answer: parsed JSON ``data`` plus status, headers and request id."""

    status: int
    data: Any
    headers: Mapping[str, str] = field(repr=False)
    request_id: str | None = None


class Requestor:
    """Sends API calls. Thread-safe: share one per client across threads.

    ``sleep`` and ``rng`` are injectable so tests can observe the waits without waiting.
    ``sandbox=True`` (the API is Pinterest's sandbox) refuses, before sending, every operation
    the sandbox does not serve (:mod:`pintools.http.sandbox`).
    """

    def __init__(
        self,
        base_url: str,
        auth: AuthProvider | None,
        *,
        timeout: tuple[float, float] | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        budget: RateBudget | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        user_agent: str | None = None,
        sandbox: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.sandbox = sandbox
        self.auth = auth
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.budget = budget or RateBudget(sleep=sleep)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._local = threading.local()
        self._server_clock: tuple[float, float] | None = None  # (server's Date, time.monotonic() then)
        self._session = session
        self._user_agent = user_agent or _default_user_agent()

    def __repr__(self) -> str:
        return f"Requestor(base_url={self.base_url!r})"

    def server_time(self) -> float | None:
        """The server's clock now, in Unix seconds: the ``Date`` of its latest answer plus the time
        since it arrived; None before the first answer (or when answers carry no readable ``Date``).

        >>> r = Requestor("https://api.example/v5", auth=None)
        >>> r.server_time() is None
        True
        >>> r._note_date("Sun, 15 Nov 2026 12:00:00 GMT"); int(r.server_time()) // 60 * 60
        1794744000
        """
        seen = self._server_clock
        return None if seen is None else seen[0] + (time.monotonic() - seen[1])

    def _note_date(self, value: str | None) -> None:
        if not value:
            return
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return
        if moment.tzinfo is not None:
            self._server_clock = (moment.timestamp(), time.monotonic())  # one tuple: atomic for readers

    # A requests.Session is not guaranteed thread-safe; give each thread its own.
    @property
    def session(self) -> requests.Session:
        if self._session is not None:
            return self._session
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
            s.mount("http://", adapter)
            s.mount("https://", adapter)
            s.headers["User-Agent"] = self._user_agent
            self._local.session = s
        return s

    def request(
        self,
        method: str,
        path: str,
        *,
        category: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        authenticate: bool = True,
    ) -> ApiResponse:
        """Send one API call (with retries) and return its parsed answer.

        ``path`` is relative to the base URL (``"/ad_accounts"``). ``category`` is the
        operation's ``x-ratelimit-category``. Raises a :class:`PinterestError` subclass.
        """
        method = method.upper()
        if self.sandbox:
            refuse_in_sandbox(method, path)
        url = self.base_url + path
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            self.budget.acquire(category)
            hdrs = {"Accept": "application/json", **(headers or {})}
            auth_header = None
            if authenticate and self.auth is not None:
                auth_header = self.auth.header()
                hdrs["Authorization"] = auth_header
            started = time.monotonic()
            try:
                resp = self.session.request(
                    method, url, params=params, json=json_body, data=form,
                    headers=hdrs, timeout=self.timeout,
                )
                body = resp.content  # read fully here, so a broken body is a transport failure
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                failure = _classify(exc)
                decision = decide(method, failure=failure, attempt=attempt, policy=self.retry, idempotent=idempotent)
                what = "could not connect" if failure is Failure.NOT_SENT else "connection broke"
                if decision is Decision.RETRY:
                    delay = backoff_delay(attempt, policy=self.retry, rng=self._rng)
                    log.warning("%s %s: %s (%s); retry %d/%d in %.1fs",
                                method, path, what, type(exc).__name__, attempt, self.retry.max_attempts - 1, delay)
                    self._sleep(delay)
                    continue
                if decision is Decision.OUTCOME_UNKNOWN:
                    raise errors.WriteOutcomeUnknown(
                        f"The {method} was sent but the {what} before an answer arrived, so it may or may "
                        f"not have been applied. It was not resent. Re-read the entities to see which "
                        f"changes landed, then send only the rest.",
                        method=method, path=path,
                    ) from exc
                raise errors.ConnectionFailed(
                    f"{what.capitalize()} to {self.base_url} after {attempt} attempt(s): {type(exc).__name__}",
                    method=method, path=path,
                ) from exc

            request_id = resp.headers.get("x-pinterest-rid")
            self._note_date(resp.headers.get("Date"))
            elapsed = time.monotonic() - started
            log.debug("%s %s -> %s in %.3fs (request id %s)", method, path, resp.status_code, elapsed, request_id)
            self.budget.observe(category, parse_rate_headers(resp.headers))

            if resp.status_code < 400:
                return ApiResponse(resp.status_code, _parse_success(resp, body, method, path, request_id),
                                   resp.headers, request_id)

            code, message, details = _parse_error(body)
            if resp.status_code == 401 and authenticate and self.auth is not None and not refreshed \
                    and not errors.is_scope_error(resp.status_code, code):
                refreshed = True
                if self.auth.refresh_after_401(auth_header or ""):
                    log.info("%s %s: 401, access token refreshed; trying again", method, path)
                    attempt -= 1
                    continue

            retry_after = None
            if resp.status_code == 429:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), now=time.time())
                self.budget.penalize(category, retry_after if retry_after is not None else 1.0)

            decision = decide(method, status=resp.status_code, attempt=attempt, policy=self.retry,
                              idempotent=idempotent)
            if decision is Decision.RETRY:
                delay = backoff_delay(attempt, policy=self.retry, retry_after=retry_after, rng=self._rng)
                log.warning("%s %s -> %s (code %s); retry %d/%d in %.1fs (request id %s)",
                            method, path, resp.status_code, code, attempt, self.retry.max_attempts - 1,
                            delay, request_id)
                self._sleep(delay)
                continue
            if decision is Decision.OUTCOME_UNKNOWN:
                raise errors.WriteOutcomeUnknown(
                    f"The {method} got HTTP {resp.status_code} ({message}); it may or may not have been "
                    f"applied, so it was not resent. Re-read the entities to see which changes landed, "
                    f"then send only the rest.",
                    status=resp.status_code, code=code, request_id=request_id, method=method, path=path,
                )
            raise _error(resp.status_code, code, message, request_id, method, path, retry_after, attempt, details,
                         category=category)

    def download(self, url: str) -> bytes:
        """GET a file from a pre-signed URL (async report and bulk result files): no auth header,
        no rate budget, same timeouts and read retries. An expired link (403/404) is an error
        that says so."""
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self.session.get(url, timeout=self.timeout)
                body = resp.content
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                if decide("GET", failure=_classify(exc), attempt=attempt, policy=self.retry) is Decision.RETRY:
                    self._sleep(backoff_delay(attempt, policy=self.retry, rng=self._rng))
                    continue
                raise errors.ConnectionFailed(f"Could not download the file after {attempt} attempt(s): "
                                              f"{type(exc).__name__}") from exc
            if resp.status_code < 400:
                return body
            if decide("GET", status=resp.status_code, attempt=attempt, policy=self.retry) is Decision.RETRY:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), now=time.time())
                self._sleep(backoff_delay(attempt, policy=self.retry, retry_after=retry_after, rng=self._rng))
                continue
            hint = " (download links expire after a few minutes: fetch the status again for a fresh link)" \
                if resp.status_code in (403, 404, 410) else ""
            raise errors.error_for_status(resp.status_code)(
                f"Downloading the file failed with HTTP {resp.status_code}{hint}.", status=resp.status_code)

    def paginate(
        self,
        path: str,
        *,
        category: str,
        params: Mapping[str, Any] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[dict]:
        """Yield the items of a bookmark-paginated list, fetching pages only as needed.

        >>> items = requestor.paginate("/ad_accounts", category="ads_read")  # doctest: +SKIP
        >>> next(items)["id"]                                                 # doctest: +SKIP
        '549755885175'
        """
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
        query = dict(params or {})
        query["page_size"] = page_size
        while True:
            resp = self.request("GET", path, params=query, category=category)
            data = resp.data
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                raise errors.BadResponse(
                    "A paginated list answered without an 'items' array.",
                    status=resp.status, request_id=resp.request_id, method="GET", path=path,
                )
            yield from data["items"]
            bookmark = data.get("bookmark")
            if not bookmark:
                return
            query["bookmark"] = bookmark


def _default_user_agent() -> str:
    from ..version import __version__

    return f"pintools/{__version__} python-requests/{requests.__version__}"


def _classify(exc: BaseException) -> Failure:
    """Did the request reach the server (BROKEN) or certainly not (NOT_SENT)?"""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure.NOT_SENT
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the real cause
        if isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.NameResolutionError)):
            return Failure.NOT_SENT
        if isinstance(reason, urllib3.exceptions.ConnectTimeoutError):
            return Failure.NOT_SENT
    return Failure.BROKEN


def _parse_success(resp: requests.Response, body: bytes, method: str, path: str, request_id: str | None) -> Any:
    if resp.status_code == 204 or not body:
        return None
    try:
        return json.loads(body)
    except ValueError as exc:
        ctype = resp.headers.get("Content-Type", "no content type")
        raise errors.BadResponse(
            f"The server answered HTTP {resp.status_code} with a body that is not valid JSON "
            f"({ctype}, {len(body)} bytes; {exc.msg} at position {exc.pos}).",
            status=resp.status_code, request_id=request_id, method=method, path=path,
        ) from None


def _parse_error(body: bytes) -> tuple[int | None, str, dict | None]:
    """Pinterest's ``{"code": int, "message": str}`` (plus ``details`` of a ``DetailedError``),
    tolerating anything else."""
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        code = data.get("code")
        message = data.get("message_detail") or data.get("message")
        details = data.get("details")
        return ((code if isinstance(code, int) else None), (str(message) if message else "no message"),
                details if isinstance(details, dict) else None)
    return None, "no message (the error body was not Pinterest's JSON error shape)", None


_HINTS = {
    401: " Check PINTEREST_ACCESS_TOKEN (or your pintools profile): the token is wrong, expired or "
         "revoked. Set PINTEREST_REFRESH_TOKEN, PINTEREST_APP_ID and PINTEREST_APP_SECRET to let "
         "pintools refresh it, or unset PINTEREST_ACCESS_TOKEN to use the built-in emulator.",
    403: " The token's user lacks a role on this ad account (Business Access) or the token lacks "
         "a scope (ads:read / ads:write).",
}


def _error(status, code, message, request_id, method, path, retry_after, attempt,
           details=None, category=None) -> errors.PinterestError:
    cls = errors.error_for_status(status, code)
    hint = errors.permission_hint(status, code, category, path)
    text = message + (hint if hint is not None else _HINTS.get(status, ""))
    if status == 429:
        text += f" Gave up after {attempt} attempt(s)."
        return errors.RateLimited(text, retry_after=retry_after, status=status, code=code,
                                  request_id=request_id, method=method, path=path)
    if status >= 500:
        text += f" Gave up after {attempt} attempt(s)."
    return cls(text, status=status, code=code, request_id=request_id, method=method, path=path, details=details)
