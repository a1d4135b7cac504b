"""``resume``: finish an interrupted apply from its journal so every edit lands exactly once.

1. Lock the journal (a second resume is refused, naming who holds it); drop a torn last line.
2. Poll every bulk job the journal recorded to SUCCEEDED or FAILED — a job accepted before the
   crash keeps running on Pinterest's side, so its items are never sent again.
3. Decide by read-back what is already in place. Rows of a chunk whose request may have been in
   flight without a recorded answer (killed mid-request) are re-read for up to ``poll.settle``
   seconds before pintools concludes they did not land.
4. Send only what is left: rows never sent, updates that did not land, the missing half of a
   keyword match-type change. A row whose entity someone changed since the plan was validated is
   ``blocked``, not overwritten. A create that may be in a bulk job whose id was never recorded is
   ``unknown`` (pintools does not risk creating it twice) unless ``recreate_missing=True``.

>>> applied = resume("~/.local/state/pintools/journals/3f2a9c1b7d4e-20261115T120000000000Z.jsonl")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..polling import DEFAULT_POLL, PollPolicy
from .apply import finish
from .current import pre_existing, read_updated
from .journal import ChunkRecord, Journal
from .model import EditPlan
from .ops import DEFAULT_CHUNK, build_ops
from .readback import Decision, Observation, observe
from .runner import Runner

if TYPE_CHECKING:
    from ..client import Client

log = logging.getLogger("pintools.plans")

RECREATE_STEP = ("it was sent in a bulk request whose id was not recorded before the interruption and has not "
                 "appeared; check Ads Manager, then resume with recreate_missing=True (CLI: --recreate-missing) "
                 "to create it")


def resume(journal: "str | Path | Journal", client: "Client | None" = None, *, chunk_size: int | None = None,
           progress: bool = True, poll: PollPolicy | None = None, recreate_missing: bool = False) -> EditPlan:
    """Finish the apply recorded in ``journal`` (a path or :class:`Journal`); the plan with every
    row's result. ``poll``: how jobs are waited for and how long in-flight writes settle."""
    from ..client import default_client

    j = journal if isinstance(journal, Journal) else Journal.open(Path(journal))
    j.lock()
    try:
        torn = j.repair()
        if torn is not None:
            message = (f"{j.path.name}: the last line was torn by the crash and was dropped ({len(torn)} "
                       f"characters); what it recorded is decided again by read-back")
            log.warning(message)
            warnings.warn(message, stacklevel=2)
        c = client or default_client()
        plan, sent = j.plan, j.chunks()
        method = sent[0].method if sent else "bulk"
        runner = Runner(plan, c, j, method=method, chunk_size=chunk_size or DEFAULT_CHUNK[method],
                        poll=poll or DEFAULT_POLL, progress=progress,
                        next_chunk=max((ch.number for ch in sent), default=-1) + 1)
        _recorded(runner, j)
        runner.cleared.update(j.cleared())
        for ch in reversed(sent):  # the first snapshot of a row is the one taken before it was ever sent
            runner.pre.update(ch.pre_existing)
        lost = _lost_keywords(runner)
        sendable = [int(r) for r in plan.included["row"]]
        runner.log({"type": "resume", "process": os.getpid(),
                    "pending": [r for r in sendable if r not in runner.decisions]})
        _poll_journaled(runner, sent)
        to_send, parts = _decide_sent(runner, j.chunks(), sendable, recreate_missing)
        to_send += list(lost)
        parts.update(lost)
        never = [r for r in sendable if r not in runner.decisions and r not in to_send
                 and not any(r in ch.rows for ch in sent)]
        updates = [r for r in never if not _is_create(runner, r)]
        if updates:  # already in place (someone did it)? — a create never sent is simply sent
            frame = runner.rows(updates)
            seen = runner.decide(frame, pre_existing(c, frame), {}, finished=False)
            parts.update({r: set(seen[r].missing) for r in updates if seen[r].missing})
        to_send += [r for r in never if r not in runner.decisions]
        to_send = _not_stale(runner, sorted(set(to_send)))
        runner.send(runner.rows(to_send), parts)
        result = finish(plan, runner)
        runner.log({"type": "done", "summary": result.counts()})
        return result
    finally:
        j.release()


def _recorded(runner: Runner, j: Journal) -> None:
    """Rows whose result the journal already holds (applied or failed) stay decided."""
    for row, rec in j.results().items():
        if rec["result"] in ("applied", "failed", "blocked"):
            runner.decisions[row] = Decision(rec["result"], rec.get("message") or "", rec.get("created_id"),
                                             rec.get("read_back"))
            if rec.get("applied_at"):
                runner.applied_at[row] = rec["applied_at"]


