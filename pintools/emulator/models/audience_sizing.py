"""Audience sizing (``ad_groups/audience_sizing``, digest §12.5): the monthly reach estimate of
an ad group's targeting, as ``audience_size_lower_bound``/``audience_size_upper_bound``.

Pinterest does not publish how it sizes audiences; every number here is the emulator's demo
model, deterministic in the seed, the account and the request:

* base: monthly users of each targeted country (``LOCATION`` country codes, or the account's
  country when none is given); metro/DMA and ``GEO`` values add a fixed slice each;
* × the share of the targeted ``GENDER`` and ``AGE_BUCKET`` values, × 0.15 per ``INTEREST``
  (capped at 0.9 together), × the ``APPTYPE`` and ``LOCALE`` shares;
* ``AUDIENCE_INCLUDE`` replaces the base with the included audiences' sizes; each
  ``AUDIENCE_EXCLUDE`` audience removes its size; an audience of another account is a 403;
* placement (SEARCH 0.55, BROWSE 0.7, OTHER 0.2), creative types (VIDEO-only 0.6) and
  ``auto_targeting_enabled`` (× 1.4 when interests or keywords narrow the audience);
* ± 15 % around the estimate, rounded to two significant digits, with a ±5 % seeded jitter.

Example:
    >>> size = audience_size(1, {"id": "1", "country": "US"}, check_request({"targeting_spec": {"GENDER": ["female"]}}), {})
    >>> size["audience_size_lower_bound"] < size["audience_size_upper_bound"]
    True
"""

from __future__ import annotations

import math

from pintools.emulator import enums
from pintools.emulator.errors import ApiError, ItemError, QueryError
from pintools.emulator.models.fields import check_targeting_spec
from pintools.emulator.models.hashing import unit

SIZING_CREATIVE_TYPES = ("REGULAR", "VIDEO", "SHOPPING", "CAROUSEL", "MAX_VIDEO", "SHOP_THE_PIN", "COLLECTION", "IDEA")
NO_ACCESS_MESSAGE = "You don't have access to the requested audience list or product group."
# Monthly users per country (millions): the emulator's demo numbers, not Pinterest's.
COUNTRY_USERS_M = {"US": 95.0, "CA": 11.0, "GB": 17.0, "DE": 16.0, "FR": 14.0, "BR": 30.0, "MX": 20.0, "AU": 8.0,
                   "ES": 9.0, "IT": 10.0, "JP": 6.0}
DEFAULT_COUNTRY_USERS_M = 3.0
SUBREGION_USERS_M = 1.5
GENDER_SHARE = {"female": 0.6, "male": 0.3, "unknown": 0.1}
AGE_SHARE = {"18-24": 0.2, "19+": 0.95, "20+": 0.9, "21+": 0.85, "25-34": 0.25, "35-44": 0.2, "45-49": 0.08,
             "50-54": 0.08, "55-64": 0.1, "65+": 0.07}
PLACEMENT_SHARE = {"ALL": 1.0, "SEARCH": 0.55, "BROWSE": 0.7, "OTHER": 0.2}


