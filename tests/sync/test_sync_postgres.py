"""pt.sync into the throwaway PostgreSQL of the test command (scripts/postgres.sh), read back
with plain SQL through psycopg."""

from __future__ import annotations

import os
import uuid

import pytest

import pintools as pt

URL = os.environ.get("PINTOOLS_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="no test PostgreSQL: PINTOOLS_TEST_POSTGRES_URL is unset (scripts/postgres.sh sets it; "
                    f"setup said: {os.environ.get('PINTOOLS_POSTGRES_SETUP', 'not run')})")


@pytest.fixture
def dataset():
    import psycopg

    name = f"pt_sync_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect(URL, autocommit=True) as con:
        for schema in (name, f"{name}_staging"):
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _sql(query: str, *args) -> list[tuple]:
    import psycopg

    with psycopg.connect(URL) as con:
        return con.execute(query, args).fetchall()


def test_sync_into_postgres_twice_keeps_one_row_per_key_with_text_ids_and_integer_money(sync_client, sync_emulator,
                                                                                         dataset, tmp_path):
    where = {"destination": URL, "dataset": dataset, "pipelines_dir": str(tmp_path / "dlt")}
    first = pt.sync(client=sync_client, levels=["ad_group"], history_days=20, progress=False, **where)
    assert first.status == "ok"
    types = dict(_sql("select column_name, data_type from information_schema.columns where table_schema = %s "
                      "and table_name = 'daily_ad_group'", dataset))
    assert types["ad_group_id"] == types["ad_account_id"] == "character varying"
    assert types["spend_in_micro_dollar"] == "bigint" and types["date"] == "date"
    account = sorted(pt.read_ad_accounts(client=sync_client)["id"])[1]
    sync_emulator.control.restate(account, days=["2026-11-12"], factor=2.0)
    second = pt.sync(client=sync_client, levels=["ad_group"], history_days=20, progress=False, **where)
    (rows, keys), = _sql(f"select count(*), count(distinct (ad_account_id, ad_group_id, date, attribution)) "
                         f"from {dataset}.daily_ad_group")
    assert rows == keys == first.rows["daily_ad_group"]
    changed = pt.sync_report(changed_only=True, **where)
    assert set(changed["ad_account_id"]) == {account} and set(changed["date"].dt.day) == {12}
    assert (changed["conversions_delta"] > 0).all() and (changed["run_id"] == second.run_id).all()
    (stored,), = _sql(f"select sum(total_conversions) from {dataset}.daily_ad_group where ad_account_id = %s "
                      f"and date = '2026-11-12'", account)
    assert int(stored) == changed["conversions_after"].iloc[0]  # SUM(bigint) is numeric in PostgreSQL
    assert _sql(f"select status from {dataset}.sync_runs order by run_id") == [("ok",), ("ok",)]


def test_shared_budget_is_passed_to_connect_and_the_sync_runs_on_it(dataset, tmp_path):
    where = {"destination": str(tmp_path / "w.duckdb"), "pipelines_dir": str(tmp_path / "dlt")}
    account = pt.read_ad_accounts(client=pt.connect(emulator=True, quiet=True))["id"].iloc[0]
    result = pt.sync(account, shared_budget=URL, levels=["campaign"], entities=[], history_days=3, progress=False,
                     **where)
    assert result.status == "ok" and result.calls["ads_analytics"] == 1
    assert type(pt.default_client().requestor.budget).__name__ == "SharedRateBudget"
    with pytest.raises(ValueError, match="give shared_budget to pt.connect"):
        pt.sync(account, shared_budget=URL, client=pt.default_client(), **where)
