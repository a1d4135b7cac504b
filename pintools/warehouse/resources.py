"""The dlt resources of a sync: entity tables merged on ``id`` and daily analytics tables merged
on (account, entity, day, attribution), streamed one call's rows at a time.

Tables (column names are Pinterest's, lower-cased):

- ``ad_accounts``, ``campaigns``, ``ad_groups``, ``ads``, ``keywords``: the current state of every
  entity (all statuses), as :func:`pintools.read_campaigns` & co. give it, merged on ``id``; each row
  carries ``ad_account_id``, ``currency`` and Pinterest's ``updated_time`` where the entity has one.
- ``daily_campaign``, ``daily_ad_group``, ``daily_ad``: one row per entity and day, merged on
  (``ad_account_id``, ``<level>_id``, ``date``, ``attribution``); ``daily_keyword`` (ad group
  targeting analytics by KEYWORD) on (``ad_account_id``, ``ad_group_id``, ``targeting_value``,
  ``date``, ``attribution``); ``daily_<level>_targeting`` on (``ad_account_id``, ``<level>_id``,
  ``targeting_type``, ``targeting_value``, ``date``, ``attribution``). Ids are text, money exact
  integers in micro-currency with the account's ``currency``, ``date`` a date (Pinterest's UTC
  reporting day), ``attribution`` the windows' key (:func:`~pintools.warehouse.settings.attribution_key`).
  No ``is_final`` column (pintools' choice): :func:`pintools.read_analytics`' flag holds as of the
  read, and a day leaves the restatement window before a re-read could set it — whether a day is
  final follows from its date and the attribution windows
  (:func:`pintools.analytics.settling.last_final_day`).

>>> [r for _, r, _ in bounded_map(lambda x: x * 2, iter([1, 2, 3]), workers=2)]
[2, 4, 6]
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analytics.reports import MAX_IDS_PER_REPORT
from ..analytics.windows import Window
from ..http.errors import NotFound, PermissionDenied
from .analytics_days import DayPlan, plan_days
from .records import column_hints, frame_records
from .settings import SyncSettings

if TYPE_CHECKING:
    from ..client import Client
    from .day_changes import DayChanges
    from .runlog import RunLog

#: Errors that concern one ad account (access lost, account gone): recorded, the others go on.
ACCOUNT_ERRORS = (PermissionDenied, NotFound)
_ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT"]
SYNC_BATCH = 250
#: rows handed to dlt at a time (a report answer holds up to 500 ids x 186 days)
PAGE_ROWS = 5000


def bounded_map(fn: Callable[[Any], Any], items: Iterator, *, workers: int) -> Iterator[tuple[Any, Any, BaseException | None]]:
    """``(item, fn(item), None)`` or ``(item, None, error)`` in input order, ``workers`` at a time,
    pulling ``items`` lazily and holding at most ``workers + 1`` results (memory stays flat).

    >>> [(i, type(e).__name__) for i, _, e in bounded_map(lambda x: 1 / x, iter([1, 0]), workers=1)]
    [(1, 'NoneType'), (0, 'ZeroDivisionError')]
    """
    if workers <= 1:
        for item in items:
            try:
                yield item, fn(item), None
            except Exception as exc:  # the caller decides what an error means
                yield item, None, exc
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pintools-sync") as pool:
        pending: deque = deque()

        def done(entry):
            item, future = entry
            try:
                return item, future.result(), None
            except Exception as exc:
                return item, None, exc

        try:
            for item in items:
                pending.append((item, pool.submit(fn, item)))
                if len(pending) > workers:
                    yield done(pending.popleft())
            while pending:
                yield done(pending.popleft())
        finally:
            for _, future in pending:
                future.cancel()


def table_name(level: str, targeting: bool = False) -> str:
    """``daily_<level>`` (``daily_<level>_targeting`` for targeting breakdowns).

    >>> table_name("ad_group"), table_name("ad", targeting=True)
    ('daily_ad_group', 'daily_ad_targeting')
    """
    return f"daily_{level}_targeting" if targeting else f"daily_{level}"


def merge_key(level: str, targeting: bool = False) -> list[str]:
    """The primary key a daily table is merged on.

    >>> merge_key("keyword")
    ['ad_account_id', 'ad_group_id', 'targeting_value', 'date', 'attribution']
    """
    if level == "keyword":
        return ["ad_account_id", "ad_group_id", "targeting_value", "date", "attribution"]
    middle = ["targeting_type", "targeting_value"] if targeting else []
    return ["ad_account_id", f"{level}_id", *middle, "date", "attribution"]


def state_key(table: str, account: str, settings: SyncSettings) -> str:
    """Where a (table, account, attribution, columns) history is recorded in the state: columns
    are part of it, so a new column list backfills its history once.

    >>> state_key("daily_campaign", "1", SyncSettings(columns=("TOTAL_IMPRESSION",)))
    'daily_campaign|1|click30_engagement30_view1_time_of_ad_action|3f8f5414'
    """
    columns = hashlib.sha1(",".join(sorted(settings.columns)).encode()).hexdigest()[:8]
    return f"{table}|{account}|{settings.key}|{columns}"


def _level_ids(c: "Client", account: str, level: str) -> list[str]:
    service = c.ad_groups if level in ("ad_group", "keyword") else {"campaign": c.campaigns, "ad": c.ads}[level]
    return [str(r["id"]) for r in service.list(account, entity_statuses=_ALL_STATUSES)]


@dataclass(frozen=True)
class Job:
    """One call's worth: an account, an id batch, a window, the path."""

    account: str
    ids: tuple[str, ...]
    window: Window
    path: str
    last: bool  # the account's last job of this table: its state is recorded after it


