"""A durable local store for Pinterest lead deliveries, on SQLite (PostgreSQL: :mod:`.store_postgres`).

Where it lives (:func:`default_db_path`): ``$PINTOOLS_LEADS_DB``, else
``$XDG_STATE_HOME/pintools/leads.sqlite3``, else ``~/.local/state/pintools/leads.sqlite3``.
The file is created ``0600`` in a ``0700`` directory: it holds decrypted answers (personal data).
The tables are described in :mod:`.store_schema`.

Every write is one transaction committed before the method returns. The SQL is written once, with
``?`` placeholders; the PostgreSQL store replaces only the connection, the transaction and the
placeholder style, so both backends behave the same (one contract test suite runs on both).

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
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from . import store_schema
from .crypto import KeyRing
from .ingest import ingest, refile_quarantined
from .records import LEAD_FIELDS, TEST_LEAD_ID, Filed, as_ms, dedupe_key, lead_problem, now_text
from .store_schema import SCHEMA_TEMPLATE

__all__ = ["LEAD_FIELDS", "SCHEMA_TEMPLATE", "TEST_LEAD_ID", "LeadStore", "dedupe_key", "default_db_path", "ingest",
           "lead_problem"]

T = TypeVar("T")
log = logging.getLogger("pintools.leads")
Run = store_schema.Run
_LEAD_COLUMNS = ("dedupe_key", *LEAD_FIELDS, "is_test", "created_at_ms", "answers", "delivery_id", "stored_at",
                 "answers_digest", "subscription_id")
_INSERT_LEAD = (f"INSERT INTO leads({', '.join(_LEAD_COLUMNS)}) VALUES ({', '.join('?' * len(_LEAD_COLUMNS))}) "
                "ON CONFLICT DO NOTHING RETURNING dedupe_key")


_CHUNK = 500  # leads per INSERT: 17 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535


def _insert_leads(n: int) -> str:
    """``_INSERT_LEAD`` for ``n`` rows."""
    row = f"({', '.join('?' * len(_LEAD_COLUMNS))})"
    return (f"INSERT INTO leads({', '.join(_LEAD_COLUMNS)}) VALUES {', '.join([row] * n)} "
            "ON CONFLICT DO NOTHING RETURNING dedupe_key")


def _lead_values(delivery_id: int | None, f: Filed) -> tuple:
    row = f.lead_row()
    return (f.key, *row.values(), row["lead_id"] == TEST_LEAD_ID, as_ms(row["created_at"]),
            json.dumps(dict(f.answers or {}), ensure_ascii=False), delivery_id, now_text(), f.digest,
            f.subscription_id)


def default_db_path() -> Path:
    """``$PINTOOLS_LEADS_DB``, else ``$XDG_STATE_HOME/pintools/leads.sqlite3``, else ``~/.local/state/...``."""
    from ..files import user_path

    return user_path("PINTOOLS_LEADS_DB", "state", "leads.sqlite3")


def _make_private(path: Path) -> None:
    """Tighten a store file others can read (it holds personal data) to 0600, saying so."""
    for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = f.stat().st_mode & 0o777
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(f, 0o600)
            log.warning("lead store file %s was readable by others (mode %s); made private (0600): it holds "
                        "personal data", f, oct(mode))


class LeadStore:
    """Leads on SQLite (WAL, ``synchronous=FULL``); safe to share between threads."""

    _TYPES = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "blob": "BLOB", "bool": "INTEGER", "bigint": "INTEGER"}
    _ORDER = "ORDER BY created_at_ms, dedupe_key"

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = default_db_path() if path is None else (path if path == ":memory:" else Path(path))
        if self.path != ":memory:":
            p = Path(self.path)
            p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not p.exists():
                os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o600))
            _make_private(p)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._transaction(self._create_schema)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def __enter__(self) -> LeadStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- what a backend provides ----------------------------------------------------------------

    def _sql(self, text: str) -> str:
        """``text`` in this backend's placeholder style (``?`` here)."""
        return text

    def _transaction(self, work: Callable[[Run], T]) -> T:
        """Run ``work(run)`` in one transaction, committed before returning; rolled back if it raises."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                result = work(lambda sql, params: cur.execute(sql, tuple(params)).fetchall())
                self._conn.commit()
            except BaseException:
                self._conn.rollback()
                raise
            return result

    def _query(self, sql: str, params: Sequence[object] = ()) -> tuple[list[str], list[tuple]]:
        with self._lock:
            cur = self._conn.execute(self._sql(sql), tuple(params))
            return [c[0] for c in cur.description], cur.fetchall()

    def _columns_of(self, run: Run, table: str) -> set[str]:
        return {row[1] for row in run(f"PRAGMA table_info({table})", ())}

    def _create_schema(self, run: Run) -> None:
        for statement in store_schema.statements(self._TYPES):
            run(statement, ())
        store_schema.upgrade(lambda sql, params: run(self._sql(sql), params),
                             lambda table: self._columns_of(run, table))

    # -- deliveries ------------------------------------------------------------------------------

    def save_delivery(self, raw: bytes) -> int:
        """Commit one webhook body verbatim; its id. Raises if the commit did not happen."""
        rows = self._transaction(lambda run: run(self._sql(
            "INSERT INTO deliveries(received_at, body) VALUES (?, ?) RETURNING id"), (now_text(), bytes(raw))))
        return int(rows[0][0])

    def finish_delivery(self, delivery_id: int, status: str = "processed") -> None:
        """Mark a delivery ``processed`` (or ``rejected``: kept for inspection, never filed)."""
        self._transaction(lambda run: run(self._sql("UPDATE deliveries SET status = ? WHERE id = ?"),
                                          (status, delivery_id)))

    def pending_deliveries(self) -> list[tuple[int, bytes]]:
        """Deliveries committed but never processed (e.g. a crash between commit and processing)."""
        _, rows = self._query("SELECT id, body FROM deliveries WHERE status = 'received' ORDER BY id")
        return [(int(i), bytes(b)) for i, b in rows]

    def deliveries(self, status: str | None = None) -> list[dict]:
        """Every delivery (``id``, ``received_at``, ``status``, ``body``), oldest first; ``status`` filters —
        ``"rejected"`` lists the bodies that were not a JSON array of leads."""
        sql = "SELECT id, received_at, status, body FROM deliveries"
        names, rows = self._query(sql + (" WHERE status = ?" if status else "") + " ORDER BY id",
                                  (status,) if status else ())
        return [{**dict(zip(names, r, strict=True)), "id": int(r[0]), "body": bytes(r[3])} for r in rows]

    # -- filing ----------------------------------------------------------------------------------

    def file(self, delivery_id: int | None, items: list[Filed], *, finish: bool = True) -> list[str]:
        """File prepared items in one transaction (and mark the delivery processed if ``finish``);
        one outcome per item: ``stored``, ``duplicate``, ``quarantined``, ``replay`` or ``conflict``."""
        def work(run: Run) -> list[str]:
            r = lambda sql, params: run(self._sql(sql), params)  # noqa: E731
            if len(items) > 1 and all(f.answers is not None for f in items) and len({f.key for f in items}) == len(items):
                outcomes = []
                for start in range(0, len(items), _CHUNK):  # bound the statement's parameters
                    outcomes += self._file_opened(r, delivery_id, items[start:start + _CHUNK])
            else:
                outcomes = [self._file_one(r, delivery_id, f) for f in items]
            if finish and delivery_id is not None:
                r("UPDATE deliveries SET status = 'processed' WHERE id = ?", (delivery_id,))
            return outcomes
        return self._transaction(work)

    def _file_opened(self, run: Run, delivery_id: int | None, items: list[Filed]) -> list[str]:
        """Decrypted items with distinct keys: the outcomes of filing them one by one, in one INSERT and
        one DELETE (plus the look-ups of the few that clash) instead of two statements each."""
        values = [v for f in items for v in _lead_values(delivery_id, f)]
        inserted = {row[0] for row in run(_insert_leads(len(items)), values)}
        outcomes = ["stored" if f.key in inserted else self._clash(run, delivery_id, f) for f in items]
        run(f"DELETE FROM quarantine WHERE quarantine_key IN ({', '.join('?' * len(items))})",
            [f.quarantine_key for f in items])
        return outcomes

    def _file_one(self, run: Run, delivery_id: int | None, f: Filed) -> str:
        if f.answers is None:
            return self._file_closed(run, delivery_id, f)
        values = _lead_values(delivery_id, f)
        if run(_INSERT_LEAD, values):
            outcome = "stored"
        else:
            outcome = self._clash(run, delivery_id, f)
        run("DELETE FROM quarantine WHERE quarantine_key = ?", (f.quarantine_key,))
        return outcome

    def _clash(self, run: Run, delivery_id: int | None, f: Filed) -> str:
        """Why a decrypted item was not inserted: a duplicate, or a replay/conflict (held)."""
        same = run("SELECT answers_digest, answers FROM leads WHERE dedupe_key = ?", (f.key,))
        if same:
            digest, answers = same[0]
            if digest == f.digest or json.loads(answers) == dict(f.answers or {}):
                return "duplicate"  # a retry (re-encrypted or not) of the very same lead
            return self._hold(run, "conflict", f.key, delivery_id, f)
        owner = run("SELECT dedupe_key FROM leads WHERE answers_digest = ?", (f.digest,))
        return self._hold(run, "replay", owner[0][0] if owner else "?", delivery_id, f)

    def _file_closed(self, run: Run, delivery_id: int | None, f: Filed) -> str:
        """An item no key opens: a replay of a stored ciphertext, else quarantined."""
        if f.digest is not None:
            owner = run("SELECT dedupe_key FROM leads WHERE answers_digest = ?", (f.digest,))
            if owner:
                return "duplicate" if owner[0][0] == f.key else self._hold(run, "replay", owner[0][0], delivery_id, f)
        inserted = run("INSERT INTO quarantine(quarantine_key, lead_key, answers_digest, item, error, delivery_id, "
                       "quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING quarantine_key",
                       (f.quarantine_key, f.key, f.digest, json.dumps(f.item, ensure_ascii=False), f.error or "",
                        delivery_id, now_text()))
        return "quarantined" if inserted else "duplicate"

    def _hold(self, run: Run, kind: str, against: str, delivery_id: int | None, f: Filed) -> str:
        answers = None if f.answers is None else json.dumps(dict(f.answers), ensure_ascii=False)
        run("INSERT INTO conflicts(kind, dedupe_key, held_against, answers_digest, item, answers, subscription_id, "
            "delivery_id, held_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (kind, f.key, against, f.digest, json.dumps(f.item, ensure_ascii=False), answers, f.subscription_id,
             delivery_id, now_text()))
        return kind

    def add_lead(self, lead: Mapping[str, Any], answers: Mapping[str, Any], *, delivery_id: int | None = None,
                 digest: str | None = None) -> str:
        """Store one already-decrypted lead (``digest``: its ciphertext fingerprint, when known); the outcome."""
        (outcome,) = self.file(delivery_id, [Filed(key=dedupe_key(lead), item=dict(lead), digest=digest,
                                                   answers=answers)], finish=False)
        return outcome

    # -- reading ---------------------------------------------------------------------------------

    def quarantined(self) -> list[dict]:
        """Quarantined items: ``{quarantine_key, dedupe_key, item, error, delivery_id, quarantined_at}``
        (``item`` still encrypted; ``dedupe_key`` is the lead's)."""
        _, rows = self._query("SELECT quarantine_key, lead_key, item, error, delivery_id, quarantined_at "
                              "FROM quarantine ORDER BY quarantined_at, quarantine_key")
        return [{"quarantine_key": q, "dedupe_key": k, "item": json.loads(i), "error": e, "delivery_id": d,
                 "quarantined_at": t} for q, k, i, e, d, t in rows]

    def conflicts(self) -> list[dict]:
        """Held items, oldest first: ``kind`` (``replay``/``conflict``), ``dedupe_key``, ``held_against``
        (the stored lead it clashes with), the lead's fields, decrypted ``answers`` (or ``None``),
        ``subscription_id``, ``delivery_id``, ``held_at``."""
        names, rows = self._query("SELECT kind, dedupe_key, held_against, item, answers, subscription_id, "
                                  "delivery_id, held_at FROM conflicts ORDER BY id")
        out = []
        for r in rows:
            d = dict(zip(names, r, strict=True))
            item = json.loads(d.pop("item"))
            fields = Filed(key=d["dedupe_key"], item=item).lead_row()
            out.append({**fields, **d, "answers": None if d["answers"] is None else json.loads(d["answers"])})
        return out

    def leads(self, *, since_ms: int | None = None, form: str | None = None) -> list[dict]:
        """Stored leads (oldest first) as dicts with ``answers`` decoded."""
        sql = (f"SELECT {', '.join(LEAD_FIELDS)}, is_test, answers, delivery_id, stored_at, subscription_id "
               "FROM leads WHERE 1=1")
        params: list[Any] = []
        if since_ms is not None:
            sql += " AND created_at_ms >= ?"
            params.append(since_ms)
        if form is not None:
            sql += " AND lead_form_id = ?"
            params.append(str(form))
        names, rows = self._query(f"{sql} {self._ORDER}", params)
        out = []
        for r in rows:
            d = dict(zip(names, r, strict=True))
            d["answers"] = json.loads(d["answers"])
            d["is_test"] = bool(d["is_test"])
            out.append(d)
        return out

    def counts(self) -> dict[str, int]:
        """How many leads, quarantined items, held items and rejected deliveries the store holds."""
        out = {}
        for name, sql in (("leads", "SELECT COUNT(*) FROM leads"), ("quarantined", "SELECT COUNT(*) FROM quarantine"),
                          ("replays", "SELECT COUNT(*) FROM conflicts WHERE kind = 'replay'"),
                          ("conflicts", "SELECT COUNT(*) FROM conflicts WHERE kind = 'conflict'"),
                          ("rejected_deliveries", "SELECT COUNT(*) FROM deliveries WHERE status = 'rejected'")):
            out[name] = int(self._query(sql)[1][0][0])
        return out

    # -- recovery --------------------------------------------------------------------------------

    def reprocess(self, keyring: KeyRing, on_stored: Callable[[dict], None] | None = None) -> dict[str, int]:
        """Finish deliveries left unprocessed, then retry quarantined leads with ``keyring``; counts by outcome.
        ``on_stored`` is called with each lead stored now (fields and decrypted answers)."""
        counts: dict[str, int] = {}
        for delivery_id, body in self.pending_deliveries():
            try:
                items = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                self.finish_delivery(delivery_id, "rejected")
                continue
            for outcome in ingest(self, delivery_id, items if isinstance(items, list) else [items], keyring,
                                  on_stored=on_stored):
                counts[outcome] = counts.get(outcome, 0) + 1
        for outcome, n in refile_quarantined(self, keyring, on_stored).items():
            counts[outcome] = counts.get(outcome, 0) + n
        return counts
