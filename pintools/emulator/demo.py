"""Deterministic demo data: the same (seed, scale, accounts) always builds the same entities.

Default (``accounts=None``) builds three advertisers: Juniper & Sage Home (US, USD),
Harbour & Hearth Kitchenware (GB, GBP, shared via Business Access) and Nordlicht Outdoor GmbH
(DE, EUR), plus one hidden account (403). Each gets ``8 × scale`` campaigns cycling through
AWARENESS, CONSIDERATION, WEB_CONVERSION, CATALOG_SALES (CBO) and VIDEO_COMPLETION plus a non-CBO
CONSIDERATION, with statuses mostly ACTIVE and one PAUSED, one ARCHIVED and one DRAFT per
cycle of 8. Every campaign has 3 ad groups (ACTIVE, ACTIVE, PAUSED), every ad group 2 ads and
4 keywords; each account has 3 account-level negative keywords and 2 campaign-level negatives
on each CONSIDERATION campaign.

Counts (three default accounts): campaigns = 24·scale, ad groups = 72·scale,
ads = 144·scale, keywords = 300·scale + 9. So scale=1 → 24 / 72 / 144 / 309;
scale=100 → 2,400 / 7,200 / 14,400 / 30,009; scale=200 → 4,800 / 14,400 / 28,800 / 60,009.

Custom accounts (``accounts=[{...}]``), keys (all optional except none):
``name``, ``country`` ("US"), ``currency`` ("USD"), ``id`` (explicit ad account id),
``shared`` (False), ``campaigns`` (8), ``ad_groups_per_campaign`` (3), ``ads_per_ad_group`` (2),
``keywords_per_ad_group`` (4), ``account_negative_keywords`` (0), ``campaign_negative_keywords`` (0),
``statuses`` ("mixed" = the pattern above, "active" = everything ACTIVE and approved),
``objectives`` (list cycled instead of the default cycle), ``cbo`` (None = by objective;
False forces non-CBO), ``permissions`` (the demo user's Business Access roles on the account;
default ``["OWNER"]``, or ``["ADMIN", "CAMPAIGN_MANAGER", "ANALYST"]`` when shared; ``["ANALYST"]``
makes a read-only account, see :mod:`pintools.emulator.models.access`). ``scale`` multiplies
``campaigns``. Campaigns holding more than 70 ad
groups are made non-CBO (ad-group daily budgets), since a CBO campaign allows at most 70.

Timestamps derive from ``DEMO_EPOCH`` (2024-01-01), never from the wall clock.
PAUSED and ARCHIVED entities carry ``_paused_since`` = their ``updated_time`` (private): analytics
show their delivery only up to that day.

Example:
    >>> from pintools.emulator.models.store import Store
    >>> store = Store(seed=42); build(store, seed=42)
    >>> len(store.campaigns), len(store.ad_groups), len(store.ads), len(store.keywords)
    (24, 72, 144, 309)
"""

from __future__ import annotations

import random

from pintools.emulator import demo_catalog as cat
from pintools.emulator.enums import BUSINESS_ACCESS_ROLES
from pintools.emulator.models.ad_groups import (
    MAX_CBO_AD_GROUPS,
    add_ad_group,
    check_ad_group,
    check_bid_floor,
    floor_countries,
    new_ad_group_record,
)
from pintools.emulator.models.ads import add_ad, new_ad_record
from pintools.emulator.models.bid_floor import bid_floor
from pintools.emulator.models.campaigns import add_campaign, check_campaign, new_campaign_record
from pintools.emulator.models.keywords import add_keyword, new_keyword_record
from pintools.emulator.models.store import Store

DEMO_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z
FAR_END = 1_956_528_000  # 2031-12-31T00:00:00Z: flights that outlive any demo session
KNOWN_KEYS = {
    "name", "country", "currency", "id", "shared", "campaigns", "ad_groups_per_campaign", "ads_per_ad_group",
    "keywords_per_ad_group", "account_negative_keywords", "campaign_negative_keywords", "statuses", "objectives",
    "cbo", "owner", "domain", "locales", "locations", "metros", "themes", "permissions",
}


