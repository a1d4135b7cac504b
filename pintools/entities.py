"""``read_*``: ad accounts, campaigns, ad groups, ads and keywords as typed DataFrames.

Every reader takes the ad account id first, filters as keyword arguments, and an optional
``client`` (default: the most recent :func:`pintools.connect`). Lists are read with
page_size 250; id filters longer than the API's 100 are split for you. ``statuses`` keeps
Pinterest's default (ACTIVE and PAUSED) unless you ask for more — ``"all"`` includes
ARCHIVED and DRAFT.

Several ad accounts: give a list, tuple or Series of ids instead of one id (an empty list is
refused). The accounts are read ``max_workers`` at a time within the client's rate budget
and come back as one frame — each account's rows in the order given, every row with its
``ad_account_id`` and ``currency``, the same columns and dtypes as a one-account frame. Id
filters (``ids``, ``campaign_ids``, ``ad_group_ids``) apply to each account: an id belongs to
one account, so an id no account holds is simply absent, as it is with one account. An
error from one account (say a 404 for an id that is no ad account) names that account.

>>> import pintools as pt
>>> pt.connect(quiet=True)                                               # doctest: +SKIP
>>> ad_groups = pt.read_ad_groups("549755885175", statuses="all")       # doctest: +SKIP
>>> ad_groups[["id", "name", "budget_in_micro_currency", "currency"]]   # doctest: +SKIP
>>> every = pt.read_campaigns(pt.read_ad_accounts()["id"])              # doctest: +SKIP
>>> every.groupby(["ad_account_id", "currency"]).size()                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from .api._common import check_accounts, check_enum, check_ids
from .api.entities import ENTITY_STATUSES
from .api.keywords import MATCH_TYPES
from .frames import convert, schema

if TYPE_CHECKING:
    from .client import Client

Statuses = str | Sequence[str] | None
AdAccountIds = str | int | Sequence[str | int] | pd.Series
T = TypeVar("T")
R = TypeVar("R")


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
    wanted = [statuses] if isinstance(statuses, str) else list(statuses)
    check_enum(wanted, ENTITY_STATUSES, "entity_statuses")  # refused before any request
    return wanted


def _frame(records: Iterable[dict], table: schema.Schema, client: "Client", account: str) -> pd.DataFrame:
    """The account's records as a typed frame with ``ad_account_id`` and ``currency`` in every row.

    Ads hold no money, so their schema has no ``currency``: it is added here, where the other
    frames have it (after the schema's columns), so every reader's rows name their currency.
    """
    constants = {"ad_account_id": account, "currency": client.currency_of(account)}
    frame = convert.to_frame(records, table, constants=constants)
    if "currency" not in frame.columns:
        frame.insert(len(table.fields), "currency", pd.array([constants["currency"]] * len(frame), dtype="string"))
    return frame


@contextmanager
def _about(account: str) -> Iterator[None]:
    """A failure while reading ``account`` says which account it was (a note on the error)."""
    try:
        yield
    except Exception as err:
        err.add_note(f"(while reading ad account {account})")
        raise


def _run(fetch: Callable[[T], R], items: Sequence[T], max_workers: int) -> list[R]:
    """``fetch`` each item, ``max_workers`` at a time, results in input order; the first failure
    (in input order) is raised once running fetches end, and fetches not yet started are dropped."""
    if max_workers <= 1 or len(items) <= 1:
        return [fetch(item) for item in items]
    pool = ThreadPoolExecutor(max_workers=min(max_workers, len(items)), thread_name_prefix="pintools-read")
    try:
        return [f.result() for f in [pool.submit(fetch, item) for item in items]]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame of several accounts' frames, keeping the schema dtypes (empty frames left out of
    the concat, so an all-NA empty frame never widens a dtype)."""
    kept = [f for f in frames if len(f)] or frames[:1]
    return kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)


