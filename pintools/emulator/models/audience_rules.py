"""``AudienceRule`` checks for ``audiences/create`` and ``audiences/update`` (spec 5.12.0 = 5.23.0).

What the spec states, enforced here (every problem is a :class:`QueryError`, i.e. the route's 400):

- the types and id patterns of the rule's fields (ids ``^\\d+$``; arrays where the schema says array);
- ``retention_days`` "Accepted range is 1-540"; ``percentage`` "should be 1-10";
  ``engager_type`` "should be 1-2";
- ``engagement_domain`` is "**Required** for ENGAGEMENT";
- ``engagement_type``: "Supported values are click, save, closeup, comment and like";
- ``event_source`` / ``ingestion_source``: ``{"=": [values]}`` with the values the text lists
  (web, mobile, offline / tag, mmp, file_upload, conversions_api);
- ``objective_type`` items are ``ObjectiveType`` values;
- ``country``: "Valid countries include: US, CA, and GB". Read here as the whole list, so other
  countries are refused; "include" may mean Pinterest takes more.

Emulator choices where the spec is silent (its per-type "example rule formats" show these keys
but never call them required):

- CUSTOMER_LIST needs ``customer_list_id``; ACTALIKE needs ``seed_id`` (1+ ids), ``country`` and
  ``percentage``; VISITOR needs ``visitor_source_id``. That the ids belong to the same ad account
  is checked by :mod:`pintools.emulator.models.audiences`.
- ``event`` (VISITOR) is any non-empty string: the text lists pagevisit … custom and "also
  accepts a partner-defined Pinterest tag event".
- PERSONA has no documented rule format: any object passes the per-type step.
- Keys the schema does not list are kept as sent (it does not forbid additional properties).

Example:
    >>> check_rule({"customer_list_id": "5497558859876"}, "CUSTOMER_LIST")
    {'customer_list_id': '5497558859876'}
    >>> check_rule({"seed_id": ["2542620639259"], "country": "DE", "percentage": 3}, "ACTALIKE")
    Traceback (most recent call last):
    ...
    pintools.emulator.errors.QueryError: rule.country must be one of US, CA, GB.
"""

from __future__ import annotations

import re

from pintools.emulator import enums
from pintools.emulator.errors import QueryError

_DIGITS = re.compile(r"^\d+$")
RETENTION_DAYS = (1, 540)
PERCENTAGE = (1, 10)
ENGAGER_TYPES = (1, 2)
EVENT_SOURCES = ("web", "mobile", "offline")
INGESTION_SOURCES = ("tag", "mmp", "file_upload", "conversions_api")
# Keys an audience type cannot do without (see the module doc: spec "Required" or emulator choice).
REQUIRED_KEYS = {
    "CUSTOMER_LIST": ("customer_list_id",),
    "ACTALIKE": ("seed_id", "country", "percentage"),
    "VISITOR": ("visitor_source_id",),
    "ENGAGEMENT": ("engagement_domain",),
    "PERSONA": (),
}


def _digits(value, name: str) -> str:
    if not isinstance(value, str) or not _DIGITS.match(value):
        raise QueryError(f"{name} must be a numeric string id.")
    return value


def _digit_list(value, name: str) -> list[str]:
    if not isinstance(value, list):
        raise QueryError(f"{name} must be an array of numeric string ids.")
    return [_digits(v, name) for v in value]


def _string(value, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QueryError(f"{name} must be a non-empty string.")
    return value


def _string_list(value, name: str) -> list[str]:
    if not isinstance(value, list):
        raise QueryError(f"{name} must be an array of strings.")
    return [_string(v, name) for v in value]


def _int_in(value, name: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError(f"{name} must be an integer.")
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}.")
    return value


def _choice(choices: tuple[str, ...]):
    def check(value, name: str) -> str:
        if value not in choices:
            raise QueryError(f"{name} must be one of {', '.join(choices)}.")
        return value

    return check


def _sources(choices: tuple[str, ...]):
    def check(value, name: str) -> dict:
        if not isinstance(value, dict):
            raise QueryError(f"{name} must be an object like {{\"=\": [...]}}.")
        if "=" in value:
            values = value["="]
            if not isinstance(values, list) or any(v not in choices for v in values):
                raise QueryError(f"{name}[\"=\"] must be an array of {', '.join(choices)}.")
        return value

    return check


def _boolean(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise QueryError(f"{name} must be a boolean.")
    return value


def _object(value, name: str) -> dict:
    if not isinstance(value, dict):
        raise QueryError(f"{name} must be an object.")
    return value


def _objectives(value, name: str) -> list[str]:
    if not isinstance(value, list):
        raise QueryError(f"{name} must be an array.")
    return [_choice(enums.OBJECTIVE_TYPES)(v, name) for v in value]


CHECKERS = {
    "ad_account_id": _digits,
    "ad_id": _digit_list,
    "campaign_id": _digit_list,
    "country": _choice(enums.ACTALIKE_COUNTRIES),
    "customer_list_id": _digits,
    "engagement_domain": _string_list,
    "engagement_type": _choice(enums.ENGAGEMENT_TYPES),
    "engager_type": lambda v, n: _int_in(v, n, ENGAGER_TYPES),
    "event": _string,
    "event_data": _object,
    "event_source": _sources(EVENT_SOURCES),
    "ingestion_source": _sources(INGESTION_SOURCES),
    "objective_type": _objectives,
    "percentage": lambda v, n: _int_in(v, n, PERCENTAGE),
    "pin_id": _digit_list,
    "prefill": _boolean,
    "retention_days": lambda v, n: _int_in(v, n, RETENTION_DAYS),
    "seed_id": _digit_list,
    "url": _string_list,
    "visitor_source_id": _digits,
}


def check_rule(rule, audience_type: str) -> dict:
    """A checked copy of an ``AudienceRule`` for an audience type (see the module doc).

    Example:
        >>> check_rule({"engagement_domain": ["www.juniperandsage.com"], "engager_type": 3}, "ENGAGEMENT")
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.QueryError: rule.engager_type must be between 1 and 2.
    """
    if not isinstance(rule, dict):
        raise QueryError("rule must be an object.")
    out = {}
    for key, value in rule.items():
        check = CHECKERS.get(key)
        if value is None:
            raise QueryError(f"rule.{key} cannot be null.")
        out[key] = check(value, f"rule.{key}") if check else value
    for key in REQUIRED_KEYS[audience_type]:
        if key not in out:
            raise QueryError(f"rule.{key} is required for {audience_type} audiences.")
    if audience_type == "ACTALIKE" and not out["seed_id"]:
        raise QueryError("rule.seed_id must name at least one audience.")
    if audience_type == "ENGAGEMENT" and not out["engagement_domain"]:
        raise QueryError("rule.engagement_domain must name at least one domain.")
    return out
