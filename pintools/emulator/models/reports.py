"""Async report jobs: lifecycle, pre-signed download links, and the emulator's behaviour knobs.

A job starts IN_PROGRESS. Each ``GET …/reports?token=`` counts a poll; after
``polls_to_finish`` polls (default 2) the next poll ends the job with the configured outcome
(default FINISHED; or FAILED, CANCELLED, EXPIRED). A FINISHED job's file is built then, "as of"
the job's creation time, and every later poll hands out a fresh link valid ``url_ttl_seconds``
(default 300) on the emulator clock; the file's layout (not in the spec) is a switch too
(:mod:`.report_layouts`). One hour after finishing the job is EXPIRED. Unknown tokens
(or another account's) are DOES_NOT_EXIST. Behaviour changes apply to jobs created afterwards.

Links look like ``/_emulator/files/reports/<token>/metrics_report.txt?expires=<unix>&sig=<hmac>``
and need no auth header, like a pre-signed S3 URL. A bad signature or an expired link answers 403
and an expired/unknown report 404, with an S3-style XML error body.

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> clock = Clock(fixed=1_700_000_000)
    >>> jobs = Reports(clock, seed=1, build=lambda job: b"{}")
    >>> token = jobs.create("5", spec=None).token
    >>> [jobs.poll("5", token)["report_status"] for _ in range(3)]
    ['IN_PROGRESS', 'IN_PROGRESS', 'FINISHED']
    >>> jobs.poll("5", token)["url"].startswith(f"/_emulator/files/reports/{token}/metrics_report.txt?expires=")
    True
    >>> jobs.poll("6", token)["report_status"]
    'DOES_NOT_EXIST'
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from pintools.emulator.models.clock import Clock
from pintools.emulator.models.hashing import rng
from pintools.emulator.models.report_layouts import DEFAULT_LAYOUT, check_layout
from pintools.emulator.models.signed_links import XML, LinkSigner, no_such_key

DEFAULT_POLLS_TO_FINISH = 2
DEFAULT_URL_TTL = 300
REPORT_TTL = 3_600
OUTCOMES = ("FINISHED", "FAILED", "EXPIRED", "CANCELLED")
MAX_JOBS = 1_000
FILE_PREFIX = "/_emulator/files/reports"
FILE_NAME = "metrics_report.txt"


@dataclass
class ReportJob:
    """One async report."""

    token: str
    account_id: str
    spec: object
    created: int
    polls_to_finish: int
    outcome: str
    url_ttl: int
    status: str = "IN_PROGRESS"
    polls: int = 0
    finished: int | None = None
    content: bytes | None = None
    layout: dict | None = None  # the file layout (report_layouts), fixed when the job is created

    def as_dict(self) -> dict:
        level = getattr(self.spec, "level", None)
        report_format = getattr(self.spec, "report_format", None)
        return {"token": self.token, "account_id": self.account_id, "status": self.status, "polls": self.polls,
                "level": level, "report_format": report_format, "created": self.created, "finished": self.finished,
                "size": None if self.content is None else len(self.content)}


class Reports:
    """All report jobs of one emulator. Not thread-safe by itself: the state lock guards it."""

    def __init__(self, clock: Clock, seed: int, build: Callable[[ReportJob], bytes]):
        self.clock = clock
        self.build = build
        self.jobs: dict[str, ReportJob] = {}
        self._tokens = rng(seed, "report-tokens")
        self._links = LinkSigner(clock)
        self.behaviour = {}
        self.configure()

    def configure(self, polls_to_finish: int | None = DEFAULT_POLLS_TO_FINISH, outcome: str | None = "FINISHED",
                  url_ttl_seconds: int | None = DEFAULT_URL_TTL, json_layout: str | None = None,
                  column_names: str | None = None, csv_bom: bool | None = None,
                  file_format: str | None = None) -> dict:
        """Set how reports created from now on behave, file layout included (``json_layout``,
        ``column_names``, ``csv_bom``, ``file_format``: see :mod:`.report_layouts`; None → default);
        ValueError on bad values."""
        polls = DEFAULT_POLLS_TO_FINISH if polls_to_finish is None else polls_to_finish
        ttl = DEFAULT_URL_TTL if url_ttl_seconds is None else url_ttl_seconds
        outcome = outcome or "FINISHED"
        if isinstance(polls, bool) or not isinstance(polls, int) or polls < 0:
            raise ValueError("polls_to_finish must be an integer >= 0")
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 1:
            raise ValueError("url_ttl_seconds must be an integer >= 1")
        layout = check_layout(json_layout, column_names, csv_bom, file_format)
        self.behaviour = {"polls_to_finish": polls, "outcome": outcome, "url_ttl_seconds": ttl, **layout}
        return dict(self.behaviour)

    def create(self, account_id: str, spec) -> ReportJob:
        """A new IN_PROGRESS job with the current behaviour."""
        token = str(uuid.UUID(int=self._tokens.getrandbits(128), version=4))
        job = ReportJob(token, account_id, spec, self.clock.now(), self.behaviour["polls_to_finish"],
                        self.behaviour["outcome"], self.behaviour["url_ttl_seconds"],
                        layout={k: self.behaviour[k] for k in DEFAULT_LAYOUT})
        self.jobs[token] = job
        while len(self.jobs) > MAX_JOBS:
            del self.jobs[next(iter(self.jobs))]
        return job

    def _refresh(self, job: ReportJob, now: int) -> None:
        if job.status == "FINISHED" and job.finished is not None and now >= job.finished + REPORT_TTL:
            job.status, job.content = "EXPIRED", None

    def poll(self, account_id: str, token: str) -> dict:
        """``{report_status, url (path + query, or None), size}`` for a GET of the report."""
        job = self.jobs.get(token)
        if job is None or job.account_id != account_id:
            return {"report_status": "DOES_NOT_EXIST", "url": None, "size": None}
        now = self.clock.now()
        job.polls += 1
        if job.status == "IN_PROGRESS" and job.polls > job.polls_to_finish:
            job.status, job.finished = job.outcome, now
            if job.outcome == "FINISHED":
                job.content = self.build(job)
        self._refresh(job, now)
        if job.status != "FINISHED":
            return {"report_status": job.status, "url": None, "size": None}
        url = self._links.link(f"{FILE_PREFIX}/{token}/{FILE_NAME}", token, job.url_ttl)
        return {"report_status": "FINISHED", "url": url, "size": len(job.content)}

    def sign(self, token: str, expires: int) -> str:
        """The HMAC-SHA256 signature of a download link."""
        return self._links.sign(token, expires)

    def download(self, token: str, expires, sig) -> tuple[int, bytes, str]:
        """``(status, body, content type)`` for a GET of a download link."""
        denied = self._links.check(token, expires, sig)
        if denied is not None:
            return (*denied, XML)
        job = self.jobs.get(token)
        if job is not None:
            self._refresh(job, self.clock.now())
        if job is None or job.status != "FINISHED" or job.content is None:
            return 404, no_such_key(f"{token}/{FILE_NAME}"), XML
        return 200, job.content, "application/octet-stream"

    def list(self) -> list[dict]:
        """Every job (oldest first) as a dict, statuses refreshed."""
        now = self.clock.now()
        for job in self.jobs.values():
            self._refresh(job, now)
        return [job.as_dict() for job in self.jobs.values()]

    def clear(self) -> None:
        """Forget every job and restore the default behaviour."""
        self.jobs.clear()
        self.configure()
