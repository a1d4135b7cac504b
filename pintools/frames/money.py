"""Money in frames: micro-currency → currency units, and the one naming rule for unit columns.

Pinterest sends money in the ad account's currency — whatever a column's name says, ``DOLLAR``
means "the account's currency" — mostly as integer micro-currency (1 unit = 1,000,000 micros).
Four suffixes mark money columns:

=======================  ======  ================================================
suffix                   holds   name in currency units (the suffix dropped)
=======================  ======  ================================================
``_in_micro_currency``   micros  ``budget_in_micro_currency`` → ``budget``
``_micro``               micros  ``daily_spend_cap_micro`` → ``daily_spend_cap``
``_IN_MICRO_DOLLAR``     micros  ``SPEND_IN_MICRO_DOLLAR`` → ``SPEND``
``_IN_DOLLAR``           units   ``CPM_IN_DOLLAR`` → ``CPM`` (renamed, values kept)
=======================  ======  ================================================

The last two also in lower case, as warehouses store Pinterest's names (``pintools sync``):
``spend_in_micro_dollar`` → ``spend``, ``cpm_in_dollar`` → ``cpm``.

**The naming rule**: a money column in currency units is named by dropping the suffix and
keeping the rest of the name as it is (upper-case API stems stay upper-case:
``TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR`` → ``TOTAL_CHECKOUT_VALUE``). A frame with money in it
always has a ``currency`` column saying which currency each row's money is in.

Columns in US dollars whatever the account's currency (``…_IN_MICRO_US_DOLLAR``, ``…_IN_USD``)
and the two campaign caps without a suffix (``CAMPAIGN_DAILY_SPEND_CAP``,
``CAMPAIGN_LIFETIME_SPEND_CAP``: micros) are left as they are.

>>> df = pd.DataFrame({"currency": ["EUR"], "SPEND_IN_MICRO_DOLLAR": pd.array([1_230_000], dtype="Int64"),
...                    "CPM_IN_DOLLAR": [4.5], "budget_in_micro_currency": pd.array([10_000_000], dtype="Int64")})
>>> in_currency_units(df).to_dict("records")
[{'currency': 'EUR', 'SPEND': 1.23, 'CPM': 4.5, 'budget': 10.0}]
>>> unit_name("spend_in_micro_dollar"), unit_name("spend_in_micro_us_dollar")
('spend', None)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

MICRO = 1_000_000
#: (suffix, the column holds micros) — longest first, so ``_in_micro_currency`` wins over ``_micro``.
MONEY_SUFFIXES: tuple[tuple[str, bool], ...] = (
    ("_in_micro_currency", True), ("_IN_MICRO_DOLLAR", True), ("_in_micro_dollar", True), ("_IN_DOLLAR", False),
    ("_in_dollar", False), ("_micro", True))


def _suffix(column: str) -> tuple[str, bool] | None:
    for suffix, micro in MONEY_SUFFIXES:
        if column.endswith(suffix) and len(column) > len(suffix):
            return suffix, micro
    return None


def unit_name(column: str) -> str | None:
    """The name of a money column in currency units (the suffix dropped), or ``None`` for a
    column that is not money.

    >>> unit_name("TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"), unit_name("bid_in_micro_currency"), unit_name("CTR")
    ('TOTAL_CHECKOUT_VALUE', 'bid', None)
    """
    found = _suffix(str(column))
    return None if found is None else str(column)[: -len(found[0])]


def is_micro(column: str) -> bool:
    """Whether a column holds micro-currency (one of the three micro suffixes).

    >>> is_micro("daily_spend_cap_micro"), is_micro("SPEND_IN_DOLLAR"), is_micro("SPEND")
    (True, False, False)
    """
    found = _suffix(str(column))
    return bool(found and found[1])


def to_units(micro: int) -> Decimal:
    """Integer micro-currency → exact currency units as a ``Decimal``.

    >>> to_units(1_100_000), to_units(-5)
    (Decimal('1.1'), Decimal('-0.000005'))
    """
    return (Decimal(int(micro)) / MICRO).normalize()


def micro_to_units(values: Any) -> Any:
    """Micro-currency → currency units: a Series or array becomes ``Float64`` (NA kept, index
    kept), a number a ``float``. The result is the float nearest the exact decimal value (an
    integer below 2**53 divided by 10**6 is correctly rounded; rates are rounded to 6 places),
    so ``1_100_000`` gives exactly ``1.1``.

    >>> micro_to_units(pd.Series([1_100_000, None], dtype="Int64")).tolist(), micro_to_units(2_675_000)
    ([1.1, <NA>], 2.675)
    """
    if isinstance(values, pd.Series):
        return (values.astype("Float64") / MICRO).round(6)
    if isinstance(values, (int, float, Decimal)) and not isinstance(values, bool):
        return float(to_units(values)) if isinstance(values, int) else round(float(values) / MICRO, 6)
    return (pd.array(values, dtype="Float64") / MICRO).round(6)


def money_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a frame that carry one of the money suffixes.

    >>> money_columns(pd.DataFrame(columns=["id", "bid_in_micro_currency", "CTR", "SPEND_IN_DOLLAR"]))
    ['bid_in_micro_currency', 'SPEND_IN_DOLLAR']
    """
    return [str(c) for c in frame.columns if unit_name(str(c)) is not None]


def in_currency_units(frame: pd.DataFrame, *, currency: str | None = None) -> pd.DataFrame:
    """A copy with every money column in currency units, named by the module's rule
    (``Float64``, exact to the micro, in place of the original column).

    Micro columns (``_in_micro_currency``, ``_micro``, ``_IN_MICRO_DOLLAR``) are divided by
    1,000,000; ``_IN_DOLLAR`` columns are already units and are only renamed. When both forms
    of a column are present (``SPEND_IN_MICRO_DOLLAR`` and ``SPEND_IN_DOLLAR``), the exact micro
    one is kept and the other dropped. Converting twice changes nothing. The original frame
    keeps the integer micros: edit those.

    Money needs its currency: a frame with money and no ``currency`` column is refused, unless
    ``currency=`` names it (then the column is added).

    >>> df = pd.DataFrame({"budget_in_micro_currency": pd.array([12_340_000, None], dtype="Int64")})
    >>> view = in_currency_units(df, currency="GBP")
    >>> view.columns.tolist(), view["budget"].tolist()
    (['budget', 'currency'], [12.34, <NA>])
    >>> in_currency_units(df)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: money (budget_in_micro_currency) without a currency column: give currency=... or keep currency when grouping
    """
    money = money_columns(frame)
    out = frame.copy()
    if "currency" not in frame.columns:
        if money and currency is None:
            raise ValueError(f"money ({', '.join(money[:3])}) without a currency column: give currency='EUR' "
                             f"(the account's), or keep currency when grouping")
        if currency is not None:
            out["currency"] = pd.array([currency] * len(out), dtype="string")
    targets: dict[str, str] = {}
    for col in money:
        target = unit_name(col)
        if target in frame.columns:
            raise ValueError(f"cannot show {col!r} in currency units: the frame already has a column {target!r}")
        if target in targets.values():
            earlier = next(c for c, t in targets.items() if t == target)
            keep, drop = (col, earlier) if is_micro(col) else (earlier, col)
            del targets[earlier]
            targets[keep] = target
            out = out.drop(columns=drop)
            continue
        targets[col] = target
    for col in targets:
        out[col] = micro_to_units(out[col]) if is_micro(col) else out[col].astype("Float64")
    return out.rename(columns=targets)
