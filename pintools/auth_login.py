"""``pintools auth login``: Pinterest's OAuth authorization-code flow, with a loopback redirect.

The steps: a one-shot HTTP server listens on ``127.0.0.1`` (a free port, or ``port``); the browser
opens Pinterest's authorization page (``https://www.pinterest.com/oauth/`` with ``client_id``,
``redirect_uri``, ``response_type=code``, comma-separated ``scope`` and a random ``state``); after
the user consents Pinterest sends the browser to the redirect URI with ``code`` and ``state``; the
state is checked, the code exchanged at ``POST /v5/oauth/token`` (HTTP Basic app id:secret), and the
tokens stored in the profile (0600). Nothing prints a token or the secret.

Pinterest redirects only to a URI registered in the app's settings, exactly: register the one
printed (``http://127.0.0.1:PORT/``) and pass the same ``port`` every time.

Against an emulator (a ``base_url`` such as ``http://127.0.0.1:8765/v5``) the authorization page is
the emulator's ``/oauth/``, whose user consents at once.

>>> result = login(profile="work", port=8085)                          # doctest: +SKIP
Open this page to authorize pintools: https://www.pinterest.com/oauth/?client_id=...
>>> result.scope                                                        # doctest: +SKIP
'ads:read,ads:write,pins:read,user_accounts:read'
"""

from __future__ import annotations

import datetime
import getpass
import html
import os
import secrets
import threading
import time
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from . import config
from .api.oauth import exchange_code
from .http.errors import AuthError, ConnectionFailed, PinterestError, WriteOutcomeUnknown
from .http.requestor import Requestor

AUTHORIZE_URL = "https://www.pinterest.com/oauth/"  # the spec's pinterest_oauth2 authorizationUrl
#: What pintools' reads, writes, trends and delivery metrics need (pintools' choice, not Pinterest's rule).
DEFAULT_SCOPES = ("ads:read", "ads:write", "pins:read", "user_accounts:read")
DEFAULT_TIMEOUT = 300.0


class LoginFailed(AuthError):
    """The authorization did not end in tokens: refused, timed out, a forged or stale redirect, or a
    code Pinterest would not exchange. The message says which and what to do."""


@dataclass(frozen=True)
class LoginResult:
    """What ``login`` stored (no token in it): the profile, the file, the granted scope and expiries."""

    profile: str
    path: str
    scope: str
    expires_at: float | None
    refresh_token_expires_at: float | None


def authorize_url_for(base_url: str) -> str:
    """The authorization page for an API base URL: Pinterest's for production and sandbox, else the
    ``/oauth/`` page beside the URL's ``/v5`` (an emulator).

    >>> authorize_url_for("https://api.pinterest.com/v5")
    'https://www.pinterest.com/oauth/'
    >>> authorize_url_for("http://127.0.0.1:8765/v5")
    'http://127.0.0.1:8765/oauth/'
    """
    if base_url in (config.PRODUCTION_URL, config.SANDBOX_URL):
        return AUTHORIZE_URL
    return base_url.rstrip("/").removesuffix("/v5") + "/oauth/"


def authorization_url(page: str, *, client_id: str, redirect_uri: str, scopes: list[str] | tuple[str, ...],
                      state: str) -> str:
    """The URL the user opens: ``page`` with ``client_id``, ``redirect_uri``, ``response_type=code``,
    comma-separated ``scope`` and ``state``.

    >>> authorization_url(AUTHORIZE_URL, client_id="1", redirect_uri="http://127.0.0.1:8085/",
    ...                   scopes=["ads:read", "ads:write"], state="s")
    'https://www.pinterest.com/oauth/?client_id=1&redirect_uri=http%3A%2F%2F127.0.0.1%3A8085%2F&response_type=code&scope=ads%3Aread%2Cads%3Awrite&state=s'
    """
    query = {"client_id": client_id, "redirect_uri": redirect_uri, "response_type": "code",
             "scope": ",".join(scopes), "state": state}
    return page + ("&" if "?" in page else "?") + urlencode(query)


_PAGE = ("<!doctype html><html><head><meta charset='utf-8'><title>pintools</title></head>"
         "<body style='font-family: sans-serif'><h2>pintools: {title}</h2><p>{text}</p></body></html>")


