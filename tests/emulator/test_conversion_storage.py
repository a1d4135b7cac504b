"""Received conversion events are held serialised, so a long send does not slow the emulator down.

A million events kept as dicts and lists made every full garbage collection walk millions of
objects (pauses of a tenth of a second and more while events arrived); these tests pin that the
events, the records and the request log's copies of the bodies add no objects for the collector,
and that what is read back is what was sent.
"""

import gc

from pintools.emulator.models.clock import Clock
from pintools.emulator.models.conversions import Conversions, calls_from_log
from pintools.emulator.models.request_log import RequestLog

NOW = 1_700_000_000


def _event(i: int) -> dict:
    return {"event_name": "checkout", "action_source": "offline", "event_time": NOW - 60, "event_id": f"order-{i}",
            "user_data": {"em": ["a" * 64], "ph": ["b" * 64]}, "custom_data": {"currency": "USD", "value": "9.5"}}


def _tracked_growth(action) -> int:
    gc.collect()
    before = len(gc.get_objects())
    action()
    gc.collect()
    return len(gc.get_objects()) - before


def test_recorded_events_and_logged_bodies_add_nothing_for_the_garbage_collector():
    book, log = Conversions(Clock(fixed=NOW), seed=1), RequestLog()

    def receive_5000():
        for batch in range(5):
            body = {"data": [_event(batch * 1000 + i) for i in range(1000)]}
            log.open(method="POST", path="/v5/ad_accounts/7/events", route=None, operation_id="events/create",
                     category="ads_conversions", query={}, json=body)
            book.receive("7", body, test=False)

    book.receive("7", {"data": [_event(-1)]}, test=False)  # the account's first record
    assert _tracked_growth(receive_5000) < 100  # one small entry per request (kept as objects: 25,000)


def test_events_read_back_are_the_events_sent_in_arrival_order_across_accounts():
    book = Conversions(Clock(fixed=NOW), seed=1)
    book.receive("7", {"data": [_event(1), _event(2)]}, test=False)
    book.receive("8", {"data": [_event(1)]}, test=False)
    book.receive("7", {"data": [_event(2), _event(3)]}, test=False)
    events = book.events()
    assert [(e["ad_account_id"], e["event_id"], e["times_received"]) for e in events] == [
        ("7", "order-1", 1), ("7", "order-2", 2), ("8", "order-1", 1), ("7", "order-3", 1)]
    assert events[1]["event"] == _event(2) and events[1]["received_at"] == NOW
    events[0]["event"]["user_data"]["em"].append("changed")  # a copy: the record is untouched
    assert book.events("7")[0]["event"] == _event(1)
    assert book.summary() == {"recorded": 4, "times_received": {"1": 3, "2": 1}}


def test_the_request_log_gives_bodies_back_parsed_and_counts_events_without_parsing():
    log = RequestLog()
    body = {"data": [_event(1), _event(2)]}
    entry = log.open(method="POST", path="/v5/ad_accounts/7/events", route=None, operation_id="events/create",
                     category="ads_conversions", query={"test": ["false"]}, json=body)
    log.close(entry, 200, None)
    assert log.entries()[0]["json"] == body
    assert calls_from_log(log.scan("events/create"))[0]["events"] == 2
