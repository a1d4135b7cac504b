"""OAuth state: app credentials, access tokens (with expiry) and refresh tokens (rotating).

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> tokens = TokenStore(Clock(fixed=1700000000))
    >>> tokens.is_valid(DEMO_ACCESS_TOKEN)
    True
    >>> grant = tokens.refresh(DEMO_REFRESH_TOKEN, scope=None, rotate=True)
    >>> tokens.is_valid(grant["access_token"]), tokens.has_refresh(DEMO_REFRESH_TOKEN)
    (True, False)
"""

from __future__ import annotations

import secrets

from pintools.emulator.constants import (
    DEFAULT_SCOPE,
    DEMO_ACCESS_TOKEN,
    DEMO_APP_ID,
    DEMO_APP_SECRET,
    DEMO_REFRESH_TOKEN,
)
from pintools.emulator.models.access import ALL_SCOPES, parse_scope
from pintools.emulator.models.clock import Clock

ACCESS_TOKEN_TTL = 30 * 24 * 3600  # 30 days, as Pinterest's access tokens
CONTINUOUS_REFRESH_TTL = 60 * 24 * 3600  # continuous refresh: 60 days (digest §1.8)
# How long an authorization code may wait to be exchanged. The spec is silent; this is the emulator's
# rule (RFC 6749 §4.1.2 recommends at most 10 minutes).
CODE_TTL = 600


