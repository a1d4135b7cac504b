"""Bulk endpoints: upsert (async job), request status, download, and the result file.

>>> ids = client.bulk.upsert("549755885175", {"update": {"ad_groups": [{"id": "1", "status": "PAUSED"}]}})  # doctest: +SKIP
>>> client.bulk.status("549755885175", ids[0])                          # doctest: +SKIP
{'status': 'RUNNING', 'result_url': None}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..http.requestor import Requestor
from ._common import check_id


class Bulk:
    """``POST /ad_accounts/{id}/bulk/upsert``, ``GET …/bulk/{bulk_request_id}``, ``POST …/bulk/download``."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Bulk()"

    def upsert(self, ad_account_id: str, body: Mapping[str, Any]) -> list[str]:
        """Start a bulk upsert; returns its request id(s). (The spec's example holds two ids
        joined by ", ", so the answer is split defensively.) Never retried blindly: a 5xx or a
        dropped connection raises ``WriteOutcomeUnknown``."""
        account = check_id(ad_account_id, "ad_account_id")
        data = self._r.request("POST", f"/ad_accounts/{account}/bulk/upsert", category="ads_write",
                               json_body=dict(body)).data or {}
        return _request_ids(data)

    def download(self, ad_account_id: str, body: Mapping[str, Any]) -> list[str]:
        """Start a bulk download of entities; returns its request id(s)."""
        account = check_id(ad_account_id, "ad_account_id")
        data = self._r.request("POST", f"/ad_accounts/{account}/bulk/download", category="ads_read",
                               json_body=dict(body), idempotent=True).data or {}
        return _request_ids(data)

    def status(self, ad_account_id: str, bulk_request_id: str, *, include_details: bool = False) -> dict:
        """``{status: RUNNING|SUCCEEDED|FAILED, result_url}`` of an upsert or download request."""
        account = check_id(ad_account_id, "ad_account_id")
        params = {"include_details": "true"} if include_details else None
        return self._r.request("GET", f"/ad_accounts/{account}/bulk/{bulk_request_id}", category="ads_read",
                               params=params).data or {}

    def result_file(self, url: str) -> bytes:
        """The result file of a finished bulk request (pre-signed URL, no auth)."""
        return self._r.download(url)


def _request_ids(data: Any) -> list[str]:
    raw = data.get("request_id") if isinstance(data, dict) else None
    if not isinstance(raw, str) or not raw.strip():
        from ..http.errors import BadResponse

        raise BadResponse("The bulk endpoint answered without a request_id.")
    return [part.strip() for part in raw.split(",") if part.strip()]
