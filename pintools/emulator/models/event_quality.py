"""Event Quality Score (``conversion_eqs/list``, 5.23.0), computed from the events the emulator received.

What the spec fixes: ``GET /ad_accounts/{id}/conversion_eqs?lookback_period=1d|14d`` (required), with
optional ``source_platform`` and ``ingestion_source`` filters, answers an array of ``EventQualityScore``:
``ingestion_source``, ``source_platform``, ``lookback_period``, ``overall_status``
(``NEEDS_IMPROVEMENT | FAIR | GOOD``) and ``quality_components``: per component (``hashed_email``,
``hashed_maid``, ``click_id_epik``, ``ip_address``, ``user_agent``, ``advertiser_external_id``,
``external_event_id``, ``order_id``, ``order_value``, ``product_id``, ``source_url``) a map "event type"
→ ``{coverage, issues?, overlap?}``, where coverage is a "Coverage percentage".

What is the emulator's model, not Pinterest's rule (the spec does not say):

- The window: events *received* (processed, non-test) in the last 1 or 14 days of the emulator clock.
- One score per (``ingestion_source``, ``source_platform``) seen in the window; Conversions API events are
  ``CONVERSIONS_API``, their ``action_source`` gives the platform (web → ``WEB``, app_android →
  ``MOBILE_ANDROID``, app_ios → ``MOBILE_IOS``, offline → ``OFFLINE``). No events → ``[]``.
- The "event type" keys are the ``event_name`` values as sent (``checkout`` …).
- ``coverage``: the share of those events carrying the field, as a percentage 0–100 (the spec's word),
  one decimal; the switch ``coverage_scale="fraction"`` serves 0–1 instead.
- ``overall_status``: the share of events carrying a strong identifier (email, MAID, click id or
  external id; IP and user agent alone do not count): ``GOOD`` from ``good_at`` (0.8), ``FAIR`` from
  ``fair_at`` (0.5), else ``NEEDS_IMPROVEMENT``; both are switches.
- ``issues``: only one, ours — ``hashed_email`` values that are not SHA-256 hex.
  ``overlap`` (tag/API overlap of ``external_event_id``) is left out: the emulator has no tag events.

Example:
    >>> model = EventQuality()
    >>> event = {"event_name": "checkout", "action_source": "web", "event_id": "o1", "user_data": {"em": ["a" * 64]}}
    >>> [s["overall_status"] for s in model.scores([{"event": event, "received_at": 100}], 100, "1d")]
    ['GOOD']
"""

from __future__ import annotations

import re

LOOKBACK_DAYS = {"1d": 1, "14d": 14}  # LookbackPeriodOptions
INGESTION_SOURCES = ("TAG", "MMP", "FILE_UPLOAD", "CONVERSIONS_API", "NATIVE")
SOURCE_PLATFORMS = ("WEB", "MOBILE", "MOBILE_ANDROID", "MOBILE_IOS", "OFFLINE", "PINTEREST_WEB",
                    "PINTEREST_ANDROID", "PINTEREST_IOS", "POINT_OF_SALE")
PLATFORM_OF = {"web": "WEB", "app_android": "MOBILE_ANDROID", "app_ios": "MOBILE_IOS", "offline": "OFFLINE"}
COVERAGE_SCALES = ("percent", "fraction")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _user(event: dict) -> dict:
    user = event.get("user_data")
    return user if isinstance(user, dict) else {}


def _custom(event: dict) -> dict:
    custom = event.get("custom_data")
    return custom if isinstance(custom, dict) else {}


def _has(value) -> bool:
    if isinstance(value, list):
        return any(isinstance(v, str) and v for v in value)
    return isinstance(value, str) and bool(value.strip())


def _products(event: dict) -> bool:
    custom = _custom(event)
    contents = custom.get("contents") if isinstance(custom.get("contents"), list) else []
    return _has(custom.get("content_ids")) or any(isinstance(c, dict) and _has(c.get("id")) for c in contents)


#: Component → whether an event carries it (the spec's component names; the test is the emulator's).
COMPONENTS = {
    "hashed_email": lambda e: _has(_user(e).get("em")),
    "hashed_maid": lambda e: _has(_user(e).get("hashed_maids")),
    "click_id_epik": lambda e: _has(_user(e).get("click_id")),
    "ip_address": lambda e: _has(_user(e).get("client_ip_address")),
    "user_agent": lambda e: _has(_user(e).get("client_user_agent")),
    "advertiser_external_id": lambda e: _has(_user(e).get("external_id")),
    "external_event_id": lambda e: _has(e.get("event_id")),
    "order_id": lambda e: _has(_custom(e).get("order_id")),
    "order_value": lambda e: _has(_custom(e).get("value")),
    "product_id": _products,
    "source_url": lambda e: _has(e.get("event_source_url")),
}