def check_request(body) -> dict:
    """An ``AdGroupAudienceSizingRequest``, checked (QueryError on a bad field).

    Example:
        >>> check_request({"placement_group": "SEARCH"})["placement_group"]
        'SEARCH'
    """
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object (an AdGroupAudienceSizingRequest).")
    known = {"auto_targeting_enabled", "creative_types", "keywords", "placement_group", "product_group_ids",
             "targeting_spec"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise QueryError(f"Unknown field(s) {', '.join(unknown)}; the request takes {', '.join(sorted(known))}.")
    auto = body.get("auto_targeting_enabled", True)
    if not isinstance(auto, bool):
        raise QueryError("auto_targeting_enabled must be true or false.")
    placement = body.get("placement_group", "ALL")
    if placement not in enums.PLACEMENT_GROUP_TYPES:
        raise QueryError(f"placement_group must be one of {', '.join(enums.PLACEMENT_GROUP_TYPES)}.")
    creative = body.get("creative_types") or []
    if not isinstance(creative, list) or any(c not in SIZING_CREATIVE_TYPES for c in creative):
        raise QueryError(f"creative_types must be an array of {', '.join(SIZING_CREATIVE_TYPES)}.")
    keywords = body.get("keywords") or []
    if not isinstance(keywords, list) or any(
            not isinstance(k, dict) or not isinstance(k.get("value"), str) or not k["value"].strip()
            or len(k["value"]) > 120 or "match_type" not in k
            or k["match_type"] not in (*enums.MATCH_TYPES, None) for k in keywords):
        raise QueryError("keywords must be an array of {value (1..120 chars), match_type} objects.")
    groups = body.get("product_group_ids") or []
    if not isinstance(groups, list) or any(not isinstance(g, str) or not g.isdigit() for g in groups):
        raise QueryError("product_group_ids must be an array of numeric strings.")
    try:
        spec = check_targeting_spec(body.get("targeting_spec") or {})
    except ItemError as exc:
        raise QueryError(str(exc)) from None
    return {"auto_targeting_enabled": auto, "placement_group": placement, "creative_types": creative,
            "keywords": keywords, "product_group_ids": groups, "targeting_spec": spec}


def _share(values, table: dict) -> float:
    return min(1.0, sum(table.get(v, 0.0) for v in values)) if values else 1.0


def _base(account: dict, spec: dict, audiences: dict) -> float:
    include = spec.get("AUDIENCE_INCLUDE") or []
    if include:
        return float(sum(audiences[a] for a in include))
    locations = spec.get("LOCATION") or []
    countries = [v for v in locations if len(v) == 2 and v.isalpha()] or ([] if locations else [account["country"]])
    users = sum(COUNTRY_USERS_M.get(c, DEFAULT_COUNTRY_USERS_M) for c in countries)
    users += SUBREGION_USERS_M * (len(locations) - len([v for v in locations if len(v) == 2 and v.isalpha()]))
    users += SUBREGION_USERS_M * len(spec.get("GEO") or [])
    return users * 1e6


def audience_size(seed: int, account: dict, request: dict, audiences: dict) -> dict:
    """``AdGroupAudienceSizingResponse`` for a checked request; ``audiences`` maps the account's
    audience ids to their sizes (an id outside it is a 403, as the spec's example says).

    Example:
        >>> women = audience_size(1, {"id": "1", "country": "US"}, check_request({"targeting_spec": {"GENDER": ["female"]}}), {})
        >>> men = audience_size(1, {"id": "1", "country": "US"}, check_request({"targeting_spec": {"GENDER": ["male"]}}), {})
        >>> men["audience_size_upper_bound"] < women["audience_size_upper_bound"]
        True
    """
    spec = request["targeting_spec"]
    for audience_id in (spec.get("AUDIENCE_INCLUDE") or []) + (spec.get("AUDIENCE_EXCLUDE") or []):
        if audience_id not in audiences:
            raise ApiError(403, 403, NO_ACCESS_MESSAGE)
    size = _base(account, spec, audiences)
    size -= sum(audiences[a] for a in spec.get("AUDIENCE_EXCLUDE") or [])
    size *= _share(spec.get("GENDER"), GENDER_SHARE) * _share(spec.get("AGE_BUCKET"), AGE_SHARE)
    interests = spec.get("INTEREST") or []
    narrowed = bool(interests) or bool(request["keywords"])
    if interests:
        size *= min(0.9, 0.15 * len(interests))
    if request["keywords"]:
        size *= min(0.9, 0.05 * len(request["keywords"]))
    size *= (len(spec.get("APPTYPE") or enums.APPTYPES) / len(enums.APPTYPES)) ** 0.5
    size *= 1.0 if not spec.get("LOCALE") else min(1.0, 0.6 * len(spec["LOCALE"]))
    size *= PLACEMENT_SHARE[request["placement_group"]]
    if request["creative_types"] and set(request["creative_types"]) <= {"VIDEO", "MAX_VIDEO"}:
        size *= 0.6
    if request["auto_targeting_enabled"] and narrowed:
        size *= 1.4
    key = repr(sorted((k, sorted(map(str, v or []))) for k, v in spec.items()))
    size = max(0.0, size) * (0.95 + 0.1 * unit("audience-sizing", seed, account["id"], key))
    return {"audience_size_lower_bound": _round2(size * 0.85), "audience_size_upper_bound": _round2(size * 1.15)}


def _round2(value: float) -> int:
    """Two significant digits (0 stays 0)."""
    if value < 1:
        return 0
    digits = int(math.floor(math.log10(value))) - 1
    return int(round(value, -digits))
