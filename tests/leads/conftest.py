"""Fixtures of the lead tests. ``store`` is the lead-store contract's fixture: every test that takes it
runs once on SQLite and once on PostgreSQL (``[sqlite]``/``[postgres]``; see ``_postgres.py`` for
when the PostgreSQL run skips). A test that checks SQLite itself (file mode, PRAGMAs) says
``@sqlite_only``.
"""

import json

import pytest

from pintools.leads import KeyRing, LeadStore, encrypt_answers

from ._postgres import URL, fresh_schema, needs_postgres

# the guide's sample key (padded) and the spec's example key (unpadded, 43 characters)
GUIDE_KEY = "u4+XFme7mKn9p6zkKBsx+H9DAwCZ/l9XqrnOHxQ46h4="
SPEC_KEY = "ucvxbV2Tdss0vNeYsdh4Qfa/1Khm2b0PqXvXeTTZh54"
ANSWERS = {"EMAIL": "abc@email.com", "FULL_NAME": "John Doe", "PHONE_NUMBER": "987654321",
           "Custom question": "Custom question answer"}


def make_lead(key=SPEC_KEY, *, lead_id="5554397289529204001", form="65300871001", account="111764359001",
              created_at="1698380898000", answers=None):
    return {"advertiser_id": account, "lead_form_id": form, "ad_id": "222254831001", "campaign_id": "333749306001",
            "ad_group_id": "4440076819001", "lead_id": lead_id, "user_id": "666644187436941001",
            "lead_form_name": "Lead form name", "campaign_name": "Campaign name", "ad_group_name": "Ad group",
            "ad_name": "Ad name", "created_at": created_at,
            "answers": encrypt_answers(ANSWERS if answers is None else answers, key), "version": "v5"}


def body(*leads):
    return json.dumps(list(leads)).encode()


BACKENDS = ["sqlite", pytest.param("postgres", marks=needs_postgres)]
#: for a test that takes ``store`` but checks SQLite's own behaviour: run it on SQLite only
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """``"sqlite"`` or ``"postgres"``: which store the contract tests run on."""
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    """An empty lead store: a SQLite file in ``tmp_path``, or a PostgreSQL schema of its own (dropped after)."""
    if backend == "sqlite":
        s = LeadStore(tmp_path / "leads.sqlite3")
        yield s
        s.close()
        return
    from pintools.leads.store_postgres import PostgresLeadStore

    with fresh_schema() as schema:
        s = PostgresLeadStore(URL, schema=schema)
        try:
            yield s
        finally:
            s.close()


def reopen(store: LeadStore) -> LeadStore:
    """A second store on the same database as ``store`` (its own connection): what is committed, not what one
    session sees."""
    if type(store) is LeadStore:
        return LeadStore(store.path)
    from pintools.leads.store_postgres import PostgresLeadStore

    return PostgresLeadStore(URL, schema=store.schema)


@pytest.fixture
def keyring():
    ring = KeyRing()
    ring.add(SPEC_KEY, subscription_id="1", ad_account_id="111764359001")
    return ring