def _money(rng: random.Random, currency: str, choices_usd: tuple[float, ...]) -> int:
    """A micro-currency amount: a USD price point converted and rounded to a cent."""
    usd = rng.choice(choices_usd)
    local = usd * cat.CURRENCY_FACTORS.get(currency, 1.0)
    return int(round(local * 100)) * 10_000


def _mark_stopped(record: dict) -> None:
    """PAUSED/ARCHIVED demo entities stopped delivering at their last update (``_paused_since``)."""
    if record["status"] in ("PAUSED", "ARCHIVED"):
        record["_paused_since"] = record["updated_time"]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


def _permissions(roles) -> list[str] | None:
    """An account spec's ``permissions``: None, or a non-empty list of BusinessAccessRole names.

    Example:
        >>> _permissions(["ANALYST"]), _permissions(None)
        (['ANALYST'], None)
    """
    if roles is None:
        return None
    if not isinstance(roles, list) or not roles or not all(r in BUSINESS_ACCESS_ROLES for r in roles):
        raise ValueError(f"permissions must be a non-empty list of {', '.join(BUSINESS_ACCESS_ROLES)}")
    return list(roles)


def _profile(raw: dict, index: int) -> dict:
    """A complete account profile from a user's ``accounts`` entry."""
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise ValueError(f"unknown account keys: {sorted(unknown)}")
    statuses = raw.get("statuses", "mixed")
    if statuses not in ("mixed", "active"):
        raise ValueError("statuses must be 'mixed' or 'active'")
    name = raw.get("name") or f"Demo Advertiser {index + 1}"
    profile = {
        "name": name,
        "country": raw.get("country", "US"),
        "currency": raw.get("currency", "USD"),
        "owner": raw.get("owner") or _slug(name).replace("-", "")[:30],
        "domain": raw.get("domain") or f"www.{_slug(name).replace('-', '')[:40]}.com",
        "locales": raw.get("locales") or ["en"],
        "locations": raw.get("locations") or [raw.get("country", "US")],
        "metros": raw.get("metros") or [],
        "shared": bool(raw.get("shared", False)),
        "themes": raw.get("themes") or cat.GENERIC_THEMES,
        "id": raw.get("id"),
        "campaigns": int(raw.get("campaigns", 8)),
        "ad_groups_per_campaign": int(raw.get("ad_groups_per_campaign", 3)),
        "ads_per_ad_group": int(raw.get("ads_per_ad_group", 2)),
        "keywords_per_ad_group": int(raw.get("keywords_per_ad_group", 4)),
        "account_negative_keywords": int(raw.get("account_negative_keywords", 0)),
        "campaign_negative_keywords": int(raw.get("campaign_negative_keywords", 0)),
        "statuses": statuses,
        "objectives": raw.get("objectives"),
        "cbo": raw.get("cbo"),
        "permissions": _permissions(raw.get("permissions")),
    }
    for key in ("campaigns", "ad_groups_per_campaign", "ads_per_ad_group", "keywords_per_ad_group"):
        if profile[key] < 0:
            raise ValueError(f"{key} must be >= 0")
    return profile


def default_profiles() -> list[dict]:
    """The three default advertisers as full profiles."""
    profiles = []
    for index, raw in enumerate(cat.DEFAULT_ACCOUNTS):
        profile = _profile({k: v for k, v in raw.items()}, index)
        profile.update(account_negative_keywords=len(cat.ACCOUNT_NEGATIVES),
                       campaign_negative_keywords=len(cat.CAMPAIGN_NEGATIVES))
        profiles.append(profile)
    return profiles


def account_profiles(accounts: list[dict] | None = None) -> list[dict]:
    """The full profiles of the demo advertisers: the defaults, or one per custom ``accounts`` entry.

    Example:
        >>> [p["domain"] for p in account_profiles([{"name": "Fern & Co"}])]
        ['www.fernco.com']
    """
    return default_profiles() if accounts is None else [_profile(a, i) for i, a in enumerate(accounts)]


