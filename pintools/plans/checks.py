"""The rules every plan row is checked against, given what Pinterest holds now (:class:`Context`).

A row is ``blocked`` when any rule fails (all reasons joined), ``warn`` when only cautions
apply, ``ok`` otherwise. Rules:

* values: enums (status, budget type, match type), targeting values Pinterest offers (see
  :mod:`pintools.plans.targeting`), money an exact non-negative integer of micro-currency;
* size of change: ``|delta %|`` above ``max_change_pct`` (default 50 %, per plan overridable);
* bids: ``min_bid_micro`` / ``max_bid_micro``, and Pinterest's bid floor for the ad group's
  billable event, currency, countries and objective;
* budgets: ``max_daily_budget_micro`` / ``max_lifetime_budget_micro``; CBO rules (no ad-group
  budgets in CBO campaigns unless the plan turns CBO off; a CBO campaign keeps exactly one of
  daily/lifetime cap); LIFETIME needs an end time;
* staleness: an entity whose ``updated_time`` changed since the plan was built is blocked;
* rollback rows: an entity that no longer holds what was applied is blocked unless forced;
* creates: required fields, and a natural key (name, or keyword text + match type) that no
  other create of the plan shares — read-back finds creates by it.

>>> ctx = Context.empty()
>>> check_row({"action": "update", "entity_type": "ad", "id": "1", "ad_account_id": "9", "field": "status",
...            "before": "ACTIVE", "after": "STOPPED", "updated_time": None}, Guardrails(), ctx, {})
(["status 'STOPPED' is not one of ACTIVE, PAUSED, ARCHIVED"], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .current import natural_key, parent_of
from .fields import (
    EDITABLE,
    KEYWORD_BIDS_IGNORED,
    MATCH_TYPES,
    OBJECTIVE_TYPES,
    REMOVED_OBJECTIVES,
    TARGETING_ENUMS,
    TARGETING_KEYS,
)
from .guardrails import Guardrails
from .money import format_money
from .targeting import Vocabulary, value_problems

CBO_OBJECTIVES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES")
MISSING = object()


@dataclass
class Context:
    """What the rules need from Pinterest, read once per plan (see :mod:`pintools.plans.validate`)."""

    entities: dict = field(default_factory=dict)  # (entity_type, id) -> current record
    campaigns: dict = field(default_factory=dict)  # campaign id -> record
    floors: dict = field(default_factory=dict)  # ad group id -> bid floor micro
    existing: dict = field(default_factory=dict)  # plan row -> ids already holding its create's natural key
    children: dict = field(default_factory=dict)  # campaign id -> number of its ad groups (CBO switches)
    loaded: bool = False  # was current state read at all (no client: only the value rules run)
    rollback: bool = False  # rows carry ``expected``: what was applied, to be found still in place
    unchecked: frozenset = frozenset()  # rollback rows that undo nothing (so expect nothing)
    applied_at: dict = field(default_factory=dict)  # rollback row -> when what it undoes was applied (ISO)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)  # targeting options and audiences

    @classmethod
    def empty(cls) -> "Context":
        return cls()


def planned_values(changes: pd.DataFrame) -> dict[tuple[str, str, str], Any]:
    """(entity type, id, field) → the value the plan sets, for the included rows (built once)."""
    included = changes[changes["include"].fillna(False)]
    return {(e, i, f): a for e, i, f, a in zip(included["entity_type"], included["id"], included["field"],
                                                 included["after"], strict=True)}


def _planned(planned: dict, etype: str, ident: str, field_name: str) -> Any:
    return planned.get((etype, ident, field_name), MISSING)


def check_row(r: dict, rules: Guardrails, ctx: Context, planned: dict) -> tuple[list[str], list[str]]:
    """``(blocking reasons, warnings)`` for one row (a dict of ``plan.changes`` columns)."""
    if isinstance(r.get("note"), str) and r["note"]:
        return [r["note"]], []  # left out by its builder: never sendable
    if r["action"] == "create":
        return check_create(r, ctx), []
    blocked: list[str] = []
    warnings: list[str] = []
    etype, field_name, after = r["entity_type"], r["field"], r["after"]
    rule = EDITABLE[(etype, field_name)]
    current = ctx.entities.get((etype, r["id"]))
    if etype == "keyword" and field_name == "bid":
        return [KEYWORD_BIDS_IGNORED], []

    if rule.kind == "money":
        if after is None:
            if not rule.nullable:
                blocked.append(f"{field_name} cannot be cleared")
        elif isinstance(after, bool) or not isinstance(after, int):
            blocked.append(f"{field_name} must be a whole number of micro-currency, got {after!r}")
        elif after < 0:
            blocked.append(f"{field_name} cannot be negative ({after})")
        else:
            blocked += _money_rules(r, rules, ctx, planned, current, warnings)
    elif rule.kind == "enum":
        if after not in rule.allowed:
            blocked.append(f"{field_name} {after!r} is not one of {', '.join(rule.allowed)}")
        elif field_name == "status" and after == "ARCHIVED":
            warnings.append("archiving cannot be undone")
        elif field_name == "budget_type" and after == "LIFETIME":
            end = _planned(planned, etype, r["id"], "end_time")
            end = (current or {}).get("end_time") if end is MISSING else end
            if not end:
                blocked.append("a LIFETIME budget needs an end_time")
        elif field_name == "match_type" and ctx.existing.get(int(r["row"])):
            blocked.append(f"a {after} keyword {r['name']!r} already exists in {r['parent_id']} "
                           f"(id {', '.join(ctx.existing[int(r['row'])])}): archive this one instead")
    elif rule.kind == "targeting":
        blocked += targeting_problems(after) + value_problems(r["before"], after, ctx.vocabulary, r["ad_account_id"])
    elif rule.kind == "bool":
        if not isinstance(after, bool):
            blocked.append(f"{field_name} must be true or false, got {after!r}")
        elif field_name == "is_campaign_budget_optimization":
            blocked += _cbo_switch(r, ctx, planned, current, warnings)

    if ctx.rollback:
        if int(r["row"]) not in ctx.unchecked:
            blocked += _still_applied(r, current, ctx.applied_at.get(int(r["row"])), warnings)
    elif rules.check_staleness and current is not None and r.get("updated_time") is not None:
        now = current.get("updated_time")
        if now is not None and int(now) != int(r["updated_time"]):
            blocked.append(f"changed in Pinterest since the plan was built (updated_time {_iso(r['updated_time'])}"
                           f" → {_iso(now)}): build the plan again")
    if ctx.loaded and current is None and not (etype == "keyword" and field_name == "archived" and after is True):
        blocked.append(f"{etype} {r['id']} not found in ad account {r['ad_account_id']}"
                       + (" (archived keywords are gone for good)" if etype == "keyword" else ""))
    return blocked, warnings


def _iso(seconds: Any) -> str:
    return pd.Timestamp(int(seconds), unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def shown(value: Any, field_name: str, currency: Any) -> str:
    """A field's value as a reason shows it (money in currency units, times as ISO).

    >>> shown(5_500_000, "bid_in_micro_currency", "USD"), shown(None, "bid_in_micro_currency", "USD")
    ('5.50 USD', 'nothing')
    """
    rule = next((e for (_, f), e in EDITABLE.items() if f == field_name), None)
    if value is None:
        return "nothing"
    if rule is not None and rule.kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_money(value, currency if isinstance(currency, str) else None)
    if rule is not None and rule.kind == "time" and isinstance(value, int):
        return _iso(value)
    return repr(value) if isinstance(value, str) else str(value)


def _still_applied(r: dict, current: dict | None, applied_at: str | None, warnings: list[str]) -> list[str]:
    """A rollback row may only undo what is still in place."""
    if current is None:
        return []
    field_name = r["field"]
    now = current.get(field_name)
    if same_value(now, r.get("expected")):
        return []
    when = f" at {pd.Timestamp(applied_at).strftime('%Y-%m-%dT%H:%M:%SZ')}" if applied_at else ""
    what = (f"changed since it was applied: now {shown(now, field_name, r.get('currency'))}, "
            f"applied {shown(r.get('expected'), field_name, r.get('currency'))}{when}")
    if r.get("force"):
        warnings.append(f"{what}; forced: rolling back overwrites it")
        return []
    return [f"{what}; rolling back would overwrite it (plan.force([{r['row']}]) to roll back anyway)"]


def same_value(now: Any, target: Any) -> bool:
    """Does a field hold ``target``? Targeting specs compare as sets per key; money exactly.

    >>> same_value({"GENDER": ["male", "female"]}, {"GENDER": ["female", "male"], "AGE_BUCKET": []})
    True
    """
    if isinstance(target, dict) and isinstance(now, dict):
        keys = {k for k, v in target.items() if v} | {k for k, v in now.items() if v}
        return all(sorted(map(str, target.get(k) or [])) == sorted(map(str, now.get(k) or [])) for k in keys)
    if isinstance(target, bool) or isinstance(now, bool):
        return now is target or (now is None and target is False)
    return now == target


def _cbo_switch(r: dict, ctx: Context, planned: dict, current: dict | None, warnings: list[str]) -> list[str]:
    if current is None:
        return []
    if r["after"] is True:
        problems = []
        if current.get("objective_type") not in CBO_OBJECTIVES:
            problems.append(f"{current.get('objective_type')} campaigns cannot use campaign budget optimization")
        caps = [_planned(planned, "campaign", r["id"], f) for f in ("daily_spend_cap", "lifetime_spend_cap")]
        caps = [current.get(f) if c is MISSING else c for c, f in zip(caps, ("daily_spend_cap", "lifetime_spend_cap"),
                                                                        strict=True)]
        if not any(c is not None for c in caps):
            problems.append("a CBO campaign needs a daily_spend_cap or lifetime_spend_cap: set one in this plan")
        n = ctx.children.get(r["id"], 0)
        if n and not problems:
            warnings.append(f"turning CBO on clears the budgets of its {n} ad group(s); pintools journals them "
                            f"so a rollback restores them")
        return problems
    default = _planned(planned, "campaign", r["id"], "default_ad_group_budget_in_micro_currency")
    default = current.get("default_ad_group_budget_in_micro_currency") if default is MISSING else default
    if default is None and ctx.children.get(r["id"]):
        return ["turning CBO off gives every ad group default_ad_group_budget_in_micro_currency as its daily "
                "budget: set that field in this plan"]
    return []


def _money_rules(r, rules: Guardrails, ctx: Context, planned, current, warnings) -> list[str]:
    blocked = []
    etype, field_name, after, currency = r["entity_type"], r["field"], r["after"], r.get("currency")
    pct = r.get("delta_pct")
    if pct is not None and not pd.isna(pct) and abs(float(pct)) > rules.max_change_pct:
        blocked.append(f"change of {float(pct):+.0f}% exceeds the {rules.max_change_pct:g}% limit per edit "
                       f"(Guardrails(max_change_pct=…) or plan.settings['max_change_pct'] raises it)")
    if field_name in ("bid_in_micro_currency", "bid"):
        if after < 1:
            blocked.append("a bid must be at least 1 micro")
        if rules.min_bid_micro is not None and after < rules.min_bid_micro:
            blocked.append(f"bid {format_money(after, currency)} is below the minimum "
                           f"{format_money(rules.min_bid_micro, currency)} (Guardrails(min_bid_micro=…) sets it)")
        if rules.max_bid_micro is not None and after > rules.max_bid_micro:
            blocked.append(f"bid {format_money(after, currency)} is above the maximum "
                           f"{format_money(rules.max_bid_micro, currency)} (Guardrails(max_bid_micro=…) sets it)")
        floor = ctx.floors.get(r["id"]) if etype == "ad_group" else None
        if floor is not None:
            if after < floor:
                blocked.append(f"bid {format_money(after, currency)} is below Pinterest's bid floor "
                               f"{format_money(floor, currency)}")
            elif after < floor * (1 + rules.warn_near_floor_pct / 100):
                warnings.append(f"bid is within {rules.warn_near_floor_pct:g}% of the bid floor "
                                f"{format_money(floor, currency)}")
    daily = field_name == "daily_spend_cap" or (field_name == "budget_in_micro_currency"
                                                and _budget_type(r, ctx, planned) != "LIFETIME")
    if daily and rules.max_daily_budget_micro is not None and after > rules.max_daily_budget_micro:
        blocked.append(f"daily budget {format_money(after, currency)} is above the cap "
                       f"{format_money(rules.max_daily_budget_micro, currency)} (Guardrails(max_daily_budget_micro=…) "
                       f"sets it)")
    if not daily and field_name in ("lifetime_spend_cap", "budget_in_micro_currency") and \
            rules.max_lifetime_budget_micro is not None and after > rules.max_lifetime_budget_micro:
        blocked.append(f"lifetime budget {format_money(after, currency)} is above the cap "
                       f"{format_money(rules.max_lifetime_budget_micro, currency)} "
                       f"(Guardrails(max_lifetime_budget_micro=…) sets it)")
    if etype == "ad_group" and field_name == "budget_in_micro_currency" and current is not None:
        campaign_id = current.get("campaign_id")
        leaving = _planned(planned, "campaign", campaign_id, "is_campaign_budget_optimization") is False
        if is_cbo(ctx.campaigns.get(campaign_id, {})) and not leaving:
            blocked.append("the campaign uses campaign budget optimization (CBO): set the budget on the campaign")
    if etype == "campaign" and field_name in ("daily_spend_cap", "lifetime_spend_cap"):
        other = "lifetime_spend_cap" if field_name == "daily_spend_cap" else "daily_spend_cap"
        other_after = _planned(planned, "campaign", r["id"], other)
        other_value = (current or {}).get(other) if other_after is MISSING else other_after
        if after is not None and other_value is not None:
            blocked.append(f"{field_name} and {other} cannot both be set")
    return blocked


def _budget_type(r, ctx: Context, planned: dict) -> str | None:
    value = _planned(planned, "ad_group", r["id"], "budget_type")
    if value is not MISSING:
        return value
    return (ctx.entities.get(("ad_group", r["id"])) or {}).get("budget_type")


def is_cbo(campaign: dict) -> bool:
    """Does this campaign record use campaign budget optimization?"""
    flag = campaign.get("is_campaign_budget_optimization")
    if flag is not None:
        return bool(flag)
    return campaign.get("objective_type") in CBO_OBJECTIVES and (
        campaign.get("daily_spend_cap") is not None or campaign.get("lifetime_spend_cap") is not None)


def targeting_problems(spec: Any) -> list[str]:
    """What is wrong with a targeting spec's shape and enum values (all problems).

    >>> targeting_problems({"GENDER": ["robot"]})
    ['targeting GENDER values ["robot"] are not among unknown, male, female']
    """
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
                problems.append(f"targeting {key} values {str(bad).replace(chr(39), chr(34))} are not among "
                                f"{', '.join(allowed)}")
    return problems


def objective_problem(objective: object) -> str:
    """Why a campaign objective is refused (Pinterest API 5.23's ``ObjectiveType``).

    >>> objective_problem("VIDEO_VIEW")
    'objective_type VIDEO_VIEW was removed in Pinterest API 5.23: use VIDEO_COMPLETION'
    """
    if objective in REMOVED_OBJECTIVES:
        instead = REMOVED_OBJECTIVES[objective]
        return (f"objective_type {objective} was removed in Pinterest API 5.23: "
                + (f"use {instead}" if instead else f"choose one of {', '.join(OBJECTIVE_TYPES)}"))
    return f"objective_type must be one of {', '.join(OBJECTIVE_TYPES)}, got {objective!r}"


def cbo_create_problems(body: dict) -> list[str]:
    """Why a campaign create's ``is_campaign_budget_optimization`` cannot be sent as it is.

    In Pinterest API 5.23 the flag is a create field (``CampaignCreateRequest``) with no default,
    so pintools' creates always carry it (see :func:`pintools.plans.creates.to_campaigns`).

    >>> cbo_create_problems({"objective_type": "VIDEO_COMPLETION", "is_campaign_budget_optimization": True,
    ...                      "daily_spend_cap": 50_000_000})[0][:72]
    'only AWARENESS, CONSIDERATION, WEB_CONVERSION, CATALOG_SALES campaigns c'
    """
    flag = body.get("is_campaign_budget_optimization")
    if flag is None:
        return []
    if not isinstance(flag, bool):
        return [f"is_campaign_budget_optimization must be true or false, got {flag!r}"]
    if not flag:
        return []
    problems = []
    if body.get("objective_type") not in CBO_OBJECTIVES:
        problems.append(f"only {', '.join(CBO_OBJECTIVES)} campaigns can use campaign budget optimization (CBO); "
                        "set is_campaign_budget_optimization to false")
    if body.get("daily_spend_cap") is None and body.get("lifetime_spend_cap") is None:
        problems.append("a CBO campaign needs a daily_spend_cap or lifetime_spend_cap: add one, or set "
                        "is_campaign_budget_optimization to false and give its ad groups budgets")
    return problems


_REQUIRED_CREATE = {
    "campaign": ("name", "objective_type"),
    "ad_group": ("name", "billable_event"),
    "keyword": ("value", "match_type"),
}


def check_create(r: dict, ctx: Context) -> list[str]:
    """Blocking reasons for a create row: required fields, CBO budgets, money, and a natural key
    that read-back can find again (not shared with another create, not already there for keywords)."""
    etype = r["entity_type"]
    body = r["after"] if isinstance(r["after"], dict) else {}
    problems = [f"{name} is required to create a {etype}" for name in _REQUIRED_CREATE.get(etype, ())
                if body.get(name) in (None, "")]
    parent = parent_of(etype, r["ad_account_id"], body, r.get("parent_id"))
    if etype in ("ad_group", "keyword") and not parent:
        problems.append(f"a new {etype} needs its parent ({'campaign_id' if etype == 'ad_group' else 'parent_id'})")
    if etype == "ad_group":
        if body.get("targeting_spec") is not None:
            problems += targeting_problems(body["targeting_spec"])
            problems += value_problems({}, body["targeting_spec"], ctx.vocabulary, r["ad_account_id"])
        campaign = ctx.campaigns.get(parent)
        if campaign is not None:
            if is_cbo(campaign) and body.get("budget_in_micro_currency") is not None:
                problems.append("the campaign uses CBO: an ad group there takes no budget")
            if not is_cbo(campaign) and body.get("budget_in_micro_currency") is None:
                problems.append("budget_in_micro_currency is required outside CBO campaigns")
        if body.get("budget_type") == "LIFETIME" and not body.get("end_time"):
            problems.append("a LIFETIME budget needs an end_time")
    if etype == "campaign" and body.get("objective_type") not in (None, "", *OBJECTIVE_TYPES):
        problems.append(objective_problem(body["objective_type"]))
    if etype == "campaign" and body.get("daily_spend_cap") is not None and \
            body.get("lifetime_spend_cap") is not None:
        problems.append("daily_spend_cap and lifetime_spend_cap cannot both be set")
    if etype == "campaign":
        problems += cbo_create_problems(body)
    if etype == "keyword":
        if body.get("bid") is not None:
            problems.append(KEYWORD_BIDS_IGNORED)
        if body.get("match_type") not in MATCH_TYPES:
            problems.append(f"match_type must be one of {', '.join(MATCH_TYPES)}")
        if len(str(body.get("value") or "")) > 120:
            problems.append("keyword text is longer than 120 characters")
        if ctx.existing.get(int(r["row"])):
            problems.append(f"this keyword already exists under {parent} (id {', '.join(ctx.existing[int(r['row'])])})")
    for key, value in body.items():
        if key.endswith(("_in_micro_currency", "_spend_cap")) or key == "bid":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                problems.append(f"{key} must be a whole number of micro-currency, got {value!r}")
    return problems


def duplicate_creates(changes: pd.DataFrame) -> dict[int, str]:
    """Creates that share a natural key under one parent with an earlier create of the plan:
    ``{row: reason}`` (read-back could not tell such creates apart).

    >>> frame = pd.DataFrame({"row": [0, 1], "action": ["create"] * 2, "entity_type": ["campaign"] * 2,
    ...                       "ad_account_id": ["9", "9"], "parent_id": [None, None], "include": [True, True],
    ...                       "after": [{"name": "A"}, {"name": "A"}]})
    >>> duplicate_creates(frame)
    {1: 'row 0 creates the same campaign (name or text and match type) under 9'}
    """
    seen: dict[tuple, int] = {}
    found: dict[int, str] = {}
    creates = changes[(changes["action"] == "create") & changes["include"].fillna(False)]
    for r in creates.to_dict("records"):
        body = r["after"] if isinstance(r["after"], dict) else {}
        parent = parent_of(r["entity_type"], r["ad_account_id"], body, r.get("parent_id"))
        key = (r["entity_type"], parent, natural_key(r["entity_type"], body))
        if key in seen:
            found[int(r["row"])] = (f"row {seen[key]} creates the same {r['entity_type']} (name or text and match "
                                    f"type) under {parent}")
        else:
            seen[key] = int(r["row"])
    return found