def _lost_keywords(runner: Runner) -> dict[int, set[str]]:
    """Match-type rows recorded ``failed`` whose old keyword is archived while the new one does not
    exist: the keyword would be lost, so its create is sent again."""
    c = runner.plan.changes
    failed = [row for row, d in runner.decisions.items() if d.result == "failed"]
    frame = c[c["row"].isin(failed) & (c["field"] == "match_type")]
    if frame.empty:
        return {}
    lost = {row: {"create"} for row, obs in observe(runner.client, frame).items() if obs.missing == {"create"}}
    for row in lost:
        del runner.decisions[row]
    return lost


def _poll_journaled(runner: Runner, sent: list[ChunkRecord]) -> None:
    """Wait for every journaled bulk job that has not reached a terminal state."""
    for ch in sent:
        if ch.method != "bulk" or ch.request_ids is None or ch.finished:
            continue
        if all(r in runner.decisions for r in ch.rows):
            continue
        waiting = [i for i in ch.request_ids if i not in ch.statuses]
        runner.wait(ch.number, build_ops(runner.rows(ch.rows)), waiting)


def _decide_sent(runner: Runner, sent: list[ChunkRecord], sendable: list[int],
                 recreate_missing: bool) -> tuple[list[int], dict[int, set[str]]]:
    """Decide the rows of chunks already sent; the rows (and match-type parts) still to send."""
    to_send: list[int] = []
    parts: dict[int, set[str]] = {}
    last: dict[int, ChunkRecord] = {}
    for ch in sent:
        for row in ch.rows:
            last[row] = ch
    undecided = [r for r in sendable if r in last and r not in runner.decisions]
    by_chunk: dict[int, list[int]] = {}
    for row in undecided:
        by_chunk.setdefault(last[row].number, []).append(row)
    chunks = {ch.number: ch for ch in sent}
    for number, rows in by_chunk.items():
        ch = chunks[number]
        frame = runner.rows(rows)
        deferred = set(frame.loc[frame["field"] == "match_type", "row"].astype(int))  # their archive comes after
        if ch.finished:
            seen = runner.decide(frame, ch.pre_existing, {}, finished=True, deferred=deferred)
        elif ch.request_ids is not None:  # journaled jobs still RUNNING after the poll timeout
            seen = runner.decide(frame, ch.pre_existing, {}, finished=False, deferred=deferred,
                                 pending=f"bulk request {', '.join(ch.request_ids)} is still RUNNING; resume again "
                                         f"later")
        else:
            seen = _settle(runner, rows, ch, deferred)
        for row in rows:
            if row in runner.decisions:
                continue
            obs = seen[row]
            creates = _is_create(runner, row) or "create" in obs.missing
            if creates and ch.method == "bulk" and not recreate_missing:
                runner.record({row: Decision("unknown", f"{obs.holds}; {RECREATE_STEP}" if obs.holds else
                                             RECREATE_STEP)})
                continue
            to_send.append(row)
            if obs.missing:
                parts[row] = set(obs.missing)
    return to_send, parts


def _is_create(runner: Runner, row: int) -> bool:
    return bool((runner.rows([row])["action"] == "create").any())


def _settle(runner: Runner, rows: list[int], ch: ChunkRecord, deferred: set[int]) -> dict[int, Observation]:
    """Re-read rows whose request may have been in flight until they land or ``settle`` passes (a
    match-type row whose new keyword landed waits no longer: its archive is still to send)."""
    deadline = time.monotonic() + runner.poll.settle
    delays = runner.poll.delays()
    waiting = list(rows)
    seen: dict[int, Observation] = {}
    while True:
        seen.update(runner.decide(runner.rows(waiting), ch.pre_existing, {}, finished=False, deferred=deferred))
        waiting = [r for r in waiting if r not in runner.decisions and seen[r].missing != {"archive"}]
        delay = next(delays)
        if not waiting or time.monotonic() + delay > deadline:
            return seen
        time.sleep(delay)


def _not_stale(runner: Runner, rows: list[int]) -> list[int]:
    """Rows to send, less those whose entity someone changed since the plan was validated (those
    are recorded ``blocked``). Ad groups under a campaign this plan switches CBO on or off are
    exempt: the switch itself rewrites them."""
    if not rows:
        return rows
    frame = runner.rows(rows)
    current = read_updated(runner.client, frame)
    switching = set(runner.plan.changes.loc[runner.plan.changes["field"] == "is_campaign_budget_optimization", "id"])
    keep, stale = [], {}
    for r in frame.to_dict("records"):
        rec = current.get((r["entity_type"], r["id"]))
        then, now = r.get("updated_time"), (rec or {}).get("updated_time")
        exempt = r["entity_type"] == "ad_group" and r.get("parent_id") in switching
        if r["action"] == "update" and not exempt and not pd.isna(then) and now is not None and int(now) != int(then):
            stale[int(r["row"])] = Decision("blocked", "changed in Pinterest since the plan was validated, so it was "
                                                       "not sent: build and review a new plan for it")
        else:
            keep.append(int(r["row"]))
    runner.record(stale)
    return keep
