"""Small helpers shared by the services: argument checks and chunking.

>>> check_id("549755885175", "ad_account_id")
'549755885175'
>>> list(chunks([1, 2, 3, 4, 5], 2))
[[1, 2], [3, 4], [5]]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
_ID = re.compile(r"^\d{1,19}$")


def check_id(value: object, name: str) -> str:
    """A Pinterest id as a string of digits; anything else is a ``ValueError`` naming ``name``.

    Ints are accepted (and turned into strings); floats are refused because a float has
    already lost the last digits of an 18-digit id.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(
            f"{name} must be a string of digits, got the {type(value).__name__} {value!r}; "
            f"Pinterest ids are too long for floats — read id columns as text (dtype=str)"
        )
    text = str(value).strip() if isinstance(value, (str, int)) else None
    if text is None or not _ID.match(text):
        raise ValueError(f"{name} must be a string of digits (a Pinterest id), got {value!r}")
    return text


def check_ids(values: Iterable[object] | None, name: str) -> list[str] | None:
    """``check_id`` over a list, keeping order and dropping duplicates; ``None`` stays ``None``."""
    if values is None:
        return None
    if isinstance(values, (str, int)):
        values = [values]
    out: dict[str, None] = {}
    for v in values:
        out[check_id(v, name)] = None
    return list(out)


def check_accounts(value: object) -> list[str]:
    """One ad account id, or a non-empty list/tuple/Series of them → checked ids (order kept,
    duplicates dropped); an empty list is an error.

    >>> check_accounts("549755885175"), check_accounts(["1", "2", "1"])
    (['549755885175'], ['1', '2'])
    """
    if isinstance(value, (str, bytes, int, float)) or not isinstance(value, Iterable):
        return [check_id(value, "ad_account_id")]  # a float is refused with the reason
    accounts = check_ids(value, "ad_account_id") or []
    if not accounts:
        raise ValueError("give at least one ad account id (the list is empty)")
    return accounts


def check_enum(values: Iterable[str] | None, allowed: Sequence[str], name: str) -> list[str] | None:
    """Upper-cased enum values, each one of ``allowed``; an unknown one names the valid set."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    out = []
    for v in values:
        up = str(v).strip().upper()
        if up not in allowed:
            raise ValueError(f"{name}: {v!r} is not one of {', '.join(allowed)}")
        out.append(up)
    return out


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start:start + size])
