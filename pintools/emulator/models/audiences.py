"""Audiences: list, get, create and update (``audiences/*``), with sizes and statuses.

A record is an ``Audience`` (``type`` always ``"audience"``, times in Unix seconds) plus two
private keys: ``_size`` (people in the audience once built) and ``_ready_at`` (when building
ends). ``created_by_company_name`` (5.23.0, nullable: "The company that created this
audience") is sent as null: it names the owner of a shared audience, and the emulator has none.

**Status** — ``Audience.status`` is a plain string in the spec; its description names READY,
INITIALIZING and TOO_SMALL: "Each audience list needs to have at least 100 people with
Pinterest accounts before you can start using it". Worked out at read time:

- INITIALIZING with ``size`` null for ``BUILD_SECONDS`` (one hour of emulator clock) after a
  create, or after an update that changes the ``rule``. The spec gives no duration: the hour is
  an emulator choice (``advance_clock`` skips it);
- then TOO_SMALL when the size is below 100, else READY.

**Size** — the spec says only "Audience size.", so these are emulator choices:

- CUSTOMER_LIST: the customer list's matched Pinterest users (``_matched``);
- ACTALIKE: ``percentage`` % of a nominal Pinterest population of ``country``
  (:data:`ACTALIKE_PER_PERCENT`: demo magnitudes, not Pinterest figures);
- VISITOR with ``prefill: false``: 0, since the spec says such an audience "is empty at creation time";
- other VISITOR, ENGAGEMENT and PERSONA audiences: a stable pseudo-random size from the seed and
  the rule, growing with ``retention_days`` (default 180, as the spec says).

**Create** (``AudienceCreateRequest``): ``name``, ``audience_type`` (``AudienceType``) and ``rule``
are required (spec); ``description`` is optional. These are emulator choices, each a 400:
``ad_account_id``, when sent, must be the path's account (as for campaigns); the rule's
``customer_list_id`` must be a customer list of the same account; its ``seed_id`` must be other
audiences of that account. The rule itself is checked by
:mod:`pintools.emulator.models.audience_rules`.

**Update** (``AudienceUpdateRequest``): ``name``, ``description`` and ``rule`` (checked again for
the audience's type) change; ``operation_type`` is UPDATE (default) or REMOVE. The spec says
only "Update (edit or remove)". Here REMOVE answers the audience as it was and deletes it, so
later reads get 404 (emulator choice). Fields the request schema does not list
(``audience_type``, ``size``…) are ignored.

Unknown ids and other accounts' audiences: 404 code 2 "Audience not found." (the spec's 404
description on ``audiences/get``). ``ownership_type=RECEIVED`` lists audiences other accounts
shared with this one: the emulator holds none, so that list is empty.

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> from pintools.emulator.models.customer_lists import CustomerLists
    >>> clock = Clock(fixed=1_700_000_000)
    >>> lists = CustomerLists([{"id": "5497558859876", "ad_account_id": "1", "_matched": 64}])
    >>> audiences = Audiences([], clock, seed=1, customer_lists=lists)
    >>> made = audiences.create("1", {"name": "VIP", "audience_type": "CUSTOMER_LIST",
    ...                               "rule": {"customer_list_id": "5497558859876"}})
    >>> made["status"], made["size"]
    ('INITIALIZING', None)
    >>> _ = clock.advance(BUILD_SECONDS)
    >>> got = audiences.get("1", made["id"])
    >>> got["status"], got["size"]
    ('TOO_SMALL', 64)
"""

from __future__ import annotations

import json
import random

from pintools.emulator import enums
from pintools.emulator.errors import QueryError, not_found
from pintools.emulator.models.audience_rules import check_rule
from pintools.emulator.models.hashing import unit
from pintools.emulator.models.paging import page

AUDIENCE_BASE = 2_542_620_000_000  # 13 digits, like the spec's seed_id examples ("2542620639259")
BUILD_SECONDS = 3_600
MIN_AUDIENCE_SIZE = 100  # Audience.status: "at least 100 people with Pinterest accounts"
DEFAULT_RETENTION_DAYS = 180  # AudienceRule.retention_days: "Defaults to 180 if not specified."
# People per 1 % of a country's Pinterest users (demo magnitudes, not Pinterest figures).
ACTALIKE_PER_PERCENT = {"US": 950_000, "GB": 170_000, "CA": 110_000}
# Size ranges at the default 180-day retention (demo magnitudes).
_SIZE_RANGES = {"VISITOR": (6_000, 180_000), "ENGAGEMENT": (4_000, 120_000), "PERSONA": (250_000, 2_500_000)}
# Response keys in the spec's order (5.12.0), then 5.23.0's addition.
FIELDS = ("ad_account_id", "id", "name", "audience_type", "description", "rule", "size", "status", "type",
          "created_timestamp", "updated_timestamp", "created_by_company_name")


