"""``EditPlan``: a reviewable DataFrame of changes, one row per (entity, field).

Columns of ``plan.changes``:

============== =========================================================================
row            stable row number (Int64)
action         ``update`` or ``create``
entity_type    ``campaign``, ``ad_group``, ``ad`` or ``keyword``
ad_account_id  the ad account
id             the entity id (for creates: a local reference such as ``new-1``)
parent_id      for creates: the parent (campaign of an ad group, ad group of a keyword)
name           the entity's name (keywords: their text)
field          the API field changed (``bid_in_micro_currency``, ``status``, …; ``*`` for creates)
before, after  the values (money as integer micro-currency, times as Unix seconds, targeting
               as dicts, creates: the whole body in ``after``)
delta          after − before for money fields (Int64), ``delta_pct`` the change in percent
currency       the ad account's currency
verdict        ``pending`` until :meth:`EditPlan.validate`, then ``ok``, ``warn`` or ``blocked``
reason         why a row is warned or blocked (all reasons, joined by "; ")
include        False for rows excluded at review (they are never sent)
updated_time   the entity's ``updated_time`` when the plan was built (staleness check)
result         after apply: ``applied``, ``failed``, ``skipped`` or empty
message        Pinterest's message for a failed row
============== =========================================================================

>>> plan = EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": "7",
...                                "field": "bid_in_micro_currency", "before": 1_000_000, "after": 1_100_000}])
>>> plan.changes[["field", "delta", "delta_pct"]].values.tolist()
[['bid_in_micro_currency', 100000, 10.0]]
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .fields import FRAME_COLUMNS, api_field, editable

COLUMNS = ["row", "action", "entity_type", "ad_account_id", "id", "parent_id", "name", "field", "before", "after",
           "delta", "delta_pct", "currency", "verdict", "reason", "include", "updated_time", "result", "message"]
_STRING = ["action", "entity_type", "ad_account_id", "id", "parent_id", "name", "field", "currency", "verdict",
           "reason", "result", "message"]
VERDICTS = ("pending", "ok", "warn", "blocked")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (dict, list, tuple, str, bool)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """Frame values → plain JSON-able Python (Timestamps → Unix seconds, numpy → int/float, NA → None)."""
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return int(value.timestamp())
    if isinstance(value, dt.datetime):
        return int(value.timestamp())
    if hasattr(value, "item") and not isinstance(value, (dict, list, str)):
        return value.item()
    return value


def _delta(field_kind: str, before: Any, after: Any) -> tuple[int | None, float | None]:
    if field_kind != "money" or before is None or after is None:
        return None, None
    delta = int(after) - int(before)
    pct = round(100.0 * delta / int(before), 2) if int(before) else None
    return delta, pct


def _frame(rows: list[dict]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for col in COLUMNS:
        values = [r.get(col) for r in rows]
        if col == "row":
            data[col] = pd.array(values, dtype="Int64")
        elif col == "delta":
            data[col] = pd.array(values, dtype="Int64")
        elif col == "delta_pct":
            data[col] = pd.array(values, dtype="Float64")
        elif col == "include":
            data[col] = pd.array([True if v is None else bool(v) for v in values], dtype="boolean")
        elif col == "updated_time":
            data[col] = pd.array(values, dtype="Int64")
        elif col in _STRING:
            data[col] = pd.array([None if v is None else str(v) for v in values], dtype="string")
        else:
            data[col] = pd.array(values, dtype="object")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


class EditPlan:
    """A plan of changes. Build it, review it (notebook HTML, :meth:`summary`), check it
    (:meth:`validate`), then :meth:`apply` it. Plans are immutable in spirit: methods return
    new plans; only :meth:`apply` records results on the plan it applies.
    """

    def __init__(self, changes: pd.DataFrame, *, plan_id: str | None = None, created_at: str | None = None,
                 source: str = "", settings: Mapping[str, Any] | None = None) -> None:
        missing = [c for c in COLUMNS if c not in changes.columns]
        if missing:
            raise ValueError(f"an edit plan frame needs the columns {missing}")
        self.changes = changes[COLUMNS].reset_index(drop=True)
        self.plan_id = plan_id or uuid.uuid4().hex[:12]
        self.created_at = created_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.source = source
        self.settings: dict[str, Any] = dict(settings or {})

    # ------------------------------------------------------------------ building
    @classmethod
    def from_changes(cls, changes: Iterable[Mapping[str, Any]], *, source: str = "changes",
                     settings: Mapping[str, Any] | None = None) -> "EditPlan":
        """A plan from change records (``entity_type``, ``ad_account_id``, ``id``, ``field``,
        ``before``, ``after`` and optionally ``name``, ``currency``, ``updated_time``, ``action``,
        ``parent_id``). Each field is checked against what plans may edit."""
        rows = []
        for i, change in enumerate(changes):
            action = change.get("action") or "update"
            entity = change.get("entity_type")
            field = change.get("field") or ("*" if action == "create" else None)
            if action == "update":
                rule = editable(str(entity), str(field))
                kind = rule.kind
            elif action == "create":
                kind = "create"
            else:
                raise ValueError(f"change {i}: action must be update or create, got {action!r}")
            before, after = _plain(change.get("before")), _plain(change.get("after"))
            delta, pct = _delta(kind, before, after)
            rows.append({
                "row": i, "action": action, "entity_type": entity, "ad_account_id": change.get("ad_account_id"),
                "id": change.get("id"), "parent_id": change.get("parent_id"), "name": change.get("name"),
                "field": field, "before": before, "after": after, "delta": delta, "delta_pct": pct,
                "currency": change.get("currency"), "verdict": "pending", "reason": "", "include": True,
                "updated_time": _plain(change.get("updated_time")), "result": "", "message": "",
            })
        return cls(_frame(rows), source=source, settings=settings)

    @staticmethod
    def from_spreadsheet(path: Any, *, client: Any = None, ad_account_id: str | None = None) -> "EditPlan":
        """A plan from a CSV/XLSX of changes (see :mod:`pintools.plans.spreadsheet`)."""
        from .spreadsheet import from_spreadsheet

        return from_spreadsheet(path, client=client, ad_account_id=ad_account_id)

    @classmethod
    def from_frames(cls, current: pd.DataFrame, desired: pd.DataFrame, *, entity_type: str,
                    key: str = "id", fields: Sequence[str] | None = None) -> "EditPlan":
        """Compare a desired frame with current state (both entity frames, e.g. from
        :func:`pintools.read_ad_groups`) and plan every difference.

        ``desired`` needs ``key`` plus the columns to change (frame names like
        ``budget_in_micro_currency`` or ``daily_spend_cap_micro``, or API field names). Rows
        whose key is not in ``current`` are an error naming them; unchanged values make no row.

        >>> desired = ad_groups[["id"]].assign(bid_in_micro_currency=1_500_000)          # doctest: +SKIP
        >>> plan = EditPlan.from_frames(ad_groups, desired, entity_type="ad_group")    # doctest: +SKIP
        """
        if key not in desired.columns or key not in current.columns:
            raise ValueError(f"both frames need the key column {key!r}")
        wanted = [c for c in (fields or desired.columns) if c != key]
        targets = {c: api_field(entity_type, c) for c in wanted}
        frame_col = {api: col for col, api in FRAME_COLUMNS[entity_type].items()}
        by_id = {str(r[key]): r for r in current.to_dict("records")}
        unknown = sorted(set(desired[key].astype(str)) - set(by_id))
        if unknown:
            raise ValueError(f"{len(unknown)} {entity_type} id(s) in the desired frame are not in the current one: "
                             f"{unknown[:5]}")
        changes = []
        for rec in desired.to_dict("records"):
            ident = str(rec[key])
            cur = by_id[ident]
            for col, api in targets.items():
                after = _plain(rec.get(col))
                source_col = frame_col.get(api, col)
                before = _plain(cur.get(source_col))
                if after is None and col not in desired.columns:
                    continue
                if _same(before, after):
                    continue
                changes.append(_change(entity_type, cur, ident, api, before, after))
        return cls.from_changes(changes, source=f"from_frames({entity_type})")

    # ------------------------------------------------------------------ reviewing
    def __len__(self) -> int:
        return len(self.changes)

    def __repr__(self) -> str:
        counts = self.changes["verdict"].value_counts().to_dict()
        parts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if v in counts) or "empty"
        return f"EditPlan({self.plan_id}: {len(self)} changes; {parts})"

    def _repr_html_(self) -> str:
        from .review import plan_html

        return plan_html(self)

    def summary(self) -> pd.DataFrame:
        """Counts by verdict and entity type, and the money delta per currency and field."""
        from .review import summary

        return summary(self)

    @property
    def included(self) -> pd.DataFrame:
        """The rows that would be sent: included and not blocked."""
        c = self.changes
        return c[c["include"].fillna(False) & (c["verdict"] != "blocked")]

    def exclude(self, rows: Iterable[int] | pd.Series) -> "EditPlan":
        """A copy with these row numbers (or a boolean mask over ``changes``) left out."""
        changes = self.changes.copy()
        if isinstance(rows, pd.Series) and rows.dtype == bool:
            mask = rows.reindex(changes.index, fill_value=False)
        else:
            mask = changes["row"].isin(list(rows))
        changes.loc[mask.astype(bool), "include"] = False
        return self._with(changes)

    def _with(self, changes: pd.DataFrame) -> "EditPlan":
        return EditPlan(changes, plan_id=self.plan_id, created_at=self.created_at, source=self.source,
                        settings=self.settings)

    # ------------------------------------------------------------------ checking and undoing
    def validate(self, client: Any = None, guardrails: Any = None) -> "EditPlan":
        """A copy with every row's verdict and reasons (see :mod:`pintools.plans.guardrails`).
        Current state (CBO, bid floors, staleness) is read with ``client`` (default: the most
        recent :func:`pintools.connect`)."""
        from ..client import default_client
        from .guardrails import Guardrails, evaluate

        return evaluate(self, guardrails or Guardrails(), client=client or default_client())

    def apply(self, client: Any = None, **options: Any) -> "EditPlan":
        """Validate and apply the plan (see :func:`pintools.plans.apply.apply_plan` for the
        options: ``method``, ``chunk_size``, ``journal``, ``verify``, ``progress``)."""
        from .apply import apply_plan

        return apply_plan(self, client, **options)

    @property
    def created_ids(self) -> pd.Series:
        """For creates: the new ids by local reference (``new-1`` …), in plan order — assign
        them back onto the frame the plan was built from (``frame["id"] = plan.created_ids.values``)."""
        creates = self.changes[self.changes["action"] == "create"]
        ids = [m.removeprefix("created ") if isinstance(m, str) and m.startswith("created ") else pd.NA
               for m in creates["message"]]
        return pd.Series(pd.array(ids, dtype="string"), index=creates["id"].tolist(), name="id")

    def rollback(self) -> "EditPlan":
        """The inverse plan: every applied (or, before apply, every included) update set back to
        its before-value. Creates are undone by archiving what they created. Review and validate
        it like any plan."""
        c = self.changes
        done = c[c["result"] == "applied"] if (c["result"] == "applied").any() else c[c["include"].fillna(False)]
        inverse = []
        for r in done.to_dict("records"):
            if r["action"] == "create":
                created = (r.get("message") or "").removeprefix("created ")
                if not created.isdigit():
                    continue
                field = "archived" if r["entity_type"] == "keyword" else "status"
                inverse.append({**_keep(r), "id": created, "field": field,
                                "before": False if field == "archived" else "ACTIVE",
                                "after": True if field == "archived" else "ARCHIVED"})
            else:
                undo = {**_keep(r), "field": r["field"], "before": r["after"], "after": r["before"]}
                created = (r.get("message") or "").removeprefix("created ")
                if r["field"] == "match_type" and created.isdigit():
                    undo["id"] = created  # archive the replacement keyword, recreate the old match type
                inverse.append(undo)
        plan = EditPlan.from_changes(inverse, source=f"rollback of {self.plan_id}", settings=self.settings)
        return plan

    # ------------------------------------------------------------------ files
    def to_file(self, path: str | Path) -> Path:
        """Write the plan (all rows, verdicts and results) as JSON."""
        path = Path(path)
        payload = {"plan_id": self.plan_id, "created_at": self.created_at, "source": self.source,
                   "settings": self.settings, "changes": _records(self.changes)}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=1, default=str))
        return path

    @classmethod
    def read(cls, path: str | Path) -> "EditPlan":
        """Read a plan written by :meth:`to_file`."""
        payload = json.loads(Path(path).read_text())
        return cls.from_payload(payload)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "EditPlan":
        return cls(_frame(list(payload["changes"])), plan_id=payload["plan_id"], created_at=payload["created_at"],
                   source=payload.get("source", ""), settings=payload.get("settings"))

    def to_payload(self) -> dict:
        return {"plan_id": self.plan_id, "created_at": self.created_at, "source": self.source,
                "settings": self.settings, "changes": _records(self.changes)}


def _records(changes: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in changes.to_dict("records")]


def _keep(r: Mapping[str, Any]) -> dict:
    return {k: r.get(k) for k in ("entity_type", "ad_account_id", "id", "name", "currency", "parent_id")}


def _same(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return before is None and after is None
    try:
        return before == after
    except (TypeError, ValueError):
        return False


def _change(entity_type: str, cur: Mapping[str, Any], ident: str, field: str, before: Any, after: Any) -> dict:
    name = cur.get("name") if "name" in cur else cur.get("value")
    return {"entity_type": entity_type, "ad_account_id": _plain(cur.get("ad_account_id")), "id": ident,
            "name": _plain(name), "field": field, "before": before, "after": after,
            "currency": _plain(cur.get("currency")), "updated_time": _plain(cur.get("updated_time")),
            "parent_id": _plain(cur.get("parent_id")) if entity_type == "keyword" else None}