def _strong(event: dict) -> bool:
    user = _user(event)
    return any(_has(user.get(k)) for k in ("em", "hashed_maids", "click_id", "external_id"))


def _unhashed_emails(events: list[dict]) -> int:
    return sum(1 for e in events if any(isinstance(v, str) and not _SHA256_HEX.match(v)
                                        for v in (_user(e).get("em") or [])))


class EventQuality:
    """The emulator's Event Quality Score model and its switches (see the module doc).

    Example:
        >>> EventQuality().configure(coverage_scale="fraction")
        {'coverage_scale': 'fraction', 'good_at': 0.8, 'fair_at': 0.5}
    """

    def __init__(self) -> None:
        self.behaviour: dict = {}
        self.configure()

    def configure(self, coverage_scale: str = "percent", good_at: float = 0.8, fair_at: float = 0.5) -> dict:
        """Set how coverage is expressed and the overall-status thresholds (shares 0–1); ValueError
        on a bad value. These are the emulator's model: Pinterest documents no thresholds."""
        if coverage_scale not in COVERAGE_SCALES:
            raise ValueError(f"coverage_scale must be one of {', '.join(COVERAGE_SCALES)}")
        for name, value in (("good_at", good_at), ("fair_at", fair_at)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a number from 0 to 1")
        if fair_at > good_at:
            raise ValueError("fair_at must not be above good_at")
        self.behaviour = {"coverage_scale": coverage_scale, "good_at": float(good_at), "fair_at": float(fair_at)}
        return dict(self.behaviour)

    def scores(self, records: list[dict], now: int, lookback: str, source_platform: str | None = None,
               ingestion_source: str | None = None) -> list[dict]:
        """``EventQualityScore`` objects for recorded events (``{"event", "received_at"}`` each) received
        within ``lookback`` (``1d``/``14d``) of ``now``, optionally for one platform / ingestion source."""
        since = now - LOOKBACK_DAYS[lookback] * 86400
        groups: dict[tuple[str, str], list[dict]] = {}
        for record in records:
            event = record["event"]
            platform = PLATFORM_OF.get(event.get("action_source"), "WEB")
            if record["received_at"] < since or record["received_at"] > now:
                continue
            if source_platform not in (None, platform) or ingestion_source not in (None, "CONVERSIONS_API"):
                continue
            groups.setdefault(("CONVERSIONS_API", platform), []).append(event)
        return [self._score(events, lookback, ingestion, platform)
                for (ingestion, platform), events in sorted(groups.items())]

    def _score(self, events: list[dict], lookback: str, ingestion: str, platform: str) -> dict:
        by_name: dict[str, list[dict]] = {}
        for event in events:
            by_name.setdefault(str(event.get("event_name")), []).append(event)
        components: dict[str, dict] = {}
        for component, carries in COMPONENTS.items():
            details = {}
            for name, group in sorted(by_name.items()):
                detail: dict = {"coverage": self._coverage(sum(1 for e in group if carries(e)), len(group))}
                bad = _unhashed_emails(group) if component == "hashed_email" else 0
                if bad:
                    detail["issues"] = [{"id": "email_not_hashed", "name": "Email not hashed (emulator check)",
                                         "reason": f"{bad} of {len(group)} events carry em values that are not "
                                                   "SHA-256 hex; normalise and hash them before sending"}]
                details[name] = detail
            components[component] = details
        share = sum(1 for e in events if _strong(e)) / len(events)
        status = ("GOOD" if share >= self.behaviour["good_at"] else
                  "FAIR" if share >= self.behaviour["fair_at"] else "NEEDS_IMPROVEMENT")
        return {"ingestion_source": ingestion, "source_platform": platform, "lookback_period": lookback,
                "overall_status": status, "quality_components": components}

    def _coverage(self, carrying: int, total: int) -> float:
        share = carrying / total if total else 0.0
        return round(share * 100, 1) if self.behaviour["coverage_scale"] == "percent" else round(share, 4)
