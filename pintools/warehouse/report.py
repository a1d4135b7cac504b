"""``pt.sync_report``: the day-change report of the warehouse as a frame, read with SQL through the
sync's dlt pipeline (see :mod:`pintools.warehouse.day_changes` for what the rows mean).

>>> runs_json('["549755885175"]')
['549755885175']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .day_changes import MEASURES, SIDES, change_column
from .destinations import DEFAULT_DATASET, describe_destination, make_pipeline
from .pipeline import _cause


def sync_report(
    run_id: str | None = "last",
    *,
    changed_only: bool = False,
    destination: Any = None,
    dataset: str = DEFAULT_DATASET,
    pipeline_name: str | None = None,
    pipelines_dir: "str | Path | None" = None,
) -> pd.DataFrame:
    """The day-change report as a frame: per run, account, level and day, spend, clicks and
    conversions before and after the re-read and the delta (money in micro-currency, with the
    account's ``currency``). ``run_id``: ``"last"`` (the latest run), a run id, or None (every run);
    ``changed_only`` keeps days where something changed.

    >>> pt.sync_report(changed_only=True)[["date", "level", "conversions_delta"]]   # doctest: +SKIP
    """
    pipeline = make_pipeline(destination, dataset, pipeline_name=pipeline_name, pipelines_dir=pipelines_dir)
    columns = ["run_id", "ad_account_id", "currency", "level", "attribution", "date"] + \
        [change_column(m, s) for m in MEASURES for s in SIDES]
    with pipeline.sql_client() as client:
        table = client.make_qualified_table_name("day_changes")
        where = ""
        if run_id == "last":
            where = f" WHERE run_id = (SELECT MAX(run_id) FROM {table})"
        elif run_id is not None:
            if not str(run_id).replace("-", "").isalnum():
                raise ValueError(f"run_id must be a run id like 20261115T120000Z-1a2b3c4d, got {run_id!r}")
            where = f" WHERE run_id = '{run_id}'"
        try:
            rows = client.execute_sql(f"SELECT {', '.join(columns)} FROM {table}{where} "
                                      f"ORDER BY run_id, ad_account_id, level, date") or []
        except Exception as exc:
            raise ValueError(f"no day-change report in {describe_destination(destination)} (dataset {dataset}): "
                             f"run pt.sync() twice first ({type(_cause(exc)).__name__})") from None
    frame = pd.DataFrame(rows, columns=columns)
    for name in columns[:5]:
        frame[name] = frame[name].astype("string")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for name in columns[6:]:
        frame[name] = pd.array([None if v is None else int(v) for v in frame[name]], dtype="Int64")
    if changed_only and len(frame):
        deltas = frame[[change_column(m, "delta") for m in MEASURES]].fillna(0)
        frame = frame[(deltas != 0).any(axis=1)].reset_index(drop=True)
    return frame


def runs_json(text: str) -> Any:
    """A JSON column of ``sync_runs`` as Python (lists and maps are stored as JSON text).

    >>> runs_json('{"ads_analytics": 12}')
    {'ads_analytics': 12}
    """
    return json.loads(text) if text else None
