"""A lead store written by an earlier pintools (no fingerprints, quarantine keyed by lead id) is
upgraded in place when opened: nothing is lost, and replays of its old leads are recognised."""

import json
import sqlite3

from pintools.leads import KeyRing, LeadStore, new_key
from pintools.leads.receiver import create_receiver

from .conftest import ANSWERS, SPEC_KEY, body, make_lead

V1_SCHEMA = """
CREATE TABLE deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, body BLOB NOT NULL,
                         status TEXT NOT NULL DEFAULT 'received');
CREATE TABLE leads (dedupe_key TEXT PRIMARY KEY, lead_id TEXT NOT NULL, is_test INTEGER NOT NULL,
    advertiser_id TEXT, lead_form_id TEXT, ad_id TEXT, campaign_id TEXT, ad_group_id TEXT, user_id TEXT,
    lead_form_name TEXT, campaign_name TEXT, ad_group_name TEXT, ad_name TEXT,
    created_at TEXT, created_at_ms INTEGER, version TEXT, answers TEXT NOT NULL,
    delivery_id INTEGER REFERENCES deliveries(id), stored_at TEXT NOT NULL);
CREATE INDEX leads_created ON leads(created_at_ms);
CREATE TABLE quarantine (dedupe_key TEXT PRIMARY KEY, item TEXT NOT NULL, error TEXT NOT NULL,
    delivery_id INTEGER REFERENCES deliveries(id), quarantined_at TEXT NOT NULL);
"""


def old_store(path, stored, waiting):
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO deliveries(id, received_at, body, status) VALUES (1, 't', ?, 'processed')",
                 (body(stored, waiting),))
    conn.execute("INSERT INTO leads(dedupe_key, lead_id, is_test, created_at, created_at_ms, answers, delivery_id, "
                 "stored_at) VALUES (?, ?, 0, ?, ?, ?, 1, 't')",
                 (stored["lead_id"], stored["lead_id"], stored["created_at"], int(stored["created_at"]),
                  json.dumps(ANSWERS)))
    conn.execute("INSERT INTO quarantine VALUES (?, ?, 'authentication failed', 1, 't')",
                 (waiting["lead_id"], json.dumps(waiting)))
    conn.commit()
    conn.close()


def test_an_old_store_is_upgraded_and_keeps_working(tmp_path):
    later = new_key()
    stored, waiting = make_lead(lead_id="100"), make_lead(later, lead_id="200")
    path = tmp_path / "old.sqlite3"
    old_store(path, stored, waiting)
    with LeadStore(path) as store:
        assert [lead["lead_id"] for lead in store.leads()] == ["100"]
        assert [(q["quarantine_key"], q["dedupe_key"]) for q in store.quarantined()] == [("200", "200")]
        app = create_receiver(store, KeyRing({"1": SPEC_KEY}))
        # the old lead's ciphertext was fingerprinted from its delivery: a replay of it is recognised
        replay = {**stored, "lead_id": "300"}
        answer = app.test_client().post("/pinterest/leads", data=body(replay), content_type="application/json")
        assert answer.get_json()["replay"] == 1
        assert store.reprocess(KeyRing({"2": later})) == {"recovered": 1}
        assert {lead["lead_id"] for lead in store.leads()} == {"100", "200"} and store.quarantined() == []
    with LeadStore(path) as again:  # opening twice changes nothing
        assert len(again.leads()) == 2 and len(again.conflicts()) == 1
