"""Keyword research: country keyword metrics and trending keywords (digest §11).

``region`` keeps a literal ``+`` (``DE+AT+CH``); ``%2B`` arrives decoded to ``+`` too. Werkzeug
and waitress never turn ``+`` into a space in a path, and neither does this handler (a space is
simply an unknown region → 400).

Example (over HTTP):
    GET /v5/ad_accounts/{id}/keywords/metrics?country_code=US&keywords=velvet%20sofa,jute%20rug
    GET /v5/trends/keywords/DE%2BAT%2BCH/top/growing?interests=home_decor&limit=10
"""

from __future__ import annotations

import re

from flask import request

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models.keyword_metrics import MAX_KEYWORDS, keyword_metrics
from pintools.emulator.models.trends import trending_keywords
from pintools.emulator.routes import params
from pintools.emulator.routes.analytics import today

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
MAX_TRENDS = 50


def keywords_metrics(state, ad_account_id: str) -> dict:
    """``{data: [{keyword, metrics}]}``, one per requested keyword (duplicates once), in order."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    country = request.args.get("country_code")
    if not country or not _COUNTRY.match(country):
        raise QueryError("country_code must be a two-letter country code.")
    keywords = params.array(request.args, "keywords")
    if not keywords:
        raise QueryError("keywords is required.")
    if len(keywords) > MAX_KEYWORDS:
        raise QueryError(f"keywords accepts at most {MAX_KEYWORDS} values.")
    account = state.accounts.require(account_id)
    currency = account.get("currency", "USD")
    return {"data": [{"keyword": k, "metrics": keyword_metrics(state.seed, country, k, currency)}
                     for k in dict.fromkeys(keywords)]}


def _limit(args) -> int:
    raw = args.get("limit")
    if raw is None or raw == "":
        return MAX_TRENDS
    try:
        limit = int(raw)
    except ValueError:
        raise QueryError("limit must be an integer.") from None
    if not 1 <= limit <= MAX_TRENDS:
        raise QueryError(f"limit must be between 1 and {MAX_TRENDS}.")
    return limit


def trending(state, region: str, trend_type: str) -> dict:
    """``TrendingKeywordsResponse`` for a region and trend type."""
    if region not in enums.TRENDS_REGIONS:
        raise QueryError(f"region must be one of {', '.join(enums.TRENDS_REGIONS)}.")
    if trend_type not in enums.TREND_TYPES:
        raise QueryError(f"trend_type must be one of {', '.join(enums.TREND_TYPES)}.")
    args = request.args
    interests = params.enum_list(args, "interests", enums.L1_INTERESTS)
    genders = params.enum_list(args, "genders", enums.TREND_GENDERS)
    ages = params.enum_list(args, "ages", enums.TREND_AGES)
    normalize = params.boolean(args, "normalize_against_group", False)
    return trending_keywords(state.seed, region, trend_type, interests, genders, ages, _limit(args), normalize,
                             today(state))


HANDLERS = {"country_keywords_metrics/get": keywords_metrics, "trending_keywords/list": trending}
