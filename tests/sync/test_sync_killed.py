"""A sync process killed with SIGKILL mid-run (no cleanup at all: dlt's working folder is left as
it was), then run again: no duplicate rows, nothing skipped — the same tables as one clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import pintools as pt
from pintools.emulator import DEMO_ACCESS_TOKEN
from pintools.emulator.control_client import EmulatorControl

from .conftest import duck

SYNC = dict(levels=["campaign", "ad_group"], history_days=30, entities=["campaigns"], progress=False)
SCRIPT = textwrap.dedent("""
    import sys
    import pintools as pt
    client = pt.connect(sys.argv[2], base_url=sys.argv[1], quiet=True, rate_limits={"ads_analytics": 60})
    pt.sync(client=client, destination=sys.argv[3], pipelines_dir=sys.argv[4], levels=["campaign", "ad_group"],
            history_days=30, entities=["campaigns"], progress=False)
""")


def _rows(where) -> list:
    return [duck(where, f"select ad_account_id, {t.removeprefix('daily_')}_id, date, attribution, spend_in_micro_dollar,"
                        f" total_conversions from pinterest_ads.{t} order by 1, 2, 3") for t in ("daily_campaign",
                                                                                                "daily_ad_group")]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkilled_sync_then_rerun_equals_one_clean_run(tmp_path):
    from pintools.emulator.process import emulator_process

    # the real clock: a client of a separate emulator process reads "today" from its own clock
    with emulator_process(clock=None, env=dict(os.environ)) as base:
        _killed_then_rerun(base, tmp_path)


def _killed_then_rerun(base: str, tmp_path) -> None:
    control = EmulatorControl(base.removesuffix("/v5"))
    killed = {"destination": str(tmp_path / "killed.duckdb"), "pipelines_dir": str(tmp_path / "dlt-killed")}
    child = subprocess.Popen([sys.executable, "-c", SCRIPT, base, DEMO_ACCESS_TOKEN, killed["destination"],
                              killed["pipelines_dir"]], env={**os.environ, "TQDM_DISABLE": "1"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if len([r for r in control.requests() if "/analytics" in r["path"]]) >= 2:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the sync ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    client = pt.connect(DEMO_ACCESS_TOKEN, base_url=base, quiet=True)
    rerun = pt.sync(client=client, **killed, **SYNC)
    clean = {"destination": str(tmp_path / "clean.duckdb"), "pipelines_dir": str(tmp_path / "dlt-clean")}
    pt.sync(client=client, **clean, **SYNC)
    assert rerun.status == "ok"
    assert _rows(killed) == _rows(clean) and all(_rows(clean))
    for table, key in (("daily_campaign", "campaign_id"), ("daily_ad_group", "ad_group_id")):
        (rows, keys), = duck(killed, f"select count(*), count(distinct (ad_account_id, {key}, date, attribution)) "
                                     f"from pinterest_ads.{table}")
        assert rows == keys
