"""Bulk jobs (digest §13): upserts and downloads, their lifecycle, files and behaviour knobs.

A job starts RUNNING. Each ``GET …/bulk/{request_id}`` counts a poll; after ``polls_to_finish``
polls (default 1) the next poll runs the job at once (the caller holds the state lock):
- an upsert applies its items (:mod:`pintools.emulator.models.bulk_upsert`) and ends SUCCEEDED,
  even when some items failed (items are independent), or FAILED when the job died
  (``kill_after``) or every item failed;
- a download selects the entities (:mod:`pintools.emulator.models.bulk_download`) and ends
  SUCCEEDED.
A finished job's poll answers ``result_url``: a fresh link valid 5 minutes on the emulator clock,
``/_emulator/files/bulk/<request_id>/result.json`` (``result.csv`` for CSV downloads) with
``expires`` and ``sig`` query parameters, followed without auth like a pre-signed S3 URL (403 when
expired or badly signed, 404 for an unknown file). A RUNNING answer has no ``result_url``.

``include_details=true`` adds ``details`` to the poll answer, an emulator extension (the spec's
``BulkUpsertStatusResponse`` has no field for it, digest §17 #8; clients must treat it as
optional): the upsert's result records (``[]`` while RUNNING), or for a download
``[{"entity_type", "count"}]``.

Ids: an upsert's ``request_id`` is ``<ad_account_id>-<unix_s>-<uuid4>``, a download's a numeric
string. Another account's id, like an unknown one, is not found.

Behaviour (control plane; applies to jobs created afterwards): ``polls_to_finish`` (default 1),
``max_items_per_list`` (default 1000; checked when an upsert is created), ``fail_items`` and
``kill_after`` (see :mod:`pintools.emulator.models.bulk_upsert`).

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> jobs = BulkJobs(Clock(fixed=1_700_000_000), seed=1, run_upsert=lambda job: ([], False),
    ...                 build_download=lambda job: {"CAMPAIGN": []})
    >>> job = jobs.create_upsert("549755885175", units=[])
    >>> job.request_id.startswith("549755885175-1700000000-")
    True
    >>> [jobs.poll("549755885175", job.request_id, False)["status"] for _ in range(2)]
    ['RUNNING', 'SUCCEEDED']
    >>> jobs.poll("549755885175", job.request_id, False)["result_url"].startswith(
    ...     f"/_emulator/files/bulk/{job.request_id}/result.json?expires=1700000300&sig=")
    True
    >>> jobs.poll("1", job.request_id, False) is None
    True
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pintools.emulator.models.bulk_download import to_file
from pintools.emulator.models.bulk_request import DEFAULT_MAX_ITEMS, DownloadSpec
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.hashing import rng
from pintools.emulator.models.signed_links import XML, LinkSigner, no_such_key

DEFAULT_POLLS_TO_FINISH = 1
URL_TTL = 300
MAX_JOBS = 1_000
FILE_PREFIX = "/_emulator/files/bulk"
DOWNLOAD_ID_BASE = 2_680_059_000_000


@dataclass
class BulkJob:
    """One bulk request (``kind`` upsert or download)."""

    request_id: str
    kind: str
    account_id: str
    created: int
    polls_to_finish: int
    units: list = field(default_factory=list)
    spec: DownloadSpec | None = None
    fail_items: tuple[str, ...] = ()
    kill_after: int | None = None
    status: str = "RUNNING"
    polls: int = 0
    finished: int | None = None
    records: list[dict] | None = None
    counts: dict[str, int] | None = None
    content: bytes | None = None

    @property
    def file_name(self) -> str:
        """``result.json``, or ``result.csv`` for a CSV download."""
        return "result.csv" if self.spec is not None and self.spec.output_format == "CSV" else "result.json"

    @property
    def items(self) -> int:
        """Result records of an upsert (one per item, per keyword for keyword creates); entities of a download."""
        if self.kind == "upsert":
            return len(self.units)
        return sum(self.counts.values()) if self.counts is not None else 0

    def as_dict(self) -> dict:
        return {"request_id": self.request_id, "kind": self.kind, "account_id": self.account_id,
                "status": self.status, "polls": self.polls, "items": self.items, "created": self.created,
                "finished": self.finished}


class BulkJobs:
    """All bulk jobs of one emulator. Not thread-safe by itself: the state lock guards it.

    ``run_upsert(job) -> (records, died)`` and ``build_download(job) -> {entity type: [entity]}``
    do the work when a job finishes (the state wires them to the models).
    """

    def __init__(self, clock: Clock, seed: int, run_upsert: Callable[[BulkJob], tuple[list[dict], bool]],
                 build_download: Callable[[BulkJob], dict[str, list[dict]]]):
        self.clock = clock
        self.run_upsert = run_upsert
        self.build_download = build_download
        self.jobs: dict[str, BulkJob] = {}
        self._ids = rng(seed, "bulk-request-ids")
        self._download_id = DOWNLOAD_ID_BASE + self._ids.randrange(0, 900_000)
        self._links = LinkSigner(clock)
        self.behaviour: dict = {}
        self.configure()

    def configure(self, polls_to_finish: int | None = DEFAULT_POLLS_TO_FINISH,
                  max_items_per_list: int | None = DEFAULT_MAX_ITEMS, fail_items=None,
                  kill_after: int | None = None) -> dict:
        """Set how bulk jobs created from now on behave; ValueError on bad values.

        Example:
            >>> jobs = BulkJobs(Clock(), 0, lambda job: ([], False), lambda job: {})
            >>> jobs.configure(fail_items=["ad_groups:7", "2680060704746"])["fail_items"]
            ['ad_groups:7', '2680060704746']
        """
        polls = DEFAULT_POLLS_TO_FINISH if polls_to_finish is None else polls_to_finish
        cap = DEFAULT_MAX_ITEMS if max_items_per_list is None else max_items_per_list
        if isinstance(polls, bool) or not isinstance(polls, int) or polls < 0:
            raise ValueError("polls_to_finish must be an integer >= 0")
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
            raise ValueError("max_items_per_list must be an integer >= 1")
        fail = list(fail_items or [])
        if not all(isinstance(x, str) and x for x in fail):
            raise ValueError("fail_items must be a list of entity ids or '<list>:<index>' strings")
        if kill_after is not None and (isinstance(kill_after, bool) or not isinstance(kill_after, int)
                                       or kill_after < 0):
            raise ValueError("kill_after must be an integer >= 0 or null")
        self.behaviour = {"polls_to_finish": polls, "max_items_per_list": cap, "fail_items": fail,
                          "kill_after": kill_after}
        return {**self.behaviour, "fail_items": list(fail)}

    def _add(self, job: BulkJob) -> BulkJob:
        self.jobs[job.request_id] = job
        while len(self.jobs) > MAX_JOBS:
            del self.jobs[next(iter(self.jobs))]
        return job

    def create_upsert(self, account_id: str, units: list) -> BulkJob:
        """A new RUNNING upsert of the planned units, with the current behaviour."""
        now = self.clock.now()
        request_id = f"{account_id}-{now}-{uuid.UUID(int=self._ids.getrandbits(128), version=4)}"
        return self._add(BulkJob(request_id, "upsert", account_id, now, self.behaviour["polls_to_finish"],
                                 units=list(units), fail_items=tuple(self.behaviour["fail_items"]),
                                 kill_after=self.behaviour["kill_after"]))

    def create_download(self, account_id: str, spec: DownloadSpec) -> BulkJob:
        """A new RUNNING download."""
        self._download_id += self._ids.randrange(1, 400)
        return self._add(BulkJob(str(self._download_id), "download", account_id, self.clock.now(),
                                 self.behaviour["polls_to_finish"], spec=spec))

    def _finish(self, job: BulkJob) -> None:
        if job.kind == "upsert":
            records, died = self.run_upsert(job)
            job.records = records
            every_failed = bool(records) and all(r["status"] == "FAILED" for r in records)
            job.status = "FAILED" if died or every_failed else "SUCCEEDED"
            job.content = to_file(records, "JSON")
        else:
            entities = self.build_download(job)
            job.counts = {entity_type: len(rows) for entity_type, rows in entities.items()}
            job.status = "SUCCEEDED"
            job.content = to_file(entities, job.spec.output_format)
        job.finished = self.clock.now()

    def poll(self, account_id: str, request_id: str, include_details: bool) -> dict | None:
        """The ``BulkUpsertStatusResponse`` of a poll (counts it), or None when unknown."""
        job = self.jobs.get(request_id)
        if job is None or job.account_id != account_id:
            return None
        job.polls += 1
        if job.status == "RUNNING" and job.polls > job.polls_to_finish:
            self._finish(job)
        body: dict = {"status": job.status}
        if job.content is not None:
            key = f"{job.request_id}/{job.file_name}"
            body["result_url"] = self._links.link(f"{FILE_PREFIX}/{key}", key, URL_TTL)
        if include_details:
            body["details"] = self._details(job)
        return body

    @staticmethod
    def _details(job: BulkJob) -> list[dict]:
        if job.kind == "upsert":
            return list(job.records or [])
        return [{"entity_type": t, "count": n} for t, n in (job.counts or {}).items()]

    def download(self, request_id: str, file_name: str, expires, sig) -> tuple[int, bytes, str]:
        """``(status, body, content type)`` for a GET of a result link."""
        key = f"{request_id}/{file_name}"
        denied = self._links.check(key, expires, sig)
        if denied is not None:
            return (*denied, XML)
        job = self.jobs.get(request_id)
        if job is None or job.content is None or job.file_name != file_name:
            return 404, no_such_key(key), XML
        return 200, job.content, "text/csv; charset=utf-8" if file_name.endswith(".csv") else "application/json"

    def list(self) -> list[dict]:
        """Every job (oldest first) as a dict."""
        return [job.as_dict() for job in self.jobs.values()]