def build(store: Store, seed: int = 0, scale: int = 1, accounts: list[dict] | None = None) -> None:
    """Fill an empty store with demo data (see the module doc for shapes and counts).

    Audiences and customer lists are built apart, by :mod:`pintools.emulator.demo_audiences`.
    """
    if int(scale) < 1:
        raise ValueError("scale must be >= 1")
    rng = random.Random(f"demo:{seed}")
    profiles = account_profiles(accounts)
    for index, profile in enumerate(profiles):
        _build_account(store, rng, profile, index, int(scale))
    hidden = dict(cat.HIDDEN_ACCOUNT)
    _add_account(store, rng, {**hidden, "shared": False, "id": None}, len(profiles), accessible=False)


def _add_account(store: Store, rng: random.Random, profile: dict, index: int, accessible: bool = True) -> dict:
    account_id = str(profile["id"]) if profile.get("id") else store.new_id("ad_account")
    created = DEMO_EPOCH - (400 - index * 30) * 86_400
    owner_id = str(rng.randrange(10**17, 10**18))
    record = {
        "id": account_id,
        "name": profile["name"],
        "owner": {"username": profile["owner"], "id": owner_id},
        "country": profile["country"],
        "currency": profile["currency"],
        "permissions": profile.get("permissions") or (["ADMIN", "CAMPAIGN_MANAGER", "ANALYST"] if profile["shared"]
                                                      else ["OWNER"]),
        "created_time": created,
        "updated_time": created + 86_400 * rng.randrange(1, 60),
        "_accessible": accessible,
        "_shared": profile["shared"],
    }
    store.add("accounts", record)
    return record


def _build_account(store: Store, rng: random.Random, profile: dict, index: int, scale: int) -> None:
    account = _add_account(store, rng, profile, index)
    account_id = account["id"]
    currency = profile["currency"]
    for value, match_type in cat.ACCOUNT_NEGATIVES[: profile["account_negative_keywords"]]:
        _keyword(store, account_id, account_id, "advertiser", value, match_type, None)
    conversion_tag_id = str(rng.randrange(10**12, 10**13))
    feed_profile_id = str(rng.randrange(10**12, 10**13))
    context = {"profile": profile, "account_id": account_id, "currency": currency,
               "tag": conversion_tag_id, "feed": feed_profile_id}
    total = profile["campaigns"] * scale
    for position in range(total):
        _build_campaign(store, rng, context, position)


def _cycle_entry(profile: dict, position: int):
    if profile["objectives"]:
        objective = profile["objectives"][position % len(profile["objectives"])]
        cycle = next((c for c in cat.CAMPAIGN_CYCLE if c[0] == objective), (objective, False, objective.title(), "ACTIVE"))
        mixed_status = cat.CAMPAIGN_CYCLE[position % len(cat.CAMPAIGN_CYCLE)][3]
        return objective, cycle[1], cycle[2], mixed_status
    return cat.CAMPAIGN_CYCLE[position % len(cat.CAMPAIGN_CYCLE)]


