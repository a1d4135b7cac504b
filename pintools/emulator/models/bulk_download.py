"""The bulk download file (digest §13.3): an account's entities as JSON or CSV.

Which entities: those of the requested ``entity_types`` that are **active** ("only active
entities will return data": campaigns, ad groups and ads with status ACTIVE, keywords not
archived), narrowed by
- ``entity_ids``: the entities named plus their children and grandchildren (a campaign brings
  its ad groups, their ads and keywords, and its own keywords; an ad group its ads and keywords);
- ``updated_since``: ``updated_time`` at or after it (keywords: their last API write; demo
  keywords were never written, so they drop out);
- ``campaign_filter``: entities under a campaign whose flight overlaps [``start_time``,
  ``end_time``], whose name contains ``name`` (case-insensitive), whose ``summary_status`` is in
  ``campaign_status`` and whose objective is in ``objective_type`` (account-level keywords
  belong to no campaign and drop out).
``PRODUCT_GROUP``: the ACTIVE product group promotions of the ad groups in scope (``entity_ids``
reach them through their ad group or campaign; ``updated_since`` uses their last API write).

JSON file: ``{"CAMPAIGN": [CampaignResponse, ...], "AD_GROUP": [AdGroupResponse, ...],
"PRODUCT_GROUP": [ProductGroupPromotion, ...], "AD": [AdResponse, ...], "KEYWORD": [Keyword, ...]}`` — one key per requested
type, in that order, objects exactly as the API's GET answers render them, in id order.
CSV file (the emulator's choice of layout): one table, first column ``entity_type``, then the
union of the fields of the rows in first-seen order (campaign fields first); empty cells for
null or absent fields, ``true``/``false`` for booleans, compact JSON for objects and arrays.

Example:
    >>> to_csv({"CAMPAIGN": [{"id": "1", "tracking_urls": None, "is_flexible_daily_budgets": False}],
    ...         "KEYWORD": [{"id": "2", "bid": 5}]})
    b'entity_type,id,tracking_urls,is_flexible_daily_budgets,bid\\r\\nCAMPAIGN,1,,false,\\r\\nKEYWORD,2,,,5\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json

from pintools.emulator.models.bulk_request import CampaignFilter, DownloadSpec
from pintools.emulator.models.common import render, summary_status
from pintools.emulator.models.store import Store


def _campaign_matches(campaign: dict, flt: CampaignFilter, now: int) -> bool:
    start, end = campaign.get("start_time"), campaign.get("end_time")
    if flt.start_time is not None and end is not None and end < flt.start_time:
        return False
    if flt.end_time is not None and start is not None and start > flt.end_time:
        return False
    if flt.name is not None and flt.name.lower() not in campaign["name"].lower():
        return False
    if flt.campaign_status is not None and summary_status(campaign, now) not in flt.campaign_status:
        return False
    return flt.objective_type is None or campaign["objective_type"] in flt.objective_type


class _Scope:
    """Ids of the account's entities, their campaign, and what ``entity_ids`` reaches."""

    def __init__(self, store: Store, account_id: str, entity_ids):
        self.store = store
        self.campaigns = store.children("campaigns", account_id)
        self.ad_groups = store.children("ad_groups", account_id)
        self.ads = store.children("ads", account_id)
        self.keywords = [k for k, r in store.keywords.items() if r["_ad_account_id"] == account_id]
        self.reached = None if entity_ids is None else self._reach(set(entity_ids))

    def _reach(self, named: set[str]) -> set[str]:
        reached = set(named)
        for campaign_id in named & set(self.campaigns):
            groups = self.store.children("ad_groups_of_campaign", campaign_id)
            reached.update(groups)
            reached.update(self.store.children("ads_of_campaign", campaign_id))
            reached.update(self.store.children("keywords", campaign_id))
            for group_id in groups:
                reached.update(self.store.children("keywords", group_id))
        for group_id in named & set(self.ad_groups):
            reached.update(self.store.children("ads_of_ad_group", group_id))
            reached.update(self.store.children("keywords", group_id))
        return reached

    def campaign_of_keyword(self, record: dict) -> str | None:
        if record["parent_type"] == "campaign":
            return record["parent_id"]
        if record["parent_type"] == "ad_group":
            return self.store.ad_groups[record["parent_id"]]["campaign_id"]
        return None


def select(store: Store, account_id: str, spec: DownloadSpec, now: int, render_as: dict) -> dict[str, list[dict]]:
    """``{entity type: [rendered entity]}`` for a download (``render_as`` maps CAMPAIGN, AD_GROUP
    and AD to the models' render functions; keywords render as stored, without private keys)."""
    scope = _Scope(store, account_id, spec.entity_ids)
    flt = spec.campaign_filter
    allowed = None
    if flt is not None:
        allowed = {c for c in scope.campaigns if _campaign_matches(store.campaigns[c], flt, now)}
    since = spec.updated_since

    def keep(entity_id: str, campaign_id: str | None, updated: int | None) -> bool:
        if scope.reached is not None and entity_id not in scope.reached:
            return False
        if allowed is not None and campaign_id not in allowed:
            return False
        return since is None or (updated or 0) >= since

    out: dict[str, list[dict]] = {}
    for entity_type in spec.entity_types:
        rows = []
        if entity_type == "CAMPAIGN":
            for i in scope.campaigns:
                r = store.campaigns[i]
                if r["status"] == "ACTIVE" and keep(i, i, r["updated_time"]):
                    rows.append(render_as["CAMPAIGN"](r))
        elif entity_type in ("AD_GROUP", "AD"):
            ids, table = (scope.ad_groups, store.ad_groups) if entity_type == "AD_GROUP" else (scope.ads, store.ads)
            for i in ids:
                r = table[i]
                if r["status"] == "ACTIVE" and keep(i, r["campaign_id"], r["updated_time"]):
                    rows.append(render_as[entity_type](r))
        elif entity_type == "PRODUCT_GROUP":
            promotions = store.tables.get("product_group_promotions", {})
            for g in scope.ad_groups:
                for i in store.children("product_groups_of_ad_group", g):
                    r = promotions[i]
                    if r["status"] == "ACTIVE" and keep(g, store.ad_groups[g]["campaign_id"], r.get("_updated_time")):
                        rows.append(render(r))
        elif entity_type == "KEYWORD":
            for i in sorted(scope.keywords, key=int):
                r = store.keywords[i]
                if not r["archived"] and keep(i, scope.campaign_of_keyword(r), r.get("_updated_time")):
                    rows.append(render(r))
        out[entity_type] = rows
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def to_csv(entities: dict[str, list[dict]]) -> bytes:
    """The CSV layout of the module doc (UTF-8, CRLF like the report files)."""
    columns: dict[str, None] = {}
    for rows in entities.values():
        for row in rows:
            columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["entity_type", *columns])
    for entity_type, rows in entities.items():
        for row in rows:
            writer.writerow([entity_type, *(_cell(row.get(c)) for c in columns)])
    return buffer.getvalue().encode("utf-8")


def to_file(entities: dict[str, list[dict]], output_format: str) -> bytes:
    """The download file's bytes in ``output_format`` (JSON or CSV).

    Example:
        >>> to_file({"CAMPAIGN": []}, "JSON")
        b'{"CAMPAIGN":[]}'
    """
    if output_format == "CSV":
        return to_csv(entities)
    return json.dumps(entities, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