def audience_status(size: int) -> str:
    """The status of a built audience of ``size`` people.

    Example:
        >>> audience_status(99), audience_status(100)
        ('TOO_SMALL', 'READY')
    """
    return "TOO_SMALL" if size < MIN_AUDIENCE_SIZE else "READY"


def actalike_size(seed: int, account_id: str, rule: dict) -> int:
    """An ACTALIKE audience's size: ``percentage`` % of the country's nominal users, ±3 %.

    Example:
        >>> 2_760_000 <= actalike_size(1, "5", {"seed_id": ["7"], "country": "US", "percentage": 3}) <= 2_940_000
        True
    """
    jitter = 0.97 + 0.06 * unit(seed, "actalike", account_id, *rule["seed_id"])
    return int(rule["percentage"] * ACTALIKE_PER_PERCENT[rule["country"]] * jitter)


def rule_size(seed: int, account_id: str, audience_type: str, rule: dict) -> int:
    """The size of a VISITOR, ENGAGEMENT or PERSONA audience (see the module doc).

    Example:
        >>> rule_size(1, "5", "VISITOR", {"visitor_source_id": "9", "prefill": False})
        0
        >>> rule_size(1, "5", "VISITOR", {"visitor_source_id": "9"}) >= 6_000
        True
    """
    if audience_type == "VISITOR" and rule.get("prefill") is False:
        return 0
    low, high = _SIZE_RANGES[audience_type]
    size = low + (high - low) * unit(seed, "audience-size", account_id, audience_type, json.dumps(rule, sort_keys=True))
    if audience_type != "PERSONA":
        size *= (rule.get("retention_days", DEFAULT_RETENTION_DAYS) / DEFAULT_RETENTION_DAYS) ** 0.6
    return int(size)


def _text(body: dict, key: str, required: bool = False) -> str | None:
    if key not in body:
        if required:
            raise QueryError(f"{key} is required.")
        return None
    value = body[key]
    if not isinstance(value, str) or (key == "name" and not value.strip()):
        raise QueryError(f"{key} must be a {'non-empty ' if key == 'name' else ''}string.")
    return value


def _check_account(body: dict, account_id: str) -> None:
    if "ad_account_id" in body and body["ad_account_id"] != account_id:
        raise QueryError("ad_account_id must match the ad account in the path.")


