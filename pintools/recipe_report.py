"""What a recipe leaves in its run folder for people: rounded tables and one HTML report.

- :func:`report_table` — a KPI or analytics frame as a reader wants it: money in currency units
  rounded to the cent beside its ``currency`` column, CTR and conversion rate as percentages with
  2 decimals, other ratios with 2, totals with no data shown as 0 (a ratio with nothing to divide
  by stays blank), dates as ``YYYY-MM-DD``;
- :func:`review_table` — an edit plan's rows (which entity changes, before → after in currency
  units, the guardrail verdict and its reasons);
- :func:`write_tables` — a table as CSV and XLSX (ids as text, files 0600);
- :func:`write_report` — a self-contained ``report.html``: a title, the parameters, then tables,
  charts (PNG inside the file) and notes, with no code.

>>> import pandas as pd
>>> report_table(pd.DataFrame({"currency": ["USD"], "spend": [12.345678], "clicks": pd.array([None], "Int64"),
...                            "ctr": [0.0123456], "roas": [float("nan")]})).to_dict("records")
[{'currency': 'USD', 'spend': 12.35, 'clicks': 0, 'ctr_%': 1.23, 'roas': None}]
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

#: ratios shown as percentages (fraction x 100), renamed with a ``_%`` suffix
PERCENT_COLUMNS = ("ctr", "conversion_rate")
#: totals: a blank (no rows, no conversions) is 0
TOTAL_COLUMNS = ("spend", "impressions", "clicks", "conversions", "conversion_value")
DECIMALS = 2


def report_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` rounded for reading (see the module docstring); micro-currency columns become
    currency units first (a frame with money needs a ``currency`` column).

    >>> report_table(pd.DataFrame({"SPEND_IN_MICRO_DOLLAR": pd.array([1_234_567], "Int64"), "currency": ["EUR"],
    ...                            "conversion_rate": [1 / 3]})).to_dict("records")
    [{'SPEND': 1.23, 'currency': 'EUR', 'conversion_rate_%': 33.33}]
    """
    from pintools.frames.money import in_currency_units, money_columns

    out = in_currency_units(frame) if money_columns(frame) else frame.copy()
    if {"roas", "spend", "conversions"} <= set(out.columns):  # no conversions: a return of 0, not unknown
        nothing = out["roas"].isna() & out["conversions"].fillna(0).eq(0) & out["spend"].gt(0).fillna(False)
        out["roas"] = out["roas"].astype("Float64").mask(nothing, 0.0)
    for name in out.columns:
        column = out[name]
        if name in TOTAL_COLUMNS or (pd.api.types.is_integer_dtype(column) and not str(name).endswith("_id")):
            out[name] = column.fillna(0)
        if pd.api.types.is_datetime64_any_dtype(column):
            out[name] = column.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(column):
            scaled = out[name].astype("Float64") * (100 if name in PERCENT_COLUMNS else 1)
            out[name] = scaled.round(DECIMALS)
    return out.rename(columns={c: f"{c}_%" for c in PERCENT_COLUMNS if c in out.columns})


def review_table(plan: Any) -> pd.DataFrame:
    """One row per change of an edit plan: account, entity, field, ``before`` and ``after``
    (money in currency units rounded to the cent, with ``currency``), change in %, verdict,
    reason (every reason, untruncated) and, once applied, the result.

    >>> from pintools.plans.model import EditPlan
    >>> plan = EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": "7", "currency": "GBP",
    ...                                "field": "bid_in_micro_currency", "before": 4_800_000, "after": 5_280_000}])
    >>> review_table(plan)[["id", "field", "before", "after", "currency", "change_%"]].values.tolist()
    [['7', 'bid', 4.8, 5.28, 'GBP', 10.0]]
    """
    from pintools.plans.fields import EDITABLE
    from pintools.plans.money import to_units

    c = plan.changes

    def shown(value: Any, kind: str) -> Any:
        if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
            return round(float(to_units(value)), DECIMALS)
        return value

    kinds = [getattr(EDITABLE.get((e, f)), "kind", "") for e, f in zip(c["entity_type"], c["field"], strict=True)]
    out = pd.DataFrame({
        "ad_account_id": c["ad_account_id"], "entity_type": c["entity_type"], "id": c["id"], "name": c["name"],
        "field": c["field"].str.removesuffix("_in_micro_currency"),
        "before": [shown(v, k) for v, k in zip(c["before"], kinds, strict=True)],
        "after": [shown(v, k) for v, k in zip(c["after"], kinds, strict=True)],
        "currency": c["currency"], "change_%": c["delta_pct"].astype("Float64").round(1),
        "verdict": c["verdict"], "reason": c["reason"].fillna(""), "included": c["include"]})
    if c["result"].notna().any():
        out["result"], out["message"] = c["result"], c["message"]
    return out.reset_index(drop=True)


def write_tables(table: pd.DataFrame, folder: str | Path, stem: str) -> list[Path]:
    """``table`` as ``<stem>.csv`` and ``<stem>.xlsx`` in ``folder``; the paths written.

    >>> write_tables(pd.DataFrame({"id": ["1"], "spend": [0.0], "currency": ["USD"]}), "out/run", "weekly")  # doctest: +SKIP
    [PosixPath('out/run/weekly.csv'), PosixPath('out/run/weekly.xlsx')]
    """
    from pintools.exports import to_csv, to_excel

    folder = Path(folder)
    return [to_csv(table, folder / f"{stem}.csv"), to_excel({stem: table}, folder / f"{stem}.xlsx")]


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Text for the report: numbers with decimals to the cent, a missing value as an empty cell."""
    out = frame.astype(object).where(frame.notna(), "")
    for name in out.columns:
        out[name] = [f"{v:.{DECIMALS}f}" if isinstance(v, float) else v for v in out[name]]
    return out


def _section(content: Any) -> str:
    if isinstance(content, pd.DataFrame):
        return _shown(content).to_html(index=False, border=0, classes="table", escape=True)
    if hasattr(content, "savefig"):
        buffer = io.BytesIO()
        content.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return f'<img alt="chart" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'
    return "".join(f"<p>{html.escape(line)}</p>" for line in str(content).splitlines() if line.strip())


_STYLE = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
          "font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;"
          "white-space:normal;vertical-align:top}th{background:#f4f4f4}h2{margin-top:1.6em}img{max-width:100%}")


def write_report(folder: str | Path, title: str, sections: Iterable[tuple[str, Any]],
                 parameters: Mapping[str, Any] | None = None) -> Path:
    """Write ``report.html`` in ``folder``: ``title``, the run's time and ``parameters``, then each
    ``(heading, content)`` — a DataFrame as a table, a figure as an embedded PNG, text as
    paragraphs. The file stands alone (no code, no links) and is written 0600.

    >>> write_report("out/run", "Weekly report", [("Totals", pd.DataFrame({"spend": [1.5]}))])  # doctest: +SKIP
    PosixPath('out/run/report.html')
    """
    from pintools.files import write_private

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1><p>Run at {now}.</p>"]
    if parameters:
        rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in parameters.items())
        parts.append(f"<table>{rows}</table>")
    for heading, content in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>{_section(content)}")
    parts.append("</body></html>")
    path = Path(folder) / "report.html"
    write_private(path, "\n".join(parts).encode("utf-8"))
    return path
