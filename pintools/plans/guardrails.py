"""Guardrails: every rule checked before anything is sent, every violation reported at once.

A row is ``blocked`` when any rule fails (all reasons joined), ``warn`` when only cautions
apply, ``ok`` otherwise. Rules:

* values: enums (status, budget type, match type, targeting values), money an exact
  non-negative integer of micro-currency (bids ≥ 1 micro);
* size of change: ``|delta %|`` above ``max_change_pct`` (default 50 %, per plan overridable);
* bids: ``min_bid_micro`` / ``max_bid_micro``, and Pinterest's bid floor for the ad group's
  billable event, currency, countries and objective (``bid_floor`` endpoint);
* budgets: ``max_daily_budget_micro`` / ``max_lifetime_budget_micro``; CBO rules (no ad-group
  budgets in CBO campaigns; a CBO campaign keeps exactly one of daily/lifetime cap); LIFETIME
  needs an end time;
* staleness: an entity whose ``updated_time`` changed since the plan was built is blocked.

>>> g = Guardrails(max_change_pct=25)
>>> g.max_change_pct
25
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .fields import EDITABLE, MATCH_TYPES, TARGETING_ENUMS, TARGETING_KEYS

if TYPE_CHECKING:
    from ..client import Client
    from .model import EditPlan

CBO_OBJECTIVES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES")


@dataclass(frozen=True)
class Guardrails:
    """Limits a plan must respect. Money in micro-currency of the account's currency."""

    max_change_pct: float = 50.0
    min_bid_micro: int | None = None
    max_bid_micro: int | None = None
    max_daily_budget_micro: int | None = None
    max_lifetime_budget_micro: int | None = None
    check_bid_floors: bool = True
    check_staleness: bool = True
    warn_near_floor_pct: float = 10.0


def evaluate(plan: "EditPlan", rules: Guardrails, *, client: "Client | None" = None) -> "EditPlan":
    """A copy of ``plan`` with ``verdict`` and ``reason`` set on every row."""
    changes = plan.changes.copy()
    max_pct = plan.settings.get("max_change_pct", rules.max_change_pct)
    context = _Context.load(changes, client, rules) if client is not None else _Context.empty()
    planned = planned_values(changes)
    verdicts, reasons = [], []
    for r in changes.to_dict("records"):
        blocked, warnings = _check_row(r, rules, max_pct, context, planned)
        verdicts.append("blocked" if blocked else ("warn" if warnings else "ok"))
        reasons.append("; ".join(blocked + warnings))
    changes["verdict"] = pd.array(verdicts, dtype="string")
    changes["reason"] = pd.array(reasons, dtype="string")
    return plan._with(changes)


class _Context:
    """Current state the rules need, read once per plan: entities, their campaigns, bid floors."""

    def __init__(self, entities: dict, campaigns: dict, floors: dict) -> None:
        self.entities = entities  # (entity_type, id) -> current record
        self.campaigns = campaigns  # campaign id -> record
        self.floors = floors  # ad group id -> floor micro

    @classmethod
    def empty(cls) -> "_Context":
        return cls({}, {}, {})

    @classmethod
    def load(cls, changes: pd.DataFrame, client: "Client", rules: Guardrails) -> "_Context":
        entities: dict = {}
        campaigns: dict = {}
        floors: dict = {}
        from .apply import read_entities

        updates = changes[changes["action"] == "update"]
        for (account, etype), part in updates.groupby(["ad_account_id", "entity_type"]):
            ids = sorted(set(part["id"].dropna()))
            if etype in ("campaign", "ad_group", "ad"):
                for rec in read_entities(client, account, etype, ids):
                    entities[(etype, rec["id"])] = rec
        needed_campaigns: dict[str, set] = {}
        for (etype, _), rec in entities.items():
            if etype == "ad_group":
                needed_campaigns.setdefault(rec["ad_account_id"], set()).add(rec["campaign_id"])
            if etype == "campaign":
                campaigns[rec["id"]] = rec
        for create in changes[changes["action"] == "create"].to_dict("records"):
            if create["entity_type"] == "ad_group" and create.get("parent_id"):
                needed_campaigns.setdefault(create["ad_account_id"], set()).add(create["parent_id"])
        for account, ids in needed_campaigns.items():
            missing = sorted(ids - set(campaigns))
            if missing:
                for rec in read_entities(client, account, "campaign", missing):
                    campaigns[rec["id"]] = rec
        if rules.check_bid_floors:
            floors = _bid_floors(client, changes, entities, campaigns)
        return cls(entities, campaigns, floors)



