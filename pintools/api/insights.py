"""Research endpoints: keyword metrics, trending keywords, audience insights, targeting
options and bid floors. One method per endpoint, plain dicts back.

>>> client.insights.keyword_metrics("549755885175", "US", ["sofa", "velvet sofa"])   # doctest: +SKIP
{'data': [{'keyword': 'sofa', 'metrics': {...}}, ...]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ..http.requestor import Requestor
from ._common import check_enum, check_id

TREND_REGIONS = ("US", "CA", "DE", "FR", "ES", "IT", "DE+AT+CH", "GB+IE", "IT+ES+PT+GR+MT", "PL+RO+HU+SK+CZ",
                 "SE+DK+FI+NO", "NL+BE+LU", "AR", "BR", "CO", "MX", "MX+AR+CO+CL", "AU+NZ")
TREND_TYPES = ("growing", "monthly", "yearly", "seasonal")
TREND_INTERESTS = ("animals", "architecture", "art", "beauty", "childrens_fashion", "design", "diy_and_crafts",
                   "education", "electronics", "entertainment", "event_planning", "finance", "food_and_drinks",
                   "gardening", "health", "home_decor", "mens_fashion", "parenting", "quotes", "sport", "travel",
                   "vehicles", "wedding", "womens_fashion")
TREND_GENDERS = ("female", "male", "unknown")
TREND_AGES = ("18-24", "25-34", "35-44", "45-49", "50-54", "55-64", "65+")
AUDIENCE_INSIGHT_TYPES = ("YOUR_TOTAL_AUDIENCE", "YOUR_ENGAGED_AUDIENCE", "PINTEREST_TOTAL_AUDIENCE")
TARGETING_TYPES = ("APPTYPE", "GENDER", "LOCALE", "AGE_BUCKET", "LOCATION", "GEO", "INTEREST", "KEYWORD",
                   "AUDIENCE_INCLUDE", "AUDIENCE_EXCLUDE")
MAX_KEYWORDS_PER_CALL = 2000


class Insights:
    """Keyword metrics, trends, audience insights, targeting options, bid floors."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Insights()"

    def keyword_metrics(self, ad_account_id: str, country_code: str, keywords: Sequence[str]) -> dict:
        """``GET /ad_accounts/{id}/keywords/metrics`` for up to 2,000 keywords (comma-joined,
        so a keyword may not contain a comma)."""
        account = check_id(ad_account_id, "ad_account_id")
        if not 1 <= len(keywords) <= MAX_KEYWORDS_PER_CALL:
            raise ValueError(f"keyword metrics take 1 to {MAX_KEYWORDS_PER_CALL} keywords a call, got {len(keywords)}")
        bad = [k for k in keywords if "," in k]
        if bad:
            raise ValueError(f"keywords containing commas cannot be sent (the API joins keywords with commas): "
                             f"{bad[:5]}")
        country = str(country_code).strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise ValueError(f"country_code must be a two-letter code such as 'US', got {country_code!r}")
        return self._r.request("GET", f"/ad_accounts/{account}/keywords/metrics", category="ads_read",
                               params={"country_code": country, "keywords": ",".join(keywords)}).data

    def trending_keywords(self, region: str, trend_type: str, *, interests: Sequence[str] | None = None,
                          genders: Sequence[str] | None = None, ages: Sequence[str] | None = None,
                          normalize_against_group: bool | None = None, limit: int | None = None) -> dict:
        """``GET /trends/keywords/{region}/top/{trend_type}``; ``+`` in a region is sent as ``%2B``."""
        if region not in TREND_REGIONS:
            raise ValueError(f"region must be one of {', '.join(TREND_REGIONS)}, got {region!r}")
        if trend_type not in TREND_TYPES:
            raise ValueError(f"trend_type must be one of {', '.join(TREND_TYPES)}, got {trend_type!r}")
        params: dict[str, Any] = {}
        for name, values, allowed in (("interests", interests, TREND_INTERESTS), ("genders", genders, TREND_GENDERS),
                                      ("ages", ages, TREND_AGES)):
            if values is None:
                continue
            values = [values] if isinstance(values, str) else list(values)
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise ValueError(f"{name}: {unknown} not among {', '.join(allowed)}")
            params[name] = values
        if normalize_against_group is not None:
            params["normalize_against_group"] = "true" if normalize_against_group else "false"
        if limit is not None:
            if not 1 <= int(limit) <= 50:
                raise ValueError(f"limit must be 1..50, got {limit}")
            params["limit"] = int(limit)
        path = f"/trends/keywords/{quote(region, safe='')}/top/{trend_type}"
        return self._r.request("GET", path, category="trends_read", params=params).data

    def audience_insights(self, ad_account_id: str, audience_insight_type: str = "YOUR_TOTAL_AUDIENCE") -> dict:
        """``GET /ad_accounts/{id}/audience_insights`` (the type is always sent)."""
        account = check_id(ad_account_id, "ad_account_id")
        (kind,) = check_enum([audience_insight_type], AUDIENCE_INSIGHT_TYPES, "audience_insight_type")
        return self._r.request("GET", f"/ad_accounts/{account}/audience_insights", category="ads_read",
                               params={"audience_insight_type": kind}).data

    def audience_definitions(self, ad_account_id: str) -> dict:
        """``GET /ad_accounts/{id}/insights/audiences``: which audience scopes and types exist."""
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.request("GET", f"/ad_accounts/{account}/insights/audiences", category="ads_read").data

    def targeting_options(self, targeting_type: str) -> Any:
        """``GET /resources/targeting/{targeting_type}``: id → label maps."""
        (kind,) = check_enum([targeting_type], TARGETING_TYPES, "targeting_type")
        return self._r.request("GET", f"/resources/targeting/{kind}", category="ads_read").data

    def bid_floors(self, ad_account_id: str, bid_floor_specs: Sequence[Mapping[str, Any]],
                   targeting_spec: Mapping[str, Any] | None = None) -> dict:
        """``POST /ad_accounts/{id}/bid_floor`` (a read despite the POST): one floor per spec."""
        account = check_id(ad_account_id, "ad_account_id")
        if not bid_floor_specs:
            raise ValueError("give at least one bid floor spec")
        body: dict[str, Any] = {"bid_floor_specs": [dict(s) for s in bid_floor_specs]}
        if targeting_spec is not None:
            body["targeting_spec"] = dict(targeting_spec)
        return self._r.request("POST", f"/ad_accounts/{account}/bid_floor", category="ads_read",
                               json_body=body, idempotent=True).data
