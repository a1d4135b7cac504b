"""`pintools auth login` / `auth status` end to end against the emulator's OAuth pages, with a fake
browser (a function that GETs the authorization URL and follows the redirect to the loopback server)."""

import stat
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

import pintools as pt
from pintools.auth_login import LoginFailed, login
from pintools.cli import main
from pintools.config import ConfigFile
from pintools.http.retry import RetryPolicy

PAGES = []  # what the fake browser showed last


def browser(url, **extra):
    """What a user's browser does when the user consents: open the page, follow its redirect."""
    PAGES[:] = [requests.get(url + ("&" + urlencode(extra) if extra else ""), timeout=10)]
    return True


@pytest.fixture
def emu(fresh_emulator, monkeypatch, tmp_path):
    monkeypatch.setenv("PINTOOLS_CONFIG", str(tmp_path / "config.ini"))
    monkeypatch.setenv("PINTEREST_APP_ID", fresh_emulator.app_id)
    monkeypatch.setenv("PINTEREST_APP_SECRET", fresh_emulator.app_secret)
    monkeypatch.setattr("webbrowser.open", browser)
    return fresh_emulator


def _config(tmp_path):
    return ConfigFile(tmp_path / "config.ini")


def _secrets_of(cfg, profile):
    creds = cfg.load_profile(profile)
    return [s for s in (creds.access_token, creds.refresh_token, creds.app_secret) if s]


def test_login_stores_the_tokens_0600_prints_scopes_and_expiry_and_never_a_token(emu, tmp_path, capsys):
    assert main(["auth", "login", "--profile", "work", "--base-url", emu.base_url,
                 "--scopes", "ads:read", "ads:write"]) == 0
    out = capsys.readouterr()
    cfg = _config(tmp_path)
    stored = cfg.load_profile("work")
    assert stored.access_token.startswith("pina_") and stored.refresh_token.startswith("pinr_")
    assert stored.app_id == emu.app_id and stored.app_secret is None  # the secret stays in the environment
    assert stat.S_IMODE(cfg.path.stat().st_mode) == 0o600
    assert cfg.get("work", "scope") == "ads:read,ads:write" and cfg.get("work", "base_url") == emu.base_url
    assert stored.expires_at > time.time() + 29 * 86400
    assert int(cfg.get("work", "refresh_token_expires_at")) > time.time() + 59 * 86400
    assert "Granted scopes: ads:read,ads:write" in out.out and "(in 30 days)" in out.out
    assert "http://127.0.0.1:" in out.out  # the redirect URI to register
    assert PAGES[0].status_code == 200 and "You can close this tab" in PAGES[0].text
    for secret in _secrets_of(cfg, "work") + [emu.app_secret]:
        assert secret not in out.out + out.err
    # the stored tokens work: a client of the profile reads the API with the granted access token
    client = pt.connect(profile="work")
    assert client.mode == "custom" and len(pt.read_ad_accounts(client=client)) >= 2
    assert emu.control.requests(operation_id="oauth/token")[-1]["status"] == 200


def test_a_prompted_app_secret_is_read_without_echo_and_kept_in_the_profile(emu, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("PINTEREST_APP_SECRET")
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda text: asked.append(text) or emu.app_secret)
    assert main(["auth", "login", "--base-url", emu.base_url]) == 0
    assert asked and emu.app_id in asked[0]
    stored = _config(tmp_path).load_profile("default")
    assert stored.app_secret == emu.app_secret and stored.can_refresh
    out = capsys.readouterr().out
    assert emu.app_secret not in out and "The app secret you typed is kept in the profile" in out
    assert _config(tmp_path).get("default", "scope") == "ads:read,ads:write,pins:read,user_accounts:read"


