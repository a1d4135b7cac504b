"""``product_groups/analytics`` rows: each ad group's delivery split exactly across its product
group promotions.

The spec says a row's ``PRODUCT_GROUP_ID`` is "the ID of the product group" and the parameter
``product_group_ids`` "Product group Ids", without saying whether that is the promotion's ``id``
or its ``catalog_product_group_id``. The emulator serves both (:data:`ID_KINDS`, chosen by
:meth:`~pintools.emulator.models.product_groups.ProductGroups.configure`): ``"promotion"`` (default) keys
request and rows by promotion id, ``"catalog"`` by catalog product group id (a catalog group
promoted in several ad groups answers one row per period, their sum).

Emulator's rules (the spec is silent): within one ad group, every slot (day or hour) of its
delivery, hour by hour, is split over the promotions that existed that day (created on or before it) and are
``included``, by stable per-promotion weights with per-slot noise; a slot with no such promotion
goes to the ad group's first promotion. So the additive columns of an ad group's promotions sum
exactly to the ad group's row, and HOUR rows sum to DAY rows; status changes do not move past
delivery. Unknown ids and ids of
another account produce no rows.

Example:
    >>> ID_KINDS
    ('promotion', 'catalog')
"""

from __future__ import annotations

import dataclasses

import numpy as np

from pintools.emulator.models.analytics import query_fields, slot_cells
from pintools.emulator.models.analytics_entities import ad_group_attrs
from pintools.emulator.models.analytics_query import Query
from pintools.emulator.models.analytics_rows import build_rows
from pintools.emulator.models.hashing import key64, uniform, unit
from pintools.emulator.models.metrics import split_fields
from pintools.emulator.models.periods import periods
from pintools.emulator.models.product_groups import ANALYTICS_ID_KINDS, TABLE
from pintools.emulator.models.splits import int_weights

ID_KINDS = ANALYTICS_ID_KINDS

def promotion_weights(seed: int, promotions: list[dict], cells: np.ndarray, hourly: bool) -> np.ndarray:
    """Int weights ``(slots, promotions)``: 0 before a promotion's creation day or when excluded.

    Example:
        >>> w = promotion_weights(1, [{"id": "1", "included": True, "_created_day": 10},
        ...                           {"id": "2", "included": False, "_created_day": 0}], np.array([9, 10]), False)
        >>> (w[:, 0] > 0).tolist(), w[:, 1].tolist()
        ([False, True], [0, 0])
    """
    base = np.array([(0.3 + 1.4 * unit(seed, p["id"], "pg-share")) if p.get("included") is not False else 0.0
                     for p in promotions])
    days = cells // 24 if hourly else cells
    born = np.array([p.get("_created_day", 0) for p in promotions])
    alive = days[:, None] >= born[None, :]
    keys = np.array([key64(seed, p["id"]) for p in promotions], dtype=np.uint64)[None, :]
    jitter = 0.85 + 0.3 * uniform(keys, cells[:, None], key64("pg-slot"))
    return int_weights(base[None, :] * jitter * alive)


def product_group_rows(analytics, account_id: str, ids: list[str], query: Query, now: int,
                       id_kind: str = "promotion") -> list[dict]:
    """The rows of a ``product_groups/analytics`` call (see the module doc).

    Example:
        >>> product_group_rows(type("A", (), {"store": type("S", (), {"tables": {TABLE: {}}})()})(), "1", ["9"],
        ...                    None, 0)
        []
    """
    return [r for rows in product_group_groups(analytics, account_id, ids, query, now, id_kind).values() for r in rows]


def product_group_groups(analytics, account_id: str, ids: list[str], query: Query, now: int,
                         id_kind: str = "promotion", style: str = "sync") -> dict[str, list[dict]]:
    """``{product group id: [rows]}`` in ``ids`` order (ids without rows left out), rows built in a
    :func:`~pintools.emulator.models.analytics_rows.build_rows` style (``"json"``/``"csv"`` for report files).

    Example:
        >>> product_group_groups(type("A", (), {"store": type("S", (), {"tables": {TABLE: {}}})()})(), "1", ["9"],
        ...                      None, 0, style="json")
        {}
    """
    store = analytics.store
    table = store.tables[TABLE]
    key = "id" if id_kind == "promotion" else "catalog_product_group_id"
    wanted = list(dict.fromkeys(ids))
    chosen = [p for p in table.values() if p["_ad_account_id"] == account_id and p[key] in set(wanted)]
    if not chosen:
        return {}
    group_ids = list(dict.fromkeys(p["ad_group_id"] for p in chosen))
    fields = query_fields(query.columns)
    hourly = dataclasses.replace(query, granularity="HOUR")  # split per hour, so HOUR rows sum to DAY rows
    series = analytics.entity_series([store.children("ads_of_ad_group", g) for g in group_ids], hourly, fields, now)
    cells = slot_cells(hourly)
    parts: dict[str, dict[str, np.ndarray]] = {}  # promotion id → {field: (slots,)}
    for row, group_id in enumerate(group_ids):
        members = [table[i] for i in store.children("product_groups_of_ad_group", group_id)]
        weights = promotion_weights(analytics.seed, members, cells, True)
        split = split_fields({f: v[row] for f, v in series.items()}, weights)
        for n, member in enumerate(members):
            parts[member["id"]] = {f: v[:, n] if query.granularity == "HOUR" else v[:, n].reshape(-1, 24).sum(axis=1)
                                   for f, v in split.items()}
    per = periods(query.start, query.end, query.granularity)
    heads, attrs, stacked = [], [], {f: [] for f in fields}
    for value in wanted:
        members = [p for p in chosen if p[key] == value]
        if not members:
            continue
        heads.append({"PRODUCT_GROUP_ID": value})
        attrs.append({**ad_group_attrs(store, store.ad_groups[members[0]["ad_group_id"]], now),
                      "PRODUCT_GROUP_ID": value})
        for f in fields:
            stacked[f].append(sum(parts[p["id"]][f] for p in members))
    env = analytics.env({f: np.stack(v) for f, v in stacked.items()}, per)
    groups = build_rows(heads, attrs, per, env, query.columns, style)
    return {head["PRODUCT_GROUP_ID"]: rows for head, rows in zip(heads, groups, strict=True) if rows}
