"""Scenario ``leads``: lead webhook throughput of the receiver (waitress), on SQLite and PostgreSQL,
without and then with stalled connections open.

For each store a receiver process on loopback (``serve()``, as ``pintools leads serve`` runs it) and
separate sender processes that POST batches of encrypted leads, one request at a time each, for a
fixed time. Reports leads committed per second (counted in the store afterwards), p50/p99/max
request latency (``max_ms``: the slowest delivery), errors, and the receiver's CPU per request
(comparable when other work loads the machine). The second run of each store holds ``stalled``
connections open during the whole measurement (silent, stopped mid-headers, stopped mid-body;
reopened when the server drops them — ``stalled_closed_by_server`` counts those, its read timeout
is 15 s): Pinterest retries only on 429/5xx, so a delivery that times out behind them risks a lost lead.

SQLite is a file in a temp dir (``synchronous=FULL``). PostgreSQL is ``db=`` or
``$PINTOOLS_BENCH_POSTGRES_URL`` or ``$PINTOOLS_TEST_POSTGRES_URL`` (``source scripts/postgres.sh``
starts a throwaway one — note: it runs with ``fsync=off``); each run uses a new schema, dropped after.

    python -m bench leads                                 # both stores, 5 s, 10 leads a request, 200 stalled
    python -m bench leads backend=sqlite seconds=10 batch=1 stalled=0
    python -m bench leads backend=postgres db=postgresql://u@h/db senders=2
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from pintools.leads.crypto import new_key
from pintools.leads.keys import KeyFile
from pintools.leads.store_postgres import URL_SCHEMES, open_store

from ._stalled import StalledConnections

# argv: store (SQLite path or postgresql:// URL), open_store options as JSON, key file, port
RECEIVER = (
    "import json, sys; from pintools.leads.keys import KeyFile; from pintools.leads.store_postgres import open_store; "
    "from pintools.leads.receiver import serve; "
    "serve(open_store(sys.argv[1], **json.loads(sys.argv[2])), KeyFile(sys.argv[3]).keyring(), host='127.0.0.1', "
    "port=int(sys.argv[4]))"
)

SENDER = r'''
import json, sys, time
import requests
from pintools.leads.crypto import encrypt_answers

url, key, seconds, batch, first = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
session = requests.Session()
latencies, errors, sent, n = [], 0, 0, first
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


def _postgres_url(db: str) -> str:
    return db or os.environ.get("PINTOOLS_BENCH_POSTGRES_URL") or os.environ.get("PINTOOLS_TEST_POSTGRES_URL", "")


def _drop_schema(url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _start_receiver(target: str, options: dict, keys: Path, port: int) -> subprocess.Popen:
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, target, json.dumps(options), str(keys), str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/pinterest/leads"
    for _ in range(200):  # up to ~20 s for the receiver to listen
        if receiver.poll() is not None:
            raise RuntimeError(f"receiver exited with {receiver.returncode}")
        try:
            requests.get(url, timeout=0.5)
            return receiver
        except requests.ConnectionError:
            time.sleep(0.1)
    receiver.kill()
    receiver.wait(timeout=10)
    raise RuntimeError("receiver did not start")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process (Linux ``/proc``); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def measure(target: str, options: dict, *, seconds: float, batch: int, stalled: int, senders: int) -> dict:
    """One run: a receiver on ``open_store(target, **options)`` (emptied by the caller), ``senders``
    senders for ``seconds``, ``stalled`` stalled connections open meanwhile; the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-leads-") as tmp:
        keys = KeyFile(Path(tmp) / "keys.json")
        key = new_key()
        keys.save({"id": "8078432025948590686", "ad_account_id": "549755885175", "lead_form_id": None,
                   "cryptographic_key": key})
        port = _free_port()
        url = f"http://127.0.0.1:{port}/pinterest/leads"
        receiver = _start_receiver(target, options, keys.path, port)
        cpu_start = _cpu_seconds(receiver.pid)  # after start-up: the CPU of the measurement alone
        held = StalledConnections("127.0.0.1", port, stalled)
        try:
            with held:
                procs = [subprocess.Popen([sys.executable, "-c", SENDER, url, key, str(seconds), str(batch),
                                           str(i * 100_000_000)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True) for i in range(senders)]
                outputs = [p.communicate(timeout=seconds + 120) for p in procs]
        finally:
            cpu_end = _cpu_seconds(receiver.pid)
            cpu = None if cpu_start is None or cpu_end is None else cpu_end - cpu_start
            if receiver.poll() is None:
                receiver.kill()
            receiver.wait(timeout=10)
        results = []
        for p, (out, err) in zip(procs, outputs, strict=True):
            if p.returncode != 0:
                raise RuntimeError(f"a sender failed: {err[-2000:]}")
            results.append(json.loads(out))
    with open_store(target, **options) as store:
        committed, quarantined = len(store.leads()), len(store.quarantined())
    latencies = [x for r in results for x in r["latencies"]]
    requests_sent = sum(r["requests"] for r in results)
    return {
        "stalled_connections": stalled,
        "stalled_closed_by_server": held.closed_by_server,
        "senders": senders,
        "requests": requests_sent,
        "errors": sum(r["errors"] for r in results),
        "leads_acknowledged": sum(r["leads_acknowledged"] for r in results),
        "leads_committed": committed,
        "quarantined": quarantined,
        "leads_per_second": round(committed / seconds, 1),
        "requests_per_second": round(requests_sent / seconds, 1),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 2),
        # CPU the receiver process used during the measurement, per request: comparable on a busy machine
        "receiver_cpu_ms_per_request": round(cpu * 1000 / requests_sent, 2) if cpu is not None and requests_sent
        else None,
    }


