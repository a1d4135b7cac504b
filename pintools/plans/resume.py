"""Resuming an interrupted apply from its journal, so every edit lands exactly once.

Rows with a confirmed outcome are left alone. Every other included row — in flight when the
process died, or never sent — is checked against Pinterest: if the entity already holds the
target value the row is recorded ``applied`` (it landed before the crash); if it changed in
some other way since the plan was built it is ``skipped`` as stale; only the rest is sent.

>>> applied = resume("~/.local/state/pintools/journals/3f2a9c1b7d4e-20261115T120000Z.jsonl")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .apply import DEFAULT_CHUNK, PollPolicy, _finish, _Run, at_target, build_ops, current_values, send_ops, verify_plan
from .journal import Journal

if TYPE_CHECKING:
    from ..client import Client
    from .model import EditPlan


def resume(journal: "str | Path | Journal", client: "Client | None" = None, *, chunk_size: int | None = None,
           progress: bool = True, verify: bool = True, poll: PollPolicy | None = None) -> "EditPlan":
    """Finish the apply recorded in ``journal`` (a path or :class:`Journal`); return the plan
    with every row's result."""
    from ..client import default_client

    j = journal if isinstance(journal, Journal) else Journal.open(Path(journal).expanduser())
    c = client or default_client()
    plan = j.plan
    methods = [e.get("method") for e in j.events if e.get("type") == "chunk_sent"]
    method = methods[0] if methods else "bulk"
    run = _Run(plan, c, j)
    run.results.update(j.results())
    run.created.update(j.created())
    changes = plan.changes
    for r in changes.to_dict("records"):
        row = int(r["row"])
        if row in run.results:
            continue
        if not r["include"]:
            run.results[row] = ("skipped", "excluded at review")
        elif r["verdict"] == "blocked":
            run.results[row] = ("skipped", f"blocked: {r['reason']}")
    pending = changes[[int(r) not in run.results for r in changes["row"]]]
    j.log({"type": "resume", "pending_rows": [int(r) for r in pending["row"]]})
    current = current_values(c, pending)
    to_send = []
    for idx, r in pending.iterrows():
        row = int(r["row"])
        if r["action"] == "create":
            to_send.append(idx)  # a create whose outcome is unknown is not repeated blindly
            continue
        rec = current.get((r["entity_type"], r["id"]))
        if at_target(r.to_dict(), rec):
            run.record(row, "applied", "already at target (landed before the interruption)")
        elif rec is not None and r["updated_time"] is not None and rec.get("updated_time") is not None and \
                int(rec["updated_time"]) != int(r["updated_time"]):
            run.record(row, "skipped", "changed in Pinterest since the plan was built: rebuild the plan")
        else:
            to_send.append(idx)
    in_flight = j.in_flight()
    unsafe = [i for i in to_send if changes.loc[i, "action"] == "create" and int(changes.loc[i, "row"]) in in_flight]
    for i in unsafe:
        run.record(int(changes.loc[i, "row"]), "failed",
                   "a create was in flight when the apply stopped; check whether it exists before creating again")
    send = changes.loc[[i for i in to_send if i not in unsafe]]
    send_ops(run, build_ops(send), method=method, chunk_size=chunk_size or DEFAULT_CHUNK[method], progress=progress,
             poll=poll)
    result = _finish(run)
    if verify:
        result = verify_plan(result, c)
    j.log({"type": "done", "summary": result.changes["result"].value_counts().to_dict()})
    result.settings["journal"] = str(j.path)
    return result
