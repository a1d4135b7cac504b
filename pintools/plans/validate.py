"""``validate``: check every row of a plan against the guardrails and what Pinterest holds now.

Reads current state once per plan (entities, their campaigns, bid floors, keywords and
creates' parents), runs :mod:`pintools.plans.checks` on each row, and returns the plan with
``verdict`` and ``reason`` set and ``plan.validation`` recording the guardrails and the time.
:func:`pintools.plans.apply.apply` uses exactly those guardrails.

A rollback plan's rows also get ``before`` (and ``updated_time``) from what Pinterest holds
now, and are blocked where that is no longer what was applied.

>>> checked = validate(plan, client, Guardrails(max_change_pct=80))   # doctest: +SKIP
>>> checked.validation.guardrails.max_change_pct                     # doctest: +SKIP
80
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..frames.rows import row_dicts
from .changes import money_delta, plain
from .checks import Context, check_row, duplicate_creates, is_cbo, planned_values
from .current import pre_existing, read_entities, read_updated
from .fields import EDITABLE
from .guardrails import Guardrails
from .model import EditPlan, Validation
from .targeting import load_vocabulary

if TYPE_CHECKING:
    from ..client import Client


def validate(plan: EditPlan, client: "Client | None" = None, guardrails: Guardrails | None = None) -> EditPlan:
    """A copy of ``plan`` with every row's verdict and reasons, validated now.

    ``guardrails`` default: those of the plan's last validation, else :class:`Guardrails()`.
    ``plan.settings["max_change_pct"]``, when set, overrides the change limit for this plan.
    """
    from ..client import default_client

    c = client or default_client()
    rules = guardrails or (plan.validation.guardrails if plan.validation else Guardrails())
    if plan.settings.get("max_change_pct") is not None:
        rules = dataclasses.replace(rules, max_change_pct=float(plan.settings["max_change_pct"]))
    changes = plan.changes.copy()
    ctx = load_context(changes, c, rules, rollback=bool(plan.settings.get("rollback_of")))
    ctx.unchecked = frozenset(int(r) for r in plan.settings.get("unchecked_rows") or [])
    ctx.applied_at = {int(k): v for k, v in (plan.settings.get("applied_at") or {}).items()}
    if ctx.rollback:
        changes = _current_as_before(changes, ctx)
    else:
        changes = _stamp_updated_time(changes, ctx)
    planned = planned_values(changes)
    duplicates = duplicate_creates(changes)
    verdicts, reasons = [], []
    for r in row_dicts(changes):
        blocked, warnings = check_row(r, rules, ctx, planned)
        if int(r["row"]) in duplicates:
            blocked.append(duplicates[int(r["row"])])
        verdicts.append("blocked" if blocked else ("warn" if warnings else "ok"))
        reasons.append("; ".join(blocked + warnings))
    changes["verdict"] = pd.array(verdicts, dtype="string")
    changes["reason"] = pd.array(reasons, dtype="string")
    return plan.replace(changes=changes, validation=Validation(rules, c.now().isoformat(timespec="seconds")))


def load_context(changes: pd.DataFrame, client: "Client", rules: Guardrails, *, rollback: bool = False) -> Context:
    """Read what the rules need, once: current entities, campaigns, bid floors, keywords."""
    entities = read_updated(client, changes)
    campaigns = {i: rec for (etype, i), rec in entities.items() if etype == "campaign"}
    needed: dict[str, set] = {}
    for (etype, _), rec in entities.items():
        if etype == "ad_group":
            needed.setdefault(rec["ad_account_id"], set()).add(rec["campaign_id"])
    for r in changes[changes["action"] == "create"].to_dict("records"):
        body = r["after"] if isinstance(r["after"], dict) else {}
        if r["entity_type"] == "ad_group" and (body.get("campaign_id") or r.get("parent_id")):
            needed.setdefault(r["ad_account_id"], set()).add(str(body.get("campaign_id") or r["parent_id"]))
    for account, ids in needed.items():
        for rec in read_entities(client, account, "campaign", ids - set(campaigns)):
            campaigns[rec["id"]] = rec
    ctx = Context(entities=entities, campaigns=campaigns, loaded=True, rollback=rollback)
    if rules.check_bid_floors:
        ctx.floors = bid_floors(client, changes, entities, campaigns)
    keywords = pre_existing(client, changes[changes["entity_type"] == "keyword"])
    ctx.existing = {row: ids for row, ids in keywords.items() if ids}
    ctx.vocabulary = load_vocabulary(client, changes)
    ctx.children = _cbo_children(client, changes, campaigns)
    return ctx


def _cbo_children(client: "Client", changes: pd.DataFrame, campaigns: dict) -> dict[str, int]:
    """For campaigns whose CBO flag the plan switches: how many live ad groups they have."""
    switching = changes[changes["field"] == "is_campaign_budget_optimization"]
    counts: dict[str, int] = {}
    for r in switching.to_dict("records"):
        if r["after"] == is_cbo(campaigns.get(r["id"], {})):
            continue
        groups = client.ad_groups.list(r["ad_account_id"], campaign_ids=[r["id"]])  # ACTIVE and PAUSED
        counts[r["id"]] = sum(1 for _ in groups)
    return counts


def _stamp_updated_time(changes: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Rows built without the entity's ``updated_time`` get the one seen now, so a change made
    after this validation stops the apply."""
    missing = changes["updated_time"].isna() & (changes["action"] == "update")
    if not missing.any():
        return changes
    changes = changes.copy()
    for idx in changes.index[missing]:
        rec = ctx.entities.get((changes.at[idx, "entity_type"], changes.at[idx, "id"])) or {}
        if rec.get("updated_time") is not None:
            changes.at[idx, "updated_time"] = int(rec["updated_time"])
    return changes


