"""The lead-store contract on PostgreSQL, through the webhook receiver (scripts/postgres.sh starts one).

Skipped unless ``PINTOOLS_TEST_POSTGRES_URL`` is set — except on CI when scripts/postgres.sh reported
``PINTOOLS_POSTGRES_SETUP=ok``: then a missing database is a failure, not a skip.
"""

import json
import logging
import os
import uuid

import pytest

from pintools.leads import LeadStore, new_key
from pintools.leads.receiver import create_receiver
from pintools.leads.store_postgres import PostgresLeadStore, open_store, redact

from .conftest import ANSWERS, SPEC_KEY, body, make_lead

PATH = "/pinterest/leads"
URL = os.environ.get("PINTOOLS_TEST_POSTGRES_URL", "")
SETUP = os.environ.get("PINTOOLS_POSTGRES_SETUP", "")
MUST_RUN = os.environ.get("CI") == "true" and SETUP == "ok"


def _unavailable() -> str | None:
    if not URL:
        if SETUP.startswith("failed:"):
            return f"PINTOOLS_TEST_POSTGRES_URL is not set: scripts/postgres.sh: {SETUP.removeprefix('failed:')}"
        return "PINTOOLS_TEST_POSTGRES_URL is not set (run scripts/test.sh, or source scripts/postgres.sh)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'pintools[postgres]')"
    return None


_why = _unavailable()
needs_postgres = pytest.mark.skipif(_why is not None and not MUST_RUN, reason=_why or "")


def post(app, data, content_type="application/json"):
    return app.test_client().post(PATH, data=data, content_type=content_type)


@pytest.fixture
def schema():
    if _why is not None:
        pytest.fail(f"CI=true and scripts/postgres.sh reported PostgreSQL ok, but: {_why}")
    import psycopg
    from psycopg import sql

    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def store(schema):
    s = PostgresLeadStore(URL, schema=schema)
    yield s
    s.close()


def count_deliveries(schema) -> int:
    """Counted on a fresh connection: what is committed, not what one session sees."""
    with PostgresLeadStore(URL, schema=schema) as other:
        return other._query("SELECT COUNT(*) FROM deliveries")[1][0][0]


# -- no database needed -----------------------------------------------------------------------

def test_open_store_picks_the_backend_by_url(tmp_path):
    with open_store(tmp_path / "x.sqlite3") as s:
        assert type(s) is LeadStore
    with open_store(str(tmp_path / "y.sqlite3")) as s:
        assert type(s) is LeadStore


def test_redact_hides_passwords():
    assert redact("postgresql://u:p%40ss@h:5/db?sslmode=require") == "postgresql://u:***@h:5/db?sslmode=require"
    assert redact("postgres://h/db?user=u&password=hunter2") == "postgres://h/db?user=u&password=***"
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"
    assert "hunter2" not in redact("host=h password='hunter2 x' dbname=d")
    assert "hunter2" not in redact("host=h password=hunter2 dbname=d")


# -- the contract, on PostgreSQL ------------------------------------------------------------------


@needs_postgres
def test_open_store_returns_postgres_and_never_shows_the_password(schema, caplog):
    url = URL.replace("postgres@", "postgres:s3cret-pw@", 1) if "@" in URL else URL
    with caplog.at_level(logging.DEBUG), open_store(url, schema=schema) as s:
        assert isinstance(s, PostgresLeadStore) and isinstance(s, LeadStore)
        assert "s3cret-pw" not in repr(s) + s.url + str(s.path)
    assert "s3cret-pw" not in caplog.text


@needs_postgres
def test_good_delivery_is_stored_and_decrypted(store, keyring, schema):
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
    assert count_deliveries(schema) == 1


@needs_postgres
def test_same_lead_five_times_is_stored_once(store, keyring):
    app = create_receiver(store, keyring)
    lead = make_lead()
    for _ in range(5):
        assert post(app, body(lead)).status_code == 200
    assert len(store.leads()) == 1
    assert post(app, body(make_lead())).get_json()["duplicate"] == 1  # fresh nonce, same lead
    assert len(store.leads()) == 1


@needs_postgres
def test_test_leads_are_kept_apart_by_created_at_and_form(store, keyring):
    app = create_receiver(store, keyring)
    t1 = make_lead(lead_id="TEST_API", created_at="1700000000000")
    t2 = make_lead(lead_id="TEST_API", created_at="1700000001000")
    t3 = make_lead(lead_id="TEST_API", created_at="1700000000000", form="42")
    for lead in (t1, t2, t3, t1):
        assert post(app, body(lead)).status_code == 200
    leads = store.leads()
    assert len(leads) == 3 and all(lead["is_test"] for lead in leads)


