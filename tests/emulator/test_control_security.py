"""The control plane answers only this machine's programs: JSON bodies, loopback Host, no foreign
Origin; a bind beyond loopback warns that the plane becomes reachable from the network."""

from __future__ import annotations

import logging

import pytest
import requests

from pintools.emulator.app import create_app
from pintools.emulator.control_client import EmulatorControl, EmulatorControlError
from pintools.emulator.control_guard import exposure_warning
from pintools.emulator.models import EmulatorState
from pintools.emulator.process import emulator_process
from pintools.emulator.server import EmulatorServer, warn_if_exposed

SEED = 3


@pytest.fixture
def client():
    return create_app(EmulatorState(seed=SEED)).test_client()


def _seed(client) -> int:
    return client.get("/_emulator/health").get_json()["seed"]


# -- JSON only ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["text/plain", "text/plain;charset=UTF-8"])
def test_a_text_plain_post_is_refused_and_changes_nothing(client, kind):
    """What <form enctype="text/plain"> or fetch(..., {mode: "no-cors"}) on any web page can send."""
    client.post("/_emulator/faults", json={"status": 503})
    r = client.post("/_emulator/reset", data='{"seed": 7}', content_type=kind)
    assert r.status_code == 415
    body = r.get_json()
    assert set(body) == {"code", "message"} and body["code"] == 415
    assert "Content-Type: application/json" in body["message"]
    assert _seed(client) == SEED and len(client.get("/_emulator/faults").get_json()["faults"]) == 1


def test_form_and_multipart_posts_are_refused(client):
    fixed = client.post("/_emulator/clock", json={"clock": 1_700_000_000}).get_json()["clock"]
    form = client.post("/_emulator/clock", data={"clock": "2030-01-01T00:00:00Z"})
    multipart = client.post("/_emulator/clock", data={"clock": "2030-01-01T00:00:00Z"},
                            content_type="multipart/form-data")
    assert (form.status_code, multipart.status_code) == (415, 415)
    assert client.post("/_emulator/clock/advance", json={"seconds": 0}).get_json()["clock"] == fixed == 1_700_000_000


def test_a_body_less_post_without_content_type_is_refused(client):
    """fetch(url, {method: "POST", mode: "no-cors"}) sends no Content-Type and no preflight."""
    r = client.post("/_emulator/reset")
    assert r.status_code == 415 and "no Content-Type" in r.get_json()["message"]


def test_a_json_post_is_accepted(client):
    r = client.post("/_emulator/reset", json={"seed": 7})
    assert r.status_code == 200 and _seed(client) == 7
    assert client.post("/_emulator/reset", data="", content_type="application/json").status_code == 200


def test_a_body_less_delete_is_accepted_but_not_a_text_one(client):
    client.post("/_emulator/faults", json={"status": 503})
    assert client.delete("/_emulator/faults", data="x", content_type="text/plain").status_code == 415
    assert len(client.get("/_emulator/faults").get_json()["faults"]) == 1
    assert client.delete("/_emulator/faults").status_code == 200
    assert client.get("/_emulator/faults").get_json()["faults"] == []


def test_a_json_content_type_with_a_broken_body_is_a_400_not_a_reset(client):
    r = client.post("/_emulator/reset", data="seed=7", content_type="application/json")
    assert r.status_code == 400 and "not valid JSON" in r.get_json()["message"]


# -- Host and Origin -----------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "192.168.1.5:8765", "localhost.evil.example"])
def test_a_foreign_host_is_refused(client, host):
    r = client.post("/_emulator/reset", json={"seed": 7}, headers={"Host": host})
    assert r.status_code == 403 and "loopback" in r.get_json()["message"]
    assert client.get("/_emulator/conversions/token", headers={"Host": host}).status_code == 403
    assert _seed(client) == SEED


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1:8765", "[::1]:8765", "LOCALHOST", "lab.localhost:9"])
def test_a_loopback_host_with_any_port_is_accepted(client, host):
    r = client.post("/_emulator/reset", json={"seed": 7}, headers={"Host": host})
    assert r.status_code == 200 and _seed(client) == 7


