"""``EditPlan``: a reviewable DataFrame of changes plus what is known about it — plain data.

The plan imports none of its verbs. :mod:`pintools.plans.validate`, ``apply``, ``resume``,
``rollback`` and ``spreadsheet`` are functions that take and return plans; the methods
``plan.validate()``, ``plan.apply()`` and ``plan.rollback()`` delegate to them (the package wires
them in, see :func:`provide_verbs`).

Columns of ``plan.changes`` (one row per (entity, field)):

============== =========================================================================
row            stable row number (Int64)
action         ``update`` or ``create``
entity_type    ``campaign``, ``ad_group``, ``ad`` or ``keyword``
ad_account_id  the ad account
id             the entity id (for creates: a local reference such as ``new-1``)
parent_id      the parent: a keyword's ad group, a new ad group's campaign
name           the entity's name (keywords: their text)
field          the API field changed (``bid_in_micro_currency``, ``status``, …; ``*`` for creates)
before, after  the values (money as integer micro-currency, times as Unix seconds, targeting
               as dicts, creates: the whole body in ``after``)
delta          after − before for money fields (Int64), ``delta_pct`` the change in percent
currency       the ad account's currency
verdict        ``pending`` until validated, then ``ok``, ``warn`` or ``blocked``
reason         why a row is warned or blocked (all reasons, joined by "; ")
include        False for rows excluded at review (they are never sent)
force          True to apply a rollback row although its value changed since it was applied
note           why the builder left a row out (``include`` False; such a row is never sent)
updated_time   the entity's ``updated_time`` when the plan was built (or first validated): a
               later change blocks the row (staleness)
expected       rollback rows: the value the entity must still hold (what was applied)
result         after apply: ``applied``, ``failed``, ``skipped`` (excluded), ``blocked`` or
               ``unknown`` (could not be decided: ``message`` says what to do); NA before
message        why a row failed, was skipped or is unknown
created_id     the id Pinterest gave a created entity (a match-type change: the new keyword)
applied_at     when read-back confirmed the row (UTC)
read_back      what Pinterest held for the field when it was read back after the write
============== =========================================================================

>>> plan = EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": "7",
...                                "field": "bid_in_micro_currency", "before": 1_000_000, "after": 1_100_000}])
>>> plan.changes[["field", "delta", "delta_pct"]].values.tolist()
[['bid_in_micro_currency', 100000, 10.0]]
>>> plan.exclude([0]).included.empty, plan.validation is None
(True, True)
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..frames.rows import row_dicts
from .changes import COLUMNS, RESULTS, VERDICTS, changes_frame, is_missing, money_delta, plain
from .fields import FRAME_COLUMNS, api_field, editable
from .guardrails import Guardrails


@dataclass(frozen=True)
class Validation:
    """When a plan was validated, and with which guardrails (apply uses exactly these).

    >>> v = Validation(Guardrails(max_change_pct=80), "2026-11-15T12:00:00+00:00")
    >>> Validation.from_dict(v.to_dict()) == v
    True
    """

    guardrails: Guardrails
    validated_at: str  # ISO 8601, UTC, on the API's clock

    def to_dict(self) -> dict:
        return {"guardrails": self.guardrails.to_dict(), "validated_at": self.validated_at}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> "Validation":
        return cls(Guardrails.from_dict(dict(values["guardrails"])), str(values["validated_at"]))


# The verbs the methods delegate to, provided by ``pintools.plans`` when it is imported (before any
# plan can exist): the plan depends on no verb module, every verb module depends on the plan.
_VERBS: dict[str, Callable[..., Any]] = {}


def provide_verbs(**verbs: Callable[..., Any]) -> None:
    """Register the functions behind :meth:`EditPlan.validate`, ``apply``, ``rollback``,
    ``from_spreadsheet`` (called once, by ``pintools/plans/__init__.py``)."""
    _VERBS.update(verbs)


def _verb(name: str) -> Callable[..., Any]:
    return _VERBS[name]


class EditPlan:
    """A plan of changes: ``changes`` (the frame above) and its metadata — ``plan_id``,
    ``created_at``, ``source``, ``settings`` (rule, evidence, per-plan limits), ``validation``
    (guardrails and time, once validated) and ``journal`` (the file of its apply).

    Plans are values: every method returns a new plan.
    """

    def __init__(self, changes: pd.DataFrame, *, plan_id: str | None = None, created_at: str | None = None,
                 source: str = "", settings: Mapping[str, Any] | None = None,
                 validation: Validation | None = None, journal: str | None = None) -> None:
        missing = [c for c in COLUMNS if c not in changes.columns]
        if missing:
            raise ValueError(f"an edit plan frame needs the columns {missing}")
        self.changes = changes[COLUMNS].reset_index(drop=True)
        self.plan_id = plan_id or uuid.uuid4().hex[:12]
        self.created_at = created_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.source = source
        self.settings: dict[str, Any] = dict(settings or {})
        self.validation = validation
        self.journal = journal

    # ------------------------------------------------------------------ building
    @classmethod
    def from_changes(cls, changes: Iterable[Mapping[str, Any]], *, source: str = "changes",
                     settings: Mapping[str, Any] | None = None) -> "EditPlan":
        """A plan from change records (``entity_type``, ``ad_account_id``, ``id``, ``field``,
        ``before``, ``after`` and optionally ``name``, ``currency``, ``updated_time``, ``action``,
        ``parent_id``, ``expected``, ``force``). Each field is checked against what plans may edit.

        >>> EditPlan.from_changes([{"entity_type": "ad", "ad_account_id": "1", "id": "2", "field": "status",
        ...                         "before": "ACTIVE", "after": "PAUSED"}]).changes["verdict"].tolist()
        ['pending']
        """
        rows = []
        for i, change in enumerate(changes):
            action = change.get("action") or "update"
            field = change.get("field") or ("*" if action == "create" else None)
            if action == "update":
                kind = editable(str(change.get("entity_type")), str(field)).kind
            elif action == "create":
                kind = "create"
            else:
                raise ValueError(f"change {i}: action must be update or create, got {action!r}")
            before, after = plain(change.get("before")), plain(change.get("after"))
            delta, pct = money_delta(kind, before, after)
            rows.append({**{k: change.get(k) for k in ("entity_type", "ad_account_id", "id", "parent_id", "name",
                                                       "currency", "updated_time", "expected", "force", "note")},
                         "row": i, "action": action, "field": field, "before": before, "after": after,
                         "delta": delta, "delta_pct": pct, "verdict": "pending", "reason": "",
                         "include": change.get("include", True)})
        return cls(changes_frame(rows), source=source, settings=settings)

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
        described = [key, "id", "ad_account_id", "name", "value", "parent_id", "campaign_id", "currency",
                     "updated_time", "ad_group_id", "catalog_product_group_name",
                     *(frame_col.get(api, col) for col, api in targets.items())]
        by_id = {str(r[key]): r for r in row_dicts(current, [c for c in dict.fromkeys(described)
                                                            if c in current.columns])}
        unknown = sorted(set(desired[key].astype(str)) - set(by_id))
        if unknown:
            raise ValueError(f"{len(unknown)} {entity_type} id(s) in the desired frame are not in the current one: "
                             f"{unknown[:5]}")
        changes = []
        for rec in row_dicts(desired, [key, *(c for c in targets if c in desired.columns)]):
            ident = str(rec[key])
            cur = by_id[ident]
            for col, api in targets.items():
                after, before = plain(rec.get(col)), plain(cur.get(frame_col.get(api, col)))
                if not _same(before, after):
                    changes.append(change_record(entity_type, cur, api, before, after))
        return cls.from_changes(changes, source=f"from_frames({entity_type})")

    @staticmethod
    def from_spreadsheet(path: Any, *, client: Any = None, ad_account_id: str | None = None) -> "EditPlan":
        """A plan from a CSV/XLSX of changes (see :func:`pintools.plans.spreadsheet.from_spreadsheet`)."""
        return _verb("from_spreadsheet")(path, client=client, ad_account_id=ad_account_id)

    # ------------------------------------------------------------------ metadata and views
    def replace(self, **changes: Any) -> "EditPlan":
        """A copy with some of ``changes``, ``settings``, ``validation``, ``journal`` replaced
        (the plan id, creation time and source stay)."""
        values = {"changes": self.changes, "settings": self.settings, "validation": self.validation,
                  "journal": self.journal, **changes}
        return EditPlan(values["changes"], plan_id=self.plan_id, created_at=self.created_at, source=self.source,
                        settings=values["settings"], validation=values["validation"], journal=values["journal"])

    def with_changes(self, changes: pd.DataFrame) -> "EditPlan":
        """The same plan over another ``changes`` frame (e.g. with results filled in)."""
        return self.replace(changes=changes)

    @property
    def accounts(self) -> list[str]:
        """The ad accounts the plan touches."""
        return sorted(self.changes["ad_account_id"].dropna().unique().tolist())

    @property
    def currencies(self) -> dict[str, str]:
        """Each ad account's currency, as the plan records it."""
        c = self.changes.dropna(subset=["ad_account_id", "currency"])
        return dict(zip(c["ad_account_id"], c["currency"], strict=True))

    @property
    def included(self) -> pd.DataFrame:
        """The rows that would be sent: included and not blocked."""
        c = self.changes
        return c[c["include"].fillna(False) & (c["verdict"] != "blocked")]

    @property
    def applied(self) -> bool:
        """Has this plan been applied (does any row carry a result)?"""
        return bool(self.changes["result"].notna().any())

    def counts(self) -> dict[str, int]:
        """Rows per result (after apply) or per verdict (before), in a fixed order."""
        column, order = ("result", RESULTS) if self.applied else ("verdict", VERDICTS)
        counted = self.changes[column].value_counts().to_dict()
        return {k: int(counted[k]) for k in order if counted.get(k)}

    def headline(self) -> str:
        """One line: ``"10 changes: 7 ok, 3 blocked"``, or after apply
        ``"3 of 10 sent; 7 blocked (3 applied)"``.

        >>> EditPlan.from_changes([]).headline()
        '0 changes'
        """
        n = len(self)
        counts = self.counts()
        if not self.applied:
            return f"{n} change{'s' if n != 1 else ''}" + (": " + ", ".join(f"{v} {k}" for k, v in counts.items())
                                                          if counts else "")
        held = {k: counts.pop(k) for k in ("skipped", "blocked") if k in counts}
        sent = ", ".join(f"{v} {k}" for k, v in counts.items())
        return (f"{sum(counts.values())} of {n} sent" + "".join(f"; {v} {k}" for k, v in held.items())
                + (f" ({sent})" if sent else ""))

    def __len__(self) -> int:
        return len(self.changes)

    def __repr__(self) -> str:
        return f"EditPlan({self.plan_id}: {self.headline()})"

    def _repr_html_(self) -> str:
        return _verb("plan_html")(self)

    def summary(self) -> pd.DataFrame:
        """Counts by verdict (and result) per entity type, field and currency, and the money delta
        of the rows that would be sent (see :func:`pintools.plans.review.summary`)."""
        return _verb("summary")(self)

    # ------------------------------------------------------------------ review edits
    def select(self, mask: pd.Series) -> "EditPlan":
        """Only the rows where ``mask`` (a boolean Series over ``changes``) is true — e.g. to show
        the blocked rows: ``plan.select(plan.changes["verdict"] == "blocked")``."""
        return self.with_changes(self.changes[mask.reindex(self.changes.index, fill_value=False).astype(bool)])

    def _flag(self, column: str, rows: Iterable[int] | pd.Series, value: bool) -> "EditPlan":
        changes = self.changes.copy()
        if isinstance(rows, pd.Series) and rows.dtype == bool:
            mask = rows.reindex(changes.index, fill_value=False)
        else:
            wanted = [int(r) for r in rows]
            unknown = sorted(set(wanted) - set(changes["row"].dropna().astype(int)))
            if unknown:
                raise ValueError(f"no rows {unknown} in this plan (rows are 0–{len(changes) - 1})")
            mask = changes["row"].isin(wanted)
        changes.loc[mask.astype(bool), column] = value
        return self.with_changes(changes)

    def exclude(self, rows: Iterable[int] | pd.Series) -> "EditPlan":
        """A copy with these row numbers (or a boolean mask over ``changes``) left out."""
        return self._flag("include", rows, False)

    def include(self, rows: Iterable[int] | pd.Series) -> "EditPlan":
        """A copy with these rows put back in."""
        return self._flag("include", rows, True)

    def include_all(self) -> "EditPlan":
        """A copy with every exclusion undone."""
        return self._flag("include", self.changes["row"].tolist(), True)

    def force(self, rows: Iterable[int] | pd.Series) -> "EditPlan":
        """A copy whose rollback rows ``rows`` are applied even though Pinterest now holds another
        value than the one that was applied (validate again to see them as warnings)."""
        return self._flag("force", rows, True)

    @property
    def created_ids(self) -> pd.Series:
        """For creates: the new ids by local reference (``new-1`` …), in plan order — assign
        them back onto the frame the plan was built from (``frame["id"] = plan.created_ids.values``)."""
        creates = self.changes[self.changes["action"] == "create"]
        return pd.Series(creates["created_id"].to_numpy(dtype=object), index=creates["id"].tolist(),
                         name="id").astype("string")

    # ------------------------------------------------------------------ verbs (delegated)
    def validate(self, client: Any = None, guardrails: Guardrails | None = None) -> "EditPlan":
        """Check every row (see :func:`pintools.plans.validate.validate`)."""
        return _verb("validate")(self, client=client, guardrails=guardrails)

    def apply(self, client: Any = None, **options: Any) -> "EditPlan":
        """Apply the validated plan (see :func:`pintools.plans.apply.apply` for the options)."""
        return _verb("apply")(self, client, **options)

    def rollback(self) -> "EditPlan":
        """The inverse plan of what was applied (see :func:`pintools.plans.rollback.rollback`)."""
        return _verb("rollback")(self)

    # ------------------------------------------------------------------ files
    def to_payload(self) -> dict:
        """The plan as plain JSON-able data (what :meth:`to_file` writes)."""
        records = []
        for r in self.changes.to_dict("records"):
            rec = {k: plain(v) for k, v in r.items()}
            at = r.get("applied_at")
            rec["applied_at"] = None if is_missing(at) else pd.Timestamp(at).isoformat()
            records.append(rec)
        return {"plan_id": self.plan_id, "created_at": self.created_at, "source": self.source,
                "settings": self.settings, "journal": self.journal,
                "validation": self.validation.to_dict() if self.validation else None, "changes": records}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "EditPlan":
        """A plan from :meth:`to_payload` data."""
        validation = payload.get("validation")
        return cls(changes_frame(list(payload["changes"])), plan_id=payload["plan_id"],
                   created_at=payload["created_at"], source=payload.get("source", ""),
                   settings=payload.get("settings"), journal=payload.get("journal"),
                   validation=Validation.from_dict(validation) if validation else None)

    def to_file(self, path: str | Path) -> Path:
        """Write the plan (all rows, verdicts, results and validation) as JSON."""
        path = Path(path)
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a folder: give a file name such as {path / 'plan.json'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_payload(), indent=1, default=str))
        return path

    @classmethod
    def read(cls, path: str | Path) -> "EditPlan":
        """Read a plan written by :meth:`to_file`."""
        return cls.from_payload(json.loads(Path(path).read_text()))


def _same(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return before is None and after is None
    try:
        return bool(before == after)
    except (TypeError, ValueError):
        return False


def change_record(entity_type: str, current: Mapping[str, Any], field: str, before: Any, after: Any) -> dict:
    """One update record for :meth:`EditPlan.from_changes`, described from an entity frame row
    (``current``): its id, account, name, currency, ``updated_time`` and parent.

    >>> change_record("ad", {"id": "2", "ad_account_id": "1", "name": "A"}, "status", "ACTIVE", "PAUSED")["name"]
    'A'
    """
    name = current.get("value") if entity_type == "keyword" else current.get("catalog_product_group_name") \
        if entity_type == "product_group" else current.get("name")
    parent = current.get("parent_id") if entity_type == "keyword" else current.get("campaign_id") \
        if entity_type == "ad_group" else current.get("ad_group_id") if entity_type == "product_group" else None
    return {"entity_type": entity_type, "ad_account_id": plain(current.get("ad_account_id")),
            "id": str(current["id"]), "name": plain(name), "field": field, "before": plain(before),
            "after": plain(after), "currency": plain(current.get("currency")),
            "updated_time": plain(current.get("updated_time")), "parent_id": plain(parent)}
