"""Ad groups: list/get and the batch create/update rules of digest §4 and §6.

Rules enforced per item (a failing item never blocks the others):
- create needs ``name``, ``campaign_id`` (``C`` prefix accepted) and ``billable_event``;
- in a CBO campaign: ``budget_type`` CBO_ADGROUP (the default there), no own budget, no
  ``start_time``/``end_time``, pacing STANDARD, at most 70 live ad groups;
- outside CBO: ``budget_in_micro_currency`` required, ``budget_type`` DAILY or LIFETIME
  LIFETIME and ``lifetime_frequency_cap`` need ``end_time``;
- ``bid_in_micro_currency`` required for AWARENESS/IMPRESSION, CONSIDERATION/CLICKTHROUGH,
  CATALOG_SALES/CLICKTHROUGH (5.23.0's list; 5.12.0 also named VIDEO_VIEW/VIDEO_V_50_MRC);
- WEB_CONVERSION needs ``optimization_goal_metadata.conversion_tag_v3_goal_metadata``;
- ``budget_type`` and ``billable_event`` change only on drafts; ``campaign_id`` never changes;
  ``targeting_spec`` is replaced whole (no merge, digest §4.1);
- a ``bid_in_micro_currency`` set by a create or an update must not be below the bid floor
  (digest §12.4) of the ad group's billable event, the account's currency, the country codes
  among its ``LOCATION`` targeting and its campaign's objective (:func:`check_bid_floor`, the
  same pure function as the ``bid_floor`` endpoint). Updates that leave the bid alone are not
  checked, so a targeting edit never fails on a bid set earlier.

Example:
    >>> BID_REQUIRED[("CATALOG_SALES", "CLICKTHROUGH")]
    True
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import NOT_FOUND_CODE, ItemError
from pintools.emulator.models import common
from pintools.emulator.models import fields as f
from pintools.emulator.models.bid_floor import bid_floor
from pintools.emulator.models.campaigns import MAX_CBO_AD_GROUPS, Campaigns
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.paging import page
from pintools.emulator.models.store import Store

BID_REQUIRED = {
    ("AWARENESS", "IMPRESSION"): True,
    ("CONSIDERATION", "CLICKTHROUGH"): True,
    ("CATALOG_SALES", "CLICKTHROUGH"): True,
}

CHECKERS = {
    "name": lambda v, n: f.check_str(v, n, max_length=255),
    "status": f.enum_checker(enums.ENTITY_STATUSES),
    "budget_in_micro_currency": f.check_positive_int,
    "bid_in_micro_currency": f.check_positive_int,
    "optimization_goal_metadata": f.check_optimization_goal_metadata,
    "budget_type": f.enum_checker(enums.BUDGET_TYPES),
    "start_time": f.check_time,
    "end_time": f.check_time,
    "targeting_spec": f.check_targeting_spec,
    "lifetime_frequency_cap": f.check_positive_int,
    "tracking_urls": f.check_tracking_urls,
    "auto_targeting_enabled": f.check_bool,
    "placement_group": f.enum_checker(enums.PLACEMENT_GROUP_TYPES),
    "pacing_delivery_type": f.enum_checker(enums.PACING_DELIVERY_TYPES),
    "campaign_id": lambda v, n: f.strip_prefix(v, "C", n),
    "billable_event": f.enum_checker(enums.ACTION_TYPES),
    "bid_strategy_type": f.enum_checker(enums.BID_STRATEGY_TYPES),
}
NULLABLE = frozenset(
    {
        "budget_in_micro_currency",
        "bid_in_micro_currency",
        "optimization_goal_metadata",
        "start_time",
        "end_time",
        "tracking_urls",
        "auto_targeting_enabled",
        "bid_strategy_type",
    }
)
# Non-nullable response fields that have no value until set: omitted rather than null.
OMIT_WHEN_NONE = ("lifetime_frequency_cap", "feed_profile_id")
LIVE = ("ACTIVE", "PAUSED", "DRAFT")


def check_ad_group(record: dict, campaign: dict) -> None:
    """Cross-field rules on a complete ad group record within its campaign."""
    objective = campaign["objective_type"]
    if campaign["is_campaign_budget_optimization"]:
        if record["budget_type"] != "CBO_ADGROUP":
            raise ItemError("Ad groups in CBO campaigns must use budget_type CBO_ADGROUP.")
        if record.get("budget_in_micro_currency") is not None:
            raise ItemError("budget_in_micro_currency cannot be set for ad groups in CBO campaigns.")
        if record.get("start_time") is not None or record.get("end_time") is not None:
            raise ItemError("Start and end time cannot be set for ad groups that belong to CBO campaigns.")
        if record["pacing_delivery_type"] != "STANDARD":
            raise ItemError("CBO campaigns only allow pacing_delivery_type STANDARD.")
    else:
        if record["budget_type"] == "CBO_ADGROUP":
            raise ItemError("budget_type CBO_ADGROUP is only for ad groups in CBO campaigns.")
        if record.get("budget_in_micro_currency") is None:
            raise ItemError("budget_in_micro_currency is required for non-CBO campaigns.")
    if record["budget_type"] == "LIFETIME" and record.get("end_time") is None:
        raise ItemError("LIFETIME budgets require end_time.")
    if record.get("lifetime_frequency_cap") is not None:
        if record.get("end_time") is None:
            raise ItemError("lifetime_frequency_cap requires end_time.")
        if record["billable_event"] != "IMPRESSION":
            raise ItemError("lifetime_frequency_cap is only available for IMPRESSION (CPM) ad groups.")
    if BID_REQUIRED.get((objective, record["billable_event"])) and record.get("bid_in_micro_currency") is None:
        raise ItemError(f"bid_in_micro_currency is required for {objective}/{record['billable_event']} ad groups.")
    if objective == "WEB_CONVERSION":
        goal = record.get("optimization_goal_metadata") or {}
        if not goal.get("conversion_tag_v3_goal_metadata"):
            raise ItemError("optimization_goal_metadata.conversion_tag_v3_goal_metadata is required for WEB_CONVERSION.")
    common.check_flight(record.get("start_time"), record.get("end_time"))


def floor_countries(targeting_spec: dict | None) -> list[str]:
    """The country codes among a targeting spec's ``LOCATION`` values (metro ids are digits).

    Example:
        >>> floor_countries({"LOCATION": ["US", "807", "CA"]})
        ['US', 'CA']
    """
    values = (targeting_spec or {}).get("LOCATION") or []
    return [v for v in values if isinstance(v, str) and v.isalpha()]


def check_bid_floor(record: dict, campaign: dict, currency: str) -> None:
    """Raise item error code 1 when the record's bid is below its bid floor (no bid: no check).

    Example:
        >>> check_bid_floor({"bid_in_micro_currency": 10_000, "billable_event": "CLICKTHROUGH",
        ...                  "targeting_spec": {"LOCATION": ["US"]}}, {"objective_type": "CONSIDERATION"}, "USD")
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.ItemError: Bid is below the minimum bid (floor 150000 micro).
    """
    bid = record.get("bid_in_micro_currency")
    if bid is None:
        return
    floor = bid_floor(record["billable_event"], currency, floor_countries(record.get("targeting_spec")) or None,
                      campaign.get("objective_type"))
    if bid < floor:
        raise ItemError(f"Bid is below the minimum bid (floor {floor} micro).")


def _learning_mode(goal: dict | None) -> str | None:
    conv = (goal or {}).get("conversion_tag_v3_goal_metadata") or {}
    return conv.get("learning_mode_type")


class AdGroups:
    """Ad group state and rules (no HTTP). The state lock guards every call.

    Example:
        >>> from pintools.emulator.models.store import Store
        >>> from pintools.emulator.models.clock import Clock
        >>> store, clock = Store(), Clock()
        >>> AdGroups(store, clock, Campaigns(store, clock)).get("1", "2") is None
        True
    """

    def __init__(self, store: Store, clock: Clock, campaigns: Campaigns):
        self.store = store
        self.clock = clock
        self.campaigns = campaigns

    def render(self, record: dict) -> dict:
        """The ``AdGroupResponse`` body of a record."""
        body = common.render(record)
        for key in OMIT_WHEN_NONE:
            if body.get(key) is None:
                body.pop(key, None)
        body["summary_status"] = common.summary_status(record, self.clock.now())
        return body

    def find(self, account_id: str, ad_group_id: str) -> dict | None:
        """The record of an ad group in this account, or None."""
        record = self.store.ad_groups.get(ad_group_id)
        return record if record is not None and record["ad_account_id"] == account_id else None

    def get(self, account_id: str, ad_group_id: str) -> dict | None:
        """The ``AdGroupResponse`` of one ad group, or None when it is not in the account."""
        record = self.find(account_id, ad_group_id)
        return None if record is None else self.render(record)

    def list(self, account_id, campaign_ids, ad_group_ids, statuses, descending, page_size, bookmark):
        """One page of ad groups, filtered by campaign ids or ad group ids (never both)."""
        shown = common.status_filter(statuses)
        if ad_group_ids:
            ids = [i for i in dict.fromkeys(ad_group_ids) if self.find(account_id, i)]
        elif campaign_ids:
            ids = [
                i
                for c in dict.fromkeys(campaign_ids)
                if self.campaigns.find(account_id, c)
                for i in self.store.children("ad_groups_of_campaign", c)
            ]
        else:
            ids = self.store.children("ad_groups", account_id)
        table = self.store.ad_groups
        rows = [table[i] for i in ids if table[i]["status"] in shown]
        filters = {"op": "ad_groups/list", "account": account_id, "campaign_ids": sorted(campaign_ids or []),
                   "ad_group_ids": sorted(ad_group_ids or []), "statuses": sorted(shown), "desc": descending}
        return page(rows, page_size, bookmark, filters, descending, render=self.render)

    def _campaign_for(self, account_id: str, campaign_id: str) -> dict:
        campaign = self.campaigns.find(account_id, campaign_id)
        if campaign is None:
            raise ItemError("Campaign not found.", code=NOT_FOUND_CODE)
        return campaign

    def currency(self, account_id: str) -> str:
        """The ad account's currency (bid floors are in it); USD when the account is unknown."""
        return (self.store.accounts.get(account_id) or {}).get("currency") or "USD"

    def live_count(self, campaign_id: str) -> int:
        """Ad groups of a campaign that count toward the CBO limit (not archived/deleted)."""
        return sum(
            1 for i in self.store.children("ad_groups_of_campaign", campaign_id)
            if self.store.ad_groups[i]["status"] in LIVE
        )

    def create_one(self, account_id: str, item: dict) -> dict:
        """Create one ad group from an ``AdGroupCreateRequest``; ItemError when it breaks a rule."""
        if not isinstance(item, dict):
            raise ItemError("Each ad group must be a JSON object.")
        f.require(item, "name", "campaign_id", "billable_event")
        values = f.read_fields(item, CHECKERS, NULLABLE)
        campaign = self._campaign_for(account_id, values["campaign_id"])
        if campaign["status"] in ("ARCHIVED", "DELETED_DRAFT"):
            raise ItemError("Ad groups cannot be added to an archived campaign.")
        common.check_create_status(values.get("status", "ACTIVE"), "ad group")
        if campaign["is_campaign_budget_optimization"] and self.live_count(campaign["id"]) >= MAX_CBO_AD_GROUPS:
            raise ItemError(f"A CBO campaign is limited to {MAX_CBO_AD_GROUPS} or less ad groups.")
        record = new_ad_group_record(campaign, values["name"], values["billable_event"], self.clock.now())
        record.update(values)
        record["conversion_learning_mode_type"] = _learning_mode(record["optimization_goal_metadata"])
        check_ad_group(record, campaign)
        check_bid_floor(record, campaign, self.currency(account_id))
        record["id"] = self.store.new_id("ad_group")
        add_ad_group(self.store, record)
        self.store.count_write(record["id"])
        return self.render(record)

    def update_one(self, account_id: str, item: dict) -> dict:
        """Apply one ``AdGroupUpdateRequest``; ItemError when it breaks a rule (nothing changes)."""
        if not isinstance(item, dict):
            raise ItemError("Each ad group must be a JSON object.")
        f.require(item, "id")
        f.check_digits(item["id"], "id")
        values = f.read_fields(item, CHECKERS, NULLABLE)
        record = self.find(account_id, item["id"])
        if record is None:
            raise ItemError("AdGroup not found.", code=NOT_FOUND_CODE)
        common.check_updatable(record["status"], "ad group")
        if values.get("campaign_id", record["campaign_id"]) != record["campaign_id"]:
            raise ItemError("campaign_id of an ad group cannot be changed.")
        for key in ("budget_type", "billable_event"):
            if values.get(key, record[key]) != record[key] and record["status"] != "DRAFT":
                raise ItemError(f"Only draft ad groups may update {key}.")
        if "status" in values:
            common.check_transition(record["status"], values["status"], "ad group")
        merged = {**record, **values}
        campaign = self.store.campaigns[record["campaign_id"]]
        check_ad_group(merged, campaign)
        if values.get("bid_in_micro_currency") is not None:
            check_bid_floor(merged, campaign, self.currency(account_id))
        if "status" in values:
            common.track_pause(record, values["status"], self.clock.now())
        record.update(values)
        if "optimization_goal_metadata" in values:
            record["conversion_learning_mode_type"] = _learning_mode(record["optimization_goal_metadata"])
        record["updated_time"] = common.next_updated_time(record, self.clock.now())
        self.store.count_write(record["id"])
        return self.render(record)


