"""Pieces every widget shares: a status line and turning exceptions into readable text."""

from __future__ import annotations

import html

from ..http.errors import AuthError, PinterestError


def describe_error(exc: BaseException) -> str:
    """One readable sentence for a failure shown in a widget (never a traceback).

    >>> describe_error(ValueError("end_date 2026-01-02 is before start_date 2026-01-05"))
    'Check the inputs: end_date 2026-01-02 is before start_date 2026-01-05'
    """
    if isinstance(exc, AuthError):
        return f"Pinterest did not accept the credentials: {exc.message}"
    if isinstance(exc, PinterestError):
        return f"Pinterest answered with an error: {exc}"
    if isinstance(exc, (ValueError, TypeError)):
        return f"Check the inputs: {exc}"
    return f"Something went wrong ({type(exc).__name__}): {exc}"


def status_html(text: str, kind: str = "info") -> str:
    """Status text as small coloured HTML (``info``, ``ok``, ``error``)."""
    colour = {"info": "#555", "ok": "#1a7f37", "error": "#b00020"}[kind]
    return f'<span style="color:{colour}">{html.escape(text)}</span>'
