"""Tables for reading, not computing: reasons, problems and messages in full, money in units.

pandas cuts long text at ``display.max_colwidth`` (50 characters) with "…", which hides the
second reason of a blocked row or the fix a conversion problem suggests. :func:`readable` shows a
frame as a Styler instead: every text column in full and wrapped (HTML-escaped), money columns in
currency units beside their ``currency``, other decimals without padding zeros, missing values as a
dash. The frame itself is not changed.

>>> import pandas as pd
>>> frame = pd.DataFrame({"event_id": ["A"], "problems": ["x" * 80 + " and the second reason"]})
>>> "the second reason" in readable(frame).to_html()
True
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from .frames.money import in_currency_units, money_columns, unit_name

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

#: how a wrapped column looks (pintools' choice): wrap at spaces, or anywhere in a long token
WRAP_STYLE = {"white-space": "pre-wrap", "overflow-wrap": "anywhere", "text-align": "left",
              "max-width": "42em"}


def text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns holding text (``string`` or ``object`` dtype).

    >>> text_columns(pd.DataFrame({"a": ["x"], "n": [1]}))
    ['a']
    """
    return [c for c in frame.columns
            if pd.api.types.is_string_dtype(frame[c]) or pd.api.types.is_object_dtype(frame[c])]


def _money_text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    units = Decimal(str(value)).normalize()
    exponent = units.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{units:,.{places}f}"


def _number_text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{Decimal(str(round(float(value), 6))).normalize():,f}"


def readable(frame: pd.DataFrame, *, wrap: list[str] | None = None) -> "Styler":
    """``frame`` as a table to read in a notebook or an HTML export: the ``wrap`` columns
    (default: every text column) shown in full and wrapped — never cut with "…" — and, when the
    frame has a ``currency`` column, money columns in currency units (``bid_in_micro_currency``
    → ``bid``, every significant digit, at least two decimals). Returns a pandas ``Styler``
    (``.to_html()``, ``.to_excel()``); the data underneath stay in micros.

    >>> frame = pd.DataFrame({"bid_in_micro_currency": pd.array([605_000], dtype="Int64"), "currency": ["USD"]})
    >>> "0.605" in readable(frame).to_html()
    True
    """
    money = [unit_name(c) for c in money_columns(frame)] if "currency" in frame.columns else []
    shown = in_currency_units(frame) if money else frame
    wrap = text_columns(shown) if wrap is None else list(wrap)
    unknown = [c for c in wrap if c not in shown.columns]
    if unknown:
        raise ValueError(f"readable(wrap=...): no column {unknown[0]!r}; the columns are {list(shown.columns)}")
    numbers = {c: _number_text for c in shown.columns if pd.api.types.is_float_dtype(shown[c])}
    numbers.update({c: _money_text for c in money if c in shown.columns})
    styler = shown.style.format(numbers, na_rep="—", escape="html")
    return styler.set_properties(subset=wrap, **WRAP_STYLE) if wrap else styler
