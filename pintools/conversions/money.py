"""Money values (``custom_data.value``, ``predicted_ltv``, ``item_price``) as the exact decimal
strings the API takes.

* Text is read as written, never through a float: ``"12.990"`` is sent as ``"12.990"``.
  Thousands separators and decimal commas are read when the column shows which convention
  it uses (:func:`money_column` decides once per column, from all its rows):
  ``"1,249.00"`` → ``"1249.00"``; in a column of decimal commas ``"1.249,00"`` → ``"1249.00"``
  and ``"12,99"`` → ``"12.99"``. A value the column cannot settle (``"1,249"``: 1249, or
  1.249 with a decimal comma?) and a value in the column's other convention are refused,
  naming the rows that show it.
* Floats carry at most 15 significant decimal digits (what a float64 holds exactly), so a
  float is rounded to 15 significant digits and sent in its shortest form: ``0.1 + 0.2`` →
  ``"0.3"``, ``59.5`` → ``"59.5"``, ``40.0`` → ``"40"``. Integers are sent as they are.

>>> decimal_text(0.1 + 0.2), decimal_text(1249.0), decimal_text("5.0")
('0.3', '1249', '5')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .checks import Issues, rows_text
from .dtypes import TEXT

DECIMAL = re.compile(r"-?\d+(\.\d+)?")
# The shapes a money text may have. "ambiguous" ones read differently under the two conventions.
_POINT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|-?\d{1,3}(?:,\d{3}){2,}")   # 1,249.00  12.5  1,249,000
_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+|-?\d{1,3}(?:\.\d{3}){2,}")  # 1.249,00  12,99  1.249.000
_AMBIGUOUS = re.compile(r"-?[1-9]\d{0,2}([.,])\d{3}")                                # 1,249  1.249
_INTEGER = re.compile(r"-?\d+")


def decimal_text(value) -> str | None:
    """A number (or a number's text) as the decimal string the API takes: no exponent, no
    trailing ".0"; a float rounded to 15 significant digits first (so ``0.1 + 0.2`` is
    ``"0.3"``); NaN and infinities are None.

    >>> decimal_text(59.5), decimal_text(20), decimal_text("5.0"), decimal_text(1e-05), decimal_text(float("nan"))
    ('59.5', '20', '5', '0.00001', None)
    """
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    else:
        number = float(value)
        if not np.isfinite(number):
            return None
        text = repr(float(f"{number:.15g}"))
    if text in ("nan", "inf", "-inf"):
        return None
    if "e" in text:
        return np.format_float_positional(float(text), trim="-")
    return text[:-2] if text.endswith(".0") else text


def _float_texts(numbers: list[float]) -> list[str | None]:
    """:func:`decimal_text` of each float, faster: a float whose shortest form has at most 15
    significant digits (16 characters or fewer, with the point) is already rounded to 15, so its
    ``repr`` is the answer (less a trailing ".0"); the others go through :func:`decimal_text`.

    >>> _float_texts([59.5, 40.0, 0.1 + 0.2, 1e-05, float("nan")])
    ['59.5', '40', '0.3', '0.00001', None]
    """
    out = []
    append = out.append
    for number, text in zip(numbers, map(repr, numbers), strict=True):
        if len(text) <= 16 and "e" not in text and "n" not in text:  # not nan, inf, nor 1e-05
            append(text[:-2] if text[-2:] == ".0" else text)
        else:
            append(decimal_text(number))
    return out


def money_column(values: pd.Series, issues: Issues, label: str) -> pd.Series:
    """Decimal strings (``string`` dtype) for a money column; refused cells are NA with a
    problem naming the row's reason (see the module docstring for the rules).

    >>> issues = Issues(pd.RangeIndex(3))
    >>> money_column(pd.Series(["1.249,00", "12,99", "7"]), issues, "value").tolist()
    ['1249.00', '12.99', '7']
    >>> money_column(pd.Series(["1,249", "7"]), issues, "value").tolist(), issues.errors[0][:30]
    ([<NA>, '7'], "value '1,249' could be 1249 (a")
    """
    if pd.api.types.is_bool_dtype(values):
        issues.error(values.notna(), f"{label} is a true/false column, not an amount")
        return pd.Series(pd.NA, index=values.index, dtype=TEXT)
    if pd.api.types.is_numeric_dtype(values):  # each distinct number formatted once
        codes, uniques = pd.factorize(values.to_numpy() if values.dtype.kind in "iuf"
                                      else values.to_numpy(dtype=object, na_value=np.nan))
        texts = _float_texts(uniques.tolist()) if uniques.dtype.kind == "f" else [decimal_text(v) for v in uniques.tolist()]
        result = np.array(texts + [None], dtype=object)[codes]
        issues.error((codes >= 0) & np.array([t is None for t in texts] + [False])[codes],
                     f"{label} is not a finite number")
        return pd.Series(pd.array(result, dtype=TEXT), index=values.index)
    cells = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    kinds = [_kind(v) for v in uniques]
    if any(k == "bool" for k, _ in kinds):
        bad = np.array([k == "bool" for k, _ in kinds] + [False])[codes]
        issues.error(bad, f"{label} holds true/false values, not amounts")
    convention, evidence = _convention(kinds, codes, values.index)
    texts, reasons = [], []
    for (kind, text), value in zip(kinds, uniques, strict=True):
        out, reason = _read(kind, text, value, convention, evidence, label)
        texts.append(out)
        reasons.append(reason)
    result = np.array(texts + [None], dtype=object)[codes]
    why = np.array(reasons + [None], dtype=object)[codes]
    refused = np.array([r is not None for r in why], dtype=bool)
    issues.error(refused, lambda mask: why[mask].tolist())
    return pd.Series(pd.array(result, dtype=TEXT), index=values.index)


def _kind(value) -> tuple[str, str | None]:
    """(kind, stripped text) of one distinct cell: number, bool, integer, point, comma, ambiguous, other."""
    if isinstance(value, (bool, np.bool_)):
        return "bool", None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "number", None
    text = str(value).strip()
    if not text:
        return "blank", None
    if _INTEGER.fullmatch(text):
        return "integer", text
    if _AMBIGUOUS.fullmatch(text):
        return "ambiguous", text
    if _POINT.fullmatch(text):
        return "point", text
    if _COMMA.fullmatch(text):
        return "comma", text
    return "other", text


def _convention(kinds, codes: np.ndarray, index: pd.Index) -> tuple[str | None, dict[str, list]]:
    """The column's convention ("point", "comma", or None when no row shows one) and the rows
    showing each. A strict majority of comma rows makes it "comma"; otherwise "point" wins."""
    evidence: dict[str, list] = {"point": [], "comma": []}
    for name in evidence:
        chosen = [i for i, (k, _) in enumerate(kinds) if k == name]
        if chosen:
            evidence[name] = list(index[np.isin(codes, chosen)])
    if not evidence["point"] and not evidence["comma"]:
        return None, evidence
    return ("comma" if len(evidence["comma"]) > len(evidence["point"]) else "point"), evidence


def _read(kind: str, text: str | None, value, convention: str | None, evidence: dict,
          label: str) -> tuple[str | None, str | None]:
    """(decimal text, None) or (None, why it is refused) for one distinct cell."""
    if kind == "number":
        out = decimal_text(value)
        return (out, None) if out is not None else (None, f"{label} is not a finite number")
    if kind in ("bool", "blank"):
        return None, None
    if kind == "integer":
        return text, None
    if kind == "other":
        return None, f"{label} '{text}' is not a decimal number"
    if kind == "ambiguous":
        separator = "," if "," in text else "."
        if convention is None and separator == ".":
            return text, None  # the API's own format; a dot is a thousands separator only beside decimal commas
        if convention is None:
            return None, (f"{label} '{text}' could be {text.replace(',', '')} (a thousands separator) or "
                          f"{text.replace(',', '.')} (a decimal comma), and no other row of the column shows "
                          f"which; write it without the separator, or with its decimals (1,249.00 or 1.249,00)")
        grouping = "," if convention == "point" else "."
        return _clean(text, grouping, convention), None
    if kind != convention:
        mark, other = ("decimal comma", "a decimal point") if kind == "comma" else ("decimal point",
                                                                                  "a decimal comma")
        return None, (f"{label} '{text}' has a {mark}, but the column's other values ("
                      f"{rows_text(evidence[convention])}) use {other}; write every value of the column one way")
    return _clean(text, "," if kind == "point" else ".", convention), None


def _clean(text: str, grouping: str, convention: str | None) -> str:
    out = text.replace(grouping, "")
    return out.replace(",", ".") if convention == "comma" else out


def from_micro(values: pd.Series, issues: Issues, label: str) -> pd.Series:
    """Exact integer micro-currency → decimal string (``59500000`` → ``"59.5"``).

    >>> from_micro(pd.Series([59_500_000, -1]), Issues(pd.RangeIndex(2)), "value").tolist()
    ['59.5', '-0.000001']
    """
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & (numbers.isna() | (numbers % 1 != 0))
    issues.error(bad, f"{label} is not a whole number of micro-units")
    ints = numbers.mask(bad).astype("Int64")
    sign = ints.lt(0).map({True: "-", False: ""}).astype(TEXT)
    magnitude = ints.abs()
    whole = (magnitude // 1_000_000).astype(TEXT)
    frac = (magnitude % 1_000_000).astype(TEXT).str.zfill(6).str.rstrip("0")
    text = sign + whole + ("." + frac).where(frac != "", "")
    return text.where(ints.notna())


def is_decimal_text(text: str) -> bool:
    """True for the decimal strings the API takes (``-12.5``, ``40``).

    >>> is_decimal_text("12.5"), is_decimal_text("12,5")
    (True, False)
    """
    return DECIMAL.fullmatch(text) is not None
