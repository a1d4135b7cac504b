"""What Pinterest holds now for the entities a plan touches: the read side of validate, apply,
resume and rollback.

* :func:`read_entities` — campaigns, ad groups, ads or product group promotions by id, in every status;
* :func:`read_updated` — the current record of every entity the update rows name (keywords are
  listed under their parent: an archived keyword drops out of Pinterest's lists);
* :func:`children` / :func:`same_key` — the entities under a parent with a create's natural key
  (campaign: name in the ad account; ad group: name in its campaign; keyword: text and match
  type under its parent), which is how a create is found again without trusting any response.

>>> natural_key("keyword", {"value": "  Velvet Sofa ", "match_type": "EXACT"})
('velvet sofa', 'EXACT')
>>> natural_key("campaign", {"name": "Spring"})
('Spring',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ..client import Client

ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"]
_ID_FILTERS = {"campaign": "campaign_ids", "ad_group": "ad_group_ids", "ad": "ad_ids", "product_group": "ids"}
_BY_ID_LIMIT = 1000  # more ids than this (over 10 calls of 100): list the whole account instead


def read_entities(client: "Client", account: str, entity_type: str, ids: Iterable[str]) -> Iterable[dict]:
    """Current records of some campaigns, ad groups, ads or product group promotions (all statuses):
    by id, 100 a call, or — when that would take more calls — the whole account at 250 a page,
    filtered here.

    >>> list(read_entities(client, "549755885175", "campaign", ["626735565838"]))   # doctest: +SKIP
    """
    service = {"campaign": client.campaigns, "ad_group": client.ad_groups, "ad": client.ads,
               "product_group": client.product_groups}[entity_type]
    ids = sorted(set(ids))
    if not ids:
        return []
    if len(ids) <= _BY_ID_LIMIT:
        return service.list(account, entity_statuses=ALL_STATUSES, **{_ID_FILTERS[entity_type]: ids})
    wanted = set(ids)
    return (rec for rec in service.list(account, entity_statuses=ALL_STATUSES) if rec["id"] in wanted)


def keywords_under(client: "Client", account: str, parent_id: str) -> list[dict]:
    """The live (not archived) keywords under one parent: the ad account itself or an ad group."""
    if parent_id == account:
        return list(client.keywords.list(account))
    return list(client.keywords.list(account, ad_group_id=parent_id))


def read_updated(client: "Client", rows: pd.DataFrame, listings: "Listings | None" = None) -> dict[tuple[str, str], dict]:
    """The current records of the entities that ``rows`` update, keyed by (entity type, id).
    A keyword missing from the result is archived (or gone): Pinterest lists only live keywords.
    ``listings`` shares keyword listings with other look-ups of the same moment.

    >>> read_updated(client, plan.changes)[("ad_group", "2680060704746")]["bid_in_micro_currency"]  # doctest: +SKIP
    """
    found: dict[tuple[str, str], dict] = {}
    updates = rows[rows["action"] == "update"]
    for (account, etype), part in updates.groupby(["ad_account_id", "entity_type"]):
        if etype in _ID_FILTERS:
            for rec in read_entities(client, account, etype, part["id"].dropna()):
                found[(etype, rec["id"])] = rec
            continue
        listings = listings or Listings(client)
        for parent in sorted(set(part["parent_id"].dropna())):
            for rec in listings.under(account, "keyword", parent):
                found[("keyword", rec["id"])] = rec
    return found


def natural_key(entity_type: str, values: Mapping[str, Any]) -> tuple:
    """How a created entity is recognised under its parent: a campaign or ad group by its name,
    a keyword by its text (trimmed, case-folded) and match type."""
    if entity_type == "keyword":
        return (" ".join(str(values.get("value") or "").split()).casefold(), str(values.get("match_type") or ""))
    return (str(values.get("name") or ""),)


def parent_of(entity_type: str, account: str, body: Mapping[str, Any], parent_id: Any) -> str:
    """The parent a create goes under: the ad account for a campaign, the campaign for an ad
    group, the given parent for a keyword."""
    if entity_type == "campaign":
        return account
    if entity_type == "ad_group":
        return str(body.get("campaign_id") or parent_id or "")
    return str(parent_id or "")


def children(client: "Client", account: str, entity_type: str, parent_id: str) -> list[dict]:
    """Every entity of ``entity_type`` directly under ``parent_id`` (all statuses; keywords: live ones)."""
    if entity_type == "campaign":
        return list(client.campaigns.list(account, entity_statuses=ALL_STATUSES))
    if entity_type == "ad_group":
        return list(client.ad_groups.list(account, entity_statuses=ALL_STATUSES, campaign_ids=[parent_id]))
    if entity_type == "keyword":
        return keywords_under(client, account, parent_id)
    raise ValueError(f"pintools cannot create {entity_type}s in a plan")


def same_key(records: Iterable[Mapping[str, Any]], entity_type: str, key: tuple) -> list[dict]:
    """The records among ``records`` whose natural key is ``key``.

    >>> same_key([{"id": "1", "name": "A"}, {"id": "2", "name": "B"}], "campaign", ("B",))
    [{'id': '2', 'name': 'B'}]
    """
    return [dict(r) for r in records if natural_key(entity_type, r) == key]


class Listings:
    """Children listings read once per (account, entity type, parent) — several creates under one
    campaign share one call.

    >>> listings = Listings(client)                                           # doctest: +SKIP
    >>> listings.matching("549755885175", "ad_group", "626735565838", ("New A",))  # doctest: +SKIP
    """

    def __init__(self, client: "Client") -> None:
        self.client = client
        self._cache: dict[tuple[str, str, str], list[dict]] = {}

    def under(self, account: str, entity_type: str, parent_id: str) -> list[dict]:
        key = (account, entity_type, parent_id)
        if key not in self._cache:
            self._cache[key] = children(self.client, account, entity_type, parent_id)
        return self._cache[key]

    def matching(self, account: str, entity_type: str, parent_id: str, key: tuple) -> list[dict]:
        """The children under ``parent_id`` with natural key ``key``."""
        return same_key(self.under(account, entity_type, parent_id), entity_type, key)


def pre_existing(client: "Client", frame: pd.DataFrame) -> dict[int, list[str]]:
    """Per create (and keyword match-type) row of ``frame``: the ids already holding its natural key
    under its parent — before a send, what read-back must not take for the new entity; at
    validation, the duplicates a keyword create would make.

    >>> pre_existing(client, plan.changes)     # doctest: +SKIP
    {3: [], 4: ['2886364058688']}
    """
    listings = Listings(client)
    found: dict[int, list[str]] = {}
    for r in frame.to_dict("records"):
        if r["action"] == "create":
            body = r["after"] if isinstance(r["after"], dict) else {}
            etype, parent = r["entity_type"], parent_of(r["entity_type"], r["ad_account_id"], body, r.get("parent_id"))
        elif r["entity_type"] == "keyword" and r["field"] == "match_type":
            body, etype, parent = {"value": r["name"], "match_type": r["after"]}, "keyword", str(r.get("parent_id") or "")
        else:
            continue
        if parent:
            found[int(r["row"])] = [c["id"] for c in listings.matching(r["ad_account_id"], etype, parent,
                                                                        natural_key(etype, body))]
    return found
