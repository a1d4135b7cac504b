"""A sync under faults (killed mid-run: test_sync_killed.py): a 429 storm and 5xx answers, a destination that is down, an
account the token lost access to, and a changed column list."""

from __future__ import annotations

import json
import socket

import pytest

import pintools as pt
from pintools.warehouse.destinations import make_pipeline

from .conftest import duck

TABLES = ("daily_campaign", "daily_ad_group", "campaigns", "ad_groups")


def _sync(client, warehouse, **kw):
    kw.setdefault("levels", ["campaign", "ad_group"])
    kw.setdefault("history_days", 30)
    kw.setdefault("progress", False)
    return pt.sync(client=client, **warehouse, **kw)


def _contents(warehouse) -> dict:
    """Every stored analytics row (keys and metrics) and entity id, for comparing two warehouses."""
    out = {}
    for table in ("daily_campaign", "daily_ad_group"):
        entity = table.removeprefix("daily_") + "_id"
        out[table] = duck(warehouse, f"select ad_account_id, {entity}, date, attribution, spend_in_micro_dollar, "
                                     f"total_conversions from pinterest_ads.{table} order by 1, 2, 3")
    for table in ("campaigns", "ad_groups"):
        out[table] = duck(warehouse, f"select id from pinterest_ads.{table} order by 1")
    return out


@pytest.fixture
def reference(sync_client, tmp_path_factory):
    """What one clean run stores."""
    folder = tmp_path_factory.mktemp("reference")
    where = {"destination": str(folder / "w.duckdb"), "pipelines_dir": str(folder / "dlt")}
    _sync(sync_client, where)
    return _contents(where)


def test_429_storm_and_5xx_are_retried_within_the_budget_and_logged(sync_client, sync_emulator, warehouse, reference):
    sync_emulator.control.inject_fault("campaigns/analytics", status=429, times=3, retry_after=1)
    sync_emulator.control.inject_fault("ad_groups/analytics", status=503, times=2)
    result = _sync(sync_client, warehouse)
    assert result.status == "ok" and result.throttled == {"ads_analytics": 3} and result.retries >= 5
    assert _contents(warehouse) == reference
    (throttled, retries, status), = duck(warehouse, "select throttled, retries, status from pinterest_ads.sync_runs")
    assert json.loads(throttled) == {"ads_analytics": 3} and retries == result.retries and status == "ok"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_destination_down_is_a_clear_error_and_advances_no_state(sync_client, sync_emulator, tmp_path):
    url = f"postgresql://loader:s3cret-pw@127.0.0.1:{_closed_port()}/warehouse"
    where = {"destination": url, "pipelines_dir": str(tmp_path / "dlt")}
    sync_emulator.control.clear_requests()
    with pytest.raises(pt.SyncFailed) as failed:
        _sync(sync_client, where)
    message = str(failed.value)
    assert "loader:***@127.0.0.1" in message and "s3cret-pw" not in message
    assert "no state advanced" in message and failed.value.result.exit_code == 1
    assert not [r for r in sync_emulator.control.requests() if "analytics" in r["path"]]
    state = make_pipeline(url, pipelines_dir=where["pipelines_dir"]).state
    assert not state.get("sources", {}).get("pinterest_ads", {}).get("days")
    plan = _sync(sync_client, where, plan=True)
    assert plan.days["daily_campaign"] == "2026-10-16..2026-11-14"  # the next run reads the same 30 days


def test_an_account_the_token_lost_is_reported_and_the_others_sync(sync_client, sync_emulator, warehouse):
    lost, kept = sorted(pt.read_ad_accounts(client=sync_client)["id"])
    sync_emulator.control.set_permissions(lost, [])
    result = _sync(sync_client, warehouse)
    assert result.status == "partial" and result.exit_code == 3
    assert list(result.failed) == [lost] and "HTTP 403" in result.failed[lost]
    assert result.accounts == [kept]
    stored = duck(warehouse, "select distinct ad_account_id from pinterest_ads.daily_ad_group")
    assert stored == [(kept,)]
    (failed_accounts, status), = duck(warehouse, "select failed_accounts, status from pinterest_ads.sync_runs")
    assert list(json.loads(failed_accounts)) == [lost] and status == "partial"
    sync_emulator.control.set_permissions(lost, ["OWNER"])  # access back: its history comes, it was never recorded
    again = _sync(sync_client, warehouse)
    assert again.status == "ok"
    first_day = duck(warehouse, f"select min(date) from pinterest_ads.daily_ad_group where ad_account_id = '{lost}'")
    assert str(first_day[0][0]) == "2026-10-16"  # its 30 days of history


def test_a_changed_column_list_evolves_the_schema_and_keeps_old_rows(sync_client, warehouse):
    _sync(sync_client, warehouse, levels=["campaign"], columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION"])
    before = duck(warehouse, "select ad_account_id, campaign_id, date, spend_in_micro_dollar, total_impression "
                             "from pinterest_ads.daily_campaign order by 1, 2, 3")
    _sync(sync_client, warehouse, levels=["campaign"],
          columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_ENGAGEMENT"])
    after = duck(warehouse, "select ad_account_id, campaign_id, date, spend_in_micro_dollar, total_impression "
                            "from pinterest_ads.daily_campaign order by 1, 2, 3")
    assert after == before
    types = dict(duck(warehouse, "select column_name, data_type from information_schema.columns where "
                                 "table_schema = 'pinterest_ads' and table_name = 'daily_campaign'"))
    assert types["total_engagement"] == "BIGINT"
    assert duck(warehouse, "select count(*) from pinterest_ads.daily_campaign where total_engagement is null") == [(0,)]


def test_a_load_left_pending_by_a_killed_run_is_finished_before_the_next_run(sync_client, warehouse):
    import dlt

    pipeline = make_pipeline(warehouse["destination"], pipelines_dir=warehouse["pipelines_dir"])
    pipeline.extract(dlt.resource([{"id": "left-over"}], name="earlier_rows"))
    pipeline.normalize()  # killed here: extracted and normalized, never loaded
    assert pipeline.has_pending_data
    result = _sync(sync_client, warehouse)
    assert result.status == "ok" and "interrupted earlier run" in " ".join(result.notes)
    assert duck(warehouse, "select id from pinterest_ads.earlier_rows") == [("left-over",)]
    assert duck(warehouse, "select count(*) from pinterest_ads.daily_campaign")[0][0] == result.rows["daily_campaign"]
    assert duck(warehouse, "select run_id from pinterest_ads.sync_runs") == [(result.run_id,)]
