"""Base metrics: integer counts and micro amounts per ad and UTC day (and hour), deterministic.

Every value is a function of (seed, ad id, day) and the ad's profile
(:mod:`~pintools.emulator.models.delivery`): uniforms come from
:func:`~pintools.emulator.models.hashing.uniform` keyed by the ad and the field name, so a
value never depends on which other ads or days were asked for. Only exact integer arithmetic
(``+ − × /``, floor) touches the numbers, so results are identical whatever the batch.

Base fields (all additive integers):

- delivery: ``SPEND_IN_MICRO_DOLLAR``, ``IMPRESSION_1|2``, ``IMPRESSION_1_GROSS``,
  ``CLICKTHROUGH_1|2``, ``CLICKTHROUGH_1_GROSS``, ``OUTBOUND_CLICK_1|2``, ``REPIN_1|2``,
  ``CLOSEUP_1|2``, ``ENGAGEMENT_1|2`` (= clicks + saves + closeups), ``WEB_SESSIONS_1|2``;
- video: ``VIDEO_P0_COMBINED_1|2`` (starts), ``VIDEO_3SEC_VIEWS``, ``VIDEO_MRC_VIEWS``,
  ``VIDEO_P25/P50/P75/P95_COMBINED``, ``VIDEO_P100_COMPLETE`` (each ≤ the one before),
  ``VIDEO_WATCHTIME_1|2`` (seconds), ``VIDEO_LENGTH_WEIGHT_1|2`` (starts × length);
- formats: ``IDEA_PIN_PRODUCT_TAG_VISIT_1|2``, ``LEADS``, ``QUIZ_STARTED``, ``QUIZ_COMPLETED``,
  ``SHOWCASE_SESSIONS`` and the ``SHOWCASE_*`` counts, ``ONSITE_CHECKOUTS_1``, ``ONSITE_CHECKOUT_VALUE``;
- for 5.23.0's columns (our rates: the spec names them only): ``VIDEO_15SEC_UNIQUE_VIEWS_1|2``,
  ``IDEA_PIN_PAGE_FORWARD_1|2``, ``IDEA_PIN_PAGE_BACKWARD_1|2``, ``VIDEO_SPEND`` (a video ad's whole
  spend), ``ADS_CREDIT_SPEND``, ``ADD_TO_WISHLIST``, ``SUBSCRIBE``, ``DESTINATION_VIEWS``, ``QUIZ_PIN_RESULT_OPEN``;
- conversions: ``CONV:<channel>:<action>:<event>`` and ``VALUE:…`` (micro) for channel
  WEB/INAPP/OFFLINE, action CLICK/ENGAGEMENT/VIEW and the 11 events, ``QTY:<action>:<event>``
  (items), ``XDEV:<event>:<action device>:<conversion device>``. These depend on
  :class:`Settings` (attribution windows scale them; TIME_OF_CONVERSION moves part of each
  day's conversions to the next delivery day; HOUSEHOLD credits 15% more).

Counts use stochastic rounding (``floor(x + u)``), so rare events still happen at their rate.
The HOUR split cuts each day into 24 integers that sum exactly to the day (local-time daily
curve × noise, children following their parents: :func:`split_fields`); "today" holds only the
hours up to the emulator clock's current hour.

Example:
    >>> from datetime import date
    >>> from pintools.emulator.models.store import Store
    >>> from pintools.emulator import demo
    >>> store = Store(seed=1); demo.build(store, seed=1)
    >>> engine = MetricsEngine(1, store)
    >>> ad = next(a["id"] for a in store.ads.values() if a["status"] == "ACTIVE" and a["review_status"] == "APPROVED")
    >>> day = date(2024, 3, 1).toordinal(); now = 1711929600  # 2024-04-01T00:00Z
    >>> daily = engine.daily([ad], day, day + 2, ["IMPRESSION_1", "SPEND_IN_MICRO_DOLLAR"], Settings(), now)
    >>> daily["IMPRESSION_1"].shape, int(daily["IMPRESSION_1"].min()) > 0
    ((1, 3), True)
    >>> hourly = engine.hourly([ad], day, day, ["IMPRESSION_1"], Settings(), now)
    >>> int(hourly["IMPRESSION_1"].sum()) == int(daily["IMPRESSION_1"][0, 0])
    True
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np

from pintools.emulator.models.delivery import ACTIONS, CHANNELS, DEVICES, EVENTS, ad_profile, profile_signature
from pintools.emulator.models.hashing import key64, uniform
from pintools.emulator.models.splits import int_weights, split_exact
from pintools.emulator.models.store import Store

BLOCK_DAYS = 32
MAX_CACHE_ENTRIES = 40_000
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
INDICATOR_FIELDS = ("SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "IMPRESSION_2")
CONVERSION_PREFIXES = ("CONV:", "VALUE:", "QTY:", "XDEV:")

CLICK_WINDOW_FACTOR = {0: 0.0, 1: 0.55, 7: 0.82, 14: 0.91, 30: 1.0, 60: 1.06}
VIEW_WINDOW_FACTOR = {0: 0.0, 1: 1.0, 7: 1.7, 14: 2.0, 30: 2.4, 60: 2.6}
HOUSEHOLD_FACTOR = 1.15
WEEKDAY_FACTOR = (0.95, 0.93, 0.95, 0.98, 1.0, 1.07, 1.12)  # Monday … Sunday: Pinterest peaks at weekends
# Local-time share of a day's activity per hour (evenings peak).
HOUR_CURVE = (0.9, 0.6, 0.4, 0.3, 0.25, 0.3, 0.5, 0.9, 1.3, 1.5, 1.6, 1.7, 1.8, 1.8, 1.7, 1.7, 1.8, 2.0, 2.3, 2.6,
              2.8, 2.7, 2.2, 1.5)

# field → (parent field, rate: profile key or constant, noise spread, capped by this field or None)
CHILDREN = {
    "IMPRESSION_2": ("IMPRESSION_1", "earned", 0.15, None),
    "CLICKTHROUGH_1": ("IMPRESSION_1", "ctr", 0.15, "IMPRESSION_1"),
    "CLICKTHROUGH_2": ("IMPRESSION_2", "ctr2", 0.2, "IMPRESSION_2"),
    "LEADS": ("CLICKTHROUGH_1", "lead", 0.2, "CLICKTHROUGH_1"),
    "QUIZ_STARTED": ("CLICKTHROUGH_1", "quiz", 0.1, "CLICKTHROUGH_1"),
    "QUIZ_COMPLETED": ("QUIZ_STARTED", "quiz_done", 0.1, "QUIZ_STARTED"),
    "SHOWCASE_SESSIONS": ("CLICKTHROUGH_1", "showcase", 0.1, "CLICKTHROUGH_1"),
    "ONSITE_CHECKOUTS_1": ("CLICKTHROUGH_1", "onsite", 0.25, None),
    "VIDEO_SPEND": ("SPEND_IN_MICRO_DOLLAR", "video", 0.0, "SPEND_IN_MICRO_DOLLAR"),
    "ADS_CREDIT_SPEND": ("SPEND_IN_MICRO_DOLLAR", 0.03, 0.5, "SPEND_IN_MICRO_DOLLAR"),
    "ADD_TO_WISHLIST": ("CLICKTHROUGH_1", 0.012, 0.3, None),
    "SUBSCRIBE": ("CLICKTHROUGH_1", 0.004, 0.3, None),
    "DESTINATION_VIEWS": ("OUTBOUND_CLICK_1", 0.85, 0.08, "OUTBOUND_CLICK_1"),
    "QUIZ_PIN_RESULT_OPEN": ("QUIZ_COMPLETED", 0.6, 0.1, "QUIZ_COMPLETED"),
}
for _n in ("1", "2"):
    CHILDREN.update({
        f"OUTBOUND_CLICK_{_n}": (f"CLICKTHROUGH_{_n}", "outbound", 0.1, f"CLICKTHROUGH_{_n}"),
        f"REPIN_{_n}": (f"IMPRESSION_{_n}", "save", 0.2, None),
        f"CLOSEUP_{_n}": (f"IMPRESSION_{_n}", "closeup", 0.2, None),
        f"WEB_SESSIONS_{_n}": (f"OUTBOUND_CLICK_{_n}", "session", 0.08, f"OUTBOUND_CLICK_{_n}"),
        f"VIDEO_P0_COMBINED_{_n}": (f"IMPRESSION_{_n}", "play", 0.1, f"IMPRESSION_{_n}"),
        f"VIDEO_3SEC_VIEWS_{_n}": (f"VIDEO_P0_COMBINED_{_n}", "v3", 0.08, f"VIDEO_P0_COMBINED_{_n}"),
        f"VIDEO_MRC_VIEWS_{_n}": (f"VIDEO_P0_COMBINED_{_n}", "mrc", 0.08, f"VIDEO_P0_COMBINED_{_n}"),
        f"VIDEO_P25_COMBINED_{_n}": (f"VIDEO_P0_COMBINED_{_n}", "q25", 0.08, f"VIDEO_P0_COMBINED_{_n}"),
        f"VIDEO_P50_COMBINED_{_n}": (f"VIDEO_P25_COMBINED_{_n}", "q50", 0.08, f"VIDEO_P25_COMBINED_{_n}"),
        f"VIDEO_P75_COMBINED_{_n}": (f"VIDEO_P50_COMBINED_{_n}", "q75", 0.08, f"VIDEO_P50_COMBINED_{_n}"),
        f"VIDEO_P95_COMBINED_{_n}": (f"VIDEO_P75_COMBINED_{_n}", "q95", 0.08, f"VIDEO_P75_COMBINED_{_n}"),
        f"VIDEO_P100_COMPLETE_{_n}": (f"VIDEO_P95_COMBINED_{_n}", "q100", 0.05, f"VIDEO_P95_COMBINED_{_n}"),
        f"VIDEO_WATCHTIME_{_n}": (f"VIDEO_P0_COMBINED_{_n}", "watch", 0.1, None),
        f"IDEA_PIN_PRODUCT_TAG_VISIT_{_n}": (f"IMPRESSION_{_n}", "tag", 0.2, None),
        f"VIDEO_15SEC_UNIQUE_VIEWS_{_n}": (f"VIDEO_3SEC_VIEWS_{_n}", 0.45, 0.1, f"VIDEO_3SEC_VIEWS_{_n}"),
        f"IDEA_PIN_PAGE_FORWARD_{_n}": (f"IMPRESSION_{_n}", 0.02, 0.2, None),
        f"IDEA_PIN_PAGE_BACKWARD_{_n}": (f"IDEA_PIN_PAGE_FORWARD_{_n}", 0.35, 0.2, f"IDEA_PIN_PAGE_FORWARD_{_n}"),
    })
# Showcase interactions per showcase session.
SHOWCASE_RATES = {
    "SHOWCASE_PIN_CLICKTHROUGH": 0.3, "SHOWCASE_SUBPAGE_CLICKTHROUGH": 0.25, "SHOWCASE_SUBPIN_CLICKTHROUGH": 0.2,
    "SHOWCASE_SUBPAGE_IMPRESSION": 2.4, "SHOWCASE_SUBPIN_IMPRESSION": 3.1, "SHOWCASE_SUBPAGE_SWIPE_LEFT": 0.8,
    "SHOWCASE_SUBPAGE_SWIPE_RIGHT": 0.6, "SHOWCASE_SUBPIN_SWIPE_LEFT": 1.1, "SHOWCASE_SUBPIN_SWIPE_RIGHT": 0.9,
    "SHOWCASE_SUBPAGE_REPIN": 0.05, "SHOWCASE_SUBPIN_REPIN": 0.07, "SHOWCASE_SUBPAGE_CLOSEUP": 1.3,
    "SHOWCASE_CARD_THUMBNAIL_SWIPE_FORWARD": 0.7, "SHOWCASE_CARD_THUMBNAIL_SWIPE_BACKWARD": 0.3,
}
for _name, _rate in SHOWCASE_RATES.items():
    CHILDREN[_name] = ("SHOWCASE_SESSIONS", _rate, 0.15, None)


@dataclass(frozen=True)
class Settings:
    """Conversion settings of a query (attribution windows, report time, household attribution).

    Example:
        >>> Settings().click_window, Settings(report_time="TIME_OF_CONVERSION").shifts
        (30, True)
    """

    click_window: int = 30
    engagement_window: int = 30
    view_window: int = 1
    report_time: str = "TIME_OF_AD_ACTION"
    household: bool = False

    @property
    def shifts(self) -> bool:
        return self.report_time == "TIME_OF_CONVERSION"

    def factor(self, action: str) -> float:
        """How much the windows (and household attribution) scale conversions of an action."""
        if action == "CLICK":
            base = CLICK_WINDOW_FACTOR[self.click_window]
        elif action == "ENGAGEMENT":
            base = CLICK_WINDOW_FACTOR[self.engagement_window]
        else:
            base = VIEW_WINDOW_FACTOR[self.view_window]
        return base * (HOUSEHOLD_FACTOR if self.household else 1.0)


def base_fields() -> tuple[str, ...]:
    """Every base field name (conversion families expanded).

    Example:
        >>> "CONV:WEB:CLICK:CHECKOUT" in base_fields() and "SPEND_IN_MICRO_DOLLAR" in base_fields()
        True
    """
    names = ["SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "IMPRESSION_1_GROSS", "CLICKTHROUGH_1_GROSS", "ENGAGEMENT_1",
             "ENGAGEMENT_2", "VIDEO_LENGTH_WEIGHT_1", "VIDEO_LENGTH_WEIGHT_2", "ONSITE_CHECKOUT_VALUE", *CHILDREN]
    for a in ACTIONS:
        for e in EVENTS:
            names.append(f"QTY:{a}:{e}")
            for ch in CHANNELS:
                names += [f"CONV:{ch}:{a}:{e}", f"VALUE:{ch}:{a}:{e}"]
    for e in EVENTS:
        names += [f"XDEV:{e}:{s}:{d}" for s in DEVICES for d in DEVICES]
    return tuple(dict.fromkeys(names))


def split_parent(field: str) -> str | None:
    """The field whose parts weight this field's parts when a total is split (hours, targeting
    values, keywords): children follow their parents and values follow their counts, so a part
    never has clicks without impressions or a conversion value without a conversion.

    Example:
        >>> split_parent("VALUE:WEB:CLICK:CHECKOUT"), split_parent("SPEND_IN_MICRO_DOLLAR")
        ('CONV:WEB:CLICK:CHECKOUT', None)
    """
    if field in CHILDREN:
        return CHILDREN[field][0]
    fixed = {"IMPRESSION_1": "SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1_GROSS": "IMPRESSION_1",
             "CLICKTHROUGH_1_GROSS": "CLICKTHROUGH_1", "ENGAGEMENT_1": "IMPRESSION_1", "ENGAGEMENT_2": "IMPRESSION_2",
             "VIDEO_LENGTH_WEIGHT_1": "VIDEO_P0_COMBINED_1", "VIDEO_LENGTH_WEIGHT_2": "VIDEO_P0_COMBINED_2",
             "ONSITE_CHECKOUT_VALUE": "ONSITE_CHECKOUTS_1"}
    if field in fixed:
        return fixed[field]
    kind, _, rest = field.partition(":")
    parts = rest.split(":")
    if kind == "CONV":
        return {"CLICK": "OUTBOUND_CLICK_1", "ENGAGEMENT": "ENGAGEMENT_1", "VIEW": "IMPRESSION_1"}[parts[1]]
    if kind == "VALUE":
        return "CONV:" + rest
    if kind == "QTY":
        return f"CONV:WEB:{parts[0]}:{parts[1]}"
    if kind == "XDEV":
        return f"CONV:WEB:CLICK:{parts[0]}"
    return None


def with_split_parents(fields) -> list[str]:
    """Fields plus their split ancestors, ancestors first.

    Example:
        >>> with_split_parents(["CLICKTHROUGH_1"])
        ['SPEND_IN_MICRO_DOLLAR', 'IMPRESSION_1', 'CLICKTHROUGH_1']
    """
    out: dict[str, None] = {}

    def visit(field: str) -> None:
        if field in out:
            return
        parent = split_parent(field)
        if parent is not None:
            visit(parent)
        out[field] = None

    for field in fields:
        visit(field)
    return list(out)


def split_fields(values: dict[str, np.ndarray], weights: np.ndarray) -> dict[str, np.ndarray]:
    """Split every field's totals ``(...)`` into parts ``(..., K)`` that sum exactly to them.

    Root fields use ``weights``; the others use their split parent's parts (``weights`` where
    the parent is 0), so parts stay consistent with each other. ``values`` must hold the
    parents (see :func:`with_split_parents`).

    Example:
        >>> v = {"CONV:WEB:CLICK:CHECKOUT": np.array([2]), "VALUE:WEB:CLICK:CHECKOUT": np.array([90]),
        ...      "OUTBOUND_CLICK_1": np.array([0])}
        >>> parts = split_fields(v, np.array([[1, 1, 1]]))
        >>> parts["CONV:WEB:CLICK:CHECKOUT"].tolist(), parts["VALUE:WEB:CLICK:CHECKOUT"].tolist()
        ([[1, 1, 0]], [[45, 45, 0]])
    """
    parts: dict[str, np.ndarray] = {}
    for field in (f for f in with_split_parents(values) if f in values):
        parent = split_parent(field)
        if parent is None or parent not in values:
            field_weights = weights
        else:
            empty = (values[parent] == 0)[..., None]
            field_weights = np.where(empty, weights, parts[parent])
        parts[field] = split_exact(values[field], field_weights)
    return {f: parts[f] for f in values}


def day_ordinal(now: int) -> int:
    """The UTC day ordinal of a Unix time.

    Example:
        >>> date.fromordinal(day_ordinal(1711929600)).isoformat()
        '2024-04-01'
    """
    return EPOCH_ORDINAL + int(now) // 86_400


def _season(days: np.ndarray) -> np.ndarray:
    """Yearly shape (peak mid-December, a spring bump), computed per day in Python (exact)."""
    values = []
    for d in days.tolist():
        doy = date.fromordinal(int(d)).timetuple().tm_yday
        values.append(1.0 + 0.18 * math.cos(2 * math.pi * (doy - 350) / 365.0)
                      + 0.05 * math.cos(2 * math.pi * (doy - 120) / 365.0))
    return np.array(values)[None, :]


class FieldComputer:
    """Computes base fields for ads × consecutive days, lazily, memoising what it computed.

    Example:
        >>> p = {"key": 7, "first": 0, "last": 10**7, "live": True, "spend": 5e6, "ecpm": 4e6, "earned": 0.2,
        ...      "trend_amp": 0.0, "trend_period": 90.0, "trend_phase": 0.0}
        >>> c = FieldComputer([p], np.arange(738000, 738005), Settings())
        >>> c.get("IMPRESSION_1").shape
        (1, 5)
    """

    def __init__(self, profiles: list[dict], days: np.ndarray, settings: Settings):
        self.profiles = profiles
        self.days = np.asarray(days, dtype=np.int64)
        self.settings = settings
        self.keys = np.array([p["key"] for p in profiles], dtype=np.uint64)[:, None]
        self.memo: dict[str, np.ndarray] = {}
        self._params: dict[str, np.ndarray] = {}
        self._vol: np.ndarray | None = None
        self._mask: np.ndarray | None = None

    # ---- helpers -----------------------------------------------------------------------
    def param(self, name) -> np.ndarray:
        """A profile number as an ``(A, 1)`` column (a float constant passes through)."""
        if not isinstance(name, str):
            return np.full((len(self.profiles), 1), float(name))
        if name not in self._params:
            self._params[name] = np.array([float(p.get(name, 0.0)) for p in self.profiles])[:, None]
        return self._params[name]

    def u(self, stream: str) -> np.ndarray:
        """Uniforms ``(A, D)`` for a named stream."""
        return uniform(self.keys, self.days[None, :], key64(stream))

    def noise(self, stream: str, spread: float) -> np.ndarray:
        """Multiplicative noise in ``[1 − spread, 1 + spread)``."""
        return 1.0 + spread * (2.0 * self.u(stream) - 1.0)

    def count(self, expected: np.ndarray, stream: str) -> np.ndarray:
        """Stochastic rounding: ``floor(expected + u)`` (non-negative int64)."""
        return np.floor(np.maximum(expected, 0.0) + self.u(stream + ":round")).astype(np.int64)

    def mask(self) -> np.ndarray:
        """``(A, D)`` True on the days an ad may deliver."""
        if self._mask is None:
            first, last = self.param("first"), self.param("last")
            live = self.param("live") > 0
            self._mask = (self.days[None, :] >= first) & (self.days[None, :] <= last) & live
        return self._mask

    def vol(self) -> np.ndarray:
        """Daily volume factor: delivery mask × weekday × season × ramp-up × trend × noise."""
        if self._vol is None:
            days = self.days[None, :]
            weekday = np.array(WEEKDAY_FACTOR)[(self.days - 1) % 7][None, :]
            age = days - self.param("first")
            ramp = np.minimum(1.0, 0.35 + 0.65 * (age + 1) / 7.0)
            x = (days + self.param("trend_phase")) / self.param("trend_period")
            triangle = 4.0 * np.abs(x - np.floor(x + 0.5)) - 1.0
            trend = 1.0 + self.param("trend_amp") * triangle
            self._vol = self.mask() * weekday * _season(self.days) * ramp * trend * (0.8 + 0.4 * self.u("volume"))
        return self._vol

    # ---- fields ------------------------------------------------------------------------
    def get(self, field: str) -> np.ndarray:
        """The ``(A, D)`` int64 values of a base field."""
        if field not in self.memo:
            self.memo[field] = self._compute(field)
        return self.memo[field]

    def _compute(self, field: str) -> np.ndarray:
        if field in CHILDREN:
            parent, rate, spread, cap = CHILDREN[field]
            values = self.count(self.get(parent) * self.param(rate) * self.noise(field, spread), field)
            return np.minimum(values, self.get(cap)) if cap else values
        if field == "SPEND_IN_MICRO_DOLLAR":
            return np.rint(self.param("spend") * self.vol()).astype(np.int64)
        if field == "IMPRESSION_1":
            spend = self.get("SPEND_IN_MICRO_DOLLAR")
            return self.count(spend / self.param("ecpm") * 1000.0 * self.noise(field, 0.08), field)
        if field in ("IMPRESSION_1_GROSS", "CLICKTHROUGH_1_GROSS"):
            net = self.get(field[: -len("_GROSS")])
            return net + self.count(net * self.param("ivt") * self.u(field) * 2.0, field)
        if field in ("ENGAGEMENT_1", "ENGAGEMENT_2"):
            n = field[-1]
            return self.get(f"CLICKTHROUGH_{n}") + self.get(f"REPIN_{n}") + self.get(f"CLOSEUP_{n}")
        if field in ("VIDEO_LENGTH_WEIGHT_1", "VIDEO_LENGTH_WEIGHT_2"):
            return self.get(f"VIDEO_P0_COMBINED_{field[-1]}") * self.param("length").astype(np.int64)
        if field == "ONSITE_CHECKOUT_VALUE":
            return np.rint(self.get("ONSITE_CHECKOUTS_1") * self.param("onsite_aov")
                           * self.noise(field, 0.3)).astype(np.int64)
        kind, _, rest = field.partition(":")
        if kind in ("CONV", "VALUE"):
            _, action, event = rest.split(":")
            self._conversions(action, event)
            return self.memo[field]
        if kind == "QTY":
            action, event = rest.split(":")
            total = sum(self.get(f"CONV:{ch}:{action}:{event}") for ch in CHANNELS)
            extra = self.param("items:" + event) - 1.0
            return total + self.count(total * extra * self.noise(field, 0.2), field)
        if kind == "XDEV":
            self._cross_device(rest.split(":")[0])
            return self.memo[field]
        raise KeyError(f"unknown base field {field!r}")

    def _conversions(self, action: str, event: str) -> None:
        """CONV/VALUE of the three channels for one (action, event), shifted when asked."""
        if action == "CLICK":
            base = self.get("OUTBOUND_CLICK_1") + self.get("OUTBOUND_CLICK_2")
            rate = self.param("rate:" + event)
        elif action == "ENGAGEMENT":
            base = (self.get("ENGAGEMENT_1") + self.get("ENGAGEMENT_2")
                    - self.get("CLICKTHROUGH_1") - self.get("CLICKTHROUGH_2"))
            rate = self.param("rate:" + event) * self.param("eng_conv")
        else:
            base = self.get("IMPRESSION_1") + self.get("IMPRESSION_2")
            rate = self.param("rate:" + event) * self.param("view_conv")
        name = f"{action}:{event}"
        expected = base * rate * self.settings.factor(action) * self.noise("CONV:" + name, 0.35)
        total = self.count(expected, "CONV:" + name)
        inapp = self.count(total * self.param("inapp:" + event), "INAPP:" + name)
        offline = self.count((total - inapp) * self.param("offline:" + event), "OFFLINE:" + name)
        counts = {"WEB": total - inapp - offline, "INAPP": inapp, "OFFLINE": offline}
        aov = self.param("aov:" + event)
        for ch, count in counts.items():
            value = np.rint(count * aov * self.noise(f"VALUE:{ch}:{name}", 0.3)).astype(np.int64)
            if self.settings.shifts:
                count, value = self._shift(count, value, f"{ch}:{name}")
            self.memo[f"CONV:{ch}:{name}"] = count
            self.memo[f"VALUE:{ch}:{name}"] = value

    def _shift(self, count: np.ndarray, value: np.ndarray, stream: str):
        """TIME_OF_CONVERSION: part of each day's conversions lands on the next delivery day."""
        keep = np.minimum(1.0, self.param("keep") * (0.85 + 0.3 * self.u("KEEP:" + stream)))
        same = np.minimum(count, self.count(count * keep, "KEEP:" + stream))
        next_ok = np.zeros_like(self.mask())
        next_ok[:, :-1] = self.mask()[:, 1:]
        spill = np.where(next_ok, count - same, 0)
        same = count - spill
        value_same = np.where(count > 0, value * same // np.maximum(count, 1), value)
        value_spill = value - value_same
        new_count, new_value = same.copy(), value_same.copy()
        new_count[:, 1:] += spill[:, :-1]
        new_value[:, 1:] += value_spill[:, :-1]
        return new_count, new_value

    def _cross_device(self, event: str) -> None:
        """Split an event's conversions into the 9 (action device → conversion device) pairs."""
        total = sum(self.get(f"CONV:{ch}:{a}:{event}") for ch in CHANNELS for a in ACTIONS)
        names = [f"{s}:{d}" for s in DEVICES for d in DEVICES]
        weights = int_weights(np.stack([self.param("dev:" + n)[:, 0] for n in names], axis=-1))[:, None, :]
        parts = split_exact(total, weights)
        for i, n in enumerate(names):
            self.memo[f"XDEV:{event}:{n}"] = parts[..., i]


def hour_weights(profiles: list[dict], days: np.ndarray) -> np.ndarray:
    """Int weights ``(A, D, 24)`` of each UTC hour of each day (local daily curve × noise).

    Example:
        >>> hour_weights([{"key": 1, "tz": 0}], np.array([738000])).shape
        (1, 1, 24)
    """
    keys = np.array([p["key"] for p in profiles], dtype=np.uint64)[:, None, None]
    tz = np.array([int(p.get("tz", 0)) for p in profiles], dtype=np.int64)[:, None, None]
    hours = np.arange(24)[None, None, :]
    curve = np.array(HOUR_CURVE)[(hours + tz) % 24]
    cells = np.asarray(days, dtype=np.int64)[None, :, None] * 24 + hours
    return int_weights(curve * (0.85 + 0.3 * uniform(keys, cells, key64("hours"))))


class _Entry:
    """Cached values of one ad for one 32-day block: ``data[rows[slot]]`` is a field's days."""

    __slots__ = ("rows", "data")

    def __init__(self):
        self.rows: dict[str, int] = {}
        self.data = np.zeros((0, BLOCK_DAYS), dtype=np.int64)

    def add(self, slots: list[str], values: np.ndarray) -> None:
        """Append rows ``values`` ``(len(slots), BLOCK_DAYS)`` for slots not cached yet."""
        if not self.rows:
            self.data, self.rows = values, dict(zip(slots, range(len(slots)), strict=True))
            return
        fresh = [i for i, s in enumerate(slots) if s not in self.rows]
        if not fresh:
            return
        base = len(self.data)
        self.data = np.concatenate([self.data, values if len(fresh) == len(slots) else values[fresh]])
        for offset, i in enumerate(fresh):
            self.rows[slots[i]] = base + offset


class MetricsEngine:
    """Base metrics per ad and day/hour with a per-ad block cache (32-day blocks, LRU-bounded).

    The cache holds one entry per (ad, profile version, block) with every field asked for it so
    far (conversion fields per :class:`Settings`): edits that change an ad's profile (status,
    budget, bid, dates…) make new entries; stale ones age out.
    """

    def __init__(self, seed: int, store: Store, max_entries: int = MAX_CACHE_ENTRIES):
        self.seed = seed
        self.store = store
        self.max_entries = max_entries
        self._cache: OrderedDict = OrderedDict()
        self._profiles: dict[str, tuple[tuple, dict]] = {}

    def profiles(self, ad_ids: list[str]) -> list[dict]:
        """Delivery profiles of ads (in the given order), rebuilt only when their inputs change."""
        out = []
        for ad_id in ad_ids:
            ad = self.store.ads[ad_id]
            signature = profile_signature(self.seed, self.store, ad)
            cached = self._profiles.get(ad_id)
            if cached is None or cached[0] != signature:
                cached = self._profiles[ad_id] = (signature, ad_profile(self.seed, self.store, ad))
            out.append(cached[1])
        return out

    def clear(self) -> None:
        """Forget every cached block and profile."""
        self._cache.clear()
        self._profiles.clear()

    def _entry(self, profile: dict, block: int) -> _Entry:
        key = (profile["id"], profile["version"], block)
        entry = self._cache.get(key)
        if entry is None:
            entry = self._cache[key] = _Entry()
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return entry

    @staticmethod
    def _slot(field: str, tag: str) -> str:
        return f"{field}@{tag}" if field.startswith(CONVERSION_PREFIXES) else field

    def _block(self, profiles: list[dict], block: int, fields: list[str], settings: Settings) -> np.ndarray:
        """``(A, F, BLOCK_DAYS)`` values of the fields for one block (computing what is missing)."""
        tag = repr(tuple(vars(settings).values()))
        entries = [self._entry(p, block) for p in profiles]
        slots = [self._slot(f, tag) for f in fields]
        todo = [i for i, e in enumerate(entries) if any(s not in e.rows for s in slots)]
        if todo:
            start = block * BLOCK_DAYS
            days = np.arange(start - 1, start + BLOCK_DAYS + 1)  # one day either side for TIME_OF_CONVERSION
            computer = FieldComputer([profiles[i] for i in todo], days, settings)
            computed = np.stack([computer.get(f)[:, 1:-1] for f in fields], axis=1)  # (todo, F, days)
            for row, i in enumerate(todo):
                entries[i].add(slots, computed[row])
            if len(todo) == len(entries):
                return computed
        return np.stack([e.data[[e.rows[s] for s in slots]] for e in entries])

    def _daily_full(self, profiles: list[dict], first: int, last: int, fields: list[str],
                    settings: Settings) -> dict[str, np.ndarray]:
        blocks = range(first // BLOCK_DAYS, last // BLOCK_DAYS + 1)
        if not profiles:
            return {f: np.zeros((0, last - first + 1), dtype=np.int64) for f in fields}
        stacked = np.concatenate([self._block(profiles, b, fields, settings) for b in blocks], axis=2)
        offset = first - blocks[0] * BLOCK_DAYS
        stacked = stacked[:, :, offset: offset + last - first + 1]
        return {f: stacked[:, j, :] for j, f in enumerate(fields)}

    def _profiles_of(self, ad_ids) -> list[dict]:
        return self.profiles(list(ad_ids))

    def daily(self, ad_ids, first: int, last: int, fields, settings: Settings, now: int) -> dict[str, np.ndarray]:
        """``{field: (A, D) int64}`` for days ``first..last`` (ordinals) as of Unix time ``now``.

        Days after today are 0; today holds the hours up to the current UTC hour.
        """
        profiles = self._profiles_of(ad_ids)
        asked = list(dict.fromkeys(fields))
        fields = with_split_parents(asked)
        out = self._daily_full(profiles, first, last, fields, settings)
        today, hour = day_ordinal(now), (int(now) % 86_400) // 3_600
        if last >= today:
            for f in fields:
                out[f] = out[f].copy()
                if today >= first:
                    out[f][:, today - first + 1:] = 0
                else:
                    out[f][:, :] = 0
            if first <= today <= last:
                parts = self._today_hours(profiles, today, hour, {f: out[f][:, today - first] for f in fields})
                for f in fields:
                    out[f][:, today - first] = parts[f].sum(axis=-1)
        return {f: out[f] for f in asked}

    @staticmethod
    def _today_hours(profiles, today: int, hour: int, totals: dict) -> dict:
        weights = hour_weights(profiles, np.array([today]))[:, 0, :]
        parts = split_fields(totals, weights)
        for f in parts:
            parts[f][:, hour + 1:] = 0
        return parts

    def hourly(self, ad_ids, first: int, last: int, fields, settings: Settings, now: int) -> dict[str, np.ndarray]:
        """``{field: (A, D, 24) int64}``: each day cut into 24 UTC hours that sum to the day.

        Hours after the emulator clock's current hour are 0.
        """
        profiles = self._profiles_of(ad_ids)
        asked = list(dict.fromkeys(fields))
        full = self._daily_full(profiles, first, last, with_split_parents(asked), settings)
        parts = split_fields(full, hour_weights(profiles, np.arange(first, last + 1)))
        today, hour = day_ordinal(now), (int(now) % 86_400) // 3_600
        out = {}
        for f in asked:
            values = parts[f]
            for d in range(max(first, today), last + 1):
                values[:, d - first, (hour + 1 if d == today else 0):] = 0
            out[f] = values
        return out
