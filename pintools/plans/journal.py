"""The apply journal: an append-only JSON-lines file that survives a crash, and its lock.

Every step is written (and fsync'd) *before* pintools waits on it, so after a crash the file says
what was sent, which bulk jobs Pinterest accepted, and which rows are confirmed:

========== ==================================================================================
plan       the whole validated plan (first line)
chunk      a chunk about to be sent: number, stage, method, rows, and per create row the ids
           that already held its natural key (``pre_existing``), so read-back can tell new from old
cleared    ad-group budgets a switch to CBO is about to clear (rollback restores them)
bulk_request  Pinterest's request id(s) for a chunk, written as soon as the upsert answers
bulk_status   a bulk job's terminal status (SUCCEEDED / FAILED)
answered   a PATCH chunk's calls all answered
chunk_error   a chunk whose outcome could not be known from the response
row_result a row's result from read-back (result, message, created_id, read_back, applied_at)
resume     a resume started (process, pending rows); ``torn_line`` a torn last line was dropped
done       the apply (or resume) finished
========== ==================================================================================

One process at a time: :meth:`Journal.lock` takes an exclusive lock (``<journal>.lock``, released
when the process ends, however it ends); a second one gets :class:`JournalLocked` naming the holder.
A last line torn by a crash mid-write is detected on :meth:`Journal.open`, reported, and cut off by
:meth:`Journal.repair` before anything else is appended.

Where: ``$PINTOOLS_JOURNAL_DIR``, else ``$XDG_STATE_HOME/pintools/journals``, else
``~/.local/state/pintools/journals``; one file per apply, ``<plan_id>-<UTC time>.jsonl``, 0600.

>>> import tempfile
>>> from pintools.plans.model import EditPlan
>>> plan = EditPlan.from_changes([{"entity_type": "ad", "ad_account_id": "1", "id": "2", "field": "status",
...                                "before": "ACTIVE", "after": "PAUSED"}])
>>> j = Journal.create(plan, directory=tempfile.mkdtemp())
>>> j.log({"type": "row_result", "row": 0, "result": "applied", "message": ""})
>>> Journal.open(j.path).results()[0]["result"]
'applied'
>>> j.release()
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import JournalCorrupt, JournalLocked
from .model import EditPlan


def default_journal_dir() -> Path:
    """Where journals go by default (see the module docstring)."""
    from ..files import user_path

    return user_path("PINTOOLS_JOURNAL_DIR", "state", "journals")


@dataclass
class ChunkRecord:
    """What the journal knows about one sent chunk."""

    number: int
    method: str
    rows: list[int]
    pre_existing: dict[int, list[str]] = field(default_factory=dict)
    request_ids: list[str] | None = None  # bulk: None until Pinterest's answer was journaled
    statuses: dict[str, str] = field(default_factory=dict)  # bulk request id -> SUCCEEDED / FAILED
    answered: bool = False  # PATCH: every call answered
    error: str = ""

    @property
    def finished(self) -> bool:
        """Did the request(s) of this chunk certainly run to the end?"""
        if self.method == "patch":
            return self.answered
        return self.request_ids is not None and all(i in self.statuses for i in self.request_ids)


class Journal:
    """One apply's journal file. ``torn`` holds a torn last line found by :meth:`open`."""

    def __init__(self, path: Path, events: list[dict] | None = None, *, torn: str | None = None,
                 good_size: int | None = None) -> None:
        self.path = Path(path)
        self.events: list[dict] = list(events or [])
        self.torn = torn
        self._good_size = good_size
        self._lock_fd: int | None = None

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, {len(self.events)} events)"

    # ------------------------------------------------------------------ files and the lock
    @classmethod
    def create(cls, plan: EditPlan, directory: str | Path | None = None) -> "Journal":
        """Start (and lock) a journal for ``plan``; its first line is the whole plan."""
        folder = Path(directory) if directory is not None else default_journal_dir()
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(f"{folder} is a file: give a folder for journals")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        journal = cls(folder / f"{plan.plan_id}-{stamp}.jsonl")
        os.close(os.open(journal.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        journal.lock()
        journal.log({"type": "plan", "plan": plan.to_payload()})
        return journal

    @classmethod
    def open(cls, path: str | Path) -> "Journal":
        """Read a journal. A torn last line (a crash mid-write) is kept aside in ``torn``; any other
        unreadable line is :class:`JournalCorrupt`."""
        path = Path(path).expanduser()
        data = path.read_bytes()
        lines = data.split(b"\n")
        tail = lines.pop()  # after the last newline: empty unless the last write was cut short
        events: list[dict] = []
        good = 0
        torn = tail.decode("utf-8", "replace") if tail else None
        for number, line in enumerate(lines, start=1):
            try:
                events.append(json.loads(line))
            except ValueError:
                if number == len(lines) and not tail:
                    torn = line.decode("utf-8", "replace")
                    break
                raise JournalCorrupt(f"{path}: line {number} cannot be read, and it is not the last line; "
                                     f"the journal was damaged after the crash. Keep a copy and check the "
                                     f"rows of the plan in Ads Manager.") from None
            good += len(line) + 1
        if not events and not lines:
            raise JournalCorrupt(f"{path}: the apply stopped while writing its first line, before it sent "
                                 f"anything; nothing needs resuming — apply the plan again")
        if not events or events[0].get("type") != "plan":
            raise JournalCorrupt(f"{path} is not a pintools journal (its first line is not the plan)")
        return cls(path, events, torn=torn, good_size=good)

    def lock(self) -> "Journal":
        """Take the journal's exclusive lock, or raise :class:`JournalLocked` naming its holder."""
        if self._lock_fd is not None:
            return self
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = ""
            for _ in range(20):  # the holder writes who it is just after taking the lock
                holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
                if holder:
                    break
                time.sleep(0.025)
            holder = holder or "another process"
            os.close(fd)
            raise JournalLocked(f"{self.path.name} is in use by {holder}: let that apply or resume finish "
                                f"(or stop it) before resuming again", holder) from None
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} on {socket.gethostname()} since {since}".encode(), 0)
        self._lock_fd = fd
        return self

    def release(self) -> None:
        """Give the lock back (a crashed process gives it back by itself)."""
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def repair(self) -> str | None:
        """Cut off a torn last line (call with the lock held); the torn text, or None."""
        torn = self.torn
        if torn is None:
            return None
        with open(self.path, "r+b") as fh:
            fh.truncate(self._good_size)
            fh.flush()
            os.fsync(fh.fileno())
        self.torn = None
        self.log({"type": "torn_line", "text": torn[:500]})
        return torn

    def log(self, event: dict[str, Any]) -> None:
        """Append one event and make it durable before returning."""
        self.log_many([event])

    def log_many(self, events: Iterable[dict[str, Any]]) -> None:
        """Append several events with one write and one fsync."""
        at = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        stamped = [{"at": at, **e} for e in events]
        if not stamped:
            return
        data = "".join(json.dumps(e, default=str) + "\n" for e in stamped).encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        self.events += stamped

    # ------------------------------------------------------------------ what it says
    @property
    def plan(self) -> EditPlan:
        """The plan as it was when the apply started (validated, with its verdicts)."""
        return EditPlan.from_payload(self.events[0]["plan"])

    def results(self) -> dict[int, dict]:
        """The latest recorded result of each row: ``{row: {result, message, created_id, read_back, applied_at}}``."""
        return {int(e["row"]): {k: e.get(k) for k in ("result", "message", "created_id", "read_back", "applied_at")}
                for e in self.events if e.get("type") == "row_result"}

    def chunks(self) -> list[ChunkRecord]:
        """Every chunk sent so far, with what was journaled about its requests."""
        found: dict[int, ChunkRecord] = {}
        for e in self.events:
            kind = e.get("type")
            if kind == "chunk":
                found[int(e["chunk"])] = ChunkRecord(int(e["chunk"]), e["method"], [int(r) for r in e["rows"]],
                                                     {int(k): list(v) for k, v in (e.get("pre_existing") or {}).items()})
            elif kind in ("bulk_request", "bulk_status", "answered", "chunk_error") and int(e["chunk"]) in found:
                chunk = found[int(e["chunk"])]
                if kind == "bulk_request":
                    chunk.request_ids = list(e["request_ids"])
                elif kind == "bulk_status":
                    chunk.statuses[e["request_id"]] = e["status"]
                elif kind == "answered":
                    chunk.answered = True
                else:
                    chunk.error = str(e.get("error") or "")
        return list(found.values())

    def cleared(self) -> dict[str, list[dict]]:
        """Ad-group budget fields journaled before a switch to CBO cleared them, by campaign id."""
        return {e["campaign_id"]: e["ad_groups"] for e in self.events if e.get("type") == "cleared"}

    @property
    def finished(self) -> bool:
        return any(e.get("type") == "done" for e in self.events)
