"""The embedded Pinterest Ads API v5 emulator (loopback HTTP server + control plane).

Importing this package is cheap: Flask, waitress and requests load only when a name below is
first used.

Example:
    >>> from pintools.emulator import start, DEMO_ACCESS_TOKEN
    >>> srv = start(seed=42)                                   # doctest: +SKIP
    >>> srv.access_token == DEMO_ACCESS_TOKEN                   # doctest: +SKIP
    True
    >>> srv.stop()                                             # doctest: +SKIP
"""

from __future__ import annotations

from pintools.emulator.constants import (
    DEMO_ACCESS_TOKEN,
    DEMO_APP_ID,
    DEMO_APP_SECRET,
    DEMO_REFRESH_TOKEN,
)

_LAZY = {
    "start": ("pintools.emulator.server", "start"),
    "serve": ("pintools.emulator.server", "serve"),
    "EmulatorServer": ("pintools.emulator.server", "EmulatorServer"),
    "EmulatorControl": ("pintools.emulator.control_client", "EmulatorControl"),
    "EmulatorControlError": ("pintools.emulator.control_client", "EmulatorControlError"),
    "create_app": ("pintools.emulator.app", "create_app"),
    "coverage": ("pintools.emulator.route_table", "coverage_report"),
    "EmulatorState": ("pintools.emulator.models", "EmulatorState"),
}

__all__ = [
    "DEMO_ACCESS_TOKEN",
    "DEMO_APP_ID",
    "DEMO_APP_SECRET",
    "DEMO_REFRESH_TOKEN",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module_name, attr = _LAZY[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pintools.emulator' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
