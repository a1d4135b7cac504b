"""pt.sync into DuckDB on the emulator: tables and types, the restatement window, the one-time
backfill, the day-change report, the planner and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import pintools as pt

from .conftest import duck

LEVELS = ["campaign", "ad_group"]


def _sync(client, warehouse, **kw):
    kw.setdefault("levels", LEVELS)
    kw.setdefault("history_days", 40)
    kw.setdefault("progress", False)
    return pt.sync(client=client, **warehouse, **kw)


def test_first_run_loads_entities_and_daily_rows_with_text_ids_and_integer_money(sync_client, warehouse):
    result = _sync(sync_client, warehouse)
    assert result.status == "ok" and result.exit_code == 0 and len(result.accounts) == 2
    types = dict(duck(warehouse, "select column_name, data_type from information_schema.columns "
                                 "where table_schema = 'pinterest_ads' and table_name = 'daily_ad_group'"))
    assert types["ad_account_id"] == types["ad_group_id"] == types["currency"] == "VARCHAR"
    assert types["spend_in_micro_dollar"] == "BIGINT" and types["date"] == "DATE"
    (rows, keys, first, last), = duck(warehouse, "select count(*), count(distinct (ad_account_id, ad_group_id, date, "
                                                 "attribution)), min(date), max(date) from pinterest_ads.daily_ad_group")
    assert rows == keys == result.rows["daily_ad_group"]
    assert (first, last) == (dt.date(2026, 10, 6), dt.date(2026, 11, 14))  # 40 days up to yesterday
    currencies = dict(duck(warehouse, "select a.id, a.currency from pinterest_ads.ad_accounts a"))
    spent = duck(warehouse, "select ad_account_id, currency, sum(spend_in_micro_dollar) from pinterest_ads.daily_campaign "
                            "group by 1, 2")
    assert {a: c for a, c, _ in spent} == currencies and all(s > 0 for *_, s in spent)
    # the campaign rows add up to the ad group rows (the emulator's rollup), day by day
    assert duck(warehouse, "select sum(spend_in_micro_dollar) from pinterest_ads.daily_campaign") == \
        duck(warehouse, "select sum(spend_in_micro_dollar) from pinterest_ads.daily_ad_group")
    assert duck(warehouse, "select count(*) from pinterest_ads.ad_groups")[0][0] == 12


def test_second_run_rereads_only_the_restatement_window_and_reports_restated_days(sync_client, sync_emulator,
                                                                                  warehouse):
    _sync(sync_client, warehouse, restatement_days=9)
    before = duck(warehouse, "select count(*) from pinterest_ads.daily_campaign")
    account = sorted(pt.read_ad_accounts(client=sync_client)["id"])[0]
    sync_emulator.control.restate(account, days=["2026-11-10", "2026-11-11"], factor=1.5)
    sync_emulator.control.clear_requests()
    second = _sync(sync_client, warehouse, restatement_days=9)
    analytics = [r for r in sync_emulator.control.requests() if "analytics" in r["path"]]
    windows = {(r["query"]["start_date"][0], r["query"]["end_date"][0]) for r in analytics}
    assert windows == {("2026-11-06", "2026-11-14")} and second.calls["ads_analytics"] == len(analytics) == 4
    assert duck(warehouse, "select count(*) from pinterest_ads.daily_campaign") == before  # merged, not appended
    report = pt.sync_report(**warehouse)
    assert set(report["run_id"]) == {second.run_id} and len(report) == 2 * 2 * 9  # accounts x levels x days
    assert report["spend_delta_micro"].dtype == "Int64" and str(report["date"].dtype) == "datetime64[ns]"
    changed = pt.sync_report(changed_only=True, **warehouse)
    assert set(changed["ad_account_id"]) == {account}
    assert set(changed["date"].dt.strftime("%Y-%m-%d")) == {"2026-11-10", "2026-11-11"}
    assert (changed["conversions_delta"] > 0).all() and (changed["spend_delta_micro"] == 0).all()
    assert (changed["conversions_after"] - changed["conversions_before"] == changed["conversions_delta"]).all()
    stored = duck(warehouse, f"select sum(total_conversions) from pinterest_ads.daily_campaign where ad_account_id = "
                             f"'{account}' and date = '2026-11-10'")[0][0]
    row = changed[(changed["level"] == "campaign") & (changed["date"] == "2026-11-10")].iloc[0]
    assert stored == row["conversions_after"]


def test_history_older_than_90_days_is_backfilled_once_through_reports(sync_client, sync_emulator, warehouse):
    first = _sync(sync_client, warehouse, levels=["campaign"], history_days=120)
    reports = [r for r in sync_emulator.control.requests() if r["path"].endswith("/reports") and r["method"] == "POST"]
    assert len(reports) == 2  # one per account: 30 days older than sync reach, 4 campaigns < 500 ids
    assert duck(warehouse, "select min(date) from pinterest_ads.daily_campaign")[0][0] == dt.date(2026, 7, 18)
    sync_emulator.control.clear_requests()
    second = _sync(sync_client, warehouse, levels=["campaign"], history_days=120)
    assert not [r for r in sync_emulator.control.requests() if r["path"].endswith("/reports")]
    assert second.calls["ads_analytics"] == 2 < first.calls["ads_analytics"]


def test_plan_counts_the_calls_of_the_run_and_loads_nothing(sync_client, sync_emulator, warehouse):
    plan = _sync(sync_client, warehouse, plan=True, history_days=120)
    assert not [r for r in sync_emulator.control.requests() if "analytics" in r["path"] or "reports" in r["path"]]
    assert plan.planner_calls["ads_read"] > 0 and "ads_analytics" in str(plan)
    assert not Path(warehouse["destination"]).exists()  # a dry run creates no warehouse
    result = _sync(sync_client, warehouse, history_days=120)
    # the plan counts a report as its create and one status call; further polls are Pinterest's pace
    log = sync_emulator.control.requests()
    created = [r for r in log if r["path"].endswith("/reports") and r["method"] == "POST"]
    polled = [r for r in log if r["path"].endswith("/reports") and r["method"] == "GET"]
    assert len(created) == 4 and len(polled) >= 4
    assert plan.calls["ads_analytics"] == result.calls["ads_analytics"] - (len(polled) - len(created))
    assert plan.calls["ads_read"] == result.calls["ads_read"]
    assert plan.minutes["ads_analytics"] == round(plan.calls["ads_analytics"] / 300, 2)
    again = _sync(sync_client, warehouse, plan=True, history_days=120)
    assert again.calls["ads_analytics"] == 4  # the next run: the restatement window only, one call a table


def test_shards_split_the_accounts_without_overlap(sync_client):
    ids = sorted(pt.read_ad_accounts(client=sync_client)["id"])
    from pintools.warehouse.settings import shard_of

    parts = [shard_of(ids, f"{i}/3") for i in (1, 2, 3)]
    assert sorted(a for p in parts for a in p) == ids
    grown = [[a for a in shard_of([*ids, "123456789012"], f"{i}/3") if a != "123456789012"] for i in (1, 2, 3)]
    assert grown == parts  # an account added to the token never moves the others to another shard


def test_bad_arguments_are_refused_before_any_call(sync_client, sync_emulator, warehouse):
    sync_emulator.control.clear_requests()
    with pytest.raises(ValueError, match="levels must be among"):
        _sync(sync_client, warehouse, levels=["campaigns"])
    with pytest.raises(ValueError, match="history_days must be between 1 and 914"):
        _sync(sync_client, warehouse, history_days=2000)
    with pytest.raises(ValueError, match="shard must be i/n"):
        _sync(sync_client, warehouse, shard="0/2")
    assert sync_emulator.control.requests() == []


def test_cli_dry_run_and_exit_codes(sync_emulator, warehouse, capsys, monkeypatch):
    from pintools.cli import main

    monkeypatch.setenv("TQDM_DISABLE", "1")
    args = ["sync", "--levels", "campaign", "--history-days", "10", "--destination", warehouse["destination"],
            "--pipelines-dir", warehouse["pipelines_dir"], "--no-progress"]
    pt.connect(emulator=sync_emulator, quiet=True)  # the default client the command uses
    assert main([*args, "--dry-run"]) == 0
    assert "ads_analytics" in capsys.readouterr().out
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "ok" in out and "daily_campaign" in out
    runs = duck(warehouse, "select status, calls, rows_total from pinterest_ads.sync_runs")
    assert runs[0][0] == "ok" and json.loads(runs[0][1])["ads_analytics"] == 2
    assert main([*args, "--history-days", "5000"]) == 2


def test_duckdb_loads_a_column_that_is_null_in_the_first_rows_of_a_file(tmp_path):
    """A metric Pinterest leaves out of the first 25,000 rows of a load and sends later (a JSON-lines
    load failed on it: 'unknown key'); the file format pintools picks for DuckDB takes it."""
    import dlt

    from pintools.warehouse.destinations import make_pipeline
    from pintools.warehouse.pipeline import loader_file_format

    where = {"destination": str(tmp_path / "w.duckdb"), "pipelines_dir": str(tmp_path / "dlt")}
    pipeline = make_pipeline(where["destination"], pipelines_dir=where["pipelines_dir"])
    rows = [{"id": str(i), "total_lead": None if i < 25_000 else i} for i in range(30_000)]
    table = dlt.resource(rows, name="t", columns={"id": {"data_type": "text"}, "total_lead": {"data_type": "bigint"}})
    pipeline.run(table, loader_file_format=loader_file_format(pipeline.destination))
    assert duck(where, "select count(*), count(total_lead), max(total_lead) from pinterest_ads.t") == [(30_000, 5_000,
                                                                                                       29_999)]


def test_keyword_and_targeting_tables_reach_90_days_with_one_row_per_key(sync_client, warehouse):
    result = _sync(sync_client, warehouse, levels=["keyword"], targeting_types=["GENDER"], entities=[],
                   history_days=120)
    assert result.status == "ok" and result.rows["daily_keyword"] > 0 and result.rows["daily_ad_group_targeting"] > 0
    assert duck(warehouse, "select min(date) from pinterest_ads.daily_keyword") == [(dt.date(2026, 8, 17),)]
    (rows, keys, values), = duck(warehouse, "select count(*), count(distinct (ad_account_id, ad_group_id, "
                                            "targeting_type, targeting_value, date, attribution)), "
                                            "count(distinct targeting_value) from pinterest_ads.daily_ad_group_targeting")
    assert rows == keys and values >= 2
    (rows, keys, unmatched), = duck(warehouse, "select count(*), count(distinct (ad_account_id, ad_group_id, "
                                               "targeting_value, date, attribution)), count(*) - count(keyword_id) "
                                               "from pinterest_ads.daily_keyword")
    assert rows == keys and unmatched == 0


def test_daily_tables_hold_no_is_final_flag_that_would_go_stale(sync_client, warehouse):
    _sync(sync_client, warehouse, levels=["campaign"], entities=[], history_days=5)
    columns = {c for (c,) in duck(warehouse, "select column_name from information_schema.columns where "
                                             "table_schema = 'pinterest_ads' and table_name = 'daily_campaign'")}
    assert "is_final" not in columns and {"ad_account_id", "campaign_id", "date", "attribution"} <= columns


def test_shards_sync_into_one_warehouse_each_with_its_own_state(sync_client, sync_emulator, warehouse):
    from pintools.warehouse.settings import shard_of

    ids = sorted(pt.read_ad_accounts(client=sync_client)["id"])
    results = [_sync(sync_client, warehouse, levels=["campaign"], entities=[], shard=f"{i}/3") for i in (1, 2, 3)]
    assert [r.accounts for r in results] == [shard_of(ids, f"{i}/3") for i in (1, 2, 3)]
    assert sorted(a for r in results for a in r.accounts) == ids
    for r in results:
        assert bool(r.accounts) != any("holds none of the accounts" in n for n in r.notes)
    stored = duck(warehouse, "select distinct ad_account_id from pinterest_ads.daily_campaign order by 1")
    assert [a for (a,) in stored] == ids
    busy = next(i for i, r in zip((1, 2, 3), results, strict=True) if r.accounts)
    sync_emulator.control.clear_requests()
    again = _sync(sync_client, warehouse, levels=["campaign"], entities=[], shard=f"{busy}/3")
    # its own state survived the other shards' loads: only the restatement window is read again
    assert again.calls["ads_analytics"] == len(again.accounts)


def test_cli_says_why_when_the_token_is_refused_before_the_run(sync_emulator, warehouse, capsys, monkeypatch):
    """An expired token fails the first call (the account list): one line naming it, exit code 1
    (failed, nothing synced), not a traceback and not 'bad usage'."""
    from pintools.cli import main

    monkeypatch.setenv("TQDM_DISABLE", "1")
    token = sync_emulator.control.mint_token("ads:read")
    sync_emulator.control.expire_token(token)
    pt.connect(token, base_url=sync_emulator.base_url, quiet=True)
    code = main(["sync", "--destination", warehouse["destination"], "--pipelines-dir", warehouse["pipelines_dir"],
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("pintools sync: nothing was synced:") and "Traceback" not in err
    assert token not in err
