"""The plan CLI against an emulator process: plan a spreadsheet, refuse without --yes, apply,
roll back — the same code path a real account uses (credentials + base URL)."""

import csv
import json
import os
import subprocess
import sys

import pytest

import pintools as pt


@pytest.fixture
def served(tmp_path, emulator_process):
    """The environment a CLI run needs to reach an emulator process as if it were Pinterest."""
    return {**os.environ, "PINTOOLS_BASE_URL": emulator_process(), "PINTEREST_ACCESS_TOKEN": "emulator-demo-token",
            "PINTOOLS_JOURNAL_DIR": str(tmp_path / "journals")}


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "pintools.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_plan_apply_rollback_from_the_command_line(served, tmp_path):
    client = pt.connect(served["PINTEREST_ACCESS_TOKEN"], base_url=served["PINTOOLS_BASE_URL"])
    account = pt.read_ad_accounts(client=client).id[0]
    groups = pt.read_ad_groups(account, client=client)
    groups = groups[groups["billable_event"] == "CLICKTHROUGH"].head(3)
    sheet = tmp_path / "bids.csv"
    with open(sheet, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Ad group ID", "Bid"])
        for r in groups.itertuples():
            writer.writerow([r.id, f"{r.bid_in_micro_currency * 1.2 / 1e6:.2f}"])

    planned = _cli(served, "plan", str(sheet), "--account", account)
    assert planned.returncode == 0, planned.stderr
    assert "3 ok" in planned.stdout and "(+20.0%)" in planned.stdout
    plan_file = tmp_path / "bids.plan.json"
    assert plan_file.exists()

    refused = _cli(served, "apply", str(plan_file))
    assert refused.returncode == 2 and "Nothing was sent" in refused.stdout

    applied = _cli(served, "apply", str(plan_file), "--yes", "--method", "patch")
    assert applied.returncode == 0, applied.stderr
    assert "3 of 3 sent (3 applied)." in applied.stdout
    applied_file = tmp_path / "bids.applied.json"
    assert {c["result"] for c in json.loads(applied_file.read_text())["changes"]} == {"applied"}

    rolled = _cli(served, "rollback", str(applied_file))
    assert rolled.returncode == 0 and "Rollback plan written" in rolled.stdout
    back = _cli(served, "apply", str(tmp_path / "bids.applied.rollback.plan.json"), "--yes", "--method", "patch")
    assert back.returncode == 0, back.stderr
    now = pt.read_ad_groups(account, ids=groups["id"].tolist(), client=client).set_index("id")
    assert (now.loc[groups["id"], "bid_in_micro_currency"].to_numpy() == groups["bid_in_micro_currency"].to_numpy()).all()


def test_a_bad_spreadsheet_is_one_readable_error(served, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Ad group ID,Bid\nnot-an-id,abc\n")
    result = _cli(served, "plan", str(sheet), "--account", "549755023801")
    assert result.returncode == 1 and result.stderr.startswith("pintools: ") and "Traceback" not in result.stderr
