"""Ads (pin promotions): list/get and the batch create/update rules of digest §5 and §6.

Rules enforced per item (a failing item never blocks the others):
- create needs ``ad_group_id`` (``AG`` prefix accepted), ``pin_id`` and ``creative_type``;
- ``android_deep_link``/``ios_deep_link`` are "not currently available" → item error;
- SHOP_THE_PIN is deprecated → item error on create; QUIZ needs ``quiz_pin_data``;
- ``creative_type`` and ``pin_id`` change only on drafts; ``ad_group_id`` never changes.
New ads start with ``review_status`` PENDING. ``type`` is ``"pinpromotion"`` (§17 #11).

Example:
    >>> ad_summary_status({"status": "ACTIVE", "review_status": "REJECTED"})
    'REJECTED'
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import NOT_FOUND_CODE, ItemError
from pintools.emulator.models import common
from pintools.emulator.models import fields as f
from pintools.emulator.models.ad_groups import AdGroups
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.paging import page
from pintools.emulator.models.store import Store


def _unavailable(value, name):
    raise ItemError(f"{name} is not currently available.")


def _check_object(value, name):
    if not isinstance(value, dict):
        raise ItemError(f"{name} must be an object.")
    return value


CHECKERS = {
    "ad_group_id": lambda v, n: f.strip_prefix(v, "AG", n),
    "android_deep_link": _unavailable,
    "ios_deep_link": _unavailable,
    "carousel_android_deep_links": f.check_str_list,
    "carousel_destination_urls": lambda v, n: [f.check_url(u, n) for u in f.check_str_list(v, n)],
    "carousel_ios_deep_links": f.check_str_list,
    "click_tracking_url": f.check_url,
    "view_tracking_url": f.check_url,
    "destination_url": f.check_url,
    "creative_type": f.enum_checker(enums.CREATIVE_TYPES),
    "is_pin_deleted": f.check_bool,
    "is_removable": f.check_bool,
    "name": lambda v, n: f.check_str(v, n, max_length=255),
    "status": f.enum_checker(enums.ENTITY_STATUSES),
    "tracking_urls": f.check_tracking_urls,
    "lead_form_id": lambda v, n: f.strip_prefix(v, "AG", n),
    "grid_click_type": f.enum_checker(enums.GRID_CLICK_TYPES),
    "customizable_cta_type": f.enum_checker(enums.CUSTOMIZABLE_CTA_TYPES),
    "quiz_pin_data": _check_object,
    "pin_id": f.check_digits,
}
NULLABLE = frozenset(
    {
        "android_deep_link",
        "ios_deep_link",
        "carousel_android_deep_links",
        "carousel_destination_urls",
        "carousel_ios_deep_links",
        "click_tracking_url",
        "view_tracking_url",
        "destination_url",
        "name",
        "tracking_urls",
        "lead_form_id",
        "customizable_cta_type",
        "quiz_pin_data",
    }
)
OMIT_WHEN_NONE = ("grid_click_type",)  # GridClickType's enum has no null


def ad_summary_status(record: dict) -> str:
    """``PinPromotionSummaryStatus`` from the status and the review outcome."""
    status = record["status"]
    if status != "ACTIVE":
        return status
    return {"REJECTED": "REJECTED", "PENDING": "PENDING"}.get(record.get("review_status"), "APPROVED")


def check_ad(record: dict) -> None:
    """Cross-field rules on a complete ad record."""
    if record["creative_type"] == "QUIZ" and not record.get("quiz_pin_data"):
        raise ItemError("quiz_pin_data is required for QUIZ ads.")


class Ads:
    """Ad state and rules (no HTTP). The state lock guards every call.

    Example:
        >>> from pintools.emulator.models.store import Store
        >>> from pintools.emulator.models.clock import Clock
        >>> from pintools.emulator.models.campaigns import Campaigns
        >>> s, c = Store(), Clock(); groups = AdGroups(s, c, Campaigns(s, c))
        >>> Ads(s, c, groups).get("1", "2") is None
        True
    """

    def __init__(self, store: Store, clock: Clock, ad_groups: AdGroups):
        self.store = store
        self.clock = clock
        self.ad_groups = ad_groups

    def render(self, record: dict) -> dict:
        """The ``AdResponse`` body of a record."""
        body = common.render(record)
        for key in OMIT_WHEN_NONE:
            if body.get(key) is None:
                body.pop(key, None)
        body["summary_status"] = ad_summary_status(record)
        return body

    def find(self, account_id: str, ad_id: str) -> dict | None:
        """The record of an ad in this account, or None."""
        record = self.store.ads.get(ad_id)
        return record if record is not None and record["ad_account_id"] == account_id else None

    def get(self, account_id: str, ad_id: str) -> dict | None:
        """The ``AdResponse`` of one ad, or None when it is not in the account."""
        record = self.find(account_id, ad_id)
        return None if record is None else self.render(record)

    def list(self, account_id, campaign_ids, ad_group_ids, ad_ids, statuses, descending, page_size, bookmark):
        """One page of ads, filtered by one kind of id (or none: every ad of the account)."""
        shown = common.status_filter(statuses)
        if ad_ids:
            ids = [i for i in dict.fromkeys(ad_ids) if self.find(account_id, i)]
        elif ad_group_ids:
            ids = [
                i
                for g in dict.fromkeys(ad_group_ids)
                if self.ad_groups.find(account_id, g)
                for i in self.store.children("ads_of_ad_group", g)
            ]
        elif campaign_ids:
            ids = [
                i
                for c in dict.fromkeys(campaign_ids)
                if self.ad_groups.campaigns.find(account_id, c)
                for i in self.store.children("ads_of_campaign", c)
            ]
        else:
            ids = self.store.children("ads", account_id)
        table = self.store.ads
        rows = [table[i] for i in ids if table[i]["status"] in shown]
        filters = {"op": "ads/list", "account": account_id, "campaign_ids": sorted(campaign_ids or []),
                   "ad_group_ids": sorted(ad_group_ids or []), "ad_ids": sorted(ad_ids or []),
                   "statuses": sorted(shown), "desc": descending}
        return page(rows, page_size, bookmark, filters, descending, render=self.render)

    def create_one(self, account_id: str, item: dict) -> dict:
        """Create one ad from an ``AdCreateRequest``; ItemError when it breaks a rule."""
        if not isinstance(item, dict):
            raise ItemError("Each ad must be a JSON object.")
        f.require(item, "ad_group_id", "pin_id", "creative_type")
        values = f.read_fields(item, CHECKERS, NULLABLE)
        group = self.ad_groups.find(account_id, values["ad_group_id"])
        if group is None:
            raise ItemError("AdGroup not found.", code=NOT_FOUND_CODE)
        if group["status"] in ("ARCHIVED", "DELETED_DRAFT"):
            raise ItemError("Ads cannot be added to an archived ad group.")
        if values["creative_type"] == "SHOP_THE_PIN":
            raise ItemError("creative_type SHOP_THE_PIN is deprecated.")
        common.check_create_status(values.get("status", "ACTIVE"), "ad")
        now = self.clock.now()
        record = new_ad_record(account_id, group, values["pin_id"], values["creative_type"], now)
        record.update(values)
        check_ad(record)
        record["id"] = self.store.new_id("ad")
        add_ad(self.store, record)
        self.store.count_write(record["id"])
        return self.render(record)

    def update_one(self, account_id: str, item: dict) -> dict:
        """Apply one ``AdUpdateRequest``; ItemError when it breaks a rule (nothing changes)."""
        if not isinstance(item, dict):
            raise ItemError("Each ad must be a JSON object.")
        f.require(item, "id")
        f.check_digits(item["id"], "id")
        values = f.read_fields(item, CHECKERS, NULLABLE)
        record = self.find(account_id, item["id"])
        if record is None:
            raise ItemError("Ad not found.", code=NOT_FOUND_CODE)
        common.check_updatable(record["status"], "ad")
        if values.get("ad_group_id", record["ad_group_id"]) != record["ad_group_id"]:
            raise ItemError("ad_group_id of an ad cannot be changed.")
        for key in ("creative_type", "pin_id"):
            if values.get(key, record[key]) != record[key] and record["status"] != "DRAFT":
                raise ItemError(f"{key} may only be updated for draft ads.")
        if "status" in values:
            common.check_transition(record["status"], values["status"], "ad")
        check_ad({**record, **values})
        if "status" in values:
            common.track_pause(record, values["status"], self.clock.now())
        record.update(values)
        record["updated_time"] = common.next_updated_time(record, self.clock.now())
        self.store.count_write(record["id"])
        return self.render(record)


def new_ad_record(account_id: str, group: dict, pin_id: str, creative_type: str, now: int) -> dict:
    """A fresh ad record with every response field at its default (review PENDING).

    Example:
        >>> new_ad_record("1", {"id": "2", "campaign_id": "3"}, "4", "REGULAR", 0)["type"]
        'pinpromotion'
    """
    return {
        "id": None,
        "ad_account_id": account_id,
        "campaign_id": group["campaign_id"],
        "ad_group_id": group["id"],
        "pin_id": pin_id,
        "name": None,
        "status": "ACTIVE",
        "creative_type": creative_type,
        "destination_url": None,
        "click_tracking_url": None,
        "view_tracking_url": None,
        "tracking_urls": None,
        "android_deep_link": None,
        "ios_deep_link": None,
        "carousel_android_deep_links": None,
        "carousel_destination_urls": None,
        "carousel_ios_deep_links": None,
        "is_pin_deleted": False,
        "is_removable": False,
        "lead_form_id": None,
        "grid_click_type": None,
        "customizable_cta_type": None,
        "quiz_pin_data": None,
        "collection_items_destination_url_template": None,
        "rejected_reasons": [],
        "rejection_labels": [],
        "review_status": "PENDING",
        "created_time": now,
        "updated_time": now,
        "type": "pinpromotion",
    }


def add_ad(store: Store, record: dict) -> None:
    """Insert an ad record with all its indexes (account, ad group, campaign)."""
    store.add(
        "ads",
        record,
        ("ads", record["ad_account_id"]),
        ("ads_of_ad_group", record["ad_group_id"]),
        ("ads_of_campaign", record["campaign_id"]),
    )
