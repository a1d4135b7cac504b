"""OAuth token endpoint, token expiry and the refresh-on-401 flow the client relies on."""

import base64
from urllib.parse import parse_qs, urlsplit

import requests


def _basic(app_id="emulator-app-id", secret="emulator-app-secret"):
    raw = base64.b64encode(f"{app_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def _token(server, data, headers=None):
    headers = _basic() if headers is None else headers
    return requests.post(server.base_url + "/oauth/token", data=data, headers=headers, timeout=30)


def test_refresh_with_rotation_invalidates_old_refresh_token(server):
    r = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token, "refresh_on": "true"})
    assert r.status_code == 200, r.text
    grant = r.json()
    assert grant["token_type"] == "bearer" and grant["response_type"] == "everlasting_refresh"
    assert isinstance(grant["expires_in"], int) and grant["scope"]
    assert grant["refresh_token"] != server.refresh_token
    assert grant["refresh_token_expires_in"] > 0 and grant["refresh_token_expires_at"] > 0
    listed = requests.get(server.base_url + "/ad_accounts",
                          headers={"Authorization": f"Bearer {grant['access_token']}"})
    assert listed.status_code == 200
    old = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token})
    assert old.status_code == 400 and set(old.json()) == {"code", "message"}
    new = _token(server, {"grant_type": "refresh_token", "refresh_token": grant["refresh_token"]})
    assert new.status_code == 200 and new.json()["response_type"] == "refresh_token"
    assert "refresh_token" not in new.json()


def test_refresh_without_rotation_keeps_refresh_token(server):
    for _ in range(2):
        r = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token,
                            "scope": "ads:read"})
        assert r.status_code == 200 and r.json()["scope"] == "ads:read"


def test_bad_app_credentials_are_401_code_2(server):
    for headers in (_basic(secret="nope"), {}, {"Authorization": "Bearer emulator-demo-token"}):
        r = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token}, headers)
        assert r.status_code == 401 and r.json() == {"code": 2, "message": "Authentication failed."}


def test_bad_grants_are_400(server):
    assert _token(server, {"grant_type": "refresh_token", "refresh_token": "pinr_unknown"}).status_code == 400
    assert _token(server, {"grant_type": "password"}).status_code == 400


def _authorize(server, **params):
    query = {"client_id": server.app_id, "redirect_uri": "http://localhost:8085/", "response_type": "code",
             "scope": "ads:read,ads:write", "state": "st4te"} | params
    return requests.get(server.url + "/oauth/", params=query, allow_redirects=False, timeout=30)


def _code(server, **params):
    location = _authorize(server, **params).headers["Location"]
    return parse_qs(urlsplit(location).query)["code"][0]


def test_authorization_code_works_once_for_its_redirect_uri_and_grants_the_asked_scopes(server):
    data = {"grant_type": "authorization_code", "code": _code(server), "redirect_uri": "http://localhost:8085/"}
    first = _token(server, data)
    assert first.status_code == 200
    grant = first.json()
    assert grant["response_type"] == "authorization_code" and grant["refresh_token"]
    assert grant["scope"] == "ads:read,ads:write" and grant["refresh_token_expires_in"] == 60 * 24 * 3600
    assert _token(server, data).status_code == 400
    other_uri = {"grant_type": "authorization_code", "code": _code(server), "redirect_uri": "http://localhost:9/"}
    assert _token(server, other_uri).status_code == 400
    made_up = {"grant_type": "authorization_code", "code": "abc123", "redirect_uri": "http://localhost:8085/"}
    assert _token(server, made_up).status_code == 400


def test_authorize_page_redirects_with_code_and_state_or_an_error(server):
    ok = _authorize(server)
    assert ok.status_code == 302
    query = parse_qs(urlsplit(ok.headers["Location"]).query)
    assert ok.headers["Location"].startswith("http://localhost:8085/?") and query["state"] == ["st4te"]
    denied = parse_qs(urlsplit(_authorize(server, emulator_consent="deny").headers["Location"]).query)
    assert denied["error"] == ["access_denied"] and "code" not in denied and denied["state"] == ["st4te"]
    bad_scope = parse_qs(urlsplit(_authorize(server, scope="ads:fly").headers["Location"]).query)
    assert bad_scope["error"] == ["invalid_scope"]
    unknown_app = _authorize(server, client_id="someone-else")
    assert unknown_app.status_code == 400 and "Location" not in unknown_app.headers
    assert set(unknown_app.json()) == {"code", "message"}


def test_expired_token_gets_401_and_refresh_recovers(server):
    grant = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token}).json()
    headers = {"Authorization": f"Bearer {grant['access_token']}"}
    assert requests.get(server.base_url + "/ad_accounts", headers=headers).status_code == 200
    assert server.control.expire_token(grant["access_token"]) is True
    r = requests.get(server.base_url + "/ad_accounts", headers=headers)
    assert r.status_code == 401 and r.json() == {"code": 2, "message": "Authentication failed."}
    fresh = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token}).json()
    again = requests.get(server.base_url + "/ad_accounts", headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert again.status_code == 200


def test_demo_token_can_be_expired_until_reset(server):
    server.control.expire_token(server.access_token)
    r = requests.get(server.base_url + "/ad_accounts", headers={"Authorization": f"Bearer {server.access_token}"})
    assert r.status_code == 401
    server.control.reset()
    r = requests.get(server.base_url + "/ad_accounts", headers={"Authorization": f"Bearer {server.access_token}"})
    assert r.status_code == 200


def test_issued_tokens_expire_with_the_clock(server):
    server.control.set_clock("2024-01-01T00:00:00Z")
    grant = _token(server, {"grant_type": "refresh_token", "refresh_token": server.refresh_token}).json()
    headers = {"Authorization": f"Bearer {grant['access_token']}"}
    assert requests.get(server.base_url + "/ad_accounts", headers=headers).status_code == 200
    server.control.set_clock(1704067200 + grant["expires_in"] + 1)
    assert requests.get(server.base_url + "/ad_accounts", headers=headers).status_code == 401
