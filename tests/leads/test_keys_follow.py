"""A running receiver follows its key file: keys that ``subscribe()`` (or anyone) adds while it runs
are used at once, and the quarantine is retried when they arrive — no restart, no manual reprocess."""

import time

import pytest

from pintools.leads import KeyRing, new_key
from pintools.leads.keys import KeyFile, LiveKeys
from pintools.leads.receiver import create_receiver, start_receiver

from .conftest import ANSWERS, body, make_lead

PATH = "/pinterest/leads"


def save_key(keys, key, sub_id="8078432025948590686"):
    keys.save({"id": sub_id, "ad_account_id": "111764359001", "lead_form_id": None, "cryptographic_key": key})


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_key_saved_after_start_opens_the_next_delivery(store, tmp_path):
    keys = KeyFile(tmp_path / "keys.json")
    app = create_receiver(store, keys)
    key = new_key()
    save_key(keys, key)  # e.g. subscribe() in the same notebook, after the receiver started
    resp = app.test_client().post(PATH, data=body(make_lead(key)), content_type="application/json")
    assert resp.get_json()["stored"] == 1
    assert store.leads()[0]["answers"] == ANSWERS


def test_quarantined_leads_are_retried_when_their_key_arrives(store, tmp_path):
    keys = KeyFile(tmp_path / "keys.json")
    running = start_receiver(store, keys, watch_seconds=0.1)
    try:
        import requests

        key = new_key()
        early = requests.post(running.url, data=body(make_lead(key, lead_id="1"), make_lead(key, lead_id="2")),
                              headers={"Content-Type": "application/json"}, timeout=10)
        assert early.json()["quarantined"] == 2  # the lead came before its key
        save_key(keys, key)  # no delivery follows: the receiver notices the new key itself
        assert wait_for(lambda: len(store.leads()) == 2), store.quarantined()
        assert store.quarantined() == []
    finally:
        running.close()


def test_a_receiver_started_after_a_crash_finishes_what_was_committed(store, tmp_path):
    keys = KeyFile(tmp_path / "keys.json")
    key = new_key()
    save_key(keys, key)
    store.save_delivery(body(make_lead(key, lead_id="1")))  # committed, then the process died
    running = start_receiver(store, keys)
    try:
        assert [lead["lead_id"] for lead in store.leads()] == ["1"] and store.pending_deliveries() == []
    finally:
        running.close()


def test_an_unreadable_key_file_keeps_the_keys_already_loaded(tmp_path):
    keys = KeyFile(tmp_path / "keys.json")
    save_key(keys, new_key())
    live = LiveKeys(keys)
    assert len(live.ring) == 1
    keys.path.write_text("[{half written")
    assert live.reload_if_changed() is False and len(live.ring) == 1
    with pytest.raises(ValueError, match="not valid JSON.*does not overwrite it"):
        save_key(keys, new_key(), sub_id="2")  # the broken file is never replaced: it may hold keys
    keys.path.unlink()
    save_key(keys, new_key(), sub_id="2")
    save_key(keys, new_key(), sub_id="3")
    assert live.reload_if_changed() is True and len(live.ring) == 2


def test_a_key_ring_given_directly_stays_fixed(store):
    ring = KeyRing()
    app = create_receiver(store, ring)
    assert app.extensions["pintools_leads"].check() is False


def test_subscribe_refuses_before_creating_anything_when_the_key_file_is_broken(tmp_path):
    from types import SimpleNamespace

    from pintools.leads.keys import subscribe

    created = []
    client = SimpleNamespace(leads=SimpleNamespace(
        create_subscription=lambda *a, **k: created.append(a) or {"id": "1", "cryptographic_key": new_key()}))
    keys = KeyFile(tmp_path / "keys.json")
    keys.path.write_text("{not json")
    with pytest.raises(ValueError, match="keys.json is not valid JSON"):
        subscribe("111764359001", "https://leads.example.com/hook", client=client, keys=keys)
    assert created == []  # no subscription whose key would have been lost
    keys.path.unlink()
    subscribe("111764359001", "https://leads.example.com/hook", client=client, keys=keys)
    assert len(created) == 1 and len(keys.entries()) == 1
