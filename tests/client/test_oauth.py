"""OAuth refresh through the real-API code path, pointed at the emulator's /oauth/token."""

import logging
import time

import pytest

import pintools as pt
from pintools.config import ConfigFile


@pytest.fixture
def emu(fresh_emulator):
    return fresh_emulator


def _refresh_creds(emu, **kw):
    return pt.Credentials(refresh_token=emu.refresh_token, app_id=emu.app_id, app_secret=emu.app_secret, **kw)


def test_no_access_token_refreshes_first_and_persists_the_rotated_refresh_token(emu, tmp_path, monkeypatch):
    monkeypatch.setenv("PINTOOLS_CONFIG", str(tmp_path / "config.ini"))
    monkeypatch.setenv("PINTEREST_REFRESH_TOKEN", emu.refresh_token)
    monkeypatch.setenv("PINTEREST_APP_ID", emu.app_id)
    monkeypatch.setenv("PINTEREST_APP_SECRET", emu.app_secret)
    client = pt.connect(base_url=emu.base_url)
    assert client.mode == "custom" and client.emulator is None
    assert len(pt.read_ad_accounts(client=client)) >= 2
    token_calls = emu.control.requests(operation_id="oauth/token")
    assert len(token_calls) == 1 and token_calls[0]["status"] == 200
    saved = ConfigFile(tmp_path / "config.ini").load_profile("default")
    assert saved.refresh_token and saved.refresh_token != emu.refresh_token
    # the next process, same environment: the saved access token is reused while it is valid...
    client2 = pt.connect(base_url=emu.base_url)
    assert len(pt.read_ad_accounts(client=client2)) >= 2
    assert len(emu.control.requests(operation_id="oauth/token")) == 1
    # ...and when it is revoked, the saved (rotated) refresh token — not the spent one in the
    # environment — gets a new one
    emu.control.expire_token(saved.access_token)
    client3 = pt.connect(base_url=emu.base_url)
    assert len(pt.read_ad_accounts(client=client3)) >= 2
    assert [r["status"] for r in emu.control.requests(operation_id="oauth/token")] == [200, 200]


def test_a_token_near_expiry_is_refreshed_before_the_call(emu):
    creds = _refresh_creds(emu, access_token=emu.access_token, expires_at=time.time() + 10)
    client = pt.connect(creds, base_url=emu.base_url)
    pt.read_ad_accounts(client=client)
    log = emu.control.requests()
    assert [r["operation_id"] for r in log[:2]] == ["oauth/token", "ad_accounts/list"]
    assert all(r["status"] == 200 for r in log)


def test_a_401_refreshes_once_and_the_call_succeeds(emu):
    creds = _refresh_creds(emu, access_token=emu.access_token, expires_at=time.time() + 86400)
    client = pt.connect(creds, base_url=emu.base_url)
    emu.control.expire_token(emu.access_token)
    df = pt.read_ad_accounts(client=client)
    assert len(df) >= 2
    ops = [(r["operation_id"], r["status"]) for r in emu.control.requests()]
    assert ops == [("ad_accounts/list", 401), ("oauth/token", 200), ("ad_accounts/list", 200)]


def test_a_revoked_refresh_token_ends_in_an_auth_error_without_secrets(emu, caplog):
    creds = pt.Credentials(access_token="stale-token-XYZ", refresh_token="revoked-refresh-XYZ",
                           app_id=emu.app_id, app_secret="wrong-secret-XYZ")
    client = pt.connect(creds, base_url=emu.base_url)
    with caplog.at_level(logging.DEBUG, logger="pintools"):
        with pytest.raises(pt.PinterestError) as info:
            pt.read_ad_accounts(client=client)
    for text in (str(info.value), repr(info.value), caplog.text, repr(client), repr(client.requestor.auth)):
        assert "XYZ" not in text
    assert "the app id / app secret are wrong, or the refresh token was refused" in str(info.value)
    assert str(info.value).endswith("pintools auth login --profile default")


def test_the_rotated_refresh_token_is_saved_before_the_new_access_token_is_used(emu, tmp_path, monkeypatch):
    from pintools import config

    seen = []
    original = config.persist_rotation

    def persist(settings, **kw):
        calls = [r for r in emu.control.requests() if r["operation_id"] != "oauth/token"]
        seen.append([r["status"] for r in calls])
        return original(settings, **kw)

    monkeypatch.setattr(config, "persist_rotation", persist)
    monkeypatch.setenv("PINTEREST_REFRESH_TOKEN", emu.refresh_token)
    monkeypatch.setenv("PINTEREST_APP_ID", emu.app_id)
    monkeypatch.setenv("PINTEREST_APP_SECRET", emu.app_secret)
    pt.read_ad_accounts(client=pt.connect(base_url=emu.base_url))
    assert seen == [[]]  # saved while no call had gone out with the new access token
    assert [r["status"] for r in emu.control.requests(operation_id="ad_accounts/list")] == [200]


def test_a_rotated_token_that_cannot_be_saved_is_said_loudly_with_the_recovery_command(emu, monkeypatch, capsys,
                                                                                      caplog):
    from pintools import config

    def broken(settings, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(config, "persist_rotation", broken)
    client = pt.connect(_refresh_creds(emu), base_url=emu.base_url)
    with caplog.at_level(logging.ERROR, logger="pintools"):
        assert len(pt.read_ad_accounts(client=client)) >= 2  # this run goes on with the new token
    err = capsys.readouterr().err
    assert "WARNING: Pinterest rotated your refresh token but saving the new one" in err
    assert "Permission denied" in err and err.strip().endswith("pintools auth login --profile default")
    assert "pintools auth login" in caplog.text
    assert client.requestor.auth.refresh_token not in err


def test_a_refused_refresh_token_is_a_refresh_refused_error_naming_the_profile(emu, tmp_path, monkeypatch):
    monkeypatch.setenv("PINTOOLS_CONFIG", str(tmp_path / "config.ini"))
    cfg = ConfigFile(tmp_path / "config.ini")
    cfg.save_profile("team", pt.Credentials(refresh_token="pinr_gone", app_id=emu.app_id,
                                            app_secret=emu.app_secret), base_url=emu.base_url)
    client = pt.connect(profile="team")
    with pytest.raises(pt.AuthError) as info:
        pt.read_ad_accounts(client=client)
    assert type(info.value).__name__ == "RefreshRefused" and info.value.status == 400
    assert "Pinterest refused the stored refresh token (HTTP 400, code 1" in str(info.value)
    assert str(info.value).endswith("To get new tokens, run: pintools auth login --profile team")
    assert "pinr_gone" not in str(info.value)
