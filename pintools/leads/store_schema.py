"""The lead store's tables, written once for SQLite and PostgreSQL, and the upgrade of older stores.

Tables:

- ``deliveries`` — every webhook body exactly as received, committed before the receiver
  answers; ``status`` ``received`` → ``processed`` (or ``rejected`` for a body that is not a
  JSON array of leads, kept for inspection);
- ``leads`` — one row per decrypted lead, keyed by its dedupe key, with ``answers_digest`` (the
  fingerprint of its ciphertext, unique) and ``subscription_id`` (whose key opened it);
- ``quarantine`` — items no key opens yet (or not lead-shaped), verbatim, keyed by lead key and
  ciphertext so that a forged item can never take the place of the real lead;
- ``conflicts`` — items held apart: ``replay`` (a stored ciphertext under another lead id) and
  ``conflict`` (a stored lead id with other answers).

Stores written by earlier versions are upgraded in place when opened: columns are added, the
quarantine's key column renamed, and the fingerprints of stored leads computed from the deliveries
that brought them.

>>> "CREATE TABLE IF NOT EXISTS conflicts" in SCHEMA_TEMPLATE
True
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence

from .crypto import LeadDecryptionError, ciphertext_digest
from .records import dedupe_key

log = logging.getLogger("pintools.leads")

#: ``run(sql, params)`` → rows returned (empty for statements that return none); ``?`` placeholders.
Run = Callable[[str, Sequence[object]], list[tuple]]

SCHEMA_TEMPLATE = """
CREATE TABLE IF NOT EXISTS deliveries (
    id {id},
    received_at TEXT NOT NULL,
    body {blob} NOT NULL,
    status TEXT NOT NULL DEFAULT 'received'
);
CREATE TABLE IF NOT EXISTS leads (
    dedupe_key TEXT PRIMARY KEY,
    lead_id TEXT NOT NULL,
    is_test {bool} NOT NULL,
    advertiser_id TEXT, lead_form_id TEXT, ad_id TEXT, campaign_id TEXT, ad_group_id TEXT, user_id TEXT,
    lead_form_name TEXT, campaign_name TEXT, ad_group_name TEXT, ad_name TEXT,
    created_at TEXT, created_at_ms {bigint}, version TEXT,
    answers TEXT NOT NULL,
    delivery_id {bigint} REFERENCES deliveries(id),
    stored_at TEXT NOT NULL,
    answers_digest TEXT,
    subscription_id TEXT
);
CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_key TEXT PRIMARY KEY,
    item TEXT NOT NULL,
    error TEXT NOT NULL,
    delivery_id {bigint} REFERENCES deliveries(id),
    quarantined_at TEXT NOT NULL,
    lead_key TEXT,
    answers_digest TEXT
);
CREATE TABLE IF NOT EXISTS conflicts (
    id {id},
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    held_against TEXT NOT NULL,
    answers_digest TEXT NOT NULL,
    item TEXT NOT NULL,
    answers TEXT,
    subscription_id TEXT,
    delivery_id {bigint} REFERENCES deliveries(id),
    held_at TEXT NOT NULL,
    UNIQUE (kind, dedupe_key, answers_digest)
)
"""

#: Created after the upgrade, once every column they name exists.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS leads_created ON leads(created_at_ms)",
    "CREATE UNIQUE INDEX IF NOT EXISTS leads_digest ON leads(answers_digest)",
    "CREATE INDEX IF NOT EXISTS quarantine_lead ON quarantine(lead_key)",
)

#: Columns added since the first version, by table.
ADDED_COLUMNS = {
    "leads": (("answers_digest", "TEXT"), ("subscription_id", "TEXT")),
    "quarantine": (("lead_key", "TEXT"), ("answers_digest", "TEXT")),
}


def statements(template_values: dict[str, str]) -> list[str]:
    """The ``CREATE TABLE`` statements with one backend's column types filled in."""
    return [s for s in SCHEMA_TEMPLATE.format(**template_values).split(";") if s.strip()]


def upgrade(run: Run, columns_of: Callable[[str], set[str]]) -> None:
    """Bring tables written by an earlier version up to date (idempotent), then create the indexes."""
    if "dedupe_key" in columns_of("quarantine"):
        run("ALTER TABLE quarantine RENAME COLUMN dedupe_key TO quarantine_key", ())
    for table, added in ADDED_COLUMNS.items():
        have = columns_of(table)
        for name, kind in added:
            if name not in have:
                run(f"ALTER TABLE {table} ADD COLUMN {name} {kind}", ())
    run("UPDATE quarantine SET lead_key = quarantine_key WHERE lead_key IS NULL", ())
    _fingerprint_stored_leads(run)
    for index in INDEXES:
        run(index, ())


def _fingerprint_stored_leads(run: Run) -> None:
    """Fill ``answers_digest`` of leads stored before it existed, from their deliveries' bodies.

    Two old leads with the same ciphertext were a replay stored before pintools checked: the later
    one keeps no fingerprint and a warning names both.
    """
    pending = run("SELECT dedupe_key, delivery_id FROM leads WHERE answers_digest IS NULL "
                  "AND delivery_id IS NOT NULL ORDER BY stored_at", ())
    if not pending:
        return
    by_delivery: dict[int, list[str]] = {}
    for key, delivery_id in pending:
        by_delivery.setdefault(int(delivery_id), []).append(key)
    taken = {d: k for k, d in run("SELECT dedupe_key, answers_digest FROM leads "
                                  "WHERE answers_digest IS NOT NULL", ())}
    for delivery_id, keys in by_delivery.items():
        rows = run("SELECT body FROM deliveries WHERE id = ?", (delivery_id,))
        for key, digest in _digests(bytes(rows[0][0]) if rows else b"", set(keys)).items():
            if digest in taken:
                log.warning("stored leads %s and %s carry the same ciphertext: one of them is a replay stored "
                            "before pintools checked for replays", taken[digest], key)
                continue
            taken[digest] = key
            run("UPDATE leads SET answers_digest = ? WHERE dedupe_key = ?", (digest, key))


def _digests(body: bytes, keys: set[str]) -> dict[str, str]:
    try:
        items = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}
    out = {}
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict) and dedupe_key(item) in keys:
            try:
                out[dedupe_key(item)] = ciphertext_digest(item.get("answers"))
            except LeadDecryptionError:
                continue
    return out
