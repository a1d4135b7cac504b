"""``read_product_groups`` and ``read_product_group_analytics``: the product group promotions of
CATALOG_SALES ad groups (their bids and statuses) and their metrics, as typed DataFrames.

A product group promotion puts one catalog product group into a shopping ad group with its own
bid (``bid_in_micro_currency``: integer micros of the account's ``currency``; null = the ad
group's bid) and ``status``. Edit bids and statuses through an edit plan::

    >>> import pintools as pt
    >>> groups = pt.read_product_groups("549755885175", ad_group_ids=["2680060704746"])  # doctest: +SKIP
    >>> desired = groups[["id"]].assign(bid_in_micro_currency=1_500_000)                  # doctest: +SKIP
    >>> plan = pt.EditPlan.from_frames(groups, desired, entity_type="product_group")      # doctest: +SKIP

Which id ``product_groups/analytics`` takes is not said by the spec ("Product group Ids"): the
promotion's ``id`` or its ``catalog_product_group_id``. :func:`read_product_group_analytics`
sends what you give and returns ``product_group_id`` as Pinterest keys its rows; with a
product groups frame, pass ``product_groups=`` instead and both kinds of id are asked for and
each row is mapped back to its promotions' ``id`` (see that function).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .analytics.columns import check_columns
from .analytics.dates import resolve_range
from .analytics.tidy import tidy_frame
from .analytics.windows import GRANULARITIES, plan_windows
from .api._common import check_id, check_ids
from .entities import Statuses, _about, _client, _frame, _statuses
from .frames import schema

if TYPE_CHECKING:
    from .client import Client

DEFAULT_COLUMNS = ("SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "CTR")


def read_product_groups(
    ad_account_id: str | int,
    *,
    ad_group_ids: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Product group promotions of one ad account: under ``ad_group_ids`` (one paged list per ad
    group), or by their ``ids``, or — with neither — all of the account. ``statuses`` keeps
    Pinterest's default (ACTIVE and PAUSED) unless given; ``"all"`` adds ARCHIVED and DRAFT.

    Ids are text, ``bid_in_micro_currency`` integer micros (``Int64``, null = the ad group's bid)
    with the account's ``currency`` on every row.

    >>> pt.read_product_groups("549755885175", ad_group_ids=["2680060704746"])   # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    groups = check_ids(ad_group_ids, "ad_group_ids")
    wanted_ids = check_ids(ids, "ids")
    if groups is not None and wanted_ids is not None:
        raise ValueError("give ad_group_ids or ids, not both: Pinterest filters by one at a time")
    wanted = _statuses(statuses)
    with _about(account):
        c.currency_of(account)  # an unknown account fails here, first
        if groups is not None:
            records = [r for g in groups for r in c.product_groups.list(account, ad_group_id=g, entity_statuses=wanted)]
        else:
            records = list(c.product_groups.list(account, ids=wanted_ids, entity_statuses=wanted))
        return _frame(records, schema.PRODUCT_GROUP, c, account)


def read_product_group_analytics(
    ad_account_id: str | int,
    start_date: "dt.date | str",
    end_date: "dt.date | str | None" = None,
    *,
    product_group_ids: Sequence[str] | None = None,
    product_groups: pd.DataFrame | None = None,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    granularity: str = "DAY",
    click_window_days: int | None = None,
    view_window_days: int | None = None,
    conversion_report_time: str | None = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Metrics per product group from ``product_groups/analytics`` (sync: 90 days a call, 100 ids
    a call), one row per product group and period: ``ad_account_id``, ``currency``,
    ``product_group_id``, ``date`` (unless TOTAL), then the columns.

    ``product_group_ids`` are sent as given and rows keep the id Pinterest answers with.
    ``product_groups`` (a :func:`read_product_groups` frame) sends both each promotion's ``id``
    and its ``catalog_product_group_id`` — the spec does not say which one the endpoint takes —
    and maps every row back to the promotion ``id`` (adding ``catalog_product_group_id``); a row
    keyed by a catalog product group promoted in several of the given ad groups is kept once,
    with ``product_group_id`` null, since its split between them is unknown.

    >>> pt.read_product_group_analytics("549755885175", "2026-11-01", "2026-11-07",
    ...                                 product_groups=groups, columns=["SPEND_IN_DOLLAR"])  # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    if (product_group_ids is None) == (product_groups is None):
        raise ValueError("give product_group_ids or product_groups (a pt.read_product_groups frame), one of them")
    granularity = str(granularity).upper()
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    cols = tuple(check_columns(list(columns), report=False))
    today = c.today()  # the API's clock (the emulator's when embedded), as every preset
    start, end = resolve_range(start_date, end_date, today=today)
    windows = plan_windows(start, end, granularity=granularity, today=today, report=False)
    promotion_of: dict[str, str | None] = {}
    if product_groups is not None:
        for rec in product_groups[["id", "catalog_product_group_id"]].astype("string").to_dict("records"):
            promotion_of[str(rec["id"])] = str(rec["id"])
            catalog = rec["catalog_product_group_id"]
            if catalog is not None and catalog is not pd.NA:
                known = promotion_of.get(str(catalog), str(rec["id"]))
                promotion_of[str(catalog)] = known if known == str(rec["id"]) else None
        ids = list(promotion_of)
    else:
        ids = check_ids(product_group_ids, "product_group_ids") or []
    if not ids:
        raise ValueError("no product group ids to read")
    attribution = {k: v for k, v in (("click_window_days", click_window_days), ("view_window_days", view_window_days),
                                     ("conversion_report_time", conversion_report_time)) if v is not None}
    rows: list[dict] = []
    with _about(account):
        currency = c.currency_of(account)
        for w in windows:
            rows += c.product_groups.analytics(account, product_group_ids=ids, start_date=w.start.isoformat(),
                                               end_date=w.end.isoformat(), columns=list(cols),
                                               granularity=granularity, **attribution)
    keys = [None if r.get("PRODUCT_GROUP_ID") is None else str(r["PRODUCT_GROUP_ID"]) for r in rows]
    frame = tidy_frame(rows, level="ad_account", columns=[x for x in cols if x != "PRODUCT_GROUP_ID"],
                       granularity=granularity, ad_account_id=account, currency=currency)
    if product_groups is not None:
        catalog = dict(zip(product_groups["id"].astype(str), product_groups["catalog_product_group_id"], strict=True))
        mapped = [promotion_of.get(k) if k is not None else None for k in keys]
        frame.insert(2, "product_group_id", pd.array(mapped, dtype="string"))
        frame.insert(3, "catalog_product_group_id", pd.array(
            [catalog.get(m) if m is not None else (k if k not in catalog else None) for m, k in zip(mapped, keys,
                                                                                                   strict=True)],
            dtype="string"))
    else:
        frame.insert(2, "product_group_id", pd.array(keys, dtype="string"))
    order = [k for k in ("product_group_id", "date") if k in frame.columns]
    return frame.sort_values(order, kind="stable", ignore_index=True) if len(frame) else frame
