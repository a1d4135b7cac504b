"""The app and device an event happened on: 5.23's ``app_info`` and ``device_info`` event objects.

Pinterest API 5.23.0 added two optional objects to a Conversions API event (``ConversionEvents``),
each ``additionalProperties: false`` and none of their fields hashed. Their fields are columns
named by path (``app_info.app_version``, ``device_info.os_family``; no short aliases, so that a
column called ``type`` or ``model`` is never sent by surprise). :data:`RULES` holds each field's
constraints as the 5.23.0 spec states them (``maxLength``, ``minimum``/``maximum``, ``enum``,
``maxItems``); :func:`context_column` normalises one column and reports the cells that break them.

>>> RULES["device_info.os_family"].kind, RULES["app_info.window_width"].high
('enum', 30720)
>>> errors = []
>>> context_column(pd.Series(["iOS", "beos"]), "device_info.os_family", lambda bad, text: errors.append(
...     (bad.tolist(), text)), "device_info.os_family").tolist()
['ios', <NA>]
>>> errors[0][0]
[False, True]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dtypes import TEXT

#: The event objects this module covers.
OBJECTS = ("app_info", "device_info")


class Rule(NamedTuple):
    """What one field may hold: a kind (``str``, ``int``, ``enum``, ``str_list``) and its limits."""

    kind: str
    max_length: int | None = None
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()
    max_items: int | None = None


def _strings(prefix: str, limits: dict[int, str]) -> dict[str, Rule]:
    return {prefix + name: Rule("str", max_length=n) for n, names in limits.items() for name in names.split()}


def _ints(prefix: str, limits: dict[int, str]) -> dict[str, Rule]:
    return {prefix + name: Rule("int", low=0, high=n) for n, names in limits.items() for name in names.split()}


#: Every ``app_info`` / ``device_info`` field with the 5.23.0 spec's constraints.
RULES: dict[str, Rule] = {
    **_strings("app_info.", {200: "app_id app_name app_package_name", 100: "app_store app_version",
                             16384: "user_agent"}),
    "app_info.install_time": Rule("int", low=0),
    **_ints("app_info.", {30720: "window_height window_width"}),
    **_strings("device_info.", {100: "brand carrier kernel_version model os_name os_release_name os_version type",
                                35: "locale", 40: "timezone", 5: "timezone_abbr"}),
    **_ints("device_info.", {100: "battery_level", 1152: "cpu_cores", 100000: "screen_density",
                             30720: "screen_height screen_width",
                             1048576: "external_storage_free_space external_storage_size storage_free_space "
                                      "storage_size"}),
    "device_info.form_factor": Rule("enum", choices=("desktop", "laptop", "cellphone", "tablet", "smartwatch", "tv",
                                                     "vr", "console", "other")),
    "device_info.network_type": Rule("enum", choices=("wifi", "cellular_2g", "cellular_3g", "cellular_4g",
                                                      "cellular_5g", "cellular_6g", "ethernet", "unknown")),
    "device_info.os_family": Rule("enum", choices=("ios", "android", "macos", "windows", "linux", "bsd", "other")),
    "device_info.languages": Rule("str_list", max_items=100),
}

Report = Callable[[pd.Series, str], None]


def _text(values: pd.Series) -> pd.Series:
    text = values.astype(TEXT).str.strip()
    return text.mask(text == "")


def _ints_of(values: pd.Series, rule: Rule, report: Report, label: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):  # install_time given as a timestamp
        stamps = values.dt.tz_localize("UTC") if values.dt.tz is None else values
        values = pd.Series((stamps.astype("int64") // 10**9).where(stamps.notna()), index=values.index)
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.notna() & (numbers % 1 == 0)
    report(values.notna() & ~whole, f"{label} is not a whole number")
    out_of_range = whole & ((numbers < rule.low) | (rule.high is not None and numbers > rule.high))
    bounds = f"{rule.low} to {rule.high}" if rule.high is not None else f"at least {rule.low}"
    report(out_of_range, f"{label} must be {bounds} (the 5.23 spec's limits)")
    return numbers.where(whole & ~out_of_range).astype("Int64")


def _lists(values: pd.Series, rule: Rule, report: Report, label: str) -> pd.Series:
    def one(cell):
        if isinstance(cell, (list, tuple, np.ndarray)):
            items = [str(v).strip() for v in cell]
        elif cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
            return None
        else:
            text = str(cell).strip()
            parsed = json.loads(text) if text.startswith("[") else None
            items = [str(v).strip() for v in parsed] if isinstance(parsed, list) else text.split(",")
        return [v.strip().lower() for v in items if v.strip()] or None

    out = values.astype(object).map(one)
    long = out.map(lambda v: v is not None and len(v) > rule.max_items).astype(bool)
    report(long, f"{label} holds more than {rule.max_items} items (the 5.23 spec's maxItems)")
    return out.mask(long, None)


def context_column(values: pd.Series, path: str, report: Report, label: str) -> pd.Series:
    """One ``app_info``/``device_info`` column normalised: strings stripped, enum values lower-cased,
    whole numbers as ``Int64``, ``languages`` as lists (from lists, JSON arrays or ``"en,de"``).
    Cells that break :data:`RULES` become missing and are reported with ``report(mask, message)``.

    >>> context_column(pd.Series(["en, DE", None]), "device_info.languages", lambda bad, text: None, "x").tolist()
    [['en', 'de'], None]
    """
    rule = RULES[path]
    if rule.kind == "int":
        return _ints_of(values, rule, report, label)
    if rule.kind == "str_list":
        return _lists(values, rule, report, label)
    text = _text(values)
    if rule.kind == "enum":
        text = text.str.lower()
        bad = text.notna() & ~text.isin(rule.choices)
        report(bad, f"{label} must be one of {', '.join(rule.choices)}")
        return text.mask(bad)
    long = text.notna() & (text.str.len() > rule.max_length)
    report(long.fillna(False).astype(bool), f"{label} is longer than {rule.max_length} characters (the 5.23 spec's "
                                            f"maxLength)")
    return text.mask(long)
