"""Deterministic demo audiences and customer lists for every demo advertiser.

They come from a random stream of their own (``"audiences:<seed>"``) and are built after the
ad entities, which they only read. So they change no existing entity, id or metric.

Per accessible demo ad account, in creation order (the hidden account gets none):

- three customer lists (``demo_catalog.CUSTOMER_LISTS``): a newsletter list (38k–140k records
  uploaded, 38–62 % matched), a purchasers list (9k–48k uploaded), and a small loyalty/VIP list
  (120–189 uploaded, **36–94 Pinterest users matched**, so its ``status`` is ``TOO_SMALL``, "the
  list has less than 100 Pinterest users"). The others are READY;
- a ``CUSTOMER_LIST`` audience on each list, with the list's name. Its ``size`` is the list's
  matched users, so the loyalty/VIP audience has ``size`` < 100 and status ``TOO_SMALL`` ("Each
  audience list needs to have at least 100 people with Pinterest accounts before you can start
  using it"): **too small to target**;
- ``VISITOR`` "Site Visitors – 30 Days" and "Add to Cart – 14 Days" on the account's conversion
  tag (the one its conversion ad groups optimise for, when it has any);
- ``ENGAGEMENT`` "Pin Engagers – 90 Days" on the advertiser's domain;
- ``ACTALIKE`` "Actalike 3% – Past Purchasers", seeded on the purchasers audience, in the
  account's country, but only where the spec's actalike countries (US, CA, GB) include it. So
  the default German account has six audiences and the others seven.

Ids are numeric strings that grow in creation order: customer lists have 13 digits from
5497558…, like the spec's example ``customer_list_id``; audiences have 13 digits from 2542620…,
like its ``seed_id`` examples. Times are Unix seconds in the year before ``DEMO_EPOCH``, and
each object is built at its creation.

Example:
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator import demo
    >>> store = Store(seed=42); demo.build(store, seed=42)
    >>> lists, audiences = build(store, 42, demo.account_profiles())
    >>> len(lists), len(audiences)
    (9, 20)
    >>> sorted({a["audience_type"] for a in audiences})
    ['ACTALIKE', 'CUSTOMER_LIST', 'ENGAGEMENT', 'VISITOR']
    >>> sum(a["_size"] < 100 for a in audiences), sum(c["status"] == "TOO_SMALL" for c in lists)
    (3, 3)
"""

from __future__ import annotations

import random

from pintools.emulator import demo_catalog as cat
from pintools.emulator import enums
from pintools.emulator.demo import DEMO_EPOCH
from pintools.emulator.models.audiences import AUDIENCE_BASE, actalike_size
from pintools.emulator.models.customer_lists import list_status
from pintools.emulator.models.store import Store

CUSTOMER_LIST_BASE = 5_497_558_000_000
DAY = 86_400
START_DAYS_BEFORE_EPOCH = (330, 365)


class _Ids:
    """Growing numeric ids from a base (gaps of 1–399, like the store's)."""

    def __init__(self, base: int, rng: random.Random):
        self.rng = rng
        self.last = base + rng.randrange(0, 90_000)

    def next(self) -> str:
        self.last += self.rng.randrange(1, 400)
        return str(self.last)


def _conversion_tag(store: Store, account_id: str, rng: random.Random) -> str:
    """The conversion tag the account's conversion ad groups optimise for, else a new 13-digit id."""
    for group_id in store.children("ad_groups", account_id):
        goal = (store.ad_groups[group_id].get("optimization_goal_metadata") or {})
        tag = (goal.get("conversion_tag_v3_goal_metadata") or {}).get("conversion_tag_id")
        if tag:
            return tag
    return str(rng.randrange(10**12, 10**13))