class LoopbackReceiver:
    """A one-shot HTTP server on ``127.0.0.1`` that waits for the authorization redirect.

    >>> with LoopbackReceiver(port=0, state="s") as receiver:           # doctest: +SKIP
    ...     receiver.redirect_uri
    'http://127.0.0.1:53211/'
    """

    def __init__(self, port: int = 0, state: str = "") -> None:
        self.result: dict[str, str] | None = None
        self._done = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                if receiver._done.is_set() or not ({"code", "error"} & set(query)):
                    self._answer(404, "nothing here", "This address only receives Pinterest's redirect.")
                    return
                receiver.result = query
                receiver._done.set()
                if not secrets.compare_digest(query.get("state", "").encode(), state.encode()):
                    self._answer(400, "redirect refused", "This redirect does not belong to the login that is "
                                 "running, so pintools refused it. You can close this tab.")
                elif "code" in query:
                    self._answer(200, "authorization received",
                                 "You can close this tab and go back to the terminal.")
                else:
                    self._answer(400, "authorization not granted",
                                 f"Pinterest answered {html.escape(query['error'])}. You can close this tab; "
                                 "the terminal says what to do.")

            def _answer(self, status: int, title: str, text: str) -> None:
                body = _PAGE.format(title=title, text=text).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # the query holds the code: no log
                pass

        try:
            self._server = HTTPServer(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise LoginFailed(f"Could not listen on 127.0.0.1:{port} for Pinterest's redirect ({exc.strerror}). "
                              f"Pass another --port (and register its redirect URI in your app).") from None
        self.port = int(self._server.server_address[1])
        self.redirect_uri = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="pintools-oauth-redirect", daemon=True)
        self._thread.start()

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The redirect's query (``code``/``error``, ``state``), or None when none came in ``timeout`` s.

        >>> receiver.wait(300)                                          # doctest: +SKIP
        {'code': '...', 'state': '...'}
        """
        self._done.wait(timeout)
        return self.result

    def close(self) -> None:
        """Stop listening (the ``with`` block does it).

        >>> receiver.close()                                            # doctest: +SKIP
        """
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "LoopbackReceiver":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def login(
    *,
    profile: str | None = None,
    scopes: list[str] | tuple[str, ...] = DEFAULT_SCOPES,
    port: int = 0,
    app_id: str | None = None,
    base_url: str | None = None,
    open_browser: Callable[[str], object] | None = webbrowser.open,
    timeout: float = DEFAULT_TIMEOUT,
    prompt: Callable[[str], str] | None = None,
    say: Callable[[str], object] = print,
    environ: Mapping[str, str] | None = None,
    config_path: str | None = None,
) -> LoginResult:
    """Run the authorization-code flow and store the tokens in ``profile`` (see the module doc).

    The app id comes from ``app_id``, ``PINTEREST_APP_ID`` or the profile; the app secret from
    ``PINTEREST_APP_SECRET`` or the profile, else ``prompt`` (default :func:`getpass.getpass`, which does
    not echo) asks for it; it is then saved in the profile, 0600. ``open_browser=None`` prints the URL
    for the user to open instead.

    >>> login(profile="work", port=8085, open_browser=None)            # doctest: +SKIP
    """
    environ = os.environ if environ is None else environ
    settings = config.load_settings(profile=profile, base_url=base_url, config_path=config_path, environ=environ)
    stored = settings.config.load_profile(settings.profile)
    app_id = app_id or environ.get("PINTEREST_APP_ID") or stored.app_id
    if not app_id:
        raise LoginFailed("No app id: pass --app-id, set PINTEREST_APP_ID, or add app_id to profile "
                          f"[{settings.profile}] in {settings.config.path} (your app's id is on "
                          "developers.pinterest.com/apps).")
    secret_from_env = bool(environ.get("PINTEREST_APP_SECRET"))
    # a secret stored for another app is not this app's
    app_secret = environ.get("PINTEREST_APP_SECRET") or (stored.app_secret if stored.app_id in (None, app_id) else None)
    typed = not app_secret
    if typed:
        app_secret = (prompt or getpass.getpass)(f"App secret of Pinterest app {app_id} (not shown): ").strip()
        if not app_secret:
            raise LoginFailed("No app secret was given; nothing was changed.")

    state = secrets.token_urlsafe(24)
    with LoopbackReceiver(port, state) as receiver:
        url = authorization_url(authorize_url_for(settings.base_url), client_id=app_id,
                                redirect_uri=receiver.redirect_uri, scopes=list(scopes), state=state)
        say(f"Redirect URI (it must be registered, exactly, in your Pinterest app): {receiver.redirect_uri}"
            + ("" if port else " (a free port picked now: pass --port N to keep one URI you register once)"))
        if open_browser is None or not open_browser(url):
            say(f"Open this page to authorize pintools:\n  {url}")
        else:
            say("Your browser opened the authorization page; waiting for the answer "
                f"(up to {timeout:.0f} s)...")
        answer = receiver.wait(timeout)
    code = _checked_code(answer, state, timeout, receiver.redirect_uri)
    grant = _exchange(settings, app_id, app_secret, code, receiver.redirect_uri)
    result = _store(settings, grant, app_id, None if secret_from_env else app_secret, environ, say)
    if typed:
        say("The app secret you typed is kept in the profile too (0600), so pintools can refresh the tokens.")
    return result


def _checked_code(answer: dict[str, str] | None, state: str, timeout: float, redirect_uri: str) -> str:
    if answer is None:
        raise LoginFailed(f"No answer from Pinterest's authorization page within {timeout:.0f} s. If the page "
                          f"complained about the redirect URI, register {redirect_uri} in your app (and pass "
                          "--port to keep it). Then run `pintools auth login` again (--no-browser prints the URL "
                          "to open by hand).")
    if not secrets.compare_digest(answer.get("state", "").encode(), state.encode()):
        raise LoginFailed("The redirect carried a state that is not the one pintools sent, so it was refused "
                          "(it did not come from this login: a stale tab or a forged link). Nothing was "
                          "stored; run `pintools auth login` again.")
    if "error" in answer:
        reason = answer.get("error_description") or answer["error"]
        if answer["error"] == "access_denied":
            raise LoginFailed("Access was denied on Pinterest's authorization page, so there are no tokens. "
                              "Run `pintools auth login` again and choose to allow access.")
        raise LoginFailed(f"Pinterest's authorization page answered {answer['error']} ({reason}). Check the "
                          "app id, the redirect URI registered in the app and the --scopes, then try again.")
    return answer["code"]


def _exchange(settings: config.Settings, app_id: str, app_secret: str, code: str, redirect_uri: str) -> dict:
    requestor = Requestor(settings.base_url, None)
    try:
        return exchange_code(requestor, app_id=app_id, app_secret=app_secret, code=code, redirect_uri=redirect_uri)
    except (WriteOutcomeUnknown, ConnectionFailed):
        raise LoginFailed("The answer to the code exchange was lost (connection), and a code works once. "
                          "Run `pintools auth login` again.") from None
    except PinterestError as exc:
        raise LoginFailed(f"Pinterest would not exchange the authorization code (HTTP {exc.status}: {exc.message}). "
                          "Check the app id and secret (HTTP 401 means they were refused), then run "
                          "`pintools auth login` again.") from None


def _store(settings: config.Settings, grant: dict, app_id: str, app_secret: str | None,
           environ: Mapping[str, str], say: Callable[[str], object]) -> LoginResult:
    access, refresh = grant.get("access_token"), grant.get("refresh_token")
    if not isinstance(access, str) or not access:
        raise LoginFailed("The token endpoint answered without an access_token; nothing was stored.")
    now = time.time()
    expires_in = grant.get("expires_in")
    expires_at = now + float(expires_in) if isinstance(expires_in, (int, float)) else None
    rt_at, rt_in = grant.get("refresh_token_expires_at"), grant.get("refresh_token_expires_in")
    rt_expires = float(rt_at) if isinstance(rt_at, (int, float)) else \
        now + float(rt_in) if isinstance(rt_in, (int, float)) else None
    scope = str(grant.get("scope") or "")
    env_refresh = environ.get("PINTEREST_REFRESH_TOKEN")
    creds = config.Credentials(access_token=access, refresh_token=refresh if isinstance(refresh, str) else None,
                               app_id=app_id, app_secret=app_secret, expires_at=expires_at)
    settings.config.save_profile(
        settings.profile, creds, scope=scope or None, base_url=settings.base_url,
        refresh_token_expires_at=None if rt_expires is None else str(int(rt_expires)),
        # tokens from the environment are superseded by these (see config._apply_rotation)
        rotated_from=config.fingerprint(env_refresh) if env_refresh else None,
    )
    say(f"Logged in: profile [{settings.profile}] in {settings.config.path} (0600), host {settings.base_url}.")
    say(f"Granted scopes: {scope or '(none named)'}")
    say(f"Access token expires {describe_time(expires_at, now)}; refresh token expires {describe_time(rt_expires, now)}.")
    if environ.get("PINTEREST_ACCESS_TOKEN") and not env_refresh:
        say("Note: PINTEREST_ACCESS_TOKEN is set in this environment and takes precedence over the profile: "
            "unset it to use the new tokens.")
    return LoginResult(settings.profile, str(settings.config.path), scope, expires_at, rt_expires)


def describe_time(at: float | None, now: float) -> str:
    """``2026-12-03 19:00 UTC (in 30 days)`` or ``at an unknown time``.

    >>> describe_time(86400 * 2, 0)
    '1970-01-03 00:00 UTC (in 2 days)'
    """
    if at is None:
        return "at an unknown time"
    stamp = datetime.datetime.fromtimestamp(at, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{stamp} ({relative(at - now)})"


def relative(seconds: float) -> str:
    """A duration from now in words: ``in 3 days``, ``2 h ago``.

    >>> relative(3 * 86400 + 5), relative(-7200), relative(100)
    ('in 3 days', '2 h ago', 'in 2 min')
    """
    size = abs(seconds)
    text = f"{round(size / 86400)} days" if size >= 2 * 86400 else f"{round(size / 3600)} h" if size >= 3600 \
        else f"{round(size / 60)} min"
    return f"in {text}" if seconds >= 0 else f"{text} ago"
