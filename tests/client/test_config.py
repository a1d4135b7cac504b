"""Credentials and profiles: where they come from, 0600 files, rotation persistence, no leaks."""

import os
import stat

import pytest

from pintools import config
from pintools.config import ConfigFile, Credentials, load_settings, persist_rotation


def test_arguments_beat_environment_beat_profile(tmp_path):
    cf = ConfigFile(tmp_path / "c.ini")
    cf.save_profile("default", Credentials(access_token="from-file"))
    env = {"PINTEREST_ACCESS_TOKEN": "from-env"}
    assert load_settings(environ={}, config_path=cf.path).credentials.access_token == "from-file"
    assert load_settings(environ=env, config_path=cf.path).credentials.access_token == "from-env"
    s = load_settings(credentials=Credentials(access_token="from-arg"), environ=env, config_path=cf.path)
    assert (s.credentials.access_token, s.source) == ("from-arg", "arguments")


def test_no_credentials_anywhere_is_source_none(tmp_path):
    s = load_settings(environ={}, config_path=tmp_path / "missing.ini")
    assert s.source == "none" and not s.credentials.usable


def test_named_profile_and_its_base_url(tmp_path):
    cf = ConfigFile(tmp_path / "c.ini")
    cf.save_profile("agency", Credentials(access_token="t"), base_url="sandbox")
    s = load_settings(environ={"PINTOOLS_PROFILE": "agency"}, config_path=cf.path)
    assert s.source == "profile:agency"
    assert s.base_url == config.SANDBOX_URL


def test_base_url_from_environment_and_bad_value(tmp_path):
    s = load_settings(environ={"PINTOOLS_BASE_URL": "http://127.0.0.1:9/v5"}, config_path=tmp_path / "x")
    assert s.base_url == "http://127.0.0.1:9/v5"
    with pytest.raises(ValueError, match="neither 'production', 'sandbox'"):
        config.resolve_base_url("api.pinterest.com")


def test_config_file_is_written_0600_atomically(tmp_path):
    cf = ConfigFile(tmp_path / "sub" / "c.ini")
    cf.save_profile("default", Credentials(access_token="a", refresh_token="r", app_id="1", app_secret="s"))
    mode = stat.S_IMODE(os.stat(cf.path).st_mode)
    assert mode == 0o600
    assert [p.name for p in cf.path.parent.iterdir()] == ["c.ini"]  # no temp files left behind
    assert cf.load_profile("default").app_secret == "s"


def test_rotated_refresh_token_from_a_profile_is_saved_to_that_profile(tmp_path):
    cf = ConfigFile(tmp_path / "c.ini")
    cf.save_profile("default", Credentials(refresh_token="r1", app_id="1", app_secret="s"))
    s = load_settings(environ={}, config_path=cf.path)
    persist_rotation(s, access_token="a2", refresh_token="r2", expires_at=100.0)
    again = load_settings(environ={}, config_path=cf.path)
    assert (again.credentials.refresh_token, again.credentials.access_token,
            again.credentials.app_secret) == ("r2", "a2", "s")
    assert again.base_url == s.base_url  # the token is saved with the host it belongs to


def test_rotation_of_an_environment_token_survives_the_next_run(tmp_path):
    env = {"PINTEREST_REFRESH_TOKEN": "r1", "PINTEREST_APP_ID": "1", "PINTEREST_APP_SECRET": "s"}
    s = load_settings(environ=env, config_path=tmp_path / "c.ini")
    persist_rotation(s, access_token="a2", refresh_token="r2", expires_at=None)
    # the environment still says r1, which Pinterest has retired: the saved r2 is used instead
    nxt = load_settings(environ=env, config_path=tmp_path / "c.ini")
    assert nxt.credentials.refresh_token == "r2" and nxt.source == "environment"
    # a rotation of r2 keeps pointing at the environment's r1
    persist_rotation(nxt, access_token="a3", refresh_token="r3", expires_at=None)
    assert load_settings(environ=env, config_path=tmp_path / "c.ini").credentials.refresh_token == "r3"
    # the app secret from the environment was never copied into the file
    assert "app_secret" not in (tmp_path / "c.ini").read_text()
    # a different environment token is not overridden
    other = dict(env, PINTEREST_REFRESH_TOKEN="fresh")
    assert load_settings(environ=other, config_path=tmp_path / "c.ini").credentials.refresh_token == "fresh"


def test_secrets_never_show_in_repr_or_str():
    creds = Credentials(access_token="tok-SECRET-1", refresh_token="ref-SECRET-2", app_id="42",
                        app_secret="app-SECRET-3")
    for text in (repr(creds), str(creds)):
        assert "SECRET" not in text and "42" in text
    s = load_settings(credentials=creds, environ={}, config_path="/nonexistent/x.ini")
    assert "SECRET" not in repr(s)


def test_a_profile_without_app_credentials_takes_them_from_the_environment_but_never_saves_them(tmp_path):
    cfg = ConfigFile(tmp_path / "c.ini")
    cfg.save_profile("work", Credentials(access_token="a", refresh_token="r"))
    env = {"PINTEREST_APP_ID": "7", "PINTEREST_APP_SECRET": "env-secret"}
    s = load_settings(profile="work", environ=env, config_path=cfg.path)
    assert s.source == "profile:work" and s.credentials.can_refresh and s.credentials.app_id == "7"
    persist_rotation(s, access_token="a2", refresh_token="r2", expires_at=5.0, refresh_token_expires_at=99.0,
                     scope="ads:read")
    saved = cfg.load_profile("work")
    assert (saved.refresh_token, saved.app_secret, saved.app_id) == ("r2", None, None)
    assert cfg.get("work", "refresh_token_expires_at") == "99" and cfg.get("work", "scope") == "ads:read"
    assert "env-secret" not in cfg.path.read_text()
