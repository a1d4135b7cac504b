"""The async report file's layout is not in Pinterest's spec: the emulator serves each plausible
one on request (``set_report_behaviour``) and ``read_analytics`` reads the same frame from all."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urljoin

import pandas as pd
import pytest
import requests

import pintools as pt
from pintools.analytics.report_files import parse_report_file

from .conftest import TODAY, demo_emulator, fast_client

COLUMNS = ["SPEND_IN_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH"]
START, END = TODAY - dt.timedelta(days=150), TODAY - dt.timedelta(days=120)  # beyond sync reach: async

LAYOUTS = {
    "json by entity (default)": {},
    "json rows": {"json_layout": "rows"},
    "json lines": {"json_layout": "lines"},
    "json by entity, lower-case keys": {"column_names": "lower"},
    "json rows, title-case keys": {"json_layout": "rows", "column_names": "title"},
    "csv served for a json request": {"file_format": "CSV"},
    "csv with a BOM": {"file_format": "CSV", "csv_bom": True},
    "csv with a BOM, title-case header": {"file_format": "CSV", "csv_bom": True, "column_names": "title"},
    "csv, lower-case header": {"file_format": "CSV", "column_names": "lower"},
}


@pytest.fixture(scope="module")
def layout_emulator():
    """Its own emulator: these tests switch its report layout."""
    yield from demo_emulator()


@pytest.fixture
def emu(layout_emulator):
    yield layout_emulator
    layout_emulator.control.set_report_behaviour()  # back to the defaults


@pytest.fixture(scope="module")
def baseline(layout_emulator):
    """The frame read under the default layout."""
    client = fast_client(layout_emulator)
    account = pt.read_ad_accounts(client=client).id[0]
    frame = pt.read_analytics(account, START, END, level="campaign", columns=COLUMNS, client=client)
    assert frame.attrs["query"]["path"] == "async reports" and len(frame) > 0
    return account, frame


def _raw_report(emu, account: str, report_format: str = "JSON") -> bytes:
    """A campaign report of the window, downloaded as the emulator serves it now."""
    headers = {"Authorization": f"Bearer {emu.access_token}"}
    body = {"start_date": START.isoformat(), "end_date": END.isoformat(), "granularity": "DAY",
            "columns": COLUMNS, "level": "CAMPAIGN", "report_format": report_format}
    token = requests.post(f"{emu.base_url}/ad_accounts/{account}/reports", json=body, headers=headers,
                          timeout=30).json()["token"]
    for _ in range(10):
        status = requests.get(f"{emu.base_url}/ad_accounts/{account}/reports", params={"token": token},
                              headers=headers, timeout=30).json()
        if status["report_status"] == "FINISHED":
            return requests.get(urljoin(emu.url, status["url"]), timeout=30).content
    raise AssertionError(f"the report did not finish: {status}")


@pytest.mark.parametrize("layout", list(LAYOUTS.values()), ids=list(LAYOUTS))
def test_read_analytics_reads_the_same_frame_from_every_report_layout(emu, baseline, layout):
    account, expected = baseline
    emu.control.set_report_behaviour(polls_to_finish=0, **layout)
    frame = pt.read_analytics(account, START, END, level="campaign", columns=COLUMNS, client=fast_client(emu))
    assert frame.attrs["query"]["path"] == "async reports"
    pd.testing.assert_frame_equal(frame, expected, check_dtype=True)


def test_the_emulator_serves_the_layout_it_was_asked_for(emu, baseline):
    account, _ = baseline
    control = emu.control
    default = _raw_report(emu, account)
    assert isinstance(json.loads(default), dict)  # {campaign id: [rows]}
    control.set_report_behaviour(json_layout="rows", column_names="lower")
    rows = json.loads(_raw_report(emu, account))
    assert isinstance(rows, list) and "spend_in_dollar" in rows[0] and "SPEND_IN_DOLLAR" not in rows[0]
    control.set_report_behaviour(json_layout="lines")
    lines = _raw_report(emu, account).decode().splitlines()
    assert len(lines) > 1 and all(isinstance(json.loads(line), dict) for line in lines)
    control.set_report_behaviour(file_format="CSV", csv_bom=True, column_names="title")
    csv_file = _raw_report(emu, account)  # asked for JSON, served CSV
    assert csv_file.startswith(b"\xef\xbb\xbfDate,Campaign Id,Spend In Dollar")
    control.set_report_behaviour(file_format="JSON")
    assert _raw_report(emu, account, report_format="CSV").startswith(b"{")  # asked for CSV, served JSON
    control.set_report_behaviour()
    assert _raw_report(emu, account, report_format="CSV").startswith(b"DATE,CAMPAIGN_ID,")


def test_a_bad_layout_switch_is_refused_naming_the_choices(emu):
    from pintools.emulator.control_client import EmulatorControlError

    with pytest.raises(EmulatorControlError, match="json_layout must be one of by_entity, rows, lines"):
        emu.control.set_report_behaviour(json_layout="xml")
    with pytest.raises(EmulatorControlError, match="csv_bom must be true or false"):
        emu.control.set_report_behaviour(csv_bom="yes")


@pytest.mark.parametrize("content, rows", [
    (b'{"7": [{"CAMPAIGN_ID": "7", "SPEND_IN_DOLLAR": 1.5}], "8": {"CAMPAIGN_ID": "8"}}',
     [{"CAMPAIGN_ID": "7", "SPEND_IN_DOLLAR": 1.5}, {"CAMPAIGN_ID": "8"}]),
    (b'[{"campaign_id": "7"}, {"Campaign Id": "8"}]', [{"CAMPAIGN_ID": "7"}, {"CAMPAIGN_ID": "8"}]),
    (b'{"campaign_id": "7"}\n\n{"campaign_id": "8"}\n', [{"CAMPAIGN_ID": "7"}, {"CAMPAIGN_ID": "8"}]),
    (b'{"CAMPAIGN_ID": "7", "SPEND_IN_DOLLAR": null}', [{"CAMPAIGN_ID": "7", "SPEND_IN_DOLLAR": None}]),
    (b"\xef\xbb\xbfCAMPAIGN_ID,SPEND_IN_DOLLAR\r\n7,\r\n", [{"CAMPAIGN_ID": "7", "SPEND_IN_DOLLAR": None}]),
    (b"  \n", []),
])
def test_the_parser_reads_each_layout_with_canonical_column_names(content, rows):
    assert parse_report_file(content) == rows


def test_a_file_that_is_neither_json_nor_json_lines_says_so():
    with pytest.raises(ValueError, match="neither JSON nor JSON Lines"):
        parse_report_file(b'{"a": 1}\n{broken\n')
