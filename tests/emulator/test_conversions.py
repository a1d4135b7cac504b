"""Conversions API (``events/create``): per-event checks, 200/422/400, recording with dedupe,
``test=true``, conversion tokens, the per-account rate limit and injected faults."""

from __future__ import annotations

import hashlib
import json

import pytest

from pintools.emulator.control_client import EmulatorControlError
from pintools.emulator.errors import RATE_LIMIT_MESSAGE
from pintools.emulator.models.conversions import MAX_EVENT_AGE_SECONDS
from pintools.emulator.route_table import coverage

NOW = 1_742_045_400  # 2025-03-15T13:30:00Z
SPEC_DEFAULT_LIMIT = 5000


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def event(event_id: str, **changes) -> dict:
    """A valid checkout event at NOW - 1 hour; ``changes`` override top-level fields."""
    base = {"event_name": "checkout", "action_source": "web", "event_time": NOW - 3600, "event_id": event_id,
            "user_data": {"em": [sha("jo@example.com")]},
            "custom_data": {"currency": "USD", "value": "72.39", "order_id": event_id,
                            "contents": [{"id": "sku-1", "item_price": "36.20", "quantity": 2}]}}
    base.update(changes)
    return base


@pytest.fixture
def capi(api):
    """The reset API with the clock at NOW and the spec's conversions limit (restored afterwards)."""
    api.server.control.set_clock(NOW)
    api.server.control.set_rate_limit("ads_conversions", per_minute=SPEC_DEFAULT_LIMIT)
    yield api
    api.server.control.set_rate_limit("ads_conversions", per_minute=SPEC_DEFAULT_LIMIT)


@pytest.fixture
def accounts(capi):
    return [a["id"] for a in capi.accounts()]


def send(api, account_id, events, token=None, **params):
    return api.post(f"/ad_accounts/{account_id}/events", json={"data": events}, token=token,
                    params=params or None)


def test_a_valid_batch_is_processed_in_order_and_recorded(capi, accounts):
    acct = accounts[0]
    batch = [event("order-1"), event("order-2", event_name="add_to_cart"), event("order-3", action_source="offline")]
    r = send(capi, acct, batch)
    assert r.status_code == 200
    body = r.json()
    assert body["num_events_received"] == 3 and body["num_events_processed"] == 3
    assert body["events"] == [{"status": "processed", "error_message": None, "warning_message": None}] * 3
    recorded = capi.server.control.conversion_events(acct)
    assert [e["event_id"] for e in recorded] == ["order-1", "order-2", "order-3"]
    first = recorded[0]
    assert (first["ad_account_id"], first["event_name"], first["action_source"]) == (acct, "checkout", "web")
    assert first["event_time"] == NOW - 3600 and first["received_at"] == NOW and first["times_received"] == 1
    assert first["event"] == batch[0]  # stored as sent (hashed identifiers only)
    assert capi.server.control.conversion_events(accounts[1]) == []


@pytest.mark.spec_violations_expected  # sends a body that breaks the spec on purpose
def test_a_mixed_batch_fails_events_one_by_one_naming_the_field(capi, accounts):
    batch = [
        event("ok-1"),
        event("bad-name", event_name="purchase"),
        event("bad-source", action_source="email"),
        {k: v for k, v in event("no-id").items() if k != "event_id"},
        event("bad-value", custom_data={"value": 72.39}),
        event("bad-price", custom_data={"contents": [{"id": "a", "item_price": 3, "quantity": "2"}]}),
        event("bad-time", event_time="2025-03-15"),
        event("ok-2"),
    ]
    body = send(capi, accounts[0], batch).json()
    statuses = [e["status"] for e in body["events"]]
    assert statuses == ["processed"] + ["failed"] * 6 + ["processed"]
    assert body["num_events_received"] == 8 and body["num_events_processed"] == 2
    messages = [e["error_message"] for e in body["events"]]
    assert messages[0] is None and messages[7] is None
    assert "event_name 'purchase'" in messages[1]
    assert "action_source 'email'" in messages[2]
    assert messages[3] == "missing required field event_id"
    assert messages[4] == "custom_data.value must be a string"
    assert "custom_data.contents[0].item_price must be a string" in messages[5]
    assert "custom_data.contents[0].quantity must be an integer" in messages[5]
    assert "event_time must be an integer" in messages[6]
    assert [e["event_id"] for e in capi.server.control.conversion_events(accounts[0])] == ["ok-1", "ok-2"]


