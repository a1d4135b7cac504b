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


def entity_handlers(kind: str, model: str, path_param: str, not_found_name: str,
                    single_exception: bool = False) -> dict[str, Callable]:
    """The get / create / update handlers of campaigns, ad groups or ads, which differ only in
    names (``kind`` is the operationId prefix, ``model`` the ``EmulatorState`` attribute).

    Example:
        >>> sorted(entity_handlers("ads", "ads", "ad_id", "Ad", single_exception=True))
        ['ads/create', 'ads/get', 'ads/update']
    """
    from flask import request

    from pintools.emulator.errors import not_found
    from pintools.emulator.routes import params

    def get(state, ad_account_id: str, **path: str) -> dict:
        account_id = params.path_id(ad_account_id, "ad_account_id")
        entity_id = params.path_id(path[path_param], path_param)
        state.accounts.require(account_id)
        body = getattr(state, model).get(account_id, entity_id)
        if body is None:
            raise not_found(not_found_name)
        return body

    def write(method: str):
        def handler(state, ad_account_id: str) -> dict:
            account_id = params.path_id(ad_account_id, "ad_account_id")
            items = params.batch_items(request)
            state.accounts.require(account_id)
            one = getattr(getattr(state, model), method)
            return run_batch(items, lambda item: one(account_id, item), single_exception=single_exception)

        handler.__name__ = f"{method.removesuffix('_one')}_{model}"
        handler.__doc__ = f"{method.removesuffix('_one').capitalize()} 1..30 {kind}; per-item results in input order."
        return handler

    get.__name__, get.__doc__ = f"get_{model}", f'One of {kind} (404 code 2 "{not_found_name} not found.").'
    return {f"{kind}/get": get, f"{kind}/create": write("create_one"), f"{kind}/update": write("update_one")}
