"""What only the PostgreSQL lead store does: the backend choice by URL, the password kept out of sight,
reconnecting after a lost connection, the ``schema`` option, and concurrent first starts.

The lead-store contract itself (storing, dedupe, quarantine, 503 on a failed commit, ...) runs on
PostgreSQL as on SQLite through the ``store`` fixture of conftest.py (test ids ``[postgres]``).
Skipped unless ``PINTOOLS_TEST_POSTGRES_URL`` is set — except on CI when scripts/postgres.sh
reported ``PINTOOLS_POSTGRES_SETUP=ok``: then a missing database is a failure (see _postgres.py).
"""

import logging
import threading

import pytest

from pintools.leads import LeadStore
from pintools.leads.receiver import create_receiver
from pintools.leads.store_postgres import PostgresLeadStore, open_store, redact

from ._postgres import URL, count_deliveries, fresh_schema, needs_postgres
from .conftest import body, make_lead

PATH = "/pinterest/leads"


def post(app, data, content_type="application/json"):
    return app.test_client().post(PATH, data=data, content_type=content_type)


@pytest.fixture
def schema():
    with fresh_schema() as name:
        yield name


@pytest.fixture
def pg_store(schema):
    s = PostgresLeadStore(URL, schema=schema)
    yield s
    s.close()


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


# -- on PostgreSQL ------------------------------------------------------------------------------


@needs_postgres
def test_open_store_returns_postgres_and_never_shows_the_password(schema, caplog):
    url = URL.replace("postgres@", "postgres:s3cret-pw@", 1) if "@" in URL else URL
    with caplog.at_level(logging.DEBUG), open_store(url, schema=schema) as s:
        assert isinstance(s, PostgresLeadStore) and isinstance(s, LeadStore)
        assert "s3cret-pw" not in repr(s) + s.url + str(s.path)
    assert "s3cret-pw" not in caplog.text


@needs_postgres
def test_lost_connection_is_503_then_reconnects(pg_store, keyring, schema):
    import psycopg

    app = create_receiver(pg_store, keyring)
    pid = pg_store._conn.info.backend_pid
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert post(app, body(make_lead())).status_code == 503  # Pinterest retries 5xx
    assert post(app, body(make_lead())).status_code == 200
    assert len(pg_store.leads()) == 1 and count_deliveries(schema) == 1


@needs_postgres
def test_schema_option_keeps_stores_apart(schema, keyring):
    with fresh_schema() as other_schema, PostgresLeadStore(URL, schema=schema) as a, \
            PostgresLeadStore(URL, schema=other_schema) as b:
        assert post(create_receiver(a, keyring), body(make_lead())).status_code == 200
        assert len(a.leads()) == 1 and b.leads() == []
        assert count_deliveries(schema) == 1 and count_deliveries(other_schema) == 0
        b.close()
    with PostgresLeadStore(URL, schema=schema) as again:  # the tables live in the schema, not in public
        assert len(again.leads()) == 1


@needs_postgres
def test_receivers_starting_together_on_a_new_schema_all_start():
    """Several receivers started at once on an empty database each create the schema and tables if
    missing; none may fail on the others' CREATE. A race: 15 rounds of 6 (one round catches a
    missing lock about one time in five)."""
    for _ in range(15):
        with fresh_schema() as schema:
            stores, errors = [], []
            barrier = threading.Barrier(6)

            def start(schema=schema, stores=stores, errors=errors, barrier=barrier):
                try:
                    barrier.wait(timeout=10)
                    stores.append(PostgresLeadStore(URL, schema=schema))
                except Exception as exc:  # noqa: BLE001 — collected and asserted below
                    errors.append(exc)

            threads = [threading.Thread(target=start) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=30)
            try:
                assert errors == [] and len(stores) == 6
                stores[0].save_delivery(b"[]")
                assert count_deliveries(schema) == 1
            finally:
                for s in stores:
                    s.close()