@pytest.mark.spec_violations_expected  # sends a body that breaks the spec on purpose
@pytest.mark.parametrize("where, changes, field", [
    ("event", {"custom_event_name": "wishlist"}, "unknown field custom_event_name"),
    ("custom_data", {"custom_data": {"custom_event_name": "wishlist"}}, "unknown field custom_data.custom_event_name"),
    ("custom_data", {"custom_data": {"search_query": "sofa"}}, "unknown field custom_data.search_query"),
    ("contents", {"custom_data": {"contents": [{"id": "a"}, {"id": "b", "sku": "x"}]}},
     "unknown field custom_data.contents[1].sku"),
])
def test_unknown_fields_fail_that_event_only(capi, accounts, where, changes, field):
    """The third-party seed's ``custom_event_name`` / ``search_query`` are not spec fields (digest §15.7)."""
    r = send(capi, accounts[0], [event("good"), event("odd", **changes)])
    assert r.status_code == 200, where
    good, odd = r.json()["events"]
    assert good["status"] == "processed"
    assert odd == {"status": "failed", "error_message": field, "warning_message": None}
    if capi.server.spec_enabled:  # the harness still sees the request broke the spec (additionalProperties: false)
        assert [v["status"] for v in capi.server.control.spec_violations()] == [None]


def test_unknown_fields_fail_per_event_without_the_spec_too(plain_api):
    plain_api.server.control.set_clock(NOW)
    acct = plain_api.accounts()[0]["id"]
    body = send(plain_api, acct, [event("good"), event("odd", custom_event_name="x")]).json()
    assert [e["status"] for e in body["events"]] == ["processed", "failed"]
    assert body["events"][1]["error_message"] == "unknown field custom_event_name"


@pytest.mark.spec_violations_expected  # sends a body that breaks the spec on purpose
@pytest.mark.parametrize("user_data, status", [
    ({"em": [sha("a@b.c")]}, "processed"),
    ({"hashed_maids": [sha("38400000-8cf0-11bd-b23e-10b96e40000d")]}, "processed"),
    ({"client_ip_address": "216.3.128.12", "client_user_agent": "Mozilla/5.0"}, "processed"),
    ({"client_ip_address": "216.3.128.12"}, "failed"),
    ({"em": [], "ph": [sha("14155550100")]}, "failed"),
    ({}, "failed"),
])
def test_user_data_needs_one_identifier(capi, accounts, user_data, status):
    r = send(capi, accounts[0], [event("e1", user_data=user_data), event("e2")])
    result = r.json()["events"][0]
    assert result["status"] == status
    if status == "failed":
        assert result["error_message"] == ("user_data needs em, hashed_maids, or both client_ip_address and "
                                           "client_user_agent")


def test_unhashed_identifiers_are_processed_with_a_warning(capi, accounts):
    r = send(capi, accounts[0], [event("raw", user_data={"em": ["Jo@Example.com"], "ph": [sha("1")]})])
    result = r.json()["events"][0]
    assert result["status"] == "processed" and result["error_message"] is None
    assert "user_data.em" in result["warning_message"] and "user_data.ph" not in result["warning_message"]


def test_unrecognised_user_data_keys_are_processed_with_a_warning(capi, accounts):
    """``user_data`` does not forbid extra keys in the spec; a typo such as ``email`` is flagged, not failed."""
    result = send(capi, accounts[0], [event("typo", user_data={"em": [sha("a@b.c")], "email": "a@b.c"})]).json()
    assert result["events"][0]["status"] == "processed"
    assert "email" in result["events"][0]["warning_message"]


def test_event_time_window(capi, accounts):
    batch = [event("future", event_time=NOW + 3600), event("skewed", event_time=NOW + 30),
             event("old", event_time=NOW - MAX_EVENT_AGE_SECONDS - 1), event("edge", event_time=NOW - MAX_EVENT_AGE_SECONDS)]
    results = send(capi, accounts[0], batch).json()["events"]
    assert [r["status"] for r in results] == ["failed", "processed", "failed", "processed"]
    assert results[0]["error_message"] == "event_time is in the future"
    assert results[2]["error_message"] == ("event_time is older than 7 days (the emulator's guess at Pinterest's "
                                           "window; the spec states none)")


