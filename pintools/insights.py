"""Research as DataFrames: keyword metrics, trending keywords, audience insights, targeting
options and bid floors.

>>> import pintools as pt
>>> pt.read_keyword_metrics(acct, ["velvet sofa", "boucle chair"], country_code="US")   # doctest: +SKIP
>>> trends = pt.read_trending_keywords("US", "growing", interests=["home_decor"])        # doctest: +SKIP
>>> trends.keywords.head(), trends.time_series.head()                                     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from .api._common import check_id, chunks
from .api.insights import MAX_KEYWORDS_PER_CALL

if TYPE_CHECKING:
    from .client import Client

GROWTH_CAP = 10000  # Pinterest caps growth at ±10000 %; 10001 means "more than 10000 %"
_BUCKET = re.compile(r"^\s*[<>]?\s*(\d+(?:\.\d+)?)\s*([KMB]?)", re.IGNORECASE)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from .client import default_client

    return default_client()


def volume_lower_bound(label: str | None) -> int | None:
    """The numeric lower bound of a search-volume bucket label.

    >>> [volume_lower_bound(x) for x in ["5M+", "100K-500K", "1K-10K", "<1K", "", None]]
    [5000000, 100000, 1000, 0, None, None]
    """
    if not label:
        return None
    text = str(label).strip()
    if text.startswith("<"):
        return 0
    m = _BUCKET.match(text)
    if not m:
        return None
    return int(float(m.group(1)) * _SCALE[m.group(2).upper()])


def read_keyword_metrics(
    ad_account_id: str,
    keywords: Sequence[str],
    *,
    country_code: str = "US",
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Search volume bucket for any number of keywords (2,000 a call).

    Columns: ``keyword``, ``country_code``, ``keyword_query_volume`` (an ordered categorical
    of Pinterest's bucket labels), ``volume_lower_bound`` (Int64). No CPC: Pinterest API 5.23's
    ``KeywordMetrics`` has ``keyword_query_volume`` only (5.12's ``avg_cpc_in_micro_currency`` is
    gone), so the frame has no CPC or currency column rather than an empty one. Keywords containing
    commas cannot travel in the API's comma-joined parameter and are refused up front, by name.

    >>> pt.read_keyword_metrics(acct, ["sofa"])        # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    if isinstance(keywords, str):
        keywords = [keywords]
    cleaned = list(dict.fromkeys(k.strip() for k in keywords if isinstance(k, str) and k.strip()))
    bad = [k for k in cleaned if "," in k]
    if bad:
        raise ValueError(f"{len(bad)} keyword(s) contain a comma, which the keyword metrics API cannot carry "
                         f"(it joins keywords with commas): {bad[:5]}. Remove or rephrase them.")
    rows: list[dict] = []
    for batch in chunks(cleaned, MAX_KEYWORDS_PER_CALL):
        data = c.insights.keyword_metrics(account, country_code, batch) or {}
        rows += list(data.get("data") or [])
    by_keyword = {str(r.get("keyword")): (r.get("metrics") or {}) for r in rows}
    labels = [by_keyword.get(k, {}).get("keyword_query_volume") for k in cleaned]
    order = sorted({lb for lb in labels if lb}, key=lambda lb: (volume_lower_bound(lb) or 0, lb))
    frame = pd.DataFrame({
        "keyword": pd.array(cleaned, dtype="string"),
        "country_code": pd.array([country_code.upper()] * len(cleaned), dtype="string"),
        "keyword_query_volume": pd.Categorical(labels, categories=order, ordered=True),
        "volume_lower_bound": pd.array([volume_lower_bound(lb) for lb in labels], dtype="Int64"),
    })
    return frame


class TrendingKeywords(NamedTuple):
    """``keywords``: one row per trending keyword; ``time_series``: one row per keyword and week."""

    keywords: pd.DataFrame
    time_series: pd.DataFrame


def read_trending_keywords(
    region: str = "US",
    trend_type: str = "growing",
    *,
    interests: Sequence[str] | None = None,
    genders: Sequence[str] | None = None,
    ages: Sequence[str] | None = None,
    normalize_against_group: bool = False,
    limit: int = 50,
    client: "Client | None" = None,
) -> TrendingKeywords:
    """Pinterest's trending keywords for a region (``"US"``, ``"GB+IE"``…) and trend type
    (``growing``, ``monthly``, ``yearly``, ``seasonal``).

    Growth columns are integer percent; Pinterest caps them at 10000 and sends 10001 for
    "more than 10000 %", which here sets ``…_over_cap`` to True (the value stays 10001).
    ``time_series`` is long: ``keyword``, ``week_ending`` (date), ``value`` (0..100).

    >>> kw, series = pt.read_trending_keywords("GB+IE", "monthly", limit=10)   # doctest: +SKIP
    """
    c = _client(client)
    data = c.insights.trending_keywords(region, trend_type, interests=interests, genders=genders, ages=ages,
                                        normalize_against_group=normalize_against_group, limit=limit) or {}
    trends = list(data.get("trends") or [])
    growth = ("pct_growth_wow", "pct_growth_mom", "pct_growth_yoy")
    columns: dict[str, Any] = {
        "rank": pd.array(range(1, len(trends) + 1), dtype="Int64"),
        "keyword": pd.array([t.get("keyword") for t in trends], dtype="string"),
    }
    for g in growth:
        values = [t.get(g) for t in trends]
        columns[g] = pd.array(values, dtype="Int64")
        columns[f"{g}_over_cap"] = pd.array([None if v is None else v > GROWTH_CAP for v in values], dtype="boolean")
    keywords = pd.DataFrame(columns)
    keywords.attrs["query"] = {"region": region, "trend_type": trend_type, "interests": interests,
                               "genders": genders, "ages": ages, "normalize_against_group": normalize_against_group}
    series_rows = []
    for t in trends:
        for day, value in sorted((t.get("time_series") or {}).items()):
            if day == "date" and not isinstance(value, (int, float)):
                continue
            series_rows.append((t.get("keyword"), dt.date.fromisoformat(day[:10]), value))
    series = pd.DataFrame({
        "keyword": pd.array([r[0] for r in series_rows], dtype="string"),
        "week_ending": pd.array([r[1] for r in series_rows], dtype="object"),
        "value": pd.array([r[2] for r in series_rows], dtype="Int64"),
    })
    return TrendingKeywords(keywords, series)


def read_audience_insights(
    ad_account_id: str,
    audience_insight_type: str = "YOUR_TOTAL_AUDIENCE",
    *,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Audience insights as one long frame: ``dimension`` (``category``, ``subcategory``,
    ``age``, ``gender``, ``device``, ``metro``, ``country``), ``key``, ``name``, ``ratio``,
    ``index`` (affinity; 1.2 = 20 % above baseline), and the ``parent_key``/``parent_name`` of
    subcategories. ``attrs`` hold ``size``, ``size_is_upper_bound``, ``date`` and ``type``.

    >>> pt.read_audience_insights(acct, "YOUR_ENGAGED_AUDIENCE").query("dimension == 'age'")  # doctest: +SKIP
    """
    c = _client(client)
    data = c.insights.audience_insights(check_id(ad_account_id, "ad_account_id"), audience_insight_type) or {}
    rows = []
    for cat in data.get("categories") or []:
        rows.append(("category", cat.get("key"), cat.get("name"), cat.get("ratio"), cat.get("index"), None, None))
        for sub in cat.get("subcategories") or []:
            rows.append(("subcategory", sub.get("key"), sub.get("name"), sub.get("ratio"), sub.get("index"),
                         cat.get("key"), cat.get("name")))
    demo = data.get("demographics") or {}
    for plural, dimension in (("ages", "age"), ("genders", "gender"), ("devices", "device"), ("metros", "metro"),
                              ("countries", "country")):
        for item in demo.get(plural) or []:
            rows.append((dimension, item.get("key"), item.get("name"), item.get("ratio"), None, None, None))
    frame = pd.DataFrame({
        "dimension": pd.array([r[0] for r in rows], dtype="string"),
        "key": pd.array([None if r[1] is None else str(r[1]) for r in rows], dtype="string"),
        "name": pd.array([r[2] for r in rows], dtype="string"),
        "ratio": pd.array([r[3] for r in rows], dtype="Float64"),
        "index": pd.array([r[4] for r in rows], dtype="Float64"),
        "parent_key": pd.array([None if r[5] is None else str(r[5]) for r in rows], dtype="string"),
        "parent_name": pd.array([r[6] for r in rows], dtype="string"),
    })
    frame.attrs.update({"type": data.get("type"), "date": data.get("date"), "size": data.get("size"),
                        "size_is_upper_bound": data.get("size_is_upper_bound"),
                        "audience_insight_type": audience_insight_type})
    return frame


