"""The request log: one entry per ``/v5`` request, oldest first, never holding credentials.

Request bodies are kept serialised (:class:`LoggedBody`), rebuilt when read: a million logged
conversion events as dicts and lists are millions of objects for Python's garbage collector to
walk on every full collection (pauses that stalled the emulator's answers under load); one bytes
object per body is nothing to walk.

Example:
    >>> log = RequestLog()
    >>> entry = log.open(method="GET", path="/v5/ad_accounts", route="/ad_accounts",
    ...                  operation_id="ad_accounts/list", category="ads_read", query={}, json=None)
    >>> log.close(entry, 200, None); log.entries()[0]["status"]
    200
"""

from __future__ import annotations

import copy
import marshal
import time

MAX_ENTRIES = 100_000


class LoggedBody:
    """A JSON request body held as :mod:`marshal` bytes (five times faster to write than JSON text,
    and exact for every JSON value; made and read in this process only); :meth:`value` rebuilds it
    (a new object each time).
    ``lengths`` keeps the length of each top-level array of an object body (the event count of a
    conversions call), so a summary needs no parse.

    Example:
        >>> body = LoggedBody({"data": [{"event_id": "e1"}, {"event_id": "e2"}]})
        >>> body.value()["data"][1], body.lengths
        ({'event_id': 'e2'}, {'data': 2})
    """

    __slots__ = ("data", "lengths")

    def __init__(self, value) -> None:
        self.data = marshal.dumps(value)
        self.lengths = ({key: len(item) for key, item in value.items() if isinstance(item, list)}
                        if isinstance(value, dict) else {})

    def value(self):
        """The body, rebuilt from the kept bytes."""
        return marshal.loads(self.data)


def _compact(body):
    """An object or array body as a :class:`LoggedBody`; anything else (None, text) as it is."""
    if isinstance(body, (dict, list)):
        try:
            return LoggedBody(body)
        except ValueError:  # not plain data (never from a parsed request): kept as it is
            return body
    return body


class RequestLog:
    """Entries ``{"seq", "time", "method", "path", "route", "operation_id", "category", "query",
    "json", "status", "fault"}``. Not thread-safe by itself: the state lock guards it.

    Example:
        >>> RequestLog().entries()
        []
    """

    def __init__(self):
        self._entries: list[dict] = []
        self._seq = 0

    def open(self, *, method, path, route, operation_id, category, query, json) -> dict:
        """Record a request as it arrives (status ``None`` until :meth:`close`)."""
        self._seq += 1
        entry = {
            "seq": self._seq,
            "time": time.time(),
            "method": method,
            "path": path,
            "route": route,
            "operation_id": operation_id,
            "category": category,
            "query": query,
            "json": _compact(json),
            "status": None,
            "fault": None,
        }
        self._entries.append(entry)
        if len(self._entries) > MAX_ENTRIES:
            del self._entries[: len(self._entries) - MAX_ENTRIES]
        return entry

    @staticmethod
    def close(entry: dict, status: int, fault: str | None) -> None:
        """Fill in the answered status and the fault kind (if one fired)."""
        entry["status"] = status
        if fault:
            entry["fault"] = fault

    def entries(self, operation_id: str | None = None, method: str | None = None) -> list[dict]:
        """Copies of the entries, filtered by operationId and/or method (bodies parsed back)."""
        method = method.upper() if method else None
        return [
            _copy(e)
            for e in self._entries
            if (operation_id is None or e["operation_id"] == operation_id) and (method is None or e["method"] == method)
        ]

    def scan(self, operation_id: str) -> list[dict]:
        """The live entries of one operation, not copied: read them under the state lock and do not
        change them. ``json`` is as kept: a :class:`LoggedBody` for an object or array body (a
        summary over large bodies, such as 1,000-event conversion calls, then parses none)."""
        return [e for e in self._entries if e["operation_id"] == operation_id]

    def clear(self) -> None:
        """Forget every entry (sequence numbers keep counting)."""
        self._entries.clear()


def _copy(entry: dict) -> dict:
    body = entry["json"]
    copied = copy.deepcopy({key: value for key, value in entry.items() if key != "json"})
    copied["json"] = body.value() if isinstance(body, LoggedBody) else copy.deepcopy(body)
    return {key: copied[key] for key in entry}  # the entry's key order
