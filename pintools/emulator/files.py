"""File downloads: the emulator's stand-in for Pinterest's pre-signed S3 links.

- ``GET /_emulator/files/reports/<token>/metrics_report.txt?expires=<unix>&sig=<hmac>`` – async
  report files (see :mod:`pintools.emulator.models.reports`);
- ``GET /_emulator/files/bulk/<request_id>/result.json`` (or ``result.csv``) ``?expires=&sig=`` –
  bulk upsert result files and bulk download files (see :mod:`pintools.emulator.models.bulk`).
They need no auth header (like S3 query-string authentication), are not rate limited and are
not logged as API requests. The signature and expiry are checked against the emulator clock: a
bad signature or an expired link → 403, an unknown (or expired) file → 404, each with an
S3-style XML body.

Example:
    >>> from pintools.emulator.models import EmulatorState
    >>> from pintools.emulator.app import create_app
    >>> client = create_app(EmulatorState()).test_client()
    >>> r = client.get("/_emulator/files/reports/nope/metrics_report.txt?expires=1&sig=x")
    >>> r.status_code, r.mimetype
    (403, 'application/xml')
    >>> client.get("/_emulator/files/bulk/nope/result.json?expires=1&sig=x").status_code
    403
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from pintools.emulator.models import EmulatorState
from pintools.emulator.models import bulk as bulk_jobs
from pintools.emulator.models.reports import FILE_NAME, FILE_PREFIX

FILES_PREFIX = "/_emulator/files"


def _attachment(status: int, body: bytes, content_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'} if status == 200 else {}
    return Response(body, status=status, content_type=content_type, headers=headers)


def files_blueprint(state: EmulatorState) -> Blueprint:
    """The download blueprint bound to one state.

    Example:
        >>> from pintools.emulator.models import EmulatorState
        >>> files_blueprint(EmulatorState()).url_prefix
        '/_emulator/files'
    """
    bp = Blueprint("emulator_files", __name__, url_prefix=FILES_PREFIX)

    @bp.get(f"{FILE_PREFIX[len(FILES_PREFIX):]}/<token>/{FILE_NAME}")
    def report_file(token: str):
        with state.lock:
            status, body, content_type = state.reports.download(token, request.args.get("expires"),
                                                                request.args.get("sig"))
        return _attachment(status, body, content_type, FILE_NAME)

    @bp.get(f"{bulk_jobs.FILE_PREFIX[len(FILES_PREFIX):]}/<request_id>/<name>")
    def bulk_file(request_id: str, name: str):
        with state.lock:
            status, body, content_type = state.bulk.download(request_id, name, request.args.get("expires"),
                                                             request.args.get("sig"))
        return _attachment(status, body, content_type, name)

    return bp
