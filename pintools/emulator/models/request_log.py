"""The request log: one entry per ``/v5`` request, oldest first, never holding credentials.

Example:
    >>> log = RequestLog()
    >>> entry = log.open(method="GET", path="/v5/ad_accounts", route="/ad_accounts",
    ...                  operation_id="ad_accounts/list", category="ads_read", query={}, json=None)
    >>> log.close(entry, 200, None); log.entries()[0]["status"]
    200
"""

from __future__ import annotations

import copy
import time

MAX_ENTRIES = 100_000


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
            "json": json,
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
        """Copies of the entries, filtered by operationId and/or method."""
        method = method.upper() if method else None
        return [
            copy.deepcopy(e)
            for e in self._entries
            if (operation_id is None or e["operation_id"] == operation_id) and (method is None or e["method"] == method)
        ]

    def scan(self, operation_id: str) -> list[dict]:
        """The live entries of one operation, not copied: read them under the state lock and do not
        change them (a summary over large bodies, such as 1,000-event conversion calls, would
        otherwise deep-copy every body first)."""
        return [e for e in self._entries if e["operation_id"] == operation_id]

    def clear(self) -> None:
        """Forget every entry (sequence numbers keep counting)."""
        self._entries.clear()