def _current_as_before(changes: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Rollback rows start from what Pinterest holds now."""
    changes = changes.copy()
    for idx, r in changes[changes["action"] == "update"].iterrows():
        rec = ctx.entities.get((r["entity_type"], r["id"]))
        if rec is None:
            continue
        before = plain(rec.get(r["field"]))
        changes.at[idx, "before"] = before
        changes.at[idx, "updated_time"] = plain(rec.get("updated_time"))
        delta, pct = money_delta(EDITABLE[(r["entity_type"], r["field"])].kind, before, r["after"])
        if delta is not None:
            changes.at[idx, "delta"], changes.at[idx, "delta_pct"] = delta, pd.NA if pct is None else pct
    return changes


def bid_floors(client: "Client", changes: pd.DataFrame, entities: dict, campaigns: dict) -> dict[str, int]:
    """Pinterest's bid floor for each ad group whose bid the plan changes: one ``bid_floor`` call
    per account for the distinct (billable event, currency, countries, objective)."""
    from ..insights import read_bid_floors

    bids = changes[(changes["entity_type"] == "ad_group") & (changes["field"] == "bid_in_micro_currency")]
    floors: dict[str, int] = {}
    for account, part in bids.groupby("ad_account_id"):
        keys: dict[tuple, list[str]] = {}
        for ad_group_id, currency in zip(part["id"], part["currency"], strict=True):
            rec = entities.get(("ad_group", ad_group_id))
            if rec is None:
                continue
            campaign = campaigns.get(rec.get("campaign_id"), {})
            countries = tuple(sorted(c for c in (rec.get("targeting_spec") or {}).get("LOCATION") or []
                                     if isinstance(c, str) and c.isalpha()))
            currency = currency if isinstance(currency, str) else client.currency_of(account)
            key = (rec.get("billable_event"), currency, countries, campaign.get("objective_type"))
            keys.setdefault(key, []).append(ad_group_id)
        if not keys:
            continue
        specs = []
        for billable, currency, countries, objective in keys:
            spec: dict[str, Any] = {"billable_event": billable, "currency": currency}
            if countries:
                spec["countries"] = list(countries)
            if objective:
                spec["objective_type"] = objective
            specs.append(spec)
        result = read_bid_floors(account, specs, client=client)
        for groups, floor in zip(keys.values(), result["bid_floor_in_micro_currency"], strict=True):
            for g in groups:
                floors[g] = int(floor)
    return floors
