import json
import logging
import os
import sqlite3
import threading

import pytest

from pintools.leads import KeyRing, LeadStore, new_key
from pintools.leads.receiver import create_receiver
from pintools.leads.store import default_db_path

from .conftest import ANSWERS, SPEC_KEY, body, make_lead, reopen, sqlite_only

PATH = "/pinterest/leads"


def post(app, data, content_type="application/json"):
    return app.test_client().post(PATH, data=data, content_type=content_type)


def test_good_delivery_is_stored_and_decrypted(store, keyring):
    app = create_receiver(store, keyring)
    resp = post(app, body(make_lead(), make_lead(lead_id="2")))
    assert resp.status_code == 200
    assert resp.get_json()["stored"] == 2
    leads = store.leads()
    assert [lead["lead_id"] for lead in leads] == ["2", "5554397289529204001"]
    assert leads[0]["answers"] == ANSWERS
    assert leads[0]["advertiser_id"] == "111764359001"
    assert leads[0]["is_test"] is False and leads[0]["delivery_id"] == resp.get_json()["delivery_id"]
    assert store.pending_deliveries() == []
    with reopen(store) as other:  # committed: seen by another connection
        assert len(other.leads()) == 2 and other.pending_deliveries() == []


def test_same_lead_five_times_is_stored_once(store, keyring):
    app = create_receiver(store, keyring)
    lead = make_lead()
    for _ in range(5):
        resp = post(app, body(lead))
        assert resp.status_code == 200
    assert len(store.leads()) == 1
    # redelivered with a fresh encryption (new nonce) is still the same lead
    assert post(app, body(make_lead())).get_json()["duplicate"] == 1
    assert len(store.leads()) == 1


def test_test_leads_are_kept_apart_by_created_at_and_form(store, keyring):
    app = create_receiver(store, keyring)
    t1 = make_lead(lead_id="TEST_API", created_at="1700000000000")
    t2 = make_lead(lead_id="TEST_API", created_at="1700000001000")
    t3 = make_lead(lead_id="TEST_API", created_at="1700000000000", form="42")
    for lead in (t1, t2, t3, t1):
        assert post(app, body(lead)).status_code == 200
    leads = store.leads()
    assert len(leads) == 3 and all(lead["is_test"] for lead in leads)


@pytest.mark.parametrize("data,match", [
    (b'{"lead_id": "1"}', "array"),
    (b"[{not json", "not valid JSON"),
    (b"\xff\xfe[]", "UTF-8"),
    (b"", "not valid JSON"),
    (b"[" * 100_000, "nests deeper than 32 levels"),  # json.loads alone would raise RecursionError: a 500
    (b'[{"lead_id": "1", "answers": {"a": ' + b"[" * 31 + b"1" + b"]" * 31 + b"}}]", "nests deeper than 32 levels"),
])
def test_a_body_that_is_not_leads_is_stored_then_answered_400(store, keyring, data, match):
    resp = post(create_receiver(store, keyring), data)
    assert resp.status_code == 400 and match in resp.get_json()["error"]
    assert store.leads() == [] and store.quarantined() == []
    rejected = store.deliveries("rejected")  # kept verbatim for inspection: Pinterest does not retry a 4xx
    assert [(d["id"], d["body"]) for d in rejected] == [(resp.get_json()["delivery_id"], data)]
    assert store.pending_deliveries() == [] and store.counts()["rejected_deliveries"] == 1


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream",
                                   "application/json; charset=utf-8", None])
def test_leads_are_taken_whatever_the_content_type(store, keyring, ctype):
    """The guide does not say which content type Pinterest sends, and a 4xx is never retried."""
    resp = app_post = create_receiver(store, keyring).test_client().post(
        PATH, data=body(make_lead()), headers={} if ctype is None else {"Content-Type": ctype})
    assert app_post.status_code == 200, resp.get_json()
    assert [lead["lead_id"] for lead in store.leads()] == ["5554397289529204001"]


def test_one_lead_object_not_in_an_array_is_taken(store, keyring):
    resp = post(create_receiver(store, keyring), json.dumps(make_lead()).encode())
    assert resp.status_code == 200 and resp.get_json()["stored"] == 1


def test_oversized_body_is_413_and_stores_nothing(store, keyring):
    app = create_receiver(store, keyring, max_body_bytes=2000)
    resp = post(app, body(*[make_lead(lead_id=str(i)) for i in range(10)]))
    assert resp.status_code == 413
    assert "larger than 2000" in resp.get_json()["error"]
    assert store.deliveries() == []


def test_wrong_method_and_configurable_path(store, keyring):
    app = create_receiver(store, keyring, path="/hooks/pin")
    client = app.test_client()
    assert client.get("/hooks/pin").status_code == 405
    assert client.post("/hooks/pin", data=body(make_lead()), content_type="application/json").status_code == 200


def test_commit_failure_is_503_and_retry_loses_nothing(store, keyring, monkeypatch):
    app = create_receiver(store, keyring)

    def broken(work):
        raise OSError("disk I/O error")
    monkeypatch.setattr(store, "_transaction", broken)
    resp = post(app, body(make_lead()))
    assert resp.status_code == 503
    monkeypatch.undo()
    assert store.deliveries() == []
    resp = post(app, body(make_lead()))  # Pinterest retries
    assert resp.status_code == 200
    assert len(store.leads()) == 1
    store.close()
    with reopen(store) as fresh:  # acknowledged = durable
        assert len(fresh.leads()) == 1 and fresh.pending_deliveries() == []


