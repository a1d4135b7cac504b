"""Consent: rows without advertising consent are never sent and come back ``no_consent``; CCPA
rows are sent with limited data processing (opt_out, opt_out_type "LDP"); the consent basis,
pintools' default included, is stated in the results and their summary."""

import json

import numpy as np
import pandas as pd
import pytest

from pintools.conversions import prepare_conversions, send_conversions, summarise_results
from pintools.conversions.consent import NO_INFORMATION, ConsentRule, apply_consent, consent_columns

from .conftest import NOW, orders


def send(df, account, client, **kw):
    kw.setdefault("event_name", "checkout")
    kw.setdefault("action_source", "web")
    return send_conversions(df, account, client=client, progress=False, **kw)


def verdicts(values, consent=None, column="consent"):
    return consent_columns(pd.DataFrame({column: values}), consent).verdicts.tolist()


# -- reading a consent column -----------------------------------------------------------------

def test_flags_in_the_words_consent_platforms_use_are_read():
    assert verdicts([True, False, "yes", "No", "granted", "DENIED", "opt-in", "opted_out", 1, 0, "1", None, "",
                     "pending"]) == [True, False, True, False, True, False, True, False, True, False, True,
                                     pd.NA, pd.NA, pd.NA]


def test_datafly_consent_categories_need_advertising():
    # Datafly's Pinterest integration sends only events whose user consented to "advertising"
    cells = ["advertising,analytics", "analytics", "Analytics | Advertising", ["advertising"], ["analytics"],
             '["analytics", "advertising"]', "advertising", [], None]
    assert verdicts(cells, column="consent_categories") == [True, False, True, True, False, True, True, False,
                                                            pd.NA]


def test_category_states_are_read():
    cells = ["advertising:granted,analytics:denied", "analytics=yes; advertising=no", "advertising:granted",
             "analytics:granted"]
    assert verdicts(cells, column="consent_categories") == [True, False, True, False]


def test_the_categories_needed_can_be_changed():
    rule = ConsentRule(categories=("advertising", "personalization"))
    assert verdicts(["advertising", "advertising,personalization"], rule) == [False, True]


def test_unreadable_values_are_refused_naming_them_and_a_mapping_settles_them():
    with pytest.raises(ValueError, match=r"consent column 'consent' has values .*'maybe'.*consent=\{'maybe': False"):
        verdicts(["yes", "maybe"])
    assert verdicts(["yes", "maybe", "C0004"], {"maybe": None, "C0004": True}) == [True, pd.NA, True]


def test_a_named_column_is_read_and_a_missing_one_is_refused():
    df = pd.DataFrame({"gdpr_ok": ["y", "n"]})
    assert consent_columns(df, "gdpr_ok").verdicts.tolist() == [True, False]
    with pytest.raises(ValueError, match="no such column"):
        consent_columns(df, "gdpr")


def test_without_consent_information_every_row_counts_as_consented_and_it_is_said():
    found = consent_columns(pd.DataFrame({"email": ["a@b.co"]}))
    assert found.verdicts.isna().all()
    assert found.description == NO_INFORMATION and "treated as consented" in NO_INFORMATION


def test_consent_true_is_stated_as_the_callers_word():
    found = consent_columns(pd.DataFrame({"email": ["a@b.co"]}), True)
    assert found.verdicts.tolist() == [True] and "you stated" in found.description


# -- limited data processing (CCPA) -------------------------------------------------------------

def test_a_do_not_sell_flag_or_a_us_privacy_string_asks_for_ldp():
    df = pd.DataFrame({"do_not_sell": ["yes", "no", None], "us_privacy": ["1NNN", "1YYN", "1---"]})
    found = consent_columns(df)
    assert found.opt_out.tolist() == [True, True, pd.NA]
    assert found.opt_out_type.tolist() == ["LDP", "LDP", pd.NA]
    assert "2 rows sent with limited data processing" in found.description


def test_an_ldp_column_that_is_not_yes_or_no_is_refused_saying_how_it_was_read():
    with pytest.raises(ValueError, match="'do_not_sell' is read as a CCPA limited-data-processing flag"):
        consent_columns(pd.DataFrame({"do_not_sell": ["yes", "sometimes"]}))


def test_ldp_is_added_to_opt_out_flags_already_there():
    df = orders(2, opt_out_type=["XYZ", None], ccpa_opt_out=[True, True])
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW)
    apply_consent(prepared, df)
    apply_consent(prepared, df)   # twice: the same frame
    assert prepared["custom_data.opt_out_type"].tolist() == ["XYZ,LDP", "LDP"]
    assert prepared["opt_out"].tolist() == [True, True]
    assert "ccpa_opt_out" not in prepared.attrs["unused_columns"]


# -- sending ----------------------------------------------------------------------------------

