"""Per-ad delivery profiles: when an ad delivers and at what rates (the inputs of the metrics).

A profile is a flat dict of numbers drawn once per ad from ``rng(seed, ad_id, ...)`` and from
the ad's context: objective (campaign), billable event, bid and budget (ad group), creative
type (ad), currency, country and tracked conversion events (account). Rules:

- An ad delivers on the UTC days between the latest of its campaign's, ad group's and own
  start (``start_time``, else ``created_time``) and the earliest ``end_time`` – never when the
  campaign, ad group or ad is DRAFT / DELETED_DRAFT, nor when the ad was REJECTED in review.
  A PAUSED or ARCHIVED campaign, ad group or ad delivers up to the day it stopped
  (``_paused_since``, kept by the models; going ACTIVE again clears it, so the emulator then
  treats the pause as never having happened – it keeps no status history).
- Spend aims at ~40% of the ad group's daily budget (CBO: of a third of the campaign's daily
  cap; lifetime amounts spread over the flight, 30–180 days), else an objective default.
- Impressions follow from spend through an effective CPM implied by the billable event
  (CPM bid, CPC bid × CTR, or CPV bid × video view rate); clicks, saves, video quartiles and
  conversions follow from impressions through the rates below.
- Each account tracks a fixed subset of conversion events (always PAGE_VISIT, ADD_TO_CART,
  CHECKOUT); untracked events have rate 0, so their columns stay 0 or absent.

``version`` changes whenever any of those inputs changes (cached metrics follow it).

Example:
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator import demo
    >>> store = Store(seed=1); demo.build(store, seed=1)
    >>> ad = next(a for a in store.ads.values() if a["status"] == "ACTIVE" and a["review_status"] == "APPROVED")
    >>> p = ad_profile(1, store, ad)
    >>> p["live"], p["spend"] > 0, 0 < p["ctr"] < 0.05
    (True, True, True)
"""

from __future__ import annotations

from datetime import UTC, datetime

from pintools.emulator.models.hashing import key64, rng
from pintools.emulator.models.money import MICRO, factor
from pintools.emulator.models.store import Store

EVENTS = ("PAGE_VISIT", "SIGNUP", "CHECKOUT", "CUSTOM", "ADD_TO_CART", "LEAD", "SEARCH", "WATCH_VIDEO",
          "VIEW_CATEGORY", "APP_INSTALL", "UNKNOWN")
ACTIONS = ("CLICK", "ENGAGEMENT", "VIEW")
CHANNELS = ("WEB", "INAPP", "OFFLINE")
DEVICES = ("DESKTOP", "MOBILE", "TABLET")
NEVER = 10**7  # a day ordinal after any end

