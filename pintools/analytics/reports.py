"""Async reports: create, poll until a terminal status (with backoff and an overall timeout),
download within the link's lifetime, and parse the file into rows.

Terminal statuses (``BulkReportingJobStatus``): FINISHED → download; FAILED, EXPIRED,
CANCELLED, DOES_NOT_EXIST → :class:`ReportFailed` saying which and what to do. A poll that
outlasts ``timeout`` raises :class:`ReportTimeout` carrying the token, so the same report can
be picked up later with :func:`wait_for_report`.

>>> report_level("ad")
'PIN_PROMOTION'
>>> parse_report_file(b'{"5": [{"CAMPAIGN_ID": 5, "SPEND_IN_DOLLAR": 1.5}]}')
[{'CAMPAIGN_ID': 5, 'SPEND_IN_DOLLAR': 1.5}]
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..http.errors import PinterestError
from ..polling import PollPolicy
from .report_files import parse_report_file as parse_report_file  # every file layout: see .report_files
from .v523 import check_hour_columns

if TYPE_CHECKING:
    from ..api.analytics import Reports

log = logging.getLogger("pintools.reports")

LEVELS = {
    "ad_account": "ADVERTISER",
    "campaign": "CAMPAIGN",
    "ad_group": "AD_GROUP",
    "ad": "PIN_PROMOTION",
    "keyword": "KEYWORD",
}
ID_FILTERS = {"campaign": "campaign_ids", "ad_group": "ad_group_ids", "ad": "ad_ids"}
MAX_IDS_PER_REPORT = 500
TERMINAL_FAILURES = {
    "FAILED": "Pinterest could not produce the report; try again, or with fewer columns or a shorter range.",
    "EXPIRED": "the report expired (reports are kept for one hour); request it again.",
    "CANCELLED": "the report was cancelled; request it again.",
    "DOES_NOT_EXIST": "Pinterest has no report with this token (wrong account, or it expired long ago).",
}


class ReportFailed(PinterestError):
    """An async report ended in FAILED, EXPIRED, CANCELLED or DOES_NOT_EXIST."""

    def __init__(self, message: str, *, report_status: str, token: str | None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.report_status = report_status
        self.token = token


class ReportTimeout(PinterestError):
    """A report was still running when the overall timeout ran out (``token`` resumes it)."""

    def __init__(self, message: str, *, token: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.token = token


#: The polling reports use when none is given (module-level so a notebook or test can tune it).
DEFAULT_POLL = PollPolicy(first=1.0, longest=30.0, timeout=15 * 60.0)


def report_level(level: str, *, targeting: bool = False) -> str:
    """Our level name → ``MetricsReportingLevel`` (``_TARGETING`` variant for breakdowns)."""
    try:
        name = LEVELS[level]
    except KeyError:
        raise ValueError(f"report level must be one of {', '.join(LEVELS)}, got {level!r}") from None
    if targeting:
        if level == "keyword":
            raise ValueError("keyword reports have no targeting breakdown")
        return name + "_TARGETING"
    return name


def report_body(
    *,
    level: str,
    start_date: str,
    end_date: str,
    columns: Sequence[str],
    granularity: str,
    ids: Sequence[str] | None = None,
    targeting_types: Sequence[str] | None = None,
    attribution: Mapping[str, Any] | None = None,
    report_format: str = "JSON",
    reporting_timezone: str | None = None,
) -> dict:
    """The ``AdsAnalyticsCreateAsyncRequest`` body for one report (``reporting_timezone``: 5.23's
    beta field, left out when None). Conversion columns with ``granularity="HOUR"`` are refused, as
    for sync analytics (5.23: HOUR "no longer provides data for conversion metrics").

    >>> report_body(level="campaign", start_date="2026-01-01", end_date="2026-01-01", granularity="HOUR",
    ...             columns=["SPEND_IN_DOLLAR"])["level"]
    'CAMPAIGN'
    """
    check_hour_columns(granularity, columns)
    body: dict[str, Any] = {
        "start_date": start_date, "end_date": end_date, "granularity": granularity,
        "columns": list(columns), "level": report_level(level, targeting=bool(targeting_types)),
        "report_format": report_format, **(attribution or {}),
    }
    if reporting_timezone is not None:
        body["reporting_timezone"] = reporting_timezone
    if ids:
        if level not in ID_FILTERS:
            raise ValueError(f"{level} reports cannot be filtered by ids")
        if len(ids) > MAX_IDS_PER_REPORT:
            raise ValueError(f"a report takes at most {MAX_IDS_PER_REPORT} ids, got {len(ids)}")
        body[ID_FILTERS[level]] = list(ids)
    if targeting_types:
        if len(targeting_types) > 5:
            raise ValueError(f"a report takes at most 5 targeting types, got {len(targeting_types)}")
        body["targeting_types"] = list(targeting_types)
    return body


def wait_for_report(
    reports: "Reports",
    ad_account_id: str,
    token: str,
    *,
    poll: PollPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """Poll a report until it ends; return the downloaded file's bytes."""
    poll = poll or DEFAULT_POLL
    deadline = clock() + poll.timeout
    delays = poll.delays()
    refreshed_link = False
    while True:
        status = reports.get(ad_account_id, token)
        state = (status or {}).get("report_status")
        if state == "FINISHED":
            url = status.get("url")
            if not url:
                raise ReportFailed("The report finished without a download link.", report_status=state, token=token)
            try:
                return reports.download(url)
            except PinterestError as exc:
                if exc.status in (403, 404, 410) and not refreshed_link:
                    refreshed_link = True  # the link outlived its five minutes: ask for a fresh one
                    log.info("report %s: download link expired, asking for a fresh one", token)
                    continue
                raise
        if state in TERMINAL_FAILURES:
            raise ReportFailed(f"Async report {state}: {TERMINAL_FAILURES[state]}", report_status=state, token=token)
        if state != "IN_PROGRESS":
            raise ReportFailed(f"Async report answered an unknown status {state!r}.", report_status=str(state),
                               token=token)
        delay = next(delays)
        if clock() + delay > deadline:
            raise ReportTimeout(
                f"The report was still IN_PROGRESS after {poll.timeout:.0f} s. Resume with "
                f"pintools.analytics.reports.wait_for_report(client.reports, {ad_account_id!r}, token) "
                f"using the token on this error.", token=token)
        sleep(delay)
