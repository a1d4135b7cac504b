"""Research resources: audience sizing, related and suggested terms, delivery metric
definitions, ad account countries and single interests. One method per endpoint, plain dicts back.

>>> client.resources.suggested_terms("sofa", limit=5)                            # doctest: +SKIP
['sofa ideas', 'sofa decor', ...]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..http.requestor import Requestor
from ._common import check_enum, check_id

REPORT_TYPES = ("SYNC", "ASYNC")
PLACEMENT_GROUPS = ("ALL", "SEARCH", "BROWSE", "OTHER")
SIZING_CREATIVE_TYPES = ("REGULAR", "VIDEO", "SHOPPING", "CAROUSEL", "MAX_VIDEO", "SHOP_THE_PIN", "COLLECTION", "IDEA")
MAX_SUGGESTED = 10  # terms/suggested limit maximum (spec)


def _terms(terms: Sequence[str] | str) -> list[str]:
    items = [terms] if isinstance(terms, str) else list(terms)
    cleaned = list(dict.fromkeys(t.strip() for t in items if isinstance(t, str) and t.strip()))
    if not cleaned:
        raise ValueError("give at least one non-empty term")
    bad = [t for t in cleaned if "," in t]
    if bad:
        raise ValueError(f"terms containing commas cannot be sent (the API joins terms with commas): {bad[:5]}")
    return cleaned


class Resources:
    """``ad_groups/audience_sizing``, ``terms/*``, ``resources/*`` (delivery metrics, countries, interests)."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Resources()"

    def audience_sizing(self, ad_account_id: str, targeting_spec: Mapping[str, Any] | None = None, *,
                        auto_targeting_enabled: bool | None = None, placement_group: str | None = None,
                        creative_types: Sequence[str] | None = None,
                        keywords: Sequence[Mapping[str, Any]] | None = None,
                        product_group_ids: Sequence[str] | None = None) -> dict:
        """``POST /ad_accounts/{id}/ad_groups/audience_sizing`` (POST since 5.23; a read, so retried):
        ``{audience_size_lower_bound, audience_size_upper_bound}`` (monthly reach estimate).

        >>> client.resources.audience_sizing("549755885175", {"GENDER": ["female"]})   # doctest: +SKIP
        {'audience_size_lower_bound': 27000000, 'audience_size_upper_bound': 37000000}
        """
        account = check_id(ad_account_id, "ad_account_id")
        body: dict[str, Any] = {}
        if targeting_spec is not None:
            if not isinstance(targeting_spec, Mapping):
                raise ValueError("targeting_spec must be a mapping such as {'GENDER': ['female'], 'LOCATION': ['US']}")
            body["targeting_spec"] = {k: list(v) if isinstance(v, (list, tuple)) else v
                                      for k, v in targeting_spec.items()}
        if auto_targeting_enabled is not None:
            body["auto_targeting_enabled"] = bool(auto_targeting_enabled)
        if placement_group is not None:
            (body["placement_group"],) = check_enum([placement_group], PLACEMENT_GROUPS, "placement_group")
        if creative_types is not None:
            body["creative_types"] = check_enum(creative_types, SIZING_CREATIVE_TYPES, "creative_types")
        if keywords is not None:
            body["keywords"] = [dict(k) for k in keywords]
        if product_group_ids is not None:
            body["product_group_ids"] = [check_id(g, "product_group_ids") for g in product_group_ids]
        return self._r.request("POST", f"/ad_accounts/{account}/ad_groups/audience_sizing", category="ads_read",
                               json_body=body, idempotent=True).data

    def related_terms(self, terms: Sequence[str] | str) -> dict:
        """``GET /terms/related?terms=a,b``: ``RelatedTerms`` (comma-joined, as the spec's description shows).

        >>> client.resources.related_terms(["sofa", "rug"])["id"]                 # doctest: +SKIP
        'sofa'
        """
        return self._r.request("GET", "/terms/related", category="ads_read",
                               params={"terms": ",".join(_terms(terms))}).data

    def suggested_terms(self, term: str, *, limit: int | None = None) -> list:
        """``GET /terms/suggested``: up to ``limit`` (1..10, Pinterest's default 4) suggestions.

        >>> client.resources.suggested_terms("sofa", limit=2)                     # doctest: +SKIP
        ['sofa ideas', 'sofa decor']
        """
        if not isinstance(term, str) or not term.strip():
            raise ValueError("term must be a non-empty string")
        params: dict[str, Any] = {"term": term.strip()}
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SUGGESTED:
                raise ValueError(f"limit must be an integer from 1 to {MAX_SUGGESTED} (Pinterest's range), got {limit!r}")
            params["limit"] = limit
        return self._r.request("GET", "/terms/suggested", category="ads_read", params=params).data

    def delivery_metrics(self, report_type: str | None = None) -> dict:
        """``GET /resources/delivery_metrics``: ``{items: [{name, category, definition, display_name}]}``.

        >>> client.resources.delivery_metrics("SYNC")["items"][0]["name"]         # doctest: +SKIP
        'SPEND_IN_MICRO_DOLLAR'
        """
        params = None
        if report_type is not None:
            (kind,) = check_enum([report_type], REPORT_TYPES, "report_type")
            params = {"report_type": kind}
        return self._r.request("GET", "/resources/delivery_metrics", category="ads_read", params=params).data

    def ad_account_countries(self) -> dict:
        """``GET /resources/ad_account_countries``: ``{items: [{code, currency, index, name}]}``.

        >>> client.resources.ad_account_countries()["items"][0]["code"]           # doctest: +SKIP
        'AR'
        """
        return self._r.request("GET", "/resources/ad_account_countries", category="ads_read").data

    def interest(self, interest_id: str) -> dict:
        """``GET /resources/targeting/interests/{id}``: ``{id, name, level, child_interests}``.

        >>> client.resources.interest("935249274030")["name"]                    # doctest: +SKIP
        'Home Decor'
        """
        interest = check_id(interest_id, "interest_id")
        return self._r.request("GET", f"/resources/targeting/interests/{interest}", category="ads_read").data
