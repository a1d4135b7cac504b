"""Sending plan rows chunk by chunk with the journal written first, then deciding each row by
read-back — the engine under :func:`~pintools.plans.apply.apply` and :func:`~pintools.plans.resume.resume`.

For each chunk: note the ids that already hold each create's natural key and the budgets a
switch to CBO will clear → journal the chunk → send it (bulk: journal the request ids the moment
Pinterest answers, then poll each job to SUCCEEDED/FAILED and journal that; PATCH: journal that
every call answered) → re-read every entity of the chunk → journal each row's result. A bulk
chunk refused whole with a 400 is sent again in halves (:meth:`Runner.split`): the spec sets no
limit on a bulk list, and ``chunk_size`` (1000) is pintools' rule.

>>> runner = Runner(plan, client, journal, method="bulk", chunk_size=1000)    # doctest: +SKIP
>>> runner.send(plan.included)                                                  # doctest: +SKIP
>>> runner.decisions[0].result                                                  # doctest: +SKIP
'applied'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..http.errors import PinterestError, WriteOutcomeUnknown
from ..polling import DEFAULT_POLL, PollPolicy
from ..progress import progress_bar
from .changes import plain
from .checks import is_cbo
from .current import pre_existing, read_entities
from .hints import Hint
from .journal import Journal
from .model import EditPlan
from .ops import Op, build_ops, chunks
from .readback import Decision, Observation, observe, outcome
from .send import bulk_hints, send_patch, submit_bulk, wait_bulk

if TYPE_CHECKING:
    from ..client import Client

#: ad-group fields a switch to CBO clears, journaled first so a rollback can restore them
CLEARED_FIELDS = ("budget_in_micro_currency", "budget_type", "start_time", "end_time", "pacing_delivery_type")


@dataclass
class Runner:
    """Sends rows of ``plan`` and keeps every row's :class:`~pintools.plans.readback.Decision`."""

    plan: EditPlan
    client: "Client"
    journal: Journal | None
    method: str = "bulk"
    chunk_size: int = 1000
    poll: PollPolicy = DEFAULT_POLL
    progress: bool = True
    decisions: dict[int, Decision] = field(default_factory=dict)
    applied_at: dict[int, str] = field(default_factory=dict)  # row -> when read-back confirmed it
    cleared: dict[str, list[dict]] = field(default_factory=dict)  # campaign -> budgets a switch to CBO cleared
    pre: dict[int, list[str]] = field(default_factory=dict)  # row -> ids holding its natural key before it was sent
    next_chunk: int = 0

    def log(self, *events: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.log_many(events)

    def rows(self, numbers: list[int]) -> pd.DataFrame:
        c = self.plan.changes
        return c[c["row"].isin(numbers)]

    def send(self, rows: pd.DataFrame, parts: Mapping[int, set[str]] | None = None) -> None:
        """Send ``rows`` (match-type rows limited to ``parts``), chunk by chunk, deciding each.

        A keyword match-type change archives the old keyword only in a later request, once
        read-back shows the new one: a failed create leaves the old keyword as it was."""
        ops = build_ops(rows, parts)
        archives = [op for op in ops if op.part == "archive"]
        first = [op for op in ops if op.part != "archive"]
        deferred = {row for op in first if op.part == "create" for row in op.rows}
        bar = progress_bar(len(ops), "applying", "item") if self.progress else None
        try:
            for chunk in chunks(first, self.chunk_size):
                self.send_chunk(chunk, deferred)
                if bar is not None:
                    bar.update(len(chunk))
            ready = [op for op in archives if op.rows[0] not in self.decisions]
            for chunk in chunks(ready, self.chunk_size):
                self.send_chunk(chunk)
                if bar is not None:
                    bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()

    def send_chunk(self, chunk: list[Op], deferred: set[int] | frozenset = frozenset()) -> None:
        number = self.next_chunk
        self.next_chunk += 1
        frame = self.rows(sorted({r for op in chunk for r in op.rows}))
        self.pre.update(pre_existing(self.client, frame[~frame["row"].isin(list(self.pre))]))
        pre = {int(r): self.pre[int(r)] for r in frame["row"] if int(r) in self.pre}
        cleared = cleared_budgets(self.client, chunk)
        self.log({"type": "chunk", "chunk": number, "method": self.method, "stage": chunk[0].stage,
                  "rows": [int(r) for r in frame["row"]], "pre_existing": {str(k): v for k, v in pre.items()}},
                 *[{**e, "chunk": number} for e in cleared])
        self.cleared.update({e["campaign_id"]: e["ad_groups"] for e in cleared})
        hints: dict[int, Hint] = {}
        finished, pending = False, ""
        try:
            if self.method == "bulk":
                finished, pending, hints = self._bulk(number, chunk)
            else:
                hints = send_patch(self.client, chunk)
                self.log({"type": "answered", "chunk": number})
                finished = True
        except WriteOutcomeUnknown as exc:
            self.log({"type": "chunk_error", "chunk": number, "error": str(exc)})
            pending = (f"the request's outcome is unknown ({exc}); run pintools.plans.resume on the journal to "
                       f"re-check and finish")
        except PinterestError as exc:  # refused whole (4xx, or retries ran out before it was taken)
            self.log({"type": "chunk_error", "chunk": number, "error": str(exc)})
            if self.method == "bulk" and exc.status == 400 and len(chunk) > 1:
                self.split(chunk, deferred)
                return
            hints = {pos: Hint(False, f"the request carrying it failed: {exc}") for pos in range(len(chunk))}
            finished = True
        self.decide(frame, pre, row_hints(chunk, hints), finished=finished, pending=pending, deferred=deferred)

    def split(self, chunk: list[Op], deferred: set[int] | frozenset = frozenset()) -> None:
        """Send a bulk chunk that was refused whole with a 400 (so nothing of it was taken) again, in
        halves, each its own chunk. Pinterest's spec sets no limit on a bulk list: 1000 items a
        request is pintools' rule (``chunk_size``), so the refusal may be about size; halving down
        to single items also leaves an item the request was refused for failing alone."""
        half = len(chunk) // 2
        self.send_chunk(chunk[:half], deferred)
        self.send_chunk(chunk[half:], deferred)

    def _bulk(self, number: int, chunk: list[Op]) -> tuple[bool, str, dict[int, Hint]]:
        request_ids = submit_bulk(self.client, chunk)
        self.log({"type": "bulk_request", "chunk": number, "request_ids": request_ids})
        return self.wait(number, chunk, request_ids)

    def wait(self, number: int, chunk: list[Op], request_ids: list[str]) -> tuple[bool, str, dict[int, Hint]]:
        """Poll the chunk's jobs to a terminal state (journaling each); ``(finished, pending, hints)``."""
        hints: dict[int, Hint] = {}
        unsure = []
        for request_id in request_ids:
            try:
                status = wait_bulk(self.client, chunk[0].account, request_id, poll=self.poll)
            except PinterestError as exc:  # still RUNNING at the timeout, or the polls themselves failed
                unsure.append(f"{request_id} ({exc})")
                continue
            self.log({"type": "bulk_status", "chunk": number, "request_id": request_id, "status": status["status"]})
            hints.update(bulk_hints(self.client, status, chunk))
        if unsure:
            return False, (f"bulk request {'; '.join(unsure)} did not report an end and may still land: run "
                           f"pintools.plans.resume on the journal later"), hints
        return True, "", hints

    def decide(self, frame: pd.DataFrame, pre: Mapping[int, list[str]], hints: Mapping[int, Hint], *,
               finished: bool, pending: str = "", deferred: set[int] | frozenset = frozenset()) -> dict[int, Observation]:
        """Read back ``frame``'s rows, record each row that is decided (journal first, then
        ``decisions``), and return what was observed of every row. ``deferred`` rows whose only
        missing part is the archive of the old keyword are left for the archive request."""
        seen = observe(self.client, frame, pre, hints)
        decided = {row: outcome(obs, hints.get(row), finished=finished, pending=pending) for row, obs in seen.items()
                   if not (row in deferred and obs.missing == {"archive"})}
        self.record({row: d for row, d in decided.items() if d.result is not None})
        return seen

    def record(self, decided: Mapping[int, Decision]) -> None:
        """Journal and keep these rows' decisions (applied rows are stamped with the API's time)."""
        if not decided:
            return
        at = self.client.now().isoformat(timespec="seconds")
        self.log(*[{"type": "row_result", "row": row, "result": d.result, "message": d.message,
                    "created_id": d.created_id, "read_back": plain(d.read_back),
                    "applied_at": at if d.result == "applied" else None} for row, d in decided.items()])
        self.decisions.update(decided)
        self.applied_at.update({row: at for row, d in decided.items() if d.result == "applied"})


def row_hints(chunk: list[Op], hints: Mapping[int, Hint]) -> dict[int, Hint]:
    """Per plan row: the hints of its items combined (any failure wins; a create's id is kept).

    >>> ops = [Op("keyword", "create", "9", {}, [4], "k:EXACT", part="create"),
    ...        Op("keyword", "update", "9", {}, [4], "k", part="archive")]
    >>> row_hints(ops, {0: Hint(True, id="77"), 1: Hint(False, "Keyword is archived.")})
    {4: Hint(ok=False, message='Keyword is archived.', id='77')}
    """
    by_row: dict[int, list[Hint]] = {}
    for pos, op in enumerate(chunk):
        if pos in hints:
            for row in op.rows:
                by_row.setdefault(row, []).append(hints[pos])
    combined = {}
    for row, found in by_row.items():
        failures = [h.message for h in found if h.ok is False]
        ident = next((h.id for h in found if h.id), None)
        ok = False if failures else (True if all(h.ok for h in found) else None)
        combined[row] = Hint(ok, "; ".join(m for m in failures if m), ident)
    return combined


def cleared_budgets(client: "Client", chunk: list[Op]) -> list[dict]:
    """``cleared`` journal events: for each campaign this chunk switches to CBO, its ad groups'
    budget fields as they are now (the switch clears them)."""
    switching = [op for op in chunk if op.entity_type == "campaign" and op.action == "update"
                 and op.body.get("is_campaign_budget_optimization") is True]
    events = []
    for op in switching:
        campaign = next(iter(read_entities(client, op.account, "campaign", [op.key])), None)
        if campaign is None or is_cbo(campaign):
            continue
        groups = client.ad_groups.list(op.account, campaign_ids=[op.key], entity_statuses=["ACTIVE", "PAUSED"])
        events.append({"type": "cleared", "campaign_id": op.key, "row": op.rows[0],
                       "ad_groups": [{"id": g["id"], **{f: g.get(f) for f in CLEARED_FIELDS}} for g in groups]})
    return events
