"""Analytics answers (no HTTP): sync rows per level, targeting breakdowns, and the building
blocks the async reports reuse.

Flow: entities (:mod:`analytics_entities`) → per-ad base metrics per day or hour
(:mod:`metrics`, cached) → summed per entity (exact integer sums) → optionally split across
targeting values or keywords (:mod:`splits`, exact) → summed per period (:mod:`periods`) →
columns (:mod:`columns`) → rows (:mod:`analytics_rows`).

Consequences clients can rely on: every additive column of an ad group equals the sum over its
ads, of a campaign the sum over its ad groups, of the account the sum over its campaigns; HOUR
rows sum to the DAY row; WEEK/MONTH/TOTAL rows equal the sum of their DAY rows; the targeting
values of one type sum to the entity's row; rows never depend on which other ids share a call.

Example:
    >>> from datetime import date
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator import demo
    >>> from pintools.emulator.models.analytics_query import Query
    >>> store = Store(seed=1); demo.build(store, seed=1)
    >>> account = next(iter(store.accounts))
    >>> q = Query(date(2024, 3, 1), date(2024, 3, 2), "DAY", ("SPEND_IN_MICRO_DOLLAR",), Settings())
    >>> rows = Analytics(1, store).sync(account, "ACCOUNT", None, q, now=1711929600)
    >>> [r["DATE"] for r in rows], sorted(rows[0])
    (['2024-03-01', '2024-03-02'], ['AD_ACCOUNT_ID', 'DATE', 'SPEND_IN_MICRO_DOLLAR'])
"""

from __future__ import annotations

import numpy as np

from pintools.emulator.models.analytics_entities import ID_COLUMNS, Entity, resolve
from pintools.emulator.models.analytics_query import Query
from pintools.emulator.models.analytics_rows import build_rows
from pintools.emulator.models.columns import Env, needs
from pintools.emulator.models.hashing import key64, uniform
from pintools.emulator.models.metrics import (
    INDICATOR_FIELDS,
    MetricsEngine,
    Settings,
    split_fields,
    with_split_parents,
)
from pintools.emulator.models.periods import Periods, periods
from pintools.emulator.models.restatement import Restatements
from pintools.emulator.models.splits import int_weights
from pintools.emulator.models.store import Store
from pintools.emulator.models.targeting_values import (
    KEYWORD_VALUE_SHAPES,
    breakdown,
    keyword_records,
    keyword_value,
    keyword_weight,
)

__all__ = ["Analytics", "Settings"]

#: ``keyword_targeting_value``: how KEYWORD targeting values are written (see
#: :data:`~pintools.emulator.models.targeting_values.KEYWORD_VALUE_SHAPES`; "text" is the spec's example).
#: ``sync_max_days``: the longest sync range in calendar days, both ends included. The op texts say
#: "max time range supported is 90 days" (90, the default); the ``end_date`` parameter says "Cannot
#: be more than 90 days past start_date", which also reads as 91. The spec does not settle it.
#: ``hour_conversions``: what HOUR rows hold for conversion columns, which 5.23.0 says get "no data"
#: without saying how: "omit" (default, the column is left out) or "zero" (reported as 0).
DEFAULT_BEHAVIOUR = {"keyword_targeting_value": "text", "sync_max_days": 90, "hour_conversions": "omit"}
SYNC_MAX_DAYS_CHOICES = (90, 91)
HOUR_CONVERSION_SHAPES = ("omit", "zero")


def query_fields(columns, extra=()) -> list[str]:
    """Base fields to compute for some columns, plus the delivery indicator fields and the split
    parents (so breakdowns can keep parts consistent)."""
    return with_split_parents(dict.fromkeys((*needs(columns), *needs(extra), *INDICATOR_FIELDS)))


def slot_cells(query: Query) -> np.ndarray:
    """One integer per slot (day ordinal, or ``day × 24 + hour``) for per-slot noise."""
    days = np.arange(query.start.toordinal(), query.end.toordinal() + 1)
    if query.granularity == "HOUR":
        return (days[:, None] * 24 + np.arange(24)[None, :]).reshape(-1)
    return days


