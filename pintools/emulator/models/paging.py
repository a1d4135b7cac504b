"""Bookmark paging (digest §1.5): opaque bookmarks bound to the filters that made them.

A bookmark is urlsafe base64 of ``"<last id>:<filter hash>"``. The next page holds the items
after (ASCENDING) or before (DESCENDING) that id, so inserts and deletes between calls never
repeat or skip survivors. A bookmark made under other filters is rejected (:class:`QueryError`).

Example:
    >>> items = [{"id": str(i)} for i in range(1, 6)]
    >>> first, mark = page(items, page_size=2, bookmark=None, filters={"f": 1})
    >>> [i["id"] for i in first], mark is not None
    (['1', '2'], True)
    >>> second, _ = page(items, page_size=2, bookmark=mark, filters={"f": 1})
    >>> [i["id"] for i in second]
    ['3', '4']
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import json

from pintools.emulator.errors import QueryError

MIN_PAGE_SIZE = 1
MAX_PAGE_SIZE = 250
DEFAULT_PAGE_SIZE = 25


def filter_hash(filters: dict) -> str:
    """A short stable hash of the filters (order-insensitive JSON).

    Example:
        >>> filter_hash({"a": 1}) == filter_hash({"a": 1})
        True
    """
    text = json.dumps(filters, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_bookmark(last_id: str, filters: dict) -> str:
    """The bookmark for "continue after ``last_id`` under ``filters``"."""
    raw = f"{last_id}:{filter_hash(filters)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_bookmark(bookmark: str, filters: dict) -> int:
    """The last id of a bookmark; :class:`QueryError` when malformed or made under other filters.

    Example:
        >>> decode_bookmark(encode_bookmark("42", {}), {})
        42
    """
    try:
        padded = bookmark + "=" * (-len(bookmark) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        last_id, digest = text.split(":", 1)
        if not last_id.isdigit():
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise QueryError("bookmark is not valid.") from None
    if digest != filter_hash(filters):
        raise QueryError("bookmark does not match these filters.")
    return int(last_id)


def _numeric_id(item: dict) -> int:
    return int(item["id"])


def page(items: list[dict], page_size: int, bookmark: str | None, filters: dict, descending: bool = False,
         render=None):
    """One page of ``items`` (any order; sorted here by numeric id) and the next bookmark or None.

    ``render`` (record → response object) is applied to the page's items only, so a list of
    thousands of records costs one page of rendering per call.

    Example:
        >>> page([{"id": "7"}], 25, None, {})[1] is None
        True
    """
    if bookmark:
        last = decode_bookmark(bookmark, filters)
        if descending:
            items = [item for item in items if int(item["id"]) < last]
        else:
            items = [item for item in items if int(item["id"]) > last]
    # a bounded heap, not a sort: listing 10,000 records page by page stays linear per page
    first = (heapq.nlargest if descending else heapq.nsmallest)(page_size + 1, items, key=_numeric_id)
    chunk = first[:page_size]
    more = len(first) > page_size
    next_mark = encode_bookmark(chunk[-1]["id"], filters) if more and chunk else None
    return ([render(item) for item in chunk] if render else chunk), next_mark