def _bid_floors(client: "Client", changes: pd.DataFrame, entities: dict, campaigns: dict) -> dict:
    """One bid_floor call per account for the distinct (billable event, currency, countries,
    objective) of the ad groups whose bids change."""
    from ..insights import read_bid_floors

    bids = changes[(changes["entity_type"] == "ad_group") & (changes["field"] == "bid_in_micro_currency")]
    floors: dict = {}
    for account, part in bids.groupby("ad_account_id"):
        keys: dict[tuple, list[str]] = {}
        for ad_group_id, currency in zip(part["id"], part["currency"], strict=True):
            rec = entities.get(("ad_group", ad_group_id))
            if rec is None:
                continue
            campaign = campaigns.get(rec.get("campaign_id"), {})
            countries = tuple(sorted(c for c in (rec.get("targeting_spec") or {}).get("LOCATION") or []
                                     if isinstance(c, str) and c.isalpha()))
            key = (rec.get("billable_event"), currency or client.currency_of(account), countries,
                   campaign.get("objective_type"))
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


def planned_values(changes: pd.DataFrame) -> dict[tuple[str, str, str], Any]:
    """(entity type, id, field) → the value the plan sets, for the included rows (built once)."""
    included = changes[changes["include"].fillna(False)]
    return {(e, i, f): a for e, i, f, a in zip(included["entity_type"], included["id"], included["field"],
                                                 included["after"], strict=True)}


def _planned(planned: dict, etype: str, ident: str, field: str) -> Any:
    return planned.get((etype, ident, field), _MISSING)


_MISSING = object()


def _check_row(r: dict, rules: Guardrails, max_pct: float, ctx: _Context,
               planned: dict) -> tuple[list[str], list[str]]:
    blocked: list[str] = []
    warnings: list[str] = []
    if r["action"] == "create":
        return _check_create(r, ctx), warnings
    etype, field, after = r["entity_type"], r["field"], r["after"]
    rule = EDITABLE[(etype, field)]
    current = ctx.entities.get((etype, r["id"]))

    if rule.kind == "money":
        if after is None:
            if not rule.nullable:
                blocked.append(f"{field} cannot be cleared")
        elif isinstance(after, bool) or not isinstance(after, int):
            blocked.append(f"{field} must be a whole number of micro-currency, got {after!r}")
        elif after < 0:
            blocked.append(f"{field} cannot be negative ({after})")
        else:
            blocked += _money_rules(r, rules, max_pct, ctx, planned, current, warnings)
    elif rule.kind == "enum":
        if after not in rule.allowed:
            blocked.append(f"{field} {after!r} is not one of {', '.join(rule.allowed)}")
        elif field == "status" and after == "ARCHIVED":
            warnings.append("archiving cannot be undone")
        elif field == "budget_type" and after == "LIFETIME":
            end = _planned(planned, etype, r["id"], "end_time")
            end = (current or {}).get("end_time") if end is _MISSING else end
            if not end:
                blocked.append("a LIFETIME budget needs an end_time")
        elif field == "match_type" and after not in MATCH_TYPES:
            blocked.append(f"match type {after!r} is not valid")
    elif rule.kind == "targeting":
        blocked += _targeting_problems(after)
    elif rule.kind == "bool" and not isinstance(after, bool):
        blocked.append(f"{field} must be true or false, got {after!r}")

    if rules.check_staleness and current is not None and r.get("updated_time") is not None:
        now = current.get("updated_time")
        if now is not None and int(now) != int(r["updated_time"]):
            blocked.append(f"changed in Pinterest since the plan was built (updated_time {r['updated_time']} → {now}):"
                           f" rebuild the plan")
    if ctx.entities and current is None and etype != "keyword":
        blocked.append(f"{etype} {r['id']} not found in ad account {r['ad_account_id']}")
    return blocked, warnings


