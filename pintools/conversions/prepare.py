"""From an analyst's DataFrame to checked, hashed Conversions API events — without sending.

:func:`prepare_conversions` maps the frame's columns onto the event fields
(:mod:`~pintools.conversions.columns`), reads each column one way
(:mod:`~pintools.conversions.values`, :mod:`~pintools.conversions.money`,
:mod:`~pintools.conversions.times`), normalises and hashes user data
(:mod:`~pintools.conversions.hashing`), and checks every row
(:mod:`~pintools.conversions.checks`). The result is a *prepared frame*: one row per input
row (same index), one column per payload field (``event_name``, ``user_data.em``,
``custom_data.value``…) holding what will be sent, plus ``problems`` (why a row cannot be
sent), ``warnings`` and ``duplicate_of`` (the row an exact copy is sent as; the copy itself is
not sent). Raw PII is not in it: hashed fields hold SHA-256 hex, and messages never quote them.

>>> orders = pd.DataFrame({"order_id": ["A-1"], "email": [" Jo@Example.com"], "total": [59.5],
...                        "currency": ["usd"], "order_date": ["2026-11-14T10:00:00Z"]})
>>> prepared = prepare_conversions(orders, event_name="checkout", action_source="offline",
...                                now="2026-11-15T12:00:00Z")
>>> prepared.loc[0, ["event_id", "event_time", "custom_data.value", "custom_data.currency"]].astype(str).tolist()
['A-1', '1794650400', '59.5', 'USD']
>>> prepared["user_data.em"].iloc[0] == sha256_hex("jo@example.com"), prepared.problems.isna().all()
(True, np.True_)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .checks import Issues, check_rows, label
from .columns import map_columns
from .consent import apply_consent
from .context import RULES as CONTEXT_RULES
from .context import context_column
from .dtypes import TEXT
from .fields import FIELDS
from .hashing import sha256_hex
from .money import decimal_text, from_micro, money_column
from .times import event_times, now_seconds
from .userdata import UserData
from .values import contents, filled, id_column, plain, recase, string_lists

#: pintools' rule, not Pinterest's: neither the spec nor the documents we have state an oldest
#: ``event_time``. Events older than this are refused here (``max_age`` changes it, None lifts it)
#: and the last day before the edge gets a warning.
DEFAULT_MAX_AGE = dt.timedelta(days=7)
PREPARED_MARK = "pintools.conversions.prepared"


class ConversionsInvalid(ValueError):
    """Some rows cannot be sent. ``problems`` is a frame (index = the input rows) of what is wrong.

    >>> err = ConversionsInvalid(pd.DataFrame({"problems": ["event_id is missing"]}, index=[4]), total=10)
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    1 of 10 events cannot be sent: row 4: event_id is missing. See them all with
    prepare_conversions(df).query('problems.notna()'), or send the others with on_invalid='skip'.
    """

    def __init__(self, problems: pd.DataFrame, total: int) -> None:
        self.problems = problems
        shown = "; ".join(f"row {label}: {text}" for label, text in problems["problems"].head(5).items())
        more = f" (and {len(problems) - 5} more rows)" if len(problems) > 5 else ""
        super().__init__(
            f"{len(problems):,} of {total:,} events cannot be sent: {shown}{more}. See them all with "
            f"prepare_conversions(df).query('problems.notna()'), or send the others with on_invalid='skip'."
        )


def prepare_conversions(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str | None] | None = None,
    event_name: str | None = None,
    action_source: str | None = None,
    currency: str | None = None,
    default_region: str = "US",
    timezone: str = "UTC",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    now: Any = None,
    max_age: dt.timedelta | None = DEFAULT_MAX_AGE,
    workers: int = 1,
    consent=None,
    client=None,
) -> pd.DataFrame:
    """Map, normalise, hash and check events; nothing is sent.

    ``columns`` maps your column names to event fields (``{"Customer Email": "em",
    "Order Total": "value"}``; ``None`` ignores a column); without it common names are
    recognised (``email``, ``phone``, ``first_name``, ``order_date``, ``revenue``… see
    :data:`pintools.conversions.fields`), and columns named like fields (``user_data.em``)
    map themselves. ``event_name``, ``action_source`` and ``currency`` fill rows (or frames)
    that lack them. ``default_region`` reads national phone numbers (a row's ``country`` wins);
    naive times are in ``timezone``. Slash dates (``11/10/2026``) are read one way per column:
    ``date_format="%d/%m/%Y %H:%M"`` or ``dayfirst=True``/``False`` says which, else the rows
    that can only be read one way decide, and a column that cannot be decided is refused. ``now``
    (default: the API's clock) and ``max_age`` bound ``event_time``: 7 days by default, pintools'
    rule (Pinterest's spec states no oldest event time; ``max_age=None`` lifts it, and
    Pinterest's own answer per event then decides). ``workers=n`` hashes emails and phone numbers in
    ``n`` processes (one of them this one; the result is the same). The default, 1, stays in this
    process: only the hashing runs in parallel (about 40% of the work), and the workers cost
    CPU of their own (forking, sending hashes back), so ``workers=2`` shortens a large call
    only when a CPU core is idle; on a busy or shared machine it is slower.
    Unknown fields (``custom_data.custom_event_name``) raise ``ValueError``. ``consent`` says which
    rows may be sent (a column name, ``True``, a mapping of value → verdict or a
    :class:`~pintools.conversions.consent.ConsentRule`; by default a column named ``consent``,
    ``consent_categories``… is read): the frame gets a ``consent`` column (NA = no information) and
    ``attrs["consent"]`` stating the basis; CCPA columns (``do_not_sell``, ``us_privacy``…) set
    ``opt_out`` and ``custom_data.opt_out_type`` "LDP" (see :mod:`~pintools.conversions.consent`).

    Values are sent as they are: ids from number columns as whole numbers (``1001``, never
    ``1001.0``), money as exact decimals (see :mod:`~pintools.conversions.money`). Rows sharing
    an ``event_id`` are refused naming each other, unless they are exact copies: then the first
    is sent once, and the copies are marked ``duplicate_of`` it (with a warning on both).

    Returns the prepared frame described in the module docstring; rows with ``problems`` are
    not sendable. ``event_id`` defaults to ``custom_data.order_id`` when there is no event id
    column, so re-sending the same orders is deduplicated by Pinterest.

    >>> df = pd.DataFrame({"event_id": ["e1"], "ip": ["203.0.113.5"], "user_agent": ["Mozilla/5.0"],
    ...                    "event_time": [1763200000]})
    >>> p = prepare_conversions(df, event_name="page_visit", action_source="web", now=1763200100)
    >>> p["user_data.client_ip_address"].iloc[0], p.problems.iloc[0]
    ('203.0.113.5', <NA>)
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"prepare_conversions needs a pandas DataFrame, got {type(df).__name__}")
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a whole number of processes, 1 or more; got {workers!r}")
    if date_format is not None and dayfirst is not None:
        raise ValueError("pass date_format= or dayfirst=, not both (a date_format already fixes the order)")
    sources, unused = map_columns(df, columns)
    now_ts = now_seconds(now, client)
    out = pd.DataFrame(index=df.index)
    issues = Issues(df.index)
    column_of = {path: cols[0] for path, cols in sources.items()}

    out["event_name"] = filled(df, column_of.get("event_name"), event_name, lower=True)
    out["action_source"] = filled(df, column_of.get("action_source"), action_source, lower=True)
    out["event_time"] = event_times(df, column_of.get("event_time"), timezone, issues,
                                    date_format=date_format, dayfirst=dayfirst)
    order_ids = _column(df, column_of, "custom_data.order_id", issues, id_column)
    event_ids = _column(df, column_of, "event_id", issues, id_column)
    if event_ids is None:  # the order id, so that re-sending the same orders is deduplicated
        event_ids = order_ids if order_ids is not None else pd.Series(pd.NA, index=df.index, dtype=TEXT)
    out["event_id"] = event_ids
    for path, field in FIELDS.items():
        if path not in out and "." not in path and path in sources:
            out[path] = plain(df[column_of[path]], path, field.kind, issues, label(path, column_of[path]))
    with UserData(df, sources, default_region, issues, int(workers)) as hashing:  # in workers, meanwhile:
        place = len(out.columns)
        _custom_data(df, column_of, out, issues, currency, order_ids)
        for path in (p for p in CONTEXT_RULES if p in sources):  # app_info / device_info (5.23): .context
            out[path] = context_column(df[column_of[path]], path, issues.error, label(path, column_of[path]))
        user_data, worker_cpu = hashing.finish()
    for offset, (path, values) in enumerate(user_data.items()):
        out.insert(place + offset, path, values)

    duplicate_of = check_rows(out, issues, now_ts, max_age)
    out["problems"] = issues.errors
    out["warnings"] = issues.warnings
    out["duplicate_of"] = duplicate_of
    out.attrs[PREPARED_MARK] = True
    out.attrs["columns"] = {path: cols if len(cols) > 1 else cols[0] for path, cols in sources.items()}
    out.attrs["unused_columns"] = unused
    out.attrs["worker_cpu_seconds"] = round(worker_cpu, 3)
    return apply_consent(out, df, consent)


def is_prepared(frame: pd.DataFrame) -> bool:
    """True for a frame made by :func:`prepare_conversions` (or read back from a dead letter).

    >>> is_prepared(pd.DataFrame())
    False
    """
    return bool(frame.attrs.get(PREPARED_MARK)) and "problems" in frame


def _column(df: pd.DataFrame, column_of: dict, path: str, issues: Issues, read) -> pd.Series | None:
    if path not in column_of:
        return None
    return read(df[column_of[path]], issues, label(path, column_of[path]))


def _custom_data(df: pd.DataFrame, column_of: dict, out: pd.DataFrame, issues: Issues, currency: str | None,
                 order_ids: pd.Series | None) -> None:
    if "custom_data.currency" in column_of or currency is not None:
        out["custom_data.currency"] = recase(filled(df, column_of.get("custom_data.currency"), currency,
                                                    lower=False), str.upper)
    if "custom_data.value" in column_of:
        out["custom_data.value"] = _column(df, column_of, "custom_data.value", issues, money_column)
    elif "custom_data.value_micro" in column_of:
        column = column_of["custom_data.value_micro"]
        out["custom_data.value"] = from_micro(df[column], issues, label("custom_data.value", column))
    if order_ids is not None:
        out["custom_data.order_id"] = order_ids
    for path, field in FIELDS.items():
        if not path.startswith("custom_data.") or path in out or path not in column_of:
            continue
        name = label(path, column_of[path])
        if field.kind == "str_list":
            out[path] = string_lists(df[column_of[path]], issues, name)
        elif field.kind == "contents":
            out[path] = contents(df[column_of[path]], issues, name)
        else:
            out[path] = plain(df[column_of[path]], path, field.kind, issues, name)


__all__ = ["ConversionsInvalid", "DEFAULT_MAX_AGE", "decimal_text", "is_prepared", "map_columns",
           "prepare_conversions", "sha256_hex"]
