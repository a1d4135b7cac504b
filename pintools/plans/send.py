"""Sending a chunk of operations: as one bulk upsert job, or through the batch (PATCH/POST)
endpoints (product group promotions: ``PATCH …/product_group_promotions``, one call per ad group).
What comes back is a set of :class:`~pintools.plans.hints.Hint` per item — never the outcome:
read-back decides (see :mod:`pintools.plans.readback`).

The bulk path is three steps so the caller can journal between them: :func:`submit_bulk`
(returns Pinterest's request ids), :func:`wait_bulk` (polls one job to SUCCEEDED or FAILED),
:func:`bulk_hints` (reads the result file, tolerating any shape).

>>> from pintools.plans.ops import Op
>>> body = bulk_body([Op("keyword", "create", "9", {"parent_id": "5", "value": "sofa", "match_type": "EXACT"},
...                      [0], "new-1", parent_id="5")])
>>> body
{'create': {'keywords': [{'parent_id': '5', 'keywords': [{'value': 'sofa', 'match_type': 'EXACT'}]}]}}
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..http.errors import PinterestError
from ..polling import DEFAULT_POLL, PollPolicy
from .hints import Hint, read_result_file
from .ops import BULK_LISTS, Op

if TYPE_CHECKING:
    from ..client import Client

TERMINAL = ("SUCCEEDED", "FAILED")


class BulkJobFailed(PinterestError):
    """A bulk upsert job did not reach SUCCEEDED or FAILED in time, or answered nonsense."""


class BulkStillRunning(BulkJobFailed):
    """A bulk job was still RUNNING when the poll timeout ran out; it may still land."""

    def __init__(self, message: str, *, request_id: str) -> None:
        super().__init__(message)
        self.request_id = request_id


def bulk_body(chunk: list[Op]) -> dict:
    """The ``BulkUpsertRequest`` for a chunk (a keyword create is a ``KeywordsRequest`` of one, a product
    group update a ``ProductGroupPromotionUpdateRequest`` of one)."""
    body: dict[str, dict[str, list]] = {}
    for op in chunk:
        items = body.setdefault(op.action, {}).setdefault(BULK_LISTS[op.entity_type], [])
        if op.entity_type == "keyword" and op.action == "create":
            items.append({"parent_id": op.parent_id or op.body.get("parent_id"),
                          "keywords": [{k: v for k, v in op.body.items() if k != "parent_id"}]})
        elif op.entity_type == "product_group":
            items.append({"ad_group_id": op.parent_id, "product_group_promotion": [op.body]})
        else:
            items.append(op.body)
    return body


def submit_bulk(client: "Client", chunk: list[Op]) -> list[str]:
    """Start one bulk upsert job for a chunk; Pinterest's request id(s).

    Raises :class:`~pintools.http.errors.WriteOutcomeUnknown` when the request met a 5xx or a
    dropped connection (a job may or may not have been accepted)."""
    return client.bulk.upsert(chunk[0].account, bulk_body(chunk))


def wait_bulk(client: "Client", account: str, request_id: str, *, poll: PollPolicy | None = None,
              sleep: Callable[[float], None] = time.sleep) -> dict:
    """Poll a bulk job until SUCCEEDED or FAILED; its last status answer.

    Raises :class:`BulkStillRunning` after ``poll.timeout`` seconds of RUNNING."""
    poll = poll or DEFAULT_POLL
    deadline = time.monotonic() + poll.timeout
    delays = poll.delays()
    while True:
        status = client.bulk.status(account, request_id)
        state = status.get("status")
        if state in TERMINAL:
            return status
        if state != "RUNNING":
            raise BulkJobFailed(f"bulk request {request_id} answered an unknown status {state!r}")
        delay = next(delays)
        if time.monotonic() + delay > deadline:
            raise BulkStillRunning(f"bulk request {request_id} was still RUNNING after {poll.timeout:.0f} s",
                                   request_id=request_id)
        sleep(delay)


def bulk_hints(client: "Client", status: dict, chunk: list[Op]) -> dict[int, Hint]:
    """Hints from a finished job's result file; ``{}`` when there is no file or it cannot be read."""
    url = status.get("result_url")
    if not url:
        return {}
    try:
        content = client.bulk.result_file(url)
    except PinterestError:
        return {}
    return read_result_file(content, chunk)


