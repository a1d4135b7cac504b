"""Ad accounts: lookup with Pinterest's 404/403, and the paginated list.

A record is an ``AdAccount`` plus ``_accessible`` (False = exists but belongs to someone who
did not share it: 403 code 29) and ``_shared`` (True = reached through Business Access).

Example:
    >>> from pintools.emulator.models.store import Store
    >>> store = Store(); store.add("accounts", {"id": "549755885175", "_accessible": True, "_shared": False})
    >>> Accounts(store).require("549755885175")["id"]
    '549755885175'
"""

from __future__ import annotations

from pintools.emulator.errors import forbidden, not_found
from pintools.emulator.models.common import render
from pintools.emulator.models.paging import page
from pintools.emulator.models.store import Store


class Accounts:
    """Read access to ad accounts.

    Example:
        >>> from pintools.emulator.models.store import Store
        >>> Accounts(Store()).list(include_shared=True, page_size=25, bookmark=None)
        ([], None)
    """

    def __init__(self, store: Store):
        self.store = store

    def require(self, account_id: str) -> dict:
        """The account record, or ApiError 404 code 2 "AdAccount not found." / 403 code 29."""
        record = self.store.accounts.get(account_id)
        if record is None:
            raise not_found("AdAccount")
        if not record.get("_accessible", True):
            raise forbidden()
        return record

    def get(self, account_id: str) -> dict:
        """The ``AdAccount`` response body."""
        return render(self.require(account_id))

    def list(self, include_shared: bool, page_size: int, bookmark: str | None):
        """One page of accessible accounts (owned ones only unless ``include_shared``)."""
        visible = [
            r
            for r in self.store.accounts.values()
            if r.get("_accessible", True) and (include_shared or not r.get("_shared"))
        ]
        filters = {"op": "ad_accounts/list", "include_shared": include_shared}
        return page(visible, page_size, bookmark, filters, render=render)
