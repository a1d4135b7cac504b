"""Pieces every widget shares: a status line, turning exceptions into readable text, and the
static copy of a widget that survives export (HTML table, PNG chart)."""

from __future__ import annotations

import base64
import html
from typing import Any

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
    """Status text as small coloured HTML (``info``, ``ok``, ``error``).

    >>> status_html("3 rows", "ok")
    '<span style="color:#1a7f37">3 rows</span>'
    """
    colour = {"info": "#555", "ok": "#1a7f37", "error": "#b00020"}[kind]
    return f'<span style="color:{colour}">{html.escape(text)}</span>'


def png_html(png: bytes | None, alt: str) -> str:
    """A PNG as an inline ``<img>`` (base64), so the picture travels inside the HTML; ``""`` for none.

    >>> png_html(b"\\x89PNG", "chart")
    '<img alt="chart" style="max-width:900px" src="data:image/png;base64,iVBORw=="/>'
    """
    if not png:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" style="max-width:900px" src="data:image/png;base64,{data}"/>'


def static_bundle(view: Any, text: str, body: str, png: bytes | None = None) -> dict[str, Any]:
    """A widget's MIME bundle: the live view (``view``, an ipywidget) for JupyterLab, plus a
    static copy of what it shows now — ``body`` as text/html, ``png`` as image/png, ``text`` as
    text/plain — for nbconvert's HTML, GitHub's viewer, nbval and consoles. JupyterLab prefers the
    widget view; nbconvert drops it when the notebook holds no widget state and shows the HTML.

    >>> sorted(static_bundle(None, "W()", "<p>table</p>", b"\\x89PNG"))
    ['image/png', 'text/html', 'text/plain']
    """
    bundle: dict[str, Any] = dict(view._repr_mimebundle_()) if view is not None else {}
    bundle["text/plain"] = text
    bundle["text/html"] = f'<div class="pintools-static">{body}</div>'
    if png:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle
