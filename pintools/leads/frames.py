"""Stored leads as a pandas DataFrame: one row per lead, one column per answer.

>>> df = read_leads(since="2026-01-01", form="65300871001")   # doctest: +SKIP
>>> df[["lead_id", "created_at", "EMAIL"]]                      # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from .store import LEAD_FIELDS, LeadStore

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


def read_leads(store: LeadStore | None = None, *, since: str | date | datetime | pd.Timestamp | None = None,
               form: str | None = None) -> pd.DataFrame:
    """Leads from ``store`` (default: :class:`LeadStore` at its default path) as a frame.

    Columns: the ids (pandas ``string`` dtype — never numbers), ``created_at`` (UTC datetime),
    names, ``is_test``, then one ``string`` column per answer (question type such as ``EMAIL``,
    or a custom question's label). ``since`` (naive = UTC) and ``form`` (a lead form id) filter.
    """
    own = store is None
    store = LeadStore() if store is None else store
    try:
        rows = store.leads(since_ms=_since_ms(since), form=None if form is None else str(form))
    finally:
        if own:
            store.close()
    standard = [q for q in QUESTION_ORDER if any(q in r["answers"] for r in rows)]
    custom: dict[str, None] = {}
    for r in rows:
        for k in r["answers"]:
            if k not in QUESTION_ORDER:
                custom[k] = None
    answer_cols = standard + list(custom)
    base = [c for c in LEAD_FIELDS if c != "created_at"]
    records = []
    for r in rows:
        rec = {c: r.get(c) for c in base}
        rec["created_at"] = r.get("created_at")
        rec["is_test"] = r["is_test"]
        for c in answer_cols:
            v = r["answers"].get(c)
            rec[c] = None if v is None else (v if isinstance(v, str) else str(v))
        records.append(rec)
    columns = [*ID_COLUMNS, "created_at", *TEXT_COLUMNS, "is_test"]
    columns += [c for c in answer_cols if c not in columns]
    df = pd.DataFrame.from_records(records, columns=columns)
    for c in columns:
        if c == "created_at":
            ms = pd.to_numeric(df[c], errors="coerce")
            df[c] = pd.to_datetime(ms, unit="ms", utc=True).astype("datetime64[ns, UTC]")
        elif c == "is_test":
            df[c] = df[c].astype("boolean")
        else:
            df[c] = df[c].astype("string")
    return df
