"""Reference resources: delivery metric definitions, ad account countries, single interests.

All of it is the emulator's **demo data**, not Pinterest's text:

* ``delivery_metrics``: one item per analytics column the emulator knows (sync columns for
  ``report_type=SYNC``, sync + async ones for ``ASYNC`` or no type); ``definition`` is pintools'
  own description (:mod:`pintools.analytics.metric_names`), ``display_name`` its first friendly
  name, capitalised, and absent where it has none (as the spec allows); ``category`` is ``ADS``.
* ``ad_account_countries``: the demo targeting catalogue's countries with their currencies'
  plural names ("Dollars"), ``index`` 1.. in name order.
* ``interest``: the catalogue's top-level interests (``level`` 1) and a few children
  (``level`` 2) with stable ids.

Example:
    >>> delivery_metrics("SYNC")[0]["category"]
    'ADS'
    >>> ad_account_countries()[0]
    {'code': 'AR', 'currency': 'Pesos', 'index': 1, 'name': 'Argentina'}
    >>> interest("935249274030")["level"]
    1
"""

from __future__ import annotations

from pintools.analytics.metric_names import aliases_of, describe
from pintools.emulator import targeting_catalog as cat
from pintools.emulator.errors import not_found
from pintools.emulator.models.column_names import ASYNC_COLUMNS, SYNC_COLUMNS
from pintools.emulator.models.hashing import key64

_EURO = ("IE", "DE", "AT", "FR", "ES", "IT", "PT", "GR", "MT", "NL", "BE", "LU", "FI", "SK")
CURRENCY_NAMES = {**{c: "Euros" for c in _EURO}, "US": "Dollars", "CA": "Dollars", "AU": "Dollars", "NZ": "Dollars",
                  "SG": "Dollars", "HK": "Dollars", "MX": "Pesos", "AR": "Pesos", "CO": "Pesos", "CL": "Pesos",
                  "BR": "Reais", "GB": "Pounds", "CH": "Francs", "SE": "Kronor", "DK": "Kroner", "NO": "Kroner",
                  "PL": "Zlotys", "RO": "Lei", "HU": "Forints", "CZ": "Korunas", "JP": "Yen", "KR": "Won",
                  "IL": "Shekels"}
CHILD_INTERESTS = {
    "935249274030": ("Living Room Decor", "Wall Decor", "Small Space Decor"),
    "949446911185": ("Baking", "Weeknight Dinners", "Cocktails"),
    "941870572865": ("Dresses", "Capsule Wardrobe", "Shoes"),
    "906745627471": ("Beach Vacations", "City Breaks"),
    "913957498817": ("Indoor Plants", "Vegetable Gardening"),
}


def delivery_metrics(report_type: str | None) -> list[dict]:
    """``DeliveryMetricsResponse.items`` for a report type (``SYNC``, ``ASYNC`` or None).

    Example:
        >>> delivery_metrics("SYNC")[0]["display_name"]
        'Spend'
    """
    columns = SYNC_COLUMNS if report_type == "SYNC" else ASYNC_COLUMNS
    items = []
    for column in columns:
        item = {"name": column, "category": "ADS",
                "definition": describe(column) or f"{column.replace('_', ' ').capitalize()} (emulator demo data)."}
        names = aliases_of(column)
        if names:
            item["display_name"] = names[0][:1].upper() + names[0][1:]
        items.append(item)
    return items


def ad_account_countries() -> list[dict]:
    """``AdAccountsCountryResponse.items``: code, currency, index, name.

    Example:
        >>> next(c for c in ad_account_countries() if c["code"] == "GB")["currency"]
        'Pounds'
    """
    ordered = sorted(cat.COUNTRIES.items(), key=lambda kv: kv[1])
    return [{"code": code, "currency": CURRENCY_NAMES.get(code, "Dollars"), "index": i, "name": name}
            for i, (code, name) in enumerate(ordered, start=1)]


def child_id(parent_id: str, name: str) -> str:
    """The stable 12-digit id of a child interest.

    Example:
        >>> len(child_id("935249274030", "Wall Decor"))
        12
    """
    return str(10**11 + key64("interest", parent_id, name) % (9 * 10**11))


def _children() -> dict[str, tuple[str, str]]:
    return {child_id(p, n): (n, p) for p, names in CHILD_INTERESTS.items() for n in names}


def interest(interest_id: str) -> dict:
    """``SingleInterestTargetingOptionResponse``; 404 code 2 "Interest not found." for an unknown id.

    Example:
        >>> interest(child_id("935249274030", "Wall Decor"))["name"]
        'Wall Decor'
    """
    if interest_id in cat.INTERESTS:
        kids = [child_id(interest_id, n) for n in CHILD_INTERESTS.get(interest_id, ())]
        return {"id": interest_id, "name": cat.INTERESTS[interest_id], "level": 1, "child_interests": kids}
    children = _children()
    if interest_id in children:
        return {"id": interest_id, "name": children[interest_id][0], "level": 2, "child_interests": []}
    raise not_found("Interest")
