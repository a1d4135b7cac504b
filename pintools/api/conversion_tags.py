"""Conversion tags: list, get and create (``/ad_accounts/{id}/conversion_tags``). Plain dicts back.

>>> client.conversion_tags.list("549755885175", filter_deleted=True)      # doctest: +SKIP
{'items': [{'id': '2617998078212', 'name': 'ACME Checkout Test Tag', 'status': 'ACTIVE', ...}]}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..http.requestor import Requestor
from ._common import check_id

CREATE_FIELDS = ("name", "md_frequency", "aem_enabled", "aem_db_enabled", "aem_external_id_enabled",
                 "aem_fnln_enabled", "aem_ge_enabled", "aem_loc_enabled", "aem_ph_enabled")


class ConversionTags:
    """The ``conversion_tags/*`` operations (5.23.0)."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "ConversionTags()"

    def list(self, ad_account_id: str, *, filter_deleted: bool = False) -> dict:
        """``GET /ad_accounts/{id}/conversion_tags``: ``{items: [ConversionTag]}`` (one page, no bookmark).

        >>> client.conversion_tags.list("549755885175")["items"][0]["name"]     # doctest: +SKIP
        'Juniper & Sage Home base tag'
        """
        account = check_id(ad_account_id, "ad_account_id")
        params = {"filter_deleted": "true"} if filter_deleted else None
        return self._r.request("GET", f"/ad_accounts/{account}/conversion_tags", category="ads_read",
                               params=params).data

    def get(self, ad_account_id: str, conversion_tag_id: str) -> dict:
        """``GET /ad_accounts/{id}/conversion_tags/{tag_id}``: one ``ConversionTag``.

        >>> client.conversion_tags.get("549755885175", "2617998078212")["code_snippet"][:7]   # doctest: +SKIP
        '<script'
        """
        account = check_id(ad_account_id, "ad_account_id")
        tag = check_id(conversion_tag_id, "conversion_tag_id")
        return self._r.request("GET", f"/ad_accounts/{account}/conversion_tags/{tag}", category="ads_read").data

    def create(self, ad_account_id: str, tag: Mapping[str, Any]) -> dict:
        """``POST /ad_accounts/{id}/conversion_tags`` with a ``ConversionTagCreate`` (``name`` required).

        Not retried: a repeated create would make a second tag.

        >>> client.conversion_tags.create("549755885175", {"name": "Checkout tag"})["status"]  # doctest: +SKIP
        'ACTIVE'
        """
        account = check_id(ad_account_id, "ad_account_id")
        body = dict(tag)
        unknown = sorted(set(body) - set(CREATE_FIELDS))
        if unknown:
            raise ValueError(f"conversion tag fields {unknown} are not accepted; use {', '.join(CREATE_FIELDS)}")
        if not isinstance(body.get("name"), str) or not body["name"].strip():
            raise ValueError("a conversion tag needs a non-empty 'name'")
        return self._r.request("POST", f"/ad_accounts/{account}/conversion_tags", category="ads_write",
                               json_body=body).data
