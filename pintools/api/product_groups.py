"""Product group promotions (the bids and statuses of CATALOG_SALES ad groups) and their analytics.

``GET|POST|PATCH /ad_accounts/{id}/product_group_promotions``, ``GET …/product_group_promotions/{id}``
and ``GET …/product_groups/analytics`` (5.23). Write bodies name one ad group and 1..30
promotions (``{"ad_group_id", "product_group_promotion": [...]}``); per-item answers come back
as ``{"data", "exceptions"}`` — a failed item may carry no ``data`` at all (the schema does not
let it be null), so read ``exceptions`` first.

>>> client.product_groups.update("549755885175", "2680060704746",
...                              [{"id": "2680059592705", "status": "PAUSED"}])   # doctest: +SKIP
[{'data': {...}, 'exceptions': []}]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..http.requestor import Requestor
from ._common import check_enum, check_id, check_ids, chunks
from .analytics import CATEGORY, _rows, attribution_params
from .entities import ENTITY_STATUSES

MAX_BATCH = 30  # "size limit [1, 30]"
MAX_LIST_IDS = 250  # product_group_promotion_ids maxItems
MAX_ANALYTICS_IDS = 250  # product_group_ids maxItems in 5.23 (100 in 5.12): chunk by 100 to suit both
ANALYTICS_CHUNK = 100


class ProductGroups:
    """Product group promotion endpoints, returning plain dicts as the API sends them."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "ProductGroups()"

    def list(self, ad_account_id: str, *, ad_group_id: str | None = None, ids: Sequence[str] | None = None,
             entity_statuses: Sequence[str] | None = None, page_size: int = 250) -> Iterator[dict]:
        """Promotions by ``ids``, else under ``ad_group_id``, else all of the account (lazily, every page).

        ``entity_statuses=None`` keeps the API default (ACTIVE and PAUSED); more than 250 ids
        are split over several list calls.

        >>> list(client.product_groups.list("549755885175", ad_group_id="2680060704746"))  # doctest: +SKIP
        """
        account = check_id(ad_account_id, "ad_account_id")
        params: dict[str, Any] = {}
        if ad_group_id is not None:
            params["ad_group_id"] = check_id(ad_group_id, "ad_group_id")
        statuses = check_enum(entity_statuses, ENTITY_STATUSES, "entity_statuses")
        if statuses:
            params["entity_statuses"] = statuses
        path = f"/ad_accounts/{account}/product_group_promotions"
        checked = check_ids(ids, "ids")
        if checked is None:
            return self._r.paginate(path, category="ads_read", params=params, page_size=page_size)
        if not checked:
            return iter(())

        def every() -> Iterator[dict]:
            for part in chunks(checked, MAX_LIST_IDS):
                yield from self._r.paginate(path, category="ads_read", page_size=page_size,
                                            params={**params, "product_group_promotion_ids": part})

        return every()

    def get(self, ad_account_id: str, product_group_promotion_id: str) -> dict:
        """One promotion by id.

        >>> client.product_groups.get("549755885175", "2680059592705")["status"]   # doctest: +SKIP
        'ACTIVE'
        """
        account = check_id(ad_account_id, "ad_account_id")
        pid = check_id(product_group_promotion_id, "product_group_promotion_id")
        return self._r.request("GET", f"/ad_accounts/{account}/product_group_promotions/{pid}",
                               category="ads_read").data

    def _write(self, method: str, ad_account_id: str, ad_group_id: str, items: Sequence[Mapping[str, Any]],
               ) -> list[dict]:
        account = check_id(ad_account_id, "ad_account_id")
        group = check_id(ad_group_id, "ad_group_id")
        out: list[dict] = []
        for part in chunks(list(items), MAX_BATCH):
            body = {"ad_group_id": group, "product_group_promotion": [dict(i) for i in part]}
            data = self._r.request(method, f"/ad_accounts/{account}/product_group_promotions", category="ads_write",
                                   json_body=body).data or {}
            out.extend(data.get("items") or [])
        return out

    def create(self, ad_account_id: str, ad_group_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        """Promote catalog product groups in one ad group; one ``{data, exceptions}`` per item.

        >>> client.product_groups.create("549755885175", "2680060704746",
        ...                              [{"catalog_product_group_id": "1231235"}])      # doctest: +SKIP
        """
        return self._write("POST", ad_account_id, ad_group_id, items)

    def update(self, ad_account_id: str, ad_group_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        """Change promotions of one ad group (each item needs ``id``); one ``{data, exceptions}`` per item.

        >>> client.product_groups.update("549755885175", "2680060704746",
        ...                              [{"id": "2680059592705", "bid_in_micro_currency": 1_500_000}])  # doctest: +SKIP
        """
        for i, item in enumerate(items):
            check_id(item.get("id"), f"product group promotion {i} id")
        return self._write("PATCH", ad_account_id, ad_group_id, items)

    def analytics(self, ad_account_id: str, *, product_group_ids: Sequence[str], start_date: str, end_date: str,
                  columns: Sequence[str], granularity: str, click_window_days: int | None = None,
                  engagement_window_days: int | None = None, view_window_days: int | None = None,
                  conversion_report_time: str | None = None) -> list[dict]:
        """Rows of ``product_groups/analytics`` (``PRODUCT_GROUP_ID`` in each), 100 ids a call.

        >>> client.product_groups.analytics("549755885175", product_group_ids=["2680059592705"],
        ...     start_date="2026-11-01", end_date="2026-11-07", columns=["SPEND_IN_DOLLAR"],
        ...     granularity="DAY")                                                   # doctest: +SKIP
        """
        account = check_id(ad_account_id, "ad_account_id")
        ids = check_ids(product_group_ids, "product_group_ids")
        if not ids:
            raise ValueError("product group analytics need at least one id in product_group_ids")
        params = {"start_date": str(start_date), "end_date": str(end_date), "columns": ",".join(columns),
                  "granularity": granularity, **attribution_params(click_window_days, engagement_window_days,
                                                                   view_window_days, conversion_report_time)}
        rows: list[dict] = []
        for part in chunks(ids, ANALYTICS_CHUNK):
            data = self._r.request("GET", f"/ad_accounts/{account}/product_groups/analytics", category=CATEGORY,
                                   params={**params, "product_group_ids": part}).data
            rows.extend(_rows(data, "product group analytics"))
        return rows
