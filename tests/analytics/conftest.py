"""Emulators with a fixed clock for analytics tests (dates in the tests are relative to it)."""

import datetime as dt

import pytest

import pintools as pt

NOW = "2026-11-15T12:00:00Z"
TODAY = dt.date(2026, 11, 15)
BENCH_ACCOUNT = {"name": "Bench Co", "currency": "USD", "country": "US", "campaigns": 10,
                 "ad_groups_per_campaign": 100, "ads_per_ad_group": 1, "keywords_per_ad_group": 0,
                 "statuses": "active"}


def fast_client(server, **kw):
    kw.setdefault("retry", pt.RetryPolicy(max_attempts=8, backoff_base=0.01))
    kw.setdefault("rate_limits", {"ads_analytics": None, "universal": None})
    return pt.connect(emulator=server, quiet=True, **kw)


@pytest.fixture(autouse=True)
def _quick_report_polling(monkeypatch):
    """Poll async reports every few milliseconds (the emulator finishes them after N polls)."""
    from pintools.analytics import reports

    monkeypatch.setattr(reports, "DEFAULT_POLL", reports.PollPolicy(first=0.01, longest=0.05, timeout=60))


def demo_emulator():
    """The demo advertisers on a fixed clock, analytics rate limit lifted; on teardown, no spec
    violations (a generator for module-scoped fixtures)."""
    from pintools.emulator import start

    srv = start(seed=42, clock=NOW, rate_limits={"ads_analytics": None})
    yield srv
    violations = srv.control.spec_violations()
    srv.stop()
    assert violations == [], violations


@pytest.fixture(scope="module")
def analytics_emulator():
    """The demo advertisers (read-only use)."""
    yield from demo_emulator()


@pytest.fixture
def aclient(analytics_emulator):
    return fast_client(analytics_emulator)


@pytest.fixture
def account(aclient):
    return pt.read_ad_accounts(client=aclient).id[0]


@pytest.fixture
def own_emulator():
    """A fixed-clock emulator a test may change (faults, report behaviour, data)."""
    from pintools.emulator import start

    srv = start(seed=42, clock=NOW, rate_limits={"ads_analytics": None})
    yield srv
    violations = srv.control.spec_violations()
    srv.stop()
    assert violations == [], violations
