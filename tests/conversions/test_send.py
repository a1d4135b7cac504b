"""send_conversions and client.conversions.send against the emulator: batches, retries, per-row
results, test mode, conversion tokens, invalid rows and the dead-letter file."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import pintools as pt
from pintools.conversions import (
    ConversionsInvalid,
    prepare_conversions,
    read_dead_letter,
    send_conversions,
    summarise_results,
    to_events,
)

from .conftest import DAY, HOUR, NOW, connect, orders


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def send(df, account, client, **kw):
    kw.setdefault("event_name", "checkout")
    kw.setdefault("action_source", "web")
    kw.setdefault("progress", False)
    return send_conversions(df, account, client=client, **kw)


def received(emu) -> Counter:
    """event_id → times_received of the recorded events."""
    return Counter({e["event_id"]: e["times_received"] for e in emu.control.conversion_events()})


# -- batches ---------------------------------------------------------------------------------

def test_2500_events_go_in_three_calls_and_results_follow_the_input_index(capi, emu, account):
    rng = np.random.default_rng(7)
    index = pd.Index(rng.permutation(np.arange(10_000, 12_500)), name="row")
    df = orders(2500, index=index)
    results = send(df, account, capi)

    calls = emu.control.conversion_calls()
    assert sorted(c["events"] for c in calls) == [500, 1000, 1000]
    assert all(c["status"] == 200 and c["test"] is False for c in calls)
    assert results.index.equals(df.index)
    assert results["event_id"].tolist() == df["order_id"].tolist()      # row i's result is row i's event
    assert (results.status == "processed").all()
    assert results.batch.value_counts().sort_index().tolist() == [1000, 1000, 500]
    assert results.attrs["calls"] == 3
    counts = received(emu)
    assert len(counts) == 2500 and set(counts.values()) == {1}


def test_results_are_matched_to_rows_by_position_within_a_batch(capi, emu, account):
    df = orders(5, index=["e", "d", "c", "b", "a"])
    df["order_date"] = [NOW - 4 * DAY, NOW - 8 * DAY, NOW - 4 * DAY, NOW - 8 * DAY, NOW - 4 * DAY]
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW - 3 * DAY)
    results = send_conversions(prepared, account, client=capi, progress=False)   # one call, 3 ok + 2 refused
    assert results.status.astype(str).to_dict() == {"e": "processed", "d": "failed", "c": "processed",
                                                    "b": "failed", "a": "processed"}
    assert set(received(emu)) == {"order-0", "order-2", "order-4"}


def test_string_index_survives_with_an_explicit_batch_size(capi, emu, account):
    df = orders(7, index=[f"row-{i}" for i in range(7)])
    results = send(df, account, capi, batch_size=3)
    assert [c["events"] for c in emu.control.conversion_calls()] != []
    assert sorted(c["events"] for c in emu.control.conversion_calls()) == [1, 3, 3]
    assert results.index.tolist() == df.index.tolist()
    assert (results.status == "processed").all()


# -- retries ---------------------------------------------------------------------------------

def test_a_429_storm_and_a_503_are_retried_and_every_event_is_sent_and_reported_once(capi, emu, account):
    emu.control.inject_fault(route="events/create", status=429, code=8, retry_after=0, times=5)
    emu.control.inject_fault(route="events/create", status=503, times=2)
    df = orders(2500, index=pd.Index(range(2500))[::-1])
    results = send(df, account, capi)

    statuses = Counter(c["status"] for c in emu.control.conversion_calls())
    assert statuses == {429: 5, 503: 2, 200: 3}
    assert (results.status == "processed").all() and results.index.is_unique and len(results) == 2500
    counts = received(emu)
    assert set(counts) == set(df.order_id) and set(counts.values()) == {1}


def test_a_503_after_processing_is_retried_and_each_row_is_still_reported_once(capi, emu, account):
    emu.control.inject_fault(route="events/create", status=503, times=1, phase="after")
    df = orders(10)
    results = send(df, account, capi)
    assert (results.status == "processed").all() and len(results) == 10
    # the lost answer was resent: Pinterest (and the emulator) deduplicate on event_id
    assert len(emu.control.conversion_events()) == 10
    assert set(received(emu).values()) == {2}
    assert results.warning.fillna("").str.contains("duplicate").all()


@pytest.mark.parametrize("fault", [{"status": None, "drop_connection": True, "phase": "after"},
                                   {"status": None, "drop_connection": True, "phase": "before"},
                                   {"status": 200, "malformed_body": True, "phase": "after"}],
                         ids=["dropped-after", "dropped-before", "unreadable-200"])
def test_a_lost_answer_is_resent_and_every_row_reported_processed(capi, emu, account, fault):
    emu.control.inject_fault(route="events/create", times=1, **fault)
    df = orders(4, index=list("abcd"))
    results = send(df, account, capi, batch_size=2, max_workers=1)
    assert results.status.astype(str).tolist() == ["processed"] * 4
    counts = received(emu)
    assert set(counts) == set(df.order_id)                  # each recorded once (deduplicated) ...
    if fault["phase"] == "after":                           # ... though the first batch arrived twice
        assert [counts["order-0"], counts["order-1"], counts["order-2"], counts["order-3"]] == [2, 2, 1, 1]
    else:
        assert set(counts.values()) == {1}


def test_a_400_stops_the_upload(capi, emu, account):
    emu.control.inject_fault(route="events/create", status=400, code=4196, times=1)
    results = send(orders(4), account, capi, batch_size=2, max_workers=1)
    assert [c["status"] for c in emu.control.conversion_calls()] == [400]
    assert (results.status == "not_sent").all()
    assert results.error.iloc[2:].str.contains("earlier call failed").all()


def test_the_account_rate_limit_is_waited_out(fresh_emulator):
    emu = fresh_emulator
    emu.control.set_clock(NOW)
    emu.control.set_rate_limit("ads_conversions", per_minute=60, burst=1)
    client = connect(emu)
    account = next(iter(client.ad_accounts.list()))["id"]
    df = orders(4)
    results = send(df, account, client, batch_size=2, max_workers=2)
    calls = emu.control.conversion_calls()
    assert [c["status"] for c in calls].count(200) == 2
    assert 429 in [c["status"] for c in calls]
    assert (results.status == "processed").all()
    assert set(received(emu).values()) == {1} and len(received(emu)) == 4


def test_retries_give_up_and_rows_are_not_sent(emu, account):
    client = connect(emu, retry=pt.RetryPolicy(max_attempts=2, backoff_base=0.001))
    emu.control.inject_fault(route="events/create", status=503, times=None)
    results = send(orders(3), account, client)
    assert (results.status == "not_sent").all()
    assert results.error.str.contains("503").all()
    assert emu.control.conversion_events() == []


# -- Pinterest's per-event verdicts ----------------------------------------------------------

TOO_OLD = "event_time is older than 7 days (the emulator's guess at Pinterest's window; the spec states none)"


def test_a_422_fails_every_row_with_pinterests_message(capi, emu, account):
    df = orders(3, index=["x", "y", "z"])
    df["order_date"] = NOW - 8 * DAY
    # prepared against a clock 3 days behind, so the client's own 7-day check passes
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW - 3 * DAY)
    assert prepared.problems.isna().all()
    results = send_conversions(prepared, account, client=capi, progress=False)
    assert [c["status"] for c in emu.control.conversion_calls()] == [422]
    assert (results.status == "failed").all()
    assert results.error.tolist() == [TOO_OLD] * 3
    assert emu.control.conversion_events() == []
    summary = summarise_results(results)
    assert summary.to_dict("records")[:-1] == [{"status": "failed", "message": TOO_OLD,
                                                "events": 3}]
    assert summary.status.iloc[-1] == "consent"             # the consent basis, stated


def test_the_service_returns_a_422_like_a_200(capi, emu, account):
    events = to_events(prepare_conversions(orders(2), event_name="lead", action_source="web", now=NOW))
    events[0]["event_time"] = events[1]["event_time"] = NOW - 8 * DAY
    answer = capi.conversions.send(account, events)
    assert answer["num_events_processed"] == 0
    assert [e["status"] for e in answer["events"]] == ["failed", "failed"]
    assert all("older than 7 days" in e["error_message"] for e in answer["events"])


def test_the_service_refuses_more_than_1000_events_before_calling(capi, emu, account):
    events = to_events(prepare_conversions(orders(1001), event_name="lead", action_source="web", now=NOW))
    with pytest.raises(ValueError, match="1,001"):
        capi.conversions.send(account, events)
    with pytest.raises(ValueError):
        capi.conversions.send(account, [])
    assert emu.control.conversion_calls() == []


# -- test mode -------------------------------------------------------------------------------

def test_test_mode_answers_without_recording(capi, emu, account):
    results = send(orders(5), account, capi, test=True)
    assert (results.status == "processed").all()
    assert results.attrs["test"] is True
    assert emu.control.conversion_events() == []
    calls = emu.control.conversion_calls()
    assert len(calls) == 1 and calls[0]["test"] is True and calls[0]["events"] == 5


# -- conversion tokens -----------------------------------------------------------------------

def test_the_conversion_token_authorises_the_upload(emu, account):
    token = emu.control.conversion_token(account)
    client = connect(emu, credentials=pt.Credentials(access_token="not-a-valid-oauth-token"))
    results = send(orders(3), account, client, conversion_token=token, now=NOW)
    assert (results.status == "processed").all()
    assert len(emu.control.conversion_events()) == 3


def test_the_conversion_token_from_the_environment(emu, account, monkeypatch):
    monkeypatch.setenv("PINTEREST_CONVERSION_TOKEN", emu.control.conversion_token(account))
    client = connect(emu, credentials=pt.Credentials(access_token="not-a-valid-oauth-token"))
    results = send(orders(2), account, client, now=NOW)
    assert (results.status == "processed").all()


def test_a_wrong_conversion_token_stops_the_upload_and_never_shows(capi, emu, account, caplog):
    secret = "wrong-conversion-token-6f1c2e"
    caplog.set_level(logging.DEBUG)
    results = send(orders(5), account, capi, conversion_token=secret, batch_size=1, max_workers=1)

    calls = emu.control.conversion_calls()
    assert [c["status"] for c in calls] == [401]                          # stopped after the first
    assert results.attrs["calls"] == 5 and len(calls) < 5
    assert (results.status == "not_sent").all()
    assert "401" in results.error.iloc[0]
    assert results.error.iloc[1:].str.contains("earlier call failed").all()
    assert secret not in results.to_csv() and secret not in repr(results.attrs)
    assert secret not in caplog.text
    assert emu.control.conversion_events() == []


def test_a_wrong_conversion_token_with_parallel_workers_stops_within_the_calls_in_flight(capi, emu, account):
    results = send(orders(10), account, capi, conversion_token="wrong-token-77", batch_size=1, max_workers=4)
    calls = emu.control.conversion_calls()
    assert 1 <= len(calls) <= 4 < results.attrs["calls"]
    assert {c["status"] for c in calls} == {401}
    assert (results.status == "not_sent").all()


def test_a_prepared_frame_takes_no_prepare_options(capi, emu, account):
    prepared = prepare_conversions(orders(1), event_name="lead", action_source="web", now=NOW)
    with pytest.raises(TypeError, match="already prepared"):
        send_conversions(prepared, account, client=capi, event_name="checkout", progress=False)
    assert emu.control.conversion_calls() == []


def test_a_wrong_conversion_token_is_not_in_the_service_error(capi, emu, account, caplog):
    from pintools.api.conversions import ConversionToken

    secret = "wrong-conversion-token-91ab"
    caplog.set_level(logging.DEBUG)
    events = to_events(prepare_conversions(orders(1), event_name="lead", action_source="web", now=NOW))
    token = ConversionToken(secret)
    with pytest.raises(pt.AuthError) as info:
        capi.conversions.send(account, events, token=token)
    assert secret not in str(info.value) and secret not in repr(info.value) and secret not in repr(token)
    assert secret not in caplog.text


def test_a_conversion_token_works_on_another_account_of_the_same_user(emu):
    client = connect(emu)
    first, second = [a["id"] for a in client.ad_accounts.list()][:2]
    results = send(orders(1), second, client, conversion_token=emu.control.conversion_token(first))
    assert results.status.tolist() == ["processed"]


def test_a_wrong_conversion_token_is_refused(emu, account):
    client = connect(emu)
    results = send(orders(1), account, client, conversion_token="emulator-conversion-token-" + "0" * 24)
    assert results.status.tolist() == ["not_sent"]


# -- invalid rows ----------------------------------------------------------------------------

def bad_rows() -> pd.DataFrame:
    df = orders(6, index=[f"r{i}" for i in range(6)])
    df.loc["r1", "email"] = None                  # no identifier
    df["total"] = df["total"].astype(str)
    df.loc["r4", "total"] = "12,99"               # decimal comma
    return df


def test_invalid_rows_raise_by_default_listing_them_and_nothing_is_sent(capi, emu, account):
    with pytest.raises(ConversionsInvalid) as info:
        send(bad_rows(), account, capi)
    assert info.value.problems.index.tolist() == ["r1", "r4"]
    assert "row r1: no identifier" in str(info.value) and "row r4: custom_data.value" in str(info.value)
    assert "2 of 6 events" in str(info.value)
    assert emu.control.conversion_calls() == []


def test_on_invalid_skip_sends_the_rest_and_marks_the_invalid(capi, emu, account):
    results = send(bad_rows(), account, capi, on_invalid="skip")
    assert results.status.astype(str).tolist() == ["processed", "invalid", "processed", "processed", "invalid",
                                                   "processed"]
    assert "no identifier" in results.loc["r1", "error"] and "decimal comma" in results.loc["r4", "error"]
    assert results.loc[["r1", "r4"], "batch"].isna().all()
    assert set(received(emu)) == {"order-0", "order-2", "order-3", "order-5"}
    assert sum(c["events"] for c in emu.control.conversion_calls()) == 4


def test_on_invalid_must_be_raise_or_skip(capi, account):
    with pytest.raises(ValueError, match="on_invalid"):
        send(orders(1), account, capi, on_invalid="ignore")


# -- dead letter -----------------------------------------------------------------------------

def test_dead_letter_holds_only_unprocessed_rows_hashed_private_and_resendable(emu, account, tmp_path):
    client = connect(emu, retry=pt.RetryPolicy(max_attempts=2, backoff_base=0.001))
    df = orders(6, index=[f"r{i}" for i in range(6)], phone=[f"(415) 555-01{i:02d}" for i in range(6)])
    df.loc["r5", "order_id"] = None               # invalid: no event_id
    df.loc["r5", "order_date"] = NOW - HOUR
    emu.control.inject_fault(route="events/create", status=503, times=2)   # the first call fails after 2 tries
    path = tmp_path / "failed.jsonl"
    results = send(df, account, client, on_invalid="skip", batch_size=2, max_workers=1, dead_letter=path)

    assert results.status.astype(str).tolist() == ["not_sent"] * 2 + ["processed"] * 3 + ["invalid"]
    assert results.attrs["dead_letter"] == str(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = path.read_bytes()
    for raw in [*df.email.dropna(), *df.email.str.lower(), *df.phone, "4155550100", "14155550100"]:
        assert raw.encode() not in data
    back = read_dead_letter(path)
    assert back.index.tolist() == ["r0", "r1", "r5"]
    assert back.previous_status.tolist() == ["not_sent", "not_sent", "invalid"]

    back.loc["r5", "event_id"] = "order-5"
    again = send_conversions(back, account, client=client, progress=False)
    assert again.index.tolist() == ["r0", "r1", "r5"]
    assert (again.status == "processed").all()
    recorded = {e["event_id"]: e["event"]["user_data"] for e in emu.control.conversion_events()}
    assert set(recorded) == {f"order-{i}" for i in range(6)}
    for i in (0, 1, 5):                                   # same hashes as a direct send: not hashed twice
        assert recorded[f"order-{i}"]["em"] == [sha(f"buyer{i}@example.com")]
        assert recorded[f"order-{i}"]["ph"] == [sha(f"141555501{i:02d}")]
    assert set(received(emu).values()) == {1}


def test_dead_letter_of_a_clean_upload_is_empty(capi, emu, account, tmp_path):
    path = tmp_path / "sub" / "dl.jsonl"
    send(orders(3), account, capi, dead_letter=path)
    assert path.read_text() == ""
    assert read_dead_letter(path).empty
