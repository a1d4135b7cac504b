"""``read_analytics`` and ``read_targeting_analytics``: Pinterest metrics as tidy DataFrames
with the fewest calls the API allows.

How a query becomes calls:

1. Arguments are checked before anything is sent (columns against Pinterest's list, dates,
   granularity, attribution windows, and the 5.23 rules of :mod:`pintools.analytics.v523`:
   no conversion columns by the HOUR, a warning for ``engagement_window_days``).
2. Ids default to every entity of the level in the account (or under given parents).
3. Ids go in batches of ``batch_size`` (250, the v5.23 limit; v5.12 took 100) and
   dates in the widest windows allowed (90 days sync, 3 days HOUR).
4. A range that starts further back than sync analytics reach goes through async reports
   (186-day windows, 500 ids a report). ``level="keyword"`` goes through ad group targeting
   analytics broken down by KEYWORD instead (:mod:`pintools.analytics.keyword_performance`).
5. The chunks run concurrently within the client's ``ads_analytics`` budget, with a progress
   bar; several ad accounts are fanned out in the same pool.

>>> import pintools as pt
>>> df = pt.read_analytics("549755885175", "2026-10-01", "2026-10-31", level="ad_group",
...                        columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH", "CTR"])  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..api._common import check_accounts, check_ids
from ..api.analytics import ATTRIBUTION_WINDOWS, CONVERSION_REPORT_TIMES
from ..frames.money import in_currency_units
from ..http.sandbox import SandboxUnavailable
from . import reports as async_reports
from .cache import ChunkCache
from .chunks import Chunk, plan_chunks, run_chunks
from .columns import check_columns
from .dates import resolve_range
from .settling import effective_attribution, finality, last_final_day
from .tidy import ID_FIELDS, tidy_frame
from .v523 import check_hour_columns, check_reporting_timezone, warn_engagement_window
from .windows import GRANULARITIES, Window, check_range, limits_for, needs_report, plan_windows

if TYPE_CHECKING:
    from ..client import Client

DEFAULT_COLUMNS = ("SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "CTR")
TARGETING_TYPES = ("KEYWORD", "APPTYPE", "GENDER", "LOCATION", "PLACEMENT", "COUNTRY", "TARGETED_INTEREST",
                   "PINNER_INTEREST", "AUDIENCE_INCLUDE", "GEO", "AGE_BUCKET", "REGION", "AGE_BUCKET_AND_GENDER")
#: 5.23's targeting breakdowns per level (the spec's Ads Analytics *TargetingType enums; several are in beta)
LEVEL_TARGETING_TYPES = {"ad_account": TARGETING_TYPES,
                         "campaign": (*TARGETING_TYPES, "CREATIVE_TYPE", "AUDIENCE_MULTIPLIER"),
                         "ad_group": (*TARGETING_TYPES, "CREATIVE_ENHANCEMENTS"),
                         "ad": (*TARGETING_TYPES, "QUIZ_RESULT")}


@dataclass(frozen=True)
class Attribution:
    """Conversion attribution settings (``None`` keeps Pinterest's default: click 30, engagement 30,
    view 1 day, time of ad action). Each window is one of 0, 1, 7, 14, 30, 60 days; Pinterest 5.23
    states no rule on combining them. ``engagement_window_days`` warns: since 5.23 it "no longer
    returns new data" (historic data through Sept 30, 2027).

    >>> Attribution(click_window_days=7).params()
    {'click_window_days': 7}
    """

    click_window_days: int | None = None
    engagement_window_days: int | None = None
    view_window_days: int | None = None
    conversion_report_time: str | None = None

    def __post_init__(self) -> None:
        for name in ("click_window_days", "engagement_window_days", "view_window_days"):
            value = getattr(self, name)
            if value is not None and value not in ATTRIBUTION_WINDOWS:
                raise ValueError(f"{name} must be one of {ATTRIBUTION_WINDOWS}, got {value!r}")
        if self.conversion_report_time is not None and self.conversion_report_time not in CONVERSION_REPORT_TIMES:
            raise ValueError(f"conversion_report_time must be one of {CONVERSION_REPORT_TIMES}")
        warn_engagement_window(self.engagement_window_days)

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class _Query:
    level: str
    columns: tuple[str, ...]
    granularity: str
    start: dt.date
    end: dt.date
    attribution: Attribution
    targeting_types: tuple[str, ...] = ()
    today: dt.date | None = None  # the API's today when the query was made (presets and finality use it)
    reporting_timezone: str | None = None  # 5.23 beta: PINTEREST_TIME_ZONE or AD_ACCOUNT_TIME_ZONE


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from ..client import default_client

    return default_client()


def _cache(cache: "bool | str | Path | ChunkCache | None") -> ChunkCache | None:
    if cache is None or cache is False:
        return None
    if cache is True:
        return ChunkCache()
    if isinstance(cache, ChunkCache):
        return cache
    return ChunkCache(cache)


def _level_ids(c: "Client", account: str, level: str, ids: Sequence[str] | None,
               campaign_ids: Sequence[str] | None, ad_group_ids: Sequence[str] | None) -> list[str] | None:
    """The ids to report on: given, or every entity of the level (all statuses) under the parents."""
    if level == "ad_account":
        return None
    if ids is not None:
        return check_ids(ids, "ids") or []
    service = {"campaign": c.campaigns, "ad_group": c.ad_groups, "ad": c.ads}[level]
    filters: dict[str, Any] = {}
    if ad_group_ids is not None and level == "ad":
        filters["ad_group_ids"] = ad_group_ids
    elif campaign_ids is not None and level != "campaign":
        filters["campaign_ids"] = campaign_ids
    elif campaign_ids is not None:
        return check_ids(campaign_ids, "campaign_ids")
    return [r["id"] for r in service.list(account, entity_statuses=list(_ALL_STATUSES), **filters)]


_ALL_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")


def _check(start_date, end_date, level, columns, granularity, attribution, *, report_ok: bool, today: dt.date,
           include_today: bool = False, reporting_timezone: str | None = None) -> _Query:
    if level not in ID_FIELDS:
        raise ValueError(f"level must be one of {', '.join(ID_FIELDS)}, got {level!r}")
    granularity = str(granularity).upper()
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    cols = tuple(check_columns(list(columns), report=report_ok))
    check_hour_columns(granularity, cols)
    timezone = check_reporting_timezone(reporting_timezone)
    start, end = resolve_range(start_date, end_date, today=today, include_today=include_today)
    return _Query(level, cols, granularity, start, end, attribution or Attribution(), today=today,
                  reporting_timezone=timezone)


def read_analytics(
    ad_account_id: str | Sequence[str],
    start_date: "dt.date | str" = "last_30_days",
    end_date: "dt.date | str | None" = None,
    *,
    include_today: bool = False,
    level: str = "campaign",
    columns: Sequence[str] = DEFAULT_COLUMNS,
    granularity: str = "DAY",
    ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    ad_group_ids: Sequence[str] | None = None,
    attribution: Attribution | None = None,
    reporting_timezone: str | None = None,
    currency_units: bool = False,
    names: bool = False,
    cache: "bool | str | Path | ChunkCache | None" = None,
    batch_size: int = 250,
    max_workers: int = 4,
    progress: bool = True,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Metrics for one or several ad accounts as a tidy frame.

    ``level``: ``ad_account``, ``campaign``, ``ad_group``, ``ad`` or ``keyword`` (keyword: ad group
    targeting analytics by KEYWORD joined to the keywords, 90 days back, sync columns, no ``ids`` or
    cache; see :mod:`pintools.analytics.keyword_performance`). ``ids`` picks entities of the level;
    by default all of them in the account, or under ``campaign_ids`` / ``ad_group_ids``. Every row has the account's
    ``currency``; ``currency_units`` shows the money columns in currency units, named without the
    suffix (``SPEND_IN_MICRO_DOLLAR`` → ``SPEND``, see :func:`pintools.in_currency_units`); ``names`` adds the entity's name;
    ``cache`` (True, a folder or a :class:`ChunkCache`) reuses days that are final.
    ``reporting_timezone`` (Pinterest 5.23, closed beta): ``"PINTEREST_TIME_ZONE"`` or
    ``"AD_ACCOUNT_TIME_ZONE"``, sent with every call; None leaves Pinterest's default. ``batch_size``:
    ids per call (250, the 5.23 limit). Conversion columns with ``granularity="HOUR"`` are refused
    (5.23 returns no hourly conversion data).

    Dates: ``start_date`` is a date, ``'YYYY-MM-DD'`` or a preset (``"yesterday"``,
    ``"last_7_days"``, ``"last_14_days"``, ``"last_30_days"`` (the default), ``"last_90_days"``,
    ``"this_month"``, ``"month_to_date"``, ``"last_month"``; see :mod:`pintools.analytics.dates`),
    resolved on the API's clock. Ranges end yesterday, the last complete day, unless
    ``end_date`` is given or ``include_today=True``. ``date`` is ``datetime64``.

    ``is_final`` says whether a row's days are past the attribution window (conversions can still
    be attributed to the others; :mod:`pintools.analytics.settling`). ``df.attrs["query"]``
    records the query — with the attribution windows used and ``final_through`` — and
    ``df.attrs["calls"]`` the calls made.

    >>> pt.read_analytics(acct, "last_7_days", level="ad_group")                 # doctest: +SKIP
    """
    c = _client(client)
    query = _check(start_date, end_date, level, columns, granularity, attribution, report_ok=True, today=c.today(),
                   include_today=include_today, reporting_timezone=reporting_timezone)
    if query.level == "keyword":  # no report column names a keyword: KEYWORD targeting analytics do
        from .keyword_performance import keyword_level

        return keyword_level(c, ad_account_id, query, ids=ids, campaign_ids=campaign_ids, ad_group_ids=ad_group_ids,
                             currency_units=currency_units, names=names, cache=cache, batch_size=batch_size,
                             max_workers=max_workers, progress=progress)
    return _read(c, check_accounts(ad_account_id), query, ids, campaign_ids, ad_group_ids, currency_units, names,
                 _cache(cache), batch_size, max_workers, progress)


