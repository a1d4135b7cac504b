"""Keyword performance: targeting analytics broken down by ``KEYWORD`` per ad group, joined to
the ad groups' keywords.

Why this path. Pinterest has no keyword analytics endpoint, and no report column of either spec
(561 names in v5.12.0, 613 in v5.23.0) names a keyword: no ``KEYWORD_ID``, no keyword text. So
rows of an async ``level: KEYWORD`` report cannot say which keyword they are. Targeting analytics
can: ``ad_groups_targeting_analytics/get`` with ``targeting_types=KEYWORD`` answers items
``{targeting_type, targeting_value, metrics: {AD_GROUP_ID, DATE, …}}``. The spec documents KEYWORD
for all four targeting levels (ad account, campaign, ad group, ad); keywords hang off ad groups,
so the ad group is the level where a value can be joined to a keyword id.

What ``targeting_value`` holds. The spec's only example is a keyword's text
(``"christmas decor ideas"``). It says nothing about match types, or about two keywords with one
text. So pintools does not rely on one reading. Each value is read in every way below, and a
reading counts only when it names a live keyword of the row's ad group:

* the text, compared after Unicode NFKC, casefolding and collapsing whitespace;
* a match type stated in Ads Manager notation (``[text]`` EXACT, ``"text"`` PHRASE), or by name
  (``text (EXACT)``, ``text [EXACT]``, ``text|EXACT``, ``text: EXACT``, ``EXACT: text``);
* a keyword id: a number equal to one of the ad group's keyword ids.

A value joins a keyword when exactly one keyword fits it. If several fit, but all except one
already have a value of their own in the same ad group (say ``"velvet sofa"`` names the PHRASE
keyword, so a bare ``velvet sofa`` must be the BROAD one), the value joins that one, "by
elimination". Otherwise ``keyword_id`` is NA, ``match`` says
``"ambiguous: 2 keywords 'velvet sofa' (BROAD, PHRASE)"``, and a :class:`KeywordJoinWarning` lists
such rows. A value that fits no live keyword is ``"unmatched: …"``; archived keywords drop out of
keyword lists. Nothing is guessed.

Limits: targeting analytics are sync. They reach 90 days back (8 for HOUR), cover at most 90
calendar days (3 for HOUR) per call, take the sync analytics columns, and take ``batch_size`` ad
groups per call (100 in v5.12.0, 250 in v5.23.0). Longer ranges are split into windows; older
ones are refused with the reason.

Frame: ``ad_account_id``, ``currency``, ``ad_group_id`` (``ad_group_name`` with ``names``),
``keyword_id``, ``date`` (unless TOTAL), ``keyword``, ``match_type``, ``match``,
``targeting_value`` (as Pinterest sent it), ``is_final`` (:mod:`pintools.analytics.settling`),
then the metrics. ``read_analytics(level="keyword")`` gives the same frame.

>>> import pintools as pt
>>> df = pt.read_analytics("549755885175", "last_7_days", level="keyword", names=True)  # doctest: +SKIP
>>> df = read_keyword_performance("549755885175", "2026-11-01", "2026-11-07",
...                               columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH"])  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from ..api._common import check_accounts, check_ids
from ..frames.money import in_currency_units
from .chunks import Chunk, plan_chunks, run_chunks
from .columns import ASYNC_COLUMNS, SYNC_COLUMNS, check_columns
from .dates import resolve_range
from .settling import effective_attribution, finality, last_final_day
from .tidy import tidy_frame
from .windows import GRANULARITIES, check_range, needs_report, plan_windows

if TYPE_CHECKING:
    from ..client import Client

DEFAULT_COLUMNS = ("SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "CTR")
MATCH_TYPES = ("BROAD", "PHRASE", "EXACT")  # positive match types: the negatives never deliver
_ALL_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
_TYPES = "BROAD|PHRASE|EXACT"
_STATED = (re.compile(rf"^(?P<text>.+?)\s*(?:\(\s*(?P<a>{_TYPES})\s*\)|\[\s*(?P<b>{_TYPES})\s*\]|"
                      rf"[|:]\s*(?P<c>{_TYPES}))$", re.IGNORECASE),
           re.compile(rf"^(?P<a>{_TYPES})\s*[|:]\s*(?P<text>.+)$", re.IGNORECASE))


class KeywordJoinWarning(UserWarning):
    """Some keyword values could not be joined to one keyword id (see the frame's ``match``)."""


class Join(NamedTuple):
    """How one ``targeting_value`` of one ad group joined its keywords."""

    keyword_id: str | None
    keyword: str
    match_type: str | None
    match: str


def normalise(text: str) -> str:
    """Keyword text as compared: Unicode NFKC, casefolded, whitespace runs made one space.

    >>> normalise("  Velvet\\tSOFA ")
    'velvet sofa'
    """
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def readings(value: Any) -> list[tuple[str, str, str | None]]:
    """Every way a KEYWORD ``targeting_value`` may be read: ``(kind, text or id, match type)``,
    kind ``text``, ``stated`` (a match type is stated) or ``id``.

    >>> readings("[velvet sofa]")
    [('text', '[velvet sofa]', None), ('stated', 'velvet sofa', 'EXACT')]
    >>> readings("velvet sofa (phrase)")[1], readings(2886364308355)[1]
    (('stated', 'velvet sofa', 'PHRASE'), ('id', '2886364308355', None))
    """
    text = str(value).strip()
    out: list[tuple[str, str, str | None]] = [("text", text, None)]
    if len(text) > 2 and text[0] == "[" and text[-1] == "]":
        out.append(("stated", text[1:-1], "EXACT"))
    if len(text) > 2 and text[0] == text[-1] == '"':
        out.append(("stated", text[1:-1], "PHRASE"))
    for pattern in _STATED:
        found = pattern.match(text)
        if found:
            match_type = next(t for t in (found.groupdict().get(k) for k in "abc") if t)
            out.append(("stated", found["text"], match_type.upper()))
    if text.isdigit():
        out.append(("id", text, None))
    return out


_HOW = {"id": "by keyword id", "stated": "by text and match type", "text": "by text"}


def _fits(value: Any, keywords: Sequence[Mapping[str, Any]]) -> tuple[dict[str, tuple[Mapping, str]], str]:
    """The ad group's keywords a value fits (``{id: (keyword, reading kind)}``) and the text read."""
    fits: dict[str, tuple[Mapping, str]] = {}
    shown = str(value)
    for kind, text, match_type in readings(value):
        wanted = normalise(text)
        for kw in keywords:
            if kind == "id":
                ok = str(kw["id"]) == text
            else:
                ok = normalise(kw["value"]) == wanted and match_type in (None, kw["match_type"])
            if ok and str(kw["id"]) not in fits:
                fits[str(kw["id"])] = (kw, kind)
                shown = text if shown == str(value) and kind != "id" else shown
    return fits, shown


def join_keywords(values: Iterable[Any], keywords: Sequence[Mapping[str, Any]]) -> dict[str, Join]:
    """Join the KEYWORD values of one ad group to its live keywords (``id``, ``value``,
    ``match_type``): ``{str(value): Join}``; never a guess (see the module docstring).

    >>> kws = [{"id": "1", "value": "Velvet Sofa", "match_type": "BROAD"},
    ...        {"id": "2", "value": "velvet sofa", "match_type": "PHRASE"},
    ...        {"id": "3", "value": "jute rug", "match_type": "EXACT"}]
    >>> join_keywords(["velvet sofa", "jute rug"], kws)["velvet sofa"].match
    "ambiguous: 2 keywords 'velvet sofa' (BROAD, PHRASE)"
    >>> joined = join_keywords(['"velvet sofa"', "velvet sofa", "[jute rug]"], kws)
    >>> [(j.keyword_id, j.match_type, j.match) for j in joined.values()]
    [('2', 'PHRASE', 'by text and match type'), ('1', 'BROAD', 'by elimination'), ('3', 'EXACT', 'by text and match type')]
    """
    live = [k for k in keywords if k.get("match_type") in MATCH_TYPES and not k.get("archived")]
    found = {str(v): _fits(v, live) for v in dict.fromkeys(values)}
    fits = {key: dict(f) for key, (f, _) in found.items()}
    eliminated: set[str] = set()
    changed = True
    while changed:  # a keyword another value names alone is not this value's keyword
        changed = False
        claimed = {kid: key for key, f in fits.items() if len(f) == 1 for kid in f}
        for key, f in fits.items():
            rest = {kid: hit for kid, hit in f.items() if claimed.get(kid, key) == key}
            if len(f) > 1 and 0 < len(rest) < len(f):
                fits[key], changed = rest, True
                eliminated.add(key)
    out = {}
    for key, f in fits.items():
        shown = found[key][1]
        if len(f) == 1:
            kid, (kw, kind) = next(iter(f.items()))
            how = "by elimination" if key in eliminated else _HOW[kind]
            out[key] = Join(kid, str(kw["value"]), str(kw["match_type"]), how)
        elif f:
            types = sorted((kw["match_type"] for kw, _ in f.values()), key=MATCH_TYPES.index)
            out[key] = Join(None, shown, types[0] if len(set(types)) == 1 else None,
                            f"ambiguous: {len(f)} keywords {shown!r} ({', '.join(types)})")
        else:
            out[key] = Join(None, shown, None, f"unmatched: no live keyword of the ad group fits {key!r}")
    return out


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from ..client import default_client

    return default_client()


def _attribution(attribution: Any) -> dict[str, Any]:
    if attribution is None:
        return {}
    return dict(attribution.params() if hasattr(attribution, "params") else attribution)


def _columns(columns: Sequence[str]) -> list[str]:
    wanted = [columns] if isinstance(columns, str) else list(columns)
    async_only = [c for c in wanted if str(c).strip().upper() in set(ASYNC_COLUMNS) - set(SYNC_COLUMNS)]
    if async_only:
        raise ValueError(f"{', '.join(map(str, async_only))} exist only in async reports, and keyword performance "
                         f"comes from targeting analytics, which take the sync analytics columns")
    return check_columns(wanted, report=False)


def _check_dates(start: dt.date, end: dt.date, granularity: str, today: dt.date) -> None:
    check_range(start, end, today=today)
    if needs_report(start, granularity, today=today):
        reach = 8 if granularity == "HOUR" else 90
        raise ValueError(
            f"start_date {start} is {(today - start).days} days before today ({today} UTC): keyword performance "
            f"comes from targeting analytics (targeting_types=KEYWORD), which reach back {reach} days. Async "
            f"reports reach further, but none of their columns names the keyword, so older keyword performance "
            f"cannot be told apart per keyword")


def _group_ids(c: "Client", account: str, ad_group_ids, campaign_ids) -> list[str]:
    if ad_group_ids is not None:
        return check_ids(ad_group_ids, "ad_group_ids") or []
    filters = {"campaign_ids": check_ids(campaign_ids, "campaign_ids")} if campaign_ids is not None else {}
    return [r["id"] for r in c.ad_groups.list(account, entity_statuses=list(_ALL_STATUSES), **filters)]


def read_keyword_performance(
    ad_account_id: str | Sequence[str],
    start_date: "dt.date | str" = "last_30_days",
    end_date: "dt.date | str | None" = None,
    *,
    include_today: bool = False,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    granularity: str = "DAY",
    ad_group_ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    attribution: Any = None,
    currency_units: bool = False,
    names: bool = False,
    batch_size: int = 250,
    max_workers: int = 4,
    progress: bool = True,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Metrics per keyword of the ad groups (all of them by default, or ``ad_group_ids``, or those
    under ``campaign_ids``): ad group KEYWORD targeting analytics joined to the keywords.

    Dates as in :func:`pintools.read_analytics` (a preset, or dates; ranges end yesterday unless
    ``end_date`` or ``include_today``), within targeting analytics' 90 days back (8 for HOUR).
    ``attribution``: a :class:`pintools.Attribution` (or its ``params()`` dict). ``names`` adds
    ``ad_group_name``; keyword text and match type are always there. ``df.attrs["calls"]`` counts
    the calls made, and ``df.attrs["keyword_join"]`` counts the rows by how they were joined.

    >>> from pintools.analytics.keyword_performance import read_keyword_performance
    >>> df = read_keyword_performance(acct, "2026-11-01", "2026-11-07", names=True)  # doctest: +SKIP
    >>> df[["ad_group_name", "keyword", "match_type", "keyword_id", "SPEND_IN_MICRO_DOLLAR"]]  # doctest: +SKIP
    """
    c = _client(client)
    granularity = str(granularity).upper()
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    cols = _columns(columns)
    today = c.today()
    start, end = resolve_range(start_date, end_date, today=today, include_today=include_today)
    _check_dates(start, end, granularity, today)
    windows = plan_windows(start, end, granularity=granularity, today=today)
    params = _attribution(attribution)
    accounts = check_accounts(ad_account_id)
    jobs = [(a, chunk) for a in accounts
            for chunk in plan_chunks(_group_ids(c, a, ad_group_ids, campaign_ids), windows, batch_size=batch_size)]

    def fetch(job: tuple[str, Chunk]) -> list[dict]:
        account, chunk = job
        items = c.analytics.targeting("ad_group", account, ids=list(chunk.ids or ()), targeting_types=["KEYWORD"],
                                      start_date=chunk.window.start.isoformat(), end_date=chunk.window.end.isoformat(),
                                      columns=cols, granularity=granularity, **params)
        rows = []
        for item in items:
            if item.get("targeting_type") not in (None, "KEYWORD"):
                continue
            metrics = dict(item.get("metrics") or {})
            if metrics.get("AD_GROUP_ID") is None and chunk.ids and len(chunk.ids) == 1:
                metrics["AD_GROUP_ID"] = chunk.ids[0]  # one ad group asked: the row is its
            metrics["__value"] = item.get("targeting_value")
            rows.append(metrics)
        return rows

    results = run_chunks(jobs, fetch, max_workers=max_workers, progress=progress, description="keyword analytics")
    frames, joins, calls = [], [], len(jobs)
    for account in accounts:
        rows = [r for (a, _), part in zip(jobs, results, strict=True) if a == account for r in part]
        frame, account_joins, lists = _account_frame(c, account, rows, cols, granularity, max_workers,
                                                     c.currency_of(account))
        frames.append(frame)
        joins += account_joins
        calls += lists
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if names:
        frame = _with_group_names(c, frame, accounts)
    frame = finality(frame, granularity=granularity, query_end=end, today=today, params=params)
    if currency_units:
        frame = in_currency_units(frame)
    _warn(joins)
    frame.attrs["query"] = {
        "ad_account_ids": accounts, "level": "keyword", "start_date": start.isoformat(), "end_date": end.isoformat(),
        "granularity": granularity, "columns": cols, "attribution": effective_attribution(params),
        "final_through": last_final_day(today, params).isoformat(), "targeting_types": ["KEYWORD"],
        "path": "targeting analytics (ad_groups_targeting_analytics/get, KEYWORD)",
    }
    frame.attrs["calls"] = calls
    frame.attrs["keyword_join"] = frame["match"].str.split(":").str[0].value_counts().to_dict() if len(frame) else {}
    return frame


def _account_frame(c, account: str, rows: list[dict], cols: list[str], granularity: str, max_workers: int,
                   currency: str) -> tuple[pd.DataFrame, list[tuple[str, str, Join]], int]:
    """One account's tidy frame, its non-joined values ``(ad group, value, Join)`` and keyword list calls."""
    from ..entities import read_keywords

    groups = sorted({str(r["AD_GROUP_ID"]) for r in rows if r.get("AD_GROUP_ID") is not None})
    keywords = read_keywords(account, ad_group_ids=groups, max_workers=max_workers, client=c) if groups else None
    by_group: dict[str, list[dict]] = {g: [] for g in groups}
    if keywords is not None and len(keywords):
        for kw in keywords[["id", "parent_id", "value", "match_type"]].to_dict("records"):
            by_group.setdefault(str(kw["parent_id"]), []).append(kw)
    joined: dict[str, dict[str, Join]] = {}
    for group in groups:
        values = [r["__value"] for r in rows if str(r.get("AD_GROUP_ID")) == group]
        joined[group] = join_keywords(values, by_group.get(group, []))
    problems = [(g, v, j) for g, values in joined.items() for v, j in values.items() if j.keyword_id is None]
    picked = []
    for r in rows:
        j = joined.get(str(r.get("AD_GROUP_ID")), {}).get(str(r["__value"]))
        if j is None:  # several ad groups asked and the row leaves AD_GROUP_ID out
            j = Join(None, str(r["__value"]), None, "unmatched: the row names no ad group")
            problems.append(("?", str(r["__value"]), j))
        picked.append(j)
    extra = {"keyword_id": pd.array([j.keyword_id for j in picked], dtype="string"),
             "keyword": pd.array([j.keyword for j in picked], dtype="string"),
             "match_type": pd.array([j.match_type for j in picked], dtype="string"),
             "match": pd.array([j.match for j in picked], dtype="string"),
             "targeting_value": pd.array([None if r["__value"] is None else str(r["__value"]) for r in rows],
                                         dtype="string")}
    for r in rows:
        r.pop("__value")
    frame = tidy_frame(rows, level="ad_group", columns=cols, granularity=granularity, ad_account_id=account,
                       currency=currency, extra=extra)
    head = ["ad_account_id", "currency", "ad_group_id", "keyword_id"] + (["date"] if "date" in frame.columns else [])
    frame = frame[head + [c for c in frame.columns if c not in head]]
    if len(frame):
        keys = ["ad_group_id", "keyword", "match_type", "targeting_value"] + head[4:]
        frame = frame.sort_values(keys, kind="stable", ignore_index=True)
    return frame, problems, len(groups)


def _with_group_names(c, frame: pd.DataFrame, accounts: list[str]) -> pd.DataFrame:
    from ..entities import read_ad_groups

    ids = sorted(set(frame["ad_group_id"].dropna()))
    mapping: dict[str, str] = {}
    for account in accounts if ids else []:
        groups = read_ad_groups(account, ids=ids, statuses="all", client=c)
        mapping.update(zip(groups["id"], groups["name"], strict=True))
    frame = frame.copy()
    position = list(frame.columns).index("ad_group_id") + 1
    frame.insert(position, "ad_group_name", pd.array(frame["ad_group_id"].map(mapping), dtype="string"))
    return frame


def _warn(problems: list[tuple[str, str, Join]]) -> None:
    if not problems:
        return
    lines = [f"ad group {g}: {v!r} → {j.match}" for g, v, j in problems[:20]]
    more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
    warnings.warn(KeywordJoinWarning(
        f"{len(problems)} keyword value(s) could not be joined to one keyword id, so their rows have keyword_id "
        f"NA (the match column says why; nothing was guessed):\n" + "\n".join(lines) + more), stacklevel=3)


def keyword_level(c: "Client", ad_account_id: Any, query: Any, *, ids, campaign_ids, ad_group_ids, currency_units,
                  names, cache, batch_size, max_workers, progress) -> pd.DataFrame:
    """``read_analytics(level="keyword")``: :func:`read_keyword_performance` for a checked query
    (``start``, ``end``, ``columns``, ``granularity``, ``attribution``), refusing what it cannot do.

    >>> keyword_level(None, "1", None, ids=["5"], campaign_ids=None, ad_group_ids=None,  # doctest: +ELLIPSIS
    ...               currency_units=False, names=False, cache=None, batch_size=250, max_workers=1, progress=False)
    Traceback (most recent call last):
    ...
    ValueError: level='keyword' cannot pick keywords by ids: ...
    """
    if ids is not None:
        raise ValueError("level='keyword' cannot pick keywords by ids: keyword performance comes from ad group "
                         "targeting analytics (targeting_types=KEYWORD); give ad_group_ids or campaign_ids and "
                         "filter the frame's keyword_id")
    if cache not in (None, False):
        raise ValueError("level='keyword' keeps no chunk cache (its rows are joined to keywords read at call time); "
                         "call it without cache")
    return read_keyword_performance(
        ad_account_id, query.start, query.end, columns=query.columns, granularity=query.granularity,
        ad_group_ids=ad_group_ids, campaign_ids=campaign_ids, attribution=query.attribution,
        currency_units=currency_units, names=names, batch_size=batch_size, max_workers=max_workers,
        progress=progress, client=c)