def _build_campaign(store: Store, rng: random.Random, ctx: dict, position: int) -> None:
    profile, currency = ctx["profile"], ctx["currency"]
    objective, cbo, label, mixed_status = _cycle_entry(profile, position)
    if profile["cbo"] is False or profile["ad_groups_per_campaign"] > MAX_CBO_AD_GROUPS:
        cbo = False
    if objective not in ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES"):
        cbo = False
    status = mixed_status if profile["statuses"] == "mixed" else "ACTIVE"
    themes = profile["themes"]
    theme, seeds = themes[position % len(themes)]
    round_no = position // len(themes)
    name = f"{theme} – {label}" + (f" ({round_no + 1})" if round_no else "")
    created = DEMO_EPOCH + position * 5_400 + rng.randrange(0, 3_600)
    record = new_campaign_record(ctx["account_id"], name, objective, created)
    record["status"] = status
    record["is_campaign_budget_optimization"] = cbo
    record["updated_time"] = created + rng.randrange(3_600, 30 * 86_400)
    record["start_time"] = created + 86_400
    if cbo:
        if position % 3 == 2:
            record["lifetime_spend_cap"] = _money(rng, currency, (3_000, 5_000, 12_000))
            record["end_time"] = FAR_END
        else:
            record["daily_spend_cap"] = _money(rng, currency, (50, 75, 100, 150, 250))
    else:
        record["default_ad_group_budget_in_micro_currency"] = _money(rng, currency, (20, 30, 40))
    if position % 4 == 0:
        placement = f"N{rng.randrange(1000, 9999)}.{rng.randrange(100000, 999999)}/B{rng.randrange(10**7, 10**8)}"
        record["tracking_urls"] = {
            "impression": [f"https://ad.doubleclick.net/ddm/trackimp/{placement};ord=[timestamp]"],
            "click": [f"https://ad.doubleclick.net/ddm/trackclk/{placement}"],
        }
    if position % 5 == 1:
        record["order_line_id"] = str(rng.randrange(10**11, 10**12))
    check_campaign(record)
    _mark_stopped(record)
    record["id"] = store.new_id("campaign")
    add_campaign(store, record)
    if objective == "CONSIDERATION":
        for value, match_type in cat.CAMPAIGN_NEGATIVES[: profile["campaign_negative_keywords"]]:
            _keyword(store, ctx["account_id"], record["id"], "campaign", value, match_type, None)
    for slot in range(profile["ad_groups_per_campaign"]):
        _build_ad_group(store, rng, ctx, record, slot, theme, seeds)


def _ad_group_status(campaign_status: str, slot: int, statuses: str) -> str:
    if statuses == "active":
        return "ACTIVE"
    if campaign_status in ("ARCHIVED", "DRAFT"):
        return campaign_status
    return {2: "PAUSED", 5: "ARCHIVED"}.get(slot % 6, "ACTIVE")


def _targeting(rng: random.Random, profile: dict, objective: str, retargeting: bool) -> dict:
    spec = {
        "AGE_BUCKET": list(rng.choice(cat.AGE_GROUPS)),
        "GENDER": list(rng.choice(cat.GENDER_GROUPS)),
        "LOCATION": list(profile["locations"])
        + (list(profile["metros"][:1]) if profile["metros"] and rng.random() < 0.3 else []),
        "LOCALE": list(profile["locales"]),
        "APPTYPE": list(rng.choice(cat.APPTYPE_GROUPS)),
    }
    if retargeting:
        spec["AUDIENCE_INCLUDE"] = [str(rng.randrange(10**12, 10**13))]
        spec["TARGETING_STRATEGY"] = ["RECONNECT_WITH_USERS"]
    else:
        spec["INTEREST"] = rng.sample(cat.INTEREST_IDS, 3)
        spec["TARGETING_STRATEGY"] = ["FIND_NEW_CUSTOMERS" if objective == "CATALOG_SALES" else "CHOOSE_YOUR_OWN"]
    if objective == "CATALOG_SALES" and retargeting:
        spec["SHOPPING_RETARGETING"] = [{"lookback_window": 30, "tag_types": [0, 6], "exclusion_window": 14}]
    return spec


def _lift_to_floor(record: dict, campaign: dict, currency: str) -> None:
    """Raise a demo bid to the bid floor the write path enforces (only custom currencies and
    countries need it: the default advertisers' bids are all at or above their floors)."""
    bid = record.get("bid_in_micro_currency")
    if bid is not None:
        floor = bid_floor(record["billable_event"], currency, floor_countries(record["targeting_spec"]) or None,
                          campaign["objective_type"])
        record["bid_in_micro_currency"] = max(bid, floor)


