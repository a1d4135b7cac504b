"""The widget tests' client: a fresh emulator at the demo clock with analytics and writes unthrottled,
and journals in the test's own folder."""

import pytest

import pintools as pt

NOW = "2026-11-15T12:00:00Z"


@pytest.fixture
def wclient(tmp_path, monkeypatch):
    from pintools.emulator import start

    monkeypatch.setenv("PINTOOLS_JOURNAL_DIR", str(tmp_path / "journals"))
    srv = start(seed=42, clock=NOW, rate_limits={"ads_analytics": None, "ads_write": None})
    yield pt.connect(emulator=srv, quiet=True, rate_limits={"ads_analytics": None, "universal": None})
    srv.stop()
