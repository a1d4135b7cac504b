"""Plan builders: turn entity frames (from ``pt.read_*``) into edit plans.

Every builder takes the frame of entities to change and returns an :class:`EditPlan`; rows
whose value would not change are left out. Money is computed exactly in integer micros.

>>> import pandas as pd
>>> groups = pd.DataFrame({"id": ["1", "2"], "ad_account_id": ["9", "9"], "name": ["A", "B"], "currency": ["USD"] * 2,
...                        "bid_in_micro_currency": [1_000_000, 2_000_000], "campaign_id": ["5", "5"],
...                        "budget_type": ["DAILY"] * 2})
>>> set_bids(groups, factor=1.1).changes["after"].tolist()
[1100000, 2200000]
>>> reallocation(pd.Series({"a": 3.0, "b": 1.0}), total_micro=10_000_001).tolist()
[7500001, 2500000]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from .changes import plain
from .fields import TARGETING_KEYS
from .model import EditPlan, change_record
from .money import scale_micro

Rule = Callable[[pd.Series], Any]


def entity_type_of(frame: pd.DataFrame) -> str:
    """Which entity frame this is, from its columns."""
    cols = set(frame.columns)
    if "match_type" in cols and "value" in cols:
        return "keyword"
    if "creative_type" in cols:
        return "ad"
    if "budget_type" in cols or "bid_in_micro_currency" in cols:
        return "ad_group"
    if "objective_type" in cols:
        return "campaign"
    raise ValueError("cannot tell which entity this frame holds; pass a frame from pt.read_campaigns, "
                     "read_ad_groups, read_ads or read_keywords")


def _change(row: Mapping[str, Any], entity_type: str, field: str, before: Any, after: Any) -> dict:
    return change_record(entity_type, row, field, before, after)


def _plan(changes: list[dict], source: str) -> EditPlan:
    kept = [c for c in changes if c["before"] != c["after"]]
    return EditPlan.from_changes(kept, source=source)


def _new_money(row: pd.Series, current: Any, value: Any, factor: Any, rule: Rule | None, what: str) -> Any:
    given = [x is not None for x in (value, factor, rule)]
    if sum(given) != 1:
        raise ValueError(f"give exactly one of {what}=, factor= or rule=")
    if rule is not None:
        return plain(rule(row))
    if factor is not None:
        f = factor.get(row["id"]) if isinstance(factor, (pd.Series, Mapping)) else factor
        return None if current is None or f is None else scale_micro(int(current), f)
    v = value.get(row["id"]) if isinstance(value, (pd.Series, Mapping)) else value
    return plain(v)


def set_bids(frame: pd.DataFrame, *, bid: Any = None, factor: Any = None, rule: Rule | None = None) -> EditPlan:
    """New bids for ad groups or keywords: a fixed ``bid`` (micro; or a Series/dict by id), a
    ``factor`` (1.1 = +10 %; or per id), or a ``rule(row) -> micro``. Rows with no current bid
    are skipped by ``factor``."""
    etype = entity_type_of(frame)
    if etype not in ("ad_group", "keyword"):
        raise ValueError(f"bids are set on ad groups or keywords, not {etype}s")
    column, field = ("bid_in_micro_currency", "bid_in_micro_currency") if etype == "ad_group" else \
        ("bid_in_micro_currency", "bid")
    changes = []
    for _, row in frame.iterrows():
        current = plain(row.get(column))
        after = _new_money(row, current, bid, factor, rule, "bid")
        if after is None and factor is not None:
            continue
        changes.append(_change(row, etype, field, current, after))
    return _plan(changes, f"set_bids({etype})")


def set_budgets(frame: pd.DataFrame, *, budget: Any = None, factor: Any = None, rule: Rule | None = None) -> EditPlan:
    """New budgets: ad groups' ``budget_in_micro_currency``, or campaigns' daily (or, when that
    is empty and a lifetime cap is set, lifetime) spend cap."""
    etype = entity_type_of(frame)
    changes = []
    for _, row in frame.iterrows():
        if etype == "ad_group":
            field, current = "budget_in_micro_currency", plain(row.get("budget_in_micro_currency"))
        elif etype == "campaign":
            lifetime = plain(row.get("lifetime_spend_cap_micro"))
            daily = plain(row.get("daily_spend_cap_micro"))
            field, current = ("lifetime_spend_cap", lifetime) if daily is None and lifetime is not None else \
                ("daily_spend_cap", daily)
        else:
            raise ValueError(f"budgets are set on campaigns or ad groups, not {etype}s")
        after = _new_money(row, current, budget, factor, rule, "budget")
        if after is None and factor is not None:
            continue
        changes.append(_change(row, etype, field, current, after))
    return _plan(changes, f"set_budgets({etype})")


def reallocation(weights: pd.Series, *, total_micro: int, floor_micro: int = 0,
                 cap_micro: int | None = None) -> pd.Series:
    """Split ``total_micro`` in proportion to ``weights`` with a floor and cap per item, in whole
    micros that add up exactly to the total (largest remainders get the odd micros)."""
    weights = weights.fillna(0).clip(lower=0).astype(float)
    n = len(weights)
    if n == 0:
        return pd.Series(dtype="Int64")
    if floor_micro * n > total_micro:
        raise ValueError(f"the floors ({n} × {floor_micro}) exceed the total {total_micro}")
    if cap_micro is not None and cap_micro * n < total_micro:
        raise ValueError(f"the caps ({n} × {cap_micro}) cannot absorb the total {total_micro}")
    alloc = pd.Series(float(floor_micro), index=weights.index)
    free = weights.index.tolist()
    remaining = total_micro - floor_micro * n
    while remaining > 1e-6 and free:
        w = weights[free]
        share = w / w.sum() if w.sum() > 0 else pd.Series(1.0 / len(free), index=free)
        proposal = alloc[free] + share * remaining
        if cap_micro is not None and (proposal > cap_micro).any():
            capped = proposal[proposal > cap_micro].index
            remaining -= float((cap_micro - alloc[capped]).sum())
            alloc[capped] = float(cap_micro)
            free = [i for i in free if i not in set(capped)]
            continue
        alloc[free] = proposal
        remaining = 0
    whole = alloc.apply(int)
    leftover = total_micro - int(whole.sum())
    order = (alloc - whole).sort_values(ascending=False, kind="stable").index
    for i in list(order)[:leftover]:
        whole[i] += 1
    return whole.astype("Int64")


def reallocate_budget(frame: pd.DataFrame, by: pd.Series | Mapping[str, float], *, total_micro: int | None = None,
                      floor_micro: int = 0, cap_micro: int | None = None) -> EditPlan:
    """Redistribute budgets in proportion to a metric (e.g. ROAS by ad group id), with floors and
    caps; ``total_micro`` defaults to today's total, so the sum is unchanged to the micro."""
    etype = entity_type_of(frame)
    column = "budget_in_micro_currency" if etype == "ad_group" else "daily_spend_cap_micro"
    ids = frame["id"].astype(str)
    current = pd.Series(frame[column].to_numpy(), index=ids)
    if total_micro is None:
        total_micro = int(current.dropna().sum())
    weights = pd.Series({i: (by.get(i) if hasattr(by, "get") else None) for i in ids}, dtype="float64")
    target = reallocation(weights, total_micro=total_micro, floor_micro=floor_micro, cap_micro=cap_micro)
    return set_budgets(frame, budget=target)