def build(store: Store, seed: int, profiles: list[dict]) -> tuple[list[dict], list[dict]]:
    """``(customer list records, audience records)`` for the store's demo accounts (module doc).

    ``profiles`` are the advertisers' profiles (``demo.account_profiles``), in the order
    ``demo.build`` added their accounts.
    """
    rng = random.Random(f"audiences:{seed}")
    list_ids, audience_ids = _Ids(CUSTOMER_LIST_BASE, rng), _Ids(AUDIENCE_BASE, rng)
    lists: list[dict] = []
    audiences: list[dict] = []
    accounts = list(store.accounts.values())[: len(profiles)]
    for account, profile in zip(accounts, profiles, strict=True):
        if not account.get("_accessible", True):
            continue
        clock = [_start(rng)]
        made = _customer_lists(rng, account["id"], list_ids, clock)
        lists += made
        audiences += _audiences(store, rng, seed, account, profile, made, audience_ids, clock)
    return lists, audiences


def _start(rng: random.Random) -> int:
    return DEMO_EPOCH - rng.randrange(*START_DAYS_BEFORE_EPOCH) * DAY + rng.randrange(0, DAY)


def _tick(rng: random.Random, clock: list[int], low_days: int, high_days: int) -> int:
    clock[0] += rng.randrange(low_days, high_days) * DAY + rng.randrange(0, DAY)
    return clock[0]


def _customer_lists(rng: random.Random, account_id: str, ids: _Ids, clock: list[int]) -> list[dict]:
    made = []
    for names, uploaded_range, matched_share in cat.CUSTOMER_LISTS:
        created = _tick(rng, clock, 2, 20)
        uploaded = rng.randrange(*uploaded_range)
        matched = int(uploaded * rng.uniform(*matched_share))
        batches = rng.randrange(1, 7)
        made.append({
            "ad_account_id": account_id,
            "created_time": created,
            "id": ids.next(),
            "name": rng.choice(names),
            "num_batches": batches,
            "num_removed_user_records": rng.randrange(0, max(1, uploaded // 50)) if batches > 1 else 0,
            "num_uploaded_user_records": uploaded,
            "status": list_status(matched),
            "type": "customerlist",
            "updated_time": created + (batches - 1) * rng.randrange(7, 31) * DAY,
            "exceptions": {},
            "_matched": matched,
        })
    return made


def _audience(account_id: str, audience_id: str, audience_type: str, name: str, description: str | None,
              rule: dict, size: int, created: int, updated: int) -> dict:
    return {
        "ad_account_id": account_id, "id": audience_id, "name": name, "audience_type": audience_type,
        "description": description, "rule": rule, "type": "audience", "created_timestamp": created,
        "updated_timestamp": updated, "created_by_company_name": None, "_size": size, "_ready_at": created,
    }


def _audiences(store: Store, rng: random.Random, seed: int, account: dict, profile: dict, lists: list[dict],
               ids: _Ids, clock: list[int]) -> list[dict]:
    account_id = account["id"]
    out = []

    def add(audience_type, name, description, rule, size):
        created = _tick(rng, clock, 1, 25)
        updated = created + rng.randrange(0, 45) * DAY
        out.append(_audience(account_id, ids.next(), audience_type, name, description, rule, size, created, updated))
        return out[-1]

    for customer_list, description in zip(lists, cat.CUSTOMER_LIST_DESCRIPTIONS, strict=True):
        add("CUSTOMER_LIST", customer_list["name"], description, {"customer_list_id": customer_list["id"]},
            customer_list["_matched"])
    purchasers = out[1]
    tag = _conversion_tag(store, account_id, rng)
    domain = profile["domain"]
    rules = (
        {"visitor_source_id": tag, "retention_days": 30, "event_source": {"=": ["web", "mobile"]},
         "ingestion_source": {"=": ["tag"]}},
        {"visitor_source_id": tag, "retention_days": 14, "event": "addtocart"},
        {"engagement_domain": [domain], "engager_type": 1, "retention_days": 90},
    )
    for (audience_type, name, description, size_range), rule in zip(cat.SITE_AUDIENCES, rules, strict=True):
        add(audience_type, name, description, rule, rng.randrange(*size_range))
    if account["country"] in enums.ACTALIKE_COUNTRIES:
        name, percentage = cat.ACTALIKE_AUDIENCE
        rule = {"seed_id": [purchasers["id"]], "country": account["country"], "percentage": percentage}
        add("ACTALIKE", name, None, rule, actalike_size(seed, account_id, rule))
    return out
