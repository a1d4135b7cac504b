"""``rollback``: the inverse of what an applied plan changed, as a new plan to review and apply.

Every ``applied`` row becomes a row setting the field back to its value before the apply, and
carries ``expected``: what was applied (``settings["applied_at"]`` says when, by row).
Validating the rollback re-reads each entity, makes its ``before`` the value Pinterest holds
now, and blocks each row whose value is no longer what was applied — someone changed it since,
and rolling back would overwrite their change — unless that row is forced
(``undo.force([3]).validate()``).

* a create is undone by archiving what it created (keywords: ``archived``);
* a keyword match-type change is undone by the same change on the new keyword, back to the old type;
* a switch to CBO is undone by switching back and restoring, ad group by ad group, the budgets
  the switch cleared (journaled before the switch; the plan keeps them in
  ``settings["cleared"]``). Pinterest copies ``default_ad_group_budget_in_micro_currency`` into
  every ad group when CBO is turned off, so the rollback sets it (to the first saved daily
  budget) and then restores each ad group's own budget.

>>> undo = rollback(applied).validate()     # doctest: +SKIP
>>> undo.changes[["id", "before", "after", "expected", "verdict", "reason"]]   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .model import EditPlan

_KEEP = ("entity_type", "ad_account_id", "id", "name", "currency", "parent_id")


def rollback(plan: EditPlan) -> EditPlan:
    """The inverse plan of ``plan``'s applied rows (unvalidated: validate it, review, apply)."""
    c = plan.changes
    if not plan.applied:
        raise ValueError(f"plan {plan.plan_id} has not been applied, so there is nothing to roll back")
    done = c[c["result"] == "applied"]
    cleared: dict[str, list[dict]] = plan.settings.get("cleared") or {}
    inverse: list[dict] = []
    unchecked: list[int] = []
    applied_at: dict[str, str] = {}
    for r in done.to_dict("records"):
        base = {k: r.get(k) for k in _KEEP}
        if not pd.isna(r["applied_at"]):
            applied_at[str(len(inverse))] = pd.Timestamp(r["applied_at"]).isoformat()
        applied = r["read_back"] if r["read_back"] is not None else r["after"]
        if r["action"] == "create":
            inverse.append(_archive_created(r, base))
        elif r["field"] == "match_type":
            inverse.append({**base, "id": r["created_id"], "field": "match_type", "before": r["after"],
                            "after": r["before"], "expected": r["after"]})
        else:
            inverse.append({**base, "field": r["field"], "before": applied, "after": r["before"],
                            "expected": applied})
            if r["field"] == "is_campaign_budget_optimization" and r["after"] is True and r["id"] in cleared:
                restore, helper = _restore_budgets(base, cleared[r["id"]])
                if helper is not None:
                    unchecked.append(len(inverse))
                    inverse.append(helper)
                inverse += restore
    return EditPlan.from_changes(inverse, source=f"rollback of {plan.plan_id}",
                                 settings={"rollback_of": plan.plan_id, "unchecked_rows": unchecked,
                                           "applied_at": applied_at})


def _archive_created(r: dict, base: dict) -> dict:
    body = r["after"] if isinstance(r["after"], dict) else {}
    if r["entity_type"] == "keyword":
        return {**base, "id": r["created_id"], "field": "archived", "before": False, "after": True,
                "expected": False, "parent_id": r.get("parent_id")}
    status = body.get("status") or "ACTIVE"
    return {**base, "id": r["created_id"], "field": "status", "before": status, "after": "ARCHIVED",
            "expected": status}


def _restore_budgets(campaign: dict, groups: list[dict]) -> tuple[list[dict], dict | None]:
    """Rows giving each ad group back what the switch to CBO cleared, and the campaign row that
    turning CBO off needs (``default_ad_group_budget_in_micro_currency``)."""
    rows: list[dict] = []
    for g in groups:
        base: dict[str, Any] = {"entity_type": "ad_group", "ad_account_id": campaign["ad_account_id"], "id": g["id"],
                                "name": None, "currency": campaign["currency"], "parent_id": campaign["id"]}
        if g.get("budget_in_micro_currency") is not None:
            rows.append({**base, "field": "budget_in_micro_currency", "before": None,
                         "after": g["budget_in_micro_currency"], "expected": None})
        if g.get("budget_type") not in (None, "DAILY", "CBO_ADGROUP"):
            rows.append({**base, "field": "budget_type", "before": "CBO_ADGROUP", "after": g["budget_type"],
                         "expected": "CBO_ADGROUP"})
        for name in ("start_time", "end_time"):
            if g.get(name) is not None:
                rows.append({**base, "field": name, "before": None, "after": g[name], "expected": None})
    daily = [g["budget_in_micro_currency"] for g in groups if g.get("budget_in_micro_currency") is not None]
    helper = None
    if daily:
        helper = {**campaign, "field": "default_ad_group_budget_in_micro_currency", "before": None,
                  "after": daily[0]}
    return rows, helper
