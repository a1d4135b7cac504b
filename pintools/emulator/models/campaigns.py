"""Campaigns: list/get and the batch create/update rules of digest §3 and §6.

Rules enforced per item (a failing item never blocks the others):
- create needs ``name``, ``objective_type``, ``ad_account_id`` (= the path's account);
- ``lifetime_spend_cap`` and ``daily_spend_cap`` are never both set; a CBO campaign
  (objective AWARENESS, CONSIDERATION, WEB_CONVERSION or CATALOG_SALES) needs exactly one;
- ``objective_type`` changes only on drafts; archived campaigns accept no update;
- ``is_campaign_budget_optimization`` is a create field in 5.23 (``CampaignCreateCommon``, nullable,
  no default): an explicit ``true``/``false`` is honoured (``true`` only on a CBO objective); absent
  or ``null``, the spec is silent, so :data:`CBO_ON_CREATE` lists the emulator's readings, chosen
  on the control plane (``POST /_emulator/campaigns/behaviour``): ``"objective"`` (the default: CBO
  objectives make CBO campaigns, as before), ``"off"`` (absent = false) and ``"required"`` (live test
  accounts reportedly refuse a CBO-objective campaign created without CBO, error 2384; the code
  is from the official SDKs' reports, the message is the emulator's guess);
- ``is_campaign_budget_optimization`` flips on PATCH too (``CampaignUpdateRequest`` has it): to CBO clears child ad-group budgets
  (``CBO_ADGROUP``, no flight dates, ≤70 ad groups); off CBO copies
  ``default_ad_group_budget_in_micro_currency`` into each child's daily budget (required then).
PATCH: absent = unchanged, ``null`` clears nullable fields (``null`` on
``is_campaign_budget_optimization`` = unchanged), ``null`` elsewhere is an item error.

Example:
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator.models.clock import Clock
    >>> store = Store(); store.add("accounts", {"id": "1"})
    >>> c = Campaigns(store, Clock(fixed=1700000000))
    >>> c.create_one("1", {"ad_account_id": "1", "name": "Spring", "objective_type": "AWARENESS",
    ...                    "daily_spend_cap": 50_000_000})["is_campaign_budget_optimization"]
    True
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import NOT_FOUND_CODE, ItemError
from pintools.emulator.models import common
from pintools.emulator.models import fields as f
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.paging import page
from pintools.emulator.models.store import Store

MAX_CBO_AD_GROUPS = 70
CBO_ON_CREATE = ("objective", "off", "required")
CBO_REQUIRED_CODE = 2384

CHECKERS = {
    "ad_account_id": f.check_digits,
    "name": lambda v, n: f.check_str(v, n, max_length=255),
    "status": f.enum_checker(enums.ENTITY_STATUSES),
    "objective_type": f.enum_checker(enums.OBJECTIVE_TYPES),
    "lifetime_spend_cap": f.check_positive_int,
    "daily_spend_cap": f.check_positive_int,
    "order_line_id": f.check_digits,
    "tracking_urls": f.check_tracking_urls,
    "start_time": f.check_time,
    "end_time": f.check_time,
    "is_flexible_daily_budgets": f.check_bool,
    "default_ad_group_budget_in_micro_currency": lambda v, n: f.check_int(v, n, minimum=0),
    "is_automated_campaign": f.check_bool,
}
CREATE_CHECKERS = {**CHECKERS, "is_campaign_budget_optimization": f.check_bool}
UPDATE_CHECKERS = CREATE_CHECKERS
NULLABLE = frozenset(
    {
        "lifetime_spend_cap",
        "daily_spend_cap",
        "order_line_id",
        "tracking_urls",
        "start_time",
        "end_time",
        "default_ad_group_budget_in_micro_currency",
    }
)
UPDATE_NULLABLE = NULLABLE | {"is_campaign_budget_optimization"}
CREATE_NULLABLE = UPDATE_NULLABLE


def is_cbo_objective(objective: str) -> bool:
    """Whether an objective makes a campaign budget-optimised (ObjectiveType description)."""
    return objective in enums.CBO_OBJECTIVES


def check_campaign(record: dict) -> None:
    """Cross-field rules on a complete campaign record."""
    lifetime, daily = record.get("lifetime_spend_cap"), record.get("daily_spend_cap")
    if lifetime is not None and daily is not None:
        raise ItemError("lifetime_spend_cap and daily_spend_cap cannot be set at the same time.")
    if record["is_campaign_budget_optimization"] and lifetime is None and daily is None:
        raise ItemError("Campaign budget optimization (CBO) campaigns require lifetime_spend_cap or daily_spend_cap.")
    common.check_flight(record.get("start_time"), record.get("end_time"))


class Campaigns:
    """Campaign state and rules (no HTTP). The state lock guards every call.

    Example:
        >>> from pintools.emulator.models.store import Store
        >>> from pintools.emulator.models.clock import Clock
        >>> Campaigns(Store(), Clock()).list("1", ids=None, statuses=None, descending=False,
        ...                                  page_size=25, bookmark=None)
        ([], None)
    """

    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock
        self.cbo_on_create = "objective"

    def configure(self, cbo_on_create: str | None = None) -> dict:
        """Choose what a create without ``is_campaign_budget_optimization`` means (None = the default).

        Example:
            >>> from pintools.emulator.models.store import Store
            >>> Campaigns(Store(), Clock()).configure(cbo_on_create="required")
            {'cbo_on_create': 'required'}
        """
        choice = "objective" if cbo_on_create is None else cbo_on_create
        if choice not in CBO_ON_CREATE:
            raise ValueError(f"cbo_on_create must be one of {', '.join(CBO_ON_CREATE)}")
        self.cbo_on_create = choice
        return {"cbo_on_create": choice}

    # ---- reads -------------------------------------------------------------------------
    def render(self, record: dict) -> dict:
        """The ``CampaignResponse`` body of a record."""
        body = common.render(record)
        body["summary_status"] = common.summary_status(record, self.clock.now())
        return body

    def find(self, account_id: str, campaign_id: str) -> dict | None:
        """The record of a campaign in this account, or None."""
        record = self.store.campaigns.get(campaign_id)
        return record if record is not None and record["ad_account_id"] == account_id else None

    def get(self, account_id: str, campaign_id: str) -> dict | None:
        """The ``CampaignResponse`` of one campaign, or None when it is not in the account."""
        record = self.find(account_id, campaign_id)
        return None if record is None else self.render(record)

    def list(self, account_id, ids, statuses, descending, page_size, bookmark):
        """One page of campaigns: id filter, status filter (default ACTIVE+PAUSED), id order."""
        shown = common.status_filter(statuses)
        if ids:
            candidates = [self.store.campaigns[i] for i in dict.fromkeys(ids) if self.find(account_id, i)]
        else:
            candidates = [self.store.campaigns[i] for i in self.store.children("campaigns", account_id)]
        rows = [r for r in candidates if r["status"] in shown]
        filters = {"op": "campaigns/list", "account": account_id, "ids": sorted(ids or []), "statuses": sorted(shown),
                   "desc": descending}
        return page(rows, page_size, bookmark, filters, descending, render=self.render)

    # ---- writes ------------------------------------------------------------------------
    def create_one(self, account_id: str, item: dict) -> dict:
        """Create one campaign from a ``CampaignCreateRequest``; ItemError when it breaks a rule."""
        if not isinstance(item, dict):
            raise ItemError("Each campaign must be a JSON object.")
        f.require(item, "name", "objective_type", "ad_account_id")
        values = f.read_fields(item, CREATE_CHECKERS, CREATE_NULLABLE)
        if values["ad_account_id"] != account_id:
            raise ItemError("ad_account_id must match the ad account in the path.")
        common.check_create_status(values.get("status", "ACTIVE"), "campaign")
        record = new_campaign_record(account_id, values["name"], values["objective_type"], self.clock.now())
        values["is_campaign_budget_optimization"] = self._create_cbo(values)
        record.update(values)
        check_campaign(record)
        record["id"] = self.store.new_id("campaign")
        add_campaign(self.store, record)
        self.store.count_write(record["id"])
        return self.render(record)

    def _create_cbo(self, values: dict) -> bool:
        """The CBO flag of a new campaign: the explicit one, else what :attr:`cbo_on_create` says."""
        objective, flag = values["objective_type"], values.get("is_campaign_budget_optimization")
        if flag and not is_cbo_objective(objective):
            raise ItemError(f"{objective} campaigns cannot use campaign budget optimization.")
        if self.cbo_on_create == "required" and is_cbo_objective(objective) and not flag:
            raise ItemError(f"{objective} campaigns must use campaign budget optimization: set "
                            "is_campaign_budget_optimization to true and a daily_spend_cap or lifetime_spend_cap.",
                            code=CBO_REQUIRED_CODE)
        if flag is not None:
            return bool(flag)
        return self.cbo_on_create == "objective" and is_cbo_objective(objective)

    def update_one(self, account_id: str, item: dict) -> dict:
        """Apply one ``CampaignUpdateRequest``; ItemError when it breaks a rule (nothing changes)."""
        if not isinstance(item, dict):
            raise ItemError("Each campaign must be a JSON object.")
        f.require(item, "id", "ad_account_id")
        values = f.read_fields(item, UPDATE_CHECKERS, UPDATE_NULLABLE)
        f.check_digits(item["id"], "id")
        if values["ad_account_id"] != account_id:
            raise ItemError("ad_account_id must match the ad account in the path.")
        record = self.find(account_id, item["id"])
        if record is None:
            raise ItemError("Campaign not found.", code=NOT_FOUND_CODE)
        common.check_updatable(record["status"], "campaign")
        values.pop("id", None)
        if values.get("is_campaign_budget_optimization", 0) is None:
            values.pop("is_campaign_budget_optimization")
        new_objective = values.get("objective_type", record["objective_type"])
        if new_objective != record["objective_type"] and record["status"] != "DRAFT":
            raise ItemError("Only draft campaigns may update objective type.")
        if "status" in values:
            common.check_transition(record["status"], values["status"], "campaign")
        merged = {**record, **values}
        was_cbo, now_cbo = record["is_campaign_budget_optimization"], merged["is_campaign_budget_optimization"]
        if now_cbo and not is_cbo_objective(merged["objective_type"]):
            raise ItemError(f"{merged['objective_type']} campaigns cannot use campaign budget optimization.")
        check_campaign(merged)
        children = [self.store.ad_groups[i] for i in self.store.children("ad_groups_of_campaign", record["id"])]
        if now_cbo and not was_cbo:
            live = [g for g in children if g["status"] not in ("ARCHIVED", "DELETED_DRAFT")]
            if len(live) > MAX_CBO_AD_GROUPS:
                raise ItemError(f"A CBO campaign is limited to {MAX_CBO_AD_GROUPS} or less ad groups.")
        if was_cbo and not now_cbo and children and merged.get("default_ad_group_budget_in_micro_currency") is None:
            raise ItemError("default_ad_group_budget_in_micro_currency is required to turn off campaign budget optimization.")
        now = self.clock.now()
        if "status" in values:
            common.track_pause(record, values["status"], now)
        record.update(values)
        record["updated_time"] = common.next_updated_time(record, now)
        if now_cbo != was_cbo:
            self._convert_children(children, now_cbo, record.get("default_ad_group_budget_in_micro_currency"), now)
        self.store.count_write(record["id"])
        return self.render(record)

    @staticmethod
    def _convert_children(children: list[dict], to_cbo: bool, default_budget: int | None, now: int) -> None:
        for group in children:
            if to_cbo:
                group.update(budget_in_micro_currency=None, budget_type="CBO_ADGROUP", start_time=None,
                             end_time=None, pacing_delivery_type="STANDARD")
            else:
                group.update(budget_in_micro_currency=default_budget, budget_type="DAILY")
            group["updated_time"] = common.next_updated_time(group, now)


def new_campaign_record(account_id: str, name: str, objective_type: str, now: int) -> dict:
    """A fresh campaign record with every response field at its create default.

    Example:
        >>> new_campaign_record("1", "Spring", "VIDEO_COMPLETION", 0)["is_campaign_budget_optimization"]
        False
    """
    return {
        "id": None,
        "ad_account_id": account_id,
        "name": name,
        "status": "ACTIVE",
        "objective_type": objective_type,
        "lifetime_spend_cap": None,
        "daily_spend_cap": None,
        "order_line_id": None,
        "tracking_urls": None,
        "start_time": None,
        "end_time": None,
        "is_flexible_daily_budgets": False,
        "default_ad_group_budget_in_micro_currency": None,
        "is_automated_campaign": False,
        "is_campaign_budget_optimization": is_cbo_objective(objective_type),
        "created_time": now,
        "updated_time": now,
        "type": "campaign",
    }


def add_campaign(store: Store, record: dict) -> None:
    """Insert a campaign record under its account."""
    store.add("campaigns", record, ("campaigns", record["ad_account_id"]))