def read_targeting_analytics(
    ad_account_id: str | Sequence[str],
    start_date: "dt.date | str" = "last_7_days",
    end_date: "dt.date | str | None" = None,
    *,
    targeting_types: Sequence[str],
    include_today: bool = False,
    level: str = "ad_account",
    columns: Sequence[str] = DEFAULT_COLUMNS,
    granularity: str = "TOTAL",
    ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    ad_group_ids: Sequence[str] | None = None,
    attribution: Attribution | None = None,
    reporting_timezone: str | None = None,
    currency_units: bool = False,
    batch_size: int = 250,
    max_workers: int = 4,
    progress: bool = True,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Metrics broken down by targeting (age, gender, country, keyword, interest…) as a long frame:
    id and date columns, then ``targeting_type`` and ``targeting_value``, then the metrics.

    >>> pt.read_targeting_analytics(acct, "2026-11-01", "2026-11-07", targeting_types=["GENDER", "AGE_BUCKET"])  # doctest: +SKIP
    """
    c = _client(client)
    if level == "keyword":
        raise ValueError("targeting analytics exist for ad_account, campaign, ad_group and ad levels")
    types = tuple(str(t).upper() for t in ([targeting_types] if isinstance(targeting_types, str) else targeting_types))
    allowed = LEVEL_TARGETING_TYPES.get(level, TARGETING_TYPES)
    unknown = [t for t in types if t not in allowed]
    if unknown or not types:
        raise ValueError(f"targeting_types at level {level!r} must be among {', '.join(allowed)}; "
                         f"got {list(types) or 'none'}")
    query = _check(start_date, end_date, level, columns, granularity, attribution, report_ok=False,
                   today=c.today(), include_today=include_today, reporting_timezone=reporting_timezone)
    query = _Query(**{**query.__dict__, "targeting_types": types})
    return _read(c, check_accounts(ad_account_id), query, ids, campaign_ids, ad_group_ids, currency_units, False,
                 None, batch_size, max_workers, progress)


@dataclass(frozen=True)
class _Job:
    account: str
    chunk: Chunk
    report: bool


def _read(c, accounts, query: _Query, ids, campaign_ids, ad_group_ids, currency_units, names, cache,
          batch_size, max_workers, progress) -> pd.DataFrame:
    today = query.today or c.today()
    check_range(query.start, query.end, today=today)
    use_report = needs_report(query.start, query.granularity, today=today)
    if use_report and getattr(c, "sandbox", False):
        reach = limits_for(query.granularity, report=False).lookback_days
        raise SandboxUnavailable.for_operation(
            "analytics/create_report", instead=f"start_date {query.start} is older than sync analytics reach "
            f"({reach} days), which needs async reports; start on or after {today - dt.timedelta(days=reach)}")
    if use_report and query.targeting_types:
        raise ValueError(f"targeting breakdowns reach back {90 if query.granularity != 'HOUR' else 8} days "
                         f"through sync analytics; start_date {query.start} is older")
    if not use_report:
        check_columns(list(query.columns), report=False)  # async-only columns need an old range
    windows = plan_windows(query.start, query.end, granularity=query.granularity, today=today, report=use_report)
    last_final = last_final_day(today, query.attribution.params())
    if cache and not use_report:
        boundary = last_final if cache.fresh_days is None else \
            min(last_final, today - dt.timedelta(days=cache.fresh_days + 1))
        windows = _split_for_cache(windows, boundary)

    jobs: list[_Job] = []
    for account in accounts:
        level_ids = _level_ids(c, account, query.level, ids, campaign_ids, ad_group_ids)
        if level_ids == []:
            continue
        size = async_reports.MAX_IDS_PER_REPORT if use_report else batch_size
        jobs += [_Job(account, chunk, use_report) for chunk in plan_chunks(level_ids, windows, batch_size=size)]

    def fetch(job: _Job) -> list[dict]:
        key = _cache_key(c, job, query)
        if cache is not None and not job.report:
            hit = cache.get(key)
            if hit is not None:
                return hit
        rows = _fetch_report(c, job, query) if job.report else _fetch_sync(c, job, query)
        if cache is not None and not job.report:
            cache.put(key, rows, window_end=job.chunk.window.end, today=today, last_final=last_final)
        return rows

    results = run_chunks(jobs, fetch, max_workers=max_workers, progress=progress,
                         description="analytics reports" if use_report else "analytics")
    frames = []
    for account in accounts:
        rows = [row for job, part in zip(jobs, results, strict=False) if job.account == account for row in part]
        frames.append(_to_frame(rows, account, query, c.currency_of(account)))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if names and query.level != "ad_account":
        frame = _join_names(c, frame, accounts, query.level)
    frame = finality(frame, granularity=query.granularity, query_end=query.end, today=today,
                     params=query.attribution.params())
    if currency_units:
        frame = in_currency_units(frame)
    frame.attrs["query"] = {
        "ad_account_ids": accounts, "level": query.level, "start_date": query.start.isoformat(),
        "end_date": query.end.isoformat(), "granularity": query.granularity, "columns": list(query.columns),
        "attribution": effective_attribution(query.attribution.params()),
        "final_through": last_final.isoformat(),
        "targeting_types": list(query.targeting_types),
        "reporting_timezone": query.reporting_timezone,
        "path": "async reports" if use_report else "sync analytics",
    }
    frame.attrs["calls"] = len(jobs)
    return frame


def _split_for_cache(windows: list[Window], boundary: dt.date) -> list[Window]:
    """Cut windows after ``boundary`` (the last final day), so final days are cached on their own."""
    out = []
    for w in windows:
        if w.start <= boundary < w.end:
            out += [Window(w.start, boundary), Window(boundary + dt.timedelta(days=1), w.end)]
        else:
            out.append(w)
    return out


def _cache_key(c, job: _Job, query: _Query) -> dict:
    return {"base_url": c.requestor.base_url, "account": job.account, "level": query.level,
            "ids": list(job.chunk.ids) if job.chunk.ids else None, "window": str(job.chunk.window),
            "columns": list(query.columns), "granularity": query.granularity,
            "attribution": query.attribution.params(), "targeting_types": list(query.targeting_types),
            **({"reporting_timezone": query.reporting_timezone} if query.reporting_timezone else {})}


def _fetch_sync(c, job: _Job, query: _Query) -> list[dict]:
    w = job.chunk.window
    args = dict(ids=list(job.chunk.ids) if job.chunk.ids else None, start_date=w.start.isoformat(),
                end_date=w.end.isoformat(), columns=list(query.columns), granularity=query.granularity,
                **query.attribution.params(),
                **({"reporting_timezone": query.reporting_timezone} if query.reporting_timezone else {}))
    if not query.targeting_types:
        return c.analytics.sync(query.level, job.account, **args)
    rows = []
    for item in c.analytics.targeting(query.level, job.account, targeting_types=list(query.targeting_types), **args):
        metrics = dict(item.get("metrics") or {})
        metrics["__targeting_type"] = item.get("targeting_type")
        value = item.get("targeting_value")
        metrics["__targeting_value"] = None if value is None else str(value)
        rows.append(metrics)
    return rows


def _fetch_report(c, job: _Job, query: _Query) -> list[dict]:
    w = job.chunk.window
    body = async_reports.report_body(
        level=query.level, start_date=w.start.isoformat(), end_date=w.end.isoformat(), columns=query.columns,
        granularity=query.granularity, ids=list(job.chunk.ids) if job.chunk.ids else None,
        attribution=query.attribution.params(), reporting_timezone=query.reporting_timezone)
    created = c.reports.create(job.account, body)
    token = (created or {}).get("token")
    if not token:
        raise async_reports.ReportFailed(f"Creating the report gave no token: {(created or {}).get('message')}",
                                         report_status=str((created or {}).get("report_status")), token=None)
    content = async_reports.wait_for_report(c.reports, job.account, token)
    return async_reports.parse_report_file(content)


def _to_frame(rows: list[dict], account: str, query: _Query, currency: str) -> pd.DataFrame:
    extra = None
    if query.targeting_types:
        extra = {"targeting_type": pd.array([r.pop("__targeting_type", None) for r in rows], dtype="string"),
                 "targeting_value": pd.array([r.pop("__targeting_value", None) for r in rows], dtype="string")}
    frame = tidy_frame(rows, level=query.level, columns=query.columns, granularity=query.granularity,
                       ad_account_id=account, currency=currency, extra=extra)
    if query.targeting_types and len(frame):
        keys = [k for k in (ID_FIELDS[query.level][1], "date", "targeting_type", "targeting_value")
                if k is not None and k in frame.columns]
        frame = frame.sort_values(keys, kind="stable", ignore_index=True)
    return frame


def _join_names(c, frame: pd.DataFrame, accounts: list[str], level: str) -> pd.DataFrame:
    from ..entities import read_ad_groups, read_ads, read_campaigns

    reader = {"campaign": read_campaigns, "ad_group": read_ad_groups, "ad": read_ads}[level]
    id_column = ID_FIELDS[level][1]
    names = pd.concat([reader(a, statuses="all", client=c)[["id", "name"]] for a in accounts], ignore_index=True)
    mapping = dict(zip(names["id"], names["name"], strict=False))
    frame = frame.copy()
    position = list(frame.columns).index(id_column) + 1
    frame.insert(position, f"{level}_name", pd.array(frame[id_column].map(mapping), dtype="string"))
    return frame