def test_access_denied_on_the_page_is_a_clear_failure_and_stores_nothing(emu, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("webbrowser.open", lambda url: browser(url, emulator_consent="deny"))
    assert main(["auth", "login", "--base-url", emu.base_url]) == 1
    err = capsys.readouterr().err
    assert "Access was denied" in err and "pintools auth login" in err
    assert "access_denied" in PAGES[0].text and "close this tab" in PAGES[0].text
    assert _config(tmp_path).profiles() == []


def test_a_redirect_with_another_state_is_refused(emu, tmp_path, monkeypatch, capsys):
    def forger(url):
        page = requests.get(url, allow_redirects=False, timeout=10)
        target = urlsplit(page.headers["Location"])
        query = parse_qs(target.query)
        query["state"] = ["not-the-one-sent"]
        PAGES[:] = [requests.get(target._replace(query=urlencode(query, doseq=True)).geturl(), timeout=10)]
        return True

    monkeypatch.setattr("webbrowser.open", forger)
    assert main(["auth", "login", "--base-url", emu.base_url]) == 1
    err = capsys.readouterr().err
    assert "state that is not the one pintools sent" in err
    assert PAGES[0].status_code == 400 and "refused" in PAGES[0].text
    assert _config(tmp_path).profiles() == []
    assert emu.control.requests(operation_id="oauth/token") == []  # the code was never exchanged


def test_no_browser_prints_the_url_and_a_fixed_port_is_the_redirect_uri(emu, tmp_path):
    lines = []

    def say(text):
        lines.append(text)
        if "Open this page" in text:  # the user copies the URL into a browser
            url = text.split()[-1]
            threading.Thread(target=browser, args=(url,), daemon=True).start()

    with _free_port() as port:
        pass
    result = login(port=port, open_browser=None, say=say, base_url=emu.base_url, timeout=10)
    assert lines[0].endswith(f"http://127.0.0.1:{port}/")
    url = next(line for line in lines if "Open this page" in line).split()[-1]
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(emu.url + "/oauth/?") and query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"http://127.0.0.1:{port}/"] and len(query["state"][0]) >= 32
    assert result.scope and _config(tmp_path).load_profile("default").refresh_token


def test_no_answer_in_time_is_a_clear_failure(emu, tmp_path):
    with pytest.raises(LoginFailed, match="No answer from Pinterest's authorization page within 1 s"):
        login(open_browser=lambda url: True, say=lambda text: None, base_url=emu.base_url, timeout=1)
    assert _config(tmp_path).profiles() == []


def test_production_login_points_at_pinterest_authorization_page(tmp_path):
    opened = []
    with pytest.raises(LoginFailed):
        login(app_id="1234", prompt=lambda text: "s", open_browser=lambda url: opened.append(url) or True,
              say=lambda text: None, timeout=0.2, environ={}, config_path=str(tmp_path / "config.ini"))
    page = urlsplit(opened[0])
    assert f"{page.scheme}://{page.netloc}{page.path}" == "https://www.pinterest.com/oauth/"
    assert parse_qs(page.query)["scope"] == ["ads:read,ads:write,pins:read,user_accounts:read"]


def test_status_shows_profile_scopes_and_expiries_but_no_token(emu, tmp_path, capsys, monkeypatch):
    main(["auth", "login", "--profile", "work", "--base-url", emu.base_url])
    capsys.readouterr()
    assert main(["auth", "status", "--profile", "work"]) == 0
    out = capsys.readouterr().out
    assert "profile: work" in out and "credentials from: profile [work]" in out
    assert f"app id: {emu.app_id}" in out and "scopes: ads:read,ads:write,pins:read,user_accounts:read" in out
    assert "access token: present, expires" in out and "(in 30 days)" in out
    assert "refresh token: present, expires" in out and "(in 60 days)" in out
    assert "can refresh: yes" in out
    for secret in _secrets_of(_config(tmp_path), "work") + [emu.app_secret]:
        assert secret not in out
    assert "conversion token: none (events/create uses the access token" in out
    monkeypatch.delenv("PINTEREST_APP_SECRET")
    main(["auth", "status", "--profile", "work"])
    assert "can refresh: no (missing: app secret)" in capsys.readouterr().out
    _config(tmp_path).save_conversion_token("work", "ct-SECRET-value", emu.base_url)
    main(["auth", "status", "--profile", "work"])
    out = capsys.readouterr().out
    assert "conversion token: stored in the profile for this host" in out and "ct-SECRET-value" not in out


