"""The day-change report: how much each re-read day moved since the warehouse last stored it.

Before a run loads anything, the stored spend, clicks and conversions of the last 90 days are
summed per (account, day) from each daily table; while the run streams, the new rows of the days
it re-reads are summed the same way. After the load, one ``day_changes`` row per (account, level,
day) compared says ``*_before``, ``*_after`` and ``*_delta`` (after − before; spend as
``spend_before_micro``…: the account's micro-currency, never summed across accounts, so
:func:`pintools.in_currency_units` gives ``spend_before``…). Days no earlier run stored are not
compared. Measures: ``SPEND_IN_MICRO_DOLLAR``, ``TOTAL_CLICKTHROUGH``, ``TOTAL_CONVERSIONS`` — a
measure whose column the sync does not read is NULL.

>>> import datetime as dt
>>> from pintools.analytics.windows import Window
>>> ch = DayChanges("click30_engagement30_view1_time_of_ad_action", ("SPEND_IN_MICRO_DOLLAR",))
>>> ch.before[("daily_campaign", "1", dt.date(2026, 11, 1))] = {"spend": 100}
>>> ch.expect("daily_campaign", "campaign", {"1": Window(dt.date(2026, 11, 1), dt.date(2026, 11, 1))})
>>> ch.observe("daily_campaign", "1", [{"date": dt.date(2026, 11, 1), "spend_in_micro_dollar": 130}])
>>> ch.done("daily_campaign", "1")
>>> row = ch.rows("run-1", currency_of=lambda a: "USD")[0]
>>> row["spend_before_micro"], row["spend_after_micro"], row["spend_delta_micro"], row["conversions_delta"]
(100, 130, 30, None)
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

from ..analytics.windows import Window

#: measure → the analytics column it sums
MEASURES = {"spend": "SPEND_IN_MICRO_DOLLAR", "clicks": "TOTAL_CLICKTHROUGH", "conversions": "TOTAL_CONVERSIONS"}
LOOKBACK_DAYS = 90
SIDES = ("before", "after", "delta")


def change_column(measure: str, side: str) -> str:
    """The ``day_changes`` column of a measure's side; money says it holds micros.

    >>> change_column("spend", "delta"), change_column("clicks", "before")
    ('spend_delta_micro', 'clicks_before')
    """
    return f"{measure}_{side}_micro" if measure == "spend" else f"{measure}_{side}"
_SAFE = re.compile(r"^[a-z0-9_]+$")


class DayChanges:
    """Before and after sums per (table, account, day), and the report rows."""

    def __init__(self, attribution: str, columns: tuple[str, ...]) -> None:
        if not _SAFE.match(attribution):
            raise ValueError(f"attribution key {attribution!r} is not a plain name")
        self.attribution = attribution
        self.measures = {m: c.lower() for m, c in MEASURES.items() if c in columns}
        self.before: dict[tuple, dict[str, int]] = {}
        self.after: dict[tuple, dict[str, int]] = {}
        self.windows: dict[tuple[str, str], Window] = {}
        self.levels: dict[str, str] = {}
        self.finished: set[tuple[str, str]] = set()
        self.unavailable: str | None = None
        self._lock = threading.Lock()

    def read_before(self, pipeline: Any, tables: list[str], today: dt.date) -> None:
        """Sum what ``pipeline``'s destination holds for the last :data:`LOOKBACK_DAYS` days.
        A table that does not exist yet holds nothing; a destination without SQL (e.g.
        ``filesystem``) is noted in :attr:`unavailable` and no day is compared.

        >>> DayChanges("k", ()).read_before(pipeline, ["daily_campaign"], dt.date(2026, 11, 15))  # doctest: +SKIP
        """
        since = (today - dt.timedelta(days=LOOKBACK_DAYS)).isoformat()
        from dlt.common.destination.exceptions import SqlClientNotAvailable

        try:
            pipeline.sql_client()
        except SqlClientNotAvailable as exc:  # e.g. filesystem: nothing to compare with
            self.unavailable = f"day changes not computed: the destination has no SQL client ({type(exc).__name__})"
            return
        for table in tables:
            with pipeline.sql_client() as client:  # one connection a table: a failed probe spoils no other
                columns = _existing_columns(client, table)
            if not columns:
                continue
            present = {m: c for m, c in self.measures.items() if c in columns}
            sums = ", ".join(f"SUM({c})" for c in present.values()) or "0"
            with pipeline.sql_client() as client:
                sql = (f"SELECT ad_account_id, date, {sums} FROM {client.make_qualified_table_name(table)} "
                       f"WHERE attribution = '{self.attribution}' AND date >= '{since}' GROUP BY ad_account_id, date")
                for row in client.execute_sql(sql) or []:
                    day = row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(str(row[1])[:10])
                    values = {m: None if v is None else int(v) for m, v in zip(present, row[2:], strict=False)}
                    self.before[(table, str(row[0]), day)] = values

    def expect(self, table: str, level: str, compare: dict[str, Window | None]) -> None:
        """The days of ``table`` each account re-reads that were stored before.

        >>> DayChanges("k", ()).expect("daily_ad", "ad", {"1": None})
        """
        with self._lock:
            self.levels[table] = level
            for account, window in compare.items():
                if window is not None:
                    self.windows[(table, account)] = window

    def observe(self, table: str, account: str, records: list[dict]) -> None:
        """Add new rows of re-read days to the after sums (rows of other days are ignored).

        >>> DayChanges("k", ()).observe("daily_ad", "1", [{"date": dt.date(2026, 11, 1)}])
        """
        window = self.windows.get((table, account))
        if window is None:
            return
        with self._lock:
            for r in records:
                day = r.get("date")
                if day is None or not window.start <= day <= window.end:
                    continue
                sums = self.after.setdefault((table, account, day), {})
                for measure, column in self.measures.items():
                    value = r.get(column)
                    if value is not None:
                        sums[measure] = sums.get(measure, 0) + int(value)

    def done(self, table: str, account: str) -> None:
        """Every row of ``account`` in ``table`` has been seen (only such accounts are reported).

        >>> DayChanges("k", ()).done("daily_ad", "1")
        """
        with self._lock:
            self.finished.add((table, account))

    def rows(self, run_id: str, *, currency_of: Callable[[str], str]) -> list[dict]:
        """One row per (table, account, compared day) (see the module example).

        >>> DayChanges("k", ()).rows("run-1", currency_of=lambda a: "USD")
        []
        """
        out = []
        for (table, account), window in sorted(self.windows.items()):
            if (table, account) not in self.finished:
                continue
            currency = currency_of(account)
            day = window.start
            while day <= window.end:
                before = self.before.get((table, account, day), {})
                after = self.after.get((table, account, day), {})
                row: dict[str, Any] = {"run_id": run_id, "ad_account_id": account, "currency": currency,
                                       "level": self.levels.get(table, table), "attribution": self.attribution,
                                       "date": day}
                for measure in MEASURES:
                    if measure not in self.measures:
                        row.update({change_column(measure, side): None for side in SIDES})
                        continue
                    b, a = before.get(measure, 0) or 0, after.get(measure, 0)
                    row.update(zip([change_column(measure, side) for side in SIDES], (b, a, a - b), strict=True))
                out.append(row)
                day += dt.timedelta(days=1)
        return out


def _existing_columns(client: Any, table: str) -> set[str]:
    try:
        with client.execute_query(f"SELECT * FROM {client.make_qualified_table_name(table)} WHERE 1 = 0") as cursor:
            description = getattr(cursor, "native_cursor", cursor).description or []
            return {str(d[0]).lower() for d in description}
    except Exception:  # the table does not exist yet (or cannot be read): nothing stored
        return set()


CHANGE_HINTS = {"run_id": {"data_type": "text"}, "ad_account_id": {"data_type": "text"},
                "currency": {"data_type": "text"}, "level": {"data_type": "text"}, "attribution": {"data_type": "text"},
                "date": {"data_type": "date"},
                **{change_column(m, s): {"data_type": "bigint", "nullable": True} for m in MEASURES for s in SIDES}}