NOT_LIVE_STATUSES = ("DRAFT", "DELETED_DRAFT")
# Objective → (CTR range, conversion multiplier, default daily spend in USD per ad).
OBJECTIVES = {
    "AWARENESS": ((0.003, 0.007), 0.15, 40.0),
    "CONSIDERATION": ((0.008, 0.018), 0.45, 25.0),
    "VIDEO_COMPLETION": ((0.002, 0.005), 0.10, 20.0),
    "WEB_CONVERSION": ((0.006, 0.012), 1.00, 35.0),
    "CATALOG_SALES": ((0.010, 0.022), 0.90, 30.0),
}
# Conversions per outbound click (WEB_CONVERSION-strength) and value per conversion (USD).
EVENT_RATES = {
    "PAGE_VISIT": (0.55, 0.85), "VIEW_CATEGORY": (0.15, 0.30), "SEARCH": (0.03, 0.08), "ADD_TO_CART": (0.05, 0.12),
    "CHECKOUT": (0.015, 0.04), "SIGNUP": (0.01, 0.03), "LEAD": (0.005, 0.015), "CUSTOM": (0.01, 0.03),
    "WATCH_VIDEO": (0.005, 0.02), "APP_INSTALL": (0.001, 0.004), "UNKNOWN": (0.002, 0.006),
}
EVENT_VALUES_USD = {
    "PAGE_VISIT": (0.2, 1.0), "VIEW_CATEGORY": (0.0, 0.0), "SEARCH": (0.0, 0.0), "ADD_TO_CART": (35.0, 120.0),
    "CHECKOUT": (45.0, 160.0), "SIGNUP": (5.0, 15.0), "LEAD": (10.0, 40.0), "CUSTOM": (5.0, 25.0),
    "WATCH_VIDEO": (0.0, 0.0), "APP_INSTALL": (2.0, 6.0), "UNKNOWN": (0.0, 2.0),
}
# Chance that an account's tag tracks an event (the always-tracked ones are 1.0).
EVENT_TRACKING = {
    "PAGE_VISIT": 1.0, "ADD_TO_CART": 1.0, "CHECKOUT": 1.0, "SIGNUP": 0.7, "VIEW_CATEGORY": 0.7, "SEARCH": 0.6,
    "UNKNOWN": 0.5, "CUSTOM": 0.4, "LEAD": 0.3, "WATCH_VIDEO": 0.25, "APP_INSTALL": 0.15,
}
OFFLINE_EVENTS = {"CHECKOUT": (0.02, 0.06), "SIGNUP": (0.01, 0.04), "LEAD": (0.01, 0.04), "CUSTOM": (0.0, 0.03),
                  "UNKNOWN": (0.0, 0.03)}
ITEMS_PER_ORDER = {"CHECKOUT": (1.3, 2.4), "ADD_TO_CART": (1.1, 1.8)}
# UTC offset (hours) of an account's country, for the daily curve of the HOUR split.
UTC_OFFSETS = {"US": -5, "CA": -5, "MX": -6, "BR": -3, "AR": -3, "CO": -5, "CL": -4, "GB": 0, "IE": 0, "PT": 0,
               "DE": 1, "AT": 1, "CH": 1, "FR": 1, "ES": 1, "IT": 1, "NL": 1, "BE": 1, "SE": 1, "PL": 1,
               "AU": 10, "NZ": 12, "JP": 9, "KR": 9}


def utc_day(ts: int | None) -> int | None:
    """The proleptic ordinal of the UTC date of a Unix timestamp (None stays None).

    Example:
        >>> from datetime import date
        >>> date.fromordinal(utc_day(1704067200)).isoformat()
        '2024-01-01'
    """
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), tz=UTC).date().toordinal()


def _start_day(record: dict) -> int:
    return utc_day(record.get("start_time") if record.get("start_time") is not None else record["created_time"])


def _end_day(record: dict) -> int:
    end = record.get("end_time")
    return NEVER if end is None else utc_day(int(end) - 1)


def delivery_window(ad: dict, group: dict, campaign: dict) -> tuple[int, int, bool]:
    """``(first day, last day, live)`` of an ad (day ordinals; live = allowed to deliver at all).

    Example:
        >>> c = {"status": "ACTIVE", "created_time": 0, "start_time": 86400 * 10, "end_time": None}
        >>> g = {"status": "ACTIVE", "created_time": 0, "start_time": None, "end_time": 86400 * 20}
        >>> a = {"status": "ACTIVE", "created_time": 86400 * 12, "review_status": "APPROVED"}
        >>> first, last, live = delivery_window(a, g, c)
        >>> first - utc_day(0), last - utc_day(0), live
        (12, 19, True)
    """
    first = max(_start_day(campaign), _start_day(group), utc_day(ad["created_time"]))
    last = min(_end_day(campaign), _end_day(group))
    for record in (campaign, group, ad):
        if record.get("_paused_since") is not None:
            last = min(last, utc_day(record["_paused_since"]))
    live = (all(r["status"] not in NOT_LIVE_STATUSES for r in (ad, group, campaign))
            and ad.get("review_status") != "REJECTED")
    return first, last, live


