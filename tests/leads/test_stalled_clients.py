"""Clients that open connections and stall cannot starve Pinterest's deliveries.

Pinterest retries a delivery only on 429 and 5xx, so a delivery that times out behind idle
connections risks a lost lead. The receiver runs as a real process (as ``leads serve`` does); 200
connections are opened and left stalled — connected and silent, stopped in the middle of the
headers, or stopped in the middle of a body — and a real delivery sent meanwhile must be answered
200 and stored. (Speed with stalled connections open is measured by ``python -m bench leads``.)
"""

import json
import socket
import time

import requests

from pintools.leads.crypto import new_key
from pintools.leads.keys import KeyFile
from pintools.leads.store_postgres import open_store

from .test_receiver_kill import ACCOUNT, free_port, lead, start_receiver, stop

SILENT, PARTIAL_HEADERS, PARTIAL_BODY = 120, 40, 40  # 200 stalled connections


def open_stalled(host: str, port: int, *, silent: int, partial_headers: int, partial_body: int) -> list[socket.socket]:
    """Open connections that never finish a request: some send nothing, some stop in the middle of the
    headers, some send the headers and part of the body they announce."""
    head = f"POST /pinterest/leads HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
    payloads = ([b""] * silent + [head.encode()] * partial_headers
                + [(head + "Content-Length: 10000\r\n\r\n[{\"lead_id\": ").encode()] * partial_body)
    socks = []
    try:
        for payload in payloads:
            s = socket.create_connection((host, port), timeout=5)
            if payload:
                s.sendall(payload)
            socks.append(s)
    except BaseException:
        for s in socks:
            s.close()
        raise
    return socks


def deliver_past_stalled_connections(tmp_path, receiver_code: str | None = None) -> tuple[int | None, list[dict]]:
    """Start a receiver, open the stalled connections, POST one delivery (5 s timeout): its status
    (None if it got no answer) and the leads stored. ``receiver_code`` replaces the receiver's
    ``python -c`` program (to compare with other server settings)."""
    keys = KeyFile(tmp_path / "keys.json")
    key = new_key()
    keys.save({"id": "8078432025948590686", "ad_account_id": ACCOUNT, "lead_form_id": None, "cryptographic_key": key})
    db = (str(tmp_path / "leads.sqlite3"), {})
    port = free_port()
    proc = start_receiver(db, keys.path, port, code=receiver_code)
    socks = []
    try:
        socks = open_stalled("127.0.0.1", port, silent=SILENT, partial_headers=PARTIAL_HEADERS,
                             partial_body=PARTIAL_BODY)
        time.sleep(0.5)  # let the server take them all in
        try:
            status = requests.post(f"http://127.0.0.1:{port}/pinterest/leads", data=json.dumps([lead(1, key)]),
                                   headers={"Content-Type": "application/json"}, timeout=5).status_code
        except requests.RequestException:
            status = None
    finally:
        for s in socks:
            s.close()
        stop(proc)
    with open_store(db[0]) as store:
        return status, store.leads()


def test_a_delivery_is_answered_and_stored_while_200_connections_stall(tmp_path):
    status, leads = deliver_past_stalled_connections(tmp_path)
    assert status == 200, "the delivery got no answer within 5 s behind 200 stalled connections"
    assert [row["lead_id"] for row in leads] == ["9000001"]
    assert leads[0]["answers"] == {"EMAIL": "lead1@example.com"}
