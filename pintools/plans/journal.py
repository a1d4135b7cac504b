"""The apply journal: an append-only JSON-lines file that survives a crash.

Before a chunk is sent, the journal records which plan rows it carries; after, their
outcomes. Each line is flushed and fsync'd before the next step, so after a crash the file
says exactly which rows were confirmed, which were in flight, and which never left.

Where: ``$PINTOOLS_JOURNAL_DIR``, else ``$XDG_STATE_HOME/pintools/journals``, else
``~/.local/state/pintools/journals``; one file per apply, ``<plan_id>-<UTC time>.jsonl``.

Lines (``type``): ``plan`` (the whole plan, first line), ``chunk_sent`` (chunk number, method,
rows), ``chunk_request`` (Pinterest's request ids), ``row_result`` (row, result, message,
created id), ``chunk_unknown`` (the outcome of a chunk could not be known), ``done``.

>>> import tempfile
>>> from pintools.plans.model import EditPlan
>>> plan = EditPlan.from_changes([{"entity_type": "ad", "ad_account_id": "1", "id": "2", "field": "status",
...                                "before": "ACTIVE", "after": "PAUSED"}])
>>> j = Journal.create(plan, directory=tempfile.mkdtemp())
>>> j.log({"type": "row_result", "row": 0, "result": "applied", "message": ""})
>>> Journal.open(j.path).results()
{0: ('applied', '')}
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import EditPlan


def default_journal_dir() -> Path:
    """Where journals go by default (see the module docstring)."""
    from ..files import user_path

    return user_path("PINTOOLS_JOURNAL_DIR", "state", "journals")


class Journal:
    """One apply's journal file."""

    def __init__(self, path: Path, events: list[dict] | None = None) -> None:
        self.path = Path(path)
        self.events: list[dict] = list(events or [])

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, {len(self.events)} events)"

    @classmethod
    def create(cls, plan: "EditPlan", directory: str | Path | None = None) -> "Journal":
        """Start a journal for ``plan`` (its first line is the whole plan)."""
        folder = Path(directory) if directory is not None else default_journal_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        journal = cls(folder / f"{plan.plan_id}-{stamp}.jsonl")
        journal.log({"type": "plan", "plan": plan.to_payload()})
        return journal

    @classmethod
    def open(cls, path: str | Path) -> "Journal":
        """Read a journal; a torn last line (a crash mid-write) is ignored."""
        events = []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    events.append(json.loads(line))
                except ValueError:
                    break
        if not events or events[0].get("type") != "plan":
            raise ValueError(f"{path} is not a pintools journal (its first line is not the plan)")
        return cls(Path(path), events)

    def log(self, event: dict[str, Any]) -> None:
        """Append one event and make it durable before returning."""
        event = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), **event}
        line = json.dumps(event, default=str) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        self.events.append(event)

    @property
    def plan(self) -> "EditPlan":
        from .model import EditPlan

        return EditPlan.from_payload(self.events[0]["plan"])

    def results(self) -> dict[int, tuple[str, str]]:
        """Confirmed outcomes by plan row: ``{row: (result, message)}``."""
        return {int(e["row"]): (e["result"], e.get("message") or "") for e in self.events
                if e.get("type") == "row_result"}

    def created(self) -> dict[int, str]:
        """Ids of entities created, by plan row."""
        return {int(e["row"]): str(e["created_id"]) for e in self.events
                if e.get("type") == "row_result" and e.get("created_id")}

    def in_flight(self) -> set[int]:
        """Rows sent in a chunk whose outcome was never confirmed."""
        sent = {int(r) for e in self.events if e.get("type") == "chunk_sent" for r in e["rows"]}
        return sent - set(self.results())

    @property
    def finished(self) -> bool:
        return any(e.get("type") == "done" for e in self.events)