def _flight_days(record: dict) -> int:
    start, end = record.get("start_time") or record["created_time"], record.get("end_time")
    if end is None:
        return 90
    return max(30, min(180, (int(end) - int(start)) // 86_400))


def _daily_budget(group: dict, campaign: dict) -> float | None:
    """The ad group's daily budget in micro units (CBO: a third of the campaign's cap), or None."""
    budget = group.get("budget_in_micro_currency")
    if budget and group.get("budget_type") == "DAILY":
        return float(budget)
    if budget and group.get("budget_type") == "LIFETIME":
        return float(budget) / _flight_days(group if group.get("end_time") else campaign)
    if campaign.get("daily_spend_cap"):
        return campaign["daily_spend_cap"] / 3.0
    if campaign.get("lifetime_spend_cap"):
        return campaign["lifetime_spend_cap"] / _flight_days(campaign) / 3.0
    return None


def tracked_events(seed: int, account_id: str) -> frozenset[str]:
    """The conversion events an account's tag reports (stable per seed and account).

    Example:
        >>> {"PAGE_VISIT", "CHECKOUT", "ADD_TO_CART"} <= tracked_events(1, "549755885175")
        True
    """
    r = rng(seed, account_id, "tracked-events")
    return frozenset(e for e in EVENTS if r.random() < EVENT_TRACKING[e])


def _signature(seed, ad, group, campaign, account) -> tuple:
    return (
        seed, ad["id"], ad["status"], ad.get("review_status"), ad["creative_type"], ad["created_time"],
        ad.get("lead_form_id") is not None, ad.get("_paused_since"), group.get("_paused_since"),
        campaign.get("_paused_since"),
        group["status"], group.get("start_time"), group.get("end_time"), group["created_time"], group["billable_event"],
        group.get("bid_in_micro_currency"), group.get("budget_in_micro_currency"), group.get("budget_type"),
        campaign["status"], campaign.get("start_time"), campaign.get("end_time"), campaign["created_time"],
        campaign["objective_type"], campaign.get("daily_spend_cap"), campaign.get("lifetime_spend_cap"),
        account.get("currency"), account.get("country"),
    )


def profile_signature(seed: int, store: Store, ad: dict) -> tuple:
    """Everything an ad's profile depends on (equal signatures → equal profiles)."""
    return _signature(seed, ad, store.ad_groups[ad["ad_group_id"]], store.campaigns[ad["campaign_id"]],
                      store.accounts.get(ad["ad_account_id"], {}))


def ad_profile(seed: int, store: Store, ad: dict) -> dict:
    """The delivery profile of one ad (see the module doc); ``key``/``version`` identify it."""
    group = store.ad_groups[ad["ad_group_id"]]
    campaign = store.campaigns[ad["campaign_id"]]
    account = store.accounts.get(ad["ad_account_id"], {})
    sig = _signature(seed, ad, group, campaign, account)
    first, last, live = delivery_window(ad, group, campaign)
    currency = account.get("currency", "USD")
    objective = campaign["objective_type"]
    creative = ad["creative_type"]
    (ctr_lo, ctr_hi), conv_mult, default_spend = OBJECTIVES.get(objective, OBJECTIVES["CONSIDERATION"])
    r = rng(seed, ad["id"], "profile")
    u = r.uniform
    p: dict = {"id": ad["id"], "key": key64(seed, ad["id"]), "version": key64(repr(sig)), "first": first,
               "last": last, "live": live, "tz": UTC_OFFSETS.get(account.get("country"), 0)}

    budget = _daily_budget(group, campaign)
    p["spend"] = (budget * 0.42 * u(0.75, 1.15) if budget else default_spend * factor(currency) * MICRO * u(0.5, 1.3))
    p["ctr"] = u(ctr_lo, ctr_hi)
    p["ctr2"] = p["ctr"] * u(0.6, 0.9)
    is_video = (creative in ("VIDEO", "MAX_VIDEO") or objective == "VIDEO_COMPLETION"
                or (creative == "IDEA" and r.random() < 0.5))
    p["play"] = u(0.35, 0.65) if is_video else 0.0
    p["video"] = 1.0 if is_video else 0.0  # VIDEO_SPEND: all of a video ad's spend, none of another's
    p["v3"], p["mrc"] = u(0.55, 0.75), u(0.35, 0.55)
    p["q25"], p["q50"], p["q75"], p["q95"], p["q100"] = (u(0.45, 0.6), u(0.6, 0.75), u(0.6, 0.8), u(0.7, 0.85),
                                                          u(0.85, 0.97))
    p["length"] = float(r.choice((6, 10, 15, 15, 20, 30)))
    p["watch"] = min(p["length"], u(2.5, 8.0))
    bid = group.get("bid_in_micro_currency")
    billable = group["billable_event"]
    usd = factor(currency) * MICRO
    if billable == "CLICKTHROUGH":
        cpc = bid * u(0.55, 0.9) if bid else u(0.5, 1.4) * usd
        p["ecpm"] = cpc * p["ctr"] * 1000
    elif billable == "VIDEO_V_50_MRC":
        cpv = bid * u(0.55, 0.9) if bid else u(0.02, 0.05) * usd
        p["ecpm"] = cpv * max(p["play"], 0.4) * p["mrc"] * 1000
    else:
        p["ecpm"] = bid * u(0.6, 0.92) if bid else u(5.0, 12.0) * usd
    p["ecpm"] = max(p["ecpm"], 0.5 * usd)
    p["ivt"] = u(0.005, 0.03)
    p["earned"] = u(0.12, 0.4)
    p["outbound"] = u(0.5, 0.85)
    p["save"] = u(0.001, 0.005)
    p["closeup"] = u(0.004, 0.012)
    p["session"] = u(0.6, 0.92)
    p["tag"] = u(0.002, 0.006) if creative == "IDEA" else 0.0
    p["lead"] = u(0.02, 0.06) if ad.get("lead_form_id") else 0.0
    p["quiz"], p["quiz_done"] = (u(0.5, 0.7) if creative == "QUIZ" else 0.0), u(0.4, 0.7)
    p["showcase"] = u(0.8, 0.95) if creative == "SHOWCASE" else 0.0
    shopping = creative in ("SHOPPING", "COLLECTION") or objective == "CATALOG_SALES"
    p["onsite"] = u(0.002, 0.006) if shopping else 0.0
    p["onsite_aov"] = u(30.0, 90.0) * usd

    tracked = tracked_events(seed, ad["ad_account_id"])
    p["eng_conv"], p["view_conv"] = u(0.15, 0.35), u(0.001, 0.003)
    p["keep"] = u(0.6, 0.85)
    for event in EVENTS:
        lo, hi = EVENT_RATES[event]
        p["rate:" + event] = u(lo, hi) * conv_mult if event in tracked else 0.0
        vlo, vhi = EVENT_VALUES_USD[event]
        p["aov:" + event] = u(vlo, vhi) * usd
        p["inapp:" + event] = 1.0 if event == "APP_INSTALL" else u(0.04, 0.12)
        olo, ohi = OFFLINE_EVENTS.get(event, (0.0, 0.0))
        p["offline:" + event] = u(olo, ohi)
        ilo, ihi = ITEMS_PER_ORDER.get(event, (1.0, 1.0))
        p["items:" + event] = u(ilo, ihi)
    desktop, tablet = u(0.18, 0.3), u(0.06, 0.12)
    action_mix = {"DESKTOP": desktop, "MOBILE": 1.0 - desktop - tablet, "TABLET": tablet}
    same = u(0.78, 0.9)
    for src in DEVICES:
        for dst in DEVICES:
            p[f"dev:{src}:{dst}"] = action_mix[src] * (same if src == dst else (1.0 - same) / 2)
    p["trend_amp"], p["trend_period"], p["trend_phase"] = u(0.0, 0.15), u(60.0, 200.0), u(0.0, 200.0)
    return p