def _read_lists(c: "Client", accounts: list[str], service, table: schema.Schema, statuses: Statuses,
                filters: dict[str, list[str]], max_workers: int) -> pd.DataFrame:
    """One paged list per account (``max_workers`` accounts at a time) as one typed frame."""
    wanted = _statuses(statuses)

    def one(account: str) -> pd.DataFrame:
        with _about(account):
            return _frame(list(service.list(account, entity_statuses=wanted, **filters)), table, c, account)

    return _concat(_run(one, accounts, max_workers))


def read_ad_accounts(*, include_shared: bool = True, client: "Client | None" = None) -> pd.DataFrame:
    """Every ad account the token's user can see, one row each.

    >>> pt.read_ad_accounts()[["id", "name", "currency"]]               # doctest: +SKIP
    """
    c = _client(client)
    return convert.to_frame(c.ad_accounts.list(include_shared_accounts=include_shared), schema.AD_ACCOUNT)


def read_campaigns(
    ad_account_id: AdAccountIds,
    *,
    ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    max_workers: int = 4,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Campaigns of one ad account or several; ``ids`` picks some, ``statuses`` widens the default.

    Money columns (``lifetime_spend_cap_micro``, ``daily_spend_cap_micro``, …) are exact
    Int64 micro-currency; ``currency`` names the unit (see :func:`pintools.in_currency_units`).
    With several accounts (``max_workers`` read at a time), ``ids`` are looked for in each and
    every row carries its own account's ``ad_account_id`` and ``currency``.

    >>> pt.read_campaigns("549755885175", statuses=["ACTIVE"])          # doctest: +SKIP
    >>> pt.read_campaigns(["549755885175", "549755885176"])             # doctest: +SKIP
    """
    c = _client(client)
    accounts = check_accounts(ad_account_id)
    filters = _one_filter(campaign_ids=("ids", ids))
    return _read_lists(c, accounts, c.campaigns, schema.CAMPAIGN, statuses, filters, max_workers)


def read_ad_groups(
    ad_account_id: AdAccountIds,
    *,
    ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    max_workers: int = 4,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Ad groups of one ad account or several, optionally by ``ids`` or under ``campaign_ids`` (not both).

    ``targeting_spec``, ``optimization_goal_metadata`` and ``tracking_urls`` stay structured
    (dicts); :func:`pintools.explode_targeting` gives targeting as a long frame. With several
    accounts the filter applies to each: ad groups under campaigns of another account are
    simply absent from that account's rows.

    >>> pt.read_ad_groups("549755885175", campaign_ids=["626735565838"])  # doctest: +SKIP
    >>> pt.read_ad_groups(pt.read_ad_accounts()["id"], statuses="all")    # doctest: +SKIP
    """
    c = _client(client)
    accounts = check_accounts(ad_account_id)
    filters = _one_filter(ad_group_ids=("ids", ids), campaign_ids=("campaign_ids", campaign_ids))
    return _read_lists(c, accounts, c.ad_groups, schema.AD_GROUP, statuses, filters, max_workers)


def read_ads(
    ad_account_id: AdAccountIds,
    *,
    ids: Sequence[str] | None = None,
    ad_group_ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    statuses: Statuses = None,
    max_workers: int = 4,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Ads of one ad account or several, optionally by ``ids``, ``ad_group_ids`` or ``campaign_ids``
    (one of them; with several accounts it applies to each). Ads hold no money, but the frame
    still ends with the account's ``currency``, like the other readers' frames.

    >>> pt.read_ads("549755885175", ad_group_ids=["2680060704746"])       # doctest: +SKIP
    >>> pt.read_ads(("549755885175", "549755885176"), statuses="all")     # doctest: +SKIP
    """
    c = _client(client)
    accounts = check_accounts(ad_account_id)
    filters = _one_filter(ad_ids=("ids", ids), ad_group_ids=("ad_group_ids", ad_group_ids),
                          campaign_ids=("campaign_ids", campaign_ids))
    return _read_lists(c, accounts, c.ads, schema.AD, statuses, filters, max_workers)


def read_keywords(
    ad_account_id: AdAccountIds,
    *,
    ad_group_ids: Sequence[str] | None = None,
    campaign_ids: Sequence[str] | None = None,
    match_types: Sequence[str] | None = None,
    max_workers: int = 4,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Keywords under the given ad groups and/or campaigns, or — with neither — every keyword
    of the account (account-level, under each active or paused campaign, and under each
    active or paused ad group). Several accounts: a list of ids; every row gets its account's
    ``ad_account_id`` and ``currency``.

    Pinterest lists keywords one parent at a time, so this makes one paged list per parent,
    ``max_workers`` at a time within the client's rate budget. With several accounts and
    ``ad_group_ids`` / ``campaign_ids``, each account is first asked which of the parents are
    its own (one list per account, any status), and each parent is read in its own account
    only; a parent no account holds is simply absent.

    >>> pt.read_keywords("549755885175", ad_group_ids=["2680060704746"])  # doctest: +SKIP
    >>> pt.read_keywords(["549755885175", "549755885176"])                # doctest: +SKIP
    """
    c = _client(client)
    accounts = check_accounts(ad_account_id)
    groups = check_ids(ad_group_ids, "ad_group_ids")
    campaigns = check_ids(campaign_ids, "campaign_ids")
    check_enum(match_types, MATCH_TYPES, "match_types")  # refused before any request

    def parents(account: str) -> list[tuple[str, str, str | None]]:
        with _about(account):
            c.currency_of(account)  # one GET per account: an unknown account fails here, first
            found: list[tuple[str, str | None]] = []
            if groups is None and campaigns is None:
                found.append(("account", None))
                mine_c = [r["id"] for r in c.campaigns.list(account)]
                mine_g = [r["id"] for r in c.ad_groups.list(account)]
            elif len(accounts) == 1:
                mine_c, mine_g = campaigns or [], groups or []
            else:
                mine_c = _owned(c.campaigns, account, "campaign_ids", campaigns)
                mine_g = _owned(c.ad_groups, account, "ad_group_ids", groups)
            found += [("campaign_id", cid) for cid in mine_c]
            found += [("ad_group_id", gid) for gid in mine_g]
            return [(account, kind, pid) for kind, pid in found]

    def fetch(parent: tuple[str, str, str | None]) -> list[dict]:
        account, kind, pid = parent
        kwargs = {kind: pid} if pid is not None else {}
        with _about(account):
            return list(c.keywords.list(account, match_types=match_types, **kwargs))

    jobs = [job for found in _run(parents, accounts, max_workers) for job in found]
    pages = _run(fetch, jobs, max_workers)
    records: dict[str, list[dict]] = {account: [] for account in accounts}
    for (account, _, _), page in zip(jobs, pages, strict=True):
        records[account] += page
    return _concat([_frame(records[a], schema.KEYWORD, c, a) for a in accounts])


def _owned(service, account: str, api_filter: str, ids: list[str] | None) -> list[str]:
    """Those of ``ids`` that ``account`` holds (in any status), in the order given."""
    if not ids:
        return []
    held = {r["id"] for r in service.list(account, entity_statuses=list(ENTITY_STATUSES), **{api_filter: ids})}
    return [i for i in ids if i in held]


def _one_filter(**filters: tuple[str, Sequence[str] | None]) -> dict[str, list[str]]:
    """``api_name=(argument_name, ids)`` → ``{api_name: ids}`` for the one filter given."""
    given = {api: (arg, check_ids(ids, arg)) for api, (arg, ids) in filters.items() if ids is not None}
    if len(given) > 1:
        names = " and ".join(arg for arg, _ in given.values())
        raise ValueError(f"give only one of these filters, not {names}: "
                         f"Pinterest filters by one kind of id at a time")
    return {api: ids for api, (_, ids) in given.items()}
