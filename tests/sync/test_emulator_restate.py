"""The emulator's restatement switch (its model of late conversions): restated days change, the
others do not, levels stay consistent, bad requests are refused, a reset forgets."""

from __future__ import annotations

import pytest

import pintools as pt

COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH", "TOTAL_CONVERSIONS"]


def _daily(client, account, level="campaign"):
    frame = pt.read_analytics(account, "2026-11-08", "2026-11-12", level=level, columns=COLUMNS, progress=False,
                              client=client)
    return frame.groupby(frame["date"].dt.strftime("%Y-%m-%d"))[COLUMNS].sum()


def test_restated_days_change_conversions_only_and_every_level_agrees(sync_client, sync_emulator):
    account, other = sorted(pt.read_ad_accounts(client=sync_client)["id"])
    before, before_other = _daily(sync_client, account), _daily(sync_client, other)
    rules = sync_emulator.control.restate(account, days=["2026-11-10"], factor=2.0)
    assert rules == [{"ad_account_id": account, "days": ["2026-11-10"], "factor": 2.0, "delivery_factor": 1.0}]
    after = _daily(sync_client, account)
    assert after.loc["2026-11-10", "TOTAL_CONVERSIONS"] > before.loc["2026-11-10", "TOTAL_CONVERSIONS"]
    assert after.loc["2026-11-10", "SPEND_IN_MICRO_DOLLAR"] == before.loc["2026-11-10", "SPEND_IN_MICRO_DOLLAR"]
    assert after.drop("2026-11-10").equals(before.drop("2026-11-10"))
    assert _daily(sync_client, other).equals(before_other)
    assert _daily(sync_client, account, "ad_group").equals(after)  # campaigns still sum their ad groups
    sync_emulator.control.restate(None, start_date="2026-11-11", end_date="2026-11-12", factor=1.0,
                                  delivery_factor=0.5)
    halved = _daily(sync_client, other)
    assert halved.loc["2026-11-12", "SPEND_IN_MICRO_DOLLAR"] < before_other.loc["2026-11-12", "SPEND_IN_MICRO_DOLLAR"]
    sync_emulator.control.reset()
    assert _daily(sync_client, account).equals(before)


@pytest.fixture(scope="module")
def control_plane():
    """The emulator's app without a server: control requests straight to Flask."""
    from pintools.emulator.app import create_app
    from pintools.emulator.models import EmulatorState

    return create_app(EmulatorState()).test_client()


@pytest.mark.parametrize("body, message", [
    ({"days": ["2026-11-31"]}, "days must be a date"),
    ({"days": ["2026-11-01"], "factor": -1}, "factor must be a number between 0 and 100"),
    ({"start_date": "2026-11-05"}, "give days"),
    ({"days": ["2026-11-01"], "start_date": "2026-11-01", "end_date": "2026-11-02"}, "not both"),
    ({"days": ["2026-11-01"], "weight": 2}, "unknown analytics restatement fields"),
    ({"clear": True, "days": ["2026-11-01"]}, "without days"),
])
def test_bad_restatements_are_refused(control_plane, body, message):
    answer = control_plane.post("/_emulator/analytics/restate", json=body)
    assert answer.status_code == 400 and message in answer.get_json()["message"]
    assert control_plane.post("/_emulator/analytics/restate", json={"clear": True}).get_json() == \
        {"behaviour": {"rules": []}}
