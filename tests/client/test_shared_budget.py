"""The rate budget shared through PostgreSQL (pintools.http.shared_budget): budgets on one key grant
no more than one bucket would, a 429 told to one holds back the others, keys stay apart, and no
password or token leaks into errors, reprs or the table.

Skipped unless ``PINTOOLS_TEST_POSTGRES_URL`` is set (``source scripts/postgres.sh``) — except on CI
when scripts/postgres.sh reported ``PINTOOLS_POSTGRES_SETUP=ok``: then a missing database fails."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from pintools.http.ratelimit import Rate, RateHeaders, usable_burst
from tests.leads._postgres import MUST_RUN, URL, WHY  # noqa: E402  (one rule for when PostgreSQL tests run)

if WHY is not None and not MUST_RUN:
    pytest.skip(WHY, allow_module_level=True)
import psycopg  # noqa: E402

from pintools.http.shared_budget import SharedBudgetUnavailable, SharedRateBudget, budget_key  # noqa: E402

RATE = Rate(per_minute=600, burst=10)   # 10 a second; 6 of the burst used (0.4 s held back)


def budget(key: str, **options) -> SharedRateBudget:
    return SharedRateBudget(URL, key=key, overrides={"ads_analytics": RATE}, **options)


def grants(pairs: list[tuple[SharedRateBudget, str]], calls: int) -> tuple[list[float], float]:
    """Reserve ``calls`` tokens, round-robin over ``pairs`` of (budget, category), without waiting:
    the moments (on this machine's monotonic clock) at which each may be used, and the longest
    round trip (the database's "now" lies somewhere within it)."""
    out, slowest = [], 0.0
    for i in range(calls):
        owner, category = pairs[i % len(pairs)]
        asked = time.monotonic()
        wait = owner._bucket(category).reserve()
        answered = time.monotonic()
        slowest = max(slowest, answered - asked)
        out.append(asked + wait)
    return sorted(out), slowest


def test_two_budgets_on_one_key_never_grant_more_than_rate_times_time_plus_burst():
    key = f"test:{uuid.uuid4().hex}"
    first, second = budget(key), budget(key)
    moments, slowest = grants([(first, "ads_analytics"), (second, "ads_analytics")], 80)
    allowed = usable_burst(RATE)
    slack = RATE.per_second * slowest + 0.01           # a moment is known to within one round trip
    for i in range(len(moments)):
        for j in range(i, len(moments)):
            assert j - i + 1 <= allowed + RATE.per_second * (moments[j] - moments[i]) + slack, (i, j, slowest)
    # ...and no fewer: 80 calls take (80 - burst) / rate seconds, not twice that
    assert moments[-1] - moments[0] == pytest.approx((80 - allowed) / RATE.per_second, abs=0.15 + slowest)


def test_threads_of_two_budgets_waiting_for_real_stay_within_the_rate():
    import threading

    key = f"test:{uuid.uuid4().hex}"
    budgets = [budget(key), budget(key)]
    sent: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + 2.0

    def work(owner: SharedRateBudget) -> None:
        while time.monotonic() < stop:
            owner.acquire("ads_analytics")
            with lock:
                sent.append(time.monotonic())

    threads = [threading.Thread(target=work, args=(b,)) for b in budgets for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    span = max(sent) - min(sent)
    assert len(sent) <= usable_burst(RATE) + RATE.per_second * span + 1
    assert len(sent) >= 0.9 * RATE.per_second * span                   # the four threads did reach the rate


def test_a_429_told_to_one_budget_holds_back_the_other():
    key = f"test:{uuid.uuid4().hex}"
    first, second = budget(key), budget(key)
    first.penalize("ads_analytics", 2.0)
    assert second._bucket("ads_analytics").reserve() == pytest.approx(2.0, abs=0.1)


def test_rate_headers_saying_none_are_left_hold_back_the_other():
    key = f"test:{uuid.uuid4().hex}"
    first, second = budget(key), budget(key)
    assert first.observe("ads_read", RateHeaders(limit=100, remaining=0, reset=3.0)) == 3.0
    assert second._bucket("ads_read").reserve() == pytest.approx(3.0, abs=0.1)
    assert second._bucket("ads_analytics").reserve() == 0.0          # other categories go on


def test_different_keys_are_independent():
    spent, fresh = budget(f"test:{uuid.uuid4().hex}"), budget(f"test:{uuid.uuid4().hex}")
    for _ in range(20):
        spent._bucket("ads_analytics").reserve()
    spent.penalize("ads_analytics", 30.0)
    assert spent._bucket("ads_analytics").reserve() > 29
    assert fresh._bucket("ads_analytics").reserve() == 0.0


def test_the_key_names_the_host_and_token_without_holding_the_token():
    token = "pina_very-secret-token"
    key = budget_key("https://api.pinterest.com/v5", token=token)
    assert token not in key and key.startswith("sha256:")
    assert key == budget_key("https://API.pinterest.com/v5/", token=token)             # same quota
    assert key != budget_key("https://api.pinterest.com/v5", token=token + "x")        # another token
    assert key != budget_key("https://api-sandbox.pinterest.com/v5", token=token)      # another host
    with pytest.raises(ValueError, match="access token or the app id"):
        budget_key("https://api.pinterest.com/v5")


@pytest.fixture
def no_default_client():
    from pintools.client import set_default_client

    yield
    set_default_client(None)


def test_connect_shares_the_budget_and_the_table_holds_no_token(no_default_client):
    import pintools as pt
    from pintools.emulator import DEMO_ACCESS_TOKEN

    client = pt.connect(emulator=True, quiet=True, shared_budget=URL)
    other = pt.connect(emulator=True, quiet=True, shared_budget=URL)
    assert client.requestor.budget.key == other.requestor.budget.key
    client.requestor.budget.penalize("ads_write", 5.0)
    assert other.requestor.budget._bucket("ads_write").reserve() == pytest.approx(5.0, abs=0.2)
    with psycopg.connect(URL) as conn:
        rows = conn.execute("SELECT budget_key, category, tat::text FROM pintools_rate_budget").fetchall()
    assert rows and not any(DEMO_ACCESS_TOKEN in " ".join(row) for row in rows)


def test_a_lost_connection_is_reopened():
    owner = budget(f"test:{uuid.uuid4().hex}")
    owner._bucket("ads_analytics").reserve()
    pid = owner._db._conn.info.backend_pid
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert owner._bucket("ads_analytics").reserve() == 0.0           # the bucket survived in the table
    assert owner._db._conn.info.backend_pid != pid


def _with_password(url: str, password: str, port: int | None = None) -> str:
    parts = urlsplit(url)
    host = f"{parts.hostname}:{port if port is not None else parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{host}"))


def test_an_unreachable_database_is_a_clear_error_at_connect_without_the_password(no_default_client):
    import pintools as pt

    bad = _with_password(URL, "hunter2-secret", port=1)
    with pytest.raises(SharedBudgetUnavailable) as caught:
        pt.connect(emulator=True, quiet=True, shared_budget=bad)
    text = str(caught.value)
    assert "hunter2-secret" not in text and "***@127.0.0.1:1" in text
    assert "Could not connect to the shared rate budget's database" in text
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_password_stays_out_of_the_repr():
    owner = SharedRateBudget(_with_password(URL, "hunter2-secret"), key="k")   # trust auth ignores it
    assert "hunter2-secret" not in repr(owner) and ":***@" in repr(owner)


def test_an_empty_url_says_what_is_expected():
    with pytest.raises(ValueError, match="postgresql://user:password@host/dbname"):
        SharedRateBudget("", key="k")


def test_a_refreshing_client_keys_its_budget_by_app_and_a_static_one_by_token(no_default_client, monkeypatch):
    import pintools as pt
    from pintools.config import Credentials

    for name in ("PINTEREST_ACCESS_TOKEN", "PINTEREST_REFRESH_TOKEN", "PINTEREST_APP_ID", "PINTEREST_APP_SECRET"):
        monkeypatch.delenv(name, raising=False)
    host = "https://api.pinterest.com/v5"
    refreshing = Credentials(access_token="pina_1", refresh_token="pinr_1", app_id="1234", app_secret="s")
    rotated = Credentials(access_token="pina_2", refresh_token="pinr_2", app_id="1234", app_secret="s")
    first = pt.connect(refreshing, base_url=host, emulator=False, shared_budget=URL)
    later = pt.connect(rotated, base_url=host, emulator=False, shared_budget=URL)
    assert first.requestor.budget.key == later.requestor.budget.key == budget_key(host, app_id="1234")
    static = pt.connect("pina_1", base_url=host, emulator=False, shared_budget=URL)
    assert static.requestor.budget.key == budget_key(host, token="pina_1")


def test_a_call_takes_the_universal_token_and_its_category_s_together():
    key = f"test:{uuid.uuid4().hex}"
    slow_universal = {"universal": Rate(per_minute=60, burst=1), "ads_analytics": RATE}
    first = SharedRateBudget(URL, key=key, overrides=slow_universal, sleep=lambda s: None)
    second = SharedRateBudget(URL, key=key, overrides=slow_universal, sleep=lambda s: None)
    assert first.acquire("ads_analytics") == 0.0
    assert second.acquire("ads_read") == pytest.approx(1.0, abs=0.1)        # the universal token was taken
    assert second._bucket("ads_analytics").reserve() == 0.0                  # the category had tokens left
    assert first.acquire("universal") == pytest.approx(2.0, abs=0.1)         # a universal-only call: one token


def test_a_refused_statement_says_which_rights_are_missing():
    owner = budget(f"test:{uuid.uuid4().hex}")
    with pytest.raises(SharedBudgetUnavailable, match="needs SELECT, INSERT and UPDATE on table pintools_rate_budget"):
        owner._db.run("SELECT * FROM pintools_no_such_table", ())