@needs_postgres
def test_bad_body_stores_nothing(store, keyring, schema):
    assert post(create_receiver(store, keyring), b"[{not json").status_code == 400
    assert store.leads() == [] and store.quarantined() == [] and count_deliveries(schema) == 0


@needs_postgres
def test_leads_filter_by_time_and_form(store, keyring):
    app = create_receiver(store, keyring)
    post(app, body(make_lead(lead_id="1", created_at="1000", form="A"), make_lead(lead_id="2", created_at="2000", form="B"),
                   make_lead(lead_id="3", created_at="3000", form="A")))
    assert [lead["lead_id"] for lead in store.leads(since_ms=2000)] == ["2", "3"]
    assert [lead["lead_id"] for lead in store.leads(form="A")] == ["1", "3"]
    assert [lead["lead_id"] for lead in store.leads(since_ms=2000, form="A")] == ["3"]


@needs_postgres
def test_commit_failure_is_503_and_retry_loses_nothing(store, keyring, schema, monkeypatch):
    import psycopg

    app = create_receiver(store, keyring)

    def broken():
        raise psycopg.OperationalError("could not commit")
    monkeypatch.setattr(store, "_commit", broken)
    assert post(app, body(make_lead())).status_code == 503
    monkeypatch.undo()
    assert count_deliveries(schema) == 0  # nothing acknowledged, nothing half-written
    assert post(app, body(make_lead())).status_code == 200  # Pinterest retries
    store.close()
    with PostgresLeadStore(URL, schema=schema) as fresh:  # acknowledged = durable
        assert len(fresh.leads()) == 1 and fresh.pending_deliveries() == []


@needs_postgres
def test_lost_connection_is_503_then_reconnects(store, keyring, schema):
    import psycopg

    app = create_receiver(store, keyring)
    pid = store._conn.info.backend_pid
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert post(app, body(make_lead())).status_code == 503
    assert post(app, body(make_lead())).status_code == 200
    assert len(store.leads()) == 1 and count_deliveries(schema) == 1


@needs_postgres
def test_processing_failure_after_commit_is_503_and_reprocess_finishes(store, keyring, monkeypatch):
    import psycopg

    app = create_receiver(store, keyring)
    monkeypatch.setattr(store, "add_lead", lambda *a, **k: (_ for _ in ()).throw(psycopg.OperationalError("x")))
    assert post(app, body(make_lead())).status_code == 503
    monkeypatch.undo()
    assert len(store.pending_deliveries()) == 1
    assert store.reprocess(keyring) == {"stored": 1}
    assert len(store.leads()) == 1 and store.pending_deliveries() == []


@needs_postgres
def test_undecryptable_is_quarantined_then_reprocessed(store, keyring):
    later_key = new_key()
    app = create_receiver(store, keyring)
    resp = post(app, body(make_lead(later_key, lead_id="77"), make_lead()))
    assert resp.status_code == 200
    assert resp.get_json() | {"delivery_id": 0} == {"delivery_id": 0, "stored": 1, "duplicate": 0, "quarantined": 1}
    q = store.quarantined()
    assert len(q) == 1 and q[0]["dedupe_key"] == "77" and "authentication failed" in q[0]["error"]
    assert post(app, body(make_lead(later_key, lead_id="77"))).status_code == 200  # redelivered: still one
    assert len(store.quarantined()) == 1
    assert store.reprocess(keyring) == {"still_quarantined": 1}
    keyring.add(later_key, subscription_id="2")
    assert store.reprocess(keyring) == {"recovered": 1}
    assert store.quarantined() == []
    assert {lead["lead_id"] for lead in store.leads()} == {"77", "5554397289529204001"}


@needs_postgres
def test_items_that_are_not_leads_are_quarantined(store, keyring):
    resp = post(create_receiver(store, keyring), json.dumps([42, {"answers": {}}]).encode())
    assert resp.status_code == 200
    assert sorted(q["error"] for q in store.quarantined()) == ["no lead_id", "not a JSON object but a int"]


@needs_postgres
def test_no_key_or_plaintext_in_logs(store, caplog):
    from pintools.leads import KeyRing

    app = create_receiver(store, KeyRing({"1": SPEC_KEY}), forward=lambda lead: 1 / 0)
    with caplog.at_level(logging.DEBUG):
        post(app, body(make_lead(), make_lead(new_key(), lead_id="9")))
    text = caplog.text + json.dumps(store.quarantined()) + repr(store)
    assert caplog.records
    for secret in (SPEC_KEY, *ANSWERS.values()):
        assert secret not in text
