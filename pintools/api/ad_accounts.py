"""Ad accounts: list and get.

>>> list(client.ad_accounts.list())[0]["currency"]   # doctest: +SKIP
'USD'
"""

from __future__ import annotations

from collections.abc import Iterator

from ..http.requestor import Requestor
from ._common import check_id


class AdAccounts:
    """``GET /ad_accounts`` and ``GET /ad_accounts/{ad_account_id}``."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "AdAccounts()"

    def list(self, *, include_shared_accounts: bool = True, page_size: int = 250) -> Iterator[dict]:
        """Every ad account the token's user can see (own and, by default, shared ones)."""
        params = {"include_shared_accounts": "true" if include_shared_accounts else "false"}
        return self._r.paginate("/ad_accounts", category="ads_read", params=params, page_size=page_size)

    def get(self, ad_account_id: str) -> dict:
        """One ad account (raises ``NotFound`` if it does not exist or is not visible)."""
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.request("GET", f"/ad_accounts/{account}", category="ads_read").data