def test_rows_without_consent_are_not_sent_and_come_back_no_consent(capi, emu, account):
    df = orders(4, consent=["granted", "denied", "yes", False])
    results = send(df, account, capi)
    assert results.status.astype(str).tolist() == ["processed", "no_consent", "processed", "no_consent"]
    assert results.error.iloc[1] == "not sent: no consent for advertising"
    assert pd.isna(results.batch.iloc[1])
    sent = sorted(e["event"]["event_id"] for e in emu.control.conversion_events())
    assert sent == ["order-0", "order-2"]
    assert results.attrs["events_sent"] == 2
    assert results.attrs["consent"].startswith("consent: from column 'consent' (advertising); 2 rows without "
                                               "consent not sent")


def test_the_summary_states_the_consent_basis(capi, emu, account):
    results = send(orders(3, consent=["yes", "no", "yes"]), account, capi)
    summary = summarise_results(results)
    assert summary.to_dict("records")[:2] == [
        {"status": "processed", "message": "", "events": 2},
        {"status": "no_consent", "message": "not sent: no consent for advertising", "events": 1}]
    last = summary.iloc[-1]
    assert last.status == "consent" and last.message == results.attrs["consent"] and last.events == 2


def test_without_consent_information_the_summary_states_pintools_default(capi, emu, account):
    results = send(orders(2), account, capi)
    assert (results.status == "processed").all()
    summary = summarise_results(results)
    assert summary.iloc[-1].to_dict() == {"status": "consent", "message": NO_INFORMATION, "events": 2}


def test_unknown_rows_can_be_held_back(capi, emu, account):
    df = orders(3, consent=["yes", None, "no"])
    results = send(df, account, capi, consent=ConsentRule(unknown="skip"))
    assert results.status.astype(str).tolist() == ["processed", "no_consent", "no_consent"]
    assert "no consent information" in results.error.iloc[1]
    assert [e["event"]["event_id"] for e in emu.control.conversion_events()] == ["order-0"]


def test_ldp_rows_are_sent_with_opt_out_and_opt_out_type(capi, emu, account):
    df = orders(2, consent=["yes", "yes"], do_not_sell=[False, True])
    results = send(df, account, capi)
    assert (results.status == "processed").all()
    events = {e["event"]["event_id"]: e["event"] for e in emu.control.conversion_events()}
    assert events["order-1"]["opt_out"] is True and events["order-1"]["custom_data"]["opt_out_type"] == "LDP"
    assert "opt_out" not in events["order-0"] and "opt_out_type" not in events["order-0"]["custom_data"]


def test_a_row_without_consent_does_not_make_the_upload_invalid(capi, emu, account):
    df = orders(2, consent=["yes", "no"])
    df.loc[1, "order_date"] = NOW + 86400   # in the future: a problem, but the row is never sent anyway
    results = send(df, account, capi)   # on_invalid="raise"
    assert results.status.astype(str).tolist() == ["processed", "no_consent"]


def test_rows_without_consent_stay_out_of_the_dead_letter(capi, emu, account, tmp_path):
    emu.control.inject_fault(route="events/create", status=503, times=50)
    df = orders(2, consent=["yes", "no"])
    results = send(df, account, capi, dead_letter=tmp_path / "dl.jsonl")
    assert results.status.astype(str).tolist() == ["not_sent", "no_consent"]
    lines = [json.loads(line) for line in (tmp_path / "dl.jsonl").read_text().splitlines()]
    assert [line["row"] for line in lines] == [0]


def test_a_prepared_frame_is_sent_by_its_consent_column(capi, emu, account):
    df = orders(3, index=np.array([10, 20, 30]), consent_categories=["advertising", "analytics", "advertising"])
    prepared = apply_consent(prepare_conversions(df, event_name="checkout", action_source="web", now=NOW), df)
    results = send_conversions(prepared, account, client=capi, progress=False)
    assert results.status.astype(str).to_dict() == {10: "processed", 20: "no_consent", 30: "processed"}
    with pytest.raises(TypeError, match="consent"):
        send_conversions(prepared, account, client=capi, progress=False, consent="consent_categories")


def test_sendable_leaves_out_what_send_conversions_would_not_send():
    """For analysts who send events themselves: to_events converts every row it is given."""
    import pintools as pt
    from pintools.conversions import sendable, to_events

    orders = pd.DataFrame({"order_id": ["A", "A", "B", "C"], "email": ["a@x.com", "a@x.com", "b@x.com", "c@x.com"],
                           "order_time": ["2026-11-14T10:00:00Z"] * 4, "total": ["10", "10", "20", "30"],
                           "consent": ["yes", "yes", "no", "yes"]})
    prepared = pt.prepare_conversions(orders, event_name="checkout", action_source="offline",
                                      now="2026-11-15T12:00:00Z")
    assert sendable(prepared).tolist() == [True, False, False, True]  # the copy of A, B without consent
    assert [e["event_id"] for e in to_events(prepared[sendable(prepared)])] == ["A", "C"]
