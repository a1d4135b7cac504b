"""Warehouse sync on dlt: ``pt.sync`` / ``pintools sync`` and ``pt.sync_report``.

Install with ``pip install "pintools[sync]"`` (dlt with DuckDB; other destinations need dlt's
extra for them, e.g. ``dlt[postgres]``). Modules: :mod:`settings` (what is read),
:mod:`analytics_days` (which days), :mod:`resources` (the tables), :mod:`day_changes`,
:mod:`runlog`, :mod:`plan`, :mod:`destinations`, :mod:`pipeline`, :mod:`report`, :mod:`command`
(the CLI).
Nothing here imports dlt until a sync runs.

>>> from pintools.warehouse import settings
>>> settings.restatement_days({"click_window_days": 14})
16
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {"sync": "pipeline", "sync_report": "report", "SyncResult": "pipeline", "SyncFailed": "pipeline",
            "SyncPlan": "plan"}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pintools.warehouse' has no attribute {name!r}")
    return getattr(importlib.import_module(f"pintools.warehouse.{module}"), name)
