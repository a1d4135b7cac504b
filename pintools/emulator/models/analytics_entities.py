"""Which ads make up an analytics entity, and the attribute columns each entity has.

An entity is an ad account, campaign, ad group or ad of the path's account. Its metrics are the
sum of its ads' metrics; unknown ids and ids of another account simply produce no entity (and so
no rows). Attributes follow the entity's level: an ad row knows its ad group, campaign and
account; a campaign row knows only the campaign and the account.

Example:
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator import demo
    >>> store = Store(seed=1); demo.build(store, seed=1)
    >>> account = next(iter(store.accounts))
    >>> campaign = store.children("campaigns", account)[0]
    >>> [e.id for e in resolve(store, 0, account, "CAMPAIGN", [campaign, "1"])] == [campaign]
    True
    >>> sorted(resolve(store, 0, account, "CAMPAIGN", [campaign])[0].attrs)[:3]
    ['ADVERTISER_ID', 'AD_ACCOUNT_ID', 'CAMPAIGN_BUDGET_OPTIMIZATION']
"""

from __future__ import annotations

from typing import NamedTuple

from pintools.emulator.models.ads import ad_summary_status
from pintools.emulator.models.common import summary_status
from pintools.emulator.models.store import Store

LEVELS = ("ACCOUNT", "CAMPAIGN", "AD_GROUP", "AD")
ID_COLUMNS = {"ACCOUNT": "AD_ACCOUNT_ID", "CAMPAIGN": "CAMPAIGN_ID", "AD_GROUP": "AD_GROUP_ID", "AD": "AD_ID"}


class Entity(NamedTuple):
    """An analytics entity: its ``id``, ``ads`` (ids), ``ad_groups`` (records, for targeting
    breakdowns) and ``attrs`` (attribute column → value, None-free)."""

    id: str
    ads: list[str]
    ad_groups: list[dict]
    attrs: dict


def _clean(values: dict) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def account_attrs(account_id: str) -> dict:
    """Attributes every row has."""
    return {"AD_ACCOUNT_ID": account_id, "ADVERTISER_ID": account_id}


def campaign_attrs(campaign: dict, now: int) -> dict:
    """Attributes of a campaign (and of everything under it)."""
    order_line = campaign.get("order_line_id")
    return _clean({
        **account_attrs(campaign["ad_account_id"]),
        "CAMPAIGN_ID": campaign["id"], "CAMPAIGN_NAME": campaign["name"],
        "CAMPAIGN_ENTITY_STATUS": campaign["status"], "CAMPAIGN_MANAGED_STATUS": campaign["status"],
        "CAMPAIGN_STATUS": summary_status(campaign, now), "CAMPAIGN_OBJECTIVE_TYPE": campaign["objective_type"],
        "CAMPAIGN_LIFETIME_SPEND_CAP": campaign.get("lifetime_spend_cap"),
        "CAMPAIGN_DAILY_SPEND_CAP": campaign.get("daily_spend_cap"),
        "CAMPAIGN_BUDGET_OPTIMIZATION": campaign.get("is_campaign_budget_optimization"),
        "ORDER_LINE_ID": order_line, "ORDER_LINE_NAME": f"Order line {order_line}" if order_line else None,
    })


def ad_group_attrs(store: Store, group: dict, now: int) -> dict:
    """Attributes of an ad group (and of its ads and keywords)."""
    return _clean({
        **campaign_attrs(store.campaigns[group["campaign_id"]], now),
        "AD_GROUP_ID": group["id"], "AD_GROUP_NAME": group["name"], "AD_GROUP_ENTITY_STATUS": group["status"],
        "AD_GROUP_STATUS": summary_status(group, now), "AD_GROUP_BUDGET_TYPE": group.get("budget_type"),
        "AD_GROUP_BUDGET_IN_LOCAL_CURRENCY": (None if group.get("budget_in_micro_currency") is None
                                              else group["budget_in_micro_currency"] / 1e6),
    })


def ad_attrs(store: Store, ad: dict, now: int) -> dict:
    """Attributes of an ad."""
    status = ad_summary_status(ad)
    return _clean({
        **ad_group_attrs(store, store.ad_groups[ad["ad_group_id"]], now),
        "AD_ID": ad["id"], "PIN_PROMOTION_ID": ad["id"], "PIN_ID": ad.get("pin_id"), "AD_NAME": ad.get("name"),
        "PIN_PROMOTION_NAME": ad.get("name"), "AD_STATUS": status, "PIN_PROMOTION_STATUS": status,
    })


def resolve(store: Store, now: int, account_id: str, level: str, ids: list[str] | None) -> list[Entity]:
    """Entities of a level (ACCOUNT needs no ids), in request order, duplicates and foreign
    or unknown ids dropped."""
    if level == "ACCOUNT":
        groups = [store.ad_groups[i] for i in store.children("ad_groups", account_id)]
        return [Entity(account_id, store.children("ads", account_id), groups, account_attrs(account_id))]
    table = {"CAMPAIGN": store.campaigns, "AD_GROUP": store.ad_groups, "AD": store.ads}[level]
    out = []
    for entity_id in dict.fromkeys(ids or []):
        record = table.get(entity_id)
        if record is None or record["ad_account_id"] != account_id:
            continue
        if level == "CAMPAIGN":
            groups = [store.ad_groups[i] for i in store.children("ad_groups_of_campaign", entity_id)]
            out.append(Entity(entity_id, store.children("ads_of_campaign", entity_id), groups,
                              campaign_attrs(record, now)))
        elif level == "AD_GROUP":
            out.append(Entity(entity_id, store.children("ads_of_ad_group", entity_id), [record],
                              ad_group_attrs(store, record, now)))
        else:
            out.append(Entity(entity_id, [entity_id], [store.ad_groups[record["ad_group_id"]]],
                              ad_attrs(store, record, now)))
    return out
