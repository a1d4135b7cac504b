"""Normalise and SHA-256 hash user_data columns, as the spec words each field.

Each distinct value of a column is normalised and hashed once: :func:`normalise_and_hash`
walks the column's values with a per-column memo, so a million rows with a few thousand
cities cost a few thousand hashes, and a column of unique emails costs one trim, one
lower-case, one check and one hash per value. (On pandas' Python-backed strings a list
comprehension with compiled patterns is several times faster than the ``.str`` accessor,
which is why the normalisers below are plain functions of one string.) Values that are
already SHA-256 hex (64 hex digits) pass through, lower-cased, so hashed input is never
hashed twice.

A normaliser takes a trimmed, non-empty string and returns the normal form, or ``None`` when
the value cannot be used; :data:`PROBLEMS` then says why, without quoting the value (raw PII
never reaches messages or logs).

>>> hashes = hash_values(pd.Series([" Jo@Example.com", "jo@example.com", None]), "em")
>>> hashes.iloc[0] == hashes.iloc[1] == sha256_hex("jo@example.com"), hashes.isna().tolist()
(True, [False, False, True])
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .dtypes import TEXT
from .emails import EMAIL, clean_emails, normalise_email
from .phones import hash_phones, normalise_phone

_HEX64 = re.compile(r"[0-9A-Fa-f]{64}")
_NON_WORD = re.compile(r"[\W_]+")
_DOB = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")
_STATE = re.compile(r"[a-z]{2}")
_POSTCODE = re.compile(r"[0-9a-z]{2,10}")
_POSTCODE_GAPS = re.compile(r"[\s\-]+")


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``text``, as 64 lowercase hex digits.

    >>> sha256_hex("jo@example.com")[:16]
    'f4e19df2e6c609fb'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_name(text: str) -> str | None:
    """First and last names: lower-cased (the spec's only rule), inner whitespace collapsed.

    >>> normalise_name("Anne  Marie")
    'anne marie'
    """
    return " ".join(text.lower().split()) or None


_GENDERS = {"f": "f", "female": "f", "w": "f", "woman": "f", "m": "m", "male": "m", "man": "m",
            "n": "n", "non-binary": "n", "nonbinary": "n", "non binary": "n", "x": "n"}


def normalise_gender(text: str) -> str | None:
    """``f``, ``m`` or ``n`` (non-binary); "Female", "MALE", "non-binary" are understood.

    >>> [normalise_gender(g) for g in ("Female", "M", "Non-Binary", "?")]
    ['f', 'm', 'n', None]
    """
    return _GENDERS.get(text.lower())


def normalise_birthdate(text: str) -> str | None:
    """``YYYYMMDD``, from text that puts the year first (``1990-02-01``, ``1990/2/1``,
    ``19900201``, ``1990-02-01T00:00:00``). "01/02/1990" is refused: it is ambiguous.

    >>> [normalise_birthdate(d) for d in ("1990-02-01", "19900201", "1990/2/1", "01/02/1990", "1990-02-30")]
    ['19900201', '19900201', '19900201', None, None]
    """
    match = _DOB.fullmatch(re.split(r"[T ]", text, maxsplit=1)[0])
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}{month:02d}{day:02d}" if 1900 <= year <= 2100 else None


def normalise_city(text: str) -> str | None:
    """Lower-cased, without spaces or punctuation (letters of any script are kept).

    >>> [normalise_city(c) for c in ("San Francisco", "St. Albans", "Saint-Étienne")]
    ['sanfrancisco', 'stalbans', 'saintétienne']
    """
    return _NON_WORD.sub("", text.lower()) or None


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


def normalise_state(text: str) -> str | None:
    """A two-letter code, lower-cased; US state and Canadian province names become their codes.

    >>> [normalise_state(s) for s in ("CA", "New York", "Somewhere")]
    ['ca', 'ny', None]
    """
    lowered = " ".join(text.lower().replace(".", " ").split())
    code = _US_CA_STATES.get(lowered, lowered)
    return code if _STATE.fullmatch(code) else None


def normalise_zip(text: str) -> str | None:
    """Lower-cased without spaces or dashes; a US ZIP+4 keeps its first 5 digits. The spec says
    "only digits", which is the US case; the letters of UK or Canadian postcodes are kept.

    >>> [normalise_zip(z) for z in ("94105-1234", "SW1A 1AA", "02139")]
    ['94105', 'sw1a1aa', '02139']
    """
    compact = _POSTCODE_GAPS.sub("", text.lower())
    if len(compact) == 9 and compact.isdigit():
        compact = compact[:5]
    return compact if _POSTCODE.fullmatch(compact) else None


_COUNTRY_FIXES = {"uk": "gb", "usa": "us", "united states": "us", "united kingdom": "gb", "great britain": "gb"}


def normalise_country(text: str) -> str | None:
    """A two-letter ISO-3166 code, lower-cased ("UK" and "USA" are understood).

    >>> [normalise_country(c) for c in ("US", "uk", "Germany")]
    ['us', 'gb', None]
    """
    lowered = text.lower()
    code = _COUNTRY_FIXES.get(lowered, lowered)
    return code if _STATE.fullmatch(code) else None


def normalise_identifier(text: str) -> str | None:
    """``external_id``: as given (the spec states no normalisation).

    >>> normalise_identifier("Cust-0042")
    'Cust-0042'
    """
    return text


def normalise_maid(text: str) -> str | None:
    """A mobile advertising id (GAID/IDFA), lower-cased so a device hashes the same either way.

    >>> normalise_maid("6D92078A-8246-4BA4-AE5B-76104861E7DC")
    '6d92078a-8246-4ba4-ae5b-76104861e7dc'
    """
    return text.lower()


NORMALISERS: dict[str, Callable[[str], str | None]] = {
    "em": normalise_email, "ph": normalise_phone, "fn": normalise_name, "ln": normalise_name,
    "ge": normalise_gender, "db": normalise_birthdate, "ct": normalise_city, "st": normalise_state,
    "zp": normalise_zip, "country": normalise_country, "external_id": normalise_identifier,
    "hashed_maids": normalise_maid,
}
#: Why a value of a field was left out (never quoting the value).
PROBLEMS = {
    "em": "is not an email address", "ph": "is not a phone number (give it with its country code, or set default_region)",
    "fn": "is empty", "ln": "is empty", "ge": "is not a gender (f, m or n)",
    "db": "is not a date of birth written year first (YYYY-MM-DD)", "ct": "has no letters",
    "st": "is not a two-letter state code", "zp": "is not a postcode", "country": "is not a two-letter country code",
    "external_id": "is empty", "hashed_maids": "is empty",
}


def normalise_and_hash(values: pd.Series, field: str, *, regions: pd.Series | None = None,
                       default_region: str = "US", notes: bool = False
                       ) -> tuple[pd.Series, pd.Series] | tuple[pd.Series, pd.Series, pd.Series]:
    """``(hashes, problems)`` for one user_data field, aligned to ``values``; with ``notes=True``,
    ``(hashes, problems, notes)``.

    Missing and blank values stay NA with no problem. A value already 64-hex is taken as a
    hash (lower-cased). ``problems`` holds "<field> <reason>" where a value was refused (its
    hash is then NA). ``notes`` says what was cleaned from a value before hashing (emails:
    invisible characters, display name, ``mailto:``, trailing dot — see
    :func:`~pintools.conversions.emails.clean_email`),
    NA where nothing was; it never quotes the value. For ``ph``, ``regions`` (ISO-3166 codes per
    row, e.g. the ``country`` column) say how to read national numbers; ``default_region``
    fills the gaps.

    >>> hashes, problems = normalise_and_hash(pd.Series(["JO@example.com ", "x", None]), "em")
    >>> hashes.iloc[0] == sha256_hex("jo@example.com"), problems.tolist()
    (True, [<NA>, 'em is not an email address', <NA>])
    >>> hashes, problems, notes = normalise_and_hash(pd.Series(["mailto:jo@example.com", "jo@example.com"]),
    ...                                              "em", notes=True)
    >>> hashes.nunique(), notes.tolist()
    (1, ['mailto: prefix removed', <NA>])
    """
    results, cleaned = hashed_lists(values, field, regions=regions, default_region=default_region)
    return assemble(results, values.index, field, cleaned if notes else False)


def hashed_lists(values: pd.Series, field: str, *, regions: pd.Series | None = None,
                 default_region: str = "US") -> tuple[list[str | None], list[str | None] | None]:
    """:func:`normalise_and_hash` as plain lists, ``(hashes, notes)``: a hash, None (missing) or ""
    (refused) per value; the notes, or None when no value needed cleaning. Cheap to send between
    processes (no pandas objects).

    >>> hashed_lists(pd.Series(["mailto:jo@example.com", None, "x"]), "em")[0][1:], hashed_lists(pd.Series(["x"]), "em")[1]
    ([None, ''], None)
    """
    if field not in NORMALISERS:
        raise KeyError(f"{field!r} is not a hashed user_data field; hashed fields: {', '.join(NORMALISERS)}")
    normalise = NORMALISERS[field]
    cleaned: list[str | None] | None = None
    if field == "ph":
        default = str(default_region).upper()
        if regions is not None:
            codes, uniques = pd.factorize(regions.astype(object), use_na_sentinel=True)
            known = [r.strip().upper() if isinstance(r, str) and r.strip() else default for r in uniques]
            region_of = np.array(known + [default], dtype=object)[codes].tolist()
            return hash_phones(_raw_values(values), region_of), None
        normalise = lambda text: normalise_phone(text, default)  # noqa: E731
    if _mostly_repeated(values):  # normalise and hash each distinct value once
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        texts = _raw_values(pd.Series(uniques, dtype=object))
    else:
        codes, texts = None, _raw_values(values)
    if field == "em":
        texts, cleaned = clean_emails(texts)
        results = _hash_emails(texts)
    elif field == "ph":
        results = hash_phones(texts, [default] * len(texts))
    else:
        results = [None if text is None else _hash_or_refuse(text, normalise) for text in texts]
    if codes is not None:  # code -1 (missing) takes the trailing None
        results = np.array(results + [None], dtype=object)[codes].tolist()
        if cleaned is not None:
            cleaned = np.array(cleaned + [None], dtype=object)[codes].tolist()
    return results, cleaned


def _mostly_repeated(values: pd.Series, sample: int = 2000) -> bool:
    """True when a sample of the column has few distinct values (then factorising pays)."""
    head = values.iloc[:sample]
    return len(head) > 0 and head.nunique(dropna=True) < 0.5 * len(head)


def assemble(results: list, index: pd.Index, field: str, notes: list | None | bool = False
             ) -> tuple[pd.Series, pd.Series] | tuple[pd.Series, pd.Series, pd.Series]:
    """``(hashes, problems)`` from :func:`hashed_lists`' hashes, plus a notes Series unless
    ``notes`` is False (None: no notes).

    >>> hashes, problems = assemble(["a" * 64, "", None], pd.RangeIndex(3), "em")
    >>> hashes.isna().tolist(), problems.tolist()
    ([False, True, True], [<NA>, 'em is not an email address', <NA>])
    """
    problem = f"{field} {PROBLEMS[field]}"
    refused = "" in results
    hashes = pd.Series(pd.array([r or None for r in results] if refused else results, dtype=TEXT), index=index)
    problems = (pd.Series(pd.array([problem if r == "" else None for r in results], dtype=TEXT), index=index)
                if refused else pd.Series(pd.NA, index=index, dtype=TEXT))  # all-NA: 15x faster than a list
    if notes is False:
        return hashes, problems
    return hashes, problems, (pd.Series(pd.NA, index=index, dtype=TEXT) if notes is None
                              else pd.Series(pd.array(notes, dtype=TEXT), index=index))


def _hash_or_refuse(text: str, normalise: Callable[..., str | None], *args) -> str:
    """The hash of a trimmed value ("" when refused); 64-hex input passes through lower-cased.
    ``args`` go to ``normalise`` after the text (a phone's region)."""
    if len(text) == 64 and _HEX64.fullmatch(text):
        return text.lower()
    normal = normalise(text, *args)
    return sha256_hex(normal) if normal else ""


def _hash_emails(texts: list[str | None]) -> list[str | None]:
    """:func:`_hash_or_refuse` with :func:`normalise_email` over a column, in one tight loop (a
    column of ASCII text is lower-cased at once; when every value is an address, as in most
    columns, the checks run first over the whole column and the loop only hashes)."""
    joined = "\n".join([text or "" for text in texts])
    if joined.isascii() and joined.count("\n") == len(texts) - 1:
        lowered = joined.lower().split("\n") if texts else []
    else:  # lower-casing may change a length or meet a newline: one value at a time
        lowered = [text.lower() if text else "" for text in texts]
    sha, match, hex64 = hashlib.sha256, EMAIL.fullmatch, _HEX64.fullmatch
    if all(map(match, lowered)):  # no missing value ("" never matches), none refused, none 64-hex
        return [sha(low.encode()).hexdigest() for low in lowered]
    return [None if text is None else sha(low.encode()).hexdigest() if match(low)
            else low if len(text) == 64 and hex64(text) else ""
            for text, low in zip(texts, lowered, strict=True)]


def hash_values(values: pd.Series, field: str, **kwargs) -> pd.Series:
    """Just the hashes of :func:`normalise_and_hash` (NA where a value was refused or missing).

    >>> hash_values(pd.Series(["+1 (415) 555-0100", "14155550100"]), "ph").nunique()
    1
    """
    return normalise_and_hash(values, field, **kwargs)[0]


def _raw_values(values: pd.Series) -> list[str | None]:
    """:func:`trimmed_strings`, with a datetime column (dates of birth) as ``YYYY-MM-DD``."""
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    return trimmed_strings(values)


def trimmed_strings(values: pd.Series) -> list[str | None]:
    """The values as trimmed strings (dates and times as ISO text); missing and blank ones are None.

    >>> trimmed_strings(pd.Series([" a ", "", None, float("nan"), 42]))
    ['a', None, None, None, '42']
    """
    cells = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        return [value.strip() or None for value in cells]  # all text: the common case
    out: list[str | None] = []
    append = out.append
    for value in cells:
        if type(value) is str:
            value = value.strip()
            append(value or None)
        elif value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            append(None)
        elif hasattr(value, "isoformat"):
            append(value.isoformat())
        else:
            append(str(value).strip() or None)
    return out
