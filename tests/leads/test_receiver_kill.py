"""The receiver as a real process, SIGKILLed in the middle of a burst of deliveries, on SQLite and on
PostgreSQL (``[sqlite]``/``[postgres]``, the ``backend`` fixture of conftest.py).

Every lead whose POST was answered 2xx must be in the store after the crash, and resending the
leads that got no answer stores each of them exactly once. Loopback only, every loop bounded.
"""

import json
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from pintools.leads.crypto import encrypt_answers, new_key
from pintools.leads.keys import KeyFile
from pintools.leads.store_postgres import open_store

from ._postgres import URL, fresh_schema

ACCOUNT, FORM = "549755885175", "6530087100123"
N_LEADS = 120
KILL_AFTER = 40  # answered leads before the SIGKILL

# argv: the store (a SQLite path or a postgresql:// URL), open_store's options as JSON, the key file, the port
RECEIVER = (
    "import json, sys; from pintools.leads.keys import KeyFile; from pintools.leads.store_postgres import open_store; "
    "from pintools.leads.receiver import serve; "
    "serve(open_store(sys.argv[1], **json.loads(sys.argv[2])), KeyFile(sys.argv[3]).keyring(), host='127.0.0.1', "
    "port=int(sys.argv[4]))"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_receiver(db, keys, port, *, code: str | None = None) -> subprocess.Popen:
    """``db``: ``(SQLite path or postgresql:// URL, open_store options)``; ``code``: another ``python -c``
    program taking the same arguments (default :data:`RECEIVER`)."""
    target, options = db
    proc = subprocess.Popen([sys.executable, "-c", code or RECEIVER, str(target), json.dumps(options), str(keys),
                             str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/pinterest/leads"
    for _ in range(200):  # up to ~20 s
        if proc.poll() is not None:
            raise RuntimeError(f"receiver exited with {proc.returncode}")
        try:
            requests.get(url, timeout=0.5)  # 405: it is up
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("receiver did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def lead(i: int, key: str) -> dict:
    return {"advertiser_id": ACCOUNT, "lead_form_id": FORM, "ad_id": "687000000001", "campaign_id": "626000000001",
            "ad_group_id": "2680000000001", "lead_id": str(9_000_000 + i), "user_id": str(100 + i),
            "lead_form_name": "Kill test", "campaign_name": "C", "ad_group_name": "G", "ad_name": "A",
            "created_at": str(1_763_208_000_000 + i * 1000), "version": "v5",
            "answers": encrypt_answers({"EMAIL": f"lead{i}@example.com"}, key)}


def post(url: str, item: dict) -> int | None:
    """The status, or None when there was no answer (connection refused/reset, timeout)."""
    try:
        return requests.post(url, data=json.dumps([item]), headers={"Content-Type": "application/json"},
                             timeout=5).status_code
    except requests.RequestException:
        return None


@pytest.fixture
def setup(tmp_path, backend):
    """``(db, key file, key)``; ``db`` is ``(SQLite path or postgresql:// URL, open_store options)``."""
    keys = KeyFile(tmp_path / "keys.json")
    key = new_key()
    keys.save({"id": "8078432025948590686", "ad_account_id": ACCOUNT, "lead_form_id": None, "cryptographic_key": key})
    if backend == "sqlite":
        yield (str(tmp_path / "leads.sqlite3"), {}), keys.path, key
        return
    with fresh_schema() as schema:  # the receiver creates it on start
        yield (URL, {"schema": schema}), keys.path, key


def test_sigkill_midway_loses_no_answered_lead_and_resends_store_once(setup):
    db, keys_path, key = setup
    port = free_port()
    url = f"http://127.0.0.1:{port}/pinterest/leads"
    items = [lead(i, key) for i in range(N_LEADS)]
    statuses: dict[str, int | None] = {}
    enough = threading.Event()

    def sender():
        for item in items:  # bounded: one POST per lead, as fast as the receiver answers
            status = post(url, item)
            statuses[item["lead_id"]] = status
            if sum(1 for s in statuses.values() if s is not None and 200 <= s < 300) >= KILL_AFTER:
                enough.set()
        enough.set()

    proc = start_receiver(db, keys_path, port)
    try:
        thread = threading.Thread(target=sender, daemon=True)
        thread.start()
        assert enough.wait(timeout=60)
        proc.send_signal(signal.SIGKILL)  # midway: the sender keeps posting into a dead port
        proc.wait(timeout=10)
        thread.join(timeout=120)
        assert not thread.is_alive()
    finally:
        stop(proc)

    answered = [i for i, s in statuses.items() if s is not None and 200 <= s < 300]
    unanswered = [i for i, s in statuses.items() if s is None]
    assert len(statuses) == N_LEADS
    assert KILL_AFTER <= len(answered) < N_LEADS, "the kill should have happened midway"
    assert len(answered) + len(unanswered) == N_LEADS, {s for s in statuses.values()}

    with open_store(db[0], **db[1]) as store:  # after the crash, before any restart
        stored = {r["lead_id"] for r in store.leads()}
    assert set(answered) <= stored, f"{len(set(answered) - stored)} answered lead(s) lost"

    proc = start_receiver(db, keys_path, port)  # same store, same port
    try:
        by_id = {item["lead_id"]: item for item in items}
        again = {i: post(url, by_id[i]) for i in unanswered}
        assert all(s == 200 for s in again.values()), again
        assert post(url, by_id[answered[0]]) == 200  # a duplicate resend is harmless too
    finally:
        stop(proc)

    with open_store(db[0], **db[1]) as store:
        store.reprocess(KeyFile(keys_path).keyring())  # anything committed raw but never processed
        rows = store.leads()
        assert store.quarantined() == [] and store.pending_deliveries() == []
    ids = [r["lead_id"] for r in rows]
    assert len(ids) == len(set(ids)) == N_LEADS
    assert set(ids) == set(by_id)
    assert sum(1 for i in ids if i in set(answered)) == len(answered)
