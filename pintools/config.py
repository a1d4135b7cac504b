"""Credentials, profiles and the choice of API host.

Where credentials come from, first match wins:

1. arguments to :func:`pintools.connect`;
2. environment variables ``PINTEREST_ACCESS_TOKEN``, ``PINTEREST_REFRESH_TOKEN``,
   ``PINTEREST_APP_ID``, ``PINTEREST_APP_SECRET``;
3. a named profile in the config file (``PINTOOLS_CONFIG``, default
   ``~/.config/pintools/config.ini``; profile from ``PINTOOLS_PROFILE`` or ``default``).

No credentials at all means the built-in emulator. The host is ``PINTOOLS_BASE_URL`` (or the
``base_url`` argument): ``production``, ``sandbox`` or a full URL; default production.

The config file is INI, written with 0600 permissions; ``pintools auth login`` fills a profile
(tokens, their expiries, the granted ``scope``, ``base_url``). A profile without the app's id or
secret takes them from ``PINTEREST_APP_ID`` / ``PINTEREST_APP_SECRET``. A refresh token that Pinterest
rotates is saved to the profile it came from; for tokens that came from environment
variables it is saved to the profile too, tagged with a fingerprint of the environment's
token, and used in place of that (now spent) token on the next run.
``pintools auth conversion-token`` adds a ``conversion_token`` (and the host it belongs to) to a
profile; a client connected through that profile sends conversions with it.

>>> Credentials(access_token="secret", app_id="123")
Credentials(access_token=***, refresh_token=None, app_id='123', app_secret=None, expires_at=None)
>>> resolve_base_url("sandbox")
'https://api-sandbox.pinterest.com/v5'
"""

from __future__ import annotations

import configparser
import hashlib
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .files import user_path, write_private

PRODUCTION_URL = "https://api.pinterest.com/v5"
SANDBOX_URL = "https://api-sandbox.pinterest.com/v5"
_HOSTS = {"production": PRODUCTION_URL, "prod": PRODUCTION_URL, "sandbox": SANDBOX_URL}

ENV_VARS = {
    "access_token": "PINTEREST_ACCESS_TOKEN",
    "refresh_token": "PINTEREST_REFRESH_TOKEN",
    "app_id": "PINTEREST_APP_ID",
    "app_secret": "PINTEREST_APP_SECRET",
}
_SECRET_FIELDS = ("access_token", "refresh_token", "app_secret")
#: Profile key of the conversion token ``pintools auth conversion-token`` stores (a secret, like the others).
CONVERSION_TOKEN_KEY = "conversion_token"


@dataclass(frozen=True, repr=False)
class Credentials:
    """What it takes to call Pinterest. Secrets never appear in ``repr`` or ``str``."""

    access_token: str | None = None
    refresh_token: str | None = None
    app_id: str | None = None
    app_secret: str | None = None
    expires_at: float | None = None

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            text = "***" if f.name in _SECRET_FIELDS and value else repr(value)
            shown.append(f"{f.name}={text}")
        return f"Credentials({', '.join(shown)})"

    __str__ = __repr__

    @property
    def can_refresh(self) -> bool:
        """True when a refresh token and the app's id and secret are all present."""
        return bool(self.refresh_token and self.app_id and self.app_secret)

    @property
    def usable(self) -> bool:
        """True when there is an access token, or the means to get one."""
        return bool(self.access_token) or self.can_refresh

    def merged_over(self, other: "Credentials") -> "Credentials":
        """These credentials, with gaps filled from ``other``."""
        return Credentials(**{f.name: getattr(self, f.name) if getattr(self, f.name) is not None
                              else getattr(other, f.name) for f in fields(self)})


