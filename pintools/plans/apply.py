"""Applying a plan: guardrails again, then bulk upsert (or direct PATCH) chunk by chunk with a
journal, per-row outcomes, and a read-back that confirms every change landed.

Rows become *operations*: all of an entity's field changes go in one update item (an entity
is updated once, all or nothing); a keyword match-type change is an archive plus a create;
creates carry their whole body. Operations go in chunks of ``chunk_size`` items per request
(bulk: one async job per chunk, polled to SUCCEEDED/FAILED; PATCH: 30 items a call).

>>> applied = plan.apply()                          # doctest: +SKIP
>>> applied.changes[["row", "result", "message"]]   # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..http.errors import PinterestError, WriteOutcomeUnknown
from ..progress import progress_bar
from .journal import Journal

if TYPE_CHECKING:
    from ..client import Client
    from .model import EditPlan

log = logging.getLogger("pintools.plans")

BULK_KEYS = {"campaign": "campaigns", "ad_group": "ad_groups", "ad": "ads", "keyword": "keywords"}
DEFAULT_CHUNK = {"bulk": 1000, "patch": 30}


class BulkJobFailed(PinterestError):
    """A bulk upsert job ended FAILED or never finished; its rows are reported, not lost."""


@dataclass
class Op:
    """One item of a request: an update or create of one entity, carrying plan rows."""

    entity_type: str
    action: str  # update | create
    account: str
    body: dict
    rows: list[int]
    key: str  # entity id (update) or local reference (create)


@dataclass
class Outcome:
    ok: bool
    message: str = ""
    created_id: str | None = None


@dataclass
class PollPolicy:
    """Bulk status polling: first wait, growth, longest wait, overall timeout (seconds)."""

    first: float = 0.5
    factor: float = 1.5
    longest: float = 10.0
    timeout: float = 30 * 60.0


DEFAULT_POLL = PollPolicy()


# ---------------------------------------------------------------------------------------- ops
def build_ops(rows: pd.DataFrame) -> list[Op]:
    """Group plan rows into request items (see the module docstring)."""
    ops: dict[tuple, Op] = {}
    extra: list[Op] = []
    for r in rows.to_dict("records"):
        etype, account, row = r["entity_type"], r["ad_account_id"], int(r["row"])
        if r["action"] == "create":
            body = dict(r["after"] or {})
            if etype == "campaign":
                body.setdefault("ad_account_id", account)
            if etype == "ad_group" and r.get("parent_id"):
                body.setdefault("campaign_id", r["parent_id"])
            extra.append(Op(etype, "create", account, body, [row], r["id"]))
            continue
        if etype == "keyword" and r["field"] == "match_type":
            parent = r.get("parent_id")
            if not parent:
                raise ValueError(f"row {row}: changing a keyword's match type needs its parent_id")
            extra.append(Op(etype, "update", account, {"id": r["id"], "archived": True}, [row], r["id"]))
            extra.append(Op(etype, "create", account, {"parent_id": parent, "value": r["name"],
                                                       "match_type": r["after"]}, [row], f"{r['id']}:{r['after']}"))
            continue
        key = (etype, account, r["id"])
        if key not in ops:
            body = {"id": r["id"]}
            if etype == "campaign":
                body["ad_account_id"] = account
            ops[key] = Op(etype, "update", account, body, [], r["id"])
        ops[key].body[r["field"]] = r["after"]
        ops[key].rows.append(row)
    return list(ops.values()) + extra


def _chunks(ops: list[Op], size: int) -> Iterable[list[Op]]:
    by_account: dict[str, list[Op]] = {}
    for op in ops:
        by_account.setdefault(op.account, []).append(op)
    for account_ops in by_account.values():
        for i in range(0, len(account_ops), size):
            yield account_ops[i:i + size]


# ------------------------------------------------------------------------------------ senders
def _bulk_body(chunk: list[Op]) -> tuple[dict, list[tuple[str, str, int, Op]]]:
    body: dict[str, dict[str, list]] = {}
    index: list[tuple[str, str, int, Op]] = []
    for op in chunk:
        key = BULK_KEYS[op.entity_type]
        items = body.setdefault(op.action, {}).setdefault(key, [])
        if op.entity_type == "keyword" and op.action == "create":
            item = {"parent_id": op.body["parent_id"],
                    "keywords": [{k: v for k, v in op.body.items() if k != "parent_id"}]}
        else:
            item = op.body
        index.append((op.action, key, len(items), op))
        items.append(item)
    return body, index


def _parse_bulk_results(content: bytes) -> list[dict]:
    data = json.loads(content.decode("utf-8") or "[]")
    if isinstance(data, dict):
        data = data.get("items") or data.get("results") or []
    return [d for d in data if isinstance(d, dict)]


def send_bulk(client: "Client", chunk: list[Op], *, poll: PollPolicy | None = None,
              sleep: Callable[[float], None] = time.sleep) -> dict[int, Outcome]:
    """One bulk upsert job for a chunk; outcomes keyed by position in the chunk."""
    poll = poll or DEFAULT_POLL
    account = chunk[0].account
    body, index = _bulk_body(chunk)
    request_ids = client.bulk.upsert(account, body)
    records: list[dict] = []
    for request_id in request_ids:
        deadline = time.monotonic() + poll.timeout
        delay = poll.first
        while True:
            status = client.bulk.status(account, request_id)
            state = status.get("status")
            if state in ("SUCCEEDED", "FAILED"):
                break
            if time.monotonic() + delay > deadline:
                raise BulkJobFailed(f"bulk request {request_id} still RUNNING after {poll.timeout:.0f} s")
            sleep(delay)
            delay = min(poll.longest, delay * poll.factor)
        url = status.get("result_url")
        if not url:
            raise BulkJobFailed(f"bulk request {request_id} ended {state} without a result file")
        records += _parse_bulk_results(client.bulk.result_file(url))
    by_position: dict[tuple[str, str, int], dict] = {}
    for rec in records:
        action = str(rec.get("action", "")).lower()
        etype = str(rec.get("entity_type", "")).lower()
        key = BULK_KEYS.get(etype, etype)
        if rec.get("index") is not None:
            by_position[(action, key, int(rec["index"]))] = rec
    outcomes: dict[int, Outcome] = {}
    for pos, (action, key, i, op) in enumerate(index):
        rec = by_position.get((action, key, i))
        if rec is None:
            outcomes[pos] = Outcome(False, "no result for this item in the bulk result file")
            continue
        ok = str(rec.get("status", "")).upper() == "SUCCEEDED"
        errors = rec.get("errors") or []
        message = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
        outcomes[pos] = Outcome(ok, "" if ok else (message or "failed"), str(rec["id"]) if ok and rec.get("id")
                                and op.action == "create" else None)
    return outcomes


def send_patch(client: "Client", chunk: list[Op]) -> dict[int, Outcome]:
    """The direct path: campaigns/ad groups/ads PATCH or POST in 30s, keywords in one call each."""
    outcomes: dict[int, Outcome] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for pos, op in enumerate(chunk):
        groups.setdefault((op.entity_type, op.action), []).append(pos)
    account = chunk[0].account
    for (etype, action), positions in groups.items():
        ops = [chunk[p] for p in positions]
        if etype == "keyword":
            _patch_keywords(client, account, action, ops, positions, outcomes)
            continue
        service = {"campaign": client.campaigns, "ad_group": client.ad_groups, "ad": client.ads}[etype]
        call = service.update if action == "update" else service.create
        results = call(account, [op.body for op in ops])
        for pos, res in zip(positions, results, strict=True):
            excs = res.get("exceptions") or []
            if excs:
                outcomes[pos] = Outcome(False, "; ".join(str(e.get("message")) for e in excs))
            else:
                data = res.get("data") or {}
                outcomes[pos] = Outcome(True, "", str(data.get("id")) if action == "create" and data.get("id")
                                        else None)
    return outcomes


def _patch_keywords(client, account, action, ops, positions, outcomes) -> None:
    if action == "update":
        result = client.keywords.update(account, [op.body for op in ops])
        failed = {str((e.get("data") or {}).get("id")): "; ".join(e.get("error_messages") or ["failed"])
                  for e in result.get("errors") or []}
        for pos, op in zip(positions, ops, strict=True):
            message = failed.get(str(op.body["id"]))
            outcomes[pos] = Outcome(message is None, message or "")
        return
    for pos, op in zip(positions, ops, strict=True):
        kw = {k: v for k, v in op.body.items() if k != "parent_id"}
        result = client.keywords.create(account, op.body["parent_id"], [kw])
        if result.get("keywords"):
            outcomes[pos] = Outcome(True, "", str(result["keywords"][0].get("id")))
        else:
            messages = [m for e in result.get("errors") or [] for m in e.get("error_messages") or []]
            outcomes[pos] = Outcome(False, "; ".join(messages) or "failed")


# ------------------------------------------------------------------------------------- apply
@dataclass
class _Run:
    plan: "EditPlan"
    client: "Client"
    journal: Journal | None
    results: dict[int, tuple[str, str]] = field(default_factory=dict)
    created: dict[int, str] = field(default_factory=dict)

    def record(self, row: int, result: str, message: str = "", created_id: str | None = None) -> None:
        self.results[row] = (result, message)
        if created_id:
            self.created[row] = created_id
        if self.journal is not None:
            self.journal.log({"type": "row_result", "row": row, "result": result, "message": message,
                              "created_id": created_id})


def send_ops(run: _Run, ops: list[Op], *, method: str, chunk_size: int, progress: bool,
             poll: PollPolicy | None = None) -> None:
    """Send operations chunk by chunk, journaling before and after each."""
    chunks = list(_chunks(ops, chunk_size))
    bar = progress_bar(sum(len(c) for c in chunks), "applying", "item") if progress else None
    try:
        for number, chunk in enumerate(chunks):
            rows = sorted({r for op in chunk for r in op.rows})
            if run.journal is not None:
                run.journal.log({"type": "chunk_sent", "chunk": number, "method": method, "rows": rows,
                                 "items": len(chunk)})
            try:
                outcomes = send_bulk(run.client, chunk, poll=poll) if method == "bulk" else \
                    send_patch(run.client, chunk)
            except WriteOutcomeUnknown as exc:
                if run.journal is not None:
                    run.journal.log({"type": "chunk_unknown", "chunk": number, "rows": rows, "error": str(exc)})
                raise
            row_ok: dict[int, list[Outcome]] = {}
            for pos, op in enumerate(chunk):
                for row in op.rows:
                    row_ok.setdefault(row, []).append(outcomes[pos])
            for row, outs in row_ok.items():
                failures = [o.message for o in outs if not o.ok]
                created = next((o.created_id for o in outs if o.created_id), None)
                if failures:
                    run.record(row, "failed", "; ".join(failures))
                else:
                    run.record(row, "applied", f"created {created}" if created else "", created)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()


def apply_plan(plan: "EditPlan", client: "Client | None" = None, *, method: str = "bulk",
               chunk_size: int | None = None, journal: "bool | str | Journal" = True, verify: bool = True,
               progress: bool = True, guardrails: Any = None, poll: PollPolicy | None = None) -> "EditPlan":
    """Validate, send and verify ``plan``; return it with ``result`` and ``message`` per row.

    ``method``: ``"bulk"`` (async bulk upsert jobs, ``chunk_size`` items each, default 1000)
    or ``"patch"`` (the batch endpoints, 30 items a call). ``journal``: True (default place),
    a folder, a :class:`Journal`, or False. Blocked and excluded rows are ``skipped``.
    """
    from ..client import default_client

    if method not in DEFAULT_CHUNK:
        raise ValueError(f"method must be 'bulk' or 'patch', got {method!r}")
    c = client or default_client()
    checked = plan.validate(client=c, guardrails=guardrails)
    j = _journal(checked, journal)
    run = _Run(checked, c, j)
    for r in checked.changes.to_dict("records"):
        if not r["include"]:
            run.results[int(r["row"])] = ("skipped", "excluded at review")
        elif r["verdict"] == "blocked":
            run.results[int(r["row"])] = ("skipped", f"blocked: {r['reason']}")
    ops = build_ops(checked.included)
    send_ops(run, ops, method=method, chunk_size=chunk_size or DEFAULT_CHUNK[method], progress=progress, poll=poll)
    result = _finish(run)
    if verify:
        result = verify_plan(result, c)
    if j is not None:
        j.log({"type": "done", "summary": result.changes["result"].value_counts().to_dict()})
        result.settings["journal"] = str(j.path)
    return result


def _journal(plan: "EditPlan", journal: "bool | str | Journal") -> Journal | None:
    if journal is False or journal is None:
        return None
    if isinstance(journal, Journal):
        return journal
    return Journal.create(plan, None if journal is True else journal)


def _finish(run: _Run) -> "EditPlan":
    changes = run.plan.changes.copy()
    changes["result"] = pd.array([run.results.get(int(r), ("", ""))[0] for r in changes["row"]], dtype="string")
    changes["message"] = pd.array([run.results.get(int(r), ("", ""))[1] for r in changes["row"]], dtype="string")
    return run.plan._with(changes)


# ------------------------------------------------------------------------------- read-back
ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"]
_ID_FILTERS = {"campaign": "campaign_ids", "ad_group": "ad_group_ids", "ad": "ad_ids"}


def read_entities(client: "Client", account: str, entity_type: str, ids: list[str]) -> Iterable[dict]:
    """Current records of some campaigns, ad groups or ads (all statuses): by id, 100 a call, or —
    when that would take more calls — the whole account at 250 a page, filtered here."""
    service = {"campaign": client.campaigns, "ad_group": client.ad_groups, "ad": client.ads}[entity_type]
    if len(ids) <= 250:
        return service.list(account, entity_statuses=ALL_STATUSES, **{_ID_FILTERS[entity_type]: ids})
    wanted = set(ids)
    return (rec for rec in service.list(account, entity_statuses=ALL_STATUSES) if rec["id"] in wanted)


def current_values(client: "Client", rows: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """Current records of the entities the rows touch, keyed by (entity type, id)."""
    found: dict[tuple[str, str], dict] = {}
    updates = rows[rows["action"] == "update"]
    for (account, etype), part in updates.groupby(["ad_account_id", "entity_type"]):
        ids = sorted(set(part["id"].dropna()))
        if etype in _ID_FILTERS:
            for rec in read_entities(client, account, etype, ids):
                found[(etype, rec["id"])] = rec
        else:
            for parent in sorted(set(part["parent_id"].dropna())):
                for rec in client.keywords.list(account, ad_group_id=parent):
                    found[("keyword", rec["id"])] = rec
    return found


def at_target(row: dict, current: dict | None) -> bool:
    """Does the entity already hold the row's target value?"""
    if current is None:
        # archived keywords drop out of Pinterest's lists: "not listed" is the archived state,
        # which is the target of an archive and the first half of a match-type change
        return row["entity_type"] == "keyword" and (
            (row["field"] == "archived" and row["after"] is True) or row["field"] == "match_type")
    if row["field"] == "match_type":
        return bool(current.get("archived"))
    now = current.get(row["field"])
    target = row["after"]
    if isinstance(target, dict) and isinstance(now, dict):
        keys = {k for k, v in target.items() if v} | {k for k, v in now.items() if v}
        return all(sorted(map(str, target.get(k) or [])) == sorted(map(str, now.get(k) or [])) for k in keys)
    return now == target


def verify_plan(plan: "EditPlan", client: "Client") -> "EditPlan":
    """Read the entities back; an ``applied`` row whose entity does not hold its target becomes
    ``failed`` with what Pinterest holds instead."""
    changes = plan.changes.copy()
    applied = changes[(changes["result"] == "applied") & (changes["action"] == "update")]
    if applied.empty:
        return plan
    current = current_values(client, applied)
    for idx, r in applied.iterrows():
        rec = current.get((r["entity_type"], r["id"]))
        if not at_target(r.to_dict(), rec):
            now = None if rec is None else rec.get(r["field"])
            changes.loc[idx, "result"] = "failed"
            changes.loc[idx, "message"] = f"read-back shows {now!r}, not the target"
    return plan._with(changes)
