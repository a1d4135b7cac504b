"""Reviewing a plan: a summary table and an HTML rendering for notebooks.

The HTML shows before → after (money in currency units; targeting as what is added and
removed), increases in green and decreases in red, blocked rows highlighted with their
reasons, excluded rows struck through. It is plain HTML with no random ids, so a notebook's
committed output stays stable.

>>> from pintools.plans.model import EditPlan
>>> plan = EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": "7", "currency": "USD",
...                                "field": "budget_in_micro_currency", "before": 10_000_000, "after": 12_500_000}])
>>> summary(plan)[["entity_type", "field", "changes", "delta"]].values.tolist()
[['ad_group', 'budget_in_micro_currency', 1, 2.5]]
>>> format_value(12_500_000, "money", "USD")
'12.50 USD'
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .fields import EDITABLE
from .money import format_money, to_units

_VERDICT_STYLE = {"ok": "#1a7f37", "warn": "#9a6700", "blocked": "#b00020", "pending": "#555"}
MAX_HTML_ROWS = 500
#: reasons and messages wrap and are shown in full, never cut (pintools' choice of width)
_WRAP = "padding:2px 6px;white-space:pre-wrap;overflow-wrap:anywhere;max-width:42em"


RESULT_COLUMNS = ("applied", "failed", "unknown", "blocked", "skipped")


def is_amount(field: str) -> bool:
    """Whether a money field is an amount whose changes add up across entities (budgets, spend
    caps) rather than a price per action (bids, bid floors), whose summed change means nothing.

    >>> is_amount("budget_in_micro_currency"), is_amount("bid_in_micro_currency")
    (True, False)
    """
    return "budget" in field or "spend_cap" in field


def summary(plan: Any) -> pd.DataFrame:
    """One row per (entity type, field, currency): how many changes, how many are ok / warn /
    blocked / excluded and — once applied — applied / failed / unknown / blocked / skipped, how
    many of the rows that would be sent (after apply: that were applied) go ``up`` and ``down``,
    and, for amounts (budgets, spend caps: :func:`is_amount`), their net change in micro-currency
    and currency units. A bid is a price per action, so bids' changes are counted, never summed.
    ``plan`` is an :class:`~pintools.plans.model.EditPlan`.

    >>> from pintools.plans.model import EditPlan
    >>> plan = EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": i, "currency": "USD",
    ...     "field": "bid_in_micro_currency", "before": 1_000_000, "after": a} for i, a in (("7", 1_200_000), ("8", 900_000))])
    >>> summary(plan)[["field", "up", "down", "delta"]].values.tolist()
    [['bid_in_micro_currency', 1, 1, <NA>]]
    """
    c = plan.changes.copy()
    c["currency"] = c["currency"].fillna("")
    applied = bool(c["result"].notna().any())
    c["counted"] = (c["result"] == "applied").fillna(False) if applied else \
        c["include"].fillna(False) & (c["verdict"] != "blocked")
    rows = []
    for (etype, field, currency), part in c.groupby(["entity_type", "field", "currency"], dropna=False, sort=True):
        delta = part.loc[part["counted"], "delta"].dropna()
        row = {"entity_type": etype, "field": field, "currency": currency or pd.NA, "changes": len(part),
               "ok": int((part["verdict"] == "ok").sum()), "warn": int((part["verdict"] == "warn").sum()),
               "blocked": int((part["verdict"] == "blocked").sum()),
               "excluded": int((~part["include"].fillna(False)).sum())}
        if applied:
            row.update({f"result_{k}": int((part["result"] == k).sum()) for k in RESULT_COLUMNS})
        summed = len(delta) and is_amount(str(field))
        row.update(up=int((delta > 0).sum()), down=int((delta < 0).sum()),
                   delta_micro=int(delta.sum()) if summed else pd.NA,
                   delta=float(to_units(int(delta.sum()))) if summed else pd.NA)
        rows.append(row)
    columns = ["entity_type", "field", "currency", "changes", "ok", "warn", "blocked", "excluded"]
    columns += [f"result_{k}" for k in RESULT_COLUMNS] if applied else []
    frame = pd.DataFrame(rows, columns=columns + ["up", "down", "delta_micro", "delta"])
    return frame.astype({"delta_micro": "Int64", "delta": "Float64", "currency": "string"})


def summary_html(plan: Any) -> str:
    """:func:`summary` as a review reads it: the net change of each (field, currency) in currency
    units with its currency (``+2.50 USD``), never micros; counts as numbers, missing as a dash.

    >>> from pintools.plans.model import EditPlan
    >>> plan = EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": "7",
    ...     "currency": "USD", "field": "budget_in_micro_currency", "before": 10_000_000, "after": 12_500_000}])
    >>> "+2.50 USD" in summary_html(plan) and "delta_micro" not in summary_html(plan)
    True
    """
    table = summary(plan)
    change = [("—" if pd.isna(m) else ("+" if m > 0 else "") + format_money(int(m), None if pd.isna(c) else c))
              for m, c in zip(table["delta_micro"], table["currency"], strict=True)]
    table = table.drop(columns=["delta_micro", "delta"]).assign(net_change=change)
    return table.to_html(index=False, na_rep="—", classes="pintools-plan-summary")


def _text(value: Any) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)


def _kind(entity_type: str, field: str) -> str:
    rule = EDITABLE.get((entity_type, field))
    return rule.kind if rule else "create"


def format_value(value: Any, kind: str, currency: str | None = None) -> str:
    """A value as a reviewer reads it: money in units with currency, times as UTC dates."""
    if value is None:
        return "—"
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_money(value, currency)
    if kind == "time" and isinstance(value, int):
        return pd.Timestamp(value, unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
    if kind == "create" and isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in sorted(value.items()))
    return str(value)


def targeting_diff(before: Any, after: Any) -> str:
    """``+GENDER: female; −AGE_BUCKET: 18-24`` for two targeting specs.

    >>> targeting_diff({"GENDER": ["male"]}, {"GENDER": ["male", "female"], "LOCALE": ["en"]})
    '+GENDER: female; +LOCALE: en'
    """
    before, after = before or {}, after or {}
    parts = []
    for key in sorted(set(before) | set(after)):
        old, new = set(map(str, before.get(key) or [])), set(map(str, after.get(key) or []))
        if new - old:
            parts.append(f"+{key}: {', '.join(sorted(new - old))}")
        if old - new:
            parts.append(f"−{key}: {', '.join(sorted(old - new))}")
    return "; ".join(parts) or "no change"


def plan_html(plan: Any) -> str:
    """The plan as an HTML table (first :data:`MAX_HTML_ROWS` rows) under a one-line summary."""
    c = plan.changes
    applied = bool(c["result"].notna().any())
    if applied:
        head = f"<b>Edit plan {html.escape(plan.plan_id)}</b>: {html.escape(plan.headline())}"
    else:
        counts = c["verdict"].value_counts().to_dict()
        head = (f"<b>Edit plan {html.escape(plan.plan_id)}</b>: {len(c)} change(s) — "
                + ", ".join(f'<span style="color:{_VERDICT_STYLE[v]}">{counts[v]} {v}</span>'
                            for v in ("ok", "warn", "blocked", "pending") if v in counts))
    excluded = int((~c["include"].fillna(False)).sum())
    if excluded:
        head += f", {excluded} excluded"
    cells = ["row", "entity", "name", "field", "before", "after", "Δ %", "verdict", "reason"]
    if applied:
        cells += ["result", "message", "created id"]
    wrapped = {cells.index("reason")} | ({cells.index("message")} if applied else set())
    out = [f"<div>{head}</div>", '<table class="pintools-plan" style="border-collapse:collapse;font-size:12px">',
           "<thead><tr>" + "".join(f'<th style="text-align:left;padding:2px 6px">{h}</th>' for h in cells)
           + "</tr></thead><tbody>"]
    for r in c.head(MAX_HTML_ROWS).to_dict("records"):
        kind = _kind(r["entity_type"], r["field"])
        if kind == "targeting":
            before, after = "", targeting_diff(r["before"], r["after"])
        else:
            before, after = format_value(r["before"], kind, r["currency"]), format_value(r["after"], kind, r["currency"])
        pct = r["delta_pct"]
        colour = "" if pct is None or pd.isna(pct) or pct == 0 else ("#1a7f37" if pct > 0 else "#b00020")
        pct_text = "" if pct is None or pd.isna(pct) else f"{pct:+.1f}%"
        style = "padding:2px 6px"
        row_style = ' style="background:#fde7e9"' if r["verdict"] == "blocked" else ""
        if not r["include"]:
            row_style = ' style="text-decoration:line-through;color:#888"'
        values = [str(r["row"]), f"{r['entity_type']} {r['id']}", _text(r["name"]), r["field"], before,
                  f'<span style="color:{colour}">{html.escape(after)}</span>' if colour else html.escape(after),
                  f'<span style="color:{colour}">{pct_text}</span>',
                  f'<span style="color:{_VERDICT_STYLE.get(r["verdict"], "#555")}">{r["verdict"]}</span>',
                  _text(r["reason"])]
        if applied:
            values += [_text(r["result"]), _text(r["message"]), _text(r["created_id"])]
        escaped = [v if i in (5, 6, 7) else html.escape(str(v)) for i, v in enumerate(values)]
        out.append(f"<tr{row_style}>" + "".join(f'<td style="{_WRAP if i in wrapped else style}">{v}</td>'
                                                for i, v in enumerate(escaped)) + "</tr>")
    out.append("</tbody></table>")
    if len(c) > MAX_HTML_ROWS:
        out.append(f"<div>… and {len(c) - MAX_HTML_ROWS} more rows (see plan.changes)</div>")
    return "\n".join(out)


def plan_text(plan: Any, *, limit: int = 60) -> str:
    """The plan for a terminal: a one-line count, then one line per change (first ``limit``)."""
    c = plan.changes
    lines = [f"Edit plan {plan.plan_id}: {plan.headline()}"]
    for r in c.head(limit).to_dict("records"):
        kind = _kind(r["entity_type"], r["field"])
        if kind == "targeting":
            change = targeting_diff(r["before"], r["after"])
        else:
            change = f"{format_value(r['before'], kind, r['currency'])} → {format_value(r['after'], kind, r['currency'])}"
        pct = "" if r["delta_pct"] is None or pd.isna(r["delta_pct"]) else f" ({r['delta_pct']:+.1f}%)"
        mark = {"ok": " ", "warn": "!", "blocked": "✗", "pending": "?"}.get(r["verdict"], " ")
        excluded = " [excluded]" if not r["include"] else ""
        result = f" => {r['result']}" + (f": {_text(r['message'])}" if _text(r["message"]) else "") \
            if _text(r["result"]) else ""
        result += f" (created {r['created_id']})" if _text(r["created_id"]) else ""
        reason = f"  — {r['reason']}" if _text(r["reason"]) else ""
        lines.append(f"{mark} {r['row']:>4} {r['entity_type']} {r['id']} {_text(r['name'])} · {r['field']}: "
                     f"{change}{pct}{excluded}{result}{reason}")
    if len(c) > limit:
        lines.append(f"… and {len(c) - limit} more")
    return "\n".join(lines)
