"""``pintools auth status``: which credentials pintools would use, and how long they last.

It shows the profile, where the credentials come from (arguments never apply here: environment,
profile or none), the host, the app id, the granted scopes, when the access and refresh tokens
expire (UTC and relative) and whether pintools can refresh. Never a token or the app secret.

>>> print(auth_status(profile="work"))                                  # doctest: +SKIP
profile: work (/home/me/.config/pintools/config.ini)
credentials from: profile [work]
...
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

from . import config
from .auth_login import describe_time


def auth_status(*, profile: str | None = None, config_path: str | None = None,
                environ: Mapping[str, str] | None = None, now: float | None = None) -> str:
    """The status lines for ``profile`` (see the module doc).

    >>> text = auth_status(profile="none-here", config_path="/nonexistent/c.ini", environ={})
    >>> text.splitlines()[1]
    'credentials from: none (pintools would use its built-in emulator)'
    """
    settings = config.load_settings(profile=profile, config_path=config_path, environ=environ)
    creds, cfg, name = settings.credentials, settings.config, settings.profile
    now = time.time() if now is None else now
    from_profile = settings.source.startswith("profile:") or (
        settings.source == "environment" and settings.rotation_origin is not None
        and cfg.get(name, "rotated_from") == settings.rotation_origin)
    source = {"environment": "environment (PINTEREST_* variables)", "none":
              "none (pintools would use its built-in emulator)"}.get(settings.source, f"profile [{name}]")
    lines = [f"profile: {name} ({cfg.path})", f"credentials from: {source}"]
    if settings.source == "none":
        lines.append(f"To get tokens: pintools auth login --profile {name}")
        return "\n".join(lines)
    if from_profile and settings.source == "environment":
        lines.append(f"  (the environment's refresh token was replaced by the one in profile [{name}])")
    scope = cfg.get(name, "scope") if from_profile else None
    rt_at = cfg.get(name, "refresh_token_expires_at") if from_profile else None
    rt_expires = float(rt_at) if rt_at else None
    lines += [
        f"host: {settings.base_url}",
        f"app id: {creds.app_id or '(none)'}",
        f"scopes: {scope or 'unknown (not recorded; `pintools auth login` records them)'}",
        f"access token: {_token_line(bool(creds.access_token), creds.expires_at, now)}",
        f"refresh token: {_token_line(bool(creds.refresh_token), rt_expires, now)}",
        f"can refresh: {_refresh_line(creds)}",
        f"conversion token: {_conversion_line(cfg, name, settings.base_url, environ)}",
    ]
    if not creds.can_refresh or _expired(rt_expires, now):
        lines.append(f"To get new tokens: pintools auth login --profile {name}")
    return "\n".join(lines)


def _conversion_line(cfg: config.ConfigFile, name: str, base_url: str, environ: Mapping[str, str] | None) -> str:
    """Which conversion token ``events/create`` would use (never the token itself)."""
    env = os.environ if environ is None else environ
    if env.get("PINTEREST_CONVERSION_TOKEN"):
        return "from PINTEREST_CONVERSION_TOKEN (used for events/create)"
    if cfg.conversion_token(name, base_url):
        return "stored in the profile for this host (used for events/create)"
    return f"none (events/create uses the access token; `pintools auth conversion-token --profile {name}` gets one)"


def _expired(at: float | None, now: float) -> bool:
    return at is not None and at <= now


def _token_line(present: bool, expires_at: float | None, now: float) -> str:
    """``none``, ``present, expiry unknown``, ``present, expires …`` or ``present but EXPIRED …``."""
    if not present:
        return "none"
    if expires_at is None:
        return "present, expiry not recorded"
    if expires_at <= now:
        return f"present but EXPIRED {describe_time(expires_at, now)}"
    return f"present, expires {describe_time(expires_at, now)}"


def _refresh_line(creds: config.Credentials) -> str:
    """``yes`` or ``no (missing: …)``."""
    missing = [what for what, value in (("refresh token", creds.refresh_token), ("app id", creds.app_id),
                                        ("app secret", creds.app_secret)) if not value]
    return "yes" if not missing else f"no (missing: {', '.join(missing)})"
