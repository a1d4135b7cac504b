"""``read_*``: ad accounts, campaigns, ad groups, ads and keywords as typed DataFrames.

Every reader takes the ad account id first, filters as keyword arguments, and an optional
``client`` (default: the most recent :func:`pintools.connect`). Lists are read with
page_size 250; id filters longer than the API's 100 are split for you. ``statuses`` keeps
Pinterest's default (ACTIVE and PAUSED) unless you ask for more — ``"all"`` includes
ARCHIVED and DRAFT.

>>> import pintools as pt
>>> pt.connect(quiet=True)                                               # doctest: +SKIP
>>> ad_groups = pt.read_ad_groups("549755885175", statuses="all")       # doctest: +SKIP
>>> ad_groups[["id", "name", "budget_in_micro_currency", "currency"]]   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pandas as pd

from .api._common import check_id, check_ids
from .api.entities import ENTITY_STATUSES
from .frames import convert, schema

if TYPE_CHECKING:
    from .client import Client

Statuses = str | Sequence[str] | None


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from .client import default_client

    return default_client()


def _statuses(statuses: Statuses) -> list[str] | None:
    if statuses is None:
        return None
    if isinstance(statuses, str) and statuses.lower() == "all":
        return list(ENTITY_STATUSES)
    return [statuses] if isinstance(statuses, str) else list(statuses)


def _frame(records: Iterable[dict], table: schema.Schema, client: "Client", account: str) -> pd.DataFrame:
    constants = {"ad_account_id": account}
    if table.has_currency:
        constants["currency"] = client.currency_of(account)
    return convert.to_frame(records, table, constants=constants)


def read_ad_accounts(*, include_shared: bool = True, client: "Client | None" = None) -> pd.DataFrame:
    """Every ad account the token's user can see, one row each.

    >>> pt.read_ad_accounts()[["id", "name", "currency"]]               # doctest: +SKIP
    """
    c = _client(client)
    return convert.to_frame(c.ad_accounts.list(include_shared_accounts=include_shared), schema.AD_ACCOUNT)


def read_campaigns(
    ad_account_id: str,
    *,
    ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Campaigns of one ad account; ``ids`` picks some, ``statuses`` widens the default.

    Money columns (``lifetime_spend_cap_micro``, ``daily_spend_cap_micro``, …) are exact
    Int64 micro-currency; ``currency`` names the unit (see :func:`pintools.in_currency_units`).

    >>> pt.read_campaigns("549755885175", statuses=["ACTIVE"])          # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    records = c.campaigns.list(account, entity_statuses=_statuses(statuses), campaign_ids=check_ids(ids, "ids"))
    return _frame(records, schema.CAMPAIGN, c, account)


def read_ad_groups(
    ad_account_id: str,
    *,
    ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Ad groups of one ad account, optionally by ``ids`` or under ``campaign_ids`` (not both).

    ``targeting_spec``, ``optimization_goal_metadata`` and ``tracking_urls`` stay structured
    (dicts); :func:`pintools.explode_targeting` gives targeting as a long frame.

    >>> pt.read_ad_groups("549755885175", campaign_ids=["626735565838"])  # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    filters = _one_filter(ad_group_ids=("ids", ids), campaign_ids=("campaign_ids", campaign_ids))
    records = c.ad_groups.list(account, entity_statuses=_statuses(statuses), **filters)
    return _frame(records, schema.AD_GROUP, c, account)


def read_ads(
    ad_account_id: str,
    *,
    ids: Sequence[str] | None = None,
    ad_group_ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Ads of one ad account, optionally by ``ids``, ``ad_group_ids`` or ``campaign_ids`` (one of them).

    >>> pt.read_ads("549755885175", ad_group_ids=["2680060704746"])       # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    filters = _one_filter(ad_ids=("ids", ids), ad_group_ids=("ad_group_ids", ad_group_ids),
                          campaign_ids=("campaign_ids", campaign_ids))
    records = c.ads.list(account, entity_statuses=_statuses(statuses), **filters)
    return _frame(records, schema.AD, c, account)


def read_keywords(
    ad_account_id: str,
    *,
    ad_group_ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    match_types: Sequence[str] | None = None,
    max_workers: int = 4,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Keywords under the given ad groups and/or campaigns, or — with neither — every keyword
    of the account (account-level, under each active or paused campaign, and under each
    active or paused ad group).

    Pinterest lists keywords one parent at a time, so this makes one paged list per parent,
    ``max_workers`` at a time within the client's rate budget.

    >>> pt.read_keywords("549755885175", ad_group_ids=["2680060704746"])  # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    groups = check_ids(ad_group_ids, "ad_group_ids")
    campaigns = check_ids(campaign_ids, "campaign_ids")
    parents: list[tuple[str, str | None]] = []
    if groups is None and campaigns is None:
        parents.append(("account", None))
        campaigns = [r["id"] for r in c.campaigns.list(account)]
        groups = [r["id"] for r in c.ad_groups.list(account)]
    parents += [("campaign_id", cid) for cid in campaigns or []]
    parents += [("ad_group_id", gid) for gid in groups or []]

    def fetch(parent: tuple[str, str | None]) -> list[dict]:
        kind, pid = parent
        kwargs = {kind: pid} if pid is not None else {}
        return list(c.keywords.list(account, match_types=match_types, **kwargs))

    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        pages = list(pool.map(fetch, parents))
    records = [r for page in pages for r in page]
    return _frame(records, schema.KEYWORD, c, account)


def _one_filter(**filters: tuple[str, Sequence[str] | None]) -> dict[str, list[str]]:
    """``api_name=(argument_name, ids)`` → ``{api_name: ids}`` for the one filter given."""
    given = {api: (arg, check_ids(ids, arg)) for api, (arg, ids) in filters.items() if ids is not None}
    if len(given) > 1:
        names = " and ".join(arg for arg, _ in given.values())
        raise ValueError(f"give only one of these filters, not {names}: "
                         f"Pinterest filters by one kind of id at a time")
    return {api: ids for api, (_, ids) in given.items()}
