"""Plan rows → request items (*operations*) → chunks.

All of an entity's field changes go in one update item (an entity is updated once, all or
nothing). A keyword match-type change is two items: create the keyword with the new type,
and archive the old one (``part`` says which; the runner sends the archive only once read-back
shows the new keyword, so a failure never leaves the ad group without it). Creates carry their
whole body. A product group update keeps its ad group in ``parent_id`` (the request body names it).

Chunks hold at most ``chunk_size`` items of one ad account and one *stage*: stage 0 is
everything, except ad-group edits under a campaign whose CBO flag the same plan switches —
those wait for stage 1, because the switch rewrites those ad groups' budgets.

>>> import pandas as pd
>>> rows = pd.DataFrame([
...     {"row": 0, "action": "update", "entity_type": "ad_group", "ad_account_id": "9", "id": "1",
...      "parent_id": "5", "name": "A", "field": "bid_in_micro_currency", "after": 2_000_000},
...     {"row": 1, "action": "update", "entity_type": "ad_group", "ad_account_id": "9", "id": "1",
...      "parent_id": "5", "name": "A", "field": "status", "after": "PAUSED"}])
>>> [(op.action, op.body, op.rows) for op in build_ops(rows)]
[('update', {'id': '1', 'bid_in_micro_currency': 2000000, 'status': 'PAUSED'}, [0, 1])]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

BULK_LISTS = {"campaign": "campaigns", "ad_group": "ad_groups", "ad": "ads", "keyword": "keywords",
              "product_group": "product_groups"}
#: Items a request: bulk 1000 is pintools' rule (Pinterest's spec sets no limit on a bulk list; a bulk
#: request refused whole with a 400 is sent again in halves, see Runner.split); patch 30 is the spec's.
DEFAULT_CHUNK = {"bulk": 1000, "patch": 30}
MATCH_TYPE_PARTS = frozenset({"create", "archive"})


@dataclass
class Op:
    """One item of a request: an update or create of one entity, carrying its plan rows.

    ``part`` says what an item does for a match-type change (``create`` the new keyword or
    ``archive`` the old one); it is empty for every other item."""

    entity_type: str
    action: str  # update | create
    account: str
    body: dict
    rows: list[int]
    key: str  # entity id (update) or local reference (create)
    stage: int = 0
    part: str = ""
    parent_id: str | None = field(default=None, compare=False)


def build_ops(rows: pd.DataFrame, parts: Mapping[int, Iterable[str]] | None = None) -> list[Op]:
    """Group plan rows into request items. ``parts`` limits a match-type row to some of its two
    items (``{"create"}`` when the old keyword is already archived)."""
    parts = parts or {}
    records = rows.to_dict("records")
    switching = {r["id"] for r in records if r["field"] == "is_campaign_budget_optimization"}
    ops: dict[tuple, Op] = {}
    extra: list[Op] = []
    for r in records:
        etype, account, row = r["entity_type"], r["ad_account_id"], int(r["row"])
        if r["action"] == "create":
            body = dict(r["after"] or {})
            if etype == "campaign":
                body.setdefault("ad_account_id", account)
            if etype == "ad_group" and r.get("parent_id"):
                body.setdefault("campaign_id", r["parent_id"])
            extra.append(Op(etype, "create", account, body, [row], r["id"], parent_id=_text(r.get("parent_id"))))
            continue
        if etype == "keyword" and r["field"] == "match_type":
            parent = _text(r.get("parent_id"))
            if not parent:
                raise ValueError(f"row {row}: changing a keyword's match type needs its parent_id")
            wanted = set(parts.get(row, MATCH_TYPE_PARTS))
            if "create" in wanted:
                extra.append(Op(etype, "create", account, {"parent_id": parent, "value": r["name"],
                                                           "match_type": r["after"]}, [row],
                                f"{r['id']}:{r['after']}", part="create", parent_id=parent))
            if "archive" in wanted:
                extra.append(Op(etype, "update", account, {"id": r["id"], "archived": True}, [row], r["id"],
                                part="archive", parent_id=parent))
            continue
        key = (etype, account, r["id"])
        if etype == "product_group" and not _text(r.get("parent_id")):
            raise ValueError(f"row {row}: a product group edit needs its ad group (parent_id): "
                             f"Pinterest's update body names it")
        if key not in ops:
            body = {"id": r["id"]}
            if etype == "campaign":
                body["ad_account_id"] = account
            stage = 1 if etype == "ad_group" and _text(r.get("parent_id")) in switching else 0
            ops[key] = Op(etype, "update", account, body, [], r["id"], stage=stage,
                          parent_id=_text(r.get("parent_id")))
        ops[key].body[r["field"]] = r["after"]
        ops[key].rows.append(row)
    return list(ops.values()) + extra


def _text(value) -> str | None:
    return None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)


def chunks(ops: list[Op], size: int) -> list[list[Op]]:
    """Stage by stage, account by account, at most ``size`` items each.

    >>> ops = [Op("ad", "update", a, {}, [i], str(i)) for i, a in enumerate("xxy")]
    >>> [[op.key for op in c] for c in chunks(ops, 1000)]
    [['0', '1'], ['2']]
    """
    groups: dict[tuple[int, str], list[Op]] = {}
    for op in sorted(ops, key=lambda o: o.stage):
        groups.setdefault((op.stage, op.account), []).append(op)
    return [part[i:i + size] for part in groups.values() for i in range(0, len(part), size)]
