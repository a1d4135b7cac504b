"""Export stored leads for a CRM: CSV or XLSX, chosen by the file's suffix.

- ids (``lead_id``, ``lead_form_id``, …) stay text: quoted-safe in CSV, text cells in XLSX, so a
  spreadsheet never turns ``5493000000012345678`` into ``5.493E+18``;
- the lead's time is in a column ``created_at_utc``: an ISO string in UTC *without* a timezone
  suffix (``2026-11-15T12:00:00``), which CRMs and spreadsheets import as a plain date-time;
- answers follow, one column per question, as in :func:`~pintools.leads.frames.read_leads`;
- the file is written by :func:`pintools.to_csv` / :func:`pintools.to_excel`: private (mode 0600:
  leads are personal data), atomically, and with answers a spreadsheet would run as a formula
  (``=…``, ``@…``) made inert.

>>> export_leads(LeadStore(), "out/leads.xlsx", since="2026-11-01")   # doctest: +SKIP
PosixPath('out/leads.xlsx')
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..exports import to_csv, to_excel
from .frames import ID_COLUMNS, read_leads
from .store import LeadStore

SUFFIXES = (".csv", ".xlsx")


def _frame(frame_or_store: pd.DataFrame | LeadStore | str | os.PathLike | None,
           since: str | date | datetime | pd.Timestamp | None, form: str | None) -> pd.DataFrame:
    if isinstance(frame_or_store, pd.DataFrame):
        df = frame_or_store
        if since is not None:
            ts = pd.Timestamp(since)
            ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
            df = df[df["created_at"] >= ts]
        if form is not None:
            df = df[df["lead_form_id"] == str(form)]
        return df
    if frame_or_store is None or isinstance(frame_or_store, LeadStore):
        return read_leads(frame_or_store, since=since, form=form)
    with LeadStore(frame_or_store) as store:  # a path to a store
        return read_leads(store, since=since, form=form)


def crm_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (a :func:`read_leads` frame) with ``created_at`` as ``created_at_utc`` (naive ISO text)
    and every other column as text (``""`` for missing)."""
    out = df.copy()
    if "created_at" in out.columns:
        created = pd.to_datetime(out.pop("created_at"), utc=True)
        iso = created.dt.tz_convert("UTC").dt.tz_localize(None).dt.strftime("%Y-%m-%dT%H:%M:%S")
        position = min(len(ID_COLUMNS), len(out.columns))
        out.insert(position, "created_at_utc", iso.astype("string"))
    for c in out.columns:
        out[c] = out[c].astype("string").fillna("")
    return out


def export_leads(frame_or_store: pd.DataFrame | LeadStore | str | os.PathLike | None, path: str | os.PathLike, *,
                 since: str | date | datetime | pd.Timestamp | None = None, form: str | None = None) -> Path:
    """Write leads to ``path`` (``.csv`` or ``.xlsx``) for a CRM import; the path written.

    ``frame_or_store``: a :func:`read_leads` frame, a :class:`LeadStore`, a store's path, or
    ``None`` for the default store. ``since`` (naive = UTC) and ``form`` (a lead form id) filter.
    The parent folder is created. An empty selection still writes the header row. The file is
    readable by its owner only (0600).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot export leads to {path.name!r}: the file must end in .csv or .xlsx")
    df = crm_frame(_frame(frame_or_store, since, None if form is None else str(form)))
    if suffix == ".csv":
        to_csv(df, path)
    else:
        to_excel(df, path, sheet_name="leads")
    return path
