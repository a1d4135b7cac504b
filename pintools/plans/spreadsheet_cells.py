"""Spreadsheet cells for :mod:`pintools.plans.spreadsheet`: one cell → one value, or a
:class:`CellError` whose message is the reason shown to the user.

Money reads the currency it is written in (``$4.70``, ``12 EUR``, ``5¢``) and returns that mark
with the amount, so the plan can refuse money written in another currency than the account's.

>>> read_money("$1,234.50"), read_money("5¢"), read_money("12 EUR"), read_money(2.675)
((1234500000, '$'), (50000, '¢'), (12000000, 'EUR'), (2675000, None))
>>> currency_conflict("$", "EUR", "549755023801")
'$ means USD but ad account 549755023801 is in EUR: write the amount in EUR, without a currency sign'
>>> currency_conflict("¥", "JPY", "1"), currency_conflict("$", "CAD", "1")
('', '')
>>> parse_id(" 549755023801"), parse_id(549755023801), parse_id(2680060061223.0)
('549755023801', '549755023801', '2680060061223')
>>> parse_id(549755023801123456.0)                                  # doctest: +ELLIPSIS
Traceback (most recent call last):
pintools.plans.spreadsheet_cells.CellError: the id is a number: Excel stores long ids as numbers and has rounded ...
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .money import to_micro

MAX_MICRO = 2**63 - 1
_DOLLARS = ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "ARS", "CLP", "COP")
#: currency signs → the currencies they are written for; the first is what the sign "means"
MARKS = {
    "$": _DOLLARS, "¢": _DOLLARS[:6], "US$": ("USD",), "C$": ("CAD",), "CA$": ("CAD",), "A$": ("AUD",),
    "AU$": ("AUD",), "NZ$": ("NZD",), "HK$": ("HKD",), "S$": ("SGD",), "MX$": ("MXN",), "R$": ("BRL",),
    "€": ("EUR",), "£": ("GBP",), "¥": ("JPY", "CNY"), "₩": ("KRW",), "₪": ("ILS",), "₹": ("INR",), "₺": ("TRY",),
    "zł": ("PLN",), "kr": ("SEK", "NOK", "DKK"), "Kč": ("CZK",), "Ft": ("HUF",), "lei": ("RON",), "Fr.": ("CHF",),
}
_MEANS = {"$": "$ means USD", "¢": "¢ means US cents"}
_MARK_OF = {m.casefold(): m for m in MARKS}


class CellError(ValueError):
    """One bad cell; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Target:
    """Where a header's values go: the frame ``column``, its ``kind`` (money, text, time, bool,
    enum, kwstatus or refused), whether money is in micro or cents, (ad groups) the budget type
    the header expects, and for ``refused`` targets the ``reason``."""

    column: str
    kind: str
    micro: bool = False
    budget: str | None = None
    raw_time: bool = False
    allowed: tuple[str, ...] = ()
    cents: bool = False
    reason: str = ""


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """A raw cell as the user would read it (``""`` for an empty one)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}" if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def parse_entity(value: object) -> str:
    """``"Ad groups"``, ``"adgroup"``, ``"AD_GROUP"`` → ``"ad_group"``."""
    key = re.sub(r"[^0-9a-z]", "", str(value).casefold())
    key = key[:-1] if key.endswith("s") else key
    found = {"campaign": "campaign", "adgroup": "ad_group", "ad": "ad", "keyword": "keyword"}.get(key)
    if found is None:
        raise CellError("not an entity type (Campaign, Ad group, Ad or Keyword)")
    return found


def parse_id(value: object) -> str:
    """An id cell → its digits. A number is taken when it is an exact whole number of at most 15
    digits (what Excel keeps); a fraction or more digits means Excel has rounded the id."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CellError("not an id (ids are digits only)")
    if isinstance(value, (int, float)):
        exact = isinstance(value, int) or value.is_integer()
        if exact and 0 < value < 10**15:
            return str(int(value))
        if exact and value <= 0:
            raise CellError("not an id (ids are digits only)")
        shown = int(value) if exact else value
        raise CellError(f"the id is a number: Excel stores long ids as numbers and has rounded the last digits "
                        f"(it reads {shown}); format the column as Text and paste the ids again")
    text = value.strip().removeprefix("'")
    if text.isascii() and text.isdigit():
        if len(text) > 19:
            raise CellError(f"too long for a Pinterest id ({len(text)} digits)")
        return text
    if re.fullmatch(r"[0-9.,]+(E\+?[0-9]+)?", text, flags=re.I):
        raise CellError("the id was converted to a number (and probably rounded); "
                        "format the column as Text and paste the ids again")
    raise CellError("not an id (ids are digits only)")


