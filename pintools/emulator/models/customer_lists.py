"""Customer lists: the paginated list and one list by id (``customer_lists/list``, ``customer_lists/get``).

A record is a ``CustomerList`` (``type`` always ``"customerlist"``, times in Unix seconds) plus
the private ``_matched``: how many Pinterest users the uploaded records matched. The spec's
response has no such count; it only says a list is ``TOO_SMALL`` when "the list has less than
100 Pinterest users", so here ``status`` is TOO_SMALL exactly when ``_matched < 100``. A
``CUSTOMER_LIST`` audience built on the list gets ``_matched`` as its ``size``.

The lists are the seed's demo lists (:mod:`pintools.emulator.demo_audiences`). Uploading or
editing records (``customer_lists/create``, ``customer_lists/update``) is not emulated.

Example:
    >>> lists = CustomerLists([{"id": "5497558859876", "ad_account_id": "1", "name": "VIP", "_matched": 40}])
    >>> lists.get("1", "5497558859876")["name"]
    'VIP'
    >>> lists.find("2", "5497558859876") is None
    True
"""

from __future__ import annotations

from pintools.emulator.errors import not_found
from pintools.emulator.models.common import render
from pintools.emulator.models.paging import page

MIN_MATCHED_USERS = 100  # CustomerList.status: "TOO_SMALL - the list has less than 100 Pinterest users"


def list_status(matched: int) -> str:
    """A processed list's ``status`` from its matched Pinterest users.

    Example:
        >>> list_status(99), list_status(100)
        ('TOO_SMALL', 'READY')
    """
    return "TOO_SMALL" if matched < MIN_MATCHED_USERS else "READY"


class CustomerLists:
    """Read access to customer lists, by ad account. Not thread-safe: the state lock guards it."""

    def __init__(self, records: list[dict]):
        self.items: dict[str, dict] = {}
        self._by_account: dict[str, list[str]] = {}
        for record in records:
            self.items[record["id"]] = record
            self._by_account.setdefault(record["ad_account_id"], []).append(record["id"])

    def for_account(self, account_id: str) -> list[dict]:
        """The account's lists, in id order."""
        return [self.items[i] for i in self._by_account.get(account_id, ())]

    def find(self, account_id: str, list_id: str) -> dict | None:
        """A list of this account, or None (another account's list counts as absent)."""
        record = self.items.get(list_id)
        return record if record is not None and record["ad_account_id"] == account_id else None

    def get(self, account_id: str, list_id: str) -> dict:
        """The ``CustomerList``; 404 code 2 "Customer list not found." (the spec gives this
        operation no 404 example: the wording follows ``Audience not found.``)."""
        record = self.find(account_id, list_id)
        if record is None:
            raise not_found("Customer list")
        return render(record)

    def list(self, account_id: str, page_size: int, bookmark: str | None, descending: bool):
        """One page of the account's ``CustomerList`` objects and the next bookmark."""
        filters = {"op": "customer_lists/list", "account": account_id, "desc": descending}
        return page(self.for_account(account_id), page_size, bookmark, filters, descending, render=render)
