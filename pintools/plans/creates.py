"""Plans that create: campaigns, ad groups and keywords, one per row of a frame.

Columns are the API's create fields (``name``, ``objective_type``, ``daily_spend_cap``, …; the
entity frames' ``_micro`` names work too). A column whose name is close to a field's but not it
(``matchtype``, ``campaign id``) is refused naming the field; other columns are ignored, so a
research frame passes as it is.

>>> import pandas as pd
>>> research = pd.DataFrame({"keyword": ["Velvet Sofa ", "boucle chair"], "keyword_query_volume": [1, 2]})
>>> plan = to_keywords(research, "9", parent_id="5", match_type="phrase")
>>> plan.changes["after"].tolist()
[{'value': 'Velvet Sofa', 'match_type': 'PHRASE'}, {'value': 'boucle chair', 'match_type': 'PHRASE'}]
"""

from __future__ import annotations

import difflib
from typing import Any

import pandas as pd

from .changes import plain
from .checks import CBO_OBJECTIVES
from .fields import KEYWORD_BIDS_IGNORED, MATCH_TYPES
from .model import EditPlan

CREATE_FIELDS = {
    "campaign": ("name", "objective_type", "status", "daily_spend_cap", "lifetime_spend_cap", "start_time",
                 "end_time", "tracking_urls", "is_flexible_daily_budgets", "default_ad_group_budget_in_micro_currency",
                 "is_campaign_budget_optimization"),
    "ad_group": ("name", "campaign_id", "billable_event", "status", "budget_in_micro_currency",
                 "bid_in_micro_currency", "budget_type", "start_time", "end_time", "targeting_spec",
                 "optimization_goal_metadata", "pacing_delivery_type", "placement_group", "auto_targeting_enabled",
                 "bid_strategy_type", "tracking_urls"),
    "keyword": ("value", "match_type"),
}
_FRAME_ALIASES = {"daily_spend_cap_micro": "daily_spend_cap", "lifetime_spend_cap_micro": "lifetime_spend_cap"}
_KEYWORD_TEXT = ("value", "keyword", "keyword_text")
_KEYWORD_PARENT = ("parent_id", "ad_group_id")
_KEYWORD_BID = ("bid", "bid_in_micro_currency", "keyword_bid")


def _refuse_misnamed(frame: pd.DataFrame, known: tuple[str, ...], entity_type: str) -> None:
    for col in frame.columns:
        name = str(col)
        if name in known:
            continue
        close = difflib.get_close_matches(name.lower().replace(" ", "_").replace("-", "_"), known, n=1, cutoff=0.84)
        if close:
            raise ValueError(f"column {name!r} is not a {entity_type} field: did you mean {close[0]!r}? "
                             f"(rename it; fields: {', '.join(known)})")


def _cbo_flag(body: dict) -> Any:
    """The create's CBO flag: the frame's when given, else CBO exactly when the objective allows it
    and a campaign spend cap is set. Pinterest 5.23 gives the flag no default, so it is always sent.

    >>> _cbo_flag({"objective_type": "AWARENESS", "daily_spend_cap": 5}), _cbo_flag({"objective_type": "AWARENESS"})
    (True, False)
    """
    given = body.get("is_campaign_budget_optimization")
    if given is not None:
        return given
    capped = body.get("daily_spend_cap") is not None or body.get("lifetime_spend_cap") is not None
    return body.get("objective_type") in CBO_OBJECTIVES and capped


