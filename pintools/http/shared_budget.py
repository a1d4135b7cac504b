"""A rate budget shared by every process and machine that calls Pinterest with one token.

Pinterest's limits are per user and app (``ads_analytics``: 300 calls a minute), so three machines
syncing on one token only go faster if they take their calls from one budget. This one keeps each
category's bucket as a row of a small PostgreSQL table::

    pintools_rate_budget(budget_key text, category text, tat timestamptz, PRIMARY KEY (budget_key, category))

``tat`` is the bucket's "theoretical arrival time" (GCRA, the same arithmetic as
:class:`~pintools.http.ratelimit.TokenBucket`): the moment the bucket would be full again. A call
reserves its slots (the universal bucket's and its category's) with ONE atomic ``INSERT ... ON
CONFLICT DO UPDATE ... RETURNING`` that moves each ``tat`` on by one interval and says how long to
wait; the wait happens in the caller, with no lock or transaction held, so callers on every machine
are served first come, first served. All times come from the database's ``clock_timestamp()``,
never a machine's clock (machines' clocks differ).
A 429 (:meth:`~pintools.http.ratelimit.RateBudget.penalize`) and rate headers saying the window is
spent (:meth:`~pintools.http.ratelimit.RateBudget.observe`) move the shared ``tat`` forward, so
every process backs off, not only the one that was told.

``budget_key`` is a SHA-256 of the API host and the token's identity (:func:`budget_key`): the
table never holds a token, and different tokens or hosts never share a row. Every process sharing
a key should use the same rates (pintools' defaults do): each applies its own to the shared row.

Why a table and not pyrate-limiter's ``PostgresBucket`` (pintools' reading of its 4.6 source): it
stores one row per call and needs a leaker to delete them; it takes an EXCLUSIVE lock on the whole
table with ``NOWAIT``, so under contention a call is refused and retried after a sleep (polling, not
first come first served); it has no way to share a 429's pause; its database clock falls back to
the local clock when the query fails; and it needs one more package (``psycopg_pool``).

>>> budget = SharedRateBudget("postgresql://app:secret@db.example/pintools",
...                           key=budget_key("https://api.pinterest.com/v5", token="pina_..."))  # doctest: +SKIP
>>> budget                                                                                        # doctest: +SKIP
SharedRateBudget('postgresql://app:***@db.example/pintools', key='sha256:0a1b2c3d…')
"""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..postgres_url import URL_SCHEMES, redact
from .ratelimit import DEFAULT_RATES, Rate, RateBudget, usable_burst

TABLE = "pintools_rate_budget"
_SCHEMA_LOCK = 0x70745262  # advisory lock id: concurrent CREATE TABLE IF NOT EXISTS can otherwise collide
#: Attempts at a statement when the connection breaks (reconnecting between them) before giving up.
_ATTEMPTS = 3

_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    budget_key text NOT NULL,
    category text NOT NULL,
    tat timestamptz NOT NULL,
    PRIMARY KEY (budget_key, category)
)"""
_COMMENT = (f"COMMENT ON TABLE {TABLE} IS 'pintools: rate budgets shared across processes "
            "(GCRA; tat = when the bucket is full again, on this server''s clock). No tokens: budget_key is a SHA-256.'")
# Each named bucket's new tat is max(tat, now) + its interval; the caller waits until tat - burst * interval.
# One statement for a call's buckets (universal and its category), always locked in the order given.
_RESERVE = f"""
INSERT INTO {TABLE} AS b (budget_key, category, tat)
SELECT %(key)s, a.category, clock_timestamp() + a.step
FROM unnest(%(categories)s::text[], %(steps)s::interval[]) WITH ORDINALITY AS a(category, step, n)
ORDER BY a.n
ON CONFLICT (budget_key, category) DO UPDATE SET tat = GREATEST(b.tat, clock_timestamp())
    + (SELECT s.step FROM unnest(%(categories)s::text[], %(steps)s::interval[]) AS s(category, step)
       WHERE s.category = EXCLUDED.category)
RETURNING b.category, EXTRACT(EPOCH FROM b.tat - clock_timestamp())::float8"""
_PAUSE = f"""
INSERT INTO {TABLE} AS b (budget_key, category, tat) VALUES (%s, %s, clock_timestamp() + %s)
ON CONFLICT (budget_key, category) DO UPDATE SET tat = GREATEST(b.tat, EXCLUDED.tat)"""


class SharedBudgetUnavailable(ConnectionError):
    """The shared rate budget's database cannot be reached (or refused the connection)."""


