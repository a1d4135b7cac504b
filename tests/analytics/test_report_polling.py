"""wait_for_report against a scripted service: backoff, timeout, link refresh, every status."""

import pytest

from pintools.analytics.reports import PollPolicy, ReportFailed, ReportTimeout, parse_report_file, wait_for_report
from pintools.http.errors import PinterestError


class ScriptedReports:
    def __init__(self, statuses, downloads=None):
        self.statuses = list(statuses)
        self.downloads = list(downloads or [b'{"1": [{"CAMPAIGN_ID": "1"}]}'])
        self.gets = 0

    def get(self, account, token):
        self.gets += 1
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def download(self, url):
        item = self.downloads.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


class Clock:
    def __init__(self):
        self.t, self.sleeps = 0.0, []

    def sleep(self, s):
        self.sleeps.append(s)
        self.t += s

    def now(self):
        return self.t


RUNNING = {"report_status": "IN_PROGRESS"}
DONE = {"report_status": "FINISHED", "url": "http://files/report", "size": 10}


def test_polls_with_growing_waits_until_finished():
    clock, svc = Clock(), ScriptedReports([RUNNING, RUNNING, RUNNING, DONE])
    body = wait_for_report(svc, "1", "tok", poll=PollPolicy(first=1, factor=2, longest=3, timeout=60),
                           sleep=clock.sleep, clock=clock.now)
    assert clock.sleeps == [1, 2, 3] and parse_report_file(body) == [{"CAMPAIGN_ID": "1"}]


def test_gives_up_at_the_overall_timeout_with_the_token_to_resume():
    clock, svc = Clock(), ScriptedReports([RUNNING])
    with pytest.raises(ReportTimeout) as info:
        wait_for_report(svc, "1", "tok-9", poll=PollPolicy(first=5, factor=1, timeout=20), sleep=clock.sleep,
                        clock=clock.now)
    assert info.value.token == "tok-9" and sum(clock.sleeps) <= 20


@pytest.mark.parametrize("status", ["FAILED", "EXPIRED", "CANCELLED", "DOES_NOT_EXIST"])
def test_every_terminal_failure_status_is_a_clear_error(status):
    clock = Clock()
    with pytest.raises(ReportFailed) as info:
        wait_for_report(ScriptedReports([RUNNING, {"report_status": status}]), "1", "t", sleep=clock.sleep,
                        clock=clock.now)
    assert info.value.report_status == status and status in str(info.value)


def test_an_expired_download_link_is_refreshed_once():
    expired = PinterestError("gone", status=403)
    clock, svc = Clock(), ScriptedReports([DONE], downloads=[expired, b"[]"])
    assert wait_for_report(svc, "1", "t", sleep=clock.sleep, clock=clock.now) == b"[]"
    assert svc.gets == 2


def test_report_files_json_and_csv():
    assert parse_report_file(b'{"7": [{"A": 1}], "8": [{"A": 2}]}') == [{"A": 1}, {"A": 2}]
    assert parse_report_file(b"CAMPAIGN_ID,DATE,SPEND_IN_DOLLAR\n7,2026-11-01,1.5\n7,2026-11-02,\n") == [
        {"CAMPAIGN_ID": "7", "DATE": "2026-11-01", "SPEND_IN_DOLLAR": "1.5"},
        {"CAMPAIGN_ID": "7", "DATE": "2026-11-02", "SPEND_IN_DOLLAR": None}]
    assert parse_report_file(b"") == []
