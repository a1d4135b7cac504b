"""Plan builders: turn entity frames (from ``pt.read_*``) into edit plans (creates: :mod:`pintools.plans.creates`).

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
from .fields import KEYWORD_BIDS_IGNORED, TARGETING_KEYS
from .model import EditPlan, change_record
from .money import scale_micro, to_micro

Rule = Callable[[pd.Series], Any]


def entity_type_of(frame: pd.DataFrame) -> str:
    """Which entity frame this is, from its columns."""
    cols = set(frame.columns)
    if "match_type" in cols and "value" in cols:
        return "keyword"
    if "catalog_product_group_id" in cols:
        return "product_group"
    if "creative_type" in cols:
        return "ad"
    if "budget_type" in cols or "bid_in_micro_currency" in cols:
        return "ad_group"
    if "objective_type" in cols:
        return "campaign"
    raise ValueError("cannot tell which entity this frame holds; pass a frame from pt.read_campaigns, "
                     "read_ad_groups, read_ads, read_keywords or read_product_groups")


def _change(row: Mapping[str, Any], entity_type: str, field: str, before: Any, after: Any) -> dict:
    return change_record(entity_type, row, field, before, after)


def _plan(changes: list[dict], source: str) -> EditPlan:
    kept = [c for c in changes if c["before"] != c["after"] or c.get("note")]
    return EditPlan.from_changes(kept, source=source)


def _skipped(row: Mapping[str, Any], entity_type: str, field: str, current: Any, why: str, builder: str) -> dict:
    """A row the builder leaves out, kept in the plan so the review says so (never sent)."""
    return {**_change(row, entity_type, field, current, None), "include": False, "note": f"left out by {builder}: {why}"}


UNITS = ("micro", "currency")


def _money_input(value: Any, unit: str, currency: Any, what: str) -> Any:
    """A given amount as integer micro-currency: ``unit="micro"`` takes whole micros only (1.5 is
    refused with the spelling that works), ``unit="currency"`` takes currency units exactly."""
    value = plain(value)
    if value is None:
        return None
    if unit == "currency":
        return to_micro(value, what)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        cur = currency if isinstance(currency, str) else "in the account's currency"
        try:
            as_micro = f"{to_micro(value, what):_}"
        except ValueError:
            as_micro = "a whole number"
        raise ValueError(f"{what}={value!r} is not a whole number of micro-currency: pass {what}={as_micro} (micro), "
                         f"or {what}={value!r}, unit='currency' ({value} {cur} = {as_micro} micro)")
    return value


def _new_money(row: pd.Series, current: Any, value: Any, factor: Any, rule: Rule | None, what: str,
               unit: str) -> Any:
    given = [x is not None for x in (value, factor, rule)]
    if sum(given) != 1:
        raise ValueError(f"give exactly one of {what}=, factor= or rule=")
    if unit not in UNITS:
        raise ValueError(f"unit must be 'micro' or 'currency', got {unit!r}")
    if rule is not None:
        return _money_input(rule(row), unit, row.get("currency"), what)
    if factor is not None:
        f = factor.get(row["id"]) if isinstance(factor, (pd.Series, Mapping)) else factor
        return None if current is None or f is None else scale_micro(int(current), f)
    v = value.get(row["id"]) if isinstance(value, (pd.Series, Mapping)) else value
    return _money_input(v, unit, row.get("currency"), what)


def set_bids(frame: pd.DataFrame, *, bid: Any = None, factor: Any = None, rule: Rule | None = None,
             unit: str = "micro") -> EditPlan:
    """New bids for ad groups or product groups (:func:`pintools.read_product_groups`): a fixed
    ``bid`` (or a Series/dict by id), a ``factor`` (1.1 = +10 %; or per id), or a ``rule(row) -> amount``.
    Amounts are integer micro-currency, or currency units with ``unit="currency"``
    (``bid=1.5, unit="currency"`` = 1_500_000 micro). Ad groups with
    no bid to scale (automatic bidding) stay in the plan, left out, saying why, as do product
    groups bidding with their ad group (no bid of their own). Keyword bids are refused: Pinterest's
    current API ignores them.

    >>> import pandas as pd
    >>> g = pd.DataFrame({"id": ["1"], "ad_account_id": ["9"], "name": ["A"], "currency": ["USD"],
    ...                   "bid_in_micro_currency": [1_000_000], "budget_type": ["DAILY"]})
    >>> set_bids(g, bid=1.25, unit="currency").changes["after"].tolist()
    [1250000]
    """
    etype = entity_type_of(frame)
    if etype == "keyword":
        raise ValueError(KEYWORD_BIDS_IGNORED)
    if etype not in ("ad_group", "product_group"):
        raise ValueError(f"bids are set on ad groups and product groups, not {etype}s")
    changes = []
    for _, row in frame.iterrows():
        current = plain(row.get("bid_in_micro_currency"))
        after = _new_money(row, current, bid, factor, rule, "bid", unit)
        if after is None:
            strategy = plain(row.get("bid_strategy_type")) or "automatic bidding"
            why = ("no new bid given" if current is not None
                   else "no bid to scale (it bids with its ad group: give bid= to set one)" if etype == "product_group"
                   else f"no bid to scale ({strategy}: Pinterest sets this ad group's bids)")
            changes.append(_skipped(row, etype, "bid_in_micro_currency", current, why, "set_bids"))
            continue
        changes.append(_change(row, etype, "bid_in_micro_currency", current, after))
    return _plan(changes, f"set_bids({etype})")


def set_budgets(frame: pd.DataFrame, *, budget: Any = None, factor: Any = None, rule: Rule | None = None,
                unit: str = "micro") -> EditPlan:
    """New budgets: ad groups' ``budget_in_micro_currency``, or campaigns' daily (or, when that
    is empty and a lifetime cap is set, lifetime) spend cap. Amounts as in :func:`set_bids`; rows
    with no budget to scale (an ad group in a CBO campaign) stay in the plan, left out, saying why."""
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
        after = _new_money(row, current, budget, factor, rule, "budget", unit)
        if after is None:
            if current is not None:
                why = "no new budget given"
            elif etype == "ad_group" and plain(row.get("budget_type")) == "CBO_ADGROUP":
                why = "no budget to scale (its campaign uses CBO: set the campaign's budget)"
            else:
                why = "no budget to scale"
            changes.append(_skipped(row, etype, field, current, why, "set_budgets"))
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
