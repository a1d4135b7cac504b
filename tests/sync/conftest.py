"""Fixtures for the warehouse sync tests: a small emulator of their own (two accounts, two
campaigns each, the demo clock frozen at 2026-11-15 12:00 UTC) and a warehouse folder per test."""

from __future__ import annotations

import pytest

pytest.importorskip("dlt", reason="the sync tests need dlt: pip install 'pintools[sync]' (the test extra has it)")

CLOCK = "2026-11-15T12:00:00Z"
ACCOUNTS = [{"name": "Juniper Sync", "currency": "USD", "campaigns": 2, "statuses": "active"},
            {"name": "Nordlicht Sync", "currency": "EUR", "country": "DE", "campaigns": 2, "statuses": "active"}]


@pytest.fixture(scope="session")
def _sync_server():
    from pintools.emulator import start

    srv = start(seed=7, clock=CLOCK, accounts=ACCOUNTS)
    yield srv
    srv.stop()


@pytest.fixture
def sync_emulator(_sync_server):
    """The sync tests' emulator, reset for each test (data, faults, restatements, request log)."""
    control = _sync_server.control
    control.reset()
    control.set_report_behaviour(polls_to_finish=1)
    before = len(control.spec_violations())
    yield _sync_server
    violations = control.spec_violations()[before:]
    assert violations == [], f"emulator answers that violate the OpenAPI spec: {violations}"


@pytest.fixture
def sync_client(sync_emulator):
    import pintools as pt

    return pt.connect(emulator=sync_emulator, quiet=True, retry=pt.RetryPolicy(backoff_base=0.01))


@pytest.fixture
def warehouse(tmp_path):
    """Keyword arguments of pt.sync / pt.sync_report for a DuckDB file and dlt folder of the test's own."""
    return {"destination": str(tmp_path / "warehouse.duckdb"), "pipelines_dir": str(tmp_path / "dlt")}


def duck(warehouse, sql: str) -> list[tuple]:
    """Rows of a SQL query on the test's DuckDB warehouse (read-only)."""
    import duckdb

    con = duckdb.connect(warehouse["destination"], read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