def resolve_base_url(value: str | None) -> str:
    """``production`` / ``sandbox`` / a URL → the API base URL (no trailing slash).

    >>> resolve_base_url(None)
    'https://api.pinterest.com/v5'
    >>> resolve_base_url("http://127.0.0.1:8765/v5/")
    'http://127.0.0.1:8765/v5'
    """
    if value is None or not value.strip():
        return PRODUCTION_URL
    value = value.strip()
    if value.lower() in _HOSTS:
        return _HOSTS[value.lower()]
    if not value.startswith(("http://", "https://")):
        raise ValueError(
            f"base URL {value!r} is neither 'production', 'sandbox' nor an http(s) URL "
            f"(e.g. http://127.0.0.1:8765/v5 for `pintools emulator serve`)"
        )
    return value.rstrip("/")


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials:
    """Read the ``PINTEREST_*`` variables (empty values count as unset).

    >>> credentials_from_env({"PINTEREST_ACCESS_TOKEN": "x"}).access_token
    'x'
    """
    environ = os.environ if environ is None else environ
    return Credentials(**{name: (environ.get(var) or None) for name, var in ENV_VARS.items()})


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$PINTOOLS_CONFIG``, else ``$XDG_CONFIG_HOME/pintools/config.ini``, else ``~/.config/...``."""
    return user_path("PINTOOLS_CONFIG", "config", "config.ini", environ=environ)


def fingerprint(secret: str) -> str:
    """A short, one-way tag for a secret, safe to store next to it (never the secret itself)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class ConfigFile:
    """Named profiles in an INI file, written atomically with 0600 permissions.

    >>> import tempfile, pathlib
    >>> cf = ConfigFile(pathlib.Path(tempfile.mkdtemp()) / "config.ini")
    >>> cf.save_profile("work", Credentials(access_token="t", app_id="1"), base_url="sandbox")
    >>> cf.load_profile("work").app_id, oct(cf.path.stat().st_mode & 0o777)
    ('1', '0o600')
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_config_path()

    def __repr__(self) -> str:
        return f"ConfigFile({str(self.path)!r})"

    def _read(self) -> configparser.ConfigParser:
        parser = configparser.ConfigParser(interpolation=None)
        if self.path.exists():
            parser.read(self.path, encoding="utf-8")
        return parser

    def profiles(self) -> list[str]:
        """The profile names in the file."""
        return self._read().sections()

    def load_profile(self, name: str) -> Credentials:
        """The credentials stored under ``name`` (empty credentials if there is no such profile)."""
        parser = self._read()
        if not parser.has_section(name):
            return Credentials()
        section = parser[name]
        expires = section.get("expires_at")
        return Credentials(
            access_token=section.get("access_token") or None,
            refresh_token=section.get("refresh_token") or None,
            app_id=section.get("app_id") or None,
            app_secret=section.get("app_secret") or None,
            expires_at=float(expires) if expires else None,
        )

    def get(self, name: str, key: str) -> str | None:
        """One raw value of a profile (e.g. ``base_url``)."""
        parser = self._read()
        return parser.get(name, key, fallback=None) if parser.has_section(name) else None

    def save_profile(self, name: str, creds: Credentials, **extra: str | None) -> None:
        """Create or update profile ``name``; ``extra`` adds keys such as ``base_url``."""
        parser = self._read()
        if not parser.has_section(name):
            parser.add_section(name)
        values = {f.name: getattr(creds, f.name) for f in fields(creds)} | extra
        for key, value in values.items():
            if value is None:
                parser.remove_option(name, key)
            else:
                parser.set(name, key, str(value))
        self._write(parser)

    def save_conversion_token(self, name: str, token: str, base_url: str) -> None:
        """Store a conversion token (``oauth/conversion_token``) in profile ``name``, with the host it
        belongs to; nothing else in the profile changes. The file stays 0600.

        >>> import tempfile, pathlib
        >>> cf = ConfigFile(pathlib.Path(tempfile.mkdtemp()) / "config.ini")
        >>> cf.save_conversion_token("work", "ct-secret", "sandbox")
        >>> cf.conversion_token("work", "https://api-sandbox.pinterest.com/v5")
        'ct-secret'
        """
        parser = self._read()
        if not parser.has_section(name):
            parser.add_section(name)
        parser.set(name, CONVERSION_TOKEN_KEY, token)
        parser.set(name, CONVERSION_TOKEN_KEY + "_base_url", resolve_base_url(base_url))
        self._write(parser)

    def conversion_token(self, name: str, base_url: str) -> str | None:
        """The conversion token stored in profile ``name`` for the host ``base_url`` (None if none)."""
        token = self.get(name, CONVERSION_TOKEN_KEY)
        host = self.get(name, CONVERSION_TOKEN_KEY + "_base_url")
        return token if token and host == resolve_base_url(base_url) else None

    def _write(self, parser: configparser.ConfigParser) -> None:
        text = io.StringIO()
        parser.write(text)
        write_private(self.path, text.getvalue())


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings: where to connect and with what.

    ``source`` says where the credentials came from: ``"arguments"``, ``"environment"``,
    ``"profile:<name>"`` or ``"none"``.
    """

    base_url: str
    credentials: Credentials
    source: str
    profile: str
    config: ConfigFile
    rotation_origin: str | None = None  # fingerprint of the environment's refresh token

    def __repr__(self) -> str:
        return f"Settings(base_url={self.base_url!r}, source={self.source!r}, credentials={self.credentials!r})"


