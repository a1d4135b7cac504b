"""Bulk jobs (digest §13): upserts and downloads, their lifecycle, files and behaviour knobs.

A job starts RUNNING and runs once, under the lock it shares with the rest of the state, at the
first of:
- ``run_after`` seconds of real (monotonic) time after it was created, whether or not anyone
  polls it, like a job Pinterest has accepted (one daemon timer thread per :class:`BulkJobs`;
  ``run_after=None``: only polling runs it);
- the poll after ``polls_to_finish`` polls (default 1): each ``GET …/bulk/{request_id}`` counts.
Running it:
- an upsert applies its items (:mod:`pintools.emulator.models.bulk_upsert`) and ends SUCCEEDED,
  even when some items failed (items are independent), or FAILED when the job died
  (``kill_after``) or every item failed;
- a download selects the entities (:mod:`pintools.emulator.models.bulk_download`) and ends
  SUCCEEDED.
A finished job's poll answers ``result_url``: a fresh link valid 5 minutes on the emulator clock,
``/_emulator/files/bulk/<request_id>/result.json`` (``result.csv`` for CSV downloads and for
upserts with ``result_format="csv"``) with ``expires`` and ``sig`` query parameters, followed
without auth like a pre-signed S3 URL (403 when expired or badly signed, 404 for an unknown
file). A RUNNING answer has no ``result_url``.

The spec leaves the upsert result file's format open (it only says ``result_url`` lets you
"download the new or updated entity data"), so every shape here is **the emulator's guess**,
chosen by ``result_format`` (see :func:`pintools.emulator.models.bulk_upsert.result_file`):
``records`` (default), ``entities``, ``csv``, ``empty`` or ``garbage``. Clients should treat the
file as a hint and confirm outcomes by reading the entities back. Downloads ignore it: their file
follows their own ``output_format``.

``include_details=true`` adds ``details`` to the poll answer, an emulator extension (the spec's
``BulkUpsertStatusResponse`` has no field for it, digest §17 #8; clients must treat it as
optional): the upsert's per-item result records whatever ``result_format`` is (``[]`` while
RUNNING), or for a download ``[{"entity_type", "count"}]``.

Ids: an upsert's ``request_id`` is ``<ad_account_id>-<unix_s>-<uuid4>``, a download's a numeric
string. Another account's id, like an unknown one, is not found.

Behaviour (control plane; applies to jobs created afterwards): ``polls_to_finish`` (default 1),
``run_after`` (default 1.0 s; None = only polls), ``max_items_per_list`` (default 1000; checked
when an upsert is created), ``fail_items``, ``kill_after`` and ``result_format`` (see
:mod:`pintools.emulator.models.bulk_upsert`). :meth:`BulkJobs.close` (on a reset, or when the
server stops) forgets the pending timers: a job it discarded never runs.

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
    >>> _ = jobs.configure(run_after=0.01, polls_to_finish=100)
    >>> unpolled = jobs.create_upsert("549755885175", units=[])
    >>> wait_until(lambda: unpolled.status != "RUNNING"), unpolled.polls
    (True, 0)
    >>> jobs.close()
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pintools.emulator.models.bulk_download import to_file
from pintools.emulator.models.bulk_request import DEFAULT_MAX_ITEMS, DownloadSpec
from pintools.emulator.models.bulk_upsert import RESULT_FORMATS, no_entities, result_file
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.hashing import rng
from pintools.emulator.models.signed_links import XML, LinkSigner, no_such_key

log = logging.getLogger("pintools.emulator")

DEFAULT_POLLS_TO_FINISH = 1
DEFAULT_RUN_AFTER = 1.0
DEFAULT_RESULT_FORMAT = "records"
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
    run_after: float | None = None
    result_format: str = DEFAULT_RESULT_FORMAT
    status: str = "RUNNING"
    polls: int = 0
    finished: int | None = None
    records: list[dict] | None = None
    counts: dict[str, int] | None = None
    content: bytes | None = None

    @property
    def file_name(self) -> str:
        """``result.csv`` for a CSV download or a ``csv`` upsert result, else ``result.json``."""
        if self.kind == "upsert":
            return "result.csv" if self.result_format == "csv" else "result.json"
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
                "finished": self.finished, "run_after": self.run_after,
                "result_format": self.result_format if self.kind == "upsert" else None}


def wait_until(condition: Callable[[], bool], timeout: float = 5.0, step: float = 0.005) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False).

    Example:
        >>> wait_until(lambda: True), wait_until(lambda: False, timeout=0.01)
        (True, False)
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)
    return True


class _Timers:
    """One lazily started daemon thread calling ``fire(request_id)`` once each delay has passed.

    ``fire`` runs outside the timers' own lock (it takes the state lock itself); :meth:`close`
    drops every pending entry and ends the thread.
    """

    def __init__(self, fire: Callable[[str], None]):
        self._fire = fire
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, str]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    def add(self, delay: float, request_id: str) -> None:
        with self._cond:
            if self._closed:
                return
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), request_id))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="pintools-emulator-bulk-timers",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._heap)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify()

    def _next_due(self) -> str | None:
        """Wait for the next due entry; None once closed."""
        with self._cond:
            while not self._closed:
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait <= 0:
                    return heapq.heappop(self._heap)[2]
                self._cond.wait(wait)
            return None

    def _loop(self) -> None:
        while (request_id := self._next_due()) is not None:
            try:
                self._fire(request_id)
            except Exception:  # noqa: BLE001 - a broken job must not stop the other timers
                log.exception("bulk job %s failed to run", request_id)


class BulkJobs:
    """All bulk jobs of one emulator, guarded by ``lock`` (the state's RLock; a private one if None).

    ``run_upsert(job) -> (records, died)`` and ``build_download(job) -> {entity type: [entity]}``
    do the work when a job finishes (the state wires them to the models);
    ``render_written(account_id, {entity type: [id]}) -> {entity type: [entity]}`` renders what an
    upsert wrote, for the ``entities`` and ``csv`` result formats (default: every list empty).
    """

    def __init__(self, clock: Clock, seed: int, run_upsert: Callable[[BulkJob], tuple[list[dict], bool]],
                 build_download: Callable[[BulkJob], dict[str, list[dict]]],
                 render_written: Callable[[str, dict[str, list[str]]], dict[str, list[dict]]] | None = None,
                 lock=None):
        self.clock = clock
        self.run_upsert = run_upsert
        self.build_download = build_download
        self.render_written = render_written or (lambda account_id, ids: no_entities())
        self.lock = threading.RLock() if lock is None else lock
        self.jobs: dict[str, BulkJob] = {}
        self._ids = rng(seed, "bulk-request-ids")
        self._download_id = DOWNLOAD_ID_BASE + self._ids.randrange(0, 900_000)
        self._links = LinkSigner(clock)
        self._timers = _Timers(self._run_due)
        self._closed = False
        self.behaviour: dict = {}
        self.configure()

    def configure(self, polls_to_finish: int | None = DEFAULT_POLLS_TO_FINISH,
                  max_items_per_list: int | None = DEFAULT_MAX_ITEMS, fail_items=None,
                  kill_after: int | None = None, run_after: float | None = DEFAULT_RUN_AFTER,
                  result_format: str | None = DEFAULT_RESULT_FORMAT) -> dict:
        """Set how bulk jobs created from now on behave; ValueError on bad values.

        Example:
            >>> jobs = BulkJobs(Clock(), 0, lambda job: ([], False), lambda job: {})
            >>> jobs.configure(fail_items=["ad_groups:7", "2680060704746"])["fail_items"]
            ['ad_groups:7', '2680060704746']
            >>> b = jobs.configure(run_after=None, result_format="csv")
            >>> b["run_after"], b["result_format"]
            (None, 'csv')
            >>> jobs.configure(run_after=-1)
            Traceback (most recent call last):
            ...
            ValueError: run_after must be a number of seconds >= 0 or null
        """
        polls = DEFAULT_POLLS_TO_FINISH if polls_to_finish is None else polls_to_finish
        cap = DEFAULT_MAX_ITEMS if max_items_per_list is None else max_items_per_list
        file_format = DEFAULT_RESULT_FORMAT if result_format is None else result_format
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
        if run_after is not None and (isinstance(run_after, bool) or not isinstance(run_after, (int, float))
                                      or not math.isfinite(run_after) or run_after < 0):
            raise ValueError("run_after must be a number of seconds >= 0 or null")
        if file_format not in RESULT_FORMATS:
            raise ValueError(f"result_format must be one of {', '.join(RESULT_FORMATS)}")
        self.behaviour = {"polls_to_finish": polls, "max_items_per_list": cap, "fail_items": fail,
                          "kill_after": kill_after, "run_after": None if run_after is None else float(run_after),
                          "result_format": file_format}
        return {**self.behaviour, "fail_items": list(fail)}

    def _add(self, job: BulkJob) -> BulkJob:
        with self.lock:
            self.jobs[job.request_id] = job
            while len(self.jobs) > MAX_JOBS:
                del self.jobs[next(iter(self.jobs))]  # its timer, if any, will find nothing to run
        if job.run_after is not None:
            self._timers.add(job.run_after, job.request_id)
        return job

    def create_upsert(self, account_id: str, units: list) -> BulkJob:
        """A new RUNNING upsert of the planned units, with the current behaviour."""
        now = self.clock.now()
        request_id = f"{account_id}-{now}-{uuid.UUID(int=self._ids.getrandbits(128), version=4)}"
        b = self.behaviour
        return self._add(BulkJob(request_id, "upsert", account_id, now, b["polls_to_finish"], units=list(units),
                                 fail_items=tuple(b["fail_items"]), kill_after=b["kill_after"],
                                 run_after=b["run_after"], result_format=b["result_format"]))

    def create_download(self, account_id: str, spec: DownloadSpec) -> BulkJob:
        """A new RUNNING download."""
        self._download_id += self._ids.randrange(1, 400)
        return self._add(BulkJob(str(self._download_id), "download", account_id, self.clock.now(),
                                 self.behaviour["polls_to_finish"], spec=spec, run_after=self.behaviour["run_after"]))

    def _run_due(self, request_id: str) -> None:
        """A job's ``run_after`` has passed: run it unless it already ran or was discarded."""
        with self.lock:
            job = self.jobs.get(request_id)
            if not self._closed and job is not None and job.status == "RUNNING":
                self._finish(job)

    def _finish(self, job: BulkJob) -> None:
        if job.kind == "upsert":
            records, died = self.run_upsert(job)
            job.records = records
            every_failed = bool(records) and all(r["status"] == "FAILED" for r in records)
            job.status = "FAILED" if died or every_failed else "SUCCEEDED"
            job.content = result_file(records, job.result_format,
                                      lambda ids: self.render_written(job.account_id, ids))
        else:
            entities = self.build_download(job)
            job.counts = {entity_type: len(rows) for entity_type, rows in entities.items()}
            job.status = "SUCCEEDED"
            job.content = to_file(entities, job.spec.output_format)
        job.finished = self.clock.now()

    def poll(self, account_id: str, request_id: str, include_details: bool) -> dict | None:
        """The ``BulkUpsertStatusResponse`` of a poll (counts it), or None when unknown."""
        with self.lock:
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

    def pending_timers(self) -> int:
        """How many ``run_after`` timers have not fired yet (fired ones may find their job done)."""
        return self._timers.pending()

    def close(self) -> None:
        """Forget every pending timer for good: no job of these runs on its own any more (idempotent).

        Example:
            >>> jobs = BulkJobs(Clock(), 0, lambda job: ([], False), lambda job: {})
            >>> job = jobs.create_upsert("1", units=[])
            >>> jobs.pending_timers(), jobs.close(), jobs.pending_timers()
            (1, None, 0)
        """
        self._closed = True  # no lock needed: _run_due reads it under the lock, and stopping must not wait
        self._timers.close()