def budget_key(base_url: str, *, token: str | None = None, app_id: str | None = None) -> str:
    """The row key of one quota: a SHA-256 of the API's scheme and host and of ``token`` (an
    access token, whose user and app the quota belongs to) or else ``app_id`` (a refreshing
    client, whose access token changes: all users of the app then share one budget, which is
    pintools' cautious choice). The token itself is never stored.

    >>> budget_key("https://api.pinterest.com/v5", token="pina_abc")[:15]
    'sha256:85d38992'
    >>> budget_key("https://api.pinterest.com/v5", token="pina_abc") == budget_key("http://127.0.0.1:9/v5", token="pina_abc")
    False
    """
    if not token and not app_id:
        raise ValueError("budget_key needs the access token or the app id whose quota the budget holds")
    parts = urlsplit(base_url)
    identity = f"token:{token}" if token else f"app:{app_id}"
    digest = hashlib.sha256(f"{parts.scheme}://{parts.netloc.lower()}\n{identity}".encode()).hexdigest()
    return "sha256:" + digest


class _Database:
    """One connection per budget (statements serialised by a lock), reopened when it breaks."""

    def __init__(self, url: str, *, connect_timeout: int, sleep: Callable[[float], None]) -> None:
        try:
            import psycopg  # lazy: optional dependency
        except ImportError:
            raise SharedBudgetUnavailable("A shared rate budget needs psycopg: pip install 'pintools[postgres]'") \
                from None
        self._psycopg = psycopg
        self._url = url
        self.shown = redact(url)
        self._connect_timeout = connect_timeout
        self._sleep = sleep
        self._lock = threading.Lock()
        self._conn: Any = self._open()

    def _why(self, exc: BaseException) -> str:
        text = " ".join(str(exc).split()) or type(exc).__name__
        password = _password_of(self._url)
        return text.replace(password, "***") if password else text

    def _open(self) -> Any:
        try:
            conn = self._psycopg.connect(self._url, autocommit=True, connect_timeout=self._connect_timeout)
        except (self._psycopg.Error, ValueError) as exc:
            raise SharedBudgetUnavailable(
                f"Could not connect to the shared rate budget's database {self.shown} ({self._why(exc)}). "
                f"Check the URL (postgresql://user:password@host:port/dbname), that the server is running "
                f"and reachable from this machine, and the user's password.") from None
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                if conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()[0] is None:
                    conn.execute(_CREATE)
                    conn.execute(_COMMENT)
        except self._psycopg.Error as exc:
            conn.close()
            raise SharedBudgetUnavailable(
                f"The shared rate budget's database {self.shown} refused to set up table {TABLE}: "
                f"{self._why(exc)}. The user needs the right to create a table in its default schema "
                f"(or create it once as another user: see pintools.http.shared_budget).") from None
        return conn

    def run(self, statement: str, params: Mapping[str, Any] | tuple) -> list[tuple]:
        """Run one statement and return its rows; reconnects on failure."""
        psycopg = self._psycopg
        with self._lock:
            for attempt in range(1, _ATTEMPTS + 1):
                try:
                    if self._conn is None or self._conn.closed or self._conn.broken:
                        self._conn = self._open()
                    cursor = self._conn.execute(statement, params)
                    return cursor.fetchall() if cursor.description else []
                except (psycopg.OperationalError, SharedBudgetUnavailable) as exc:
                    if self._conn is not None:
                        self._conn.close()
                    self._conn = None
                    if attempt == _ATTEMPTS:
                        raise SharedBudgetUnavailable(
                            f"Lost the shared rate budget's database {self.shown} and could not reconnect after "
                            f"{_ATTEMPTS} attempts: {self._why(exc)}.") from None
                    self._sleep(0.5 * 2 ** (attempt - 1))
                except psycopg.Error as exc:  # the server answered, and refused (rights, a dropped table)
                    raise SharedBudgetUnavailable(
                        f"The shared rate budget's database {self.shown} refused the budget's statement: "
                        f"{self._why(exc)}. The user needs SELECT, INSERT and UPDATE on table {TABLE}.") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _password_of(url: str) -> str | None:
    if url.startswith(URL_SCHEMES):
        try:
            return urlsplit(url).password or None
        except ValueError:
            return None
    match = re.search(r"(?i)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", url)
    return match.group(1).strip("'") if match else None


