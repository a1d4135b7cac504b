"""The command line: the demo (the project's main job) and the emulator as its own process."""

import sys

import pandas as pd

import pintools as pt
from pintools.cli import main

PINTOOLS = [sys.executable, "-m", "pintools.cli"]


def test_demo_prints_the_tables_and_writes_the_chart(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for heading in ("Ad accounts", "Campaigns of Juniper & Sage Home (USD)", "Ad groups (active and paused)",
                    "Daily budget by campaign"):
        assert heading in out
    assert "Nordlicht Outdoor GmbH" in out and "Spring Sofas" in out
    chart = tmp_path / "demo_budgets.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000


def test_emulator_serve_runs_as_a_process_and_the_client_works_against_it_unchanged(emulator_process):
    base = emulator_process("--seed", "3")
    # the real-API code path: credentials + base URL, no emulator object involved
    client = pt.connect("emulator-demo-token", base_url=base)
    assert client.mode == "custom" and client.emulator is None
    accounts = pt.read_ad_accounts(client=client)
    assert len(accounts) == 3
    assert len(pt.read_campaigns(accounts.id[0], client=client)) > 0


def test_a_client_reaching_an_emulator_process_by_url_takes_today_from_its_clock(emulator_process):
    """The API's "today" is the server's (its answers' Date), not this machine's: an emulator
    process frozen at 2026-11-15 is asked for "last_7_days" up to 2026-11-14, not up to the real
    yesterday it would refuse as the future."""
    import datetime as dt

    client = pt.connect("emulator-demo-token", base_url=emulator_process())   # frozen demo clock
    account = pt.read_ad_accounts(client=client).id[0]
    assert client.today() == dt.date(2026, 11, 15)
    daily = pt.read_analytics(account, "last_7_days", client=client, progress=False)
    assert daily["date"].max() == pd.Timestamp("2026-11-14")


def test_routes_lists_implemented_operations_against_the_spec(capsys, openapi_spec_path):
    assert main(["emulator", "routes", "--spec", str(openapi_spec_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    implemented = [ln for ln in lines if ln.startswith("+")]
    assert any("campaigns/list" in ln for ln in implemented)
    assert any(ln.startswith("-") for ln in lines)  # and what is not implemented yet


def test_a_failure_is_one_readable_line_and_exit_code_1_not_a_traceback(capsys):
    assert main(["emulator", "routes", "--spec", "/nonexistent/openapi.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pintools: ") and "/nonexistent/openapi.json" in err
    assert "Traceback" not in err
