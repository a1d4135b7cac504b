"""Exact money: currency units ↔ integer micro-currency, and scaling, with no float error.

>>> scale_micro(1_000_000, 1.1)
1100000
>>> to_micro("1.10"), to_micro(2.675), to_units(1_100_000)
(1100000, 2675000, Decimal('1.1'))
>>> format_money(605_000, "USD"), format_money(12_500_000, "EUR"), format_money(1, "USD")
('0.605 USD', '12.50 EUR', '0.000001 USD')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..frames.money import to_units  # the one micro → units conversion (exact, as a Decimal)

__all__ = ["MICRO", "format_money", "scale_micro", "to_micro", "to_units"]

MICRO = Decimal(1_000_000)


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{what}: {value!r} is not a number")
    try:
        # str() first: Decimal(0.1) would carry the float's binary error along
        number = Decimal(str(value).strip().replace(",", "")) if isinstance(value, str) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what}: {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what}: {value!r} is not a finite number")
    return number


def to_micro(units: object, what: str = "amount") -> int:
    """Currency units (``1.1``, ``"1.10"``, ``Decimal``) → integer micro-currency, rounded half up."""
    return int((_decimal(units, what) * MICRO).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def scale_micro(micro: int, factor: object) -> int:
    """``micro × factor`` rounded half up to a whole micro (``factor`` taken at its decimal value)."""
    return int((Decimal(int(micro)) * _decimal(factor, "factor")).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(micro: int, currency: str | None = None) -> str:
    """Micro-currency as a person reads it: every significant digit, at least two decimals,
    thousands separated, and the currency (``0.605 USD``, ``1,250.00 EUR``)."""
    units = to_units(micro)
    exponent = units.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{units:,.{places}f} {currency or ''}".strip()