def parse_cell(target: Target, value: object) -> tuple[object, str | None]:
    """A non-empty cell → (value for the frame column, currency mark written in the cell or ``None``)."""
    if target.kind == "money":
        return read_money(value, micro=target.micro, cents=target.cents)
    if target.kind == "text":
        return parse_text(value, "names"), None
    if target.kind == "time":
        return _time(value, target.raw_time), None
    if target.kind == "bool":
        return _bool(value), None
    if target.kind == "kwstatus":
        status = parse_enum(value, ("ACTIVE", "ARCHIVED", "PAUSED"))
        if status == "PAUSED":
            raise CellError("keywords cannot be paused: use ARCHIVED (or ACTIVE to keep them)")
        return status == "ARCHIVED", None
    if target.kind == "refused":
        raise CellError(target.reason)
    return parse_enum(value, target.allowed), None


def parse_enum(value: object, allowed: tuple[str, ...]) -> str:
    """``"exact negative"`` → ``"EXACT_NEGATIVE"`` when allowed (any case, spaces or dashes)."""
    text = re.sub(r"[\s-]+", "_", str(value).strip()).upper() if isinstance(value, str) else None
    if text not in allowed:
        raise CellError(f"must be one of {', '.join(a for a in allowed if a != 'DRAFT')}")
    return text


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = as_text(value).strip().lower()
    if key in ("true", "yes", "y", "1"):
        return True
    if key in ("false", "no", "n", "0"):
        return False
    raise CellError("must be true or false (yes/no, 1/0)")


def parse_text(value: object, what: str) -> str:
    """A text cell (``what``: "names", "keywords"); numbers, dates and booleans are refused, since
    Excel has turned the text into something else (``007`` → 7).

    >>> parse_text(123, "names")
    Traceback (most recent call last):
    pintools.plans.spreadsheet_cells.CellError: is a number; names are text — format the column as Text and type it again
    """
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellError("Excel turned this into a date, time or boolean; format the column as Text")
    if isinstance(value, (int, float)):
        raise CellError(f"is a number; {what} are text — format the column as Text and type it again")
    return as_text(value)


# ------------------------------------------------------------------------------------------ money
_AMOUNT = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)?(?:\.[0-9]+)?")
_NUMBER_END = re.compile(r"[0-9.]")
_PLAIN = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*")   # the common case, read without looking for signs