def _runs(backend: str, db: str, stalled: int, run_one) -> dict:
    """``run_one(target, options, stalled)`` for each store and stalled count; figures by run name."""
    out: dict = {}
    counts = [0, stalled] if stalled else [0]
    if backend in ("sqlite", "both"):
        for n in counts:
            with tempfile.TemporaryDirectory(prefix="bench-leads-db-") as tmp:
                out[f"sqlite{'_stalled' if n else ''}"] = run_one(str(Path(tmp) / "leads.sqlite3"), {}, n)
    if backend in ("postgres", "both"):
        url = _postgres_url(db)
        if not url:
            out["postgres"] = ("skipped: no PostgreSQL (set PINTOOLS_BENCH_POSTGRES_URL or db=, or "
                               "source scripts/postgres.sh)")
            return out
        for n in counts:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            try:
                out[f"postgres{'_stalled' if n else ''}"] = run_one(url, {"schema": schema}, n)
            finally:
                _drop_schema(url, schema)
    return out


def run(seconds: float = 5, batch: int = 10, backend: str = "both", stalled: int = 200, senders: int = 1,
        db: str = "") -> dict:
    """``backend``: ``sqlite``, ``postgres`` or ``both``; ``stalled``: connections held open in the
    second run of each store (0: no such run); ``db``: a ``postgresql://`` URL (else the env vars).

    >>> run(seconds=2, backend="sqlite", stalled=200)["sqlite_stalled"]["p99_ms"]   # doctest: +SKIP
    12.3
    """
    if backend not in ("sqlite", "postgres", "both"):
        raise ValueError(f"backend must be sqlite, postgres or both, got {backend!r}")
    if db and not db.startswith(URL_SCHEMES):
        raise ValueError("db must be a postgresql:// URL (SQLite runs use a temp file)")
    load = os.getloadavg()[0]
    runs = _runs(backend, db, int(stalled), lambda target, options, n: measure(
        target, options, seconds=seconds, batch=int(batch), stalled=n, senders=int(senders)))
    return {"seconds": seconds, "batch": batch, "cpus": os.cpu_count(), "load_before": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2), **runs}
