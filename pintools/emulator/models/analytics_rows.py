"""Rows from aggregated base fields: which (entity, period) rows exist and what each carries.

A row exists when the entity delivered in the period (spend or impressions) or any requested
additive column is non-zero – so dropping a row never loses anything the client asked for, and
rows do not depend on which columns were requested. Three styles:

- ``sync``: every computable requested column; a column "without value" (zero denominator, no
  conversions for a value/ROAS, no attribute at this level) is left out of the row.
- ``json`` (async JSON file): also leaves out metrics equal to 0 ("will not zero-fill"), and
  drops rows whose requested metrics are all 0.
- ``csv`` (async CSV file): like ``json`` for rows, but every requested column is present:
  missing metrics become 0 (zero-fill), missing attributes an empty string.

Keys come in the order ``DATE`` (unless TOTAL), the head (id columns), then the columns.

Example:
    >>> import numpy as np
    >>> from datetime import date
    >>> from pintools.emulator.models.columns import Env
    >>> from pintools.emulator.models.periods import periods
    >>> per = periods(date(2024, 1, 1), date(2024, 1, 2), "DAY")
    >>> zero = np.array([[0, 0]])
    >>> env = Env({"SPEND_IN_MICRO_DOLLAR": np.array([[2_500_000, 0]]), "IMPRESSION_1": np.array([[100, 0]]),
    ...            "IMPRESSION_2": zero, "CLICKTHROUGH_1": zero}, per.days)
    >>> build_rows([{"AD_ID": "7"}], [{}], per, env, ["SPEND_IN_DOLLAR", "CPC_IN_MICRO_DOLLAR"])
    [[{'DATE': '2024-01-01', 'AD_ID': '7', 'SPEND_IN_DOLLAR': 2.5}]]
"""

from __future__ import annotations

import numpy as np

from pintools.emulator.models.columns import COLUMNS, Env, evaluate
from pintools.emulator.models.metrics import INDICATOR_FIELDS
from pintools.emulator.models.periods import Periods


def _keep(env: Env, evaluated: dict, metric_columns: list[str], style: str) -> np.ndarray:
    keep = env.total(INDICATOR_FIELDS) > 0
    for name in metric_columns:
        if COLUMNS[name].kind == "additive":
            values, present = evaluated[name]
            keep = keep | ((values > 0) if present is None else ((values > 0) & present))
    if style != "sync" and metric_columns:
        nonzero = np.zeros_like(keep)
        for name in metric_columns:
            values, present = evaluated[name]
            nonzero = nonzero | ((values != 0) if present is None else ((values != 0) & present))
        keep = keep & nonzero
    return keep


def build_rows(heads: list[dict], attrs: list[dict], per: Periods, env: Env, columns,
               style: str = "sync") -> list[list[dict]]:
    """Rows per group (one list per head, in period order). See the module doc for styles."""
    metric_columns = [c for c in columns if c in COLUMNS and COLUMNS[c].kind != "attribute"]
    evaluated = evaluate(metric_columns, env)
    keep = _keep(env, evaluated, metric_columns, style).tolist()
    lists = {name: (values.tolist(), None if present is None else present.tolist())
             for name, (values, present) in evaluated.items()}
    zero_fill, drop_zero = style == "csv", style in ("json", "csv")
    out = []
    for r, head in enumerate(heads):
        # Per column: (name, values of this group, presence or None, attribute value or None).
        plan = []
        for name in columns:
            if name in lists:
                values, present = lists[name]
                plan.append((name, values[r], None if present is None else present[r], None))
            else:
                value = attrs[r].get(name)
                if value is None and zero_fill:
                    value = 0 if name in COLUMNS and COLUMNS[name].kind != "attribute" else ""
                plan.append((name, None, None, value))
        rows = []
        for p, label in enumerate(per.labels):
            if not keep[r][p]:
                continue
            row = {} if label is None else {"DATE": label}
            row.update(head)
            for name, values, present, attribute in plan:
                if values is None:
                    if attribute is not None:
                        row[name] = attribute
                    continue
                value = values[p]
                if (present is None or present[p]) and not (drop_zero and value == 0):
                    row[name] = value
                elif zero_fill:
                    row[name] = 0
            rows.append(row)
        out.append(rows)
    return out
