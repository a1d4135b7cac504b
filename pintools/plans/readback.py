"""Read-back is the truth: each row's outcome comes from what Pinterest holds after the write.

:func:`observe` re-reads the entities of some plan rows and says, per row, whether the change
is in place:

* an update — the field holds the planned value (targeting compared per type, as sets);
* a create — exactly one entity with the create's natural key (campaign / ad group: its name
  under the parent; keyword: text and match type under the parent) that did not exist before
  the request (``pre_existing``); several such entities are ambiguous unless a hint names one;
* a keyword match-type change — the new keyword exists *and* the old one is archived; the parts
  still missing are named, so a resume sends only those.

:func:`outcome` turns an observation into a row result, given whether the request is known
to have finished: ``applied`` when in place; ``failed`` when the request finished without
putting it in place (the response's message, if any, says why); ``unknown`` when it cannot be
decided; ``None`` when it did not land and the request did not run (still to send).

>>> outcome(Observation(landed=False, holds="Pinterest holds 4.95 USD"), None, finished=True).result
'failed'
>>> outcome(Observation(landed=True, value=5), None, finished=False).result
'applied'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .checks import same_value, shown
from .current import Listings, natural_key, parent_of, read_updated
from .hints import Hint

if TYPE_CHECKING:
    from ..client import Client


@dataclass(frozen=True)
class Observation:
    """What read-back found for one row."""

    landed: bool | None  # None: ambiguous (several candidates for a create)
    value: Any = None  # the field's value now (updates), the new keyword's match type
    created_id: str | None = None
    holds: str = ""  # what Pinterest holds instead, for messages
    missing: frozenset[str] = field(default_factory=frozenset)  # match-type parts still to do
    candidates: tuple[str, ...] = ()  # ids a create could be (ambiguous)


@dataclass(frozen=True)
class Decision:
    """A row's result (None: not in place and never attempted: still to send)."""

    result: str | None
    message: str = ""
    created_id: str | None = None
    read_back: Any = None


def observe(client: "Client", rows: pd.DataFrame, pre_existing: Mapping[int, list[str]] | None = None,
            hints: Mapping[int, Hint] | None = None) -> dict[int, Observation]:
    """Re-read the entities of ``rows`` (a slice of ``plan.changes``); an observation per row.
    ``pre_existing``: per create row, the ids that already held its natural key before it was
    sent. ``hints``: per row, what a response said (used only to pick among several candidates)."""
    pre_existing, hints = pre_existing or {}, hints or {}
    listings = Listings(client)
    current = read_updated(client, rows, listings)
    seen: dict[int, Observation] = {}
    for r in rows.to_dict("records"):
        row = int(r["row"])
        if r["action"] == "create":
            body = r["after"] if isinstance(r["after"], dict) else {}
            parent = parent_of(r["entity_type"], r["ad_account_id"], body, r.get("parent_id"))
            found = _new(listings, r["ad_account_id"], r["entity_type"], parent, natural_key(r["entity_type"], body),
                         pre_existing.get(row, []))
            seen[row] = _created(found, hints.get(row), f"no new {r['entity_type']} {body.get('name') or body.get('value')!r} "
                                                        f"under {parent}")
        elif r["entity_type"] == "keyword" and r["field"] == "match_type":
            seen[row] = _match_type(r, current.get(("keyword", r["id"])), listings, pre_existing.get(row, []),
                                    hints.get(row))
        else:
            seen[row] = _updated(r, current.get((r["entity_type"], r["id"])))
    return seen


def _new(listings: Listings, account: str, etype: str, parent: str, key: tuple, before: list[str]) -> list[dict]:
    if not parent:
        return []
    return [c for c in listings.matching(account, etype, parent, key) if c["id"] not in set(before)]


def _created(found: list[dict], hint: Hint | None, absent: str) -> Observation:
    if len(found) == 1:
        return Observation(True, created_id=found[0]["id"])
    if not found:
        return Observation(False, holds=absent)
    ids = tuple(sorted(c["id"] for c in found))
    if hint is not None and hint.id in ids:
        return Observation(True, created_id=hint.id)
    return Observation(None, candidates=ids)


def _updated(r: dict, rec: dict | None) -> Observation:
    field_name, target = r["field"], r["after"]
    if rec is None:
        if r["entity_type"] == "keyword":  # Pinterest lists live keywords only: not listed = archived
            return Observation(target is True, value=True, holds="the keyword is archived")
        return Observation(False, holds=f"{r['entity_type']} {r['id']} was not found")
    now = rec.get(field_name)
    if same_value(now, target):
        return Observation(True, value=now)
    return Observation(False, value=now, holds=f"Pinterest holds {shown(now, field_name, r.get('currency'))}, "
                                                f"not {shown(target, field_name, r.get('currency'))}")


def _match_type(r: dict, old: dict | None, listings: Listings, before: list[str], hint: Hint | None) -> Observation:
    key = natural_key("keyword", {"value": r["name"], "match_type": r["after"]})
    new = _created(_new(listings, r["ad_account_id"], "keyword", str(r.get("parent_id") or ""), key, before), hint,
                   "")
    old_live = old is not None and not old.get("archived")
    missing = frozenset(({"create"} if new.landed is False else set()) | ({"archive"} if old_live else set()))
    if new.landed and not old_live:
        return Observation(True, value=r["after"], created_id=new.created_id)
    if new.landed is None:
        return Observation(None, candidates=new.candidates, missing=missing)
    parts = []
    if "create" in missing:
        parts.append(f"the {r['after']} keyword does not exist" + (" and the old one is archived"
                                                                    if not old_live else ""))
    if "archive" in missing:
        parts.append(f"the old {r['before']} keyword is still live")
    return Observation(False, created_id=new.created_id, holds="; ".join(parts), missing=missing)


def outcome(seen: Observation, hint: Hint | None, *, finished: bool, pending: str = "") -> Decision:
    """A row's decision from an observation. ``finished``: the request that carried it is known
    to have run (a PATCH answered, a bulk job SUCCEEDED or FAILED). ``pending``: the message for an
    unfinished request's row that did not land (empty: the row is still to send, result None)."""
    if seen.landed:
        return Decision("applied", "", seen.created_id, seen.value)
    if seen.landed is None:
        return Decision("unknown", f"{len(seen.candidates)} new entities match this create "
                                   f"({', '.join(seen.candidates)}) and nothing says which one pintools made: "
                                   f"check them in Ads Manager and archive the extra one")
    if finished:
        said = hint.message if hint is not None and hint.message else ""
        return Decision("failed", "; ".join(m for m in (said, seen.holds) if m), seen.created_id, seen.value)
    if pending:
        return Decision("unknown", f"{seen.holds}; {pending}" if seen.holds else pending, seen.created_id, seen.value)
    return Decision(None, seen.holds, seen.created_id, seen.value)
