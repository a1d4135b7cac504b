"""A durable local store for Pinterest lead deliveries, on SQLite.

Where it lives (:func:`default_db_path`): ``$PINTOOLS_LEADS_DB``, else
``$XDG_STATE_HOME/pintools/leads.sqlite3``, else ``~/.local/state/pintools/leads.sqlite3``.
The file is created ``0600`` in a ``0700`` directory: it holds decrypted answers (personal data).

Tables:

- ``deliveries`` — every webhook body exactly as received, committed *before* the receiver
  answers 200 (``status``: ``received`` → ``processed``). A delivery stuck in ``received``
  (crash between commit and processing) is picked up again by :meth:`LeadStore.reprocess`.
- ``leads`` — one row per decrypted lead; the dedupe key is ``lead_id``, except for test leads
  (``lead_id == "TEST_API"``) whose key is ``TEST_API|created_at|lead_form_id``. Answers are JSON.
- ``quarantine`` — leads that could not be decrypted (or were not lead-shaped), with the reason
  and the encrypted item kept verbatim so :meth:`LeadStore.reprocess` can retry with new keys.

Backends: the interface is deliberately small — ``save_delivery``, ``finish_delivery``,
``add_lead``, ``quarantine``, ``quarantined``, ``pending_deliveries``, ``leads``, ``close`` — and
everything else (:func:`ingest`, :meth:`LeadStore.reprocess`) is written on top of it, so a
PostgreSQL backend only has to provide those methods (not implemented here).

>>> store = LeadStore(":memory:")
>>> d = store.save_delivery(b"[]")
>>> store.add_lead({"lead_id": "1", "lead_form_id": "2", "created_at": "1698380898000"},
...                {"EMAIL": "a@b.c"}, delivery_id=d)
'stored'
>>> store.add_lead({"lead_id": "1", "lead_form_id": "2", "created_at": "1698380898000"},
...                {"EMAIL": "a@b.c"}, delivery_id=d)
'duplicate'
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .crypto import KeyRing, LeadDecryptionError

TEST_LEAD_ID = "TEST_API"
LEAD_FIELDS = ("lead_id", "advertiser_id", "lead_form_id", "ad_id", "campaign_id", "ad_group_id", "user_id",
               "lead_form_name", "campaign_name", "ad_group_name", "ad_name", "created_at", "version")

#: The tables, written once for both stores; each fills in its own column types.
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
    stored_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS leads_created ON leads(created_at_ms);
CREATE TABLE IF NOT EXISTS quarantine (
    dedupe_key TEXT PRIMARY KEY,
    item TEXT NOT NULL,
    error TEXT NOT NULL,
    delivery_id {bigint} REFERENCES deliveries(id),
    quarantined_at TEXT NOT NULL
);
"""
_SCHEMA = SCHEMA_TEMPLATE.format(id="INTEGER PRIMARY KEY AUTOINCREMENT", blob="BLOB", bool="INTEGER",
                                 bigint="INTEGER")


def default_db_path() -> Path:
    """``$PINTOOLS_LEADS_DB``, else ``$XDG_STATE_HOME/pintools/leads.sqlite3``, else ``~/.local/state/...``."""
    from ..files import user_path

    return user_path("PINTOOLS_LEADS_DB", "state", "leads.sqlite3")