def load_settings(
    *,
    credentials: Credentials | None = None,
    base_url: str | None = None,
    profile: str | None = None,
    config_path: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve credentials and host from arguments, environment and config file.

    >>> s = load_settings(environ={"PINTEREST_ACCESS_TOKEN": "x"}, config_path="/nonexistent/c.ini")
    >>> s.source, s.base_url
    ('environment', 'https://api.pinterest.com/v5')
    """
    environ = os.environ if environ is None else environ
    config = ConfigFile(config_path if config_path is not None else default_config_path(environ))
    profile = profile or environ.get("PINTOOLS_PROFILE") or "default"
    stored = config.load_profile(profile)

    given = credentials or Credentials()
    from_env = credentials_from_env(environ)
    if given.usable:
        creds, source = given.merged_over(from_env), "arguments"
    elif from_env.usable:
        creds, source = _apply_rotation(from_env, config, profile), "environment"
    elif stored.usable:
        app = Credentials(app_id=from_env.app_id, app_secret=from_env.app_secret)
        creds, source = stored.merged_over(app), f"profile:{profile}"
    else:
        creds, source = Credentials(), "none"

    origin = fingerprint(from_env.refresh_token) if source == "environment" and from_env.refresh_token else None
    url = base_url or environ.get("PINTOOLS_BASE_URL") or config.get(profile, "base_url")
    return Settings(resolve_base_url(url), creds, source, profile, config, origin)


def _apply_rotation(env_creds: Credentials, config: ConfigFile, profile: str) -> Credentials:
    """Swap in a refresh token saved after the environment's one was rotated away."""
    if not env_creds.refresh_token:
        return env_creds
    origin = config.get(profile, "rotated_from")
    if origin != fingerprint(env_creds.refresh_token):
        return env_creds
    saved = config.load_profile(profile)
    if not saved.refresh_token:
        return env_creds
    return replace(env_creds, refresh_token=saved.refresh_token,
                   access_token=saved.access_token or env_creds.access_token,
                   expires_at=saved.expires_at)


def persist_rotation(settings: Settings, *, access_token: str | None, refresh_token: str,
                     expires_at: float | None, refresh_token_expires_at: float | None = None,
                     scope: str | None = None) -> Path:
    """Save a rotated refresh token where the next run will find it; return the file path.

    >>> persist_rotation(settings, access_token="a", refresh_token="r", expires_at=None)  # doctest: +SKIP
    PosixPath('/home/me/.config/pintools/config.ini')
    """
    # a profile keeps its own app id/secret (those filled in from the environment stay out of the file)
    base = settings.config.load_profile(settings.profile) if settings.source.startswith("profile:") \
        else settings.credentials
    creds = replace(base, access_token=access_token, refresh_token=refresh_token, expires_at=expires_at)
    extra: dict[str, str | None] = {"base_url": settings.base_url,  # the token belongs to this host
                                    "refresh_token_expires_at": _number(refresh_token_expires_at)}
    if scope:
        extra["scope"] = scope
    if settings.source == "environment":
        # Remember which environment token this replaces; don't copy the app secret to a file.
        extra["rotated_from"] = settings.rotation_origin
        creds = replace(creds, app_secret=None)
    settings.config.save_profile(settings.profile, creds, **extra)
    return settings.config.path


def _number(value: float | None) -> str | None:
    return None if value is None else str(int(value))