def read_money(value: object, *, micro: bool = False, cents: bool = False) -> tuple[int, str | None]:
    """A money cell → (integer micro-currency, the currency mark written in it or ``None``).

    Amounts are in currency units (``cents``: in hundredths; ``micro``: whole micro-currency);
    a mark is a sign (``$``, ``€``, ``¥``, ``R$`` …, ``¢`` for cents) or a 3-letter code."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CellError("not an amount")
    mark = None
    plain = _PLAIN.fullmatch(value) if isinstance(value, str) else None
    if plain and not micro and not cents:   # "1.10": whole micros by integer arithmetic
        whole, _, fraction = plain.group(1).partition(".")
        fraction = fraction.rstrip("0")
        if len(fraction) <= 6 and len(whole) <= 12:
            return int(whole or "0") * 1_000_000 + int(fraction.ljust(6, "0")), None
    if plain:
        number = Decimal(plain.group(1))
    elif isinstance(value, str):
        number, mark = _split_money(value)
        cents = mark == "¢" or (cents and mark is None)
    elif isinstance(value, float):
        try:
            number = Decimal(f"{value:.15g}")  # what Excel shows: 15 significant digits
        except InvalidOperation:
            raise CellError("not an amount") from None
        if not number.is_finite():
            raise CellError("not a finite amount")
    else:
        number = Decimal(value)
    if number < 0:
        raise CellError("amounts cannot be negative")
    if cents:
        number = number / 100
    if number > (MAX_MICRO if micro else MAX_MICRO // 1_000_000):
        raise CellError("amount too large")
    places = max(0, -number.normalize().as_tuple().exponent)   # "1.1000000" has one decimal place
    if micro:
        if places:
            raise CellError("micro-currency amounts are whole numbers")
        return int(number), mark
    if places > 6:
        raise CellError("more than 6 decimal places (the API counts in millionths)"
                        + (" — in cents, at most 4" if cents else ""))
    return to_micro(number), mark


def _split_money(text: str) -> tuple[Decimal, str | None]:
    """``"US$ 1,234.50"`` → (Decimal("1234.50"), "US$"); signs around the number are refused."""
    text = text.strip()
    found = [m.start() for m in _NUMBER_END.finditer(text)]
    core, before, after = (text[found[0]:found[-1] + 1], text[:found[0]], text[found[-1] + 1:]) if found else \
        ("", text, "")
    if any(c in before + after for c in "-−") or ("(" in before and ")" in after):
        raise CellError("amounts cannot be negative")
    marks = sorted((m for m in (_mark(before.strip(" \t+")), _mark(after.strip())) if m),
                   key=lambda m: len(MARKS.get(m, (m,))))   # the most specific first: "$5 USD" is USD
    if len(marks) == 2 and not set(MARKS.get(marks[0], marks[:1])) & set(MARKS.get(marks[1], marks[1:])):
        raise CellError("not an amount (more than one currency)")
    if not core or not _AMOUNT.fullmatch(core):
        raise CellError("not an amount (write 1234.50: a dot for decimals, no letters)")
    return Decimal(core.replace(",", "")), (marks[0] if marks else None)


def _mark(text: str) -> str | None:
    if not text:
        return None
    if text.casefold() in _MARK_OF:
        return _MARK_OF[text.casefold()]
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    signs = [c for c in text if unicodedata.category(c) == "Sc"]
    if len(signs) > 1:
        raise CellError("not an amount (more than one currency)")
    if signs and len(text.strip()) == 1:
        raise CellError(f"{text} is not a currency sign this reader knows: write the amount without a sign, "
                        f"or with its 3-letter code (12.50 EUR)")
    raise CellError("not an amount (write 1234.50: a dot for decimals, no letters)")


def currency_mark(note: str) -> str | None:
    """A header's ``(…)`` as a currency mark: ``"usd"`` → ``"USD"``, ``"$"`` → ``"$"``; ``None``
    when it is not one."""
    try:
        return _mark(note.strip())
    except CellError:
        return None


def currency_conflict(mark: str, actual: str | None, account: str) -> str:
    """Why money written with ``mark`` cannot go to an ad account in ``actual`` (``""``: it can)."""
    codes = MARKS.get(mark, (mark,))
    if actual is None or actual in codes:
        return ""
    if codes == (mark,):
        return f"written in {mark}, but ad account {account} is in {actual}"
    fix = f"write the amount in {actual}, without a currency sign"
    if len(codes) > 1 and mark not in _MEANS:
        both = f"{', '.join(codes[:-1])} and {codes[-1]}" if len(codes) > 2 else f"both {codes[0]} and {codes[1]}"
        return f"{mark} is written for {both}, and ad account {account} is in {actual} (neither): {fix}"
    return f"{_MEANS.get(mark, f'{mark} means {codes[0]}')} but ad account {account} is in {actual}: {fix}"


# ------------------------------------------------------------------------------------------ times
def _time(value: object, raw: bool) -> int:
    if isinstance(value, bool):
        raise CellError("not a date")
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif raw and (isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"[0-9]{1,11}", value.strip()))):
        if not 0 <= int(value) < 2**40:
            raise CellError("not a time in Unix seconds")
        return int(value)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise CellError("not a date (write 2026-12-01 or 2026-12-01 18:00, UTC)") from None
    else:
        raise CellError("not a date: format the cell as a date or write 2026-12-01 (UTC)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = round(moment.timestamp())
    if seconds < 0:
        raise CellError("dates before 1970 are not allowed")
    return seconds
