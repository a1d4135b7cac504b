"""``read_conversion_tags``: an ad account's conversion tags (Pinterest tags) as a typed DataFrame.

>>> import pintools as pt
>>> tags = pt.read_conversion_tags("549755885175")                          # doctest: +SKIP
>>> tags.loc[tags["status"] == "ACTIVE", ["id", "name", "last_fired_time"]]   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from .api._common import check_id, check_ids

if TYPE_CHECKING:
    from .client import Client

AEM_FLAGS = ("aem_enabled", "aem_ph_enabled", "aem_fnln_enabled", "aem_ge_enabled", "aem_db_enabled",
             "aem_loc_enabled", "aem_external_id_enabled")
COLUMNS = ("ad_account_id", "id", "name", "status", "version", "enhanced_match_status", "last_fired_time",
           *AEM_FLAGS, "md_frequency", "no_code_capi_domains", "code_snippet")


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from .client import default_client

    return default_client()


def _frame(records: list[Mapping[str, Any]], account: str) -> pd.DataFrame:
    configs = [r.get("configs") or {} for r in records]
    fired = [r.get("last_fired_time_ms") for r in records]
    data: dict[str, Any] = {
        "ad_account_id": pd.array([str(r.get("ad_account_id") or account) for r in records], dtype="string"),
        "id": pd.array([None if r.get("id") is None else str(r["id"]) for r in records], dtype="string"),
        "name": pd.array([r.get("name") for r in records], dtype="string"),
        "status": pd.array([r.get("status") for r in records], dtype="string"),
        "version": pd.array([None if r.get("version") is None else str(r["version"]) for r in records],
                            dtype="string"),
        "enhanced_match_status": pd.array([r.get("enhanced_match_status") for r in records], dtype="string"),
        "last_fired_time": pd.to_datetime(pd.Series([None if v is None else int(v) for v in fired], dtype="Int64"),
                                          unit="ms", utc=True).astype("datetime64[ns, UTC]").array,
    }
    for flag in AEM_FLAGS:
        data[flag] = pd.array([c.get(flag) for c in configs], dtype="boolean")
    data["md_frequency"] = pd.array([c.get("md_frequency") for c in configs], dtype="Float64")
    data["no_code_capi_domains"] = pd.array([list(c.get("no_code_capi_domains") or []) for c in configs],
                                            dtype="object")
    data["code_snippet"] = pd.array([r.get("code_snippet") for r in records], dtype="string")
    return pd.DataFrame(data, columns=list(COLUMNS))


def read_conversion_tags(
    ad_account_id: str,
    *,
    ids: Iterable[str] | None = None,
    filter_deleted: bool = False,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """The ad account's conversion tags, one row each (``conversion_tags/list``), or just the
    tags in ``ids`` (one ``conversion_tags/get`` each, in that order).

    Columns: ``ad_account_id``, ``id`` (text), ``name``, ``status``, ``version``,
    ``enhanced_match_status``, ``last_fired_time`` (UTC, NaT when never fired), the automatic
    enhanced match switches ``aem_*`` (boolean), ``md_frequency`` (Float64),
    ``no_code_capi_domains`` (lists) and ``code_snippet``. ``filter_deleted=True`` asks Pinterest
    to leave deleted tags out (its ``filter_deleted`` parameter; ignored with ``ids``).

    >>> tags = pt.read_conversion_tags("549755885175", filter_deleted=True)   # doctest: +SKIP
    >>> tags[["id", "name", "enhanced_match_status"]]                        # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    if ids is not None:
        records = [c.conversion_tags.get(account, tag) for tag in check_ids(ids, "ids") or []]
    else:
        records = list((c.conversion_tags.list(account, filter_deleted=filter_deleted) or {}).get("items") or [])
    return _frame(records, account)
