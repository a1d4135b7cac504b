"""``pt.sync``: ad accounts, entities and daily analytics into a warehouse through dlt, re-reading
the days whose conversions still arrive and reporting how much each re-read day changed.

One run: pick the accounts (all the token reaches, a list, or a shard), read what the warehouse
holds for the days to be re-read, stream entities and analytics per account into dlt (merge on
keys, so a rerun never duplicates), then load the day-change rows and the ``sync_runs`` row.
Tables: :mod:`pintools.warehouse.resources`, :mod:`pintools.warehouse.day_changes`, :mod:`pintools.warehouse.runlog`.

>>> import pintools as pt
>>> result = pt.sync(levels=["ad_group"], history_days=30)          # doctest: +SKIP
>>> result.status, result.exit_code                                  # doctest: +SKIP
('ok', 0)
>>> pt.sync_report()                                                 # doctest: +SKIP

(``pt.sync_report`` lives in :mod:`pintools.warehouse.report`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .calls import counting
from .day_changes import CHANGE_HINTS, DayChanges
from .destinations import DEFAULT_DATASET, describe_destination, duckdb_file, make_pipeline
from .resources import all_resources, table_name
from .runlog import EXIT_CODES, RunLog
from .settings import DEFAULT_COLUMNS, DEFAULT_HISTORY_DAYS, ENTITIES, SyncSettings, parse_shard, shard_of

if TYPE_CHECKING:
    from ..client import Client
    from .plan import SyncPlan

SOURCE_NAME = "pinterest_ads"


class SyncFailed(RuntimeError):
    """A sync that loaded nothing (the API or the destination failed); the message says why and
    what the next run does. ``result`` is the run's :class:`SyncResult`."""

    def __init__(self, message: str, result: "SyncResult") -> None:
        super().__init__(message)
        self.result = result


@dataclass
class SyncResult:
    """What a run did: ``status`` (``ok``, ``partial``, ``failed``), ``exit_code`` (0, 3, 1), the
    accounts synced and ``failed`` ones with the reason, ``rows`` per table, ``calls`` per rate
    category (``throttled``: answered 429; ``retries``), ``day_changes`` rows written."""

    run_id: str
    status: str
    accounts: list[str]
    failed: dict[str, str]
    rows: dict[str, int]
    calls: dict[str, int]
    throttled: dict[str, int]
    retries: int
    started: dt.datetime
    finished: dt.datetime
    destination: str
    dataset: str
    day_changes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 ok, 3 partial (some accounts not synced), 1 failed.

        >>> SyncResult("r", "partial", [], {}, {}, {}, {}, 0, None, None, "", "").exit_code
        3
        """
        return EXIT_CODES[self.status]

    def __str__(self) -> str:
        seconds = (self.finished - self.started).total_seconds() if self.finished and self.started else 0.0
        lines = [f"pintools sync {self.run_id}: {self.status} — {len(self.accounts)} account(s) synced into "
                 f"{self.destination} (dataset {self.dataset}) in {seconds:.1f} s",
                 f"  rows: {sum(self.rows.values())} ({', '.join(f'{t} {n}' for t, n in sorted(self.rows.items()))})",
                 f"  calls: {', '.join(f'{k} {v}' for k, v in sorted(self.calls.items())) or 'none'}"
                 + (f"; answered 429: {sum(self.throttled.values())}" if self.throttled else "")
                 + (f"; retries: {self.retries}" if self.retries else ""),
                 f"  day changes: {self.day_changes} day(s) compared"]
        lines += [f"  NOT synced {a}: {m}" for a, m in sorted(self.failed.items())]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _client(client: "Client | None", shared_budget: str | None) -> "Client":
    if client is not None:
        if shared_budget is not None:
            raise ValueError("give shared_budget to pt.connect(...) when you pass client=")
        return client
    from ..client import connect, default_client

    if shared_budget is not None:
        return connect(quiet=True, shared_budget=shared_budget)  # type: ignore[call-arg]
    return default_client()


def _accounts(c: "Client", ad_account_id: "str | Sequence[str] | None", shard: "str | None") -> list[str]:
    if ad_account_id is None:
        from ..entities import read_ad_accounts

        ids = [str(a) for a in read_ad_accounts(client=c)["id"]]
    else:
        from ..api._common import check_accounts

        ids = check_accounts(ad_account_id)
    return shard_of(ids, shard)


def _attribution(attribution: Any) -> dict:
    if attribution is None:
        return {}
    if hasattr(attribution, "params"):
        return dict(attribution.params())
    if isinstance(attribution, Mapping):
        from ..analytics.read import Attribution

        return Attribution(**dict(attribution)).params()
    raise ValueError(f"attribution must be a pt.Attribution or a dict of its fields, got {attribution!r}")


def _cause(exc: BaseException) -> BaseException:
    """The error under dlt's step wrappers."""
    seen = exc
    for _ in range(6):
        inner = getattr(seen, "exception", None) or seen.__cause__
        if inner is None or inner is seen:
            break
        seen = inner
    return seen


