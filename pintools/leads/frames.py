"""Stored leads as a pandas DataFrame: one row per lead, one column per answer.

>>> df = read_leads(since="2026-01-01", form="65300871001")   # doctest: +SKIP
>>> df[["lead_id", "created_at", "EMAIL"]]                      # doctest: +SKIP
>>> read_leads(conflicts=True)[["conflict", "lead_id", "held_against"]]   # doctest: +SKIP
"""

from __future__ import annotations

import os
from datetime import date, datetime

import pandas as pd

from .records import TEST_LEAD_ID
from .store import LeadStore

ID_COLUMNS = ("lead_id", "advertiser_id", "lead_form_id", "ad_id", "campaign_id", "ad_group_id", "user_id")
TEXT_COLUMNS = ("lead_form_name", "campaign_name", "ad_group_name", "ad_name", "version")
# answer columns come after these, standard question types first, in this order, then custom labels
QUESTION_ORDER = ("FULL_NAME", "FIRST_NAME", "LAST_NAME", "EMAIL", "PHONE_NUMBER", "ZIP_CODE", "AGE", "GENDER",
                  "CITY", "COUNTRY", "PREFERRED_CONTACT_METHOD", "STATE_PROVINCE", "ADDRESS", "DATE_OF_BIRTH")


def _since_ms(since: str | date | datetime | pd.Timestamp | None) -> int | None:
    if since is None:
        return None
    ts = pd.Timestamp(since)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.value // 1_000_000)


def read_leads(store: "LeadStore | str | os.PathLike | None" = None, *,
               since: str | date | datetime | pd.Timestamp | None = None,
               form: str | None = None, conflicts: bool = False) -> pd.DataFrame:
    """Leads from ``store`` as a frame: a :class:`LeadStore`, a SQLite store's path, a
    ``postgresql://`` URL, or ``None`` for the SQLite store at its default path (a path or URL is
    opened for this read and closed again).

    >>> read_leads("/tmp/no-such-folder-for-pintools/leads.sqlite3").shape[0]  # doctest: +SKIP
    0

    Columns: the ids (pandas ``string`` dtype — never numbers), ``created_at`` (UTC datetime),
    names, ``is_test``, ``subscription_id`` (the subscription whose key opened the answers: the one
    authenticated fact about a lead's origin), then one ``string`` column per answer (question
    type such as ``EMAIL``, or a custom question's label). ``since`` (naive = UTC) and ``form``
    (a lead form id) filter.

    ``conflicts=True`` gives the items held apart instead, first columns ``conflict``
    (``replay``: this ciphertext is stored under the lead id ``held_against``; ``conflict``: the
    lead id is stored with other answers), ``held_against`` and ``held_at``; answers are filled when
    a key opened them.
    """
    own = not isinstance(store, LeadStore)
    if own:
        from .store_postgres import open_store

        store = open_store(store)
    try:
        if conflicts:
            rows = _held_rows(store.conflicts(), _since_ms(since), None if form is None else str(form))
        else:
            rows = store.leads(since_ms=_since_ms(since), form=None if form is None else str(form))
    finally:
        if own:
            store.close()
    first = ["conflict", "held_against", "held_at"] if conflicts else []
    return _frame(rows, first)


def _held_rows(held: list[dict], since_ms: int | None, form: str | None) -> list[dict]:
    rows = []
    for h in held:
        created = pd.to_numeric(h.get("created_at"), errors="coerce")
        if since_ms is not None and not (created >= since_ms):
            continue
        if form is not None and h.get("lead_form_id") != form:
            continue
        rows.append({**h, "conflict": h["kind"], "answers": h.get("answers") or {},
                     "is_test": h.get("lead_id") == TEST_LEAD_ID})
    return rows


def _frame(rows: list[dict], first: list[str]) -> pd.DataFrame:
    standard = [q for q in QUESTION_ORDER if any(q in r["answers"] for r in rows)]
    custom: dict[str, None] = {}
    for r in rows:
        for k in r["answers"]:
            if k not in QUESTION_ORDER:
                custom[k] = None
    answer_cols = standard + list(custom)
    columns = [*first, *ID_COLUMNS, "created_at", *TEXT_COLUMNS, "is_test", "subscription_id"]
    columns += [c for c in answer_cols if c not in columns]
    records = []
    for r in rows:
        rec = {c: r.get(c) for c in columns if c not in answer_cols}
        for c in answer_cols:
            v = r["answers"].get(c)
            rec[c] = None if v is None else (v if isinstance(v, str) else str(v))
        records.append(rec)
    df = pd.DataFrame.from_records(records, columns=columns)
    for c in columns:
        if c == "created_at":
            ms = pd.to_numeric(df[c], errors="coerce")
            df[c] = pd.to_datetime(ms, unit="ms", utc=True).astype("datetime64[ns, UTC]")
        elif c == "held_at":
            df[c] = pd.to_datetime(df[c], utc=True, format="ISO8601").astype("datetime64[ns, UTC]")
        elif c == "is_test":
            df[c] = df[c].astype("boolean")
        else:
            df[c] = df[c].astype("string")
    return df
