"""Consent and limited data processing: which rows may be sent, and how.

Pinterest's API takes every event it is given; whether a user agreed to advertising
measurement is the sender's business. Consent platforms hand that over per user as a flag
(``true``, ``yes``, ``granted``, ``opt-in``…), as the categories the user accepted (Datafly's
``consent_categories``, ``"advertising,analytics"`` or a list) or as category states
(``"advertising:granted,analytics:denied"``); an event goes to Pinterest only
with the ``advertising`` category, as Datafly's Pinterest integration does. Rows whose verdict is
False are never sent (``send_conversions`` reports them ``no_consent``).

US state privacy laws (CCPA "do not sell or share") ask for *limited data processing* rather than
silence: such rows are sent, with ``opt_out`` true and ``custom_data.opt_out_type`` ``"LDP"``
(the spec's example value for that comma-separated field). That ``opt_out`` goes with it is
pintools' reading: the spec
describes ``opt_out`` as "the user has opted out of tracking" and does not say how the two
combine. Recognised columns: :data:`LDP_COLUMNS` (yes/no flags) and ``us_privacy`` (the IAB
string, e.g. ``"1YYN"``: its third letter ``Y`` = opted out of sale).

``consent=`` (of ``prepare_conversions`` / ``send_conversions``) is one of

- ``None`` (default): a column named like :data:`CONSENT_COLUMNS` is read if there is one;
  without it every row counts as consented — pintools' default, stated in the results;
- a column name;
- ``True``: you state that every row has advertising consent;
- a mapping of cell value → verdict (True, False, None = unknown), on top of the words
  understood, for the recognised column;
- a :class:`ConsentRule` for everything else: the column, the values, the categories needed, and
  whether rows *without* information are sent (``unknown="send"``, the default) or not
  (``unknown="skip"``).

>>> df = pd.DataFrame({"consent_categories": ["advertising,analytics", "analytics", None]})
>>> verdicts, opt_out, opt_out_type, description = consent_columns(df)
>>> verdicts.tolist(), opt_out is None
([True, False, <NA>], True)
>>> print(description)  # doctest: +NORMALIZE_WHITESPACE
consent: from column 'consent_categories' (advertising); 1 row without consent not sent; 1 row without
consent information sent (pintools' default: treated as consented; ConsentRule(unknown='skip') holds them back)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dtypes import TEXT

#: Column names read as the per-row consent when ``consent=None`` (compared lower-cased, with
#: spaces and dashes as underscores).
CONSENT_COLUMNS = ("consent", "consent_categories", "consents", "advertising_consent", "ad_consent",
                   "ads_consent", "consent_advertising", "marketing_consent")
#: Column names read as a CCPA-style "limited data processing" flag (yes/no per row).
LDP_COLUMNS = ("ldp", "limited_data_processing", "limited_data_use", "do_not_sell", "do_not_share",
               "do_not_sell_or_share", "ccpa_opt_out", "ccpa_do_not_sell", "opt_out_of_sale")
#: The IAB US Privacy string column (``1YYN``): the third letter is "opted out of sale".
US_PRIVACY_COLUMNS = ("us_privacy", "usprivacy", "ccpa_string")
#: The value of ``custom_data.opt_out_type`` for limited data processing (the spec's example).
LDP = "LDP"
#: Description when there is no consent information at all (pintools' default, stated).
NO_INFORMATION = ("no consent information given: every row was treated as consented — pass consent= "
                  "(a column, a mapping or a ConsentRule) to send only consented users")

_YES = {"true", "t", "yes", "y", "1", "1.0", "granted", "grant", "given", "accepted", "accept", "allow", "allowed",
        "agreed", "consented", "opt-in", "opt_in", "optin", "opted-in", "opted_in", "on", "ok"}
_NO = {"false", "f", "no", "n", "0", "0.0", "denied", "deny", "declined", "decline", "rejected", "reject",
       "refused", "revoked", "withdrawn", "opt-out", "opt_out", "optout", "opted-out", "opted_out", "off",
       "none_given"}
_UNKNOWN = {"", "unknown", "pending", "na", "n/a", "nan", "none", "null", "not_set", "unset", "undefined", "-"}
#: Category names consent platforms use; a single one of them is a category list of one.
_CATEGORIES = {"advertising", "ads", "analytics", "functional", "necessary", "essential", "strictly_necessary",
               "performance", "personalization", "personalisation", "preferences", "statistics", "marketing",
               "targeting", "social", "social_media", "ad_storage", "analytics_storage"}
_SPLIT = re.compile(r"[,;|\s]+")


@dataclass(frozen=True)
class ConsentRule:
    """How to read consent: ``column`` (None: a recognised name), ``values`` (cell value →
    True/False/None, on top of the words understood), ``categories`` (all needed in a category
    list; Datafly's ``consent_categories`` setting) and ``unknown``: ``"send"`` (pintools'
    default) or ``"skip"`` for rows with no information.

    >>> ConsentRule(column="gdpr", unknown="skip").unknown
    'skip'
    """

    column: str | None = None
    values: Mapping[object, bool | None] | None = None
    categories: tuple[str, ...] = ("advertising",)
    unknown: str = "send"

    def __post_init__(self) -> None:
        if self.unknown not in ("send", "skip"):
            raise ValueError(f"ConsentRule(unknown=) must be 'send' or 'skip', got {self.unknown!r}")
        if isinstance(self.categories, str):
            object.__setattr__(self, "categories", (self.categories,))
        if not self.categories:
            raise ValueError("ConsentRule(categories=) needs at least one category, e.g. ('advertising',)")


class Consent(NamedTuple):
    """What :func:`consent_columns` found: per-row ``verdicts`` (boolean, NA = no information),
    ``opt_out`` and ``opt_out_type`` (None when the frame has no LDP column; NA on rows without
    limited data processing), and a sentence stating the basis."""

    verdicts: pd.Series
    opt_out: pd.Series | None
    opt_out_type: pd.Series | None
    description: str


def consent_columns(df: pd.DataFrame, consent=None) -> Consent:
    """Per-row consent verdicts and LDP fields of ``df`` under ``consent=`` (see the module).

    Raises ``ValueError`` naming the column and the values it cannot read (consent values are not
    personal data), with the ``consent={value: verdict}`` that would settle them.

    >>> df = pd.DataFrame({"consent": ["yes", "no"], "do_not_sell": [False, True]})
    >>> found = consent_columns(df)
    >>> found.verdicts.tolist(), found.opt_out.tolist(), found.opt_out_type.tolist()
    ([True, False], [<NA>, True], [<NA>, 'LDP'])
    """
    rule = _rule(consent)
    index = df.index
    opt_out, opt_out_type, ldp_text = _ldp(df)
    if consent is True:
        verdicts = pd.Series(True, index=index, dtype="boolean")
        return Consent(verdicts, opt_out, opt_out_type,
                       "consent=True: you stated that every row has advertising consent" + ldp_text)
    column = rule.column if rule.column is not None else _find(df.columns, CONSENT_COLUMNS)
    if column is None:
        if rule.values is not None or rule.unknown == "skip":
            raise ValueError(f"consent= needs a consent column but the frame has none named like "
                             f"{', '.join(CONSENT_COLUMNS)}; name it: ConsentRule(column=...)")
        return Consent(pd.Series(pd.NA, index=index, dtype="boolean"), opt_out, opt_out_type,
                       NO_INFORMATION + ldp_text)
    if column not in df.columns:
        raise ValueError(f"consent= names column {column!r} but the frame has no such column; "
                         f"its columns: {list(df.columns)}")
    verdicts = _verdicts(df[column], rule, column)
    return Consent(verdicts, opt_out, opt_out_type, _describe(verdicts, rule, column) + ldp_text)


def apply_consent(prepared: pd.DataFrame, df: pd.DataFrame, consent=None) -> pd.DataFrame:
    """Write consent into a prepared frame (in place, and returned): a ``consent`` column (boolean;
    NA = no information), ``opt_out`` / ``custom_data.opt_out_type`` merged for LDP rows (flags
    already there are kept), ``attrs`` ``consent`` (the description), ``consent_categories`` and
    ``consent_unknown`` (``"send"`` or ``"skip"``), and the columns read dropped from
    ``attrs["unused_columns"]``. Running it again gives the same frame.

    >>> prepared = pd.DataFrame(index=[0, 1])
    >>> apply_consent(prepared, pd.DataFrame({"consent": ["granted", "denied"]}))["consent"].tolist()
    [True, False]
    """
    rule = _rule(consent)
    found = consent_columns(df, consent)
    prepared["consent"] = found.verdicts.to_numpy()
    prepared["consent"] = prepared["consent"].astype("boolean")
    if found.opt_out is not None:
        ldp = found.opt_out.fillna(False).to_numpy(bool)
        current = (prepared["opt_out"].astype("boolean") if "opt_out" in prepared
                   else pd.Series(pd.NA, index=prepared.index, dtype="boolean"))
        prepared["opt_out"] = current.mask(ldp, True).to_numpy()
        prepared["opt_out"] = prepared["opt_out"].astype("boolean")
        types = (prepared["custom_data.opt_out_type"].astype(TEXT) if "custom_data.opt_out_type" in prepared
                 else pd.Series(pd.NA, index=prepared.index, dtype=TEXT))
        prepared["custom_data.opt_out_type"] = pd.array([_add_flag(t, LDP) if flag else t for t, flag
                                                         in zip(types.tolist(), ldp, strict=True)], dtype=TEXT)
    prepared.attrs.update({"consent": found.description, "consent_categories": list(rule.categories),
                           "consent_unknown": rule.unknown})
    read = rule.column if rule.column is not None else (None if consent is True else _find(df.columns, CONSENT_COLUMNS))
    used = {c for c in (read, _find(df.columns, LDP_COLUMNS), _find(df.columns, US_PRIVACY_COLUMNS)) if c is not None}
    if "unused_columns" in prepared.attrs:
        prepared.attrs["unused_columns"] = [c for c in prepared.attrs["unused_columns"] if c not in used]
    return prepared


def withheld(prepared: pd.DataFrame) -> pd.Series:
    """Why each row of a prepared frame must not be sent for want of consent (NA: it may be sent).
    A frame without a ``consent`` column withholds nothing.

    >>> prepared = apply_consent(pd.DataFrame(index=[0, 1, 2]), pd.DataFrame({"consent": ["yes", "no", None]}),
    ...                          ConsentRule(unknown="skip"))
    >>> withheld(prepared).tolist()
    [<NA>, 'not sent: no consent for advertising', "not sent: no consent information (ConsentRule(unknown='skip'))"]
    """
    out = pd.Series(pd.NA, index=prepared.index, dtype=TEXT)
    if "consent" not in prepared:
        return out
    verdicts = prepared["consent"].astype("boolean")
    categories = ", ".join(prepared.attrs.get("consent_categories") or ["advertising"])
    out = out.mask(verdicts.eq(False).fillna(False), f"not sent: no consent for {categories}")
    if prepared.attrs.get("consent_unknown") == "skip":
        out = out.mask(verdicts.isna(), "not sent: no consent information (ConsentRule(unknown='skip'))")
    return out


def consent_description(prepared: pd.DataFrame) -> str:
    """The consent basis of a prepared frame (:data:`NO_INFORMATION` when it carries none).

    >>> consent_description(pd.DataFrame()) == NO_INFORMATION
    True
    """
    return str(prepared.attrs.get("consent") or NO_INFORMATION)


def _rule(consent) -> ConsentRule:
    if consent is None or consent is True:
        return ConsentRule()
    if isinstance(consent, ConsentRule):
        return consent
    if isinstance(consent, str):
        return ConsentRule(column=consent)
    if isinstance(consent, Mapping):
        return ConsentRule(values=dict(consent))
    raise TypeError(f"consent= must be a column name, True, a mapping of value → verdict or a ConsentRule; "
                    f"got {type(consent).__name__} {consent!r}")


def _key(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _find(columns: pd.Index, names: tuple[str, ...]) -> str | None:
    keyed = {_key(c): c for c in reversed(list(columns))}
    return next((keyed[n] for n in names if n in keyed), None)


def _verdicts(values: pd.Series, rule: ConsentRule, column: str) -> pd.Series:
    """Each distinct cell read once; unreadable values raise (listing at most five of them)."""
    wanted = {c.lower() for c in rule.categories}
    extra = {(_key(k) if isinstance(k, str) else k): v for k, v in (rule.values or {}).items()}
    cells = values.astype(object).to_numpy()
    keys = [_cell_key(cell) for cell in cells]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    unread: list[str] = []
    read = [_read(u, wanted, extra, unread) for u in uniques]
    if unread:
        shown = ", ".join(repr(u) for u in unread[:5]) + (" …" if len(unread) > 5 else "")
        example = ", ".join(f"{u!r}: False" for u in unread[:2])
        raise ValueError(f"consent column {column!r} has values that are neither yes/no, granted/denied nor a list "
                         f"of consent categories: {shown}. Say what they mean with consent={{{example}}} "
                         f"(True = consented, False = not, None = unknown)")
    out = np.array(read + [None], dtype=object)[codes]
    return pd.Series(pd.array(list(out), dtype="boolean"), index=values.index)


def _cell_key(cell) -> object:
    """A hashable form of a cell: lists become tuples of lower-cased names; NA becomes None."""
    if isinstance(cell, (list, tuple, set, frozenset, np.ndarray)):
        return tuple(sorted(_key(c) for c in cell if c is not None))
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return None
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, (int, float, np.integer, np.floating)):
        return str(cell)
    return str(cell).strip()


def _read(key, wanted: set[str], extra: dict, unread: list) -> bool | None:
    if isinstance(key, bool):
        return extra.get(key, key)
    if isinstance(key, tuple):
        return wanted.issubset(key)
    text = key.lower()
    for candidate in (key, text, _key(key)):
        if candidate in extra:
            verdict = extra[candidate]
            return None if verdict is None or verdict is pd.NA else bool(verdict)
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text in _UNKNOWN:
        return None
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            return wanted.issubset({_key(i) for i in items if i is not None})
    parts = [i for i in _SPLIT.split(text.strip("[]")) if i]
    if any(":" in i or "=" in i for i in parts):  # "advertising:granted,analytics:denied", "ads=yes"
        pairs = dict(re.split(r"[:=]", i, maxsplit=1) for i in parts if ":" in i or "=" in i)
        states = {_key(k): v.strip().lower() for k, v in pairs.items()}
        if all(v in _YES | _NO for v in states.values()):  # a category not listed is not granted
            return all(states.get(c) in _YES for c in wanted)
    items = {_key(i) for i in parts}
    if len(items) > 1 or items & (_CATEGORIES | wanted):
        return wanted.issubset(items)
    unread.append(key)
    return None


def _describe(verdicts: pd.Series, rule: ConsentRule, column: str) -> str:
    refused = int((verdicts == False).sum())  # noqa: E712 (NA-aware)
    unknown = int(verdicts.isna().sum())
    text = f"consent: from column {column!r} ({', '.join(rule.categories)}); {_rows(refused)} without consent not sent"
    if unknown:
        if rule.unknown == "skip":
            text += f"; {_rows(unknown)} without consent information not sent (ConsentRule(unknown='skip'))"
        else:
            text += (f"; {_rows(unknown)} without consent information sent (pintools' default: treated as "
                     f"consented; ConsentRule(unknown='skip') holds them back)")
    return text


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def _ldp(df: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None, str]:
    """``(opt_out, opt_out_type, description suffix)`` from an LDP flag or a US Privacy string."""
    flag_column = _find(df.columns, LDP_COLUMNS)
    usp_column = _find(df.columns, US_PRIVACY_COLUMNS)
    if flag_column is None and usp_column is None:
        return None, None, ""
    limited = np.zeros(len(df), dtype=bool)
    sources = []
    if flag_column is not None:
        try:
            flags = _verdicts(df[flag_column], ConsentRule(), flag_column)
        except ValueError:
            raise ValueError(f"column {flag_column!r} is read as a CCPA limited-data-processing flag (pintools reads "
                             f"{', '.join(LDP_COLUMNS)} so) but not all its values are yes/no or true/false; make "
                             f"them so, or rename the column") from None
        limited |= flags.fillna(False).to_numpy(bool)
        sources.append(f"column {flag_column!r}")
    if usp_column is not None:
        text = df[usp_column].astype(TEXT).str.strip().str.upper()
        limited |= (text.str.len().eq(4) & text.str[2].eq("Y")).fillna(False).to_numpy(bool)
        sources.append(f"column {usp_column!r} (IAB US Privacy, 3rd letter Y)")
    opt_out = pd.Series(pd.array(np.where(limited, True, None), dtype="boolean"), index=df.index)
    opt_out_type = pd.Series(pd.array(np.where(limited, LDP, None), dtype=TEXT), index=df.index)
    suffix = (f"; {_rows(int(limited.sum()))} sent with limited data processing (opt_out, opt_out_type 'LDP') "
              f"from {' and '.join(sources)}")
    return opt_out, opt_out_type, suffix


def _add_flag(current, flag: str) -> str:
    if current is None or current is pd.NA or not str(current).strip():
        return flag
    flags = [f.strip() for f in str(current).split(",") if f.strip()]
    return ",".join(flags if flag in flags else [*flags, flag])


__all__ = ["CONSENT_COLUMNS", "LDP", "LDP_COLUMNS", "NO_INFORMATION", "US_PRIVACY_COLUMNS", "Consent", "ConsentRule",
           "apply_consent", "consent_columns", "consent_description", "withheld"]
