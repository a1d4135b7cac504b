"""Targeting options (digest §12.3): per ``PublicTargetingType`` a list of objects mapping
id → label, as the spec's ``TargetingOptionResponse`` example does.

LOCATION and GEO come in two objects each (countries + metros; regions + postal codes), so
clients must merge the list; KEYWORD and AUDIENCE_* are empty lists (nothing to enumerate).

Example:
    >>> targeting_options("GENDER")
    [{'female': 'Female', 'male': 'Male', 'unknown': 'Unspecified'}]
    >>> len(targeting_options("LOCATION")), targeting_options("LOCATION")[1]["807"]
    (2, 'U.S.: San Francisco-Oakland-San Jose')
    >>> targeting_options("KEYWORD")
    []
"""

from __future__ import annotations

from pintools.emulator import targeting_catalog as cat


def _geo() -> list[dict]:
    regions = {code: f"{cat.COUNTRIES[c]}: {name}" for c, table in cat.REGIONS.items()
               for code, (name, _) in table.items()}
    postal = {code: f"{cat.COUNTRIES[c]}: {code.split(':', 1)[1]} ({place})" for c, table in cat.POSTAL_CODES.items()
              for code, place in table.items()}
    return [regions, postal]


def targeting_options(targeting_type: str) -> list[dict]:
    """The options of one targeting type (KeyError for an unknown type)."""
    metros = dict(cat.US_DMAS)
    for table in cat.METROS.values():
        metros.update(table)
    options = {
        "APPTYPE": [dict(cat.APPTYPES)],
        "GENDER": [dict(cat.GENDERS)],
        "LOCALE": [dict(cat.LOCALES)],
        "AGE_BUCKET": [dict(cat.AGE_BUCKETS)],
        "LOCATION": [dict(cat.COUNTRIES), metros],
        "GEO": _geo(),
        "INTEREST": [dict(cat.INTERESTS)],
        "KEYWORD": [],
        "AUDIENCE_INCLUDE": [],
        "AUDIENCE_EXCLUDE": [],
    }
    return options[targeting_type]
