"""OAuth token endpoint, token expiry and the refresh-on-401 flow the client relies on."""

import base64

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


def test_authorization_code_works_once(server):
    data = {"grant_type": "authorization_code", "code": "abc123", "redirect_uri": "http://localhost:8085/"}
    first = _token(server, data)
    assert first.status_code == 200
    assert first.json()["response_type"] == "authorization_code" and first.json()["refresh_token"]
    assert _token(server, data).status_code == 400


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