def _edit_targeting(frame: pd.DataFrame, key: str, values: Sequence[Any], add: bool) -> EditPlan:
    if entity_type_of(frame) != "ad_group":
        raise ValueError("targeting is edited on ad groups")
    if key not in TARGETING_KEYS:
        raise ValueError(f"targeting type must be one of {', '.join(TARGETING_KEYS)}, got {key!r}")
    values = [values] if isinstance(values, str) else list(values)
    changes = []
    for _, row in frame.iterrows():
        before = dict(row.get("targeting_spec") or {})
        current = list(before.get(key) or [])
        if add:
            new = current + [v for v in values if v not in current]
        else:
            new = [v for v in current if v not in values]
        after = {k: list(v) if isinstance(v, list) else v for k, v in before.items()}
        if new:
            after[key] = new
        else:
            after.pop(key, None)
        # Pinterest replaces the whole targeting_spec on update: the plan carries the full merged spec
        changes.append(_change(row, "ad_group", "targeting_spec", before, after))
    return _plan(changes, f"{'add' if add else 'remove'}_targeting({key})")


def add_targeting(ad_groups: pd.DataFrame, key: str, values: Sequence[Any]) -> EditPlan:
    """Add values to one targeting type of each ad group (``"GENDER", ["female"]``)."""
    return _edit_targeting(ad_groups, key, values, add=True)


def remove_targeting(ad_groups: pd.DataFrame, key: str, values: Sequence[Any]) -> EditPlan:
    """Remove values from one targeting type of each ad group."""
    return _edit_targeting(ad_groups, key, values, add=False)


def set_status(frame: pd.DataFrame, status: str) -> EditPlan:
    """ACTIVE / PAUSED / ARCHIVED for campaigns, ad groups or ads; for keywords ARCHIVED means
    ``archived = true`` and ACTIVE ``archived = false``."""
    etype = entity_type_of(frame)
    status = status.upper()
    changes = []
    for _, row in frame.iterrows():
        if etype == "keyword":
            if status not in ("ACTIVE", "ARCHIVED"):
                raise ValueError("keywords can only be archived or un-archived")
            changes.append(_change(row, etype, "archived", plain(row.get("archived")) or False, status == "ARCHIVED"))
        else:
            changes.append(_change(row, etype, "status", plain(row.get("status")), status))
    return _plan(changes, f"set_status({etype}, {status})")