def sync(
    ad_account_id: "str | Sequence[str] | None" = None,
    *,
    levels: Sequence[str] = ("campaign", "ad_group"),
    columns: Sequence[str] = DEFAULT_COLUMNS,
    attribution: Any = None,
    restatement_days: int | None = None,
    history_days: int = DEFAULT_HISTORY_DAYS,
    targeting_types: Sequence[str] = (),
    targeting_level: str = "ad_group",
    entities: Sequence[str] = ENTITIES,
    shard: str | None = None,
    destination: Any = None,
    dataset: str = DEFAULT_DATASET,
    pipeline_name: str | None = None,
    pipelines_dir: "str | Path | None" = None,
    plan: bool = False,
    max_workers: int = 4,
    progress: bool = True,
    shared_budget: str | None = None,
    client: "Client | None" = None,
) -> "SyncResult | SyncPlan":
    """Sync ad accounts into a warehouse (DuckDB by default) and return a :class:`SyncResult`.

    ``ad_account_id``: one id, a list, or None for every account the token reaches; ``shard="i/n"``
    keeps one shard of them (:func:`~pintools.warehouse.settings.shard_of`). ``levels``: daily analytics
    tables among ``campaign``, ``ad_group``, ``ad``, ``keyword``; ``columns``: Pinterest's column
    names (sync analytics columns); ``attribution``: a :class:`pintools.Attribution` (or its fields
    as a dict; Pinterest's defaults otherwise). ``targeting_types`` adds ``daily_<targeting_level>_targeting``
    (sync analytics: 90 days back at most). ``entities``: entity tables to refresh.

    Days: each run re-reads the last ``restatement_days`` (default: the click window + 2, at most
    90; :func:`~pintools.warehouse.settings.restatement_days`), and on the first run backfills
    ``history_days`` (default 365, at most 914) — older than 90 days through async reports, once.

    ``destination``/``dataset``: see :mod:`pintools.warehouse.destinations`. ``plan=True`` returns a
    :class:`~pintools.warehouse.plan.SyncPlan` (calls per rate category and minutes) and loads nothing.
    ``shared_budget``: a ``postgresql://`` URL whose rate budget several processes share (passed
    to :func:`pintools.connect`). Raises :class:`SyncFailed` when nothing could be loaded;
    accounts the token cannot read are reported in ``result.failed`` while the others sync.

    >>> pt.sync("549755885175", levels=["ad_group"], destination="postgres")   # doctest: +SKIP
    """
    settings = SyncSettings(levels=tuple(levels), columns=tuple(columns), attribution=_attribution(attribution),
                            restatement_days=restatement_days, history_days=int(history_days),
                            targeting_types=tuple(str(t).upper() for t in targeting_types),
                            targeting_level=targeting_level, entities=tuple(entities))
    if max_workers < 1:
        raise ValueError(f"max_workers must be at least 1, got {max_workers}")
    parse_shard(shard)
    c = _client(client, shared_budget)
    accounts = _accounts(c, ad_account_id, shard)
    notes = [f"shard {shard} holds none of the accounts (shards split by SHA-1 of the id: with few accounts "
             f"some shards are empty)"] if shard and not accounts else []
    # a shard keeps its own dlt state (pipeline name), in the working folder and the destination alike
    pipeline = make_pipeline(destination, dataset, pipeline_name=pipeline_name, pipelines_dir=pipelines_dir,
                             shard=shard)
    if plan:
        from .plan import plan_sync

        file = duckdb_file(destination)  # a dry run creates no warehouse: nothing to restore from a missing file
        return plan_sync(c, pipeline, accounts, settings, source_name=SOURCE_NAME,
                         restore=file is None or file.exists())
    return _run(c, pipeline, accounts, settings, describe_destination(destination), dataset, max_workers, progress,
                notes)


