"""The one way the emulator writes a JSON answer (API routes and control plane alike).

Example:
    >>> json_response({"code": 2, "message": "x"}, 404).status_code
    404
"""

from __future__ import annotations

import json

from flask import Response


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    """A JSON response (UTF-8, compact, key order as built)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, mimetype="application/json", headers=headers or {})
