"""Keywords: list (by ad group or campaign), create under a parent, update bids/archive.

>>> client.keywords.create("549755885175", "2680060704746",
...                        [{"value": "velvet sofa", "match_type": "PHRASE", "bid": 250000}])  # doctest: +SKIP
{'keywords': [...], 'errors': []}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..http.requestor import Requestor
from ._common import check_enum, check_id, chunks

MATCH_TYPES = ("BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE", "PHRASE_NEGATIVE")
MAX_VALUE_LENGTH = 120
WRITE_CHUNK = 500  # the spec sets no maxItems; keep request bodies reasonable


class Keywords:
    """``GET|POST|PATCH /ad_accounts/{ad_account_id}/keywords``."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Keywords()"

    def list(
        self,
        ad_account_id: str,
        *,
        ad_group_id: str | None = None,
        campaign_id: str | None = None,
        match_types: Sequence[str] | None = None,
        page_size: int = 250,
    ) -> Iterator[dict]:
        """Keywords under one ad group or campaign; with neither, only account-level ones.

        (Pinterest returns only keywords whose parent is the ad account when no parent is
        given — most keywords hang off ad groups, so pass ``ad_group_id``.)
        """
        account = check_id(ad_account_id, "ad_account_id")
        params: dict[str, Any] = {}
        if ad_group_id is not None and campaign_id is not None:
            raise ValueError("give ad_group_id or campaign_id, not both")
        if ad_group_id is not None:
            params["ad_group_id"] = check_id(ad_group_id, "ad_group_id")
        if campaign_id is not None:
            params["campaign_id"] = check_id(campaign_id, "campaign_id")
        types = check_enum(match_types, MATCH_TYPES, "match_types")
        if types:
            params["match_types"] = types
        return self._r.paginate(f"/ad_accounts/{account}/keywords", category="ads_read",
                                params=params, page_size=page_size)

    def create(self, ad_account_id: str, parent_id: str, keywords: Sequence[Mapping[str, Any]]) -> dict:
        """Add keywords under ``parent_id`` (an ad group, campaign or the ad account).

        Returns ``{"keywords": [created…], "errors": [{"data", "error_messages"}…]}`` merged
        over however many calls it took.
        """
        account = check_id(ad_account_id, "ad_account_id")
        parent = check_id(parent_id, "parent_id")
        for i, kw in enumerate(keywords):
            value = kw.get("value")
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"keyword {i}: 'value' must be a non-empty string")
            if len(value) > MAX_VALUE_LENGTH:
                raise ValueError(f"keyword {i}: {value[:30]!r}… is {len(value)} characters; "
                                 f"Pinterest allows {MAX_VALUE_LENGTH}")
            check_enum([kw.get("match_type", "")], MATCH_TYPES, f"keyword {i} match_type")
        merged: dict[str, list] = {"keywords": [], "errors": []}
        for batch in chunks(list(keywords), WRITE_CHUNK):
            body = {"parent_id": parent, "keywords": [dict(k) for k in batch]}
            data = self._r.request("POST", f"/ad_accounts/{account}/keywords", category="ads_write",
                                   json_body=body).data or {}
            merged["keywords"].extend(data.get("keywords") or [])
            merged["errors"].extend(data.get("errors") or [])
        return merged

    def update(self, ad_account_id: str, updates: Sequence[Mapping[str, Any]]) -> dict:
        """Change ``bid`` or ``archived`` of keywords (each item needs ``id``)."""
        account = check_id(ad_account_id, "ad_account_id")
        for i, kw in enumerate(updates):
            check_id(kw.get("id"), f"keyword {i} id")
        merged: dict[str, list] = {"keywords": [], "errors": []}
        for batch in chunks(list(updates), WRITE_CHUNK):
            data = self._r.request("PATCH", f"/ad_accounts/{account}/keywords", category="ads_write",
                                   json_body={"keywords": [dict(k) for k in batch]}).data or {}
            merged["keywords"].extend(data.get("keywords") or [])
            merged["errors"].extend(data.get("errors") or [])
        return merged
