"""What every reporting column means: the one column → definition table of the emulator.

Three kinds of column:

- ``additive``: a sum of integer base fields (:mod:`~pintools.emulator.models.metrics`). Rolling
  up (ads → ad group → campaign → account, days → weeks/months/total, hours → day) sums them,
  so they are exact at every level. Counts, ``SPEND_IN_MICRO_DOLLAR`` and every
  ``*_VALUE_IN_MICRO_DOLLAR``. ``_1`` = paid, ``_2`` = earned, ``TOTAL_`` = ``_1`` + ``_2``; a
  conversion total sums the channels WEB + INAPP + OFFLINE (and, without an action in its name,
  the actions CLICK + ENGAGEMENT + VIEW).
- ``derived``: computed from the additive fields of the same row, never summed: money in
  dollars = micro / 1e6; CTRs and rates = count / count; CPC/CPM/CPV/cost per action =
  spend / count (× 1000 for CPM; ``*_IN_DOLLAR`` / 1e6, everything else in micro units);
  ROAS = conversion value / spend; averages (watch time, video length) = weighted sum / starts;
  reach (``TOTAL_IMPRESSION_USER``) = impressions / a frequency that grows with the period's
  length (1.1 + 0.45·ln(1 + days)); frequency = impressions / reach.
- ``attribute``: a property of the row's entity or its parents (names, statuses, caps, ids);
  absent when the row's level does not have it (e.g. ``AD_GROUP_NAME`` on a campaign row).

Missing values ("If a column has no value, it may not be returned"): a derived column whose
denominator is 0 is omitted from the row; a ``*_VALUE_IN_MICRO_DOLLAR`` or ``*_ROAS`` column is
omitted when the row has no conversion of that kind; attributes without a value are omitted.

Async-only columns are defined the same way; ``PRODUCT_GROUP_ID``, ``PRODUCT_GROUP_STATUS``,
``STANDARD_AD_FEED_ITEM_ID`` and 5.23.0's ``PRODUCT_ITEM_*`` and ``PRODUCT_GROUP_AD_*_TAG`` are not
computed (no product items or feeds are emulated in these rows) and never appear in rows
(:data:`NOT_COMPUTED`).

5.23.0's new columns are named by the spec, never described: their definitions here are ours
(``VIDEO_SPEND_IN_DOLLAR`` = the spend of video ads; ``PAID_VIDEO_VIEWABLE_RATE`` = paid MRC
views / paid impressions; ``OUTBOUND_CTR_1`` = paid outbound clicks / paid impressions; the
unique 15-second views are summed like the other video counts), as are the attributes' values
(``CAMPAIGN_BUDGET_OPTIMIZATION`` the campaign's CBO flag, ``AD_GROUP_BUDGET_TYPE`` and
``AD_GROUP_BUDGET_IN_LOCAL_CURRENCY`` the ad group's budget; labels, promotions, premiere and bid
multipliers are never set in the emulator, so those columns are omitted).

Example:
    >>> COLUMNS["CTR"].kind, COLUMNS["CTR"].needs
    ('derived', ('CLICKTHROUGH_1', 'IMPRESSION_1'))
    >>> COLUMNS["TOTAL_CLICK_CHECKOUT"].kind, len(COLUMNS["TOTAL_CLICK_CHECKOUT"].needs)
    ('additive', 3)
    >>> import numpy as np
    >>> env = Env({"CLICKTHROUGH_1": np.array([[3, 0]]), "IMPRESSION_1": np.array([[100, 0]])}, [1.0, 1.0])
    >>> values, present = COLUMNS["CTR"].fn(env)
    >>> float(values[0, 0]), present.tolist()
    (0.03, [[True, False]])
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from pintools.emulator.models.column_names import ASYNC_COLUMNS, SYNC_COLUMNS, SYNC_ONLY_COLUMNS
from pintools.emulator.models.delivery import ACTIONS, CHANNELS, EVENTS


class Env:
    """The aggregated base fields of a set of rows: ``field(name)`` → int64 ``(R, P)``;
    ``period_days`` → the length of each period in days (HOUR = 1/24)."""

    def __init__(self, fields: dict[str, np.ndarray], period_days: list[float]):
        self.fields = fields
        self.period_days = list(period_days)

    def total(self, names: tuple[str, ...]) -> np.ndarray:
        """The sum of some base fields (int64)."""
        out = self.fields[names[0]]
        for name in names[1:]:
            out = out + self.fields[name]
        return out


class Column(NamedTuple):
    """One reporting column: ``kind`` (additive / derived / attribute), the base fields it
    ``needs``, and ``fn(env) → (values, present or None)`` (None for attributes)."""

    name: str
    kind: str
    needs: tuple[str, ...]
    fn: Callable | None
    doc: str


def _fields(*groups) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for g in groups for f in ((g,) if isinstance(g, str) else g)))


def conv(channels=CHANNELS, actions=ACTIONS, events=EVENTS, kind: str = "CONV") -> tuple[str, ...]:
    """Base conversion fields for the given channels × actions × events.

    Example:
        >>> conv(("WEB",), ("CLICK",), ("CHECKOUT",), kind="VALUE")
        ('VALUE:WEB:CLICK:CHECKOUT',)
    """
    return tuple(f"{kind}:{ch}:{a}:{e}" for ch in channels for a in actions for e in events)


def additive(fields, when=None, doc: str = "") -> tuple:
    fields = _fields(fields)
    when = _fields(when) if when else None

    def fn(env: Env):
        return env.total(fields), (env.total(when) > 0) if when else None

    return "additive", _fields(fields, when or ()), fn, doc or " + ".join(fields)


def ratio(num, den, scale: float = 1.0, when=None, doc: str = "") -> tuple:
    """``Σnum / Σden × scale``; present only when ``Σden > 0`` (and ``Σwhen > 0``).

    A scale below 1 divides (``/ 1e6`` rather than ``× 1e-6``) so dollars print cleanly.
    """
    num, den = _fields(num), _fields(den)
    when = _fields(when) if when else None

    def fn(env: Env):
        d = env.total(den)
        present = d > 0
        if when:
            present &= env.total(when) > 0
        values = env.total(num) / np.where(present, d, 1)
        return (values * scale if scale >= 1 else values / round(1 / scale)), present

    text = doc or f"({' + '.join(num)}) / ({' + '.join(den)})" + (f" × {scale:g}" if scale != 1 else "")
    return "derived", _fields(num, den, when or ()), fn, text


def scaled(fields, scale: float, doc: str = "") -> tuple:
    """``Σfields × scale`` (a scale below 1 divides, as in :func:`ratio`)."""
    fields = _fields(fields)

    def fn(env: Env):
        total = env.total(fields)
        return (total * scale if scale >= 1 else total / round(1 / scale)), None

    return "derived", fields, fn, doc or f"{' + '.join(fields)} × {scale:g}"


def attribute(doc: str) -> tuple:
    return "attribute", (), None, doc


SPEND = ("SPEND_IN_MICRO_DOLLAR",)
I1, I2 = ("IMPRESSION_1",), ("IMPRESSION_2",)
CT1, CT2 = ("CLICKTHROUGH_1",), ("CLICKTHROUGH_2",)
IMPRESSIONS, CLICKS = I1 + I2, CT1 + CT2
P0 = ("VIDEO_P0_COMBINED_1", "VIDEO_P0_COMBINED_2")


def _reach(env: Env):
    imps = env.total(IMPRESSIONS)
    freq = np.array([1.1 + 0.45 * math.log(1.0 + d) for d in env.period_days])[None, :]
    users = np.floor(imps / freq).astype(np.int64)
    return np.where(imps > 0, np.maximum(users, 1), 0), None


def _frequency(env: Env):
    users, _ = _reach(env)
    return env.total(IMPRESSIONS) / np.maximum(users, 1), users > 0


_EXPLICIT: dict[str, tuple] = {
    "SPEND_IN_MICRO_DOLLAR": additive(SPEND),
    "PAID_IMPRESSION": additive(I1),
    "SPEND_IN_DOLLAR": scaled(SPEND, 1e-6),
    "CPC_IN_MICRO_DOLLAR": ratio(SPEND, CT1),
    "ECPC_IN_MICRO_DOLLAR": ratio(SPEND, CLICKS),
    "ECPC_IN_DOLLAR": ratio(SPEND, CLICKS, 1e-6),
    "CTR": ratio(CT1, I1),
    "ECTR": ratio(CLICKS, IMPRESSIONS),
    "CTR_2": ratio(CT2, I2),
    "TOTAL_ENGAGEMENT": additive(("ENGAGEMENT_1", "ENGAGEMENT_2")),
    "ECPE_IN_DOLLAR": ratio(SPEND, "ENGAGEMENT_1", 1e-6),
    "ENGAGEMENT_RATE": ratio("ENGAGEMENT_1", I1),
    "EENGAGEMENT_RATE": ratio(("ENGAGEMENT_1", "ENGAGEMENT_2"), IMPRESSIONS),
    "ECPM_IN_MICRO_DOLLAR": ratio(SPEND, IMPRESSIONS, 1000.0),
    "CPM_IN_MICRO_DOLLAR": ratio(SPEND, I1, 1000.0),
    "CPM_IN_DOLLAR": ratio(SPEND, I1, 1e-3),
    "REPIN_RATE": ratio("REPIN_1", I1),
    "TOTAL_REPIN_RATE": ratio(("REPIN_1", "REPIN_2"), IMPRESSIONS),
    "TOTAL_CLICKTHROUGH": additive(CLICKS),
    "TOTAL_IMPRESSION": additive(IMPRESSIONS),
    "TOTAL_IMPRESSION_USER": ("derived", IMPRESSIONS, _reach,
                              "reach: TOTAL_IMPRESSION / (1.1 + 0.45·ln(1 + days in period)), at least 1"),
    "TOTAL_IMPRESSION_FREQUENCY": ("derived", IMPRESSIONS, _frequency, "TOTAL_IMPRESSION / TOTAL_IMPRESSION_USER"),
    "COST_PER_OUTBOUND_CLICK_IN_DOLLAR": ratio(SPEND, "OUTBOUND_CLICK_1", 1e-6),
    "COST_PER_OUTBOUND_CLICK": ratio(SPEND, "OUTBOUND_CLICK_1"),
    "OUTBOUND_CTR": ratio("OUTBOUND_CLICK_1", I1),
    "TOTAL_CONVERSIONS": additive(conv()),
    "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR": additive(conv(kind="VALUE"), when=conv()),
    "TOTAL_CONVERSIONS_QUANTITY": additive(tuple(f"QTY:{a}:{e}" for a in ACTIONS for e in EVENTS)),
    "TOTAL_WEB_SESSIONS": additive(("WEB_SESSIONS_1", "WEB_SESSIONS_2")),
    "VIDEO_LENGTH": ratio(("VIDEO_LENGTH_WEIGHT_1", "VIDEO_LENGTH_WEIGHT_2"), P0,
                          doc="start-weighted mean video length (s)"),
    "ECPV_IN_DOLLAR": ratio(SPEND, "VIDEO_MRC_VIEWS_1", 1e-6),
    "ECPCV_IN_DOLLAR": ratio(SPEND, "VIDEO_P100_COMPLETE_1", 1e-6),
    "ECPCV_P95_IN_DOLLAR": ratio(SPEND, "VIDEO_P95_COMBINED_1", 1e-6),
    "CPV_IN_MICRO_DOLLAR": ratio(SPEND, "VIDEO_MRC_VIEWS_1"),
    "CPCV_IN_MICRO_DOLLAR": ratio(SPEND, "VIDEO_P100_COMPLETE_1"),
    "CPCV_P95_IN_MICRO_DOLLAR": ratio(SPEND, "VIDEO_P95_COMBINED_1"),
    "TOTAL_VIDEO_AVG_WATCHTIME_IN_SECOND": ratio(("VIDEO_WATCHTIME_1", "VIDEO_WATCHTIME_2"), P0),
    "VIDEO_AVG_WATCHTIME_IN_SECOND_1": ratio("VIDEO_WATCHTIME_1", "VIDEO_P0_COMBINED_1"),
    "VIDEO_AVG_WATCHTIME_IN_SECOND_2": ratio("VIDEO_WATCHTIME_2", "VIDEO_P0_COMBINED_2"),
    "TOTAL_IDEA_PIN_PRODUCT_TAG_VISIT": additive(("IDEA_PIN_PRODUCT_TAG_VISIT_1", "IDEA_PIN_PRODUCT_TAG_VISIT_2")),
    "COST_PER_LEAD": ratio(SPEND, "LEADS"),
    "QUIZ_COMPLETION_RATE": ratio("QUIZ_COMPLETED", "QUIZ_STARTED"),
    "SHOWCASE_AVERAGE_SUBPAGE_CLOSEUP_PER_SESSION": ratio("SHOWCASE_SUBPAGE_CLOSEUP", "SHOWCASE_SESSIONS"),
    "TOTAL_PINTEREST_CHECKOUT": additive("ONSITE_CHECKOUTS_1"),
    "TOTAL_PINTEREST_CHECKOUT_VALUE_IN_MICRO_DOLLAR": additive("ONSITE_CHECKOUT_VALUE", when="ONSITE_CHECKOUTS_1"),
    "PINTEREST_CHECKOUT_COST_PER_ACTION": ratio(SPEND, "ONSITE_CHECKOUTS_1"),
    "PINTEREST_CHECKOUT_ROAS": ratio("ONSITE_CHECKOUT_VALUE", SPEND, when="ONSITE_CHECKOUTS_1"),
    # 5.23.0
    "OUTBOUND_CTR_1": ratio("OUTBOUND_CLICK_1", I1),
    "COST_PER_OUTBOUND_CLICK_IN_DOLLAR_1": ratio(SPEND, "OUTBOUND_CLICK_1", 1e-6),
    "PAID_VIDEO_VIEWABLE_RATE": ratio("VIDEO_MRC_VIEWS_1", I1),
    "VIDEO_SPEND_IN_DOLLAR": scaled("VIDEO_SPEND", 1e-6),
    "ADS_CREDIT_SPEND_IN_MICRO_DOLLAR": additive("ADS_CREDIT_SPEND"),
    "ADS_CREDIT_SPEND_IN_DOLLAR": scaled("ADS_CREDIT_SPEND", 1e-6),
    "TOTAL_ADD_TO_WISHLIST": additive("ADD_TO_WISHLIST"),
    "TOTAL_SUBSCRIBE": additive("SUBSCRIBE"),
    "TOTAL_DESTINATION_VIEWS": additive("DESTINATION_VIEWS"),
    "QUIZ_PIN_RESULT_OPEN": additive("QUIZ_PIN_RESULT_OPEN"),
}
# Base fields that are columns under their own name.
for _name in ("ENGAGEMENT_1", "ENGAGEMENT_2", "CLICKTHROUGH_1", "REPIN_1", "IMPRESSION_1", "IMPRESSION_1_GROSS",
              "CLICKTHROUGH_1_GROSS", "OUTBOUND_CLICK_1", "CLICKTHROUGH_2", "REPIN_2", "IMPRESSION_2",
              "OUTBOUND_CLICK_2", "WEB_SESSIONS_1", "WEB_SESSIONS_2", "IDEA_PIN_PRODUCT_TAG_VISIT_1",
              "IDEA_PIN_PRODUCT_TAG_VISIT_2", "LEADS", "QUIZ_COMPLETED", "ONSITE_CHECKOUTS_1",
              "SHOWCASE_PIN_CLICKTHROUGH", "SHOWCASE_SUBPAGE_CLICKTHROUGH", "SHOWCASE_SUBPIN_CLICKTHROUGH",
              "SHOWCASE_SUBPAGE_IMPRESSION", "SHOWCASE_SUBPIN_IMPRESSION", "SHOWCASE_SUBPAGE_SWIPE_LEFT",
              "SHOWCASE_SUBPAGE_SWIPE_RIGHT", "SHOWCASE_SUBPIN_SWIPE_LEFT", "SHOWCASE_SUBPIN_SWIPE_RIGHT",
              "SHOWCASE_SUBPAGE_REPIN", "SHOWCASE_SUBPIN_REPIN", "SHOWCASE_SUBPAGE_CLOSEUP",
              "SHOWCASE_CARD_THUMBNAIL_SWIPE_FORWARD", "SHOWCASE_CARD_THUMBNAIL_SWIPE_BACKWARD"):
    _EXPLICIT[_name] = additive(_name)
for _video in ("VIDEO_MRC_VIEWS", "VIDEO_3SEC_VIEWS", "VIDEO_P100_COMPLETE", "VIDEO_P0_COMBINED", "VIDEO_P25_COMBINED",
               "VIDEO_P50_COMBINED", "VIDEO_P75_COMBINED", "VIDEO_P95_COMBINED", "VIDEO_15SEC_UNIQUE_VIEWS",
               "IDEA_PIN_PAGE_FORWARD", "IDEA_PIN_PAGE_BACKWARD"):
    _EXPLICIT[f"{_video}_1"] = additive(f"{_video}_1")
    _EXPLICIT[f"{_video}_2"] = additive(f"{_video}_2")
    _EXPLICIT[f"TOTAL_{_video}"] = additive((f"{_video}_1", f"{_video}_2"))

# Attributes: the entity property they read (see analytics_entities.py for who has which).
ATTRIBUTES = {
    "AD_ACCOUNT_ID": "ad account id", "ADVERTISER_ID": "ad account id",
    "CAMPAIGN_ID": "campaign id", "CAMPAIGN_NAME": "campaign name",
    "CAMPAIGN_ENTITY_STATUS": "campaign status (EntityStatus)",
    "CAMPAIGN_MANAGED_STATUS": "campaign status (EntityStatus)",
    "CAMPAIGN_STATUS": "campaign summary status", "CAMPAIGN_OBJECTIVE_TYPE": "campaign objective_type",
    "CAMPAIGN_LIFETIME_SPEND_CAP": "campaign lifetime_spend_cap (micro)",
    "CAMPAIGN_DAILY_SPEND_CAP": "campaign daily_spend_cap (micro)",
    "ORDER_LINE_ID": "campaign order_line_id", "ORDER_LINE_NAME": "'Order line <id>'",
    "AD_GROUP_ID": "ad group id", "AD_GROUP_NAME": "ad group name",
    "AD_GROUP_ENTITY_STATUS": "ad group status (EntityStatus)", "AD_GROUP_STATUS": "ad group summary status",
    "AD_ID": "ad id", "PIN_PROMOTION_ID": "ad id", "PIN_ID": "ad pin_id", "AD_NAME": "ad name",
    "PIN_PROMOTION_NAME": "ad name", "AD_STATUS": "ad summary status", "PIN_PROMOTION_STATUS": "ad summary status",
    # 5.23.0 (our reading of the names)
    "CAMPAIGN_BUDGET_OPTIMIZATION": "campaign is_campaign_budget_optimization",
    "AD_GROUP_BUDGET_TYPE": "ad group budget_type",
    "AD_GROUP_BUDGET_IN_LOCAL_CURRENCY": "ad group budget_in_micro_currency / 1e6",
    "CAMPAIGN_BRAND_LABEL": "never set here", "CAMPAIGN_CUSTOM_LABELS": "never set here",
    "AD_GROUP_BID_MULTIPLIER": "never set here", "AD_GROUP_OPTIMIZATION": "never set here",
    "IS_PREMIERE_CAMPAIGN": "never set here", "PROMO_ID": "never set here", "PROMO_NAME": "never set here",
}
for _name, _doc in ATTRIBUTES.items():
    _EXPLICIT[_name] = attribute(_doc)

NOT_COMPUTED = ("PRODUCT_GROUP_ID", "PRODUCT_GROUP_STATUS", "STANDARD_AD_FEED_ITEM_ID", "PRODUCT_GROUP_AD_IMAGE_TAG",
                "PRODUCT_GROUP_AD_VIDEO_TAG") + tuple(c for c in ASYNC_COLUMNS if c.startswith("PRODUCT_ITEM_"))

_E = "(" + "|".join(sorted(EVENTS, key=len, reverse=True)) + ")"
_A = "(ENGAGEMENT|CLICK|VIEW)"
_CH = "(WEB|INAPP|OFFLINE)"
_DEV = "(DESKTOP|MOBILE|TABLET)"
_VALUE = "_VALUE_IN_MICRO_DOLLAR"


def _by_action(action, event, suffix):
    counts = conv(CHANNELS, (action,), (event,))
    if suffix == _VALUE:
        return additive(conv(CHANNELS, (action,), (event,), "VALUE"), when=counts)
    if suffix == "_QUANTITY":
        return additive(f"QTY:{action}:{event}")
    return additive(counts)


def _by_channel(channel, action, event, suffix):
    actions = (action,) if action else ACTIONS
    counts = conv((channel,), actions, (event,))
    return additive(conv((channel,), actions, (event,), "VALUE"), when=counts) if suffix else additive(counts)


def _by_event(event, suffix):
    counts = conv(events=(event,))
    if suffix == _VALUE:
        return additive(conv(events=(event,), kind="VALUE"), when=counts)
    if suffix == "_QUANTITY":
        return additive(tuple(f"QTY:{a}:{event}" for a in ACTIONS))
    return additive(counts)


def _cost_or_roas(channel, event, kind):
    channels = (channel,) if channel else CHANNELS
    counts = conv(channels, ACTIONS, (event,))
    if kind == "COST_PER_ACTION":
        return ratio(SPEND, counts)
    return ratio(conv(channels, ACTIONS, (event,), "VALUE"), SPEND, when=counts)


_PATTERNS: tuple[tuple[re.Pattern, Callable], ...] = (
    (re.compile(f"^TOTAL_{_A}_{_E}({_VALUE}|_QUANTITY)?$"), lambda m: _by_action(m[1], m[2], m[3])),
    (re.compile(f"^TOTAL_{_CH}_(?:{_A}_)?{_E}({_VALUE})?$"), lambda m: _by_channel(m[1], m[2], m[3], m[4])),
    (re.compile(f"^TOTAL_{_E}({_VALUE}|_QUANTITY)?$"), lambda m: _by_event(m[1], m[2])),
    (re.compile(f"^(?:{_CH}_)?{_E}_(COST_PER_ACTION|ROAS)$"), lambda m: _cost_or_roas(m[1], m[2], m[3])),
    (re.compile(f"^TOTAL_{_E}_{_DEV}_ACTION_TO_{_DEV}_CONVERSION$"),
     lambda m: additive(f"XDEV:{m[1]}:{m[2]}:{m[3]}")),
    (re.compile(f"^TOTAL_{_E}_CONVERSION_RATE$"), lambda m: ratio(conv(events=(m[1],)), CLICKS)),
    (re.compile(f"^TOTAL_{_CH}_{_E}_CONVERSION_RATE$"), lambda m: ratio(conv((m[1],), events=(m[2],)), CLICKS)),
)


def _define(name: str) -> Column | None:
    spec = _EXPLICIT.get(name)
    if spec is None:
        for pattern, build in _PATTERNS:
            match = pattern.match(name)
            if match:
                spec = build(match)
                break
    if spec is None:
        return None
    kind, needs, fn, doc = spec
    return Column(name, kind, needs, fn, doc)


COLUMNS: dict[str, Column] = {c.name: c for c in map(_define, ASYNC_COLUMNS + SYNC_ONLY_COLUMNS) if c is not None}
SYNC_SET = frozenset(SYNC_COLUMNS)
ASYNC_SET = frozenset(ASYNC_COLUMNS)
ADDITIVE = tuple(name for name, c in COLUMNS.items() if c.kind == "additive")


def needs(columns) -> tuple[str, ...]:
    """The base fields the given columns need (unknown or uncomputed columns need none).

    Example:
        >>> needs(["SPEND_IN_DOLLAR", "CTR"])
        ('SPEND_IN_MICRO_DOLLAR', 'CLICKTHROUGH_1', 'IMPRESSION_1')
    """
    return _fields(*(COLUMNS[c].needs for c in columns if c in COLUMNS))


def evaluate(columns, env: Env) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """``{column: (values, present or None)}`` for the non-attribute columns among ``columns``."""
    out = {}
    for name in columns:
        column = COLUMNS.get(name)
        if column is not None and column.fn is not None:
            out[name] = column.fn(env)
    return out
