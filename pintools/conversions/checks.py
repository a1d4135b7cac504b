"""Per-row checks of a prepared frame: required fields, the event-age window, identifiers, and
repeated event ids (exact copies collapse to one event; conflicting ones are refused).

:class:`Issues` collects the ``problems`` (the row cannot be sent) and ``warnings`` texts of
every row while :func:`~pintools.conversions.prepare.prepare_conversions` works;
:func:`check_rows` adds the checks that need the whole prepared row.

>>> issues = Issues(pd.RangeIndex(2))
>>> issues.error([True, False], "event_id is missing")
>>> issues.errors.tolist()
['event_id is missing', <NA>]
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .dtypes import TEXT
from .fields import ACTION_SOURCES, EVENT_NAMES, FIELDS

#: Clock skew tolerated before an event counts as "in the future".
FUTURE_TOLERANCE = dt.timedelta(seconds=60)
AGE_WARNING_MARGIN = dt.timedelta(days=1)


class Issues:
    """Per-row error and warning texts, joined with "; "; cheap when rows are clean.

    ``text`` is a string, or a function of the boolean row mask returning one message per
    masked row (so messages that quote a value are only built for the rows that need them).

    >>> issues = Issues(pd.Index(["a", "b"]))
    >>> issues.warn(pd.Series([False, True]), lambda rows: ["second row"])
    >>> issues.warnings.tolist()
    [<NA>, 'second row']
    """

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self._errors = np.full(len(index), None, dtype=object)
        self._warnings = np.full(len(index), None, dtype=object)
        self._any = {id(self._errors): False, id(self._warnings): False}  # a text added yet?

    def _add(self, target: np.ndarray, where, text) -> None:
        mask = where.fillna(False).to_numpy(bool) if isinstance(where, pd.Series) else np.asarray(where, dtype=bool)
        if not mask.any():
            return
        self._any[id(target)] = True
        positions = np.flatnonzero(mask)
        messages = list(text(mask)) if callable(text) else [text] * len(positions)
        for position, message in zip(positions, messages, strict=True):
            current = target[position]
            target[position] = message if current is None else f"{current}; {message}"

    def error(self, where, text) -> None:
        self._add(self._errors, where, text)

    def warn(self, where, text) -> None:
        self._add(self._warnings, where, text)

    def rows_mentioning(self, word: str) -> np.ndarray:
        """Rows that already have an error containing ``word``."""
        mask = np.zeros(len(self._errors), dtype=bool)
        if not self._any[id(self._errors)]:
            return mask
        for position in np.flatnonzero(pd.notna(self._errors)):
            mask[position] = word in self._errors[position]
        return mask

    @property
    def errors(self) -> pd.Series:
        return self._texts(self._errors)

    @property
    def warnings(self) -> pd.Series:
        return self._texts(self._warnings)

    def _texts(self, target: np.ndarray) -> pd.Series:
        if not self._any[id(target)]:  # nothing added: all NA, built without looking at each row
            return pd.Series(pd.NA, index=self.index, dtype=TEXT)
        return pd.Series(pd.array(target, dtype=TEXT), index=self.index)


def label(path: str, column: str | None) -> str:
    """How messages name a field: its path, and the user's column when that differs.

    >>> label("custom_data.value", "total")
    "custom_data.value (column 'total')"
    """
    return path if column is None or column == path else f"{path} (column {column!r})"


def rows_text(labels, limit: int = 5) -> str:
    """``"row 3"``, ``"rows 3, 7 and 9"``, or the first ``limit`` rows and how many more.

    >>> rows_text([3]), rows_text([3, 7, 9]), rows_text(range(8))
    ('row 3', 'rows 3, 7 and 9', 'rows 0, 1, 2, 3, 4 and 3 more')
    """
    labels = [str(v) for v in labels]
    if len(labels) > limit:
        return f"rows {', '.join(labels[:limit])} and {len(labels) - limit} more"
    return f"row {labels[0]}" if len(labels) == 1 else f"rows {', '.join(labels[:-1])} and {labels[-1]}"


def check_rows(out: pd.DataFrame, issues: Issues, now: int, max_age: dt.timedelta | None) -> pd.Series:
    """Add the whole-row checks to ``issues``; returns ``duplicate_of`` (see :func:`repeated_ids`).

    >>> out = pd.DataFrame({"event_name": ["lead"], "action_source": ["web"], "event_time": [100],
    ...                     "event_id": ["e1"], "user_data.em": ["a" * 64]})
    >>> issues = Issues(out.index)
    >>> check_rows(out, issues, now=200, max_age=None).tolist(), issues.errors.tolist()
    ([None], [<NA>])
    """
    name = out["event_name"]
    issues.error(name.isna(), "event_name is missing")
    bad = name.notna() & ~name.isin(EVENT_NAMES)
    issues.error(bad, lambda rows: [f"event_name '{v}' is not one of {', '.join(EVENT_NAMES)} (map tracking "
                                    f"names with pt.conversions.map_event_names)" for v in name[rows]])
    source = out["action_source"]
    issues.error(source.isna(), "action_source is missing")
    issues.error(source.notna() & ~source.isin(ACTION_SOURCES),
                 lambda rows: [f"action_source '{v}' is not one of {', '.join(ACTION_SOURCES)}" for v in source[rows]])

    times = out["event_time"]
    issues.error(times.isna().to_numpy() & ~issues.rows_mentioning("event_time"), "event_time is missing")
    future = times > now + int(FUTURE_TOLERANCE.total_seconds())
    issues.error(future, "event_time is in the future")
    if max_age is not None:
        _check_age(times, issues, now, max_age)

    ids = out["event_id"]
    unread = issues.rows_mentioning("event_id") | issues.rows_mentioning("custom_data.order_id")  # said already
    issues.error(ids.isna().to_numpy() & ~unread,
                 "event_id is missing (give each event a stable id, e.g. its order id, so Pinterest can deduplicate)")
    duplicate_of = repeated_ids(out, issues)

    has = {f: out[f"user_data.{f}"].notna() if f"user_data.{f}" in out else pd.Series(False, index=out.index)
           for f in ("em", "hashed_maids", "client_ip_address", "client_user_agent")}
    identified = has["em"] | has["hashed_maids"] | (has["client_ip_address"] & has["client_user_agent"])
    issues.error(~identified, "no identifier: an event needs an email (em), a mobile ad id (hashed_maids), or "
                              "both client_ip_address and client_user_agent")
    if "custom_data.currency" in out:
        currency = out["custom_data.currency"]
        valid = [v for v in currency.dropna().unique() if re.fullmatch(r"[A-Z]{3}", v)]
        issues.error(currency.notna() & ~currency.isin(valid),
                     lambda rows: [f"custom_data.currency '{v}' is not an ISO-4217 code" for v in currency[rows]])
    return duplicate_of


def repeated_ids(out: pd.DataFrame, issues: Issues) -> pd.Series:
    """Rows sharing an ``event_id``: exact copies of an earlier row (the same payload) are sent
    once — the copy's ``duplicate_of`` names the row sent, both rows get a warning — while rows
    whose payloads differ are refused, each naming the others.

    Returns ``duplicate_of`` (object Series: the label of the row sent in its place, or None).

    >>> out = pd.DataFrame({"event_id": ["a", "a", "b", "b"], "custom_data.value": ["1", "1", "1", "2"]})
    >>> issues = Issues(out.index)
    >>> repeated_ids(out, issues).tolist()
    [None, 0, None, None]
    >>> issues.errors.tolist()[2]
    "event_id 'b' is repeated with different content (rows 2 and 3); each event needs its own id"
    """
    ids = out["event_id"]
    duplicate_of = pd.Series([None] * len(out), index=out.index, dtype=object)
    repeated = (ids.notna() & ids.duplicated(keep=False)).to_numpy()
    if not repeated.any():
        return duplicate_of
    payload = [c for c in out.columns if c in FIELDS]
    part = out.loc[repeated, payload]
    labels = out.index[repeated]
    content = [repr(row) for row in part.astype(object).itertuples(index=False, name=None)]
    groups: dict = {}
    for position, (event_id, text) in enumerate(zip(part["event_id"].tolist(), content, strict=True)):
        groups.setdefault(event_id, []).append((position, text))
    conflict = np.zeros(len(out), dtype=bool)
    conflict_text: dict[int, str] = {}
    copy_warning: dict[int, str] = {}
    kept_warning: dict[int, list] = {}
    where = np.flatnonzero(repeated)
    for event_id, members in groups.items():
        rows = [labels[p] for p, _ in members]
        if len({text for _, text in members}) > 1:
            for p, _ in members:
                conflict[where[p]] = True
                conflict_text[where[p]] = (f"event_id '{event_id}' is repeated with different content "
                                           f"({rows_text(rows)}); each event needs its own id")
            continue
        first = members[0][0]
        for p, _ in members[1:]:
            duplicate_of.iloc[where[p]] = labels[first]
            copy_warning[where[p]] = f"exact duplicate of row {labels[first]}; sent once, as row {labels[first]}"
            kept_warning.setdefault(where[first], []).append(labels[p])
    issues.error(conflict, lambda mask: [conflict_text[p] for p in np.flatnonzero(mask)])
    copies = np.zeros(len(out), dtype=bool)
    copies[list(copy_warning)] = True
    issues.warn(copies, lambda mask: [copy_warning[p] for p in np.flatnonzero(mask)])
    kept = np.zeros(len(out), dtype=bool)
    kept[list(kept_warning)] = True
    issues.warn(kept, lambda mask: [f"an exact copy of this event is in {rows_text(kept_warning[p])}; sent "
                                    f"once, as this row" for p in np.flatnonzero(mask)])
    return duplicate_of


def _check_age(times: pd.Series, issues: Issues, now: int, max_age: dt.timedelta) -> None:
    """pintools' own event-age window (the spec states none): an error past it, a warning in its last day."""
    oldest = now - int(max_age.total_seconds())
    too_old = times < oldest
    issues.error(too_old, f"event_time is older than {_days(max_age)} (pintools' rule, not Pinterest's: the spec "
                          f"states no oldest event time; pass max_age to change it, max_age=None to lift it)")
    near = (times >= oldest) & (times < oldest + int(AGE_WARNING_MARGIN.total_seconds()))
    issues.warn(near, f"event_time is within a day of the {_days(max_age)} limit (pintools' rule, max_age); "
                      f"send it soon")


def _days(span: dt.timedelta) -> str:
    days = span.total_seconds() / 86400
    return f"{days:g} days" if days != 1 else "1 day"
