"""Where the PostgreSQL lead-store tests find their database, and when they skip.

``PINTOOLS_TEST_POSTGRES_URL`` names it (scripts/test.sh sources scripts/postgres.sh, which starts a
throwaway server and sets it). Without it the PostgreSQL tests skip, naming why — except on CI when
scripts/postgres.sh reported ``PINTOOLS_POSTGRES_SETUP=ok``: then a missing database is a failure.
Each test gets a schema of its own (:func:`fresh_schema`), dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

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


WHY = _unavailable()
#: skip a test when there is no test PostgreSQL (but run it, and let it fail, on CI after setup=ok)
needs_postgres = pytest.mark.skipif(WHY is not None and not MUST_RUN, reason=WHY or "")


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A new schema name (the store creates it); dropped, with everything in it, on exit."""
    if WHY is not None:
        pytest.fail(f"CI=true and scripts/postgres.sh reported PostgreSQL ok, but: {WHY}")
    import psycopg
    from psycopg import sql

    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        with psycopg.connect(URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def count_deliveries(schema: str) -> int:
    """Deliveries committed in ``schema``, counted on a fresh connection: what is durable, not what one session sees."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(URL, autocommit=True) as conn:
        return conn.execute(sql.SQL("SELECT COUNT(*) FROM {}.deliveries").format(sql.Identifier(schema))).fetchone()[0]
