"""OAuth access tokens that renew themselves.

:class:`RefreshingToken` holds an access token, its expiry and a refresh token. Before a
call it refreshes when the token is within ``leeway`` seconds of expiry; after a 401 it
refreshes once. When Pinterest rotates the refresh token (continuous refresh answers carry
a new one) the ``on_rotate`` callback persists it — a dropped rotated token would lock the
user out at the next refresh.

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

log = logging.getLogger("pintools.auth")

#: The token endpoint's answer (``OauthAccessTokenResponse``) as a dict.
TokenGrant = Mapping[str, object]


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