def new_ad_group_record(campaign: dict, name: str, billable_event: str, now: int) -> dict:
    """A fresh ad group record with every response field at its create default.

    In a CBO campaign the budget type defaults to CBO_ADGROUP and there are no flight dates;
    elsewhere DAILY starting ``now`` ("Defaults to current time").

    Example:
        >>> new_ad_group_record({"id": "9", "ad_account_id": "1", "is_campaign_budget_optimization": True},
        ...                     "Prospecting", "IMPRESSION", 0)["budget_type"]
        'CBO_ADGROUP'
    """
    cbo = campaign["is_campaign_budget_optimization"]
    return {
        "id": None,
        "ad_account_id": campaign["ad_account_id"],
        "campaign_id": campaign["id"],
        "name": name,
        "status": "ACTIVE",
        "budget_in_micro_currency": None,
        "bid_in_micro_currency": None,
        "budget_type": "CBO_ADGROUP" if cbo else "DAILY",
        "start_time": None if cbo else now,
        "end_time": None,
        "lifetime_frequency_cap": None,
        "targeting_spec": {},
        "tracking_urls": None,
        "auto_targeting_enabled": True,
        "placement_group": "ALL",
        "pacing_delivery_type": "STANDARD",
        "billable_event": billable_event,
        "bid_strategy_type": None,
        "optimization_goal_metadata": None,
        "conversion_learning_mode_type": None,
        "feed_profile_id": None,
        "dca_assets": None,
        "created_time": now,
        "updated_time": now,
        "type": "adgroup",
    }


def add_ad_group(store: Store, record: dict) -> None:
    """Insert an ad group record under its account and its campaign."""
    store.add("ad_groups", record, ("ad_groups", record["ad_account_id"]),
              ("ad_groups_of_campaign", record["campaign_id"]))
