"""Secrets (access and refresh tokens, app secrets) never appear in reprs, str, logs or errors."""

import logging
import time

import pytest

import pintools as pt
from pintools.config import load_settings

MARK = "S3CR3T"


def test_a_whole_session_with_refresh_leaks_nothing(fresh_emulator, caplog, capsys):
    emu = fresh_emulator
    creds = pt.Credentials(access_token=emu.access_token, refresh_token=emu.refresh_token, app_id=emu.app_id,
                           app_secret=emu.app_secret, expires_at=time.time() + 5)
    secrets = [emu.access_token, emu.refresh_token, emu.app_secret]
    with caplog.at_level(logging.DEBUG):
        client = pt.connect(creds, base_url=emu.base_url)
        accounts = pt.read_ad_accounts(client=client)           # refreshes first (token near expiry)
        pt.read_ad_groups(accounts.id[0], client=client)
        emu.control.inject_fault(route="campaigns/list", status=503, times=1)
        pt.read_campaigns(accounts.id[0], client=client)       # a logged retry
        with pytest.raises(pt.NotFound) as info:
            pt.read_campaigns("999999999", client=client)
    new_token = client.requestor.auth.access_token
    secrets += [new_token, client.requestor.auth.refresh_token]
    captured = capsys.readouterr()
    texts = [caplog.text, captured.out, captured.err, repr(client), str(client), repr(client.requestor),
             repr(client.requestor.auth), str(info.value), repr(info.value)]
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_bad_credentials_error_does_not_echo_them(fresh_emulator):
    client = pt.connect(pt.Credentials(access_token=f"tok-{MARK}"), base_url=fresh_emulator.base_url)
    with pytest.raises(pt.AuthError) as info:
        pt.read_ad_accounts(client=client)
    assert MARK not in str(info.value) and MARK not in repr(info.value.__cause__ or "")


def test_settings_and_credentials_reprs(tmp_path):
    s = load_settings(credentials=pt.Credentials(access_token=f"a-{MARK}", refresh_token=f"r-{MARK}",
                                                 app_id="7", app_secret=f"s-{MARK}"),
                      environ={}, config_path=tmp_path / "c.ini")
    assert MARK not in repr(s) and MARK not in str(s.credentials) and "'7'" in repr(s)
