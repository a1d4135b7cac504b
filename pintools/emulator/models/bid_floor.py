"""Bid floors (digest §12.4): the lowest bid Pinterest accepts, as a pure function.

``bid_floor(billable_event, currency, countries, objective_type)`` is deterministic in exactly
those inputs (no seed), so the emulator's write-path guardrails can reuse the same numbers. USD
bases: CLICKTHROUGH (CPC) $0.18, IMPRESSION (CPM) $3.00, VIDEO_V_50_MRC (CPV) $0.03; × the
highest country tier targeted (tier 1 markets 1.0, tier 2 0.7, the rest 0.45; none = US);
× the objective (WEB_CONVERSION 1.2, CATALOG_SALES 0.8, others 1.0); × a stable
±20% jitter; converted to the currency and rounded to two significant digits (never below one
coin of the currency).

Example:
    >>> bid_floor("CLICKTHROUGH", "USD", ["US"])
    220000
    >>> 100_000 <= bid_floor("CLICKTHROUGH", "USD", ["US"], "CONSIDERATION") <= 300_000
    True
    >>> bid_floor("IMPRESSION", "USD") > bid_floor("CLICKTHROUGH", "USD")
    True
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import ItemError, QueryError
from pintools.emulator.models.fields import check_targeting_spec
from pintools.emulator.models.hashing import unit
from pintools.emulator.models.money import MICRO, factor, nice_micro

BASE_USD = {"CLICKTHROUGH": 0.18, "IMPRESSION": 3.0, "VIDEO_V_50_MRC": 0.03}
TIER_1 = frozenset({"US", "CA", "GB", "AU", "NZ", "DE", "AT", "CH", "FR", "NL", "BE", "LU", "IE", "SE", "DK", "NO",
                    "FI"})
TIER_2 = frozenset({"ES", "IT", "PT", "JP", "KR", "SG", "HK", "IL", "PL", "CZ", "GR", "MT"})
OBJECTIVE_FACTORS = {"WEB_CONVERSION": 1.2, "CATALOG_SALES": 0.8}


def country_tier(countries) -> float:
    """The multiplier of the most expensive country targeted (none = the US).

    Example:
        >>> country_tier(["BR", "ES"]), country_tier(None)
        (0.7, 1.0)
    """
    if not countries:
        return 1.0
    return max(1.0 if c in TIER_1 else 0.7 if c in TIER_2 else 0.45 for c in countries)


def bid_floor(billable_event: str, currency: str, countries=None, objective_type: str | None = None) -> int:
    """The bid floor in micro units of ``currency`` (see the module doc)."""
    countries = sorted(set(countries or ()))
    jitter = 0.8 + 0.4 * unit("bid-floor", billable_event, currency, ",".join(countries), objective_type or "")
    usd = BASE_USD.get(billable_event, BASE_USD["CLICKTHROUGH"]) * country_tier(countries)
    usd *= OBJECTIVE_FACTORS.get(objective_type or "", 1.0) * jitter
    return nice_micro(usd * factor(currency) * MICRO, currency)


def check_request(body) -> list[dict]:
    """The ``bid_floor_specs`` of a ``BidFloorRequest`` body, checked (QueryError otherwise).

    Each spec needs ``billable_event`` (ActionType) and ``currency`` (Currency); ``countries``
    (two-letter codes), ``objective_type``, ``creative_type`` and ``optimization_goal_metadata``
    are optional, as is the body's ``targeting_spec``.

    Example:
        >>> check_request({"bid_floor_specs": [{"billable_event": "IMPRESSION", "currency": "EUR"}]})[0]["currency"]
        'EUR'
    """
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object.")
    specs = body.get("bid_floor_specs")
    if not isinstance(specs, list) or not specs:
        raise QueryError("bid_floor_specs is required (a non-empty array).")
    for spec in specs:
        if not isinstance(spec, dict):
            raise QueryError("bid_floor_specs items must be objects.")
        if spec.get("billable_event") not in enums.ACTION_TYPES:
            raise QueryError(f"billable_event is required, one of {', '.join(enums.ACTION_TYPES)}.")
        if spec.get("currency") not in enums.CURRENCIES:
            raise QueryError("currency is required (a Currency code).")
        countries = spec.get("countries")
        if countries is not None and (not isinstance(countries, list)
                                      or not all(isinstance(c, str) and len(c) == 2 for c in countries)):
            raise QueryError("countries must be an array of two-letter country codes.")
        if spec.get("objective_type") is not None and spec["objective_type"] not in enums.OBJECTIVE_TYPES:
            raise QueryError("objective_type must be an ObjectiveType.")
        if spec.get("creative_type") is not None and spec["creative_type"] not in enums.CREATIVE_TYPES:
            raise QueryError("creative_type must be a CreativeType.")
        goal = spec.get("optimization_goal_metadata")
        if goal is not None and not isinstance(goal, dict):
            raise QueryError("optimization_goal_metadata must be an object.")
    if body.get("targeting_spec") is not None:
        try:
            check_targeting_spec(body["targeting_spec"])
        except ItemError as exc:
            raise QueryError(exc.message) from None
    return specs
