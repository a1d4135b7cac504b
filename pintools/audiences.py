"""``read_audiences`` and ``read_customer_lists``: an ad account's targeting lists as typed DataFrames.

Ids are ``string``; ``size`` and the record counts are nullable ``Int64``; times are UTC
datetimes. An audience can be targeted once its ``status`` is ``READY``. ``TOO_SMALL`` means it
has fewer than 100 people with Pinterest accounts, and ``INITIALIZING`` means it is still being
built (``size`` is then NA). A customer list is ``TOO_SMALL`` when it matched fewer than 100
Pinterest users.

>>> import pintools as pt
>>> pt.connect(quiet=True)                                                     # doctest: +SKIP
>>> audiences = pt.read_audiences("549755885175")                              # doctest: +SKIP
>>> audiences.loc[audiences["status"] == "TOO_SMALL", ["name", "size"]]        # doctest: +SKIP
                    name  size
2  VIP Early Access List    55
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .api._common import check_id
from .frames import convert, schema

if TYPE_CHECKING:
    from .client import Client


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from .client import default_client

    return default_client()


def read_audiences(ad_account_id: str, *, ownership_type: str | None = None,
                   client: "Client | None" = None) -> pd.DataFrame:
    """The ad account's audiences, one row each, oldest id first.

    Columns: ``ad_account_id``, ``id``, ``name``, ``audience_type`` (CUSTOMER_LIST, VISITOR,
    ENGAGEMENT, ACTALIKE, PERSONA), ``status`` (READY, INITIALIZING, TOO_SMALL), ``size``
    (Int64, NA while initializing), ``description``, ``customer_list_id`` (the list behind a
    CUSTOMER_LIST audience, else NA), ``rule`` (the rule as a dict), ``created_by_company_name``,
    ``created_timestamp`` and ``updated_timestamp`` (UTC), and ``type`` (always "audience").
    ``ownership_type="RECEIVED"`` reads the audiences others shared with the account instead of
    its own (the default, ``OWNED``).

    >>> df = pt.read_audiences("549755885175")                                  # doctest: +SKIP
    >>> df.groupby("audience_type")["size"].sum()                               # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    records = c.audiences.list(account, ownership_type=ownership_type)
    return convert.to_frame(records, schema.AUDIENCE, constants={"ad_account_id": account})


def read_customer_lists(ad_account_id: str, *, client: "Client | None" = None) -> pd.DataFrame:
    """The ad account's customer lists, one row each, oldest id first.

    Columns: ``ad_account_id``, ``id``, ``name``, ``status`` (PROCESSING, READY, TOO_SMALL,
    UPLOADING), ``num_uploaded_user_records``, ``num_removed_user_records`` and ``num_batches``
    (Int64), ``exceptions`` (dict), ``created_time`` and ``updated_time`` (UTC), and ``type``
    (always "customerlist"). A list has no size field of its own: the CUSTOMER_LIST audience
    built on it has one (join on :func:`read_audiences`' ``customer_list_id``).

    >>> lists = pt.read_customer_lists("549755885175")                           # doctest: +SKIP
    >>> lists.merge(pt.read_audiences("549755885175"), left_on="id",
    ...             right_on="customer_list_id", suffixes=("_list", ""))[["name_list", "size"]]  # doctest: +SKIP
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    return convert.to_frame(c.customer_lists.list(account), schema.CUSTOMER_LIST, constants={"ad_account_id": account})