def pause(frame: pd.DataFrame) -> EditPlan:
    """Pause every entity of the frame."""
    return set_status(frame, "PAUSED")


def activate(frame: pd.DataFrame) -> EditPlan:
    """Activate every entity of the frame."""
    return set_status(frame, "ACTIVE")


def archive(frame: pd.DataFrame) -> EditPlan:
    """Archive every entity of the frame (cannot be undone in Pinterest)."""
    return set_status(frame, "ARCHIVED")


def set_cbo(campaigns: pd.DataFrame, enabled: bool = True) -> EditPlan:
    """Turn campaign budget optimization on (or off) for campaigns. Turning it on clears the
    budgets of the campaigns' ad groups (Pinterest's rule): apply journals them first, so the
    plan's rollback gives every ad group its budget back. Turning it off needs
    ``default_ad_group_budget_in_micro_currency`` on the campaign (add it to the plan)."""
    if entity_type_of(campaigns) != "campaign":
        raise ValueError("campaign budget optimization is set on campaigns")
    changes = [_change(row, "campaign", "is_campaign_budget_optimization",
                       bool(plain(row.get("is_campaign_budget_optimization"))), bool(enabled))
               for _, row in campaigns.iterrows()]
    return _plan(changes, f"set_cbo({bool(enabled)})")


def set_match_types(keywords: pd.DataFrame, match_type: str) -> EditPlan:
    """Change keywords' match type (applied as: archive the keyword, create it with the new type)."""
    if entity_type_of(keywords) != "keyword":
        raise ValueError("match types are set on keywords")
    changes = [_change(row, "keyword", "match_type", plain(row.get("match_type")), match_type.upper())
               for _, row in keywords.iterrows()]
    return _plan(changes, f"set_match_types({match_type})")


_CREATE_FIELDS = {
    "campaign": ("name", "objective_type", "status", "daily_spend_cap", "lifetime_spend_cap", "start_time",
                 "end_time", "tracking_urls", "is_flexible_daily_budgets", "default_ad_group_budget_in_micro_currency"),
    "ad_group": ("name", "campaign_id", "billable_event", "status", "budget_in_micro_currency",
                 "bid_in_micro_currency", "budget_type", "start_time", "end_time", "targeting_spec",
                 "optimization_goal_metadata", "pacing_delivery_type", "placement_group", "auto_targeting_enabled",
                 "bid_strategy_type", "tracking_urls"),
    "keyword": ("value", "match_type", "bid"),
}
_FRAME_ALIASES = {"daily_spend_cap_micro": "daily_spend_cap", "lifetime_spend_cap_micro": "lifetime_spend_cap",
                  "bid_in_micro_currency": "bid_in_micro_currency"}


def _creates(frame: pd.DataFrame, entity_type: str, ad_account_id: str, parent: str | None) -> EditPlan:
    allowed = _CREATE_FIELDS[entity_type]
    changes = []
    for i, row in enumerate(frame.to_dict("records")):
        body = {}
        for col, value in row.items():
            field = _FRAME_ALIASES.get(col, col)
            if entity_type == "keyword" and col == "bid_in_micro_currency":
                field = "bid"
            if field in allowed and plain(value) is not None:
                body[field] = plain(value)
        parent_id = plain(row.get(parent)) if parent else None
        changes.append({"action": "create", "entity_type": entity_type, "ad_account_id": ad_account_id,
                        "id": f"new-{i + 1}", "parent_id": parent_id,
                        "name": body.get("name") or body.get("value"), "before": None, "after": body,
                        "currency": plain(row.get("currency"))})
    return EditPlan.from_changes(changes, source=f"create {entity_type}s")


def to_campaigns(frame: pd.DataFrame, ad_account_id: str) -> EditPlan:
    """A plan creating one campaign per row (``name``, ``objective_type``, caps…)."""
    return _creates(frame, "campaign", ad_account_id, None)


def to_ad_groups(frame: pd.DataFrame, ad_account_id: str) -> EditPlan:
    """A plan creating one ad group per row (``campaign_id``, ``name``, ``billable_event``, …)."""
    return _creates(frame, "ad_group", ad_account_id, "campaign_id")


def to_keywords(frame: pd.DataFrame, ad_account_id: str) -> EditPlan:
    """A plan creating one keyword per row (``parent_id`` — usually an ad group —, ``value``,
    ``match_type``, optional ``bid``)."""
    if "parent_id" not in frame.columns:
        raise ValueError("keyword rows need a parent_id (the ad group, campaign or ad account)")
    return _creates(frame, "keyword", ad_account_id, "parent_id")
