"""OAuth access tokens that renew themselves.

:class:`RefreshingToken` holds an access token, its expiry and a refresh token. Before a
call it refreshes when the token is within ``leeway`` seconds of expiry; after a 401 it
refreshes once. When Pinterest rotates the refresh token (continuous refresh answers carry
a new one) the ``on_rotate`` callback persists it — a dropped rotated token would lock the
user out at the next refresh. It runs under the token's lock, before any call can use the new
access token.

A refresh token that Pinterest refuses (for instance because it was rotated and the answer with
the new one was lost) raises :class:`RefreshRefused`, whose message names the command that
recovers: ``pintools auth login``.

>>> tok = RefreshingToken(access_token="a", refresh_token="r", expires_at=None,
...                       refresh=lambda rt: {"access_token": "b", "expires_in": 3600})
>>> tok.header()
'Bearer a'
>>> tok
RefreshingToken(access_token=***, refresh_token=***, expires_at=None)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from .errors import AuthError, PinterestError

log = logging.getLogger("pintools.auth")

#: The token endpoint's answer (``OauthAccessTokenResponse``) as a dict.
TokenGrant = Mapping[str, object]


class RefreshRefused(AuthError):
    """Pinterest refused the refresh token (or the app credentials with it): no new access token can
    be had with what pintools holds. The message says why that happens and the command that recovers.

    >>> print(RefreshRefused.about(AuthError("Invalid refresh token.", status=400, code=1), profile="work"))
    ... # doctest: +ELLIPSIS
    Pinterest refused the stored refresh token (HTTP 400, code 1: Invalid refresh token.). ... pintools auth login --profile work
    """

    def __str__(self) -> str:  # the status is in the message; the recovery command stays the last words
        return self.message

    @classmethod
    def about(cls, error: PinterestError, *, profile: str, source: str = "profile") -> "RefreshRefused":
        """The error for a refused refresh (``error``: the token endpoint's 400/401), naming ``profile``
        in the recovery command; ``source`` (``environment``/``arguments``/``profile:…``) adds what to do
        about tokens that did not come from the profile.

        >>> str(RefreshRefused.about(AuthError("Authentication failed.", status=401, code=2), profile="p"))[:60]
        'Pinterest refused the token refresh (HTTP 401, code 2): eith'
        """
        what = f"HTTP {error.status}" + (f", code {error.code}" if error.code is not None else "") \
            + (f", request id {error.request_id}" if error.request_id else "")
        if error.status == 401:
            head = (f"Pinterest refused the token refresh ({what}): either the app id / app "
                    f"secret are wrong, or the refresh token was refused.")
        else:
            head = f"Pinterest refused the stored refresh token ({what}: {error.message})."
        why = (" This happens when Pinterest rotated the refresh token and the answer carrying the new one was "
               "lost (a dropped connection, or a process that ended before saving it), or when the token expired "
               "or was revoked. Retrying with it cannot work.")
        where = {"environment": " (It came from PINTEREST_REFRESH_TOKEN: after the login, pintools uses the "
                                "profile's new tokens in its place.)",
                 "arguments": f" (It was passed to connect(): after the login, use connect(profile={profile!r}).)"}
        tail = where.get(source, "")
        return cls(f"{head}{why}{tail} To get new tokens, run: pintools auth login --profile {profile}",
                   status=error.status, code=error.code, request_id=error.request_id,
                   method=error.method, path=error.path)


class RefreshingToken:
    """An access token plus what it takes to renew it. Thread-safe; repr shows no secret."""

    def __init__(
        self,
        *,
        access_token: str | None,
        refresh_token: str,
        expires_at: float | None,
        refresh: Callable[[str], TokenGrant],
        on_rotate: Callable[["RefreshingToken"], None] | None = None,
        clock: Callable[[], float] = time.time,
        leeway: float = 300.0,
    ) -> None:
        if not refresh_token:
            raise ValueError("a refresh token is required to refresh access tokens")
        self._access = access_token
        self._refresh_token = refresh_token
        self.expires_at = expires_at
        self.refresh_token_expires_at: float | None = None
        self.scope: str | None = None  # the scopes the last grant names, if it did
        self._refresh = refresh
        self._on_rotate = on_rotate
        self._clock = clock
        self._leeway = leeway
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RefreshingToken(access_token=***, refresh_token=***, expires_at={self.expires_at!r})"

    @property
    def access_token(self) -> str | None:
        return self._access

    @property
    def refresh_token(self) -> str:
        return self._refresh_token

    def _stale(self) -> bool:
        if self._access is None:
            return True
        return self.expires_at is not None and self._clock() >= self.expires_at - self._leeway

    def header(self) -> str:
        """``Bearer <token>``, refreshing first if the token is missing or about to expire."""
        with self._lock:
            if self._stale():
                self._do_refresh()
            return f"Bearer {self._access}"

    def refresh_after_401(self, rejected_header: str) -> bool:
        """Refresh unless another thread already replaced the rejected token."""
        with self._lock:
            if rejected_header != f"Bearer {self._access}":
                return True  # someone refreshed meanwhile; just retry with the new token
            self._do_refresh()
            return True

    def _do_refresh(self) -> None:
        grant = self._refresh(self._refresh_token)
        access = grant.get("access_token")
        if not isinstance(access, str) or not access:
            from .errors import BadResponse

            raise BadResponse("The token endpoint answered without an access_token.")
        self._access = access
        if isinstance(grant.get("scope"), str):
            self.scope = grant["scope"]
        expires_in = grant.get("expires_in")
        self.expires_at = self._clock() + float(expires_in) if isinstance(expires_in, (int, float)) else None
        new_refresh = grant.get("refresh_token")
        log.info("pintools: access token refreshed (expires in %s s)", expires_in)
        if isinstance(new_refresh, str) and new_refresh and new_refresh != self._refresh_token:
            self._refresh_token = new_refresh
            rt_at = grant.get("refresh_token_expires_at")
            rt_in = grant.get("refresh_token_expires_in")
            if isinstance(rt_at, (int, float)):
                self.refresh_token_expires_at = float(rt_at)
            elif isinstance(rt_in, (int, float)):
                self.refresh_token_expires_at = self._clock() + float(rt_in)
            log.info("pintools: Pinterest rotated the refresh token; saving the new one")
            if self._on_rotate is not None:
                self._on_rotate(self)
