"""Batch-write responses (digest §6): one result per input item, in input order.

Campaigns and ad groups answer ``{"items": [{"data": obj|null, "exceptions": [Exception]}]}``;
ads answer ``exceptions`` as a single object (``AdArrayResponseElement``, §17 #3):
``{"data": obj, "exceptions": null}`` on success, ``{"data": null, "exceptions": {...}}`` on failure.

Example:
    >>> from pintools.emulator.errors import ItemError
    >>> def fail_odd(item):
    ...     if item % 2:
    ...         raise ItemError("odd")
    ...     return {"n": item}
    >>> run_batch([2, 3], fail_odd)["items"][1]
    {'data': None, 'exceptions': [{'code': 1, 'message': 'odd'}]}
"""

from __future__ import annotations

from collections.abc import Callable

from pintools.emulator.errors import ItemError


def run_batch(items: list, handle: Callable, single_exception: bool = False) -> dict:
    """Apply ``handle`` to each item; a failing item never blocks the others."""
    results = []
    for item in items:
        try:
            data = handle(item)
        except ItemError as exc:
            failure = exc.as_exception()
            results.append({"data": None, "exceptions": failure if single_exception else [failure]})
            continue
        results.append({"data": data, "exceptions": None if single_exception else []})
    return {"items": results}
