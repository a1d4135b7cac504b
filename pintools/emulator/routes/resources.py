"""Research resources: audience sizing, related and suggested terms, delivery metric
definitions, ad account countries and single interests (digest §11.3, §12.3, §12.5).

Example (over HTTP):
    POST /v5/ad_accounts/{id}/ad_groups/audience_sizing {"targeting_spec": {"GENDER": ["female"]}}
    → 200 {"audience_size_lower_bound": 27000000, "audience_size_upper_bound": 37000000}
    GET /v5/terms/related?terms=sofa,rug      GET /v5/terms/suggested?term=sofa&limit=5
    GET /v5/resources/delivery_metrics?report_type=SYNC      GET /v5/resources/ad_account_countries
    GET /v5/resources/targeting/interests/935249274030
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import QueryError
from pintools.emulator.models.audience_sizing import audience_size, check_request
from pintools.emulator.models.resources import ad_account_countries, delivery_metrics, interest
from pintools.emulator.models.terms import DEFAULT_SUGGESTED, MAX_SUGGESTED, related_terms, suggested_terms
from pintools.emulator.routes import params

REPORT_TYPES = ("SYNC", "ASYNC")


def sizing(state, ad_account_id: str) -> dict:
    """``AdGroupAudienceSizingResponse`` for an ``AdGroupAudienceSizingRequest`` body."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    checked = check_request(params.json_body(request))
    account = state.accounts.require(account_id)
    sizes = {r["id"]: int(r.get("_size") or 0) for r in state.audiences.for_account(account_id)}
    return audience_size(state.seed, account, checked, sizes)


def terms_related(state) -> dict:
    """``RelatedTerms`` for ``terms`` (repeated or comma-separated)."""
    terms = params.array(request.args, "terms")
    if not terms:
        raise QueryError("terms is required.")
    return related_terms(state.seed, terms)


def terms_suggested(state) -> list:
    """``TermsSuggestedResponse`` (a list of strings) for ``term`` and ``limit`` (1..10, default 4)."""
    term = (request.args.get("term") or "").strip()
    if not term:
        raise QueryError("term is required.")
    raw = request.args.get("limit") or str(DEFAULT_SUGGESTED)
    try:
        limit = int(raw)
    except ValueError:
        raise QueryError("limit must be an integer.") from None
    if not 1 <= limit <= MAX_SUGGESTED:
        raise QueryError(f"limit must be between 1 and {MAX_SUGGESTED}.")
    return suggested_terms(state.seed, term, limit)


def metrics(state) -> dict:
    """``DeliveryMetricsResponse``; ``report_type`` is SYNC, ASYNC or absent."""
    report_type = request.args.get("report_type")
    if report_type is not None and report_type not in REPORT_TYPES:
        raise QueryError("report_type must be SYNC or ASYNC.")
    return {"items": delivery_metrics(report_type)}


def countries(state) -> dict:
    """``AdAccountsCountryResponse``."""
    return {"items": ad_account_countries()}


def interest_option(state, interest_id: str) -> dict:
    """``SingleInterestTargetingOptionResponse``; 404 code 2 for an unknown interest."""
    return interest(params.path_id(interest_id, "interest_id"))


HANDLERS = {
    "ad_groups/audience_sizing": sizing,
    "terms_related/list": terms_related,
    "terms_suggested/list": terms_suggested,
    "delivery_metrics/get": metrics,
    "ad_account_countries/get": countries,
    "interest_targeting_options/get": interest_option,
}
