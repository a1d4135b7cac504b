"""Audiences and customer lists: the lists that ad groups target with ``AUDIENCE_INCLUDE`` /
``AUDIENCE_EXCLUDE``.

``client.audiences`` lists, reads, creates and updates (or removes) audiences;
``client.customer_lists`` lists and reads the customer lists behind ``CUSTOMER_LIST`` audiences.
Methods return the API's dicts. An audience is usable once ``status`` is ``READY``;
``TOO_SMALL`` means fewer than 100 people with Pinterest accounts.

>>> client.audiences.create("549755885175", name="Cart – 7 Days", audience_type="VISITOR",
...                         rule={"visitor_source_id": "2612345000001", "retention_days": 7})  # doctest: +SKIP
{'id': '2542620085854', 'status': 'INITIALIZING', 'size': None, ...}
>>> [c["name"] for c in client.customer_lists.list("549755885175")]                          # doctest: +SKIP
['Newsletter Subscribers', 'Past Purchasers – Last 12 Months', 'Loyalty Club – Gold Tier']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..http.requestor import Requestor
from ._common import check_enum, check_id

AUDIENCE_TYPES = ("CUSTOMER_LIST", "VISITOR", "ENGAGEMENT", "ACTALIKE", "PERSONA")  # AudienceType
OWNERSHIP_TYPES = ("OWNED", "RECEIVED")  # audiences/list ownership_type
OPERATION_TYPES = ("UPDATE", "REMOVE")  # AudienceUpdateOperationType
ORDERS = ("ASCENDING", "DESCENDING")


def _name(value: object, what: str = "name") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


def _rule(value: object) -> dict:
    if not isinstance(value, Mapping):
        raise ValueError(f"rule must be a dict (an AudienceRule), got {type(value).__name__}")
    return dict(value)


def _list_params(order: str | None) -> dict[str, Any]:
    return {} if order is None else {"order": check_enum([order], ORDERS, "order")[0]}


class Audiences:
    """``/ad_accounts/{ad_account_id}/audiences`` and ``…/audiences/{audience_id}``.

    >>> client.audiences.get("549755885175", "2542620082613")["status"]   # doctest: +SKIP
    'TOO_SMALL'
    """

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Audiences()"

    def list(self, ad_account_id: str, *, ownership_type: str | None = None, order: str | None = None,
             page_size: int = 250) -> Iterator[dict]:
        """Lazily yield the account's audiences, following bookmarks.

        ``ownership_type`` is ``OWNED`` (the API default) or ``RECEIVED`` (shared with the
        account by others); ``order`` is ``ASCENDING`` or ``DESCENDING`` by id.

        >>> names = [a["name"] for a in client.audiences.list("549755885175")]   # doctest: +SKIP
        """
        account = check_id(ad_account_id, "ad_account_id")
        params = _list_params(order)
        if ownership_type is not None:
            params["ownership_type"] = check_enum([ownership_type], OWNERSHIP_TYPES, "ownership_type")[0]
        return self._r.paginate(f"/ad_accounts/{account}/audiences", category="ads_read", params=params,
                                page_size=page_size)

    def get(self, ad_account_id: str, audience_id: str) -> dict:
        """One audience (:class:`~pintools.http.errors.NotFound` if the account has none by that id).

        >>> client.audiences.get("549755885175", "2542620082297")["size"]      # doctest: +SKIP
        54519
        """
        account = check_id(ad_account_id, "ad_account_id")
        audience = check_id(audience_id, "audience_id")
        return self._r.request("GET", f"/ad_accounts/{account}/audiences/{audience}", category="ads_read").data

    def create(self, ad_account_id: str, *, name: str, audience_type: str, rule: Mapping[str, Any],
               description: str | None = None) -> dict:
        """Create an audience from a ``rule`` (see ``AudienceRule``: e.g. ``{"customer_list_id": …}``
        for CUSTOMER_LIST, ``{"seed_id": [...], "country": "US", "percentage": 3}`` for ACTALIKE).

        The body also names the ad account, as Business Access asks. Returns the new audience
        (typically ``INITIALIZING`` with no size yet).

        >>> client.audiences.create("549755885175", name="VIP", audience_type="CUSTOMER_LIST",
        ...                         rule={"customer_list_id": "5497558024526"})   # doctest: +SKIP
        """
        account = check_id(ad_account_id, "ad_account_id")
        body: dict[str, Any] = {
            "ad_account_id": account,
            "name": _name(name),
            "audience_type": check_enum([audience_type], AUDIENCE_TYPES, "audience_type")[0],
            "rule": _rule(rule),
        }
        if description is not None:
            body["description"] = str(description)
        return self._r.request("POST", f"/ad_accounts/{account}/audiences", category="ads_write",
                               json_body=body).data

    def update(self, ad_account_id: str, audience_id: str, *, name: str | None = None,
               description: str | None = None, rule: Mapping[str, Any] | None = None,
               operation_type: str | None = None) -> dict:
        """Change an audience's ``name``, ``description`` or ``rule`` (only the ones given), or
        remove it with ``operation_type="REMOVE"``. Returns the audience.

        >>> client.audiences.update("549755885175", "2542620082613", name="VIP – 2024")  # doctest: +SKIP
        """
        account = check_id(ad_account_id, "ad_account_id")
        audience = check_id(audience_id, "audience_id")
        body: dict[str, Any] = {"ad_account_id": account}
        if name is not None:
            body["name"] = _name(name)
        if description is not None:
            body["description"] = str(description)
        if rule is not None:
            body["rule"] = _rule(rule)
        if operation_type is not None:
            body["operation_type"] = check_enum([operation_type], OPERATION_TYPES, "operation_type")[0]
        if len(body) == 1:
            raise ValueError("nothing to update: give name, description, rule or operation_type")
        return self._r.request("PATCH", f"/ad_accounts/{account}/audiences/{audience}", category="ads_write",
                               json_body=body).data


class CustomerLists:
    """``/ad_accounts/{ad_account_id}/customer_lists`` and ``…/customer_lists/{customer_list_id}`` (reads).

    >>> client.customer_lists.get("549755885175", "5497558024526")["status"]   # doctest: +SKIP
    'TOO_SMALL'
    """

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "CustomerLists()"

    def list(self, ad_account_id: str, *, order: str | None = None, page_size: int = 250) -> Iterator[dict]:
        """Lazily yield the account's customer lists, following bookmarks (``order`` by id).

        >>> statuses = [c["status"] for c in client.customer_lists.list("549755885175")]  # doctest: +SKIP
        """
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.paginate(f"/ad_accounts/{account}/customer_lists", category="ads_read",
                                params=_list_params(order), page_size=page_size)

    def get(self, ad_account_id: str, customer_list_id: str) -> dict:
        """One customer list (:class:`~pintools.http.errors.NotFound` if the account has none by that id).

        >>> client.customer_lists.get("549755885175", "5497558024014")["num_uploaded_user_records"]  # doctest: +SKIP
        99018
        """
        account = check_id(ad_account_id, "ad_account_id")
        list_id = check_id(customer_list_id, "customer_list_id")
        return self._r.request("GET", f"/ad_accounts/{account}/customer_lists/{list_id}",
                               category="ads_read").data
