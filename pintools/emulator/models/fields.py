"""Field checks for batch-write items: types, enums, patterns, nested objects.

Each checker takes ``(value, name)`` and returns the cleaned value or raises
:class:`~pintools.emulator.errors.ItemError` with a readable message. :func:`read_fields`
applies a table of checkers with PATCH semantics: absent = untouched, ``null`` = clear for
nullable fields only.

Example:
    >>> read_fields({"bid": 5, "name": None}, {"bid": check_int, "name": check_str}, nullable={"name"})
    {'bid': 5, 'name': None}
    >>> strip_prefix("AG2680060704746", "AG", "ad_group_id")
    '2680060704746'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pintools.emulator import enums
from pintools.emulator.errors import ItemError

_DIGITS = re.compile(r"^\d+$")
MAX_ID_LENGTH = 19


def read_fields(item: dict, checkers: dict[str, Callable], nullable: set[str] | frozenset[str]) -> dict:
    """Check the fields present in ``item``; returns only those (cleaned).

    Example:
        >>> read_fields({}, {"bid": check_int}, nullable=set())
        {}
    """
    out = {}
    for name, check in checkers.items():
        if name not in item:
            continue
        value = item[name]
        if value is None:
            if name not in nullable:
                raise ItemError(f"{name} cannot be null.")
            out[name] = None
        else:
            out[name] = check(value, name)
    return out


def require(item: dict, *names: str) -> None:
    """Raise when a required field is missing or null.

    Example:
        >>> require({"name": "x"}, "name")
    """
    for name in names:
        if item.get(name) is None:
            raise ItemError(f"{name} is required.")


def check_str(value, name: str, max_length: int | None = None) -> str:
    """A non-empty string (optionally at most ``max_length`` characters)."""
    if not isinstance(value, str):
        raise ItemError(f"{name} must be a string.")
    if not value.strip():
        raise ItemError(f"{name} must not be empty.")
    if max_length is not None and len(value) > max_length:
        raise ItemError(f"{name} must be at most {max_length} characters.")
    return value


def check_url(value, name: str) -> str:
    """A string URL (http or https) of at most 2,000 characters."""
    text = check_str(value, name, max_length=2000)
    if not text.startswith(("http://", "https://")):
        raise ItemError(f"{name} must be an http(s) URL.")
    return text


def check_int(value, name: str, minimum: int | None = None) -> int:
    """An integer (not a bool, not a float) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ItemError(f"{name} must be an integer.")
    if minimum is not None and value < minimum:
        raise ItemError(f"{name} must be at least {minimum}.")
    return value


def check_positive_int(value, name: str) -> int:
    """An integer ≥ 1 (money in micro-currency, caps)."""
    return check_int(value, name, minimum=1)


def check_time(value, name: str) -> int:
    """Unix seconds (a non-negative integer)."""
    return check_int(value, name, minimum=0)


def check_bool(value, name: str) -> bool:
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise ItemError(f"{name} must be a boolean.")
    return value


def enum_checker(choices: tuple[str, ...]) -> Callable:
    """A checker accepting exactly ``choices``.

    Example:
        >>> enum_checker(("A", "B"))("B", "x")
        'B'
    """

    def check(value, name: str) -> str:
        if value not in choices:
            raise ItemError(f"{name} must be one of {', '.join(choices)}.")
        return value

    return check


def check_digits(value, name: str) -> str:
    """A numeric-string id (``^\\d+$``)."""
    if not isinstance(value, str) or not _DIGITS.match(value) or len(value) > MAX_ID_LENGTH:
        raise ItemError(f"{name} must be a numeric string id.")
    return value


def strip_prefix(value, prefix: str, name: str) -> str:
    """An id that may carry a letter prefix (``AG123``, ``C123``, digest §1.7), stored bare."""
    if isinstance(value, str) and value.startswith(prefix):
        value = value[len(prefix):]
    return check_digits(value, name)


def check_str_list(value, name: str, max_items: int | None = None) -> list[str]:
    """A list of non-empty strings."""
    if not isinstance(value, list):
        raise ItemError(f"{name} must be an array.")
    if max_items is not None and len(value) > max_items:
        raise ItemError(f"{name} accepts at most {max_items} items.")
    return [check_str(v, name) for v in value]


