"""From an analyst's DataFrame to checked, hashed Conversions API events — without sending.

:func:`prepare_conversions` maps the frame's columns onto the event fields
(:mod:`pintools.conversions.fields`), normalises and hashes user data
(:mod:`pintools.conversions.hashing`), and checks every row against what the spec and
Pinterest accept. The result is a *prepared frame*: one row per input row (same index), one
column per payload field (``event_name``, ``user_data.em``, ``custom_data.value``…) holding
what will be sent, plus ``problems`` (why a row cannot be sent) and ``warnings``. Raw PII is
not in it: hashed fields hold SHA-256 hex, and messages never quote them.

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
import difflib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .context import RULES as CONTEXT_RULES
from .context import context_column
from .fields import (
    ACTION_SOURCES,
    CONTENT_FIELDS,
    EVENT_NAMES,
    FIELDS,
    HASHED,
    VALUE_MICRO_COLUMNS,
    column_key,
    looks_like_field_path,
    resolve_alias,
)
from .hashing import PROBLEMS, normalise_and_hash, normalise_country, sha256_hex, trimmed_strings

#: pintools' rule, not Pinterest's: neither the spec nor the documents we have state an oldest
#: ``event_time``. Events older than this are refused here (``max_age`` changes it, None lifts it)
#: and the last day before the edge gets a warning.
DEFAULT_MAX_AGE = dt.timedelta(days=7)
AGE_WARNING_MARGIN = dt.timedelta(days=1)
#: Clock skew tolerated before an event counts as "in the future".
FUTURE_TOLERANCE = dt.timedelta(seconds=60)
PREPARED_MARK = "pintools.conversions.prepared"

_DECIMAL = r"-?\d+(\.\d+)?"
_CONTENT_ALIASES = {"product_id": "id", "sku": "id", "price": "item_price", "unit_price": "item_price",
                    "name": "item_name", "category": "item_category", "brand": "item_brand", "qty": "quantity"}


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
    now: Any = None,
    max_age: dt.timedelta | None = DEFAULT_MAX_AGE,
    client=None,
) -> pd.DataFrame:
    """Map, normalise, hash and check events; nothing is sent.

    ``columns`` maps your column names to event fields (``{"Customer Email": "em",
    "Order Total": "value"}``; ``None`` ignores a column); without it common names are
    recognised (``email``, ``phone``, ``first_name``, ``order_date``, ``revenue``… see
    :data:`pintools.conversions.fields`), and columns named like fields (``user_data.em``)
    map themselves. ``event_name``, ``action_source`` and ``currency`` fill rows (or frames)
    that lack them. ``default_region`` reads national phone numbers (a row's ``country`` wins);
    naive times are in ``timezone``. ``now`` (default: the API's clock) and ``max_age`` bound
    ``event_time``: 7 days by default, pintools' rule (Pinterest's spec states no oldest event time;
    ``max_age=None`` lifts it, and Pinterest's own answer per event then decides). Unknown fields
    (``custom_data.custom_event_name``) raise ``ValueError``.

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
    sources, unused = map_columns(df, columns)
    now_ts = _now_seconds(now, client)
    out = pd.DataFrame(index=df.index)
    issues = _Issues(df.index)

    def column_of(path: str) -> str | None:
        return sources[path][0] if path in sources else None

    # -- event fields -------------------------------------------------------------------
    out["event_name"] = _filled(df, column_of("event_name"), event_name, lower=True)
    out["action_source"] = _filled(df, column_of("action_source"), action_source, lower=True)
    out["event_time"] = _event_times(df, column_of("event_time"), timezone, issues)
    order_ids = _text(df[column_of("custom_data.order_id")]) if "custom_data.order_id" in sources else None
    if "event_id" in sources:
        out["event_id"] = _text(df[column_of("event_id")])
    else:
        out["event_id"] = order_ids if order_ids is not None else pd.Series(pd.NA, index=df.index, dtype="string")
    for path, field in FIELDS.items():
        if path in out or "." in path or path not in sources:
            continue
        out[path] = _plain(df[column_of(path)], path, field.kind, issues, _label(path, column_of(path)))

    # -- user_data ----------------------------------------------------------------------
    regions = None
    if "user_data.country" in sources:
        # the region of a national phone number is the row's country as user_data.country reads it
        countries = _text(df[column_of("user_data.country")])
        codes = {v: (normalise_country(v) or "").upper() or None for v in countries.dropna().unique()}
        regions = countries.map(codes).astype("string")
    for name in HASHED:
        path = "user_data." + name
        if path in sources:
            out[path] = _hashed(df, sources[path], name, regions, default_region, issues)
    for path in ("user_data.client_ip_address", "user_data.client_user_agent", "user_data.click_id",
                 "user_data.partner_id"):
        if path in sources:
            out[path] = _text(df[column_of(path)])

    # -- custom_data ----------------------------------------------------------------------
    if "custom_data.currency" in sources or currency is not None:
        out["custom_data.currency"] = _recase(_filled(df, column_of("custom_data.currency"), currency, lower=False),
                                              str.upper)
    if "custom_data.value" in sources:
        out["custom_data.value"] = _decimal(df[column_of("custom_data.value")], issues,
                                            _label("custom_data.value", column_of("custom_data.value")))
    elif "custom_data.value_micro" in sources:
        out["custom_data.value"] = _from_micro(df[column_of("custom_data.value_micro")], issues,
                                               _label("custom_data.value", column_of("custom_data.value_micro")))
    if order_ids is not None:
        out["custom_data.order_id"] = order_ids
    for path, field in FIELDS.items():
        if not path.startswith("custom_data.") or path in out or path not in sources:
            continue
        label = _label(path, column_of(path))
        if field.kind == "str_list":
            out[path] = _string_lists(df[column_of(path)])
        elif field.kind == "contents":
            out[path] = _contents(df[column_of(path)], issues, label)
        else:
            out[path] = _plain(df[column_of(path)], path, field.kind, issues, label)
    for path in (p for p in CONTEXT_RULES if p in sources):  # app_info / device_info (5.23): .context
        out[path] = context_column(df[column_of(path)], path, issues.error, _label(path, column_of(path)))

    _check_rows(out, issues, now_ts, max_age)
    out["problems"] = issues.errors
    out["warnings"] = issues.warnings
    out.attrs[PREPARED_MARK] = True
    out.attrs["columns"] = {path: cols if len(cols) > 1 else cols[0] for path, cols in sources.items()}
    out.attrs["unused_columns"] = unused
    return out


def is_prepared(frame: pd.DataFrame) -> bool:
    """True for a frame made by :func:`prepare_conversions` (or read back from a dead letter).

    >>> is_prepared(pd.DataFrame())
    False
    """
    return bool(frame.attrs.get(PREPARED_MARK)) and "problems" in frame


def map_columns(df: pd.DataFrame, columns: Mapping[str, str | None] | None = None
                ) -> tuple[dict[str, list[str]], list[str]]:
    """``({field path: [columns]}, unused columns)`` for a frame; explicit ``columns`` win.

    Several columns may feed one hashed field (``email`` and ``email_2`` → ``user_data.em``);
    any other field fed twice, an unknown field, or an explicit column that is not in the
    frame raises ``ValueError`` naming it (with the closest valid names).

    >>> map_columns(pd.DataFrame(columns=["Email", "Order Total", "notes"]))
    ({'user_data.em': ['Email'], 'custom_data.value': ['Order Total']}, ['notes'])
    """
    explicit = dict(columns or {})
    missing = [c for c in explicit if c not in df.columns]
    if missing:
        raise ValueError(f"columns= names {missing} but the frame has no such column; its columns: {list(df.columns)}")
    sources: dict[str, list[str]] = {}
    unused: list[str] = []
    for column in df.columns:
        if column in explicit:
            target = explicit[column]
            if target is None:
                continue
            path = _field_path(target)
            if path is None:
                raise ValueError(f"columns={{{column!r}: {target!r}}}: {target!r} is not a Conversions API field"
                                 f"{_closest(target)}")
        else:
            path = _micro_column(column) or resolve_alias(column) or _numbered_hashed(column)
            if path is None:
                if looks_like_field_path(column):
                    raise ValueError(f"column {column!r} is not a Conversions API field (the spec allows no extra "
                                     f"fields){_closest(column)}")
                unused.append(str(column))
                continue
        sources.setdefault(path, []).append(str(column))
    for path, cols in sources.items():
        if len(cols) > 1 and not (path.startswith("user_data.") and FIELDS[path].kind == "hashed"):
            raise ValueError(f"columns {cols} all map to {path}; choose one with columns={{{cols[1]!r}: None}}")
    if "custom_data.value" in sources and "custom_data.value_micro" in sources:
        raise ValueError(f"both {sources['custom_data.value']} and {sources['custom_data.value_micro']} give the "
                         f"event value; drop one with columns={{name: None}}")
    return sources, unused


def _numbered_hashed(column: object) -> str | None:
    """``email_2``, ``Phone 3``: a numbered extra column of a hashed user_data field."""
    base = re.sub(r"[\s_\-]*\d+$", "", str(column).strip())
    path = resolve_alias(base) if base and base != str(column).strip() else None
    return path if path is not None and FIELDS[path].kind == "hashed" else None


def _micro_column(column: object) -> str | None:
    return "custom_data.value_micro" if column_key(column) in VALUE_MICRO_COLUMNS else None


def _field_path(target: str) -> str | None:
    if target in FIELDS or target == "custom_data.value_micro":
        return target
    return _micro_column(target) or resolve_alias(target)


def _closest(name: object) -> str:
    names = list(FIELDS) + [p.rsplit(".", 1)[-1] for p in FIELDS]
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else f"; fields: {', '.join(FIELDS)}"


def _label(path: str, column: str | None) -> str:
    return path if column is None or column == path else f"{path} (column {column!r})"


class _Issues:
    """Per-row error and warning texts, joined with "; "; cheap when rows are clean.

    ``text`` is a string, or a function of the boolean row mask returning one message per
    masked row (so messages that quote a value are only built for the rows that need them).
    """

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self._errors = np.full(len(index), None, dtype=object)
        self._warnings = np.full(len(index), None, dtype=object)

    @staticmethod
    def _add(target: np.ndarray, where, text) -> None:
        mask = where.fillna(False).to_numpy(bool) if isinstance(where, pd.Series) else np.asarray(where, dtype=bool)
        if not mask.any():
            return
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
        return np.array([e is not None and word in e for e in self._errors], dtype=bool)

    @property
    def errors(self) -> pd.Series:
        return pd.Series(pd.array(self._errors, dtype="string"), index=self.index)

    @property
    def warnings(self) -> pd.Series:
        return pd.Series(pd.array(self._warnings, dtype="string"), index=self.index)


def _text(values: pd.Series) -> pd.Series:
    """Trimmed strings (``string`` dtype); blanks and missing values are NA."""
    return pd.Series(pd.array(trimmed_strings(values), dtype="string"), index=values.index)


def _filled(df: pd.DataFrame, column: str | None, default: str | None, *, lower: bool) -> pd.Series:
    if column is None:  # the same value for every row
        value = pd.NA if default is None else (default.lower() if lower else default)
        return pd.Series(value, index=df.index, dtype="string")
    values = _text(df[column])
    if lower:
        values = _recase(values, str.lower)
    if default is not None:
        values = values.fillna(default.lower() if lower else default)
    return values


def _recase(values: pd.Series, change) -> pd.Series:
    """``str.lower``/``str.upper`` once per distinct value (these columns repeat a few values)."""
    return values.map({v: change(v) for v in values.dropna().unique()}).astype("string")


def _now_seconds(now: Any, client) -> int:
    if now is None:
        from ..client import default_client

        now = (client or default_client()).now()
    if isinstance(now, (int, float, np.integer)):
        return int(now)
    stamp = pd.Timestamp(now)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return int(stamp.timestamp())


_EPOCH = r"\d{9,13}(?:\.\d*)?"  # Unix seconds (or milliseconds, refused below), "1794744000.0" too


def _event_times(df: pd.DataFrame, column: str | None, timezone: str, issues: _Issues) -> pd.Series:
    """Unix seconds (``Int64``) from datetimes, ISO strings or epoch numbers; naive times are in
    ``timezone``."""
    if column is None:
        return pd.Series(pd.NA, index=df.index, dtype="Int64")
    values = df[column]
    label = _label("event_time", column)
    if pd.api.types.is_datetime64_any_dtype(values):
        return _seconds(values, timezone)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce")
    else:
        text = _text(values)
        present = text.notna()
        numbers = pd.Series(np.nan, index=df.index, dtype="Float64")
        epoch = pd.Series(False, index=df.index)
        head = text.dropna().head(50)
        if len(head) and head.str.fullmatch(_EPOCH).all():  # a column of epoch numbers
            epoch = present & text.str.fullmatch(_EPOCH).fillna(False).astype(bool)
        dated = present & ~epoch
        if dated.any():
            numbers[dated] = _parse_times(text[dated], timezone)
            unparsed = dated & numbers.isna()
            if unparsed.any():  # a few epoch numbers among dates
                epoch |= unparsed & text.where(unparsed).str.fullmatch(_EPOCH).fillna(False).astype(bool)
        numbers[epoch] = pd.to_numeric(text[epoch])
        issues.error(present & numbers.isna(), f"{label} is not a date and time")
    millis = numbers > 10**11
    issues.error(millis, f"{label} looks like milliseconds; give Unix seconds")
    return numbers.mask(millis).round().astype("Int64")


def _parse_times(text: pd.Series, timezone: str) -> pd.Series:
    """Seconds from date/time strings: ISO 8601 on the fast path, other layouts after. Times
    with an offset or "Z" keep it; naive ones are in ``timezone``."""
    if timezone.upper() == "UTC":  # naive and aware parse the same way
        groups = [(pd.Series(True, index=text.index), True)]
    else:
        aware = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).astype(bool)
        groups = [(aware, True), (~aware, False)]
    out = pd.Series(np.nan, index=text.index, dtype="Float64")
    for mask, utc in groups:
        if not mask.any():
            continue
        part = text[mask]
        stamps = pd.to_datetime(part, errors="coerce", utc=utc, format="ISO8601")
        retry = stamps.isna()
        if retry.any():
            stamps = stamps.astype(object)
            stamps[retry] = pd.to_datetime(part[retry], errors="coerce", utc=utc, format="mixed")
            stamps = pd.to_datetime(stamps, utc=utc)
        out[mask] = _seconds(stamps, timezone).astype("Float64")
    return out


def _seconds(stamps: pd.Series, timezone: str) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is None:
        stamps = stamps.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    seconds = stamps.dt.tz_convert("UTC").dt.floor("s").dt.as_unit("s").astype("int64")
    return seconds.astype("Int64").mask(stamps.isna())


def _plain(values: pd.Series, path: str, kind: str, issues: _Issues, label: str) -> pd.Series:
    if kind == "int":
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & (numbers.isna() | (numbers % 1 != 0) | (numbers < 0))
        issues.error(bad, f"{label} is not a whole number")
        return numbers.mask(bad).astype("Int64")
    if kind == "bool":
        text = _text(values).str.lower()
        mapped = text.map({"true": True, "1": True, "yes": True, "y": True, "false": False, "0": False,
                           "no": False, "n": False, "1.0": True, "0.0": False})
        issues.error(text.notna() & mapped.isna(), f"{label} is not true or false")
        return mapped.astype("boolean")
    if kind == "decimal":
        return _decimal(values, issues, label)
    text = _text(values)
    if path == "language":
        text = text.str.lower()
        issues.warn(text.notna() & ~text.str.fullmatch(r"[a-z]{2}").fillna(False).astype(bool),
                    f"{label} is not a two-letter ISO-639-1 code")
    if path == "partner_name":
        issues.warn(text.notna() & ~text.str.startswith("ss-").fillna(False).astype(bool),
                    f"{label} should look like 'ss-partnername' (lower case)")
    return text


def _decimal(values: pd.Series, issues: _Issues, label: str) -> pd.Series:
    """Decimal strings: numbers as their shortest exact text, strings checked (``12,99`` refused)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = pd.to_numeric(values)
        finite = numbers.notna() & np.isfinite(numbers.astype("float64"))
        issues.error(numbers.notna() & ~finite, f"{label} is not a finite number")
        cells = numbers.astype("float64").astype(str).tolist() if numbers.dtype.kind == "f" \
            else numbers.astype(str).tolist()
        text = pd.Series(pd.array([decimal_text(t) for t in cells], dtype="string"), index=values.index)
        return text.where(finite)
    text = _text(values)
    bad = text.notna() & ~text.str.fullmatch(_DECIMAL).fillna(False).astype(bool)
    comma = bad & text.str.fullmatch(r"-?\d+,\d+").fillna(False).astype(bool)
    issues.error(comma, f"{label} has a decimal comma; write it with a dot")
    issues.error(bad & ~comma, lambda rows: [f"{label} '{v}' is not a decimal number" for v in text[rows]])
    return text.mask(bad)


def decimal_text(value) -> str | None:
    """A number (or a float's text) as the decimal string the API takes: its shortest exact form,
    no exponent, no trailing ".0"; NaN and infinities are None.

    >>> decimal_text(59.5), decimal_text(20), decimal_text("5.0"), decimal_text(1e-05), decimal_text(float("nan"))
    ('59.5', '20', '5', '0.00001', None)
    """
    text = value if isinstance(value, str) else repr(float(value))
    if text in ("nan", "inf", "-inf"):
        return None
    if "e" in text:
        return np.format_float_positional(float(text), trim="-")
    return text[:-2] if text.endswith(".0") else text


def _from_micro(values: pd.Series, issues: _Issues, label: str) -> pd.Series:
    """Exact integer micro-currency → decimal string (``59500000`` → ``"59.5"``)."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & (numbers.isna() | (numbers % 1 != 0))
    issues.error(bad, f"{label} is not a whole number of micro-units")
    ints = numbers.mask(bad).astype("Int64")
    sign = ints.lt(0).map({True: "-", False: ""}).astype("string")
    magnitude = ints.abs()
    whole = (magnitude // 1_000_000).astype("string")
    frac = (magnitude % 1_000_000).astype("string").str.zfill(6).str.rstrip("0")
    text = sign + whole + ("." + frac).where(frac != "", "")
    return text.where(ints.notna())


def _string_lists(values: pd.Series) -> pd.Series:
    """Lists of strings, from list cells or "A, B | C" text."""
    def one(cell):
        if isinstance(cell, (list, tuple, np.ndarray)):
            items = [str(v).strip() for v in cell if v is not None and str(v).strip()]
        elif cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NA:
            return None
        else:
            items = [part.strip() for part in re.split(r"[,|;]", str(cell)) if part.strip()]
        return items or None

    return values.map(one).astype(object)


def _contents(values: pd.Series, issues: _Issues, label: str) -> pd.Series:
    """``contents`` lists: each item a mapping of the six allowed keys (common aliases understood)."""
    import json

    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    for position, cell in enumerate(values.tolist()):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        if isinstance(cell, str):
            try:
                cell = json.loads(cell)
            except ValueError:
                issues.error(_at(values, position), f"{label} is not a JSON list of products")
                continue
        if isinstance(cell, Mapping):
            cell = [cell]
        if not isinstance(cell, (list, tuple)):
            issues.error(_at(values, position), f"{label} is not a list of products")
            continue
        items, problems = [], []
        for n, item in enumerate(cell):
            if not isinstance(item, Mapping):
                problems.append(f"{label}[{n}] is not an object")
                continue
            clean = {}
            for key, value in item.items():
                name = _CONTENT_ALIASES.get(str(key), str(key))
                if name not in CONTENT_FIELDS:
                    problems.append(f"{label}[{n}] has unknown field {key!r} (allowed: {', '.join(CONTENT_FIELDS)})")
                    continue
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    continue
                kind = CONTENT_FIELDS[name]
                if kind == "decimal":
                    text = (decimal_text(value) or "") if isinstance(value, (int, float)) else str(value).strip()
                    if not re.fullmatch(_DECIMAL, text):
                        problems.append(f"{label}[{n}].{name} '{text}' is not a decimal number")
                        continue
                    value = text
                elif kind == "int":
                    try:
                        value = int(value)
                    except (TypeError, ValueError):
                        problems.append(f"{label}[{n}].{name} is not a whole number")
                        continue
                else:
                    value = str(value)
                clean[name] = value
            items.append(clean)
        if problems:
            issues.error(_at(values, position), "; ".join(problems))
        else:
            out.iloc[position] = items
    return out


def _at(values: pd.Series, position: int) -> np.ndarray:
    mask = np.zeros(len(values), dtype=bool)
    mask[position] = True
    return mask


def _hashed(df: pd.DataFrame, columns: list[str], name: str, regions, default_region: str,
            issues: _Issues) -> pd.Series:
    """Hashes for one user_data field: a string per row, or a tuple when a row has several."""
    parts = []
    for column in columns:
        values = df[column]
        if values.dtype == object and values.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            values = values.explode()
        hashes, problems = normalise_and_hash(values, name, regions=regions.reindex(values.index)
                                              if regions is not None and name == "ph" else None,
                                              default_region=default_region)
        refused = problems.notna()
        if refused.any():
            rows = df.index.isin(values.index[refused.to_numpy()])
            issues.warn(rows, f"{_label('user_data.' + name, column)} {PROBLEMS[name]}; left out")
        if len(columns) == 1 and not values.index.has_duplicates:
            return hashes
        parts.append(hashes.dropna())
    long = pd.concat(parts) if len(parts) > 1 else parts[0]
    if not long.index.has_duplicates:
        return long.reindex(df.index)
    long = long[~pd.DataFrame({"row": long.index, "hash": long.to_numpy()}).duplicated().to_numpy()]
    if not long.index.has_duplicates:
        return long.reindex(df.index)
    grouped = long.groupby(level=0, sort=False).agg(tuple)
    single = grouped.map(len) == 1
    grouped[single] = grouped[single].map(lambda t: t[0])
    return grouped.reindex(df.index).astype(object)


def _check_rows(out: pd.DataFrame, issues: _Issues, now: int, max_age: dt.timedelta | None) -> None:
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
    issues.error(ids.isna(), "event_id is missing (give each event a stable id, e.g. its order id, so "
                             "Pinterest can deduplicate)")
    repeated = ids.notna() & ids.duplicated(keep=False)
    if repeated.any():
        labels = pd.Series(out.index.astype(str), index=out.index)[repeated]
        rows_by_id = labels.groupby(ids[repeated]).agg(", ".join)
        issues.error(repeated, lambda rows: [f"event_id '{v}' is repeated (rows {rows_by_id[v]})" for v in ids[rows]])

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


def _check_age(times: pd.Series, issues: _Issues, now: int, max_age: dt.timedelta) -> None:
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


__all__ = ["ConversionsInvalid", "DEFAULT_MAX_AGE", "is_prepared", "map_columns", "prepare_conversions", "sha256_hex"]
