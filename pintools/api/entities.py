"""Campaigns, ad groups and ads: list / get / create / update, one call each through the requestor.

The three share one shape in the API (``/ad_accounts/{id}/<kind>`` with batch bodies of
1..30 items and per-item exceptions), so one class serves them, configured per kind.

>>> from pintools.api.entities import AD_GROUPS
>>> AD_GROUPS.filters
('campaign_ids', 'ad_group_ids')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..http.requestor import Requestor
from ._common import check_enum, check_id, check_ids, chunks

ENTITY_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
ORDERS = ("ASCENDING", "DESCENDING")
MAX_IDS_PER_LIST = 250  # campaign_ids / ad_group_ids / ad_ids maxItems in v5.23 (100 in v5.12)
MAX_BATCH = 30  # create/update body maxItems


@dataclass(frozen=True)
class EntityKind:
    """How one entity family sits in the API."""

    name: str  # "ad group"
    segment: str  # "ad_groups"
    filters: tuple[str, ...]  # id filters the list endpoint takes; only one at a time

    def path(self, ad_account_id: str) -> str:
        return f"/ad_accounts/{ad_account_id}/{self.segment}"


CAMPAIGNS = EntityKind("campaign", "campaigns", ("campaign_ids",))
AD_GROUPS = EntityKind("ad group", "ad_groups", ("campaign_ids", "ad_group_ids"))
ADS = EntityKind("ad", "ads", ("campaign_ids", "ad_group_ids", "ad_ids"))


class EntityService:
    """One entity family's endpoints. Methods return plain dicts, as the API sends them.

    >>> client.campaigns.get("549755885175", "626735565838")["name"]   # doctest: +SKIP
    'Spring Sofas'
    """

    def __init__(self, requestor: Requestor, kind: EntityKind) -> None:
        self._r = requestor
        self.kind = kind

    def __repr__(self) -> str:
        return f"EntityService({self.kind.segment})"

    def list(
        self,
        ad_account_id: str,
        *,
        entity_statuses: Sequence[str] | None = None,
        order: str | None = None,
        page_size: int = 250,
        **id_filter: Sequence[str] | None,
    ) -> Iterator[dict]:
        """Lazily yield every matching entity, following bookmarks.

        ``entity_statuses=None`` keeps the API default (ACTIVE and PAUSED). An id filter with
        more than 250 ids is split into several list calls.
        """
        account = check_id(ad_account_id, "ad_account_id")
        unknown = set(id_filter) - set(self.kind.filters)
        if unknown:
            raise TypeError(f"{self.kind.segment} cannot be filtered by {', '.join(sorted(unknown))}; "
                            f"use one of {', '.join(self.kind.filters)}")
        given = {k: check_ids(v, k) for k, v in id_filter.items() if v is not None}
        if len(given) > 1:
            raise ValueError(f"give only one id filter for {self.kind.segment} "
                             f"(Pinterest rejects {' and '.join(given)} together)")
        params: dict[str, Any] = {}
        statuses = check_enum(entity_statuses, ENTITY_STATUSES, "entity_statuses")
        if statuses:
            params["entity_statuses"] = statuses
        if order is not None:
            params["order"] = check_enum([order], ORDERS, "order")[0]
        path = self.kind.path(account)
        if not given:
            yield from self._r.paginate(path, category="ads_read", params=params, page_size=page_size)
            return
        ((name, ids),) = given.items()
        if not ids:
            return
        for batch in chunks(ids, MAX_IDS_PER_LIST):
            yield from self._r.paginate(path, category="ads_read", params={**params, name: batch},
                                        page_size=page_size)

    def get(self, ad_account_id: str, entity_id: str) -> dict:
        """One entity by id (raises :class:`~pintools.http.errors.NotFound` if there is none)."""
        account = check_id(ad_account_id, "ad_account_id")
        eid = check_id(entity_id, f"{self.kind.name} id")
        return self._r.request("GET", f"{self.kind.path(account)}/{eid}", category="ads_read").data

    def create(self, ad_account_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        """Create entities, 30 per call. One result per input item, in input order."""
        return self._write("POST", ad_account_id, items)

    def update(self, ad_account_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        """Partially update entities (each item needs ``id``), 30 per call. One result per item."""
        return self._write("PATCH", ad_account_id, items)

    def _write(self, method: str, ad_account_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        account = check_id(ad_account_id, "ad_account_id")
        items = list(items)
        results: list[dict] = []
        for batch in chunks(items, MAX_BATCH):
            resp = self._r.request(method, self.kind.path(account), category="ads_write", json_body=batch)
            results.extend(normalise_batch_items(resp.data, len(batch), self.kind.segment))
        return results


def normalise_batch_items(data: Any, expected: int, what: str) -> list[dict]:
    """``{"items": [{data, exceptions}]}`` → a list of ``{"data", "exceptions": [..]}``.

    Ads answer ``exceptions`` as one object, campaigns and ad groups as a list (spec §17 #3);
    both become a list here. A count that does not match the request is a ``BadResponse``.

    >>> normalise_batch_items({"items": [{"data": None, "exceptions": {"code": 2, "message": "x"}}]}, 1, "ads")
    [{'data': None, 'exceptions': [{'code': 2, 'message': 'x'}]}]
    """
    from ..http.errors import BadResponse

    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) != expected:
        got = len(items) if isinstance(items, list) else "no"
        raise BadResponse(f"The {what} batch answer has {got} items for {expected} sent; results "
                          f"cannot be matched to rows. Re-read the entities before retrying.")
    out = []
    for item in items:
        item = item if isinstance(item, dict) else {}
        exc = item.get("exceptions")
        if exc is None:
            exc = []
        elif isinstance(exc, dict):
            exc = [exc] if exc else []
        out.append({"data": item.get("data"), "exceptions": list(exc)})
    return out