class Audiences:
    """All audiences, by ad account. Not thread-safe by itself: the state lock guards it.

    ``records`` are the demo audiences (see :mod:`pintools.emulator.demo_audiences`);
    ``count_write`` is told the id of each successful create or update.
    """

    def __init__(self, records: list[dict], clock, seed: int, customer_lists, count_write=None):
        self.clock, self.seed, self.customer_lists = clock, seed, customer_lists
        self.items: dict[str, dict] = {r["id"]: r for r in records}
        self._count_write = count_write or (lambda record_id: None)
        self._id_rng = random.Random(f"audience-ids:{seed}")
        start = AUDIENCE_BASE + self._id_rng.randrange(0, 90_000)
        self._last_id = max([start] + [int(i) for i in self.items])

    # ---- reads -------------------------------------------------------------------------

    def render(self, record: dict) -> dict:
        """The ``Audience`` body of a record as of now (status and size depend on the clock)."""
        out = {key: record.get(key) for key in FIELDS}
        out["rule"] = dict(record["rule"])
        building = self.clock.now() < record["_ready_at"]
        out["size"] = None if building else record["_size"]
        out["status"] = "INITIALIZING" if building else audience_status(record["_size"])
        return out

    def for_account(self, account_id: str) -> list[dict]:
        """The account's audience records (any order)."""
        return [r for r in self.items.values() if r["ad_account_id"] == account_id]

    def find(self, account_id: str, audience_id: str) -> dict | None:
        """An audience record of this account, or None."""
        record = self.items.get(audience_id)
        return record if record is not None and record["ad_account_id"] == account_id else None

    def _require(self, account_id: str, audience_id: str) -> dict:
        record = self.find(account_id, audience_id)
        if record is None:
            raise not_found("Audience")
        return record

    def get(self, account_id: str, audience_id: str) -> dict:
        """One ``Audience``; 404 code 2 "Audience not found."."""
        return self.render(self._require(account_id, audience_id))

    def list(self, account_id: str, ownership_type: str, page_size: int, bookmark: str | None, descending: bool):
        """One page of ``Audience`` objects by id, and the next bookmark (RECEIVED: none)."""
        rows = self.for_account(account_id) if ownership_type == "OWNED" else []
        filters = {"op": "audiences/list", "account": account_id, "ownership": ownership_type, "desc": descending}
        return page(rows, page_size, bookmark, filters, descending, render=self.render)

    # ---- writes ------------------------------------------------------------------------

    def _new_id(self) -> str:
        self._last_id += self._id_rng.randrange(1, 400)
        return str(self._last_id)

    def _checked_rule(self, account_id: str, audience_type: str, rule, own_id: str | None = None) -> dict:
        rule = check_rule(rule, audience_type)
        if audience_type == "CUSTOMER_LIST" and self.customer_lists.find(account_id, rule["customer_list_id"]) is None:
            raise QueryError(f"rule.customer_list_id {rule['customer_list_id']} is not a customer list of this "
                             f"ad account.")
        if audience_type == "ACTALIKE":
            for seed_id in rule["seed_id"]:
                if seed_id == own_id or self.find(account_id, seed_id) is None:
                    raise QueryError(f"rule.seed_id {seed_id} is not another audience of this ad account.")
        return rule

    def _size(self, account_id: str, audience_type: str, rule: dict) -> int:
        if audience_type == "CUSTOMER_LIST":
            return int(self.customer_lists.find(account_id, rule["customer_list_id"]).get("_matched", 0))
        if audience_type == "ACTALIKE":
            return actalike_size(self.seed, account_id, rule)
        return rule_size(self.seed, account_id, audience_type, rule)

    def create(self, account_id: str, body) -> dict:
        """``AudienceCreateRequest`` → the new ``Audience`` (INITIALIZING); 400 on a bad body."""
        if not isinstance(body, dict):
            raise QueryError("The request body must be a JSON object.")
        _check_account(body, account_id)
        name = _text(body, "name", required=True)
        audience_type = body.get("audience_type")
        if audience_type is None:
            raise QueryError("audience_type is required.")
        if audience_type not in enums.AUDIENCE_TYPES:
            raise QueryError(f"audience_type must be one of {', '.join(enums.AUDIENCE_TYPES)}.")
        if "rule" not in body:
            raise QueryError("rule is required.")
        description = _text(body, "description")
        rule = self._checked_rule(account_id, audience_type, body["rule"])
        now = int(self.clock.now())
        record = {
            "ad_account_id": account_id, "id": self._new_id(), "name": name, "audience_type": audience_type,
            "description": description, "rule": rule, "type": "audience", "created_timestamp": now,
            "updated_timestamp": now, "created_by_company_name": None,
            "_size": self._size(account_id, audience_type, rule), "_ready_at": now + BUILD_SECONDS,
        }
        self.items[record["id"]] = record
        self._count_write(record["id"])
        return self.render(record)

    def update(self, account_id: str, audience_id: str, body) -> dict:
        """``AudienceUpdateRequest`` → the ``Audience``; REMOVE deletes it (answering it as it was)."""
        record = self._require(account_id, audience_id)
        if not isinstance(body, dict):
            raise QueryError("The request body must be a JSON object.")
        _check_account(body, account_id)
        operation = body.get("operation_type", "UPDATE")
        if operation not in enums.AUDIENCE_OPERATIONS:
            raise QueryError(f"operation_type must be one of {', '.join(enums.AUDIENCE_OPERATIONS)}.")
        changes = {key: value for key in ("name", "description") if (value := _text(body, key)) is not None}
        if "rule" in body:
            changes["rule"] = self._checked_rule(account_id, record["audience_type"], body["rule"], audience_id)
        if operation == "REMOVE":
            answer = self.render(record)
            del self.items[audience_id]
            self._count_write(audience_id)
            return answer
        if not changes:
            return self.render(record)
        now = int(self.clock.now())
        if "rule" in changes and changes["rule"] != record["rule"]:
            record["_size"] = self._size(account_id, record["audience_type"], changes["rule"])
            record["_ready_at"] = now + BUILD_SECONDS
        record.update(changes)
        record["updated_timestamp"] = max(now, int(record.get("updated_timestamp") or 0) + 1)
        self._count_write(audience_id)
        return self.render(record)
