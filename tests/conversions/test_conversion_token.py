"""The dedicated conversion token (POST /oauth/conversion_token, 5.23): `pintools auth conversion-token`
stores it in the profile (0600, never printed) and clients of that profile send conversions with it."""

from __future__ import annotations

import logging
import os
import stat

import pytest

import pintools as pt
from pintools.cli import main
from pintools.config import ConfigFile, Credentials
from pintools.conversions import obtain_conversion_token, send_conversions

from .conftest import NOW, connect, orders


def send(client, account, **kw):
    return send_conversions(orders(2), account, client=client, event_name="checkout", action_source="web",
                            now=NOW, progress=False, **kw)


@pytest.fixture
def profile(emu):
    """Profile [shop] holding the emulator's full OAuth token for the emulator's URL (a 'custom' host)."""
    cfg = ConfigFile(os.environ["PINTOOLS_CONFIG"])
    cfg.save_profile("shop", Credentials(access_token=emu.access_token), base_url=emu.base_url)
    return cfg


def test_the_emulator_issues_a_new_token_that_events_create_accepts(capi, emu, account):
    first, second = (capi.requestor.request("POST", "/oauth/conversion_token", category="org_write").data
                     for _ in range(2))
    assert first["token_type"] == "conversion" and first["access_token"] != second["access_token"]
    results = send(capi, account, conversion_token=first["access_token"])
    assert results["status"].tolist() == ["processed", "processed"]


def test_asking_needs_ads_write(emu):
    client = connect(emu, credentials=pt.Credentials(access_token=emu.control.mint_token("ads:read")))
    with pytest.raises(pt.PermissionDenied):
        obtain_conversion_token(client)


def test_the_cli_stores_it_0600_and_never_prints_it(emu, profile, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    assert main(["auth", "conversion-token", "--profile", "shop"]) == 0
    out = capsys.readouterr()
    token = profile.get("shop", "conversion_token")
    assert token and token.startswith("emulator-conversion-token-")
    assert profile.get("shop", "conversion_token_base_url") == emu.base_url
    assert profile.load_profile("shop").access_token == emu.access_token  # the rest of the profile is kept
    assert stat.S_IMODE(profile.path.stat().st_mode) == 0o600
    assert "Conversion token stored in profile [shop]" in out.out
    assert token not in out.out + out.err + caplog.text


def test_a_client_of_the_profile_sends_with_the_stored_token(emu, profile, account):
    obtain_conversion_token(profile="shop")
    # the profile's OAuth token can no longer write: only the conversion token can send events now
    profile.save_profile("shop", Credentials(access_token=emu.control.mint_token("ads:read")))
    client = pt.connect(profile="shop", quiet=True)
    assert repr(client.conversions.stored_token) == "ConversionToken(****)"
    assert send(client, account)["status"].tolist() == ["processed", "processed"]

    profile.save_conversion_token("shop", "emulator-conversion-token-wrong", emu.base_url)
    refused = send(pt.connect(profile="shop", quiet=True), account)
    assert refused["status"].tolist() == ["not_sent", "not_sent"]
    assert "run `pintools auth conversion-token` again" in refused["error"].iloc[0]  # the way out


def test_an_explicit_or_environment_token_wins_over_the_stored_one(emu, profile, account, monkeypatch):
    obtain_conversion_token(profile="shop")
    client = pt.connect(profile="shop", quiet=True)
    monkeypatch.setenv("PINTEREST_CONVERSION_TOKEN", "wrong-environment-token")
    assert send(client, account)["status"].tolist() == ["not_sent", "not_sent"]
    good = emu.control.conversion_token(account)
    assert send(client, account, conversion_token=good)["status"].tolist() == ["processed", "processed"]


def test_the_stored_token_is_only_used_for_its_host_and_its_profile(emu, profile):
    obtain_conversion_token(profile="shop")
    profile.save_profile("shop", Credentials(access_token=emu.access_token), base_url="https://api.pinterest.com/v5")
    assert pt.connect(profile="shop", quiet=True).conversions.stored_token is None  # another host
    profile.save_profile("shop", Credentials(access_token=emu.access_token), base_url=emu.base_url)
    assert pt.connect(profile="shop", quiet=True).conversions.stored_token is not None
    other = pt.connect(emu.access_token, profile="shop", base_url=emu.base_url, quiet=True)
    assert other.conversions.stored_token is None  # credentials given as arguments: maybe another user


def test_an_emulator_client_keeps_the_token_but_stores_nothing(capi, emu):
    token = obtain_conversion_token(capi)
    assert capi.conversions.stored_token is token and repr(token) == "ConversionToken(****)"
    assert not os.path.exists(os.environ["PINTOOLS_CONFIG"])


def test_without_credentials_the_cli_refuses_and_never_uses_the_emulator(emu, capsys):
    assert main(["auth", "conversion-token", "--profile", "nobody"]) == 1
    err = capsys.readouterr().err
    assert "No Pinterest credentials" in err and "profile [nobody]" in err
    assert not os.path.exists(os.environ["PINTOOLS_CONFIG"])
