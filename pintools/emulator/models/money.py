"""Currencies for generated money: rough USD → local factors and "nice" micro amounts.

Every amount the emulator invents (spend, bids floors, CPCs, order values) starts as a USD
figure and becomes integer micro-currency of the account's (or request's) currency. Zero-decimal
currencies (JPY, KRW, CLP) round to whole units, the rest to cents.

Example:
    >>> local_micro(1.25, "USD"), local_micro(1.25, "JPY")
    (1250000, 188000000)
    >>> nice_micro(123_456, "USD")
    120000
"""

from __future__ import annotations

import math

# Rough market rates (local units per USD) for every ``Currency`` of 5.12.0; UNK counts as USD.
CURRENCY_FACTORS = {
    "UNK": 1.0, "USD": 1.0, "GBP": 0.79, "CAD": 1.36, "EUR": 0.92, "AUD": 1.52, "NZD": 1.65, "SEK": 10.5,
    "ILS": 3.7, "CHF": 0.88, "HKD": 7.8, "JPY": 150.0, "SGD": 1.34, "KRW": 1340.0, "NOK": 10.7, "DKK": 6.9,
    "PLN": 4.0, "RON": 4.6, "HUF": 360.0, "CZK": 23.0, "BRL": 5.0, "MXN": 17.0, "ARS": 850.0, "CLP": 930.0,
    "COP": 3900.0,
}
ZERO_DECIMAL = frozenset({"JPY", "KRW", "CLP"})
MICRO = 1_000_000


def factor(currency: str | None) -> float:
    """Local units per USD (1.0 for unknown currencies)."""
    return CURRENCY_FACTORS.get(currency or "USD", 1.0)


def minor_unit_micro(currency: str | None) -> int:
    """Micro units in the currency's smallest coin: 10,000 (a cent) or 1,000,000 (JPY, KRW, CLP)."""
    return MICRO if currency in ZERO_DECIMAL else 10_000


def local_micro(usd: float, currency: str | None) -> int:
    """A USD amount in the currency's micro units, rounded to its smallest coin.

    Example:
        >>> local_micro(0.5, "GBP")
        400000
    """
    step = minor_unit_micro(currency)
    return int(round(usd * factor(currency) * MICRO / step)) * step


def nice_micro(micro: float, currency: str | None, digits: int = 2) -> int:
    """Round a positive micro amount to ``digits`` significant digits, never below one coin.

    Example:
        >>> nice_micro(2_345_678, "EUR"), nice_micro(3, "USD")
        (2300000, 10000)
    """
    step = minor_unit_micro(currency)
    if micro <= step:
        return step
    magnitude = 10 ** (int(math.floor(math.log10(micro))) - digits + 1)
    rounded = int(round(micro / magnitude)) * magnitude
    return max(step, (rounded // step) * step)