def dedupe_key(lead: Mapping[str, Any]) -> str:
    """``lead_id``; for test leads (all ``"TEST_API"``) ``TEST_API|created_at|lead_form_id``."""
    lead_id = str(lead.get("lead_id"))
    if lead_id == TEST_LEAD_ID:
        return f"{TEST_LEAD_ID}|{lead.get('created_at')}|{lead.get('lead_form_id')}"
    return lead_id


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _ms(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class LeadStore:
    """Leads on SQLite (WAL, ``synchronous=FULL``); safe to share between threads."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = default_db_path() if path is None else (path if path == ":memory:" else Path(path))
        if self.path != ":memory:":
            p = Path(self.path)
            p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not p.exists():
                os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o600))
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(_SCHEMA)

    def __repr__(self) -> str:
        return f"LeadStore({str(self.path)!r})"

    def __enter__(self) -> LeadStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _tx(self, sql_and_params: Iterable[tuple[str, tuple]]) -> list[tuple[int, int | None]]:
        """Run statements in one transaction; ``(rowcount, lastrowid)`` of each. Raises if not committed."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                out = []
                for sql, params in sql_and_params:
                    cur.execute(sql, params)
                    out.append((cur.rowcount, cur.lastrowid))
                self._commit()
            except BaseException:
                self._conn.rollback()
                raise
            return out

    def _commit(self) -> None:
        self._conn.commit()

    # -- the backend interface -------------------------------------------------------------

    def save_delivery(self, raw: bytes) -> int:
        """Commit one webhook body verbatim; its id. Raises if the commit did not happen."""
        (_, rowid), = self._tx([("INSERT INTO deliveries(received_at, body) VALUES (?, ?)", (_now(), bytes(raw)))])
        return int(rowid)

    def finish_delivery(self, delivery_id: int, status: str = "processed") -> None:
        self._tx([("UPDATE deliveries SET status = ? WHERE id = ?", (status, delivery_id))])

    def pending_deliveries(self) -> list[tuple[int, bytes]]:
        """Deliveries committed but never processed (e.g. a crash between commit and processing)."""
        with self._lock:
            rows = self._conn.execute("SELECT id, body FROM deliveries WHERE status = 'received' ORDER BY id")
            return [(int(i), bytes(b)) for i, b in rows.fetchall()]

    def add_lead(self, lead: Mapping[str, Any], answers: Mapping[str, Any], *, delivery_id: int | None = None) -> str:
        """Store one decrypted lead: ``"stored"``, or ``"duplicate"`` if its dedupe key is known.

        A lead that was quarantined before is moved out of the quarantine.
        """
        key = dedupe_key(lead)
        row = {f: _text(lead.get(f)) for f in LEAD_FIELDS}
        cols = ["dedupe_key", *LEAD_FIELDS, "is_test", "created_at_ms", "answers", "delivery_id", "stored_at"]
        values = (key, *row.values(), int(row["lead_id"] == TEST_LEAD_ID), _ms(row["created_at"]),
                  json.dumps(dict(answers), ensure_ascii=False), delivery_id, _now())
        (inserted, _), _ = self._tx([
            (f"INSERT OR IGNORE INTO leads({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values),
            ("DELETE FROM quarantine WHERE dedupe_key = ?", (key,)),
        ])
        return "stored" if inserted == 1 else "duplicate"

    def quarantine(self, key: str, item: object, error: str, *, delivery_id: int | None = None) -> str:
        """Keep an item that could not be decrypted: ``"quarantined"``, or ``"duplicate"``."""
        with self._lock:
            if self._conn.execute("SELECT 1 FROM leads WHERE dedupe_key = ?", (key,)).fetchone():
                return "duplicate"
        (inserted, _), = self._tx([("INSERT OR IGNORE INTO quarantine(dedupe_key, item, error, delivery_id, quarantined_at) "
                          "VALUES (?, ?, ?, ?, ?)", (key, json.dumps(item, ensure_ascii=False), error,
                                                     delivery_id, _now()))])
        return "quarantined" if inserted == 1 else "duplicate"

    def quarantined(self) -> list[dict]:
        """Quarantined items: ``{dedupe_key, item, error, delivery_id, quarantined_at}`` (item still encrypted)."""
        with self._lock:
            rows = self._conn.execute("SELECT dedupe_key, item, error, delivery_id, quarantined_at "
                                      "FROM quarantine ORDER BY quarantined_at").fetchall()
        return [{"dedupe_key": k, "item": json.loads(i), "error": e, "delivery_id": d, "quarantined_at": q}
                for k, i, e, d, q in rows]

    def leads(self, *, since_ms: int | None = None, form: str | None = None) -> list[dict]:
        """Stored leads (oldest first) as dicts with ``answers`` decoded."""
        sql = f"SELECT {', '.join(LEAD_FIELDS)}, is_test, answers, delivery_id, stored_at FROM leads WHERE 1=1"
        params: list[Any] = []
        if since_ms is not None:
            sql += " AND created_at_ms >= ?"
            params.append(since_ms)
        if form is not None:
            sql += " AND lead_form_id = ?"
            params.append(str(form))
        sql += " ORDER BY created_at_ms, dedupe_key"
        with self._lock:
            cur = self._conn.execute(sql, params)
            names = [c[0] for c in cur.description]
            rows = cur.fetchall()
        out = []
        for r in rows:
            d = dict(zip(names, r, strict=True))
            d["answers"] = json.loads(d["answers"])
            d["is_test"] = bool(d["is_test"])
            out.append(d)
        return out

    # -- built on the interface --------------------------------------------------------------

    def reprocess(self, keyring: KeyRing) -> dict[str, int]:
        """Retry quarantined leads (and unprocessed deliveries) with ``keyring``; counts by outcome."""
        counts: dict[str, int] = {}
        for delivery_id, body in self.pending_deliveries():
            try:
                items = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                self.finish_delivery(delivery_id, "rejected")
                continue
            for outcome in ingest(self, delivery_id, items if isinstance(items, list) else [items], keyring):
                counts[outcome] = counts.get(outcome, 0) + 1
        for q in self.quarantined():
            item = q["item"]
            problem = lead_problem(item)
            if problem:
                continue
            try:
                answers = keyring.decrypt(item)
            except LeadDecryptionError:
                counts["still_quarantined"] = counts.get("still_quarantined", 0) + 1
                continue
            outcome = self.add_lead(item, answers, delivery_id=q["delivery_id"])
            outcome = "recovered" if outcome == "stored" else outcome
            counts[outcome] = counts.get(outcome, 0) + 1
        return counts


def lead_problem(item: object) -> str | None:
    """Why ``item`` is not a webhook lead object, or ``None`` if it looks like one."""
    if not isinstance(item, Mapping):
        return f"not a JSON object but a {type(item).__name__}"
    lead_id = item.get("lead_id")
    if not isinstance(lead_id, (str, int)) or isinstance(lead_id, bool) or not str(lead_id):
        return "no lead_id"
    if not isinstance(item.get("answers"), Mapping):
        return "no answers object"
    return None


def ingest(store: LeadStore, delivery_id: int, items: list, keyring: KeyRing,
           on_stored: Callable[[dict], None] | None = None) -> list[str]:
    """Decrypt and store the items of one committed delivery; one outcome per item.

    ``on_stored`` is called with each newly stored lead (its fields plus decrypted ``answers``)
    after its commit.

    Outcomes: ``stored``, ``duplicate``, ``quarantined``. The delivery is marked processed last,
    so a crash midway leaves it for :meth:`LeadStore.reprocess` (re-adding is idempotent).
    """
    outcomes = []
    for index, item in enumerate(items):
        problem = lead_problem(item)
        if problem:
            outcomes.append(store.quarantine(f"delivery:{delivery_id}:{index}", item, problem,
                                             delivery_id=delivery_id))
            continue
        try:
            answers = keyring.decrypt(item)
        except LeadDecryptionError as exc:
            outcomes.append(store.quarantine(dedupe_key(item), item, str(exc), delivery_id=delivery_id))
            continue
        outcome = store.add_lead(item, answers, delivery_id=delivery_id)
        outcomes.append(outcome)
        if outcome == "stored" and on_stored is not None:
            on_stored({**{f: _text(item.get(f)) for f in LEAD_FIELDS}, "answers": answers})
    store.finish_delivery(delivery_id)
    return outcomes
