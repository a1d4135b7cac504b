"""Which days one run reads, for one account and level, from what earlier runs recorded.

State per (account, level, attribution, columns) — kept in dlt's resource state, which dlt stores
in the destination with the rows it loads:

- ``synced_through``: the last day loaded;
- ``backfilled_from``: the earliest day the history reaches (backfilled once).

A run reads, up to yesterday (the last complete UTC day):

1. the restatement window — the last ``restate`` days, not before the history's first day — every
   run (conversions still arrive);
2. any gap since ``synced_through``;
3. on the first run the history (and, when ``history_days`` later reaches further back than
   ``backfilled_from``, the days before it, once): days older than sync analytics reach (90 days)
   through async reports (186 days a report), newer ones through sync calls (90 days a call).

>>> import datetime as dt
>>> plan = plan_days(dt.date(2026, 11, 15), None, restate=32, history_days=365, report_ok=True)
>>> [(str(w), path) for w, path in plan.reads]
[('2025-11-15..2026-05-19', 'report'), ('2026-05-20..2026-08-16', 'report'), ('2026-08-17..2026-11-14', 'sync')]
>>> plan_days(dt.date(2026, 11, 16), plan.state, restate=32, history_days=365, report_ok=True).reads
[(Window(start=datetime.date(2026, 10, 15), end=datetime.date(2026, 11, 15)), 'sync')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..analytics.windows import ASYNC, SYNC, Window, plan_windows


@dataclass(frozen=True)
class DayPlan:
    """The windows to read (each with its path, ``"sync"`` or ``"report"``), the days earlier runs
    stored that this run re-reads (``compare``: compared for the day-change report), and the state
    to record once the rows are loaded."""

    reads: list[tuple[Window, str]]
    compare: Window | None
    state: dict

    @property
    def first_day(self) -> dt.date | None:
        return self.reads[0][0].start if self.reads else None


def plan_days(today: dt.date, state: dict | None, *, restate: int, history_days: int,
              report_ok: bool = True) -> DayPlan:
    """The reads of one run (see the module docstring). ``report_ok=False`` (keyword level,
    targeting breakdowns: sync analytics only) keeps history within sync reach (90 days).

    >>> plan_days(dt.date(2026, 11, 15), None, restate=5, history_days=400, report_ok=False).reads[0][0].start
    datetime.date(2026, 8, 17)
    >>> grown = plan_days(dt.date(2026, 11, 15), {"synced_through": "2026-11-14", "backfilled_from": "2026-10-01"},
    ...                   restate=5, history_days=60, report_ok=True)
    >>> [str(w) for w, _ in grown.reads], str(grown.compare), grown.state["backfilled_from"]
    (['2026-09-16..2026-09-30', '2026-11-10..2026-11-14'], '2026-11-10..2026-11-14', '2026-09-16')
    """
    end = today - dt.timedelta(days=1)
    reach = ASYNC.lookback_days if report_ok else SYNC.lookback_days
    history_start = max(today - dt.timedelta(days=history_days), today - dt.timedelta(days=reach))
    restate_start = max(today - dt.timedelta(days=restate), today - dt.timedelta(days=SYNC.lookback_days))
    synced = _date(state, "synced_through")
    backfilled = _date(state, "backfilled_from")
    if synced is None or backfilled is None:
        start, older = min(history_start, end), None
    else:
        start = min(max(min(restate_start, synced + dt.timedelta(days=1)), backfilled), end)  # never before the history
        # history_days grew since: the days before the recorded history, once
        older = (history_start, backfilled - dt.timedelta(days=1)) if backfilled > history_start else None
    compare = None
    if synced is not None and backfilled is not None:
        first = max(start, backfilled)
        last = min(synced, end)
        compare = Window(first, last) if first <= last else None
    reads = _windows(*older, today) if older is not None else []
    reads += _windows(start, end, today) if start <= end else []
    new_state = {"synced_through": end.isoformat(),
                 "backfilled_from": min(history_start, backfilled or history_start).isoformat()}
    return DayPlan(reads, compare, new_state)


def _windows(start: dt.date, end: dt.date, today: dt.date) -> list[tuple[Window, str]]:
    """Report windows for days older than sync reach, then sync windows."""
    sync_from = today - dt.timedelta(days=SYNC.lookback_days)
    out: list[tuple[Window, str]] = []
    if start < sync_from:
        old_end = min(end, sync_from - dt.timedelta(days=1))
        out += [(w, "report") for w in plan_windows(start, old_end, granularity="DAY", today=today, report=True)]
        start = old_end + dt.timedelta(days=1)
    if start <= end:
        out += [(w, "sync") for w in plan_windows(start, end, granularity="DAY", today=today, report=False)]
    return out


def _date(state: dict | None, key: str) -> dt.date | None:
    value = (state or {}).get(key)
    return dt.date.fromisoformat(value) if value else None