def _build_ad_group(store, rng, ctx, campaign, slot, theme, seeds) -> None:
    profile, currency = ctx["profile"], ctx["currency"]
    objective = campaign["objective_type"]
    labels = cat.AD_GROUP_LABELS.get(objective, cat.AD_GROUP_LABELS["CONSIDERATION"])
    label = labels[slot % len(labels)] + (f" {slot // len(labels) + 1}" if slot >= len(labels) else "")
    billable = {"AWARENESS": "IMPRESSION", "WEB_CONVERSION": "IMPRESSION", "VIDEO_COMPLETION": "VIDEO_V_50_MRC"}.get(
        objective, "CLICKTHROUGH")
    created = campaign["created_time"] + 600 * (slot + 1)
    record = new_ad_group_record(campaign, f"{theme} – {label}", billable, created)
    record["status"] = _ad_group_status(campaign["status"], slot, profile["statuses"])
    record["updated_time"] = max(created, campaign["updated_time"] - rng.randrange(0, 3_600))
    retargeting = "Retargeting" in label or "Visitors" in label or "Cart" in label or "Email" in label
    record["targeting_spec"] = _targeting(rng, profile, objective, retargeting)
    record["placement_group"] = "SEARCH" if "Search" in label else ("BROWSE" if "Browse" in label else "ALL")
    record["auto_targeting_enabled"] = slot % 3 != 1
    if objective == "AWARENESS":
        record["bid_in_micro_currency"] = _money(rng, currency, (4.5, 5.0, 6.0, 7.5, 9.0))
        record["bid_strategy_type"] = "MAX_BID"
        if slot == 0:
            record["optimization_goal_metadata"] = {"frequency_goal_metadata": {"frequency": 3, "timerange": "SEVEN_DAY"}}
    elif objective in ("CONSIDERATION", "CATALOG_SALES"):
        record["bid_in_micro_currency"] = _money(
            rng, currency, (0.6, 0.8, 1.1, 1.4, 1.8) if objective == "CONSIDERATION" else (0.4, 0.55, 0.7, 0.95, 1.2))
        record["bid_strategy_type"] = "MAX_BID"
    elif objective == "WEB_CONVERSION":
        record["bid_strategy_type"] = "AUTOMATIC_BID" if slot % 2 == 0 else "TARGET_AVG"
        record["optimization_goal_metadata"] = {
            "conversion_tag_v3_goal_metadata": {
                "attribution_windows": {"click_window_days": 30, "engagement_window_days": 30, "view_window_days": 1},
                "conversion_event": ("CHECKOUT", "ADD_TO_CART", "SIGNUP")[slot % 3],
                "conversion_tag_id": ctx["tag"],
                "cpa_goal_value_in_micro_currency": str(_money(rng, currency, (18, 25, 35, 45))),
                "is_roas_optimized": False,
                "learning_mode_type": "ACTIVE" if slot % 2 == 0 else "NOT_ACTIVE",
            }
        }
        record["conversion_learning_mode_type"] = "ACTIVE" if slot % 2 == 0 else "NOT_ACTIVE"
    elif objective == "VIDEO_COMPLETION":
        record["bid_in_micro_currency"] = _money(rng, currency, (0.03, 0.04, 0.05, 0.07))
        record["bid_strategy_type"] = "MAX_BID"
    if objective == "CATALOG_SALES":
        record["feed_profile_id"] = ctx["feed"]
    if campaign["is_campaign_budget_optimization"]:
        record.update(budget_type="CBO_ADGROUP", start_time=None, end_time=None, budget_in_micro_currency=None)
    else:
        record["budget_in_micro_currency"] = campaign["default_ad_group_budget_in_micro_currency"] or _money(
            rng, currency, (20, 30, 40, 60))
        record["start_time"] = campaign["start_time"]
        if objective == "VIDEO_COMPLETION" and slot == 1:
            record.update(budget_type="LIFETIME", end_time=FAR_END,
                          budget_in_micro_currency=_money(rng, currency, (900, 1_500, 2_400)))
        if slot % 4 == 3:
            record["pacing_delivery_type"] = "ACCELERATED"
    if slot % 5 == 0 and campaign.get("tracking_urls") is None:
        record["tracking_urls"] = {"click": [f"https://{profile['domain']}/r/pin?agid={slot}&cid={campaign['id']}"]}
    _lift_to_floor(record, campaign, currency)
    check_ad_group(record, campaign)
    check_bid_floor(record, campaign, currency)
    _mark_stopped(record)
    record["id"] = store.new_id("ad_group")
    add_ad_group(store, record)
    for number in range(profile["ads_per_ad_group"]):
        _build_ad(store, rng, ctx, campaign, record, number, theme)
    _build_keywords(store, ctx, record, slot, seeds, rng)