class SharedBucket:
    """One category's bucket kept in the database: the same reservations as a
    :class:`~pintools.http.ratelimit.TokenBucket`, shared by every budget with the same key."""

    def __init__(self, db: _Database, key: str, category: str, rate: Rate) -> None:
        self.rate = rate
        self.usable_burst = usable_burst(rate)
        self._db = db
        self._key = key
        self.category = category
        self.interval = 1.0 / rate.per_second

    def reserve(self) -> float:
        """Claim one token in the shared row; return the seconds to wait before using it.

        >>> SharedRateBudget(URL, key="k")._bucket("ads_analytics").reserve()   # doctest: +SKIP
        0.0
        """
        return reserve_all(self._db, self._key, [self])

    def pause_for(self, seconds: float) -> None:
        """No token for anyone sharing the row during the next ``seconds`` (on the database's clock).

        >>> SharedRateBudget(URL, key="k")._bucket("ads_analytics").pause_for(3.0)   # doctest: +SKIP
        """
        hold = datetime.timedelta(seconds=max(0.0, seconds) + (self.usable_burst - 1) * self.interval)
        self._db.run(_PAUSE, (self._key, self.category, hold))


def reserve_all(db: _Database, key: str, buckets: list[SharedBucket]) -> float:
    """Claim one token in each of ``buckets`` (distinct categories) in one statement; return the
    seconds to wait until all of them may be used.

    >>> reserve_all(budget._db, budget.key, [budget._bucket("universal")])   # doctest: +SKIP
    0.0
    """
    steps = {b.category: b for b in buckets}
    rows = db.run(_RESERVE, {"key": key, "categories": list(steps),
                             "steps": [datetime.timedelta(seconds=b.interval) for b in steps.values()]})
    waits = [float(ahead) - steps[category].usable_burst * steps[category].interval for category, ahead in rows]
    return max([0.0, *waits])


class SharedRateBudget(RateBudget):
    """A :class:`~pintools.http.ratelimit.RateBudget` whose buckets live in PostgreSQL at ``url``,
    in the rows of ``key`` (see :func:`budget_key`). Thread-safe; one connection per budget.
    Raises :class:`SharedBudgetUnavailable` (naming the URL without its password) when the
    database cannot be reached.

    >>> SharedRateBudget("postgresql://app:pw@db.example/pintools", key="sha256:...")  # doctest: +SKIP
    SharedRateBudget('postgresql://app:***@db.example/pintools', key='sha256:...')
    """

    def __init__(
        self,
        url: str,
        *,
        key: str,
        overrides: Mapping[str, Rate | float | None] | None = None,
        defaults: Mapping[str, Rate] = DEFAULT_RATES,
        sleep: Callable[[float], None] = time.sleep,
        connect_timeout: int = 10,
    ) -> None:
        if not isinstance(url, str) or not url.strip():
            raise ValueError("shared_budget must be a PostgreSQL URL such as postgresql://user:password@host/dbname")
        super().__init__(overrides, defaults=defaults, sleep=sleep)
        self.key = key
        self._db = _Database(url, connect_timeout=connect_timeout, sleep=sleep)
        self.url = self._db.shown

    def __repr__(self) -> str:
        key = self.key if len(self.key) <= 15 else self.key[:15] + "…"
        return f"SharedRateBudget({self.url!r}, key={key!r})"

    def _new_bucket(self, category: str, rate: Rate) -> SharedBucket:  # type: ignore[override]
        return SharedBucket(self._db, self.key, category, rate)

    def acquire(self, category: str) -> float:
        """Block until a call in ``category`` may be sent; return the seconds waited. The universal
        bucket's token and the category's are claimed together, in one round trip to the database.

        >>> SharedRateBudget(URL, key="k").acquire("ads_analytics")   # doctest: +SKIP
        0.0
        """
        names = ["universal"] if category == "universal" else ["universal", category]
        buckets = [b for b in map(self._bucket, names) if b is not None]
        wait = reserve_all(self._db, self.key, buckets) if buckets else 0.0  # type: ignore[arg-type]
        if wait > 0:
            self._sleep(wait)
        return wait

    def close(self) -> None:
        """Close the database connection (a later call reopens it).

        >>> SharedRateBudget(URL, key="k").close()   # doctest: +SKIP
        """
        self._db.close()
