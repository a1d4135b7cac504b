"""Bulk request bodies (digest §13), checked: ``BulkUpsertRequest`` and ``BulkDownloadRequest``.

Upsert: ``create`` and ``update`` are optional objects of optional lists ``campaigns``,
``ad_groups``, ``ads``, ``product_groups``, ``keywords``. The spec sets no ``maxItems``; the
emulator caps each list (default 1000, configurable) and answers 400 over it, for an unknown
list name, for a list that is not an array, and for a request with no item at all. The cap is
the emulator's guess, and its 400 says so (``set_bulk_behaviour(max_items_per_list=…)`` moves it). Items are
not checked here: each one succeeds or fails on its own when the job runs.

Download: ``entity_types`` 1..5 of ``BulkEntityType`` (all five when absent), ``entity_ids``
(numeric strings; empty = no id condition), ``updated_since`` (Unix seconds as a string), ``campaign_filter``
(``start_time``/``end_time`` strings of Unix seconds, ``name``, ``campaign_status[]``,
``objective_type[]``) and ``output_format`` CSV or JSON (default JSON).

Example:
    >>> parse_upsert({"update": {"ad_groups": [{"id": "1", "status": "PAUSED"}]}}, max_items=1000)
    {'update': {'ad_groups': [{'id': '1', 'status': 'PAUSED'}]}}
    >>> parse_download({"entity_types": ["CAMPAIGN"], "output_format": "CSV"}).output_format
    'CSV'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pintools.emulator import enums
from pintools.emulator.errors import QueryError

ACTIONS = ("create", "update")
LISTS = ("campaigns", "ad_groups", "ads", "product_groups", "keywords")
ENTITY_TYPES = ("CAMPAIGN", "AD_GROUP", "PRODUCT_GROUP", "AD", "KEYWORD")  # BulkEntityType, spec order
ENTITY_TYPE_OF = {"campaigns": "CAMPAIGN", "ad_groups": "AD_GROUP", "ads": "AD", "product_groups": "PRODUCT_GROUP",
                  "keywords": "KEYWORD"}
OUTPUT_FORMATS = ("CSV", "JSON")
DEFAULT_MAX_ITEMS = 1000
CAMPAIGN_FILTER_KEYS = ("start_time", "end_time", "name", "campaign_status", "objective_type")
_DIGITS = re.compile(r"^\d+$")


def parse_upsert(body, max_items: int = DEFAULT_MAX_ITEMS) -> dict[str, dict[str, list]]:
    """``{action: {list: items}}`` of the non-empty lists; QueryError when the body is unusable.

    Example:
        >>> parse_upsert({"create": {"ad_groups": [{}, {}]}}, max_items=1)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.QueryError: create.ad_groups holds 2 items; the emulator accepts at most 1 per list ...
    """
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object.")
    unknown = sorted(set(body) - set(ACTIONS))
    if unknown:
        raise QueryError(f"Unknown fields {unknown}: a bulk upsert holds only create and update.")
    parsed: dict[str, dict[str, list]] = {}
    for action in ACTIONS:
        part = body.get(action)
        if part is None:
            continue
        if not isinstance(part, dict):
            raise QueryError(f"{action} must be an object.")
        unknown = sorted(set(part) - set(LISTS))
        if unknown:
            raise QueryError(f"Unknown lists {unknown} in {action}; the lists are {', '.join(LISTS)}.")
        for name in LISTS:
            items = part.get(name)
            if items is None:
                continue
            if not isinstance(items, list):
                raise QueryError(f"{action}.{name} must be an array.")
            if len(items) > max_items:
                raise QueryError(f"{action}.{name} holds {len(items)} items; "
                                 f"the emulator accepts at most {max_items} per list (its guess: Pinterest's "
                                 f"spec sets no limit on a bulk list).")
            if items:
                parsed.setdefault(action, {})[name] = items
    if not parsed:
        raise QueryError("The bulk request holds no items.")
    return parsed


@dataclass(frozen=True)
class CampaignFilter:
    """``campaign_filter`` of a bulk download (None = no condition)."""

    start_time: int | None = None
    end_time: int | None = None
    name: str | None = None
    campaign_status: tuple[str, ...] | None = None
    objective_type: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DownloadSpec:
    """A checked ``BulkDownloadRequest``."""

    entity_types: tuple[str, ...] = ENTITY_TYPES
    entity_ids: tuple[str, ...] | None = None
    updated_since: int | None = None
    campaign_filter: CampaignFilter | None = None
    output_format: str = "JSON"


def _seconds(value, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DIGITS.match(value):
        raise QueryError(f"{name} must be a string of Unix seconds.")
    return int(value)


def _enum_list(value, name: str, choices: tuple[str, ...]) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or any(v not in choices for v in value):
        raise QueryError(f"{name} must be an array of {', '.join(choices)}.")
    return tuple(value)


def _campaign_filter(raw) -> CampaignFilter | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise QueryError("campaign_filter must be an object.")
    unknown = sorted(set(raw) - set(CAMPAIGN_FILTER_KEYS))
    if unknown:
        raise QueryError(f"Unknown campaign_filter fields {unknown}.")
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise QueryError("campaign_filter.name must be a string.")
    return CampaignFilter(
        start_time=_seconds(raw.get("start_time"), "campaign_filter.start_time"),
        end_time=_seconds(raw.get("end_time"), "campaign_filter.end_time"),
        name=name,
        campaign_status=_enum_list(raw.get("campaign_status"), "campaign_filter.campaign_status",
                                   enums.SUMMARY_STATUSES),
        objective_type=_enum_list(raw.get("objective_type"), "campaign_filter.objective_type", enums.OBJECTIVE_TYPES),
    )


def parse_download(body) -> DownloadSpec:
    """The :class:`DownloadSpec` of a ``BulkDownloadRequest`` body; QueryError when it is bad.

    Example:
        >>> parse_download({"entity_types": []})
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.QueryError: entity_types must hold 1 to 5 of CAMPAIGN, AD_GROUP, PRODUCT_GROUP, AD, KEYWORD.
    """
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object.")
    unknown = sorted(set(body) - {"entity_types", "entity_ids", "updated_since", "campaign_filter", "output_format"})
    if unknown:
        raise QueryError(f"Unknown fields {unknown}.")
    types = body.get("entity_types")
    if types is None:
        types = list(ENTITY_TYPES)
    if (not isinstance(types, list) or not 1 <= len(types) <= len(ENTITY_TYPES)
            or any(t not in ENTITY_TYPES for t in types)):
        raise QueryError(f"entity_types must hold 1 to 5 of {', '.join(ENTITY_TYPES)}.")
    ids = body.get("entity_ids")
    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) and _DIGITS.match(i) for i in ids)):
        raise QueryError("entity_ids must be an array of numeric id strings.")
    output_format = body.get("output_format", "JSON")
    if output_format not in OUTPUT_FORMATS:
        raise QueryError("output_format must be CSV or JSON.")
    return DownloadSpec(
        entity_types=tuple(t for t in ENTITY_TYPES if t in types),
        entity_ids=tuple(ids) if ids else None,
        updated_since=_seconds(body.get("updated_since"), "updated_since"),
        campaign_filter=_campaign_filter(body.get("campaign_filter")),
        output_format=output_format,
    )
