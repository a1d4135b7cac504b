"""Scenario ``leads``: lead webhook throughput of the receiver (waitress + SQLite, ``synchronous=FULL``).

A receiver process on loopback (store in a temp dir) and a separate sender process that POSTs
batches of encrypted leads, one request at a time, for a fixed time. Reports leads committed per
second (counted in the store afterwards), p50/p99 request latency and errors.

    python -m bench leads                      # 5 s, 10 leads a request
    python -m bench leads seconds=10 batch=1
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from pintools.leads.crypto import new_key
from pintools.leads.keys import KeyFile
from pintools.leads.store_postgres import open_store

RECEIVER = (
    "import sys; from pintools.leads.keys import KeyFile; from pintools.leads.store_postgres import open_store; "
    "from pintools.leads.receiver import serve; "
    "serve(open_store(sys.argv[1]), KeyFile(sys.argv[2]).keyring(), host='127.0.0.1', port=int(sys.argv[3]))"
)

SENDER = r'''
import json, sys, time
import requests
from pintools.leads.crypto import encrypt_answers

url, key, seconds, batch = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
session = requests.Session()
latencies, errors, sent, n = [], 0, 0, 0
deadline = time.perf_counter() + seconds
for _ in range(10_000_000):  # bounded; the deadline ends it first
    if time.perf_counter() >= deadline:
        break
    items = []
    for _ in range(batch):
        n += 1
        items.append({"advertiser_id": "549755885175", "lead_form_id": "6530087100123", "ad_id": "687000000001",
                      "campaign_id": "626000000001", "ad_group_id": "2680000000001", "lead_id": str(10**15 + n),
                      "user_id": str(n), "lead_form_name": "Bench", "campaign_name": "C", "ad_group_name": "G",
                      "ad_name": "A", "created_at": str(1763208000000 + n), "version": "v5",
                      "answers": encrypt_answers({"EMAIL": f"lead{n}@example.com", "FULL_NAME": "Ada Lovelace"}, key)})
    body = json.dumps(items)
    started = time.perf_counter()
    try:
        status = session.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10).status_code
    except requests.RequestException:
        status = None
    latencies.append(time.perf_counter() - started)
    if status == 200:
        sent += batch
    else:
        errors += 1
print(json.dumps({"latencies": latencies, "errors": errors, "leads_acknowledged": sent, "requests": len(latencies)}))
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _empty(db: str) -> None:
    """Start from empty tables (the store creates them on first use)."""
    with open_store(db) as store:
        conn = store._conn
        for table in ("leads", "quarantine", "deliveries"):
            conn.execute(f"DELETE FROM {table}")
        if hasattr(conn, "commit"):
            conn.commit()


def run(seconds: float = 5, batch: int = 10, db: str = "") -> dict:
    """``db``: a ``postgresql://`` URL (e.g. ``$PINTOOLS_TEST_POSTGRES_URL`` after
    ``source scripts/postgres.sh``); empty = a SQLite file in a temp dir. The tables are
    emptied first, so use a throwaway database."""
    with tempfile.TemporaryDirectory(prefix="bench-leads-") as tmp:
        keys = KeyFile(Path(tmp) / "keys.json")
        db = db or str(Path(tmp) / "leads.sqlite3")
        _empty(db)
        key = new_key()
        keys.save({"id": "8078432025948590686", "ad_account_id": "549755885175", "lead_form_id": None,
                   "cryptographic_key": key})
        port = _free_port()
        url = f"http://127.0.0.1:{port}/pinterest/leads"
        receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, str(db), str(keys.path), str(port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):  # up to ~20 s for the receiver to listen
                if receiver.poll() is not None:
                    raise RuntimeError(f"receiver exited with {receiver.returncode}")
                try:
                    requests.get(url, timeout=0.5)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("receiver did not start")
            sender = subprocess.run([sys.executable, "-c", SENDER, url, key, str(seconds), str(batch)],
                                    capture_output=True, text=True, timeout=seconds + 120, check=True)
        finally:
            if receiver.poll() is None:
                receiver.kill()
            receiver.wait(timeout=10)
        result = json.loads(sender.stdout)
        with open_store(db) as store:
            committed = len(store.leads())
            quarantined = len(store.quarantined())
    latencies = result["latencies"]
    return {
        "store": "postgresql" if db.startswith(("postgresql://", "postgres://")) else "sqlite",
        "seconds": seconds,
        "batch": batch,
        "requests": result["requests"],
        "errors": result["errors"],
        "leads_acknowledged": result["leads_acknowledged"],
        "leads_committed": committed,
        "quarantined": quarantined,
        "leads_per_second": round(committed / seconds, 1),
        "requests_per_second": round(result["requests"] / seconds, 1),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
    }
