"""Deterministic demo product group promotions: the CATALOG_SALES ad groups of the first demo
account each promote :data:`PRODUCT_GROUPS` (four catalog product groups).

Per ad group, in order: "All Products" (ACTIVE, bid null = the ad group's bid), "Best Sellers"
(ACTIVE, own bid), "Sale Items" (PAUSED, own bid) and "Clearance" (ACTIVE but excluded,
``included`` false). Bids are USD price points converted to the account's currency. Ids come
from their own random stream (:data:`pintools.emulator.models.store.OWN_STEPS`), and this runs
after the rest of the demo data, so nothing else changes. Other accounts get none (with custom
``accounts`` without a CATALOG_SALES campaign in the first one, there are none at all).

Example:
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator import demo
    >>> store = Store(seed=3); demo.build(store, seed=3); build(store, seed=3)
    >>> promos = list(store.tables["product_group_promotions"].values())
    >>> [p["catalog_product_group_name"] for p in promos[:4]]
    ['All Products', 'Best Sellers', 'Sale Items', 'Clearance']
"""

from __future__ import annotations

import random

from pintools.emulator.demo_catalog import CURRENCY_FACTORS
from pintools.emulator.models.product_groups import add_record, new_record
from pintools.emulator.models.store import Store

DEMO_CREATED = 1_704_067_200 - 30 * 86_400  # a month before DEMO_EPOCH: delivery from day one
#: (name, status, included, bid in USD or None, definition)
PRODUCT_GROUPS = (
    ("All Products", "ACTIVE", True, None, "*"),
    ("Best Sellers", "ACTIVE", True, 1.20, "*/custom_label_0='best sellers'"),
    ("Sale Items", "PAUSED", True, 0.85, "*/custom_label_1='sale'"),
    ("Clearance", "ACTIVE", False, 0.50, "*/custom_label_1='clearance'"),
)


def catalog_ad_groups(store: Store, account_id: str) -> list[dict]:
    """The ad groups of an account whose campaign is CATALOG_SALES, in id order."""
    out = []
    for group_id in store.children("ad_groups", account_id):
        group = store.ad_groups[group_id]
        if store.campaigns[group["campaign_id"]]["objective_type"] == "CATALOG_SALES":
            out.append(group)
    return out


def build(store: Store, seed: int = 0) -> None:
    """Add the demo promotions to a store that already holds the demo entities."""
    rng = random.Random(f"product-groups:{seed}")
    accounts = [a for a in store.accounts.values() if a.get("_accessible")]
    if not accounts:
        return
    account = accounts[0]
    factor = CURRENCY_FACTORS.get(account["currency"], 1.0)
    catalog_ids = {}
    for group in catalog_ad_groups(store, account["id"]):
        for name, status, included, usd, definition in PRODUCT_GROUPS:
            catalog_id = catalog_ids.setdefault(name, str(rng.randrange(10**12, 10**13)))
            record = new_record(account["id"], group["id"], catalog_id, DEMO_CREATED)
            bid = None if usd is None else int(round(usd * factor * 100)) * 10_000
            record.update(catalog_product_group_name=name, status=status, included=included,
                          bid_in_micro_currency=bid, definition=definition,
                          relative_definition=definition.rsplit("/", 1)[-1], customizable_cta_type="SHOP_NOW")
            record["id"] = store.new_id("product_group_promotion")
            add_record(store, record)
