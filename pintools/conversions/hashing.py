"""Normalise and SHA-256 hash user_data columns, as the spec words each field.

Work is done once per *distinct* value: a column is factorised, its unique values are
normalised with pandas string operations and hashed with :mod:`hashlib`, and the hashes are
taken back to the rows. A column of a million rows with a few thousand cities costs a few
thousand hashes. Values that are already SHA-256 hex (64 hex digits) pass through unchanged
(lower-cased), so hashed input is never hashed twice.

Each normaliser takes a Series of stripped strings (unique values) and returns
``(normalised, problem)``: ``normalised`` is NA where the value cannot be used and ``problem``
then says why, without quoting the raw value (raw PII never reaches messages or logs).

>>> hashes = hash_values(pd.Series([" Jo@Example.com", "jo@example.com", None]), "em")
>>> hashes.iloc[0] == hashes.iloc[1] == sha256_hex("jo@example.com"), hashes.isna().tolist()
(True, [False, False, True])
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

SHA256_HEX = re.compile(r"^[0-9A-Fa-f]{64}$")
_HEX_PATTERN = r"[0-9A-Fa-f]{64}"


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``text``, as 64 lowercase hex digits.

    >>> sha256_hex("jo@example.com")[:16]
    'f4e19df2e6c609fb'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ok(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return values.astype("string"), pd.Series(pd.NA, index=values.index, dtype="string")


def _refuse(normalised: pd.Series, bad: pd.Series, problem: str) -> tuple[pd.Series, pd.Series]:
    problems = pd.Series(pd.NA, index=normalised.index, dtype="string")
    problems[bad] = problem
    return normalised.astype("string").mask(bad), problems


def normalise_email(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """Trimmed, lower-cased; a value without exactly one "@" and a dot after it is refused.

    >>> normalise_email(pd.Series(["Jo.Doe@Example.COM", "not-an-email"]))[0].tolist()
    ['jo.doe@example.com', <NA>]
    """
    lowered = values.str.lower()
    bad = ~lowered.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+")
    return _refuse(lowered, bad, "is not an email address")


def normalise_name(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """First and last names: lower-cased (the spec's only rule), inner whitespace collapsed.

    >>> normalise_name(pd.Series(["  Anne  Marie "]))[0].tolist()
    ['anne marie']
    """
    return _ok(values.str.lower().str.replace(r"\s+", " ", regex=True).str.strip())


_GENDERS = {"f": "f", "female": "f", "w": "f", "woman": "f", "m": "m", "male": "m", "man": "m",
            "n": "n", "non-binary": "n", "nonbinary": "n", "non binary": "n", "x": "n"}


def normalise_gender(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """``f``, ``m`` or ``n`` (non-binary); "Female", "MALE", "non-binary" are understood.

    >>> normalise_gender(pd.Series(["Female", "M", "Non-Binary", "?"]))[0].tolist()
    ['f', 'm', 'n', <NA>]
    """
    mapped = values.str.lower().map(_GENDERS)
    return _refuse(mapped.astype("string"), mapped.isna(), "is not a gender (f, m or n)")


def normalise_birthdate(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """``YYYYMMDD``. Strings must put the year first (``1990-02-01``, ``1990/2/1``,
    ``19900201``): "01/02/1990" is refused because it is ambiguous.

    >>> normalise_birthdate(pd.Series(["1990-02-01", "19900201", "1990/2/1", "01/02/1990"]))[0].tolist()
    ['19900201', '19900201', '19900201', <NA>]
    """
    text = values.str.replace(r"[T ].*$", "", regex=True)
    parts = text.str.extract(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
    iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    dates = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    plausible = dates.notna() & (dates.dt.year >= 1900) & (dates.dt.year <= 2100)
    normalised = dates.dt.strftime("%Y%m%d").astype("string")
    return _refuse(normalised, ~plausible, "is not a date of birth written year first (YYYY-MM-DD)")


def normalise_city(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """Lower-cased, without spaces or punctuation (letters of any script are kept).

    >>> normalise_city(pd.Series(["San Francisco", "St. Albans", "Saint-Étienne"]))[0].tolist()
    ['sanfrancisco', 'stalbans', 'saintétienne']
    """
    return _ok(values.str.lower().str.replace(r"[\W_]+", "", regex=True))


_US_CA_STATES = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "colorado": "co",
    "connecticut": "ct", "delaware": "de", "district of columbia": "dc", "florida": "fl", "georgia": "ga",
    "hawaii": "hi", "idaho": "id", "illinois": "il", "indiana": "in", "iowa": "ia", "kansas": "ks",
    "kentucky": "ky", "louisiana": "la", "maine": "me", "maryland": "md", "massachusetts": "ma",
    "michigan": "mi", "minnesota": "mn", "mississippi": "ms", "missouri": "mo", "montana": "mt",
    "nebraska": "ne", "nevada": "nv", "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm",
    "new york": "ny", "north carolina": "nc", "north dakota": "nd", "ohio": "oh", "oklahoma": "ok",
    "oregon": "or", "pennsylvania": "pa", "rhode island": "ri", "south carolina": "sc", "south dakota": "sd",
    "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt", "virginia": "va", "washington": "wa",
    "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy", "puerto rico": "pr",
    "alberta": "ab", "british columbia": "bc", "manitoba": "mb", "new brunswick": "nb",
    "newfoundland and labrador": "nl", "nova scotia": "ns", "ontario": "on", "prince edward island": "pe",
    "quebec": "qc", "québec": "qc", "saskatchewan": "sk",
}


def normalise_state(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """A two-letter code, lower-cased; US state and Canadian province names become their codes.

    >>> normalise_state(pd.Series(["CA", "New York", "Somewhere"]))[0].tolist()
    ['ca', 'ny', <NA>]
    """
    lowered = values.str.lower().str.replace(r"[\s.]+", " ", regex=True).str.strip()
    mapped = lowered.map(_US_CA_STATES).fillna(lowered.where(lowered.str.fullmatch(r"[a-z]{2}")))
    mapped = mapped.astype("string")
    return _refuse(mapped, mapped.isna(), "is not a two-letter state code")


def normalise_zip(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """Lower-cased without spaces or dashes; a US ZIP+4 keeps its first 5 digits. The spec says
    "only digits", which is the US case; letters of UK or Canadian postcodes are kept.

    >>> normalise_zip(pd.Series(["94105-1234", "SW1A 1AA", "02139"]))[0].tolist()
    ['94105', 'sw1a1aa', '02139']
    """
    compact = values.str.lower().str.replace(r"[\s\-]+", "", regex=True)
    zip4 = compact.str.fullmatch(r"\d{9}")
    compact = compact.mask(zip4, compact.str[:5])
    return _refuse(compact, ~compact.str.fullmatch(r"[0-9a-z]{2,10}"), "is not a postcode")


_COUNTRY_FIXES = {"uk": "gb", "usa": "us", "united states": "us", "united kingdom": "gb", "great britain": "gb"}


def normalise_country(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """A two-letter ISO-3166 code, lower-cased ("UK" and "USA" are understood).

    >>> normalise_country(pd.Series(["US", "uk", "Germany"]))[0].tolist()
    ['us', 'gb', <NA>]
    """
    lowered = values.str.lower()
    fixed = lowered.map(_COUNTRY_FIXES).fillna(lowered).astype("string")
    return _refuse(fixed, ~fixed.str.fullmatch(r"[a-z]{2}"), "is not a two-letter country code")


def normalise_identifier(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """``external_id``: as given (the spec states no normalisation), trimmed.

    >>> normalise_identifier(pd.Series(["Cust-0042"]))[0].tolist()
    ['Cust-0042']
    """
    return _ok(values)


def normalise_maid(values: pd.Series, **_) -> tuple[pd.Series, pd.Series]:
    """A mobile advertising id (GAID/IDFA), lower-cased so the same device hashes the same way.

    >>> normalise_maid(pd.Series(["6D92078A-8246-4BA4-AE5B-76104861E7DC"]))[0].tolist()
    ['6d92078a-8246-4ba4-ae5b-76104861e7dc']
    """
    return _ok(values.str.lower())


_NANP = {"US", "CA", "PR", "GU", "VI", "AS", "MP"}


def normalise_phone(values: pd.Series, *, regions: pd.Series | None = None, default_region: str = "US",
                    **_) -> tuple[pd.Series, pd.Series]:
    """Digits with country code, no "+", no leading zeros (E.164 without the plus).

    International forms (``+44 20 7946 0018``, ``0044…``) need no region. National forms use
    the row's region (``regions``, from the ``country`` column when there is one) or
    ``default_region``: North American numbers are handled directly, others by
    :mod:`phonenumbers`, once per distinct value.

    >>> normalise_phone(pd.Series(["+44 20 7946 0018", "(415) 555-0100", "020 7946 0018", "12"]),
    ...                 regions=pd.Series(["GB", "US", "GB", "US"]))[0].tolist()
    ['442079460018', '14155550100', '442079460018', <NA>]
    """
    if regions is None:
        regions = pd.Series(default_region, index=values.index)
    regions = regions.fillna(default_region).astype(str).str.upper()
    compact = values.str.replace(r"[^\d+]", "", regex=True)
    digits = compact.str.replace("+", "", regex=False)
    international = compact.str.startswith("+") | compact.str.startswith("00")
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    intl = digits.where(international).str.lstrip("0")
    out[international] = intl[international]
    nanp = ~international & regions.isin(_NANP)
    ten = nanp & digits.str.fullmatch(r"[2-9]\d{9}")
    eleven = nanp & digits.str.fullmatch(r"1[2-9]\d{9}")
    out[ten] = "1" + digits[ten]
    out[eleven] = digits[eleven]
    rest = ~international & ~nanp & digits.str.len().gt(0)
    if rest.any():
        out[rest] = [_parse_phone(v, r) for v, r in zip(values[rest], regions[rest], strict=True)]
    good = out.str.fullmatch(r"[1-9]\d{6,14}").fillna(False).astype(bool)
    return _refuse(out, ~good, "is not a phone number (give it with its country code, or set default_region)")


def _parse_phone(value: str, region: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


NORMALISERS: dict[str, Callable[..., tuple[pd.Series, pd.Series]]] = {
    "em": normalise_email, "ph": normalise_phone, "fn": normalise_name, "ln": normalise_name,
    "ge": normalise_gender, "db": normalise_birthdate, "ct": normalise_city, "st": normalise_state,
    "zp": normalise_zip, "country": normalise_country, "external_id": normalise_identifier,
    "hashed_maids": normalise_maid,
}


def normalise_and_hash(values: pd.Series, field: str, *, regions: pd.Series | None = None,
                       default_region: str = "US") -> tuple[pd.Series, pd.Series]:
    """``(hashes, problems)`` for one user_data field, aligned to ``values``.

    ``values`` are raw strings (or dates for ``db``); NA stays NA with no problem. A value
    already 64-hex is taken as a hash (lower-cased) and not hashed again. ``problems`` holds
    "<field> <reason>" where a value was refused (its hash is then NA).

    >>> hashes, problems = normalise_and_hash(pd.Series(["JO@example.com ", "x", None]), "em")
    >>> hashes.iloc[0] == sha256_hex("jo@example.com"), problems.tolist()
    (True, [<NA>, 'em is not an email address', <NA>])
    """
    if field not in NORMALISERS:
        raise KeyError(f"{field!r} is not a hashed user_data field; hashed fields: {', '.join(NORMALISERS)}")
    raw = _as_text(values, field)
    by_region = field == "ph" and regions is not None
    key = raw + "\x00" + regions.fillna("").astype("string") if by_region else raw
    codes, uniques = pd.factorize(key)
    hashes = pd.Series(pd.NA, index=values.index, dtype="string")
    problems = pd.Series(pd.NA, index=values.index, dtype="string")
    if len(uniques) == 0:
        return hashes, problems
    unique_regions = None
    if by_region:  # codes number distinct keys in order of first appearance
        present, first = np.unique(codes, return_index=True)
        first = first[present >= 0]
        unique_raw = pd.Series(raw.to_numpy()[first], dtype="string")
        unique_regions = pd.Series(regions.to_numpy()[first], dtype="string")
    else:
        unique_raw = pd.Series(uniques, dtype="string")
    already = unique_raw.str.fullmatch(_HEX_PATTERN).astype(bool)
    unique_hash = pd.Series(pd.NA, index=unique_raw.index, dtype="string")
    unique_problem = pd.Series(pd.NA, index=unique_raw.index, dtype="string")
    unique_hash[already] = unique_raw[already].str.lower()
    todo = ~already
    if todo.any():
        kwargs: dict = {"default_region": default_region}
        if unique_regions is not None:
            kwargs["regions"] = unique_regions[todo]
        normalised, problem = NORMALISERS[field](unique_raw[todo], **kwargs)
        usable = normalised.notna()
        unique_hash[usable[usable].index] = [sha256_hex(v) for v in normalised[usable]]
        unique_problem[problem.index] = (field + " " + problem).where(problem.notna())
    taken = codes >= 0
    hashes[taken] = unique_hash.to_numpy()[codes[taken]]
    problems[taken] = unique_problem.to_numpy()[codes[taken]]
    return hashes, problems


def hash_values(values: pd.Series, field: str, **kwargs) -> pd.Series:
    """Just the hashes of :func:`normalise_and_hash` (NA where a value was refused or missing).

    >>> hash_values(pd.Series(["+1 (415) 555-0100", "14155550100"]), "ph").nunique()
    1
    """
    return normalise_and_hash(values, field, **kwargs)[0]


def _as_text(values: pd.Series, field: str) -> pd.Series:
    """Strings, trimmed; dates (for ``db``) as ISO text; blanks are NA."""
    if field == "db" and pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    elif field == "db" and values.dtype == object:
        values = values.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    text = values.astype("string").str.strip()
    return text.mask(text == "")
