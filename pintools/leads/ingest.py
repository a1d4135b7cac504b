"""From a committed delivery to filed leads: decrypt each item and file them all in one transaction.

A delivery's body is committed first (by the receiver); :func:`ingest` then decrypts its items
and hands them to the store's ``file`` in one transaction that also marks the delivery
processed, so a crash leaves either all of a delivery filed or none of it (re-filing is idempotent).
:func:`refile_quarantined` retries the quarantine with the current keys.

>>> from pintools.leads import KeyRing, LeadStore
>>> store = LeadStore(":memory:")
>>> ingest(store, store.save_delivery(b"[]"), [{"lead_id": "1"}], KeyRing())
['quarantined']
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from .crypto import KeyRing, LeadDecryptionError, ciphertext_digest
from .records import Filed, dedupe_key, lead_problem

log = logging.getLogger("pintools.leads")


class FilingStore(Protocol):
    def file(self, delivery_id: int | None, items: list[Filed], *, finish: bool = True) -> list[str]: ...
    def quarantined(self) -> list[dict]: ...


def prepare(items: Iterable[object], keyring: KeyRing, *, delivery_id: int | None) -> list[Filed]:
    """Each item as a :class:`Filed`: keyed, fingerprinted and (when a key fits) decrypted."""
    out = []
    for index, item in enumerate(items):
        problem = lead_problem(item)
        if problem:
            out.append(Filed(key=f"delivery:{delivery_id}:{index}", item=item, error=problem))
            continue
        out.append(open_item(item, keyring))
    return out


def open_item(item: Any, keyring: KeyRing, *, release: str | None = None) -> Filed:
    """One lead-shaped item decrypted with ``keyring`` (or with the reason it could not be)."""
    key = dedupe_key(item)
    try:
        digest = ciphertext_digest(item.get("answers"))
    except LeadDecryptionError as exc:  # the parts do not decode: nothing to fingerprint or decrypt
        return Filed(key=key, item=item, error=str(exc), release=release)
    try:
        answers, subscription_id = keyring.open(item)
    except LeadDecryptionError as exc:
        return Filed(key=key, item=item, digest=digest, error=str(exc), release=release)
    return Filed(key=key, item=item, digest=digest, answers=answers, subscription_id=subscription_id,
                 release=release)


def ingest(store: FilingStore, delivery_id: int, items: list, keyring: KeyRing,
           on_stored: Callable[[dict], None] | None = None) -> list[str]:
    """Decrypt and file the items of one committed delivery; one outcome per item.

    Outcomes: ``stored``, ``duplicate``, ``quarantined`` (no key fits yet), ``replay`` (this
    ciphertext is already stored under another lead id) and ``conflict`` (this lead id is stored
    with other answers); the last two are held (see ``LeadStore.conflicts``). ``on_stored`` is
    called with each newly stored lead (its fields plus decrypted ``answers``) after the commit.
    """
    filed = prepare(items, keyring, delivery_id=delivery_id)
    outcomes = store.file(delivery_id, filed, finish=True)
    report(delivery_id, filed, outcomes)
    if on_stored is not None:
        for f, outcome in zip(filed, outcomes, strict=True):
            if outcome == "stored":
                on_stored({**f.lead_row(), "answers": dict(f.answers or {})})
    return outcomes


def refile_quarantined(store: FilingStore, keyring: KeyRing,
                       on_stored: Callable[[dict], None] | None = None) -> dict[str, int]:
    """Retry every quarantined item with ``keyring``; counts by outcome (``recovered`` = stored now,
    ``still_quarantined`` = no key fits yet). ``on_stored`` as for :func:`ingest`."""
    counts: dict[str, int] = {}
    for q in store.quarantined():
        item = q["item"]
        if lead_problem(item):
            continue
        f = open_item(item, keyring, release=q["quarantine_key"])
        if f.answers is None:
            counts["still_quarantined"] = counts.get("still_quarantined", 0) + 1
            continue
        (outcome,) = store.file(q["delivery_id"], [f], finish=False)
        report(q["delivery_id"], [f], [outcome])
        if outcome == "stored" and on_stored is not None:
            on_stored({**f.lead_row(), "answers": dict(f.answers or {})})
        outcome = "recovered" if outcome == "stored" else outcome
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def report(delivery_id: int | None, filed: list[Filed], outcomes: list[str]) -> None:
    """Log held items by lead id and kind (never answers)."""
    for f, outcome in zip(filed, outcomes, strict=True):
        if outcome == "replay":
            log.warning("lead delivery %s: lead %s carries the ciphertext of a lead already stored under another "
                        "lead id — held as a suspected replay, not stored (see read_leads(conflicts=True))",
                        delivery_id, f.key)
        elif outcome == "conflict":
            log.warning("lead delivery %s: lead %s is already stored with other answers — the new version is held "
                        "as a conflict, the stored one is unchanged (see read_leads(conflicts=True))",
                        delivery_id, f.key)