def _money_rules(r, rules: Guardrails, max_pct, ctx: _Context, planned, current, warnings) -> list[str]:
    blocked = []
    etype, field, after = r["entity_type"], r["field"], r["after"]
    pct = r.get("delta_pct")
    if pct is not None and not pd.isna(pct) and abs(float(pct)) > max_pct:
        blocked.append(f"change of {float(pct):+.0f}% exceeds the {max_pct:g}% limit per edit")
    is_bid = field in ("bid_in_micro_currency", "bid")
    if is_bid:
        if after < 1:
            blocked.append("a bid must be at least 1 micro")
        if rules.min_bid_micro is not None and after < rules.min_bid_micro:
            blocked.append(f"bid {after} is below the minimum {rules.min_bid_micro}")
        if rules.max_bid_micro is not None and after > rules.max_bid_micro:
            blocked.append(f"bid {after} is above the maximum {rules.max_bid_micro}")
        floor = ctx.floors.get(r["id"]) if etype == "ad_group" else None
        if floor is not None:
            if after < floor:
                blocked.append(f"bid {after} is below Pinterest's bid floor {floor}")
            elif after < floor * (1 + rules.warn_near_floor_pct / 100):
                warnings.append(f"bid is within {rules.warn_near_floor_pct:g}% of the bid floor {floor}")
    daily = field in ("daily_spend_cap",) or (field == "budget_in_micro_currency" and _budget_type(r, ctx, planned)
                                              != "LIFETIME")
    if daily and rules.max_daily_budget_micro is not None and after > rules.max_daily_budget_micro:
        blocked.append(f"daily budget {after} is above the cap {rules.max_daily_budget_micro}")
    if not daily and field in ("lifetime_spend_cap", "budget_in_micro_currency") and \
            rules.max_lifetime_budget_micro is not None and after > rules.max_lifetime_budget_micro:
        blocked.append(f"lifetime budget {after} is above the cap {rules.max_lifetime_budget_micro}")
    if etype == "ad_group" and field == "budget_in_micro_currency" and current is not None:
        campaign = ctx.campaigns.get(current.get("campaign_id"), {})
        if _is_cbo(campaign):
            blocked.append("the campaign uses campaign budget optimization (CBO): set the budget on the campaign")
    if etype == "campaign" and field in ("daily_spend_cap", "lifetime_spend_cap"):
        other = "lifetime_spend_cap" if field == "daily_spend_cap" else "daily_spend_cap"
        other_after = _planned(planned, "campaign", r["id"], other)
        other_value = (current or {}).get(other) if other_after is _MISSING else other_after
        if after is not None and other_value is not None:
            blocked.append(f"{field} and {other} cannot both be set")
    return blocked


def _budget_type(r, ctx: _Context, planned: dict) -> str | None:
    value = _planned(planned, "ad_group", r["id"], "budget_type")
    if value is not _MISSING:
        return value
    return (ctx.entities.get(("ad_group", r["id"])) or {}).get("budget_type")


def _is_cbo(campaign: dict) -> bool:
    flag = campaign.get("is_campaign_budget_optimization")
    if flag is not None:
        return bool(flag)
    return campaign.get("objective_type") in CBO_OBJECTIVES and (
        campaign.get("daily_spend_cap") is not None or campaign.get("lifetime_spend_cap") is not None)


def _targeting_problems(spec: Any) -> list[str]:
    if not isinstance(spec, dict):
        return [f"targeting_spec must be an object of lists, got {type(spec).__name__}"]
    problems = []
    for key, values in spec.items():
        if key not in TARGETING_KEYS:
            problems.append(f"unknown targeting type {key!r}")
            continue
        if values is None:
            continue
        if not isinstance(values, list):
            problems.append(f"targeting {key} must be a list")
            continue
        allowed = TARGETING_ENUMS.get(key)
        if allowed:
            bad = [v for v in values if v not in allowed]
            if bad:
                problems.append(f"targeting {key} values {bad} are not among {', '.join(allowed)}")
    return problems


_REQUIRED_CREATE = {
    "campaign": ("name", "objective_type"),
    "ad_group": ("name", "campaign_id", "billable_event"),
    "keyword": ("value", "match_type"),
}


def _check_create(r: dict, ctx: _Context) -> list[str]:
    body = r["after"] if isinstance(r["after"], dict) else {}
    problems = [f"{field} is required to create a {r['entity_type']}"
                for field in _REQUIRED_CREATE.get(r["entity_type"], ()) if body.get(field) in (None, "")]
    if r["entity_type"] == "ad_group":
        campaign = ctx.campaigns.get(str(body.get("campaign_id") or r.get("parent_id") or ""))
        if campaign is not None:
            if _is_cbo(campaign) and body.get("budget_in_micro_currency") is not None:
                problems.append("the campaign uses CBO: an ad group there takes no budget")
            if not _is_cbo(campaign) and body.get("budget_in_micro_currency") is None:
                problems.append("budget_in_micro_currency is required outside CBO campaigns")
        if body.get("budget_type") == "LIFETIME" and not body.get("end_time"):
            problems.append("a LIFETIME budget needs an end_time")
    if r["entity_type"] == "campaign" and body.get("daily_spend_cap") is not None and \
            body.get("lifetime_spend_cap") is not None:
        problems.append("daily_spend_cap and lifetime_spend_cap cannot both be set")
    if r["entity_type"] == "keyword":
        if body.get("match_type") not in MATCH_TYPES:
            problems.append(f"match_type must be one of {', '.join(MATCH_TYPES)}")
        if len(str(body.get("value") or "")) > 120:
            problems.append("keyword text is longer than 120 characters")
    for key, value in body.items():
        if key.endswith(("_in_micro_currency", "_spend_cap")) or key == "bid":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                problems.append(f"{key} must be a whole number of micro-currency, got {value!r}")
    return problems