def test_status_of_environment_credentials_and_of_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PINTOOLS_CONFIG", str(tmp_path / "config.ini"))
    main(["auth", "status"])
    out = capsys.readouterr().out
    assert "credentials from: none" in out and "pintools auth login --profile default" in out
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", "pina_envTOKEN")
    main(["auth", "status"])
    out = capsys.readouterr().out
    assert "credentials from: environment" in out and "access token: present, expiry not recorded" in out
    assert "can refresh: no (missing: refresh token, app id, app secret)" in out and "envTOKEN" not in out


def test_a_lost_refresh_answer_after_rotation_names_the_command_that_recovers(emu, tmp_path, capsys):
    main(["auth", "login", "--profile", "work", "--base-url", emu.base_url])
    stored = _config(tmp_path).load_profile("work")
    emu.control.expire_token(stored.access_token)
    # Pinterest rotates the refresh token, then the connection drops before the answer arrives
    emu.control.inject_fault(route="oauth/token", status=None, drop_connection=True, phase="after")
    fast = RetryPolicy(backoff_base=0, backoff_max=0)
    with pytest.raises(pt.AuthError) as info:
        pt.read_ad_accounts(client=pt.connect(profile="work", retry=fast))
    message = str(info.value)
    assert "rotated the refresh token and the answer carrying the new one was lost" in message
    assert message.endswith("run: pintools auth login --profile work")
    assert [r["status"] for r in emu.control.requests(operation_id="oauth/token")][-2:] == [500, 400]
    # the next run is refused the same way (not a bare "Invalid refresh token")
    with pytest.raises(pt.AuthError, match="pintools auth login --profile work"):
        pt.read_ad_accounts(client=pt.connect(profile="work", retry=fast))
    for secret in _secrets_of(_config(tmp_path), "work"):
        assert secret not in message
    # ...and the command it names does recover
    assert main(["auth", "login", "--profile", "work", "--base-url", emu.base_url]) == 0
    assert len(pt.read_ad_accounts(client=pt.connect(profile="work", retry=fast))) >= 2


def test_after_login_a_refused_environment_refresh_token_gives_way_to_the_profile(emu, tmp_path, monkeypatch):
    monkeypatch.setenv("PINTEREST_REFRESH_TOKEN", "pinr_spent-and-refused")
    with pytest.raises(pt.AuthError, match="PINTEREST_REFRESH_TOKEN") as info:
        pt.read_ad_accounts(client=pt.connect(base_url=emu.base_url))
    assert str(info.value).endswith("pintools auth login --profile default")
    assert main(["auth", "login", "--base-url", emu.base_url]) == 0
    assert len(pt.read_ad_accounts(client=pt.connect(base_url=emu.base_url))) >= 2


class _free_port:
    """A port that was free a moment ago (for the fixed ``--port`` case)."""

    def __enter__(self):
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return self._sock.getsockname()[1]

    def __exit__(self, *exc):
        self._sock.close()


def test_a_secret_stored_for_another_app_is_not_sent_for_this_one(emu, tmp_path, monkeypatch):
    monkeypatch.delenv("PINTEREST_APP_SECRET")
    _config(tmp_path).save_profile("default", pt.Credentials(app_id="another-app", app_secret="another-secret"))
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda text: asked.append(text) or emu.app_secret)
    assert main(["auth", "login", "--base-url", emu.base_url, "--app-id", emu.app_id]) == 0
    assert asked and _config(tmp_path).load_profile("default").app_secret == emu.app_secret