def split_series(series: dict[str, np.ndarray], keys: list[int], weights: list[float],
                 cells: np.ndarray) -> dict[str, np.ndarray]:
    """Split one entity's per-slot series ``{field: (S,)}`` across values → ``{field: (V, S)}``.

    Each slot's weights are the base weights × per-(value, slot) noise; the parts sum exactly
    to the entity's values and stay consistent across fields (:func:`split_fields`).
    """
    keys_arr = np.array(keys, dtype=np.uint64)[None, :]
    jitter = 0.85 + 0.3 * uniform(keys_arr, cells[:, None], key64("breakdown-slot"))
    slot_weights = int_weights(np.array(weights)[None, :] * jitter)
    return {f: parts.T for f, parts in split_fields(series, slot_weights).items()}


class Analytics:
    """Analytics over one store; owns the metrics engine (and its cache) and the behaviour the
    control plane sets (:data:`DEFAULT_BEHAVIOUR`; a reset restores it)."""

    def __init__(self, seed: int, store: Store):
        self.seed = seed
        self.store = store
        self.engine = MetricsEngine(seed, store)
        self.behaviour = dict(DEFAULT_BEHAVIOUR)
        #: restated past days (the emulator's model of late conversions; see :mod:`restatement`)
        self.restatements = Restatements(lambda ad_id: (store.ads.get(ad_id) or {}).get("ad_account_id"))

    def configure(self, keyword_targeting_value: str | None = None, sync_max_days: int | None = None,
                  hour_conversions: str | None = None) -> dict:
        """Set how KEYWORD targeting values are written and how long a sync range may be (a field
        left out or None takes its default); the behaviour.

        Example:
            >>> Analytics(1, Store(seed=1)).configure(keyword_targeting_value="notation")
            {'keyword_targeting_value': 'notation', 'sync_max_days': 90, 'hour_conversions': 'omit'}
        """
        hourly = DEFAULT_BEHAVIOUR["hour_conversions"] if hour_conversions is None else hour_conversions
        if hourly not in HOUR_CONVERSION_SHAPES:
            raise ValueError(f"hour_conversions must be one of {', '.join(HOUR_CONVERSION_SHAPES)}")
        days = DEFAULT_BEHAVIOUR["sync_max_days"] if sync_max_days is None else sync_max_days
        if isinstance(days, bool) or days not in SYNC_MAX_DAYS_CHOICES:
            raise ValueError(f"sync_max_days must be one of {SYNC_MAX_DAYS_CHOICES}")
        shape = DEFAULT_BEHAVIOUR["keyword_targeting_value"] if keyword_targeting_value is None \
            else keyword_targeting_value
        if shape not in KEYWORD_VALUE_SHAPES:
            raise ValueError(f"keyword_targeting_value must be one of {', '.join(KEYWORD_VALUE_SHAPES)}")
        self.behaviour["keyword_targeting_value"] = shape
        self.behaviour["sync_max_days"] = days
        self.behaviour["hour_conversions"] = hourly
        return dict(self.behaviour)

    # ---- series --------------------------------------------------------------------------
    def ad_series(self, ad_ids: list[str], query: Query, fields: list[str], now: int) -> dict[str, np.ndarray]:
        """``{field: (A, slots)}`` of some ads (slots = days, or hours for HOUR)."""
        first, last = query.start.toordinal(), query.end.toordinal()
        if query.granularity == "HOUR":
            hourly = self.engine.hourly(ad_ids, first, last, fields, query.settings, now)
            flat = {f: v.reshape(len(ad_ids), v.shape[1] * 24) for f, v in hourly.items()}
            return self.restatements.apply(ad_ids, first, flat, slots_per_day=24)
        return self.restatements.apply(ad_ids, first, self.engine.daily(ad_ids, first, last, fields, query.settings, now))

    def entity_series(self, ad_lists: list[list[str]], query: Query, fields: list[str],
                      now: int) -> dict[str, np.ndarray]:
        """``{field: (E, slots)}``: each entity's sum over its ads (exact integer sums)."""
        ads = list(dict.fromkeys(a for ads in ad_lists for a in ads))
        index = {a: i for i, a in enumerate(ads)}
        filled = [row for row, ad_ids in enumerate(ad_lists) if ad_ids]
        order = np.array([index[a] for row in filled for a in ad_lists[row]], dtype=np.int64)
        starts = np.cumsum([0] + [len(ad_lists[row]) for row in filled[:-1]]).astype(np.int64)
        per_ad = self.ad_series(ads, query, fields, now)
        out = {}
        for f in fields:
            sums = np.zeros((len(ad_lists), per_ad[f].shape[1]), dtype=np.int64)
            if filled:
                sums[filled] = np.add.reduceat(per_ad[f][order], starts, axis=0)
            out[f] = sums
        return out

    @staticmethod
    def env(series: dict[str, np.ndarray], per: Periods) -> Env:
        """Per-period sums of per-slot series."""
        return Env({f: per.aggregate(v) for f, v in series.items()}, per.days)

    # ---- sync ------------------------------------------------------------------------------
    def sync(self, account_id: str, level: str, ids: list[str] | None, query: Query, now: int) -> list[dict]:
        """The rows of a sync analytics call (``level``: ACCOUNT, CAMPAIGN, AD_GROUP, AD)."""
        entities = resolve(self.store, now, account_id, level, ids)
        fields = query_fields(query.columns)
        series = self.entity_series([e.ads for e in entities], query, fields, now)
        per = periods(query.start, query.end, query.granularity)
        heads = [{ID_COLUMNS[level]: e.id} for e in entities]
        groups = build_rows(heads, [e.attrs for e in entities], per, self.env(series, per), query.columns)
        return [row for group in groups for row in group]

    def breakdown_rows(self, entity: Entity, series_row: dict[str, np.ndarray], ttype: str, query: Query,
                       per: Periods, cells: np.ndarray, head: dict, style: str = "sync", columns=None):
        """``[(targeting value, rows)]`` of one entity for one targeting type."""
        if ttype == "KEYWORD":
            values, split = self.keyword_split(entity, series_row, cells)
        else:
            country = self.store.accounts.get(entity.attrs["AD_ACCOUNT_ID"], {}).get("country", "US")
            weighted = breakdown(self.store, self.seed, entity.id, entity.ad_groups, country, ttype)
            values = [v for v, _ in weighted]
            keys = [key64(self.seed, entity.id, ttype, v) for v in values]
            split = split_series(series_row, keys, [w for _, w in weighted], cells) if values else {}
        if not values:
            return []
        heads = [dict(head, **({"TARGETING_TYPE": ttype, "TARGETING_VALUE": v} if style != "sync" else {}))
                 for v in values]
        groups = build_rows(heads, [entity.attrs] * len(values), per, self.env(split, per),
                            columns or query.columns, style)
        return list(zip(values, groups, strict=True))

    def keyword_split(self, entity: Entity, series_row: dict[str, np.ndarray],
                      cells: np.ndarray) -> tuple[list, dict[str, np.ndarray]]:
        """KEYWORD values of an entity and their per-slot parts ``{field: (V, S)}``: the entity split
        per keyword exactly as the KEYWORD report splits an ad group, then keywords with equal values
        summed (unless the shape is ``text_per_keyword``)."""
        keywords = keyword_records(self.store, entity.ad_groups)
        if not keywords:
            return [], {}
        split = split_series(series_row, [key64(self.seed, k["id"]) for k in keywords],
                             [keyword_weight(self.seed, k) for k in keywords], cells)
        shape = self.behaviour["keyword_targeting_value"]
        values = [keyword_value(k, shape) for k in keywords]
        if shape == "text_per_keyword" or len(set(values)) == len(values):
            return values, split
        members: dict[object, list[int]] = {}
        for i, value in enumerate(values):
            members.setdefault(value, []).append(i)
        return list(members), {f: np.stack([parts[rows].sum(axis=0) for rows in members.values()])
                               for f, parts in split.items()}

    def targeting(self, account_id: str, level: str, ids: list[str] | None, query: Query, types: list[str],
                  now: int) -> list[dict]:
        """``MetricsResponse.data``: one item per (type, entity, value, period). The metrics'
        id column is a number, as in the spec's example."""
        entities = resolve(self.store, now, account_id, level, ids)
        fields = query_fields(query.columns)
        series = self.entity_series([e.ads for e in entities], query, fields, now)
        per = periods(query.start, query.end, query.granularity)
        cells = slot_cells(query)
        id_column = ID_COLUMNS[level]
        data = []
        for ttype in types:
            for i, entity in enumerate(entities):
                row_series = {f: v[i] for f, v in series.items()}
                head = {id_column: int(entity.id)}
                for value, rows in self.breakdown_rows(entity, row_series, ttype, query, per, cells, head):
                    data.extend({"targeting_type": ttype, "targeting_value": value, "metrics": row} for row in rows)
        return data
