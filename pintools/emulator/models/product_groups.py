"""Product group promotions: list/get and the batch create/update rules (5.23
``product_group_promotions/*``; also the ``product_groups`` lists of bulk upsert).

A product group promotion puts one catalog product group (``catalog_product_group_id``) into a
shopping ad group, with its own ``bid_in_micro_currency`` (null: the ad group's bid) and
``status``. Request bodies are ``{"ad_group_id", "product_group_promotion": [..]}`` (1..30 items,
the spec's "size limit [1, 30]"); the answer is ``{"items": [{"data", "exceptions": [..]}]}``,
one per item, in input order, a failing item never blocking the others.

The spec is silent on every rule below; they are **the emulator's rules**, said so in messages:

- the ad group must be this account's, live (not ARCHIVED / DELETED_DRAFT), and in a
  CATALOG_SALES campaign;
- a create needs ``catalog_product_group_id``; one catalog product group is promoted at most
  once per ad group;
- ``bid_in_micro_currency`` is an integer ≥ 1 or null; ``status`` moves as campaigns' do
  (ARCHIVED is final); an update must name the ad group the promotion is in.

Writes keep a private ``_updated_time`` and ``_created_day`` (analytics give a promotion no
delivery before the day it was created).

Example:
    >>> from pintools.emulator.models.store import Store
    >>> body_problem({"ad_group_id": "AG1", "product_group_promotion": []})
    'product_group_promotion must hold 1 to 30 items.'
    >>> ProductGroups(Store(), None).list("1", None, None, None, False, 25, None)
    ([], None)
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import NOT_FOUND_CODE, ItemError
from pintools.emulator.models import common
from pintools.emulator.models import fields as f
from pintools.emulator.models.metrics import day_ordinal
from pintools.emulator.models.paging import page
from pintools.emulator.models.store import Store

TABLE = "product_group_promotions"
MAX_ITEMS = 30
MAX_FILTER_IDS = 250  # query_product_group_promotion_ids maxItems (5.23.0)
RULE = "(the emulator's rule; the spec does not say)"
HEADER_TYPES = ("SHOP_THIS_COLLECTION", "EXPLORE_THIS_COLLECTION", "NO_HEADER", "ON_SALE", "GET_DEAL")
CTA_TYPES = ("SHOP_NOW", "BOOK_NOW", "ON_SALE", "GET_DEAL", "BUY_ONLINE_PICKUP_IN_STORE")
MEDIA_TYPES = ("VIDEO", "IMAGE")
_STR_FIELDS = ("catalog_product_group_name", "collections_hero_destination_url", "definition", "relative_definition",
               "selected_image_tag", "selected_video_tag", "slideshow_collections_description",
               "slideshow_collections_title", "tracking_url")
CHECKERS = {
    "bid_in_micro_currency": f.check_positive_int,
    "catalog_product_group_id": f.check_digits,
    "collections_header_type": f.enum_checker(HEADER_TYPES),
    "collections_hero_pin_id": f.check_digits,
    "creative_type": f.enum_checker(enums.CREATIVE_TYPES),
    "customizable_cta_type": f.enum_checker(CTA_TYPES),
    "grid_click_type": f.enum_checker(enums.GRID_CLICK_TYPES),
    "included": f.check_bool,
    "is_generate_background": f.check_bool,
    "is_mdl": f.check_bool,
    "parent_id": f.check_digits,
    "preferred_media_type": f.enum_checker(MEDIA_TYPES),
    "status": f.enum_checker(enums.ENTITY_STATUSES),
    **{name: f.check_str for name in _STR_FIELDS},
}
#: what ``product_groups/analytics`` ids name: the promotion ``id`` (default) or its
#: ``catalog_product_group_id`` (the spec does not say; see :mod:`.product_group_analytics`)
ANALYTICS_ID_KINDS = ("promotion", "catalog")
DEFAULT_BEHAVIOUR = {"analytics_ids": "promotion"}
NULLABLE = frozenset(CHECKERS) - {"creative_type", "grid_click_type", "status"}


def body_problem(body) -> str | None:
    """What is wrong with a ``ProductGroupPromotionCreate/UpdateRequest`` body, or None.

    Example:
        >>> body_problem({"product_group_promotion": [{}]})
        'ad_group_id is required.'
    """
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    if not isinstance(body.get("ad_group_id"), str):
        return "ad_group_id is required."
    items = body.get("product_group_promotion")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        return f"product_group_promotion must hold 1 to {MAX_ITEMS} items."
    return None


def new_record(account_id: str, ad_group_id: str, catalog_product_group_id: str, now: int) -> dict:
    """A promotion record with the spec's fields (id filled in by the caller).

    Example:
        >>> new_record("5", "9", "123", 0)["included"]
        True
    """
    return {
        "id": None, "ad_group_id": ad_group_id, "bid_in_micro_currency": None,
        "catalog_product_group_id": catalog_product_group_id, "catalog_product_group_name": None,
        "collections_header_type": None, "collections_hero_destination_url": None, "collections_hero_pin_id": None,
        "creative_type": "SHOPPING", "customizable_cta_type": None, "definition": None,
        "grid_click_type": "CLOSEUP", "included": True, "is_generate_background": False, "is_mdl": False,
        "parent_id": None, "preferred_media_type": None, "relative_definition": None, "selected_image_tag": None,
        "selected_video_tag": None, "slideshow_collections_description": None, "slideshow_collections_title": None,
        "status": "ACTIVE", "tracking_url": None,
        "_ad_account_id": account_id, "_updated_time": now, "_created_day": day_ordinal(now),
    }


def add_record(store: Store, record: dict) -> None:
    """Insert a promotion under its account and its ad group."""
    store.add(TABLE, record, (TABLE, record["_ad_account_id"]), ("product_groups_of_ad_group", record["ad_group_id"]))


class ProductGroups:
    """Product group promotion state and rules (no HTTP). The state lock guards every call.

    ``ad_groups`` is the :class:`~pintools.emulator.models.ad_groups.AdGroups` model (its
    ``find``, ``campaigns`` and ``clock``).
    """

    def __init__(self, store: Store, ad_groups):
        self.store = store
        self.ad_groups = ad_groups
        self.behaviour = dict(DEFAULT_BEHAVIOUR)

    def configure(self, analytics_ids: str | None = None) -> dict:
        """Set what ``product_groups/analytics`` ids name (None restores the default); the behaviour.

        Example:
            >>> ProductGroups(Store(), None).configure(analytics_ids="catalog")
            {'analytics_ids': 'catalog'}
        """
        kind = DEFAULT_BEHAVIOUR["analytics_ids"] if analytics_ids is None else analytics_ids
        if kind not in ANALYTICS_ID_KINDS:
            raise ValueError(f"analytics_ids must be one of {', '.join(ANALYTICS_ID_KINDS)}")
        self.behaviour["analytics_ids"] = kind
        return dict(self.behaviour)

    @property
    def table(self) -> dict[str, dict]:
        return self.store.tables[TABLE]

    def find(self, account_id: str, promotion_id: str) -> dict | None:
        """The record of a promotion in this account, or None."""
        record = self.table.get(promotion_id)
        return record if record is not None and record["_ad_account_id"] == account_id else None

    def get(self, account_id: str, promotion_id: str) -> dict | None:
        """The ``ProductGroupPromotion`` body of one promotion, or None."""
        record = self.find(account_id, promotion_id)
        return None if record is None else common.render(record)

    def list(self, account_id, ids, ad_group_id, statuses, descending, page_size, bookmark):
        """One page of promotions: by ids, else under one ad group, else every one of the account."""
        shown = common.status_filter(statuses)
        if ids:
            found = [i for i in dict.fromkeys(ids) if self.find(account_id, i)]
        elif ad_group_id:
            found = [i for i in self.store.children("product_groups_of_ad_group", ad_group_id)
                     if self.find(account_id, i)]
        else:
            found = self.store.children(TABLE, account_id)
        rows = [self.table[i] for i in found if self.table[i]["status"] in shown]
        filters = {"op": "product_group_promotions/list", "account": account_id, "ids": sorted(ids or []),
                   "ad_group_id": ad_group_id, "statuses": sorted(shown), "desc": descending}
        return page(rows, page_size, bookmark, filters, descending=descending, render=common.render)

    def _group(self, account_id: str, raw) -> dict:
        group_id = f.strip_prefix(raw, "AG", "ad_group_id")
        group = self.ad_groups.find(account_id, group_id)
        if group is None:
            raise ItemError("AdGroup not found.", code=NOT_FOUND_CODE)
        return group

    def create_one(self, account_id: str, ad_group_raw, item) -> dict:
        """Create one promotion under ``ad_group_raw``; ItemError when it breaks a rule."""
        if not isinstance(item, dict):
            raise ItemError("Each product group promotion must be a JSON object.")
        group = self._group(account_id, ad_group_raw)
        if group["status"] in ("ARCHIVED", "DELETED_DRAFT"):
            raise ItemError(f"Product group promotions cannot be added to an archived ad group {RULE}.")
        campaign = self.ad_groups.campaigns.find(account_id, group["campaign_id"]) or {}
        if campaign.get("objective_type") != "CATALOG_SALES":
            raise ItemError(f"Product group promotions belong to CATALOG_SALES ad groups {RULE}.")
        f.require(item, "catalog_product_group_id")
        values = f.read_fields(item, CHECKERS, NULLABLE)
        common.check_create_status(values.get("status", "ACTIVE"), "product group promotion")
        promoted = {self.table[i]["catalog_product_group_id"]
                    for i in self.store.children("product_groups_of_ad_group", group["id"])
                    if self.table[i]["status"] != "ARCHIVED"}
        if values["catalog_product_group_id"] in promoted:
            raise ItemError(f"Catalog product group {values['catalog_product_group_id']} is already promoted "
                            f"in ad group {group['id']} {RULE}.")
        now = self.ad_groups.clock.now()
        record = new_record(account_id, group["id"], values["catalog_product_group_id"], now)
        record.update(values)
        record["id"] = self.store.new_id("product_group_promotion")
        add_record(self.store, record)
        self.store.count_write(record["id"])
        return common.render(record)

    def update_one(self, account_id: str, ad_group_raw, item) -> dict:
        """Apply one update item (``id`` required) of a promotion under ``ad_group_raw``."""
        if not isinstance(item, dict):
            raise ItemError("Each product group promotion must be a JSON object.")
        f.require(item, "id")
        f.check_digits(item["id"], "id")
        group = self._group(account_id, ad_group_raw)
        values = f.read_fields(item, CHECKERS, NULLABLE)
        record = self.find(account_id, item["id"])
        if record is None:
            raise ItemError("Product group promotion not found.", code=NOT_FOUND_CODE)
        if record["ad_group_id"] != group["id"]:
            raise ItemError(f"Product group promotion {record['id']} is in ad group {record['ad_group_id']}, "
                            f"not {group['id']} {RULE}.")
        common.check_updatable(record["status"], "product group promotion")
        if values.get("catalog_product_group_id", record["catalog_product_group_id"]) \
                != record["catalog_product_group_id"]:
            raise ItemError(f"catalog_product_group_id of a product group promotion cannot be changed {RULE}.")
        if "status" in values:
            common.check_transition(record["status"], values["status"], "product group promotion")
        record.update(values)
        record["_updated_time"] = self.ad_groups.clock.now()
        self.store.count_write(record["id"])
        return common.render(record)