def test_the_event_age_window_is_a_switch_because_the_spec_states_none(capi, accounts):
    old = [event("month-old", event_time=NOW - 30 * 86400)]
    assert send(capi, accounts[0], old).status_code == 422  # the default guess: 7 days
    assert capi.server.control.set_conversions_behaviour(max_event_age_days=None) == {"max_event_age_days": None}
    r = send(capi, accounts[0], old)
    assert r.status_code == 200 and r.json()["events"][0]["status"] == "processed"
    capi.server.control.set_conversions_behaviour(max_event_age_days=40)
    assert send(capi, accounts[0], [event("older", event_time=NOW - 41 * 86400)]).status_code == 422
    with pytest.raises(EmulatorControlError, match="max_event_age_days must be an integer >= 1"):
        capi.server.control.set_conversions_behaviour(max_event_age_days=0)
    capi.server.control.reset()
    assert send(capi, accounts[0], old).status_code == 422  # a reset brings the default back


@pytest.mark.spec_violations_expected  # sends a body that breaks the spec on purpose
def test_all_failed_is_422_detailed_error(capi, accounts):
    r = send(capi, accounts[0], [event("a", event_name="buy"), event("b", user_data={})])
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == 4196 and body["message"] == "Not all events were successfully processed."
    details = body["details"]
    assert details["num_events_received"] == 2 and details["num_events_processed"] == 0
    assert [e["status"] for e in details["events"]] == ["failed", "failed"]
    assert "event_name 'buy'" in details["events"][0]["error_message"]
    assert capi.server.control.conversion_events() == []


@pytest.mark.spec_violations_expected  # sends a body that breaks the spec on purpose
@pytest.mark.parametrize("payload", [
    {"data": [event(f"e{i}") for i in range(1001)]},
    {"data": []},
    {"data": event("not-a-list")},
    {},
    {"data": [event("x")], "test": True},
])
def test_a_bad_top_level_is_400_code_4196(capi, accounts, payload):
    r = capi.post(f"/ad_accounts/{accounts[0]}/events", json=payload)
    assert r.status_code == 400
    assert r.json()["code"] == 4196 and r.json()["message"].startswith("The request was invalid.")
    assert capi.server.control.conversion_events() == []


@pytest.mark.spec_violations_expected  # sends a body that breaks the spec on purpose
def test_a_bad_test_flag_is_400_code_4196(capi, accounts):
    r = send(capi, accounts[0], [event("x")], test="maybe")
    assert r.status_code == 400 and r.json()["code"] == 4196


def test_a_full_batch_of_1000_is_accepted(capi, accounts):
    r = send(capi, accounts[0], [event(f"e{i}") for i in range(1000)])
    assert r.status_code == 200 and r.json()["num_events_processed"] == 1000
    assert len(capi.server.control.conversion_events(accounts[0])) == 1000


def test_test_mode_answers_the_same_and_records_nothing(capi, accounts):
    acct = accounts[0]
    batch = [event("t-1"), event("t-2", event_name="nope"), event("t-1")]
    trial = send(capi, acct, batch, test="true")
    assert trial.status_code == 200
    assert capi.server.control.conversion_events() == []
    real = send(capi, acct, batch)
    assert real.json() == trial.json()
    assert trial.json()["events"][2]["warning_message"] == "duplicate event_id; deduplicated"
    calls = capi.server.control.conversion_calls(acct)
    assert [(c["test"], c["events"], c["status"]) for c in calls] == [(True, 3, 200), (False, 3, 200)]
    assert [e["times_received"] for e in capi.server.control.conversion_events(acct)] == [2]


def test_repeated_event_ids_are_deduplicated_and_counted(capi, accounts):
    acct, other = accounts[0], accounts[1]
    send(capi, acct, [event("order-1"), event("order-2")])
    again = send(capi, acct, [event("order-1", event_time=NOW - 60), event("order-3")]).json()
    assert again["num_events_processed"] == 2
    assert again["events"][0] == {"status": "processed", "error_message": None,
                                  "warning_message": "duplicate event_id; deduplicated"}
    assert again["events"][1]["warning_message"] is None
    send(capi, other, [event("order-1")])  # another account: not a duplicate
    recorded = {e["event_id"]: e for e in capi.server.control.conversion_events(acct)}
    assert sorted(recorded) == ["order-1", "order-2", "order-3"]
    assert recorded["order-1"]["times_received"] == 2 and recorded["order-1"]["event_time"] == NOW - 3600
    assert [e["times_received"] for e in capi.server.control.conversion_events(other)] == [1]
    assert all(e["times_received"] == 1 for k, e in recorded.items() if k != "order-1")
    assert capi.server.control.conversion_summary(acct) == {"recorded": 3, "times_received": {"1": 2, "2": 1}}


