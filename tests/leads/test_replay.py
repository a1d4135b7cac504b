"""Replays and squatting: only ``answers`` is authenticated (the AES-GCM tag), so a captured
ciphertext re-posted under another lead id, or a stored lead id arriving with other answers, is
held apart — never stored as a lead, never silently dropped — and a forgery can never make the
real lead be dropped as a duplicate. Runs on SQLite and PostgreSQL (the ``store`` fixture)."""

import json
import logging

import pintools as pt
from pintools.leads import KeyRing, new_key
from pintools.leads.receiver import create_receiver

from .conftest import ANSWERS, SPEC_KEY, body, make_lead

PATH = "/pinterest/leads"


def post(app, *leads):
    resp = app.test_client().post(PATH, data=body(*leads), content_type="application/json")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def replayed(lead, **changes):
    """The captured lead re-posted with its ciphertext untouched and other fields rewritten."""
    return {**lead, **changes}


def test_a_captured_ciphertext_under_another_lead_id_is_held_as_a_replay(store, keyring, caplog):
    app = create_receiver(store, keyring)
    real = make_lead(lead_id="100")
    assert post(app, real)["stored"] == 1
    with caplog.at_level(logging.WARNING, logger="pintools.leads"):
        answer = post(app, replayed(real, lead_id="999", campaign_name="Free money"))
    assert answer["replay"] == 1 and answer["stored"] == 0
    assert [lead["lead_id"] for lead in store.leads()] == ["100"]
    held = pt.read_leads(store, conflicts=True)
    assert held[["conflict", "lead_id", "held_against", "campaign_name"]].values.tolist() == [
        ["replay", "999", "100", "Free money"]]
    assert held.loc[0, "EMAIL"] == ANSWERS["EMAIL"]  # opened: a person can compare
    assert "lead 999 carries the ciphertext of a lead already stored under another lead id" in caplog.text
    assert ANSWERS["EMAIL"] not in caplog.text
    # Pinterest-style retry of the replay: still one held row
    post(app, replayed(real, lead_id="999", campaign_name="Free money"))
    assert len(store.conflicts()) == 1


def test_squatting_a_future_lead_id_cannot_shadow_the_real_lead(store, keyring):
    app = create_receiver(store, keyring)
    captured = make_lead(lead_id="100")
    post(app, captured)
    # the attacker posts the captured ciphertext under the id the next real lead will have...
    assert post(app, replayed(captured, lead_id="101"))["replay"] == 1
    # ...and junk under the id after that (no key opens it)
    junk = make_lead(new_key(), lead_id="102")
    assert post(app, junk)["quarantined"] == 1
    # the real leads arrive and are stored
    real_101 = make_lead(lead_id="101", answers={"EMAIL": "real101@example.com"})
    real_102 = make_lead(lead_id="102", answers={"EMAIL": "real102@example.com"})
    answer = post(app, real_101, real_102)
    assert answer["stored"] == 2 and answer["duplicate"] == 0
    leads = {lead["lead_id"]: lead["answers"]["EMAIL"] for lead in store.leads()}
    assert leads == {"100": ANSWERS["EMAIL"], "101": "real101@example.com", "102": "real102@example.com"}
    assert [q["dedupe_key"] for q in store.quarantined()] == ["102"]  # the junk stays in quarantine


def test_a_real_lead_whose_key_is_not_known_yet_is_not_shadowed_by_junk(store):
    later = new_key()
    app = create_receiver(store, KeyRing())
    post(app, make_lead(new_key(), lead_id="7"))  # junk first
    real = make_lead(later, lead_id="7", answers={"EMAIL": "real7@example.com"})
    assert post(app, real)["quarantined"] == 1  # kept beside the junk, not dropped as its duplicate
    assert store.reprocess(KeyRing({"1": later})) == {"recovered": 1, "still_quarantined": 1}
    assert [lead["answers"]["EMAIL"] for lead in store.leads()] == ["real7@example.com"]


def test_a_stored_lead_id_with_other_answers_is_held_as_a_conflict(store, keyring, caplog):
    app = create_receiver(store, keyring)
    post(app, make_lead(lead_id="100"))
    other = make_lead(lead_id="100", answers={"EMAIL": "someone-else@example.com"})
    with caplog.at_level(logging.WARNING, logger="pintools.leads"):
        assert post(app, other)["conflict"] == 1
    stored = store.leads()
    assert len(stored) == 1 and stored[0]["answers"] == ANSWERS  # the first stays as it was
    held = pt.read_leads(store, conflicts=True)
    assert held[["conflict", "lead_id", "held_against", "EMAIL"]].values.tolist() == [
        ["conflict", "100", "100", "someone-else@example.com"]]
    assert "lead 100 is already stored with other answers" in caplog.text


