"""``columns``: search Pinterest's analytics columns by name, friendly name or description.

One row per column pintools accepts (the v5.23.0 lists of :mod:`pintools.analytics.column_names`):

=================  ==========================================================================
``column``         Pinterest's name, as frames and ``df.attrs["query"]["columns"]`` show it
``aliases``        friendly names that resolve to it (:mod:`pintools.analytics.metric_names`)
``description``    pintools' description ("(from the name)" when read off the name alone)
``kind``           ``money``, ``count``, ``ratio``, ``duration``, ``id`` or ``text``
``unit``           ``micro`` (÷ 1,000,000 for currency units), ``currency``, ``seconds`` or ``""``
``sync``           in sync analytics — the same list at every level (``sync_levels``)
``targeting``      in targeting analytics (they take the sync list)
``report``         in async reports (all but ``QUIZ_PIN_RESULT_OPEN``, a sync-only name in 5.23.0)
``granularities``  the granularities ``read_analytics`` can give it at
``available``      how ``read_analytics`` gets it
=================  ==========================================================================

>>> df = columns("checkout value")
>>> df.column.iloc[0], df.aliases.iloc[0]
('TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR', 'checkout value, revenue, sales, purchase value, order value')
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .columns import ALL_COLUMNS, ASYNC_COLUMNS, SYNC_COLUMNS, kind_of, resolve_column
from .metric_names import aliases_of, describe, name_key
from .windows import GRANULARITIES, SYNC

SYNC_LEVELS = ("ad_account", "campaign", "ad_group", "ad")
_KINDS = {"id": "id", "str": "text", "micro": "money", "micro_rate": "money", "money": "money", "int": "count"}
_FIELDS = ("column", "aliases", "description", "kind", "unit", "sync", "sync_levels", "targeting", "report",
           "granularities", "available")


def _kind(column: str) -> str:
    kind = kind_of(column)
    if kind != "float":
        return _KINDS[kind]
    if "COST_PER" in column:
        return "money"
    return "duration" if "WATCHTIME" in column or column == "VIDEO_LENGTH" else "ratio"


def _unit(column: str) -> str:
    if column.endswith("_IN_MICRO_DOLLAR") or column.endswith("_SPEND_CAP"):
        return "micro"
    if "_IN_DOLLAR" in column:
        return "currency"
    return "seconds" if column.endswith("_IN_SECOND") else ""


def _row(column: str, sync: bool, report: bool = True) -> dict:
    days = SYNC.lookback_days
    return {
        "column": column, "aliases": ", ".join(aliases_of(column)), "description": describe(column),
        "kind": _kind(column), "unit": _unit(column), "sync": sync,
        "sync_levels": ", ".join(SYNC_LEVELS) if sync else "", "targeting": sync, "report": report,
        "granularities": " ".join(GRANULARITIES) if sync else
        " ".join(g for g in GRANULARITIES if g != "HOUR"),
        "available": ("sync analytics and async reports" if report else
                      f"sync analytics only: start_date within {days} days of today") if sync else
        f"async reports only: start_date more than {days} days back (never at level='keyword')",
    }


@lru_cache(maxsize=1)
def _catalogue() -> pd.DataFrame:
    sync, report = frozenset(SYNC_COLUMNS), frozenset(ASYNC_COLUMNS)
    frame = pd.DataFrame([_row(c, c in sync, c in report) for c in ALL_COLUMNS], columns=list(_FIELDS))
    for field in ("column", "aliases", "description", "kind", "unit", "sync_levels", "granularities", "available"):
        frame[field] = frame[field].astype("string")
    for field in ("sync", "targeting", "report"):
        frame[field] = frame[field].astype("boolean")
    return frame


def _rank(row: pd.Series, words: list[str], exact: str | None) -> int | None:
    """0: the column the search names; 1: every word in the column's name; 2: … in its aliases;
    3: … in its description; ``None``: no match."""
    if row["column"] == exact:
        return 0
    for rank, text in enumerate((row["column"], row["aliases"], row["description"]), start=1):
        key = name_key(text)
        if all(word in key for word in words):
            return rank
    return None


def columns(search: str | None = None) -> pd.DataFrame:
    """Pinterest's analytics columns whose name, friendly names or description contain every
    word of ``search`` (any case, any separators, plurals too), best match first: the column the
    words name, then name matches, alias matches, description matches; sync columns before
    async-only ones. Without ``search``: all of them.

    >>> import pintools as pt
    >>> pt.analytics.columns("checkout").column.head(3).tolist()
    ['TOTAL_CHECKOUT', 'TOTAL_ENGAGEMENT_CHECKOUT', 'TOTAL_CLICK_CHECKOUT']
    >>> row = pt.analytics.columns("revenue").iloc[0]
    >>> row.column, row.kind, row.unit, bool(row.sync)
    ('TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR', 'money', 'micro', True)
    """
    frame = _catalogue()
    if search is None or not str(search).strip():
        return frame.copy()
    words = [w for w in name_key(str(search)).split("_") if w]
    try:
        exact: str | None = resolve_column(search)
    except ValueError:
        exact = None
    ranks = frame.apply(_rank, axis=1, words=words, exact=exact)
    found = frame.assign(_rank=ranks, _async=~frame["sync"])[ranks.notna()]
    found = found.sort_values(["_rank", "_async"], kind="stable")
    return found.drop(columns=["_rank", "_async"]).reset_index(drop=True)