def send_patch(client: "Client", chunk: list[Op]) -> dict[int, Hint]:
    """The direct path: campaigns, ad groups and ads by the batch endpoints (30 a call), keywords
    by the keyword endpoints (creates grouped per parent). Creates go before updates, so a
    match-type change creates the new keyword before archiving the old one."""
    hints: dict[int, Hint] = {}
    order = {"campaign": 0, "ad_group": 1, "ad": 2, "keyword": 3, "product_group": 4}
    groups: dict[tuple[str, str], list[int]] = {}
    for pos, op in sorted(enumerate(chunk), key=lambda p: (p[1].action != "create", order[p[1].entity_type])):
        groups.setdefault((op.entity_type, op.action), []).append(pos)
    account = chunk[0].account
    for (etype, action), positions in groups.items():
        ops = [chunk[p] for p in positions]
        if etype == "keyword":
            hints.update(_patch_keywords(client, account, action, ops, positions))
            continue
        if etype == "product_group":
            hints.update(_patch_product_groups(client, account, ops, positions))
            continue
        service = {"campaign": client.campaigns, "ad_group": client.ad_groups, "ad": client.ads}[etype]
        call = service.update if action == "update" else service.create
        for pos, res in zip(positions, call(account, [op.body for op in ops]), strict=True):
            excs = res.get("exceptions") or []
            data = res.get("data") or {}
            hints[pos] = Hint(False, "; ".join(str(e.get("message")) for e in excs)) if excs else \
                Hint(True, id=str(data["id"]) if data.get("id") else None)
    return hints


def _hint(res: dict) -> Hint:
    """A batch answer item → hint (``exceptions`` a list or one object; ``data`` may be absent)."""
    excs = res.get("exceptions") or []
    excs = [excs] if isinstance(excs, dict) else excs
    data = res.get("data") or {}
    if excs:
        return Hint(False, "; ".join(str(e.get("message")) if isinstance(e, dict) else str(e) for e in excs))
    return Hint(True, id=str(data["id"]) if data.get("id") else None)


def _patch_product_groups(client: "Client", account: str, ops: list[Op], positions: list[int]) -> dict:
    """Product group updates, one PATCH per ad group (the body names it)."""
    hints: dict[int, Hint] = {}
    by_group: dict[str, list[int]] = {}
    for i, op in enumerate(ops):
        by_group.setdefault(str(op.parent_id), []).append(i)
    for group, members in by_group.items():
        answers = client.product_groups.update(account, group, [ops[i].body for i in members])
        for i, res in zip(members, answers, strict=False):
            hints[positions[i]] = _hint(res if isinstance(res, dict) else {})
    return hints


def _patch_keywords(client: "Client", account: str, action: str, ops: list[Op], positions: list[int]) -> dict:
    hints: dict[int, Hint] = {}
    if action == "update":
        result = client.keywords.update(account, [op.body for op in ops])
        failed = {str((e.get("data") or {}).get("id")): "; ".join(e.get("error_messages") or ["failed"])
                  for e in result.get("errors") or []}
        for pos, op in zip(positions, ops, strict=True):
            message = failed.get(str(op.body["id"]))
            hints[pos] = Hint(message is None, message or "")
        return hints
    by_parent: dict[str, list[int]] = {}
    for i, op in enumerate(ops):
        by_parent.setdefault(op.parent_id or op.body.get("parent_id"), []).append(i)
    for parent, members in by_parent.items():
        bodies = [{k: v for k, v in ops[i].body.items() if k != "parent_id"} for i in members]
        result = client.keywords.create(account, parent, bodies)
        created = {(str(k.get("value")), str(k.get("match_type"))): str(k.get("id")) for k in result.get("keywords") or []}
        errors = {(str((e.get("data") or {}).get("value")), str((e.get("data") or {}).get("match_type"))):
                  "; ".join(e.get("error_messages") or ["failed"]) for e in result.get("errors") or []}
        for i in members:
            key = (str(ops[i].body.get("value")), str(ops[i].body.get("match_type")))
            hints[positions[i]] = Hint(True, id=created[key]) if key in created else \
                Hint(False, errors.get(key, "")) if key in errors else Hint(None)
    return hints
