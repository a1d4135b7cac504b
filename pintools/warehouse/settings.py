"""What a sync reads: levels, columns, attribution, the restatement window, history, shards.

Everything here is checked before any call is made. Choices that are pintools' own (not
Pinterest's rules) say so.

>>> restatement_days(None)                    # Pinterest's default click window (30 days) + 2
32
>>> restatement_days({"click_window_days": 7})
9
>>> attribution_key({"click_window_days": 7})
'click7_engagement30_view1_time_of_ad_action'
>>> shard_of(["3", "1", "2"], "1/1")
['1', '2', '3']
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analytics.settling import MARGIN_DAYS, effective_attribution

#: Levels a sync can read: entity levels of daily analytics, and ``keyword`` (ad group targeting
#: analytics by KEYWORD joined to keywords; sync analytics only, so 90 days back at most).
LEVELS = ("campaign", "ad_group", "ad", "keyword")
#: The columns synced by default: exact counts and money only (ratios are recomputed from sums).
DEFAULT_COLUMNS = ("SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "TOTAL_CONVERSIONS")
#: Restatement windows longer than this are cut (pintools' choice: sync analytics reach 90 days back).
MAX_RESTATEMENT_DAYS = 90
#: Days of history backfilled on the first run (pintools' choice); Pinterest's reports reach 914 days.
DEFAULT_HISTORY_DAYS = 365
MAX_HISTORY_DAYS = 914
#: Entity tables the sync writes (``entities`` chooses among them).
ENTITIES = ("ad_accounts", "campaigns", "ad_groups", "ads", "keywords")


def restatement_days(attribution: Mapping[str, Any] | None) -> int:
    """Days re-read by every run: the click attribution window plus :data:`MARGIN_DAYS` (2), or the
    margin alone with ``conversion_report_time=TIME_OF_CONVERSION``, at most
    :data:`MAX_RESTATEMENT_DAYS` (pintools' choice: conversions keep landing on the day of the
    click for the click window; see :mod:`pintools.analytics.settling`).

    >>> restatement_days({"conversion_report_time": "TIME_OF_CONVERSION"})
    2
    """
    settings = effective_attribution(dict(attribution or {}))
    if settings["conversion_report_time"] == "TIME_OF_CONVERSION":
        return MARGIN_DAYS
    return min(int(settings["click_window_days"]) + MARGIN_DAYS, MAX_RESTATEMENT_DAYS)


def attribution_key(attribution: Mapping[str, Any] | None) -> str:
    """The text that names attribution settings in the ``attribution`` key column (Pinterest's
    defaults filled in, so leaving a window out and giving its default are the same key).

    >>> attribution_key({})
    'click30_engagement30_view1_time_of_ad_action'
    """
    s = effective_attribution(dict(attribution or {}))
    return (f"click{s['click_window_days']}_engagement{s['engagement_window_days']}_view{s['view_window_days']}_"
            f"{str(s['conversion_report_time']).lower()}")


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"2/5"`` → ``(2, 5)``: shard 2 of 5 (counted from 1); a clear error otherwise.

    >>> parse_shard("2/5")
    (2, 5)
    >>> parse_shard("6/5")
    Traceback (most recent call last):
    ...
    ValueError: shard must be i/n with 1 <= i <= n (e.g. 2/5), got '6/5'
    """
    if text is None:
        return None
    i, sep, n = str(text).partition("/")
    try:
        index, total = int(i), int(n)
    except ValueError:
        index, total = 0, 0
    if not sep or not 1 <= index <= total:
        raise ValueError(f"shard must be i/n with 1 <= i <= n (e.g. 2/5), got {text!r}")
    return index, total


def shard_of(account_ids: Sequence[str], shard: "str | tuple[int, int] | None") -> list[str]:
    """The accounts of one shard, sorted: shard ``i/n`` takes the ids whose SHA-1 (of the id's text)
    modulo ``n`` is ``i - 1`` (pintools' choice: an account stays in its shard when others come
    and go). ``None`` keeps all.

    >>> sorted(shard_of(["1", "2", "3", "4"], "1/2") + shard_of(["1", "2", "3", "4"], "2/2"))
    ['1', '2', '3', '4']
    """
    ids = sorted(dict.fromkeys(str(a) for a in account_ids))
    chosen = parse_shard(shard) if isinstance(shard, str) or shard is None else shard
    if chosen is None:
        return ids
    index, total = chosen
    return [a for a in ids if int(hashlib.sha1(a.encode()).hexdigest(), 16) % total == index - 1]


def default_duckdb_path() -> Path:
    """Where the default DuckDB warehouse lives: ``$PINTOOLS_WAREHOUSE``, else
    ``$XDG_DATA_HOME/pintools/warehouse.duckdb``, else ``~/.local/share/pintools/warehouse.duckdb``.

    >>> default_duckdb_path().name
    'warehouse.duckdb'
    """
    from ..files import user_path

    return user_path("PINTOOLS_WAREHOUSE", "data", "warehouse.duckdb")


@dataclass(frozen=True)
class SyncSettings:
    """A checked sync request (see :func:`pintools.warehouse`).

    >>> SyncSettings(levels=("ad_group",)).restate
    32
    """

    levels: tuple[str, ...] = ("campaign", "ad_group")
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    attribution: dict = field(default_factory=dict)
    restatement_days: int | None = None
    history_days: int = DEFAULT_HISTORY_DAYS
    targeting_types: tuple[str, ...] = ()
    targeting_level: str = "ad_group"
    entities: tuple[str, ...] = ENTITIES

    def __post_init__(self) -> None:
        from ..analytics.columns import check_columns

        unknown = [lv for lv in self.levels if lv not in LEVELS]
        if unknown:
            raise ValueError(f"levels must be among {', '.join(LEVELS)}; got {unknown}")
        wrong = [e for e in self.entities if e not in ENTITIES]
        if wrong:
            raise ValueError(f"entities must be among {', '.join(ENTITIES)}; got {wrong}")
        object.__setattr__(self, "columns", tuple(check_columns(list(self.columns), report=False)))
        if not 1 <= int(self.history_days) <= MAX_HISTORY_DAYS:
            raise ValueError(f"history_days must be between 1 and {MAX_HISTORY_DAYS} (how far back async reports "
                             f"reach), got {self.history_days}")
        if self.restatement_days is not None and not 1 <= int(self.restatement_days) <= MAX_RESTATEMENT_DAYS:
            raise ValueError(f"restatement_days must be between 1 and {MAX_RESTATEMENT_DAYS} (sync analytics reach "
                             f"90 days back), got {self.restatement_days}")

    @property
    def restate(self) -> int:
        """Days re-read by every run (given, or :func:`restatement_days` of the attribution)."""
        return int(self.restatement_days) if self.restatement_days is not None else restatement_days(self.attribution)

    @property
    def key(self) -> str:
        """The attribution key of every analytics row (:func:`attribution_key`)."""
        return attribution_key(self.attribution)