def _build_ad(store, rng, ctx, campaign, group, number, theme) -> None:
    profile = ctx["profile"]
    objective = campaign["objective_type"]
    creative = cat.CREATIVES.get(objective, ("REGULAR",))[number % 3]
    created = group["created_time"] + 120 * (number + 1)
    record = new_ad_record(ctx["account_id"], group, store.new_pin_id(), creative, created)
    record["updated_time"] = max(created, group["updated_time"])
    group_status = group["status"]
    if profile["statuses"] == "active":
        record["status"] = "ACTIVE"
    elif group_status != "ACTIVE":
        record["status"] = group_status
    else:
        record["status"] = "PAUSED" if number % 4 == 3 else "ACTIVE"
    slug = _slug(theme)
    record["name"] = f"{theme} – {creative.replace('_', ' ').title()} {number + 1}"
    record["destination_url"] = (
        f"https://{profile['domain']}/collections/{slug}?utm_source=pinterest&utm_medium=paid&utm_campaign={campaign['id']}"
    )
    record["customizable_cta_type"] = cat.CTA_BY_OBJECTIVE.get(objective)
    record["grid_click_type"] = "DIRECT_TO_DESTINATION" if creative in ("SHOPPING", "COLLECTION") else "CLOSEUP"
    record["is_removable"] = number % 2 == 1
    if creative == "CAROUSEL":
        record["carousel_destination_urls"] = [f"https://{profile['domain']}/products/{slug}-{i}" for i in range(1, 4)]
    if creative == "COLLECTION":
        record["collection_items_destination_url_template"] = f"https://{profile['domain']}/p/{{product_id}}"
    if record["status"] == "DRAFT":
        record["review_status"] = "PENDING"
    elif profile["statuses"] == "mixed" and rng.random() < 0.04:
        record["review_status"] = "REJECTED"
        record["rejected_reasons"] = [rng.choice(["LANDING_PAGE_QUALITY", "IMAGE_LOW_QUALITY", "PROMOTIONS_AND_PRICES"])]
        record["rejection_labels"] = ["Landing page or image quality"]
    else:
        record["review_status"] = "APPROVED"
    _mark_stopped(record)
    record["id"] = store.new_id("ad")
    add_ad(store, record)


def _build_keywords(store, ctx, group, slot, seeds, rng) -> None:
    count = ctx["profile"]["keywords_per_ad_group"]
    currency = ctx["currency"]
    for n in range(count):
        base = seeds[(slot + n) % len(seeds)]
        round_no = n // len(seeds)
        value = base if round_no == 0 else f"{base} {cat.KEYWORD_MODIFIERS[(round_no - 1) % len(cat.KEYWORD_MODIFIERS)]}"
        if round_no > len(cat.KEYWORD_MODIFIERS):
            value = f"{value} {round_no}"
        match_type = ("BROAD", "PHRASE", "EXACT")[n % 3]
        if n % 2:  # keyword bids are null in 5.23.0; the draw keeps the demo's random sequence
            _money(rng, currency, (0.25, 0.4, 0.6, 0.85, 1.2))
        _keyword(store, ctx["account_id"], group["id"], "ad_group", value, match_type, None)


def _keyword(store, account_id, parent_id, parent_type, value, match_type, bid) -> None:
    record = new_keyword_record(parent_id, parent_type, value, match_type, bid)
    record["id"] = store.new_id("keyword")
    record["_ad_account_id"] = account_id
    add_keyword(store, record)
