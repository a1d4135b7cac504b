"""Which columns of an analyst's frame feed which Conversions API event fields.

:func:`map_columns` reads column names (``email``, ``Order Total``, ``user_data.em``) against the
catalogue of :mod:`pintools.conversions.fields`; explicit ``columns=`` choices win.

>>> map_columns(pd.DataFrame(columns=["email", "Email 2", "revenue"]))
({'user_data.em': ['email', 'Email 2'], 'custom_data.value': ['revenue']}, [])
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

import pandas as pd

from .fields import FIELDS, VALUE_MICRO_COLUMNS, column_key, looks_like_field_path, resolve_alias


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