def test_read_only_database_is_503(tmp_path, keyring):
    path = tmp_path / "ro.sqlite3"
    LeadStore(path).close()
    ro = LeadStore.__new__(LeadStore)
    ro.path = path
    ro._lock = threading.RLock()
    ro._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
    resp = post(create_receiver(ro, keyring), body(make_lead()))
    assert resp.status_code == 503
    ro._conn.close()


def test_processing_failure_after_commit_is_503_and_reprocess_finishes(store, keyring, monkeypatch):
    app = create_receiver(store, keyring)
    monkeypatch.setattr(store, "file", lambda *a, **k: (_ for _ in ()).throw(OSError("x")))
    assert post(app, body(make_lead())).status_code == 503
    monkeypatch.undo()
    assert len(store.pending_deliveries()) == 1
    assert store.reprocess(keyring) == {"stored": 1}
    assert len(store.leads()) == 1 and store.pending_deliveries() == []


def test_undecryptable_is_quarantined_then_reprocessed(store, keyring):
    later_key = new_key()
    app = create_receiver(store, keyring)
    waiting = make_lead(later_key, lead_id="77")
    resp = post(app, body(waiting, make_lead()))
    assert resp.status_code == 200
    assert resp.get_json() | {"delivery_id": 0} == {"delivery_id": 0, "stored": 1, "duplicate": 0, "quarantined": 1,
                                                      "replay": 0, "conflict": 0}
    q = store.quarantined()
    assert len(q) == 1 and q[0]["dedupe_key"] == "77" and "authentication failed" in q[0]["error"]
    assert post(app, body(waiting)).get_json()["duplicate"] == 1  # redelivered as it was: still one
    assert len(store.quarantined()) == 1
    # the same lead id with another ciphertext is kept beside it, never in its place (it may be a forgery)
    assert post(app, body(make_lead(later_key, lead_id="77"))).get_json()["quarantined"] == 1
    assert len(store.quarantined()) == 2
    assert store.reprocess(keyring) == {"still_quarantined": 2}
    keyring.add(later_key, subscription_id="2")
    # both open now; the second carries the same answers: a re-encrypted retry, not a conflict
    assert store.reprocess(keyring) == {"recovered": 1, "duplicate": 1}
    assert store.quarantined() == [] and store.conflicts() == []
    assert {lead["lead_id"] for lead in store.leads()} == {"77", "5554397289529204001"}


def test_items_that_are_not_leads_are_quarantined(store, keyring):
    resp = post(create_receiver(store, keyring), json.dumps([42, {"answers": {}}]).encode())
    assert resp.status_code == 200
    assert sorted(q["error"] for q in store.quarantined()) == ["no lead_id", "not a JSON object but a int"]


def test_forward_hook_failure_never_loses_the_lead(store, keyring, caplog):
    seen = []

    def forward(lead):
        seen.append(lead)
        raise RuntimeError("CRM down")
    app = create_receiver(store, keyring, forward=forward)
    with caplog.at_level(logging.DEBUG):
        assert post(app, body(make_lead())).status_code == 200
        assert post(app, body(make_lead())).status_code == 200  # duplicate: not forwarded again
    assert len(seen) == 1 and seen[0]["answers"] == ANSWERS
    assert len(store.leads()) == 1
    assert "forwarding lead 5554397289529204001 failed" in caplog.text


def test_no_key_or_plaintext_in_logs(store, caplog):
    ring = KeyRing({"1": SPEC_KEY})
    app = create_receiver(store, ring, forward=lambda lead: 1 / 0)
    with caplog.at_level(logging.DEBUG):
        post(app, body(make_lead(), make_lead(new_key(), lead_id="9")))
        post(app, b"[{not json")
    text = caplog.text + json.dumps(store.quarantined())
    assert caplog.records
    for secret in (SPEC_KEY, *ANSWERS.values()):
        assert secret not in text


def test_default_db_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PINTOOLS_LEADS_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("PINTOOLS_LEADS_DB")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "pintools" / "leads.sqlite3"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "state" / "pintools" / "leads.sqlite3"


@sqlite_only
def test_store_pragmas_and_durability(store):
    assert os.stat(store.path).st_mode & 0o777 == 0o600  # decrypted answers: personal data
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    d = store.save_delivery(b"[]")
    for suffix in ("-wal", "-shm"):  # SQLite's side files hold the same data
        assert os.stat(f"{store.path}{suffix}").st_mode & 0o777 == 0o600
    other = sqlite3.connect(store.path)  # committed: visible to another connection at once
    assert other.execute("SELECT body FROM deliveries WHERE id = ?", (d,)).fetchone()[0] == b"[]"
    other.close()


def test_a_20_mb_body_is_refused_at_the_default_limit_and_stores_nothing(store, keyring):
    resp = post(create_receiver(store, keyring), b"[" + b" " * (20 * 1024 * 1024) + b"]")
    assert resp.status_code == 413
    assert store._conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0


def test_leads_filter_by_time_and_form(store, keyring):
    app = create_receiver(store, keyring)
    post(app, body(make_lead(lead_id="1", created_at="1000", form="A"), make_lead(lead_id="2", created_at="2000", form="B"),
                   make_lead(lead_id="3", created_at="3000", form="A")))
    assert [lead["lead_id"] for lead in store.leads(since_ms=2000)] == ["2", "3"]
    assert [lead["lead_id"] for lead in store.leads(form="A")] == ["1", "3"]
    assert [lead["lead_id"] for lead in store.leads(since_ms=2000, form="A")] == ["3"]


def test_a_store_file_others_can_read_is_made_private(tmp_path, caplog):
    path = tmp_path / "leads.sqlite3"
    LeadStore(path).close()
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING):
        LeadStore(path).close()
    assert os.stat(path).st_mode & 0o777 == 0o600 and "made private (0600)" in caplog.text