def _jobs(c: "Client", accounts: list[str], level: str, plans: dict[str, DayPlan], log: "RunLog") -> Iterator[Job]:
    for account in accounts:
        plan = plans.get(account)
        if account in log.failed or plan is None or not plan.reads:
            continue
        try:
            ids = _level_ids(c, account, level)
        except ACCOUNT_ERRORS as exc:
            log.fail_account(account, str(exc))
            continue
        jobs = []
        for window, path in plan.reads:
            size = MAX_IDS_PER_REPORT if path == "report" else SYNC_BATCH
            jobs += [Job(account, tuple(ids[i:i + size]), window, path, False) for i in range(0, len(ids), size)]
        if not jobs:  # nothing to report on: the days are still covered
            jobs = [Job(account, (), plan.reads[-1][0], "none", False)]
        jobs[-1] = Job(jobs[-1].account, jobs[-1].ids, jobs[-1].window, jobs[-1].path, True)
        yield from jobs


def _fetch(c: "Client", settings: SyncSettings, level: str, targeting: bool) -> Callable[[Job], Any]:
    from ..analytics.read import Attribution, read_analytics, read_targeting_analytics

    attribution = Attribution(**settings.attribution) if settings.attribution else None

    def fetch(job: Job):
        if not job.ids:
            return None
        common = dict(columns=list(settings.columns), attribution=attribution, progress=False, max_workers=1,
                      client=c, batch_size=SYNC_BATCH)
        if targeting:
            return read_targeting_analytics(job.account, job.window.start, job.window.end, level=level,
                                            ids=list(job.ids), granularity="DAY",
                                            targeting_types=list(settings.targeting_types), **common)
        if level == "keyword":
            return read_analytics(job.account, job.window.start, job.window.end, level="keyword",
                                  ad_group_ids=list(job.ids), **common)
        return read_analytics(job.account, job.window.start, job.window.end, level=level, ids=list(job.ids), **common)

    return fetch


def _finishing(rows: Callable[[], Iterator], name: str, done: set[str] | None) -> Callable[[], Iterator]:
    """``rows`` that adds ``name`` to ``done`` once exhausted (the closing resources wait for it)."""
    def wrapped():
        yield from rows()
        if done is not None:
            done.add(name)
    return wrapped