def _run(c, pipeline, accounts, settings, where, dataset, max_workers, progress, notes=()) -> SyncResult:
    import dlt

    log = RunLog.start(accounts)
    log.notes.extend(notes)
    changes = DayChanges(settings.key, settings.columns)
    bar = _bar(progress)
    with counting(c) as counter:
        try:
            try:
                changes.read_before(pipeline, [table_name(lv) for lv in settings.levels], c.today())
            except Exception as exc:
                raise _failed(log, counter, where, dataset, "the destination could not be read", exc) from exc
            if changes.unavailable:
                log.notes.append(changes.unavailable)

            done: set[str] = set()
            closing: dict = {}

            def closed() -> bool:
                """Every data table exhausted: the counts, the calls and the day changes are final."""
                if not expected <= done:
                    return False
                if not closing:
                    closing["finished"] = dt.datetime.now(dt.UTC)
                    closing["calls"] = counter.snapshot()
                    closing["changed"] = changes.rows(log.run_id, currency_of=c.currency_of)
                return True

            def day_change_rows():
                while not closed():
                    yield None  # dlt moves on to the data resources
                if closing["changed"]:
                    yield closing["changed"]

            def run_rows():
                while not closed():
                    yield None
                yield [log.record(closing["finished"], closing["calls"])]

            @dlt.source(name=SOURCE_NAME, max_table_nesting=0)
            def pinterest_ads():
                data = all_resources(c, accounts, settings, log, changes, max_workers=max_workers, bar=bar, done=done)
                expected.update(r.name for r in data)
                return [*data,
                        dlt.resource(day_change_rows, name="day_changes", write_disposition="merge",
                                     primary_key=["run_id", "ad_account_id", "level", "date"], columns=CHANGE_HINTS),
                        dlt.resource(run_rows, name="sync_runs", write_disposition="append",
                                     columns={"run_id": {"data_type": "text"}, "retries": {"data_type": "bigint"}})]

            expected: set[str] = set()
            _finish_pending(pipeline, log, counter, where, dataset)
            try:
                # data, day changes and the run log load together, or not at all
                pipeline.run(pinterest_ads(), loader_file_format=loader_file_format(pipeline.destination))
            except Exception as exc:
                _discard(pipeline)
                raise _failed(log, counter, where, dataset, "the sync stopped", exc) from exc
        finally:
            if bar is not None:
                bar.close()
    return _result(log, closing["finished"], closing["calls"], where, dataset, len(closing["changed"]))


def loader_file_format(destination: Any) -> str | None:
    """The load file format for ``destination``: Parquet for DuckDB, dlt's default elsewhere.
    dlt's default for DuckDB, SQL ``INSERT ... VALUES`` files, grows the loading process with the
    rows of a load (measured with dlt 1.31: 1.2 GB peak RSS for 24,000 rows of 16 columns, 5.8 GB
    for 240,000). JSON lines do not work: dlt leaves null fields out of a line and DuckDB's
    ``read_json`` then refuses a later line that has the key ("unknown key", dlt's own code notes
    it). Parquet files (pyarrow, in the sync extra) carry their columns and DuckDB reads them
    ``union_by_name``.

    >>> class D: destination_name = "duckdb"
    >>> loader_file_format(D()), loader_file_format(None)
    ('parquet', None)
    """
    return "parquet" if getattr(destination, "destination_name", None) == "duckdb" else None


def _finish_pending(pipeline, log: RunLog, counter, where: str, dataset: str) -> None:
    """Load what an interrupted earlier run extracted (its rows, state and run log, complete), before
    this run: dlt's ``run`` would otherwise load only those and leave this run's data unextracted."""
    if not pipeline.has_pending_data:
        return
    try:  # normalize and load by hand: run() first syncs with the destination, which may drop them
        if pipeline.list_extracted_load_packages():
            pipeline.normalize()
        if pipeline.list_normalized_load_packages():
            pipeline.load()
    except Exception as exc:
        _discard(pipeline)
        raise _failed(log, counter, where, dataset, "an earlier run's pending load could not be finished", exc) from exc
    log.notes.append("an interrupted earlier run's load was finished first")


def _bar(progress: bool):
    from ..progress import progress_disabled

    if not progress or progress_disabled():
        return None
    from tqdm.auto import tqdm

    return tqdm(desc="sync analytics", unit="call", leave=False)


def _discard(pipeline) -> None:
    """Forget what this run extracted: pending load packages and the local state (the next run
    takes the state from the destination, where it was loaded with its rows)."""
    try:
        pipeline.abort_packages() if hasattr(pipeline, "abort_packages") else pipeline.drop_pending_packages()
        pipeline.drop()
    except Exception:  # nothing to clean is fine
        pass


def _result(log: RunLog, finished, calls: dict, where: str, dataset: str, changed: int) -> SyncResult:
    return SyncResult(log.run_id, log.status, log.synced, dict(log.failed), dict(log.rows), calls.get("calls", {}),
                      calls.get("throttled", {}), calls.get("retries", 0), log.started, finished, where, dataset,
                      changed, list(log.notes))


def _failed(log: RunLog, counter, where: str, dataset: str, what: str, exc: BaseException) -> SyncFailed:
    cause = _cause(exc)
    log.error = f"{type(cause).__name__}: {cause}"
    result = _result(log, dt.datetime.now(dt.UTC), counter.snapshot(), where, dataset, 0)
    message = (f"pintools sync: {what} ({where}, dataset {dataset}): {type(cause).__name__}: {cause}. "
               f"Nothing of this run was kept and no state advanced: the next run reads the same days again.")
    return SyncFailed(message, result)
