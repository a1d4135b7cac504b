"""``connect()``: one client for the real API, Pinterest's sandbox, or the built-in emulator.

With no credentials anywhere (arguments, ``PINTEREST_*`` variables, config profile) it
starts the embedded emulator on loopback and says so in one line; with credentials it talks
to Pinterest. Everything above this module works the same either way.

>>> import pintools as pt
>>> client = pt.connect()                                   # doctest: +SKIP
pintools: no Pinterest credentials found, using the built-in emulator with demo data. ...
>>> client.mode                                             # doctest: +SKIP
'emulator'
"""

from __future__ import annotations

import datetime
import logging
import os
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import config
from .api import Services
from .api.conversions import ConversionToken
from .api.oauth import refresh_access_token
from .http.auth import RefreshingToken, RefreshRefused
from .http.errors import AuthError, InvalidRequest
from .http.ratelimit import Rate, RateBudget
from .http.requestor import DEFAULT_TIMEOUT, Requestor, StaticToken
from .http.retry import RetryPolicy
from .notice import tell

if TYPE_CHECKING:
    from .emulator import EmulatorServer

log = logging.getLogger("pintools.auth")

#: The embedded emulator's frozen "now", so demo analytics and notebooks are the same every day.
DEMO_CLOCK = "2026-11-15T12:00:00Z"
EMULATOR_NOTICE = (
    "pintools: no Pinterest credentials found, using the built-in emulator with demo data "
    "(its clock is frozen at 2026-11-15 12:00 UTC). "
    "Set PINTEREST_ACCESS_TOKEN (or a pintools profile) to work on a real ad account."
)


class Client(Services):
    """Services over one requestor, plus where they point.

    Attributes: ``ad_accounts``, ``campaigns``, ``ad_groups``, ``ads``, ``keywords`` (see
    :mod:`pintools.api`), ``requestor``, ``mode`` (``"emulator"``, ``"production"``,
    ``"sandbox"`` or ``"custom"``), ``emulator`` (the embedded server, when there is one) and
    ``sandbox`` (True when the API is Pinterest's sandbox, or an emulator acting as one: operations
    the sandbox does not serve are refused before sending, see :mod:`pintools.http.sandbox`).
    """

    def __init__(self, requestor: Requestor, *, mode: str, emulator: "EmulatorServer | None" = None) -> None:
        super().__init__(requestor)
        self.requestor = requestor
        self.mode = mode
        self.emulator = emulator
        self._currencies: dict[str, str] = {}
        self._currency_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Client(mode={self.mode!r}, base_url={self.requestor.base_url!r})"

    @property
    def sandbox(self) -> bool:
        """True when this client talks to Pinterest's sandbox (or an emulator acting as one).

        >>> connect("pina_...", base_url="sandbox").sandbox       # doctest: +SKIP
        True
        """
        return bool(getattr(self.requestor, "sandbox", False))

    def now(self) -> datetime.datetime:
        """The current UTC time as the API sees it: the built-in emulator's clock (which tests and
        demos may fix); otherwise the server's clock from the ``Date`` of its latest answer (an
        emulator process reached by URL answers with its own, frozen or not), or this machine's
        clock before the first answer."""
        if self.emulator is not None:
            return datetime.datetime.fromtimestamp(self.emulator.control.health()["now"], datetime.UTC)
        seen = self.requestor.server_time()
        if seen is not None:
            return datetime.datetime.fromtimestamp(seen, datetime.UTC)
        return datetime.datetime.now(datetime.UTC)

    def today(self) -> datetime.date:
        """Today's date in UTC as the API sees it (see :meth:`now`)."""
        return self.now().date()

    def currency_of(self, ad_account_id: str) -> str:
        """The ad account's currency (cached: one GET per account per client, also when threads
        ask for the same account at once — each account has its own lock, so others don't wait)."""
        with self._lock:
            if ad_account_id in self._currencies:
                return self._currencies[ad_account_id]
            lock = self._currency_locks.setdefault(ad_account_id, threading.Lock())
        with lock:
            with self._lock:
                if ad_account_id in self._currencies:
                    return self._currencies[ad_account_id]
            currency = self.ad_accounts.get(ad_account_id).get("currency") or "UNK"
            with self._lock:
                self._currencies[ad_account_id] = currency
        return currency


