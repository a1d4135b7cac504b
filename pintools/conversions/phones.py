"""Phone numbers for ``user_data.ph``: E.164 digits without the plus, then SHA-256 hex.

:func:`normalise_phone` reads one number; :func:`hash_phones` hashes a column of them, each
read for its row's region.

>>> normalise_phone("(415) 555-0100", "US"), hash_phones(["+1 415 555 0100", None, "12"], ["US"] * 3)[1:]
('14155550100', [None, ''])
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_HEX64 = re.compile(r"[0-9A-Fa-f]{64}")
_SEPARATORS = str.maketrans("", "", " ()./-+")
_E164_DIGITS = re.compile(r"[1-9]\d{6,14}")
_NANP = frozenset({"US", "CA", "PR", "GU", "VI", "AS", "MP"})


def normalise_phone(text: str, region: str = "US") -> str | None:
    """Digits with country code, no "+", no leading zeros (E.164 without the plus).

    International forms (``+44 20 7946 0018``, ``0044…``) need no region; national forms are
    read for ``region``. Plain numbers are converted with :mod:`phonenumbers`' metadata for
    the region (country code, trunk prefix, possible lengths) without a full parse; anything
    else (extensions, "(0)", letters, regions with unusual trunk prefixes) is parsed by
    :mod:`phonenumbers`.

    >>> [normalise_phone(p, r) for p, r in [("+44 20 7946 0018", "US"), ("(415) 555-0100", "US"),
    ...     ("020 7946 0018", "GB"), ("06 1234 5678", "IT"), ("+44 (0)20 7946 0018", "US"), ("12", "US")]]
    ['442079460018', '14155550100', '442079460018', '390612345678', '442079460018', None]
    """
    if "(0)" not in text:
        digits = text.translate(_SEPARATORS)
        if digits.isdigit() and digits.isascii():
            if text[0] == "+":
                number = digits
            elif digits[:2] == "00":
                number = digits[2:]
            else:
                number = _national(digits, region)
            if number and 7 <= len(number) <= 15 and number[0] != "0":
                return number
    number = _parse_phone(text, region)
    return number if number is not None and _E164_DIGITS.fullmatch(number) else None


@lru_cache(maxsize=512)
def _region_rule(region: str) -> tuple[str, str | None, frozenset] | None:
    """(country code, trunk prefix, possible national lengths) when the fast path is safe."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix not in ("0", None):
        return None
    return (str(phonenumbers.country_code_for_region(region)), metadata.national_prefix,
            frozenset(metadata.general_desc.possible_length or ()))


def _national(digits: str, region: str) -> str | None:
    if region in _NANP:
        if len(digits) == 10 and digits[0] in "23456789":
            return "1" + digits
        if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789":
            return digits
        return None
    rule = _region_rule(region)
    if rule is None:
        return None
    code, trunk, lengths = rule
    significant = digits[1:] if trunk == "0" and digits.startswith("0") else digits
    if len(significant) not in lengths or (trunk == "0" and significant.startswith("0")):
        return None
    return code + significant


def _parse_phone(text: str, region: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def _hash_one(text: str, region: str) -> str:
    """The hash of one trimmed value, "" when refused; 64-hex input passes through lower-cased."""
    if len(text) == 64 and _HEX64.fullmatch(text):
        return text.lower()
    normal = normalise_phone(text, region)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else ""


def hash_phones(texts: list[str | None], regions: list[str]) -> list[str | None]:
    """SHA-256 hex of each trimmed number read for its row's region: None where missing, ""
    where refused; a value already 64-hex passes through lower-cased. One tight loop: the
    separators are removed from the whole column at once and plain numbers take
    :func:`normalise_phone`'s fast path inline; any other value goes through it.

    >>> hash_phones(["+1 415 555 0100", None, "12"], ["US"] * 3)[1:]
    [None, '']
    """
    joined = "\n".join([text or "" for text in texts])
    if joined.count("\n") != len(texts) - 1 or not texts:  # a value holds a newline
        return [None if text is None else _hash_one(text, region) for text, region in zip(texts, regions, strict=True)]
    digit_texts = joined.translate(_SEPARATORS).split("\n")
    trunk_zero, ascii_only = "(0)" in joined, joined.isascii()
    sha, hex64, nanp, rules = hashlib.sha256, _HEX64.fullmatch, _NANP, {}
    out: list[str | None] = []
    append = out.append
    for text, digits, region in zip(texts, digit_texts, regions, strict=True):
        if text is None:
            append(None)
            continue
        if len(text) == 64 and hex64(text):
            append(text.lower())
            continue
        if digits.isdigit() and (ascii_only or digits.isascii()) and not (trunk_zero and "(0)" in text):
            if text[0] == "+":
                number = digits
            elif digits[:2] == "00":
                number = digits[2:]
            elif region in nanp:
                size = len(digits)
                number = ("1" + digits if size == 10 and digits[0] in "23456789" else
                          digits if size == 11 and digits[0] == "1" and digits[1] in "23456789" else None)
            else:
                rule = rules[region] if region in rules else rules.setdefault(region, _region_rule(region))
                if rule is None:
                    number = None
                else:  # _national's rule for other regions
                    code, trunk, lengths = rule
                    significant = digits[1:] if trunk == "0" and digits[0] == "0" else digits
                    number = (None if len(significant) not in lengths or (trunk == "0" and significant[:1] == "0")
                              else code + significant)
            if number and 7 <= len(number) <= 15 and number[0] != "0":
                append(sha(number.encode()).hexdigest())
                continue
        normal = normalise_phone(text, region)
        append(hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else "")
    return out


__all__ = ["hash_phones", "normalise_phone"]