@pytest.mark.parametrize("origin", ["https://evil.example", "http://192.168.1.5:8765", "null"])
def test_a_foreign_origin_is_refused(client, origin):
    r = client.post("/_emulator/reset", json={"seed": 7}, headers={"Origin": origin})
    assert r.status_code == 403 and origin in r.get_json()["message"]
    assert _seed(client) == SEED


def test_a_loopback_origin_is_accepted(client):
    r = client.post("/_emulator/reset", json={"seed": 7}, headers={"Origin": "http://localhost:8888"})
    assert r.status_code == 200 and _seed(client) == 7


def test_the_api_still_answers_any_host(client):
    """The decision: /v5 needs a token and serves demo data, so a --host bind serves it to every name."""
    r = client.get("/v5/ad_accounts", headers={"Host": "emulator.lan:8765",
                                               "Authorization": "Bearer emulator-demo-token"})
    assert r.status_code == 200


def test_over_http_a_rebinding_host_is_refused_and_the_control_client_works():
    with EmulatorServer(seed=SEED) as srv:
        rebound = requests.post(srv.url + "/_emulator/reset", json={"seed": 7},
                                headers={"Host": f"attacker.example:{srv.port}"}, timeout=30)
        assert rebound.status_code == 403
        assert srv.control.health()["seed"] == SEED
        srv.control.clear_faults()  # a body-less DELETE
        assert srv.control.reset(seed=7)["seed"] == 7


# -- binding beyond loopback warns ---------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_a_loopback_bind_does_not_warn(host):
    assert exposure_warning(host, 8765) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.5"])
def test_a_non_loopback_bind_is_named_in_the_warning(host):
    message = exposure_warning(host, 8765)
    assert "/_emulator" in message and "reachable from the network" in message and "no authentication" in message
    assert "Host" in message and ":8765" in message


def test_serving_on_every_interface_warns_on_stderr_and_in_the_log(capsys, caplog):
    with caplog.at_level(logging.WARNING, logger="pintools.emulator"):
        warn_if_exposed("0.0.0.0", 8765, stderr=True)
    err = capsys.readouterr().err
    assert "WARNING" in err and "reachable from the network" in err and "http://127.0.0.1:8765/_emulator" in err
    assert any("reachable from the network" in r.getMessage() for r in caplog.records)


def test_an_emulator_bound_to_every_interface_warns_and_its_control_still_works(caplog):
    with caplog.at_level(logging.WARNING, logger="pintools.emulator"):
        with EmulatorServer(seed=SEED, host="0.0.0.0") as srv:
            assert srv.url == f"http://127.0.0.1:{srv.port}"
            assert srv.control.reset(seed=7)["seed"] == 7
    assert any("reachable from the network" in r.getMessage() and str(srv.port) in r.getMessage()
               for r in caplog.records)


def test_the_control_client_can_name_a_loopback_host():
    """For an emulator bound to a LAN address: the client reaches it there and names a loopback Host."""
    with EmulatorServer(seed=SEED) as srv:
        named = EmulatorControl(srv.url, host_header=f"localhost:{srv.port}")
        foreign = EmulatorControl(srv.url, host_header=f"lan-name:{srv.port}")
        try:
            assert named.health()["seed"] == SEED
            with pytest.raises(EmulatorControlError, match="403"):
                foreign.health()
        finally:
            named.close()
            foreign.close()


def test_pintools_emulator_serve_on_every_interface_warns(tmp_path):
    log = tmp_path / "emulator.log"
    with emulator_process("--host", "0.0.0.0", log=log) as base_url:
        assert requests.get(base_url.removesuffix("/v5") + "/_emulator/health", timeout=30).status_code == 200
    text = log.read_text()
    assert "WARNING" in text and "reachable from the network" in text
    assert text.count("reachable from the network") == 1