def test_conversion_token_works_on_every_account_of_its_user_and_only_on_events(capi, accounts):
    acct, other = accounts[0], accounts[1]
    control = capi.server.control
    token = control.conversion_token(acct)
    assert token.startswith("emulator-conversion-token-") and token == control.conversion_token(acct)
    # "the token can be used across multiple ad accounts under an user ID" (events/create text)
    assert token == control.conversion_token(other)
    assert send(capi, acct, [event("via-token")], token=token).status_code == 200
    assert send(capi, other, [event("via-token")], token=token).status_code == 200
    assert capi.get(f"/ad_accounts/{acct}", token=token).status_code == 401
    assert capi.get(f"/ad_accounts/{acct}/campaigns", token=token).status_code == 401
    assert send(capi, other, [event("via-oauth")]).status_code == 200  # an OAuth token works on any account
    assert send(capi, acct, [event("x")], token="emulator-conversion-token-000").status_code == 401
    with pytest.raises(EmulatorControlError):
        control.conversion_token("123456789012")
    log = json.dumps(control.requests())
    assert token not in log


def test_another_users_conversion_token_is_refused():
    from pintools.emulator.models import EmulatorState

    state = EmulatorState(seed=3)
    mine = [i for i, r in state.store.accounts.items() if r.get("_accessible", True)]
    hidden = next(i for i, r in state.store.accounts.items() if not r.get("_accessible", True))
    token = state.conversions.token_for(mine[0])
    assert state.conversions.accepts(token, mine[-1])
    assert not state.conversions.accepts(token, hidden)
    assert state.conversions.token_for(hidden) != token


def test_unknown_account_is_404(capi):
    assert send(capi, "123456789012", [event("x")]).status_code == 404


def test_the_rate_limit_is_per_ad_account(capi, accounts):
    acct, other = accounts[0], accounts[1]
    control = capi.server.control
    control.set_rate_limit("ads_conversions", per_minute=2, burst=2)
    token = control.conversion_token(acct)
    assert send(capi, acct, [event("a")]).status_code == 200
    assert send(capi, acct, [event("b")], token=token).status_code == 200
    limited = send(capi, acct, [event("c")])  # both tokens drew on the account's bucket
    assert limited.status_code == 429
    assert limited.json() == {"code": 8, "message": RATE_LIMIT_MESSAGE}
    assert int(limited.headers["Retry-After"]) >= 1
    assert send(capi, other, [event("c")]).status_code == 200  # another account, its own bucket
    assert capi.get(f"/ad_accounts/{acct}").status_code == 200  # other categories untouched
    assert [e["event_id"] for e in control.conversion_events(acct)] == ["a", "b"]
    assert [c["status"] for c in control.conversion_calls(acct)] == [200, 200, 429]


def test_the_default_conversions_limit_is_the_specs(capi):
    from pintools.emulator.models.ratelimit import DEFAULT_RATE_LIMITS

    assert DEFAULT_RATE_LIMITS["ads_conversions"] == SPEC_DEFAULT_LIMIT  # "5,000 calls per minute per ad account"


def test_an_injected_503_uses_the_specs_body(capi, accounts):
    control = capi.server.control
    control.inject_fault(route="events/create", status=503, times=1, retry_after=2)
    down = send(capi, accounts[0], [event("x")])
    assert down.status_code == 503 and down.headers["Retry-After"] == "2"
    assert down.json() == {"code": 4197,
                           "message": "The endpoint has been ramped down and is currently not accepting any traffic."}
    assert control.conversion_events() == []
    assert send(capi, accounts[0], [event("x")]).status_code == 200
    assert [(c["status"], c["fault"]) for c in control.conversion_calls()] == [(503, "status_503"), (200, None)]


def test_an_after_phase_fault_records_the_events_then_fails(capi, accounts):
    capi.server.control.inject_fault(route="events/create", status=500, phase="after")
    assert send(capi, accounts[0], [event("x")]).status_code == 500
    retry = send(capi, accounts[0], [event("x")]).json()  # the client's retry is deduplicated
    assert retry["events"][0]["warning_message"] == "duplicate event_id; deduplicated"
    assert [e["times_received"] for e in capi.server.control.conversion_events()] == [2]


def test_reset_clears_recorded_events(capi, accounts):
    send(capi, accounts[0], [event("x")])
    capi.server.control.reset()
    assert capi.server.control.conversion_events() == []


def test_events_create_is_listed_as_implemented():
    assert "events/create" in coverage()["implemented"]
