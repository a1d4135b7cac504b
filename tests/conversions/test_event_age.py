"""The oldest event time is in neither Pinterest's spec nor the seeds: pintools' 7-day check says it
is pintools' rule and can be lifted, and the client is right whether the emulator (standing in for
Pinterest) refuses old events or accepts them."""

from __future__ import annotations

import pandas as pd
import pytest

from pintools.conversions import prepare_conversions, send_conversions

from .conftest import DAY, HOUR, NOW, orders


def test_the_clients_age_check_says_it_is_pintools_rule_not_pinterests():
    df = pd.DataFrame({"event_id": ["old", "near"], "event_time": [NOW - 8 * DAY, NOW - int(6.5 * DAY)],
                       "email": ["a@b.co", "c@d.co"]})
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW)
    problem, warning = prepared.loc[0, "problems"], prepared.loc[1, "warnings"]
    assert "older than 7 days (pintools' rule, not Pinterest's" in problem and "max_age=None" in problem
    assert "Pinterest accepts" not in problem
    assert "within a day of the 7 days limit (pintools' rule" in warning


def test_max_age_none_lifts_pintools_rule():
    df = pd.DataFrame({"event_id": ["old"], "event_time": [NOW - 300 * DAY], "email": ["a@b.co"]})
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW, max_age=None)
    assert pd.isna(prepared.loc[0, "problems"]) and pd.isna(prepared.loc[0, "warnings"])
    future = pd.DataFrame({"event_id": ["f"], "event_time": [NOW + HOUR], "email": ["a@b.co"]})
    assert "in the future" in prepare_conversions(future, event_name="checkout", action_source="web", now=NOW,
                                                  max_age=None).loc[0, "problems"]


@pytest.mark.parametrize("window, status", [(None, "processed"), (7, "failed"), (30, "processed")])
def test_old_events_sent_without_pintools_rule_follow_the_apis_own_answer(capi, emu, account, window, status):
    emu.control.set_conversions_behaviour(max_event_age_days=window)
    df = orders(2)
    df["order_date"] = NOW - 20 * DAY
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW, max_age=None)
    assert prepared.problems.isna().all()
    results = send_conversions(prepared, account, client=capi, progress=False)
    assert results.status.tolist() == [status, status]
    if status == "failed":  # the emulator's refusal names itself a guess, never Pinterest's rule
        assert results.error.str.contains("the emulator's guess").all()
    assert len(emu.control.conversion_events()) == (2 if status == "processed" else 0)
