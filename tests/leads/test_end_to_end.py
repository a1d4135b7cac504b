"""Lead ads end to end on the emulator: subscription → test lead → encrypted POST → receiver →
store → read_leads, plus duplicates and a lead whose key arrives later."""

import threading
import time

import pytest

import pintools as pt
from pintools.leads.keys import KeyFile, subscribe
from pintools.leads.receiver import create_receiver, start_receiver


@pytest.fixture
def emu():
    from pintools.emulator import start

    srv = start(seed=42, clock="2026-11-15T12:00:00Z")
    srv.control.set_delivery_behaviour(max_attempts=3, backoff_seconds=0.01)
    yield srv
    violations = srv.control.spec_violations()
    srv.stop()
    assert violations == [], violations


@pytest.fixture
def receiver(tmp_path, store):
    """A real receiver on loopback (waitress), with its store (SQLite, then PostgreSQL) and key file,
    which it follows: keys saved after it started are used without a restart."""
    keys = KeyFile(tmp_path / "keys.json")
    running = start_receiver(store, keys)
    yield running.url, store, keys
    running.close()


def test_a_test_lead_arrives_decrypted_in_the_frame(emu, receiver):
    url, store, keys = receiver
    client = pt.connect(emulator=emu, quiet=True)
    account = pt.read_ad_accounts(client=client).id[0]
    form = next(iter(client.leads.lead_forms(account)))
    sub = subscribe(account, url, lead_form_id=form["id"], client=client, keys=keys)
    assert "cryptographic_key" not in sub and len(keys.entries()) == 1
    questions = form["questions"]
    answers = []
    for q in questions:
        kind = q["question_type"]
        answers.append({"EMAIL": "ada@example.com", "PHONE_NUMBER": "+1 415 555 0100", "ZIP_CODE": "94107"}.get(
            kind, (q.get("custom_question_options") or ["Ada"])[0] if kind == "CUSTOM" else "Ada Lovelace"))
    client.leads.create_test_lead(account, form["id"], answers)
    emu.control.wait_for_deliveries(timeout=10)
    frame = pt.read_leads(store)
    assert len(frame) == 1 and frame["lead_id"].iloc[0] == "TEST_API"
    assert frame["lead_form_id"].iloc[0] == form["id"] and str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    if "EMAIL" in frame.columns:
        assert frame["EMAIL"].iloc[0] == "ada@example.com"
    custom = [q["custom_question_label"] for q in questions if q["question_type"] == "CUSTOM"]
    for label in custom:
        assert label in frame.columns


def test_fired_leads_are_each_stored_once(emu, receiver):
    url, store, keys = receiver
    client = pt.connect(emulator=emu, quiet=True)
    account = pt.read_ad_accounts(client=client).id[0]
    sub = subscribe(account, url, client=client, keys=keys)
    fired = emu.control.fire_leads(sub["id"], 25)
    emu.control.wait_for_deliveries(timeout=10)
    frame = pt.read_leads(store)
    assert sorted(frame["lead_id"]) == sorted(fired["lead_ids"]) and frame["lead_id"].is_unique
    log = emu.control.deliveries()
    assert {e["outcome"] for e in log} == {"delivered"}


def test_a_lead_for_an_unknown_key_is_quarantined_then_reprocessed(emu, receiver, tmp_path):
    url, store, keys = receiver
    client = pt.connect(emulator=emu, quiet=True)
    account = pt.read_ad_accounts(client=client).id[0]
    created = client.leads.create_subscription(account, url)  # key NOT saved yet
    emu.control.fire_leads(created["id"], 3)
    emu.control.wait_for_deliveries(timeout=10)
    assert len(pt.read_leads(store)) == 0 and len(store.quarantined()) == 3
    keys.save({**created, "ad_account_id": account, "lead_form_id": None})
    counts = store.reprocess(keys.keyring())
    assert sum(counts.values()) >= 3
    assert len(pt.read_leads(store)) == 3 and len(store.quarantined()) == 0


def test_each_stored_lead_is_forwarded_to_a_url_and_a_failing_hook_loses_nothing(emu, tmp_path, store):
    import json as _json
    from http.server import BaseHTTPRequestHandler, HTTPServer


    received, statuses = [], [500, 200, 200, 200]

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            received.append(_json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(statuses[min(len(received) - 1, 3)])
            self.end_headers()

        def log_message(self, *args):
            pass

    hook = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    keys = KeyFile(tmp_path / "keys.json")
    client = pt.connect(emulator=emu, quiet=True)
    account = pt.read_ad_accounts(client=client).id[0]

    running = start_receiver(store, keys, forward=f"http://127.0.0.1:{hook.server_port}/crm")
    try:
        sub = subscribe(account, running.url, client=client, keys=keys)
        fired = emu.control.fire_leads(sub["id"], 4)
        emu.control.wait_for_deliveries(timeout=10)
        deadline = time.time() + 10
        while len(received) < 4 and time.time() < deadline:
            time.sleep(0.05)
    finally:
        running.close()
        hook.shutdown()
    assert sorted(r["lead_id"] for r in received) == sorted(fired["lead_ids"])
    assert all(isinstance(r["answers"], dict) and r["answers"] for r in received)
    assert len(pt.read_leads(store)) == 4  # the lead whose forward got a 500 is still stored
    with pytest.raises(ValueError, match="must be http"):
        create_receiver(store, keys.keyring(), forward="ftp://crm")


@pytest.mark.parametrize("reencrypt", [False, True])
def test_a_retry_after_a_lost_answer_is_one_lead_however_pinterest_resends_it(emu, tmp_path, store, reencrypt):
    """The guide says neither whether a retry re-encrypts the answers nor which content type a
    delivery has: the emulator does each, and the receiver stores the lead once, with no conflict."""
    import waitress

    emu.control.set_delivery_behaviour(max_attempts=3, backoff_seconds=0.01, reencrypt_retries=reencrypt,
                                       content_type="text/plain; charset=utf-8")
    keys = KeyFile(tmp_path / "keys.json")
    app = create_receiver(store, keys)
    answered = []

    def answer_lost_once(environ, start_response):  # stored, then the 200 never reaches Pinterest
        body = b"".join(app(environ, lambda *a, **k: None))
        answered.append(body)
        status = "502 Bad Gateway" if len(answered) == 1 else "200 OK"
        start_response(status, [("Content-Type", "application/json")])
        return [body]

    server = waitress.create_server(answer_lost_once, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        client = pt.connect(emulator=emu, quiet=True)
        account = pt.read_ad_accounts(client=client).id[0]
        url = f"http://127.0.0.1:{server.effective_port}/pinterest/leads"
        sub = subscribe(account, url, client=client, keys=keys)
        fired = emu.control.fire_leads(sub["id"], 1)
        attempts = emu.control.wait_for_deliveries(timeout=10)
    finally:
        server.close()
    assert [a["status"] for a in attempts] == [502, 200]
    assert [lead["lead_id"] for lead in store.leads()] == fired["lead_ids"]
    assert store.conflicts() == [] and store.quarantined() == []
    assert '"duplicate": 1' in answered[1].decode()