def check_tracking_urls(value, name: str) -> dict | None:
    """``TrackingUrls``: event → up to 3 URLs of ≤2,000 chars. ``{}`` removes them (→ None)."""
    if not isinstance(value, dict):
        raise ItemError(f"{name} must be an object.")
    if not value:
        return None
    out = {}
    for event, urls in value.items():
        if event not in enums.TRACKING_URL_EVENTS:
            raise ItemError(f"{name}.{event} is not a tracking event ({', '.join(enums.TRACKING_URL_EVENTS)}).")
        if not isinstance(urls, list) or len(urls) > 3:
            raise ItemError(f"{name}.{event} must be an array of up to three URLs.")
        out[event] = [check_url(url, f"{name}.{event}") for url in urls]
    return out


_TARGETING_ENUMS = {
    "AGE_BUCKET": enums.AGE_BUCKETS,
    "APPTYPE": enums.APPTYPES,
    "GENDER": enums.GENDERS,
    "TARGETING_STRATEGY": enums.TARGETING_STRATEGIES,
}
_POSTAL = re.compile(r"^[A-Z]{2}-\d[\w ]*$")


def check_targeting_spec(value, name: str = "targeting_spec") -> dict:
    """``TargetingSpec`` (digest §4.1): known keys, array values, enum members, id patterns.

    ``AUDIENCE_INCLUDE'`` (the spec's typo, §17 #1) is read as ``AUDIENCE_INCLUDE``. The
    ``minItems: 100`` on audience ids is not enforced (§17 #2).

    Example:
        >>> check_targeting_spec({"GENDER": ["female"], "LOCATION": ["US"]})
        {'GENDER': ['female'], 'LOCATION': ['US']}
    """
    if not isinstance(value, dict):
        raise ItemError(f"{name} must be an object.")
    out: dict = {}
    for key, items in value.items():
        real_key = "AUDIENCE_INCLUDE" if key == "AUDIENCE_INCLUDE'" else key
        if real_key not in enums.TARGETING_SPEC_KEYS:
            raise ItemError(f"{name}.{key} is not a targeting type.")
        if items is None:
            out[real_key] = None
            continue
        if real_key in ("MINIMUM_AGE", "MAXIMUM_AGE"):
            out[real_key] = _check_age(items, f"{name}.{real_key}", real_key == "MAXIMUM_AGE")
            continue
        if not isinstance(items, list):
            raise ItemError(f"{name}.{key} must be an array.")
        label = f"{name}.{real_key}"
        if real_key in _TARGETING_ENUMS:
            check = enum_checker(_TARGETING_ENUMS[real_key])
            out[real_key] = [check(v, label) for v in items]
        elif real_key in ("AUDIENCE_INCLUDE", "AUDIENCE_EXCLUDE"):
            out[real_key] = [check_digits(v, label) for v in items]
        elif real_key == "SHOPPING_RETARGETING":
            out[real_key] = [_check_retargeting(v, label) for v in items]
        else:
            out[real_key] = [check_str(v, label) for v in items]
    _check_age_range(out, name)
    geo = out.get("GEO") or []
    postal = [code for code in geo if _POSTAL.match(code)]
    if postal and len(postal) != len(geo):
        raise ItemError(f"{name}.GEO takes region codes or postal codes, not both.")
    return out


def _check_age(value, name: str, maximum: bool) -> str:
    """5.23.0's MINIMUM_AGE / MAXIMUM_AGE: "18" … "65", and "65+" as a maximum only."""
    allowed = '"18" to "65", or "65+"' if maximum else '"18" to "65" ("65+" only as MAXIMUM_AGE)'
    if not isinstance(value, str) or not (value.isdigit() and 18 <= int(value) <= 65 or maximum and value == "65+"):
        raise ItemError(f"{name} must be a string from {allowed}, got {value!r}.")
    return value


def _check_age_range(out: dict, name: str) -> None:
    low, high = out.get("MINIMUM_AGE"), out.get("MAXIMUM_AGE")
    if (low is None) != (high is None):
        raise ItemError(f"{name}.MINIMUM_AGE and {name}.MAXIMUM_AGE must be used together.")
    if low is not None and out.get("AGE_BUCKET"):
        raise ItemError(f"{name}.AGE_BUCKET cannot be combined with MINIMUM_AGE/MAXIMUM_AGE; use one or the other.")
    if low is not None and high != "65+" and int(low) > int(high):
        raise ItemError(f"{name}.MINIMUM_AGE ({low}) must not exceed MAXIMUM_AGE ({high}).")