_embedded: "EmulatorServer | None" = None
_embedded_lock = threading.Lock()


def embedded_emulator() -> "EmulatorServer":
    """The process's embedded emulator, started on first use: seed ``PINTOOLS_EMULATOR_SEED``
    (default 42), clock ``PINTOOLS_EMULATOR_CLOCK`` (an ISO time, or ``now`` for the real clock;
    default the frozen :data:`DEMO_CLOCK`)."""
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            from .emulator import start

            seed = int(os.environ.get("PINTOOLS_EMULATOR_SEED", "42"))
            clock = os.environ.get("PINTOOLS_EMULATOR_CLOCK") or DEMO_CLOCK
            _embedded = start(seed=seed, clock=None if clock.lower() == "now" else clock)
        return _embedded


def _mode_for(base_url: str) -> str:
    if base_url == config.PRODUCTION_URL:
        return "production"
    if base_url == config.SANDBOX_URL:
        return "sandbox"
    return "custom"


def connect(
    credentials: config.Credentials | str | None = None,
    *,
    profile: str | None = None,
    base_url: str | None = None,
    emulator: "bool | EmulatorServer | None" = None,
    rate_limits: Mapping[str, Rate | float | None] | None = None,
    retry: RetryPolicy | None = None,
    timeout: tuple[float, float] | float = DEFAULT_TIMEOUT,
    quiet: bool = False,
    sandbox: bool | None = None,
    shared_budget: str | None = None,
) -> Client:
    """Open a client.

    ``credentials``: a :class:`~pintools.config.Credentials` or an access-token string; by
    default they come from the environment or the config ``profile``. ``base_url``:
    ``"production"``, ``"sandbox"`` or a URL (default ``PINTOOLS_BASE_URL`` or production).
    ``emulator``: ``None`` = use the embedded emulator only when there are no credentials;
    ``True`` = always; ``False`` = never (no credentials is then an error); or an
    :class:`~pintools.emulator.EmulatorServer` to use. ``rate_limits`` overrides the
    per-category budget, e.g. ``{"ads_read": Rate(per_minute=600)}``. ``sandbox``: whether the
    API is Pinterest's sandbox (default: True exactly when the base URL is the sandbox host; pass
    True with an emulator switched to sandbox mode). ``shared_budget``: a PostgreSQL URL
    (``postgresql://user:password@host/dbname``) whose table holds the rate budget, shared by every
    process and machine connecting with the same token and host
    (:mod:`pintools.http.shared_budget`); None (the default) keeps the budget in this process.

    The new client becomes the default that ``read_*`` functions use when they are not
    given one (the most recent ``connect()`` wins).

    >>> client = connect(emulator=True, quiet=True)                     # doctest: +SKIP
    >>> client = connect("pina_...", base_url="sandbox")                # doctest: +SKIP
    >>> client = connect("pina_...", shared_budget="postgresql://app:pw@db/pintools")  # doctest: +SKIP
    """
    if isinstance(credentials, str):
        credentials = config.Credentials(access_token=credentials)

    server = emulator if emulator is not None and not isinstance(emulator, bool) else None
    settings = None
    if server is None and emulator is not True:
        settings = config.load_settings(credentials=credentials, base_url=base_url, profile=profile)
        if settings.source == "none":
            if emulator is False:
                raise config_error(settings)
            server = embedded_emulator()
            if not quiet:
                tell(EMULATOR_NOTICE)
    elif emulator is True:
        server = embedded_emulator()
        if not quiet:
            tell(EMULATOR_NOTICE)

    if server is not None:
        token = credentials.access_token if credentials and credentials.access_token else server.access_token
        budget = _budget(rate_limits, shared_budget, server.base_url, token=token)
        requestor = Requestor(server.base_url, StaticToken(token), timeout=timeout, retry=retry, budget=budget,
                              sandbox=bool(sandbox))
        return _made_default(Client(requestor, mode="emulator", emulator=server))

    assert settings is not None
    in_sandbox = settings.base_url == config.SANDBOX_URL if sandbox is None else bool(sandbox)
    creds = settings.credentials
    budget = _budget(rate_limits, shared_budget, settings.base_url,
                     token=None if creds.can_refresh else creds.access_token, app_id=creds.app_id)
    requestor = Requestor(settings.base_url, None, timeout=timeout, retry=retry, budget=budget, sandbox=in_sandbox)
    if creds.can_refresh:
        requestor.auth = _refreshing_token(requestor, settings)
    else:
        requestor.auth = StaticToken(creds.access_token or "")
    client = Client(requestor, mode=_mode_for(settings.base_url))
    if settings.source == f"profile:{settings.profile}":  # the profile's own user: its conversion token fits
        stored = settings.config.conversion_token(settings.profile, settings.base_url)
        client.conversions.stored_token = ConversionToken(stored) if stored else None
    return _made_default(client)


