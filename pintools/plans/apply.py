"""``apply``: send what was reviewed — nothing more, nothing else — and decide every row by read-back.

1. The plan must be validated (:class:`~pintools.plans.errors.PlanNotValidated` otherwise).
2. It is checked again, now, with *the guardrails it was validated with*. A row reviewed as
   sendable that no longer passes (its entity changed in Pinterest since, a floor moved…) stops
   the whole apply with :class:`~pintools.plans.errors.PlanOutdated`: validate again and review.
   A plan in which nothing can be sent raises :class:`~pintools.plans.errors.NothingToApply`.
3. The sendable rows go out chunk by chunk — bulk upsert jobs (``method="bulk"``, 1,000 items a
   job) or the batch endpoints (``"patch"``, 30 a call) — with the journal written before each
   wait (see :mod:`pintools.plans.journal` and :mod:`pintools.plans.runner`).
4. After each chunk every entity is read back; what Pinterest holds decides each row:
   ``applied``, ``failed`` (with why), or ``unknown`` (with the step to take). Reviewed-blocked
   rows are ``blocked`` and excluded rows ``skipped``; neither is sent.

>>> applied = plan.validate().apply()                 # doctest: +SKIP
>>> applied                                           # doctest: +SKIP
EditPlan(3f2a9c1b7d4e: 3 of 10 sent; 7 blocked (3 applied))
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pandas as pd

from ..http.sandbox import SandboxUnavailable
from ..polling import DEFAULT_POLL, PollPolicy
from .errors import NothingToApply, PlanError, PlanNotValidated, PlanOutdated
from .journal import Journal
from .model import EditPlan
from .ops import DEFAULT_CHUNK
from .readback import Decision
from .runner import Runner
from .validate import validate

if TYPE_CHECKING:
    from ..client import Client

log = logging.getLogger("pintools.plans")


def apply(plan: EditPlan, client: "Client | None" = None, *, method: str | None = None, chunk_size: int | None = None,
          journal: "bool | str | Journal" = True, progress: bool = True, poll: PollPolicy | None = None) -> EditPlan:
    """Apply a validated plan; the plan with every row's ``result``, ``message``, ``created_id``,
    ``applied_at`` and ``read_back``.

    ``method``: ``"bulk"`` (async bulk upsert jobs of ``chunk_size`` items, default 1000: pintools' rule,
    as the spec sets no limit, and a job refused whole with a 400 is sent again in halves) or
    ``"patch"`` (the batch endpoints, 30 items a call); by default bulk, but patch on a client in
    Pinterest's sandbox, which does not serve bulk upsert (the plan's ``settings["notes"]`` says
    so; an explicit ``"bulk"`` there raises :class:`~pintools.http.sandbox.SandboxUnavailable`).
    ``journal``: True (the default folder, see :func:`~pintools.plans.journal.default_journal_dir`),
    a folder, a :class:`Journal`, or False (no crash safety). ``poll``: how bulk jobs are waited for.
    """
    from ..client import default_client

    if method is not None and method not in DEFAULT_CHUNK:
        raise ValueError(f"method must be 'bulk' or 'patch', got {method!r}")
    if plan.validation is None:
        raise PlanNotValidated()
    if plan.applied:
        raise PlanError(f"plan {plan.plan_id} was already applied ({plan.headline()}; journal {plan.journal}): "
                        f"to finish an interrupted apply, resume its journal; to change more, build a new plan")
    c = client or default_client()
    method, note = sandbox_method(method, sandbox=bool(getattr(c, "sandbox", False)))
    sendable = _sendable(plan)
    if not sendable:
        raise NothingToApply(_nothing(plan))
    now = validate(plan, c, plan.validation.guardrails)
    _refuse_outdated(now, sendable)
    checked = now.replace(changes=_reviewed_verdicts(plan, now))
    j = _journal(checked, journal)
    runner = Runner(checked, c, j, method=method, chunk_size=chunk_size or DEFAULT_CHUNK[method],
                    poll=poll or DEFAULT_POLL, progress=progress)
    try:
        runner.send(checked.changes[checked.changes["row"].isin(sendable)])
        result = finish(checked, runner)
        if note:
            log.warning("pintools: %s", note)
            runner.log({"type": "note", "note": note})
            result = result.replace(settings={**result.settings, "notes": [*result.settings.get("notes", []), note]})
        runner.log({"type": "done", "summary": result.counts()})
    except Exception as exc:
        if j is not None:
            exc.add_note(f"pintools: the apply stopped part-way; finish it with pintools.plans.resume({str(j.path)!r}) "
                         f"(CLI: pintools resume {j.path})")
        raise
    finally:
        if j is not None:
            j.release()
    return result


def sandbox_method(method: str | None, *, sandbox: bool) -> tuple[str, str | None]:
    """The send method to use, and a note when the sandbox changed it.

    >>> sandbox_method(None, sandbox=True)[0], sandbox_method(None, sandbox=False)
    ('patch', ('bulk', None))
    """
    if not sandbox:
        return method or "bulk", None
    if method == "bulk":
        raise SandboxUnavailable.for_operation("bulk_upsert/create", "POST", "/ad_accounts/{ad_account_id}/bulk/upsert",
                                               instead="apply with method='patch' (the default in the sandbox)")
    if method is None:
        return "patch", ("applied with PATCH/POST batch calls (method='patch'), not bulk upsert: "
                         "Pinterest's sandbox does not serve bulk upsert (x-sandbox: disabled)")
    return method, None


def _sendable(plan: EditPlan) -> list[int]:
    return [int(r) for r in plan.included["row"]]


def _nothing(plan: EditPlan) -> str:
    c = plan.changes
    blocked = int((c["verdict"] == "blocked").sum())
    excluded = int((~c["include"].fillna(False)).sum())
    return (f"nothing to send: of {len(c)} row(s), {blocked} are blocked and {excluded} excluded. "
            f"Read the reasons (plan.changes['reason']), fix or exclude those rows, validate again and review.")


def _refuse_outdated(now: EditPlan, sendable: list[int]) -> None:
    c = now.changes.set_index("row")
    newly = [r for r in sendable if c.loc[r, "verdict"] == "blocked"]
    if not newly:
        return
    lines = "; ".join(f"row {r} ({c.loc[r, 'entity_type']} {c.loc[r, 'id']}): {c.loc[r, 'reason']}" for r in newly[:3])
    more = f" and {len(newly) - 3} more" if len(newly) > 3 else ""
    raise PlanOutdated(f"nothing was sent: {len(newly)} row(s) reviewed as sendable no longer pass the guardrails "
                       f"the plan was validated with — {lines}{more}. Validate again (plan = plan.validate()) and "
                       f"review before applying.", newly)


def _reviewed_verdicts(reviewed: EditPlan, now: EditPlan) -> pd.DataFrame:
    """The rows as checked now, with the verdicts and reasons that were reviewed (a row blocked at
    review stays unsent even if it would pass now)."""
    changes = now.changes.copy()
    changes["verdict"] = reviewed.changes["verdict"].to_numpy()
    changes["reason"] = reviewed.changes["reason"].to_numpy()
    return changes


def _journal(plan: EditPlan, journal: "bool | str | Journal") -> Journal | None:
    if journal is False or journal is None:
        return None
    if isinstance(journal, Journal):
        return journal.lock()
    return Journal.create(plan, None if journal is True else journal)


def _unsent(r: dict) -> Decision:
    """The result of a row the runner did not decide: left out, blocked, or not yet known."""
    if not r["include"]:
        return Decision("skipped", r["note"] if isinstance(r["note"], str) and r["note"] else "excluded at review")
    if r["verdict"] == "blocked":
        return Decision("blocked", r["reason"])
    return Decision("unknown", "not decided: run pintools.plans.resume on the journal")


def finish(plan: EditPlan, runner: Runner) -> EditPlan:
    """``plan`` with the outcome columns filled from the runner's decisions; blocked rows
    ``blocked`` and excluded rows ``skipped`` (with why)."""
    changes = plan.changes.copy()
    decided = [runner.decisions.get(int(r["row"])) or _unsent(r) for r in changes.to_dict("records")]
    changes["result"] = pd.array([d.result for d in decided], dtype="string")
    changes["message"] = pd.array([d.message for d in decided], dtype="string")
    changes["created_id"] = pd.array([d.created_id for d in decided], dtype="string")
    changes["read_back"] = pd.array([d.read_back for d in decided], dtype="object")
    changes["applied_at"] = pd.to_datetime(pd.Series([runner.applied_at.get(int(r)) for r in changes["row"]],
                                                     dtype="object"), utc=True, format="ISO8601").array
    journal = str(runner.journal.path) if runner.journal is not None else plan.journal
    settings = plan.settings
    if runner.cleared:
        settings = {**settings, "cleared": {**settings.get("cleared", {}), **runner.cleared}}
    return plan.replace(changes=changes, journal=journal, settings=settings)