def _creates(frame: pd.DataFrame, entity_type: str, ad_account_id: str, parent: str | None) -> EditPlan:
    allowed = CREATE_FIELDS[entity_type]
    known = allowed + tuple(_FRAME_ALIASES) + ("currency", "ad_account_id")
    _refuse_misnamed(frame, known, entity_type)
    changes = []
    for i, row in enumerate(frame.to_dict("records")):
        body = {}
        for col, value in row.items():
            field = _FRAME_ALIASES.get(col, col)
            if field in allowed and plain(value) is not None:
                body[field] = plain(value)
        if entity_type == "campaign":
            body["is_campaign_budget_optimization"] = _cbo_flag(body)
        changes.append({"action": "create", "entity_type": entity_type, "ad_account_id": ad_account_id,
                        "id": f"new-{i + 1}", "parent_id": plain(row.get(parent)) if parent else None,
                        "name": body.get("name"), "before": None, "after": body, "currency": plain(row.get("currency"))})
    return EditPlan.from_changes(changes, source=f"create {entity_type}s")


def to_campaigns(frame: pd.DataFrame, ad_account_id: str) -> EditPlan:
    """A plan creating one campaign per row (``name``, ``objective_type``, caps…).

    Every create carries ``is_campaign_budget_optimization`` (a create-time field in Pinterest API
    5.23, with no default): a column of that name decides; without it a campaign uses CBO when its
    objective allows it and a ``daily_spend_cap``/``lifetime_spend_cap`` is set.

    >>> to_campaigns(pd.DataFrame({"name": ["Spring"], "objective_type": ["AWARENESS"]}), "9").changes["id"].tolist()
    ['new-1']
    """
    return _creates(frame, "campaign", ad_account_id, None)


def to_ad_groups(frame: pd.DataFrame, ad_account_id: str) -> EditPlan:
    """A plan creating one ad group per row (``campaign_id``, ``name``, ``billable_event``, …).

    >>> to_ad_groups(pd.DataFrame({"campaign_id": ["5"], "name": ["A"]}), "9").changes["parent_id"].tolist()
    ['5']
    """
    return _creates(frame, "ad_group", ad_account_id, "campaign_id")


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def to_keywords(frame: pd.DataFrame, ad_account_id: str, *, parent_id: str | None = None,
                match_type: str | None = None) -> EditPlan:
    """A plan creating one keyword per row: its text from ``value`` or ``keyword`` (a
    :func:`pintools.read_keyword_metrics` frame works as it is), its ad group from ``parent_id`` or
    ``ad_group_id`` (or ``parent_id=`` for every row), its match type from ``match_type`` (or
    ``match_type=``), in any case. Keyword bids are refused: Pinterest's current API ignores them.
    Validation blocks a keyword that already exists under its ad group, naming its id."""
    text = _column(frame, _KEYWORD_TEXT)
    if text is None:
        raise ValueError(f"keyword rows need their text in a column named {' or '.join(_KEYWORD_TEXT[:2])}")
    bid = _column(frame, _KEYWORD_BID)
    if bid is not None and frame[bid].notna().any():
        raise ValueError(f"column {bid!r}: {KEYWORD_BIDS_IGNORED}")
    parent = _column(frame, _KEYWORD_PARENT)
    if parent is None and parent_id is None:
        raise ValueError("keyword rows need their ad group: a parent_id or ad_group_id column, or parent_id=")
    if "match_type" not in frame.columns and match_type is None:
        raise ValueError(f"keyword rows need a match type: a match_type column or match_type= "
                         f"({', '.join(MATCH_TYPES)})")
    _refuse_misnamed(frame, (*_KEYWORD_TEXT, *_KEYWORD_PARENT, "match_type", "currency", "ad_account_id"), "keyword")
    changes = []
    for i, row in enumerate(frame.to_dict("records")):
        value = plain(row.get(text))
        kind = plain(row.get("match_type")) if "match_type" in frame.columns else match_type
        body: dict[str, Any] = {"value": value.strip() if isinstance(value, str) else value,
                                "match_type": kind.strip().upper() if isinstance(kind, str) else kind}
        changes.append({"action": "create", "entity_type": "keyword", "ad_account_id": ad_account_id,
                        "id": f"new-{i + 1}", "parent_id": plain(row.get(parent)) if parent else parent_id,
                        "name": body["value"], "before": None, "after": body, "currency": plain(row.get("currency"))})
    return EditPlan.from_changes(changes, source="create keywords")
