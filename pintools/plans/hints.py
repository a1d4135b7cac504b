"""Reading a bulk upsert's result file — as a *hint*, never as the outcome.

Pinterest's spec says only that ``result_url`` lets you "download the new or updated entity
data"; the file's format is not specified. So every plausible shape is read, and anything else
(an empty file, HTML, binary) simply gives no hints. Read-back decides each row
(:mod:`pintools.plans.readback`); hints only supply an error message for an item that did not
land, and an id to prefer when read-back finds more than one candidate for a create.

Shapes understood:

* per-item records — a JSON list (or ``{"items": [...]}``) of ``{entity_type, action, index,
  status, id, errors}``;
* entity data — JSON ``{"CAMPAIGN": [...], "AD_GROUP": [...], ...}`` or a list of entities;
* CSV — either of the above as a table (an ``entity_type`` column, plus ``status``/``index`` for records).

>>> from pintools.plans.ops import Op
>>> chunk = [Op("ad_group", "update", "9", {"id": "7", "status": "PAUSED"}, [0], "7")]
>>> read_result_file(b'[{"entity_type": "AD_GROUP", "action": "UPDATE", "index": 0, "status": "FAILED",'
...                  b' "errors": [{"code": 1, "message": "Bid below floor."}]}]', chunk)
{0: Hint(ok=False, message='Bid below floor.', id=None)}
>>> read_result_file(b"\\x00\\xff<html>", chunk), read_result_file(b"", chunk)
({}, {})
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .current import natural_key
from .ops import BULK_LISTS, Op

_TYPES = {"campaign": "campaign", "campaigns": "campaign", "ad_group": "ad_group", "ad_groups": "ad_group",
          "adgroup": "ad_group", "ad": "ad", "ads": "ad", "keyword": "keyword", "keywords": "keyword",
          "product_group": "product_group", "product_groups": "product_group", "productgroup": "product_group"}


@dataclass(frozen=True)
class Hint:
    """What a response said about one item: ``ok`` (None = nothing), an error ``message``, an ``id``."""

    ok: bool | None
    message: str = ""
    id: str | None = None


def entity_type(value: Any) -> str | None:
    """``"AD_GROUP"``, ``"ad_groups"``, ``"AdGroup"`` … → ``"ad_group"`` (None when unknown).

    >>> entity_type("AD_GROUP"), entity_type("keywords"), entity_type("PIN")
    ('ad_group', 'keyword', None)
    """
    text = str(value or "").strip().lower()
    return _TYPES.get(text) or _TYPES.get(text.replace("_", ""))


def read_result_file(content: bytes, chunk: list[Op]) -> dict[int, Hint]:
    """Hints by position in ``chunk`` from a bulk result file of any shape; ``{}`` when unreadable."""
    try:
        text = content.decode("utf-8-sig").strip()
    except (UnicodeDecodeError, AttributeError):
        return {}
    if not text:
        return {}
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = _csv_rows(text)
    if isinstance(data, dict):
        items = data.get("items") or data.get("results")
        data = items if isinstance(items, list) else _entities_from_mapping(data)
    if not isinstance(data, list):
        return {}
    rows = [d for d in data if isinstance(d, dict)]
    if any("index" in d and "status" in d for d in rows):
        return _from_records(rows, chunk)
    return _from_entities(rows, chunk)


def _csv_rows(text: str) -> list[dict] | None:
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error:
        return None
    if not rows or not any(k and k.strip().lower() in ("entity_type", "id") for k in rows[0]):
        return None
    return [{k.strip(): (v if v != "" else None) for k, v in r.items() if isinstance(k, str)} for r in rows]


def _entities_from_mapping(data: Mapping[str, Any]) -> list[dict]:
    out = []
    for key, values in data.items():
        kind = entity_type(key)
        if kind and isinstance(values, list):
            out += [{**v, "entity_type": kind} for v in values if isinstance(v, dict)]
    return out


def item_positions(chunk: list[Op]) -> dict[tuple[str, str, int], int]:
    """(action, list, index in that list) of each item as :func:`pintools.plans.send.bulk_body` lays
    them out → its position in ``chunk``."""
    counters: dict[tuple[str, str], int] = {}
    positions = {}
    for pos, op in enumerate(chunk):
        key = (op.action, BULK_LISTS[op.entity_type])
        positions[(*key, counters.get(key, 0))] = pos
        counters[key] = counters.get(key, 0) + 1
    return positions


def _from_records(records: Iterable[dict], chunk: list[Op]) -> dict[int, Hint]:
    positions = item_positions(chunk)
    hints: dict[int, Hint] = {}
    for rec in records:
        kind = entity_type(rec.get("entity_type"))
        try:
            index = int(rec.get("index"))
        except (TypeError, ValueError):
            continue
        pos = positions.get((str(rec.get("action", "")).lower(), BULK_LISTS.get(kind or "", ""), index))
        if pos is None:
            continue
        ok = str(rec.get("status", "")).upper() == "SUCCEEDED"
        errors = rec.get("errors") or []
        if isinstance(errors, str):
            try:
                errors = json.loads(errors)
            except ValueError:
                errors = [errors]
        message = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                            for e in (errors if isinstance(errors, list) else [errors]))
        ident = rec.get("id")
        hints[pos] = Hint(ok, "" if ok else (message or "failed"), str(ident) if ident not in (None, "") else None)
    return hints


def _from_entities(entities: Iterable[dict], chunk: list[Op]) -> dict[int, Hint]:
    """An entity in the file means its item was written: an update by id, a create by natural key."""
    by_id: dict[tuple[str, str], dict] = {}
    by_key: dict[tuple, list[dict]] = {}
    for e in entities:
        kind = entity_type(e.get("entity_type") or e.get("type"))
        if kind is None or e.get("id") in (None, ""):
            continue
        by_id[(kind, str(e["id"]))] = e
        by_key.setdefault((kind, natural_key(kind, e)), []).append(e)
    hints: dict[int, Hint] = {}
    for pos, op in enumerate(chunk):
        if op.action == "update" and (op.entity_type, str(op.body.get("id"))) in by_id:
            hints[pos] = Hint(True)
        elif op.action == "create":
            same = by_key.get((op.entity_type, natural_key(op.entity_type, op.body)), [])
            if len(same) == 1:
                hints[pos] = Hint(True, id=str(same[0]["id"]))
    return hints
