"""After an upload, pt.read_event_quality shows Pinterest's Event Quality Score (conversion_eqs/list) as
a tidy frame: coverage per identifier and event type over 1 and 14 days, read as Pinterest returns it."""

from __future__ import annotations

import pandas as pd
import pytest

import pintools as pt
from pintools.conversions import read_event_quality, send_conversions
from pintools.http.sandbox import SandboxUnavailable

from .conftest import DAY, NOW, connect, orders


def upload(client, account, frame, **kw):
    kw.setdefault("event_name", "checkout")
    kw.setdefault("action_source", "offline")
    kw.setdefault("now", NOW)
    return send_conversions(frame, account, client=client, progress=False, on_invalid="skip", **kw)


def test_coverage_per_identifier_after_an_upload(capi, emu, account):
    # 3 of 4 rows carry an email; the 4th is matched by its IP and user agent
    frame = orders(4, email=["a@example.com", "b@example.com", "c@example.com", None],
                   ip=[None, None, None, "203.0.113.9"], user_agent=[None, None, None, "Mozilla/5.0"])
    assert (upload(capi, account, frame)["status"]
            == "processed").all()

    quality = read_event_quality(account, client=capi)

    assert list(quality.columns) == ["ad_account_id", "lookback_days", "ingestion_source", "source_platform",
                                     "overall_status", "identifier", "event_type", "coverage", "overlap", "issues"]
    assert str(quality["coverage"].dtype) == "Float64" and str(quality["lookback_days"].dtype) == "Int64"
    assert str(quality["identifier"].dtype) == "string"
    assert sorted(quality["lookback_days"].unique()) == [1, 14]
    one_day = quality[quality["lookback_days"] == 1].set_index("identifier")
    assert one_day.loc["hashed_email", "coverage"] == pytest.approx(0.75)
    assert one_day.loc["ip_address", "coverage"] == pytest.approx(0.25)
    assert one_day.loc["order_id", "coverage"] == pytest.approx(1.0)
    assert one_day.loc["hashed_maid", "coverage"] == 0
    assert set(quality["event_type"]) == {"checkout"}
    assert set(quality["source_platform"]) == {"OFFLINE"} and set(quality["ingestion_source"]) == {"CONVERSIONS_API"}
    assert set(quality["overall_status"]) == {"FAIR"}  # the emulator's default model: 75 % strong ids


def test_events_older_than_a_day_count_in_the_14_day_window_only(capi, emu, account):
    upload(capi, account, orders(2))
    emu.control.advance_clock(2 * DAY)
    upload(capi, account, orders(2, start=10, order_date=NOW + 2 * DAY - 3600, email=[None, "x@example.com"],
                                 ip=["203.0.113.9", None], user_agent=["Mozilla/5.0", None]), now=NOW + 2 * DAY)

    quality = read_event_quality(account, client=capi)
    email = quality[quality["identifier"] == "hashed_email"].set_index("lookback_days")["coverage"]
    assert email[1] == pytest.approx(0.5)    # only today's two events, one with an email
    assert email[14] == pytest.approx(0.75)  # all four


def test_no_events_no_rows_and_typed_columns(capi, account):
    quality = read_event_quality(account, lookback=14, client=capi)
    assert quality.empty and str(quality["coverage"].dtype) == "Float64"


@pytest.mark.parametrize("scale", ["percent", "fraction"])
def test_coverage_is_a_fraction_whichever_scale_the_api_answers_in(capi, emu, account, scale):
    upload(capi, account, orders(4, email=[None, "a@example.com", "b@example.com", "c@example.com"],
                                 ip=["203.0.113.9", None, None, None], user_agent=["Mozilla/5.0", None, None, None]))
    emu.control.set_event_quality_behaviour(coverage_scale=scale)

    quality = read_event_quality(account, lookback=1, client=capi)
    coverage = quality.set_index("identifier")["coverage"]
    assert coverage["hashed_email"] == pytest.approx(0.75) and coverage["external_event_id"] == pytest.approx(1.0)
    assert quality.attrs["coverage_scale"] == scale


def test_the_status_is_pinterests_not_recomputed(capi, emu, account):
    frame = orders(4, email=["a@example.com", "b@example.com", None, None],
                   ip=[None, None, "203.0.113.9", "203.0.113.10"], user_agent=[None, None, "Mozilla/5.0", "curl"])
    upload(capi, account, frame)
    assert set(read_event_quality(account, lookback=1, client=capi)["overall_status"]) == {"FAIR"}
    emu.control.set_event_quality_behaviour(good_at=0.5, fair_at=0.2)  # same events, another verdict
    assert set(read_event_quality(account, lookback=1, client=capi)["overall_status"]) == {"GOOD"}
    emu.control.set_event_quality_behaviour(good_at=0.9, fair_at=0.6)
    assert set(read_event_quality(account, lookback=1, client=capi)["overall_status"]) == {"NEEDS_IMPROVEMENT"}


def test_filters_narrow_the_answer(capi, emu, account):
    upload(capi, account, orders(2))
    upload(capi, account, orders(2, start=5), action_source="web")
    web = read_event_quality(account, lookback=1, source_platform="web", client=capi)
    assert set(web["source_platform"]) == {"WEB"}
    assert read_event_quality(account, lookback=1, ingestion_source="TAG", client=capi).empty
    query = emu.control.requests("conversion_eqs/list")[-2]["query"]
    assert query == {"lookback_period": ["1d"], "source_platform": ["WEB"]}


def test_pinterests_issues_are_shown(capi, emu, account):
    event = {"event_name": "lead", "action_source": "web", "event_time": NOW - 60, "event_id": "raw-1",
             "user_data": {"em": ["someone@example.com"]}}
    capi.conversions.send(account, [event])
    issues = read_event_quality(account, lookback=1, client=capi).set_index("identifier")["issues"]
    assert "not SHA-256 hex" in issues["hashed_email"]
    assert pd.isna(issues["order_id"])


@pytest.mark.parametrize("bad", [7, "30d", (1, 30), True, ()])
def test_a_bad_lookback_says_what_pinterest_accepts(capi, account, bad):
    with pytest.raises(ValueError, match="1 or 14|no window"):
        read_event_quality(account, lookback=bad, client=capi)


def test_a_bad_platform_is_refused_before_sending(capi, emu, account):
    with pytest.raises(ValueError, match="source_platform must be one of WEB"):
        read_event_quality(account, source_platform="desktop", client=capi)
    assert emu.control.requests("conversion_eqs/list") == []


def test_the_sandbox_does_not_serve_it(emu, account):
    emu.control.set_sandbox(True)
    try:
        with pytest.raises(SandboxUnavailable,
                           match="conversion_eqs/list is disabled.*read the Event Quality Score on production"):
            read_event_quality(account, client=connect(emu, sandbox=True))
    finally:
        emu.control.set_sandbox(False)
    assert emu.control.requests("conversion_eqs/list") == []


def test_a_token_without_ads_read_is_told_which_scope(emu, account):
    client = connect(emu, credentials=pt.Credentials(access_token=emu.control.mint_token("ads:write")))
    with pytest.raises(pt.PermissionDenied, match="ads:read"):
        read_event_quality(account, client=client)


def test_exported_at_the_top_level():
    assert pt.read_event_quality is read_event_quality