class TokenStore:
    """Who may call the emulator. Not thread-safe by itself: the state lock guards it.

    Example:
        >>> from pintools.emulator.models.clock import Clock
        >>> store = TokenStore(Clock(fixed=0))
        >>> store.expire(DEMO_ACCESS_TOKEN), store.is_valid(DEMO_ACCESS_TOKEN)
        (True, False)
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        self.app_id = DEMO_APP_ID
        self.app_secret = DEMO_APP_SECRET
        self._access: dict[str, int | None] = {}  # token -> expires_at (None = never)
        self._scopes: dict[str, frozenset[str]] = {}  # access token -> granted scopes
        self._refresh: dict[str, tuple[int | None, str]] = {}  # token -> (expires_at, scope)
        self._codes: dict[str, tuple[int, str, str, str]] = {}  # code -> (expires_at, client_id, redirect_uri, scope)
        self._revoked: set[str] = set()
        self.reset()

    def reset(self) -> None:
        """Back to the demo credentials only: the demo access token and refresh token."""
        self._access = {DEMO_ACCESS_TOKEN: None}
        self._scopes = {DEMO_ACCESS_TOKEN: frozenset(ALL_SCOPES)}  # the demo app was granted every scope
        self._refresh = {DEMO_REFRESH_TOKEN: (None, DEFAULT_SCOPE)}
        self._codes = {}
        self._revoked = set()

    def check_app(self, app_id: str, app_secret: str) -> bool:
        """Whether HTTP Basic credentials name the emulator's app."""
        return secrets.compare_digest(app_id, self.app_id) and secrets.compare_digest(app_secret, self.app_secret)

    def is_valid(self, token: str | None) -> bool:
        """Whether a bearer access token is known and not expired."""
        if not token or token not in self._access or token in self._revoked:
            return False
        expires_at = self._access[token]
        return expires_at is None or self.clock.now() < expires_at

    def has_refresh(self, token: str) -> bool:
        """Whether a refresh token is known and not expired."""
        entry = self._refresh.get(token)
        return entry is not None and (entry[0] is None or self.clock.now() < entry[0])

    def expire(self, token: str) -> bool:
        """Make an access token fail from now on (whatever the clock does); returns whether it was known."""
        known = token in self._access
        if known:
            self._revoked.add(token)
        return known

    def scopes_of(self, token: str | None) -> frozenset[str]:
        """The scopes granted to an access token (empty for an unknown one)."""
        return self._scopes.get(token or "", frozenset())

    def mint(self, scope: str, ttl: int | None = ACCESS_TOKEN_TTL) -> str:
        """A new access token limited to ``scope`` (control plane: test what a narrow grant may do).

        Example:
            >>> store = TokenStore(Clock(fixed=0))
            >>> token = store.mint("ads:read")
            >>> store.is_valid(token), sorted(store.scopes_of(token))
            (True, ['ads:read'])
        """
        unknown = sorted(parse_scope(scope) - set(ALL_SCOPES))
        if unknown:
            raise ValueError(f"unknown scopes {unknown}; Pinterest's are {', '.join(ALL_SCOPES)}")
        token, _ = self._issue_access(scope, ttl)
        return token

    def _issue_access(self, scope: str, ttl: int | None = ACCESS_TOKEN_TTL) -> tuple[str, int]:
        token = "pina_" + secrets.token_urlsafe(24)
        self._access[token] = None if ttl is None else self.clock.now() + ttl
        self._scopes[token] = parse_scope(scope)
        return token, ACCESS_TOKEN_TTL if ttl is None else ttl

    def _issue_refresh(self, scope: str, ttl: int) -> str:
        token = "pinr_" + secrets.token_urlsafe(24)
        self._refresh[token] = (self.clock.now() + ttl, scope)
        return token

    def refresh(self, refresh_token: str, scope: str | None, rotate: bool) -> dict | None:
        """Grant for ``grant_type=refresh_token``; ``None`` when the refresh token is bad.

        With ``rotate`` (``refresh_on=true``) the old refresh token stops working and a new one
        is returned with ``response_type`` ``everlasting_refresh`` (digest §17 #16).
        """
        if not self.has_refresh(refresh_token):
            return None
        granted_scope = scope or self._refresh[refresh_token][1]
        access, expires_in = self._issue_access(granted_scope)
        grant = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": granted_scope,
            "response_type": "refresh_token",
        }
        if rotate:
            del self._refresh[refresh_token]
            new_refresh = self._issue_refresh(granted_scope, CONTINUOUS_REFRESH_TTL)
            grant.update(
                response_type="everlasting_refresh",
                refresh_token=new_refresh,
                refresh_token_expires_in=CONTINUOUS_REFRESH_TTL,
                refresh_token_expires_at=self.clock.now() + CONTINUOUS_REFRESH_TTL,
            )
        return grant

    def client_grant(self, scope: str) -> dict:
        """Grant for 5.23.0's ``grant_type=client_credentials``: an access token, no refresh token.

        Example:
            >>> sorted(TokenStore(Clock()).client_grant("ads:read"))
            ['access_token', 'expires_in', 'response_type', 'scope', 'token_type']
        """
        access, expires_in = self._issue_access(scope)
        return {"access_token": access, "token_type": "bearer", "expires_in": expires_in, "scope": scope,
                "response_type": "client_credentials"}

    def issue_code(self, client_id: str, redirect_uri: str, scope: str) -> str:
        """An authorization code for ``GET /oauth/`` (the emulator's user consents): bound to the app,
        the redirect URI and the scope, valid :data:`CODE_TTL` seconds, exchangeable once.

        Example:
            >>> store = TokenStore(Clock(fixed=0))
            >>> code = store.issue_code(DEMO_APP_ID, "http://127.0.0.1:8085/", "ads:read")
            >>> store.exchange_code(code, "http://127.0.0.1:8085/", DEMO_APP_ID)["scope"]
            'ads:read'
            >>> store.exchange_code(code, "http://127.0.0.1:8085/", DEMO_APP_ID) is None
            True
        """
        code = secrets.token_urlsafe(18)
        self._codes[code] = (self.clock.now() + CODE_TTL, client_id, redirect_uri, scope)
        return code

    def exchange_code(self, code: str, redirect_uri: str, app_id: str) -> dict | None:
        """Grant for ``grant_type=authorization_code``: ``None`` unless ``code`` was issued to this app
        for this redirect URI, has not expired and was not exchanged before (each code works once).

        The refresh token is a continuous one (60 days, refreshable indefinitely): 5.23's text says
        Pinterest no longer issues the legacy 365-day kind.
        """
        entry = self._codes.pop(code, None)
        if entry is None:
            return None
        expires_at, client_id, bound_uri, scope = entry
        if self.clock.now() >= expires_at or client_id != app_id or bound_uri != redirect_uri:
            return None
        access, expires_in = self._issue_access(scope)
        refresh = self._issue_refresh(scope, CONTINUOUS_REFRESH_TTL)
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": scope,
            "response_type": "authorization_code",
            "refresh_token": refresh,
            "refresh_token_expires_in": CONTINUOUS_REFRESH_TTL,
            "refresh_token_expires_at": self.clock.now() + CONTINUOUS_REFRESH_TTL,
        }