def _budget(rate_limits: Mapping[str, Rate | float | None] | None, shared_budget: str | None, base_url: str,
            *, token: str | None, app_id: str | None = None) -> RateBudget:
    """This process's budget, or the one shared through PostgreSQL at ``shared_budget``, keyed by
    the host and the token (a refreshing client's access token changes: its app id then)."""
    if shared_budget is None:
        return RateBudget(rate_limits)
    from .http.shared_budget import SharedRateBudget, budget_key

    return SharedRateBudget(shared_budget, key=budget_key(base_url, token=token, app_id=app_id),
                            overrides=rate_limits)


def _made_default(client: Client) -> Client:
    set_default_client(client)
    return client


def _refreshing_token(requestor: Requestor, settings: config.Settings) -> RefreshingToken:
    creds = settings.credentials
    assert creds.app_id and creds.app_secret and creds.refresh_token

    def refresh(refresh_token: str) -> Mapping[str, Any]:
        try:
            return refresh_access_token(requestor, app_id=creds.app_id, app_secret=creds.app_secret,
                                        refresh_token=refresh_token)
        except (InvalidRequest, AuthError) as exc:
            if exc.status in (400, 401):  # what Pinterest answers to a refresh token it no longer knows
                raise RefreshRefused.about(exc, profile=settings.profile, source=settings.source) from None
            raise

    def on_rotate(token: RefreshingToken) -> None:
        try:
            path = config.persist_rotation(settings, access_token=token.access_token,
                                           refresh_token=token.refresh_token, expires_at=token.expires_at,
                                           refresh_token_expires_at=token.refresh_token_expires_at,
                                           scope=token.scope)
        except OSError as exc:  # the new token lives only in this process now: say so, loudly
            message = (f"pintools: WARNING: Pinterest rotated your refresh token but saving the new one to "
                       f"{settings.config.path} failed ({type(exc).__name__}: {exc.strerror or exc}). This run "
                       f"keeps working; the next one will be refused. Fix the file's permissions, then run: "
                       f"pintools auth login --profile {settings.profile}")
            log.error(message)
            print(message, file=sys.stderr)
            return
        tell(f"pintools: Pinterest rotated your refresh token; the new one is saved in {path} "
             f"(profile [{settings.profile}]).")

    return RefreshingToken(access_token=creds.access_token, refresh_token=creds.refresh_token,
                           expires_at=creds.expires_at, refresh=refresh, on_rotate=on_rotate)


def config_error(settings: config.Settings) -> Exception:
    """The error for 'emulator=False but no credentials', saying where credentials may come from."""
    from .http.errors import AuthError

    return AuthError(
        "No Pinterest credentials: set PINTEREST_ACCESS_TOKEN (or PINTEREST_REFRESH_TOKEN with "
        f"PINTEREST_APP_ID and PINTEREST_APP_SECRET), or add profile [{settings.profile}] to "
        f"{settings.config.path}."
    )


_default: Client | None = None
_default_lock = threading.RLock()  # default_client() -> connect() -> set_default_client() re-enters


def default_client() -> Client:
    """The client that ``read_*`` functions use when none is passed (``connect()`` on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = connect()
        return _default


def set_default_client(client: Client | None) -> None:
    """Make ``client`` the one ``read_*`` functions use by default (``None`` forgets it)."""
    global _default
    with _default_lock:
        _default = client