def test_a_re_encrypted_retry_with_the_same_answers_is_a_duplicate(store, keyring):
    """The guide does not say whether a retry re-encrypts; either way it is the same lead."""
    app = create_receiver(store, keyring)
    post(app, make_lead(lead_id="100"))
    assert post(app, make_lead(lead_id="100"))["duplicate"] == 1  # fresh nonce, same answers
    assert store.conflicts() == [] and len(store.leads()) == 1


def test_a_replay_no_key_opens_any_more_is_still_recognised(store):
    """A key removed after its leads were stored: a replay of one of them is still a replay."""
    ring = KeyRing({"1": SPEC_KEY})
    post(create_receiver(store, ring), make_lead(lead_id="100"))
    captured = store.leads()[0]
    assert captured["subscription_id"] == "1"
    original = json.loads(store.deliveries()[0]["body"])[0]
    app = create_receiver(store, KeyRing())
    assert post(app, replayed(original, lead_id="555"))["replay"] == 1
    assert post(app, original)["duplicate"] == 1


def test_the_lead_frame_names_the_subscription_that_opened_it(store):
    ring = KeyRing()
    ring.add(SPEC_KEY, subscription_id="8078432025948590686", ad_account_id="111764359001")
    post(create_receiver(store, ring), make_lead(account="999"))  # the account field is only display
    frame = pt.read_leads(store)
    assert frame.loc[0, "subscription_id"] == "8078432025948590686"
    assert frame.loc[0, "advertiser_id"] == "999"
    assert str(frame["subscription_id"].dtype) == "string"


def test_conflicts_frame_filters_and_types(store, keyring):
    app = create_receiver(store, keyring)
    real = make_lead(lead_id="100", created_at="1700000000000")
    post(app, real)
    post(app, replayed(real, lead_id="200"))
    held = pt.read_leads(store, conflicts=True, form="65300871001", since="2023-11-01")
    assert len(held) == 1 and str(held["held_at"].dtype) == "datetime64[ns, UTC]"
    assert len(pt.read_leads(store, conflicts=True, form="other")) == 0
    assert pt.read_leads(store, conflicts=True, since="2030-01-01").empty
    assert store.counts() == {"leads": 1, "quarantined": 0, "replays": 1, "conflicts": 0, "rejected_deliveries": 0}


def test_leads_status_counts_and_names_held_items_without_answers(keyring, tmp_path, capsys):
    from pintools.cli import main
    from pintools.leads import LeadStore

    with LeadStore(tmp_path / "leads.sqlite3") as store:
        app = create_receiver(store, keyring)
        real = make_lead(lead_id="100")
        post(app, real)
        post(app, replayed(real, lead_id="999"))
        app.test_client().post(PATH, data=b"not json", content_type="text/plain")
    assert main(["leads", "status", "--db", str(tmp_path / "leads.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert "1 leads, 0 quarantined, 1 replays, 0 conflicts, 1 rejected deliveries" in out
    assert "replay: lead 999" in out and "carries the ciphertext of stored lead 100" in out
    assert ANSWERS["EMAIL"] not in out


def test_one_delivery_mixing_new_duplicate_conflicting_and_replayed_leads_files_each_as_alone(store, keyring):
    app = create_receiver(store, keyring)
    first, other = make_lead(lead_id="100"), make_lead(lead_id="300")
    post(app, first, other)
    answer = post(app, make_lead(lead_id="200"),                                  # new
                  make_lead(lead_id="100"),                                       # a re-encrypted retry
                  make_lead(lead_id="300", answers={"EMAIL": "else@example.com"}),  # a stored id, other answers
                  replayed(first, lead_id="400"),                                 # a captured ciphertext
                  make_lead(lead_id="500"))                                       # new
    assert {k: answer[k] for k in ("stored", "duplicate", "conflict", "replay")} == {
        "stored": 2, "duplicate": 1, "conflict": 1, "replay": 1}
    assert sorted(lead["lead_id"] for lead in store.leads()) == ["100", "200", "300", "500"]
    assert sorted((c["kind"], c["dedupe_key"]) for c in store.conflicts()) == [("conflict", "300"), ("replay", "400")]