def analytics_resource(c: "Client", accounts: list[str], settings: SyncSettings, level: str, log: "RunLog",
                       changes: "DayChanges", *, targeting: bool = False, max_workers: int = 4, bar=None,
                       done: set[str] | None = None):
    """The dlt resource of one daily table (see the module docstring).

    >>> analytics_resource(client, ["549755885175"], SyncSettings(), "ad_group", log, changes).name  # doctest: +SKIP
    'daily_ad_group'
    """
    import dlt

    table = table_name(level, targeting)
    key = merge_key(level, targeting)
    hints = column_hints([*key, "currency", *settings.columns])
    report_ok = not targeting and level != "keyword"

    def rows():
        state = dlt.current.source_state().setdefault("days", {})
        today = c.today()
        plans = {a: plan_days(today, state.get(state_key(table, a, settings)), restate=settings.restate,
                              history_days=settings.history_days, report_ok=report_ok) for a in accounts}
        if not targeting:
            changes.expect(table, level, {a: p.compare for a, p in plans.items()})
        broken: set[str] = set()
        for job, frame, error in bounded_map(_fetch(c, settings, level, targeting), _jobs(c, accounts, level, plans, log),
                                             workers=max_workers):
            if bar is not None:
                bar.update(1)
            if job.account in broken or job.account in log.failed:
                continue
            if error is not None:
                if isinstance(error, ACCOUNT_ERRORS):
                    log.fail_account(job.account, str(error))
                    broken.add(job.account)
                    continue
                raise error
            for start in range(0, 0 if frame is None else len(frame), PAGE_ROWS):  # a page at a time: flat memory
                records = frame_records(frame.iloc[start:start + PAGE_ROWS])
                for r in records:
                    r["attribution"] = settings.key
                    r.pop("is_final", None)  # true only as of the read: stale once the day leaves the window
                if not targeting:
                    changes.observe(table, job.account, records)
                log.count(table, len(records))
                yield records
            if job.last:
                state[state_key(table, job.account, settings)] = plans[job.account].state
                changes.done(table, job.account)

    return dlt.resource(_finishing(rows, table, done), name=table, write_disposition="merge", primary_key=key,
                        columns=hints,
                        max_table_nesting=0)


def entity_resource(c: "Client", accounts: list[str], name: str, log: "RunLog", done: set[str] | None = None):
    """The dlt resource of one entity table (``campaigns``, ``ad_groups``, ``ads``, ``keywords``,
    ``ad_accounts``), merged on ``id``.

    >>> entity_resource(client, ["549755885175"], "campaigns", log).name  # doctest: +SKIP
    'campaigns'
    """
    import dlt

    from .. import entities

    def rows():
        if name == "ad_accounts":
            frame = entities.read_ad_accounts(client=c)
            frame = frame[frame["id"].isin(accounts)]
            records = _without_nulls(frame_records(frame))
            log.count(name, len(records))
            yield records
            return
        reader = {"campaigns": entities.read_campaigns, "ad_groups": entities.read_ad_groups,
                  "ads": entities.read_ads, "keywords": entities.read_keywords}[name]
        for account in accounts:
            if account in log.failed:
                continue
            try:
                frame = reader(account, client=c) if name == "keywords" else reader(account, statuses="all", client=c)
            except ACCOUNT_ERRORS as exc:
                log.fail_account(account, str(exc))
                continue
            records = _without_nulls(frame_records(frame))
            log.count(name, len(records))
            if records:
                yield records

    hints = {"id": {"data_type": "text"}, "ad_account_id": {"data_type": "text"}}
    return dlt.resource(_finishing(rows, name, done), name=name, write_disposition="merge", primary_key="id",
                        columns=hints,
                        max_table_nesting=0)


def _without_nulls(records: list[dict]) -> list[dict]:
    """Entity rows without their empty fields (a column appears with its first value, so dlt never
    has to guess the type of a column that holds nothing yet)."""
    return [{k: v for k, v in r.items() if v is not None} for r in records]


def all_resources(c: "Client", accounts: list[str], settings: SyncSettings, log: "RunLog", changes: "DayChanges",
                  *, max_workers: int = 4, bar=None, done: set[str] | None = None) -> list:
    """Every data resource of a sync, entities first; each adds its table to ``done`` when exhausted.

    >>> [r.name for r in all_resources(client, ids, SyncSettings(entities=()), log, changes)]  # doctest: +SKIP
    ['daily_campaign', 'daily_ad_group']
    """
    out = [entity_resource(c, accounts, name, log, done) for name in settings.entities]
    out += [analytics_resource(c, accounts, settings, level, log, changes, max_workers=max_workers, bar=bar, done=done)
            for level in settings.levels]
    if settings.targeting_types:
        out.append(analytics_resource(c, accounts, settings, settings.targeting_level, log, changes, targeting=True,
                                      max_workers=max_workers, bar=bar, done=done))
    return out
