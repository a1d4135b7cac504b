"""Keywords: list, batch create and update (digest §7).

- A keyword hangs off an ad account ("advertiser"), a campaign or an ad group; ``parent_id``
  may carry ``C``/``AG`` prefixes. Accounts and campaigns take only ``*_NEGATIVE`` match types
  ("Advertisers and Campaigns only accept excluded targeting attributes.").
- ``value`` is 1..120 characters. ``bid`` is deprecated in 5.23.0: "Input will not be set and field
  will return null" — an integer or null is accepted (the schema's type) and dropped; every
  keyword answers ``bid: null``. A live duplicate (same parent, value, match type) fails.
- Listing with no filter returns only account-parented keywords (§17 #20); archived keywords
  drop out of every list ("Archiving a keyword effectively deletes it") and take no updates.
- Failures land in ``errors`` as ``KeywordError{data, error_messages}`` with the nulled data
  shape of the spec's verbatim example; the request still answers 200.
- :meth:`Keywords.create_one` / :meth:`Keywords.update_one` are the per-keyword rules that both the
  keywords endpoints and bulk upsert run; :func:`request_problem` is the ``KeywordsRequest``
  shape check (a 400 on ``POST …/keywords``, an item error in bulk). Writes keep a private
  ``_updated_time`` (bulk download's ``updated_since``; demo keywords have none).

Example:
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator.models.clock import Clock
    >>> from pintools.emulator.models.campaigns import Campaigns
    >>> from pintools.emulator.models.ad_groups import AdGroups
    >>> s, c = Store(), Clock(); s.add("accounts", {"id": "5"})
    >>> kw = Keywords(s, AdGroups(s, c, Campaigns(s, c)))
    >>> done = kw.create("5", "5", [{"value": "velvet sofa", "match_type": "EXACT"}])
    >>> done["errors"][0]["error_messages"]
    ['Advertisers and Campaigns only accept excluded targeting attributes.']
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import ItemError, QueryError
from pintools.emulator.models import fields as f
from pintools.emulator.models.ad_groups import AdGroups
from pintools.emulator.models.common import render
from pintools.emulator.models.paging import page
from pintools.emulator.models.store import Store

MAX_VALUE_LENGTH = 120
NEGATIVE_ONLY_MESSAGE = "Advertisers and Campaigns only accept excluded targeting attributes."


def _error_data(item, keyword_id=None) -> dict:
    """The nulled ``Keyword`` shape used inside ``KeywordError.data`` (spec's verbatim example)."""
    item = item if isinstance(item, dict) else {}
    value = item.get("value")
    match_type = item.get("match_type")
    return {
        "archived": None,
        "match_type": match_type if match_type in enums.MATCH_TYPES else None,
        "parent_type": None,
        "value": value if isinstance(value, str) else "",
        "parent_id": None,
        "type": "keyword",
        "id": keyword_id,
    }


def request_problem(body) -> str | None:
    """What is wrong with a ``KeywordsRequest`` body (``parent_id`` and ``keywords``), or None.

    Example:
        >>> request_problem({"parent_id": "AG1", "keywords": []})
        'keywords must be a non-empty array.'
    """
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    if not isinstance(body.get("parent_id"), str):
        return "parent_id is required."
    if not isinstance(body.get("keywords"), list) or not body["keywords"]:
        return "keywords must be a non-empty array."
    return None


class Keywords:
    """Keyword state and rules (no HTTP). The state lock guards every call.

    Example:
        >>> from pintools.emulator.models.store import Store
        >>> from pintools.emulator.models.clock import Clock
        >>> from pintools.emulator.models.campaigns import Campaigns
        >>> s, c = Store(), Clock()
        >>> Keywords(s, AdGroups(s, c, Campaigns(s, c))).list("1", None, None, None, 25, None)
        ([], None)
    """

    def __init__(self, store: Store, ad_groups: AdGroups):
        self.store = store
        self.ad_groups = ad_groups

    def _parent(self, account_id: str, raw) -> tuple[str, str] | None:
        """``(parent id, parent type)`` of a ``parent_id`` in this account, or None."""
        if not isinstance(raw, str):
            return None
        campaigns = self.ad_groups.campaigns
        if raw.startswith("AG"):
            bare = raw[2:]
            return (bare, "ad_group") if bare.isdigit() and self.ad_groups.find(account_id, bare) else None
        if raw.startswith("C"):
            bare = raw[1:]
            return (bare, "campaign") if bare.isdigit() and campaigns.find(account_id, bare) else None
        if raw == account_id:
            return raw, "advertiser"
        if campaigns.find(account_id, raw):
            return raw, "campaign"
        if self.ad_groups.find(account_id, raw):
            return raw, "ad_group"
        return None

    def list(self, account_id, campaign_id, ad_group_id, match_types, page_size, bookmark):
        """One page of live keywords under one parent (ad group, campaign, else the account)."""
        if campaign_id and ad_group_id:
            raise QueryError("Provide only campaign_id or ad_group_id, not both.")
        parent = ad_group_id or campaign_id or account_id
        wanted = set(match_types or enums.MATCH_TYPES)
        rows = [
            self.store.keywords[i]
            for i in self.store.children("keywords", parent)
            if self.store.keywords[i]["_ad_account_id"] == account_id
            and not self.store.keywords[i]["archived"]
            and self.store.keywords[i]["match_type"] in wanted
        ]
        filters = {"op": "keywords/get", "account": account_id, "parent": parent, "match_types": sorted(wanted)}
        return page(rows, page_size, bookmark, filters, render=render)

    def _live_values(self, parent_id: str) -> set[tuple[str, str]]:
        return {
            (self.store.keywords[i]["value"].lower(), self.store.keywords[i]["match_type"])
            for i in self.store.children("keywords", parent_id)
            if not self.store.keywords[i]["archived"]
        }

    def create(self, account_id: str, parent_raw, items: list) -> dict:
        """``KeywordsResponse`` for a ``KeywordsRequest`` (each keyword succeeds or fails alone)."""
        created, errors = [], []
        for item in items:
            try:
                created.append(self.create_one(account_id, parent_raw, item))
            except ItemError as exc:
                errors.append({"data": _error_data(item), "error_messages": [exc.message]})
        return {"keywords": created, "errors": errors}

    def create_one(self, account_id: str, parent_raw, item) -> dict:
        """Create one keyword under ``parent_raw``; ItemError when it breaks a rule.

        A keyword created earlier in the same request is live, so a repeat is a duplicate.
        """
        parent = self._parent(account_id, parent_raw)
        seen = self._live_values(parent[0]) if parent else set()
        record = self._check_new(item, parent, seen)
        record["id"] = self.store.new_id("keyword")
        record["_ad_account_id"] = account_id
        record["_updated_time"] = self.ad_groups.clock.now()
        add_keyword(self.store, record)
        self.store.count_write(record["id"])
        return render(record)

    def _check_new(self, item, parent, seen: set) -> dict:
        if not isinstance(item, dict):
            raise ItemError("Each keyword must be a JSON object.")
        if parent is None:
            raise ItemError("Parent entity not found.")
        f.require(item, "match_type", "value")
        match_type = f.enum_checker(enums.MATCH_TYPES)(item["match_type"], "match_type")
        value = f.check_str(item["value"], "value", max_length=MAX_VALUE_LENGTH)
        _ignored_bid(item)
        parent_id, parent_type = parent
        if parent_type in ("advertiser", "campaign") and match_type not in enums.NEGATIVE_MATCH_TYPES:
            raise ItemError(NEGATIVE_ONLY_MESSAGE)
        key = (value.lower(), match_type)
        if key in seen:
            raise ItemError("Keyword already exists.")
        seen.add(key)
        return new_keyword_record(parent_id, parent_type, value, match_type, None)

    def update(self, account_id: str, items: list) -> dict:
        """``KeywordsResponse`` for a ``KeywordUpdateBody`` (bid and archived changes)."""
        updated, errors = [], []
        for item in items:
            try:
                updated.append(self.update_one(account_id, item))
            except ItemError as exc:
                record = self._own(account_id, item)
                data = render(record) if record else _error_data(item, _id_of(item))
                errors.append({"data": data, "error_messages": [exc.message]})
        return {"keywords": updated, "errors": errors}

    def _own(self, account_id: str, item) -> dict | None:
        """The keyword record an update item names, when it is this account's."""
        keyword_id = _id_of(item)
        record = self.store.keywords.get(keyword_id) if keyword_id else None
        return record if record is not None and record["_ad_account_id"] == account_id else None

    def update_one(self, account_id: str, item) -> dict:
        """Apply one ``KeywordUpdate`` (bid / archived); ItemError when it breaks a rule."""
        if not isinstance(item, dict):
            raise ItemError("Each keyword must be a JSON object.")
        f.require(item, "id")
        f.check_digits(item["id"], "id")
        record = self._own(account_id, item)
        if record is None:
            raise ItemError("Keyword not found.")
        record.update(self._check_update(item, record))
        record["_updated_time"] = self.ad_groups.clock.now()
        self.store.count_write(record["id"])
        return render(record)

    @staticmethod
    def _check_update(item: dict, record: dict) -> dict:
        if record["archived"]:
            raise ItemError("Archived keywords cannot be updated.")
        changes = {}
        if "archived" in item:
            changes["archived"] = f.check_bool(item["archived"], "archived")
        _ignored_bid(item)
        return changes


def _ignored_bid(item: dict) -> None:
    """5.23.0's deprecated ``bid``: type-checked (integer or null), never stored."""
    bid = item.get("bid")
    if bid is not None:
        f.check_int(bid, "bid")


def _id_of(item) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value.isdigit() else None


def new_keyword_record(parent_id: str, parent_type: str, value: str, match_type: str, bid: int | None) -> dict:
    """A keyword record (id and owning account filled in by the caller).

    Example:
        >>> new_keyword_record("9", "ad_group", "linen sheets", "PHRASE", 250000)["type"]
        'keyword'
    """
    return {
        "id": None,
        "archived": False,
        "parent_id": parent_id,
        "parent_type": parent_type,
        "type": "keyword",
        "value": value,
        "match_type": match_type,
        "bid": bid,
    }


def add_keyword(store: Store, record: dict) -> None:
    """Insert a keyword record under its parent."""
    store.add("keywords", record, ("keywords", record["parent_id"]))