def read_audience_definitions(ad_account_id: str, *, client: "Client | None" = None) -> pd.DataFrame:
    """Which audience (type, scope, date) definitions exist for the account."""
    c = _client(client)
    items = (c.insights.audience_definitions(check_id(ad_account_id, "ad_account_id")) or {}).get("items") or []
    return pd.DataFrame({
        "type": pd.array([i.get("type") for i in items], dtype="string"),
        "scope": pd.array([i.get("scope") for i in items], dtype="string"),
        "date": pd.array([dt.date.fromisoformat(i["date"]) if i.get("date") else None for i in items], dtype="object"),
    })


def read_targeting_options(targeting_type: str, *, client: "Client | None" = None) -> pd.DataFrame:
    """Valid targeting values of a type (``LOCATION``, ``INTEREST``, ``LOCALE``…) as ``id``/``label`` rows."""
    c = _client(client)
    data = c.insights.targeting_options(targeting_type) or []
    rows: list[tuple[str, str]] = []
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, Mapping):
            rows += [(str(k), str(v)) for k, v in item.items()]
    return pd.DataFrame({"id": pd.array([r[0] for r in rows], dtype="string"),
                         "label": pd.array([r[1] for r in rows], dtype="string")})


def read_bid_floors(
    ad_account_id: str,
    specs: "pd.DataFrame | Sequence[Mapping[str, Any]]",
    *,
    targeting_spec: Mapping[str, Any] | None = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """The minimum bid for each spec (``billable_event``, ``currency``, optional ``countries``,
    ``objective_type``, ``creative_type``…): the specs as a frame plus
    ``bid_floor_in_micro_currency`` (Int64).

    >>> pt.read_bid_floors(acct, [{"billable_event": "CLICKTHROUGH", "currency": "USD", "countries": ["US"]}])  # doctest: +SKIP
    """
    c = _client(client)
    records = specs.to_dict("records") if isinstance(specs, pd.DataFrame) else [dict(s) for s in specs]
    records = [{k: v for k, v in r.items() if not (not isinstance(v, (list, dict)) and pd.isna(v))} for r in records]
    for i, r in enumerate(records):
        missing = [k for k in ("billable_event", "currency") if not r.get(k)]
        if missing:
            raise ValueError(f"bid floor spec {i}: {', '.join(missing)} required")
    data = c.insights.bid_floors(check_id(ad_account_id, "ad_account_id"), records, targeting_spec) or {}
    floors = list(data.get("bid_floors") or [])
    if len(floors) != len(records):
        from .http.errors import BadResponse

        raise BadResponse(f"bid_floor answered {len(floors)} floors for {len(records)} specs")
    frame = pd.DataFrame(records) if records else pd.DataFrame({"billable_event": [], "currency": []})
    frame["bid_floor_in_micro_currency"] = pd.array(floors, dtype="Int64")
    return frame