def _check_retargeting(value, name: str) -> dict:
    if not isinstance(value, dict):
        raise ItemError(f"{name} items must be objects.")
    out = {}
    for key in ("lookback_window", "exclusion_window"):
        if key in value and value[key] is not None:
            out[key] = check_int(value[key], f"{name}.{key}", minimum=0)
    if "tag_types" in value and value["tag_types"] is not None:
        if not isinstance(value["tag_types"], list):
            raise ItemError(f"{name}.tag_types must be an array.")
        out["tag_types"] = [check_int(v, f"{name}.tag_types", minimum=0) for v in value["tag_types"]]
    return out


def _check_numeric_string(value, name: str) -> str:
    if not isinstance(value, str) or not _DIGITS.match(value):
        raise ItemError(f"{name} must be a string of digits.")
    return value


def check_optimization_goal_metadata(value, name: str = "optimization_goal_metadata") -> dict:
    """``OptimizationGoalMetadata``: conversion tag, frequency and scroll-up goals.

    Example:
        >>> check_optimization_goal_metadata({"frequency_goal_metadata": {"frequency": 3, "timerange": "DAY"}})
        {'frequency_goal_metadata': {'frequency': 3, 'timerange': 'DAY'}}
    """
    if not isinstance(value, dict):
        raise ItemError(f"{name} must be an object.")
    out: dict = {}
    conv = value.get("conversion_tag_v3_goal_metadata")
    if conv is not None:
        label = f"{name}.conversion_tag_v3_goal_metadata"
        if not isinstance(conv, dict):
            raise ItemError(f"{label} must be an object.")
        clean: dict = {}
        windows = conv.get("attribution_windows")
        if windows is not None:
            if not isinstance(windows, dict):
                raise ItemError(f"{label}.attribution_windows must be an object.")
            clean["attribution_windows"] = {
                k: check_int(windows[k], f"{label}.attribution_windows.{k}", minimum=0)
                for k in ("click_window_days", "engagement_window_days", "view_window_days")
                if windows.get(k) is not None
            }
        if conv.get("conversion_event") is not None:
            clean["conversion_event"] = enum_checker(enums.CONVERSION_EVENTS)(
                conv["conversion_event"], f"{label}.conversion_event"
            )
        for key in ("conversion_tag_id", "cpa_goal_value_in_micro_currency"):
            if conv.get(key) is not None:
                clean[key] = _check_numeric_string(conv[key], f"{label}.{key}")
        if "is_roas_optimized" in conv:
            flag = conv["is_roas_optimized"]
            clean["is_roas_optimized"] = None if flag is None else check_bool(flag, f"{label}.is_roas_optimized")
        if "learning_mode_type" in conv:
            mode = conv["learning_mode_type"]
            clean["learning_mode_type"] = (
                None if mode is None else enum_checker(enums.LEARNING_MODE_TYPES)(mode, f"{label}.learning_mode_type")
            )
        out["conversion_tag_v3_goal_metadata"] = clean
    freq = value.get("frequency_goal_metadata")
    if freq is not None:
        label = f"{name}.frequency_goal_metadata"
        if not isinstance(freq, dict):
            raise ItemError(f"{label} must be an object.")
        clean = {}
        if freq.get("frequency") is not None:
            clean["frequency"] = check_int(freq["frequency"], f"{label}.frequency", minimum=1)
        if freq.get("timerange") is not None:
            clean["timerange"] = enum_checker(enums.FREQUENCY_TIMERANGES)(freq["timerange"], f"{label}.timerange")
        out["frequency_goal_metadata"] = clean
    scroll = value.get("scrollup_goal_metadata")
    if scroll is not None:
        label = f"{name}.scrollup_goal_metadata"
        if not isinstance(scroll, dict):
            raise ItemError(f"{label} must be an object.")
        goal = scroll.get("scrollup_goal_value_in_micro_currency")
        out["scrollup_goal_metadata"] = {
            "scrollup_goal_value_in_micro_currency": None
            if goal is None
            else _check_numeric_string(goal, f"{label}.scrollup_goal_value_in_micro_currency")
        }
    return out
