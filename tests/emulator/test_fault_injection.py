"""Injected faults: status for the next N calls, after-phase writes, latency, drops, bad JSON."""

import json
import time

import pytest
import requests


@pytest.fixture
def account_id(api):
    return api.accounts()[0]["id"]


def test_status_fault_fires_exactly_n_times(api, account_id):
    api.server.control.inject_fault(route="campaigns/list", status=503, times=2, retry_after=4)
    path = f"/ad_accounts/{account_id}/campaigns"
    first, second, third = (api.get(path) for _ in range(3))
    assert first.status_code == second.status_code == 503
    assert first.json() == {"code": 503, "message": "Service unavailable."}
    assert first.headers["Retry-After"] == "4"
    assert third.status_code == 200
    assert api.get(f"/ad_accounts/{account_id}/ads").status_code == 200  # other routes untouched


def test_fault_by_path_template_and_method(api, account_id):
    api.server.control.inject_fault(route="/ad_accounts/{ad_account_id}/ad_groups", method="PATCH", status=500,
                                    code=1, message="Backend hiccup.")
    path = f"/ad_accounts/{account_id}/ad_groups"
    assert api.get(path).status_code == 200
    r = api.patch(path, json=[{"id": "1"}])
    assert r.status_code == 500 and r.json() == {"code": 1, "message": "Backend hiccup."}


def test_injected_429_is_pinterest_shaped(api, account_id):
    api.server.control.inject_fault(status=429, times=1)
    r = api.get(f"/ad_accounts/{account_id}")
    assert r.status_code == 429 and r.json()["code"] == 8 and int(r.headers["Retry-After"]) >= 1


def test_after_phase_applies_the_write_then_fails(api, account_id):
    group = api.get(f"/ad_accounts/{account_id}/ad_groups", params={"page_size": 1}).json()["items"][0]
    api.server.control.inject_fault(route="ad_groups/update", status=502, phase="after")
    r = api.patch(f"/ad_accounts/{account_id}/ad_groups", json=[{"id": group["id"], "name": "Renamed Late"}])
    assert r.status_code == 502
    stored = api.get(f"/ad_accounts/{account_id}/ad_groups/{group['id']}").json()
    assert stored["name"] == "Renamed Late"
    log = api.server.control.requests(operation_id="ad_groups/update")
    assert log[-1]["status"] == 502 and log[-1]["fault"] == "status_502_after"


def test_before_phase_does_not_apply_the_write(api, account_id):
    group = api.get(f"/ad_accounts/{account_id}/ad_groups", params={"page_size": 1}).json()["items"][0]
    api.server.control.inject_fault(route="ad_groups/update", status=500)
    api.patch(f"/ad_accounts/{account_id}/ad_groups", json=[{"id": group["id"], "name": "Never"}])
    assert api.get(f"/ad_accounts/{account_id}/ad_groups/{group['id']}").json()["name"] == group["name"]


def test_latency_only_fault_is_slow_but_normal(api, account_id):
    api.server.control.inject_fault(route="ad_accounts/get", status=None, latency_ms=300, times=1)
    started = time.monotonic()
    r = api.get(f"/ad_accounts/{account_id}")
    assert r.status_code == 200 and time.monotonic() - started >= 0.3
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.server.control.inject_fault(route="ad_accounts/get", status=None, latency_ms=800)
        api.get(f"/ad_accounts/{account_id}", timeout=0.2)


def test_drop_connection_is_a_connection_error(api, account_id):
    api.server.control.inject_fault(route="campaigns/update", drop_connection=True, phase="after")
    campaign = api.get(f"/ad_accounts/{account_id}/campaigns", params={"page_size": 1}).json()["items"][0]
    with pytest.raises(requests.exceptions.ConnectionError):
        api.patch(f"/ad_accounts/{account_id}/campaigns",
                  json=[{"id": campaign["id"], "ad_account_id": account_id, "name": "Dropped But Saved"}])
    assert api.get(f"/ad_accounts/{account_id}/campaigns/{campaign['id']}").json()["name"] == "Dropped But Saved"
    assert api.server.control.requests(operation_id="campaigns/update")[-1]["fault"] == "drop_connection_after"


def test_malformed_body_is_200_with_invalid_json(api, account_id):
    api.server.control.inject_fault(route="campaigns/list", malformed_body=True)
    r = api.get(f"/ad_accounts/{account_id}/campaigns")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.text)


def test_times_none_lasts_until_cleared(api, account_id):
    api.server.control.inject_fault(route="ad_accounts/get", status=500, times=None)
    assert [api.get(f"/ad_accounts/{account_id}").status_code for _ in range(3)] == [500, 500, 500]
    assert len(api.server.control.faults()) == 1
    api.server.control.clear_faults()
    assert api.get(f"/ad_accounts/{account_id}").status_code == 200


def test_bad_fault_arguments_are_rejected(api):
    from pintools.emulator import EmulatorControlError

    with pytest.raises(EmulatorControlError):
        api.server.control.inject_fault(route="no/such/op")
    with pytest.raises(EmulatorControlError):
        api.server.control.inject_fault(phase="during")
