"""Emulators for plan tests: fixed clock, write limits lifted, journals in a temp folder."""

import pytest

import pintools as pt

NOW = "2026-11-15T12:00:00Z"


@pytest.fixture(autouse=True)
def _journals_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("PINTOOLS_JOURNAL_DIR", str(tmp_path / "journals"))


@pytest.fixture
def emu():
    from pintools.emulator import start

    srv = start(seed=42, clock=NOW, rate_limits={"ads_write": None, "ads_read": None})
    yield srv
    violations = srv.control.spec_violations()
    srv.stop()
    assert violations == [], violations


@pytest.fixture
def pclient(emu):
    return pt.connect(emulator=emu, quiet=True, retry=pt.RetryPolicy(backoff_base=0.01),
                      rate_limits={"ads_write": None, "ads_read": None, "universal": None})


@pytest.fixture
def account(pclient):
    return pt.read_ad_accounts(client=pclient).id[0]
