"""Report file downloads: the emulator's stand-in for Pinterest's pre-signed S3 links.

``GET /_emulator/files/reports/<token>/metrics_report.txt?expires=<unix>&sig=<hmac>`` needs no
auth header (like S3 query-string authentication), is not rate limited and is not logged as an
API request. The signature and expiry are checked against the emulator clock: a bad signature
or an expired link → 403, an expired or unknown report → 404, each with an S3-style XML body
(see :mod:`pintools.emulator.models.reports`).

Example:
    >>> from pintools.emulator.models import EmulatorState
    >>> from pintools.emulator.app import create_app
    >>> client = create_app(EmulatorState()).test_client()
    >>> r = client.get("/_emulator/files/reports/nope/metrics_report.txt?expires=1&sig=x")
    >>> r.status_code, r.mimetype
    (403, 'application/xml')
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from pintools.emulator.models import EmulatorState
from pintools.emulator.models.reports import FILE_NAME, FILE_PREFIX


def files_blueprint(state: EmulatorState) -> Blueprint:
    """The download blueprint bound to one state.

    Example:
        >>> from pintools.emulator.models import EmulatorState
        >>> files_blueprint(EmulatorState()).url_prefix
        '/_emulator/files/reports'
    """
    bp = Blueprint("emulator_files", __name__, url_prefix=FILE_PREFIX)

    @bp.get(f"/<token>/{FILE_NAME}")
    def report_file(token: str):
        with state.lock:
            status, body, content_type = state.reports.download(token, request.args.get("expires"),
                                                                request.args.get("sig"))
        headers = {"Content-Disposition": f'attachment; filename="{FILE_NAME}"'} if status == 200 else {}
        return Response(body, status=status, content_type=content_type, headers=headers)

    return bp
