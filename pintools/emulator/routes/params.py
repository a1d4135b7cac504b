"""Query, path and body parsing shared by the route handlers.

Array parameters accept both encodings (digest §1.6): repeated keys (``a=1&a=2``) and
comma-joined values (``a=1,2``). Every problem raises :class:`QueryError`, which the app
answers as the route family's 400 (e.g. "Invalid ad account campaign parameters. ...").

Example:
    >>> from werkzeug.datastructures import MultiDict
    >>> id_list(MultiDict([("campaign_ids", "1,2"), ("campaign_ids", "3")]), "campaign_ids")
    ['1', '2', '3']
"""

from __future__ import annotations

import re

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models.common import MAX_BATCH_ITEMS, MAX_FILTER_IDS
from pintools.emulator.models.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MIN_PAGE_SIZE

_ID = re.compile(r"^\d+$")
MAX_PATH_ID_LENGTH = 18  # path_*_id maxLength


def array(args, name: str) -> list[str] | None:
    """Values of an array parameter in either encoding; None when absent.

    Example:
        >>> from werkzeug.datastructures import MultiDict
        >>> array(MultiDict([("entity_statuses", "ACTIVE")]), "entity_statuses")
        ['ACTIVE']
    """
    if name not in args:
        return None
    values = [part.strip() for raw in args.getlist(name) for part in raw.split(",")]
    values = [v for v in values if v]
    if not values:
        raise QueryError(f"{name} must not be empty.")
    return values


def id_list(args, name: str, max_items: int = MAX_FILTER_IDS) -> list[str] | None:
    """An id-array filter: 1..``max_items`` numeric strings."""
    values = array(args, name)
    if values is None:
        return None
    if len(values) > max_items:
        raise QueryError(f"{name} accepts at most {max_items} ids.")
    for value in values:
        if not _ID.match(value):
            raise QueryError(f"{name} must contain numeric ids only.")
    return values


def enum_list(args, name: str, choices: tuple[str, ...], max_items: int | None = None) -> list[str] | None:
    """An enum-array parameter (e.g. ``entity_statuses``, ``match_types``)."""
    values = array(args, name)
    if values is None:
        return None
    if max_items is not None and len(values) > max_items:
        raise QueryError(f"{name} accepts at most {max_items} values.")
    for value in values:
        if value not in choices:
            raise QueryError(f"{name} values must be among {', '.join(choices)}.")
    return values


def entity_statuses(args) -> list[str] | None:
    """``entity_statuses`` (default applied by the models: ACTIVE and PAUSED)."""
    return enum_list(args, "entity_statuses", enums.ENTITY_STATUSES)


def page_size(args) -> int:
    """``page_size``: integer 1..250, default 25."""
    raw = args.get("page_size")
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise QueryError("page_size must be an integer.") from None
    if not MIN_PAGE_SIZE <= size <= MAX_PAGE_SIZE:
        raise QueryError(f"page_size must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}.")
    return size


def bookmark(args) -> str | None:
    """``bookmark`` (an empty value counts as absent)."""
    return args.get("bookmark") or None


def descending(args) -> bool:
    """``order``: ASCENDING (default) or DESCENDING."""
    raw = args.get("order")
    if raw is None:
        return False
    if raw not in enums.ORDERS:
        raise QueryError("order must be ASCENDING or DESCENDING.")
    return raw == "DESCENDING"


def boolean(args, name: str, default: bool) -> bool:
    """A boolean query parameter (``true``/``false``, case-insensitive)."""
    raw = args.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise QueryError(f"{name} must be true or false.")


def single_id(args, name: str) -> str | None:
    """A single numeric-id query parameter (``campaign_id``, ``ad_group_id``)."""
    raw = args.get(name)
    if raw is None:
        return None
    if not _ID.match(raw) or len(raw) > MAX_PATH_ID_LENGTH:
        raise QueryError(f"{name} must be a numeric id.")
    return raw


def path_id(value: str, name: str) -> str:
    """A path id: ``^\\d+$``, at most 18 characters."""
    if not _ID.match(value) or len(value) > MAX_PATH_ID_LENGTH:
        raise QueryError(f"{name} must be a numeric id of at most {MAX_PATH_ID_LENGTH} digits.")
    return value


def only_one(**filters) -> None:
    """At most one kind of id filter ("Provide only ... Do not provide more than one type.")."""
    given = [name for name, value in filters.items() if value]
    if len(given) > 1:
        raise QueryError(f"Provide only one of {', '.join(filters)}; got {', '.join(given)}.")


def json_body(request):
    """The parsed JSON body; QueryError when it is missing or not JSON."""
    body = request.get_json(silent=True)
    if body is None:
        raise QueryError("The request body must be JSON.")
    return body


def batch_items(request) -> list:
    """A batch-write body: a JSON array of 1..30 items."""
    body = json_body(request)
    if not isinstance(body, list):
        raise QueryError("The request body must be a JSON array.")
    if not 1 <= len(body) <= MAX_BATCH_ITEMS:
        raise QueryError(f"The request body must hold 1 to {MAX_BATCH_ITEMS} items; got {len(body)}.")
    return body
