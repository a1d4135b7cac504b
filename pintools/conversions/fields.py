"""The Conversions API event as the spec defines it (``ConversionEvents``, v5.23.0), and the
column names pintools recognises for each field.

Every field has a *path*: ``event_name``, ``user_data.em``, ``custom_data.value``,
``device_info.os_family`` (the ``app_info`` / ``device_info`` objects: :mod:`.context`). The spec
forbids unknown keys on the event, in ``custom_data`` and in each ``contents`` item
(``additionalProperties: false``), so this catalogue is the whole vocabulary; the
fidelity tests compare it with the spec.

>>> FIELDS["user_data.em"].kind, FIELDS["custom_data.value"].kind
('hashed', 'decimal')
>>> resolve_alias("Customer Email")
'user_data.em'
>>> resolve_alias("revenue"), resolve_alias("custom_data.value")
('custom_data.value', 'custom_data.value')
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .context import OBJECTS as CONTEXT_OBJECTS
from .context import RULES as CONTEXT_RULES

#: ``event_name`` values the spec lists ("use the right event_name otherwise the event won't be accepted"):
#: 5.23.0's fifteen (5.12.0 had nine; add_payment_info, add_to_wishlist, app_install,
#: initiate_checkout, subscribe and view_content are new).
EVENT_NAMES = ("add_payment_info", "add_to_cart", "add_to_wishlist", "app_install", "checkout", "custom",
               "initiate_checkout", "lead", "page_visit", "search", "signup", "subscribe", "view_category",
               "view_content", "watch_video")
#: ``action_source`` values.
ACTION_SOURCES = ("app_android", "app_ios", "web", "offline")
#: Fields every event must carry (``user_data`` is checked through its identifiers).
REQUIRED = ("event_name", "action_source", "event_time", "event_id")
#: Max events per call (``data`` ``maxItems``).
MAX_EVENTS_PER_CALL = 1000


class Field(NamedTuple):
    """One payload field: its path and what kind of value it holds.

    Kinds: ``str``, ``int``, ``bool``, ``time`` (Unix seconds), ``enum``, ``decimal`` (a
    decimal number sent as a string), ``hashed`` (array of SHA-256 hex strings, normalised
    and hashed here), ``plain`` (a user_data string never hashed), ``str_list``,
    ``contents`` (array of product objects).
    """

    path: str
    kind: str


def _fields(prefix: str, kind: str, names: str) -> list[Field]:
    return [Field(prefix + name, kind) for name in names.split()]


_ALL = [
    Field("event_name", "enum"), Field("action_source", "enum"), Field("event_time", "time"),
    Field("event_id", "str"), Field("event_source_url", "str"), Field("opt_out", "bool"),
    Field("partner_name", "str"), Field("wifi", "bool"),
    *_fields("", "str", "app_id app_name app_version device_brand device_carrier device_model device_type "
                        "os_version language"),
    *_fields("user_data.", "hashed", "em hashed_maids ph ge db ln fn ct st zp country external_id"),
    *_fields("user_data.", "plain", "client_ip_address client_user_agent click_id partner_id"),
    Field("custom_data.currency", "str"), Field("custom_data.value", "decimal"),
    Field("custom_data.content_ids", "str_list"), Field("custom_data.contents", "contents"),
    Field("custom_data.num_items", "int"),
    *_fields("custom_data.", "str", "content_name content_category content_brand order_id search_string "
                                   "opt_out_type np"),
    # 5.23.0 additions: custom_data's three, then the app_info / device_info objects (.context)
    Field("custom_data.predicted_ltv", "decimal"), Field("custom_data.external_measurement_id", "str"),
    Field("custom_data.external_measurement_vendor_id", "int"),
    *[Field(path, rule.kind) for path, rule in CONTEXT_RULES.items()],
]
#: Every field the event may carry, by path.
FIELDS: dict[str, Field] = {f.path: f for f in _ALL}
#: Keys of one ``custom_data.contents`` item, with the kind of each.
CONTENT_FIELDS = {"id": "str", "item_price": "decimal", "quantity": "int", "item_name": "str",
                  "item_category": "str", "item_brand": "str"}
#: The user_data fields that are SHA-256 hashed.
HASHED = tuple(p.split(".", 1)[1] for p, f in FIELDS.items() if f.kind == "hashed")
#: The user_data fields sent as they are (never hashed).
PLAIN = tuple(p.split(".", 1)[1] for p, f in FIELDS.items() if f.kind == "plain")

# Column names an analyst's file is likely to use, after lower-casing and turning every run of
# non-alphanumerics into "_". A column named like a field (``em``, ``user_data.em``) needs no alias.
_ALIASES = {
    "event_name": "event event_type conversion_event",
    "event_time": "timestamp time event_timestamp order_time order_date order_datetime created_at "
                  "conversion_time date datetime",
    "event_id": "transaction_id conversion_id dedup_id deduplication_id",
    "event_source_url": "url page_url source_url landing_page",
    "user_data.em": "email email_address e_mail mail customer_email",
    "user_data.ph": "phone phone_number telephone mobile mobile_number tel customer_phone",
    "user_data.fn": "first_name firstname given_name forename",
    "user_data.ln": "last_name lastname surname family_name",
    "user_data.ge": "gender sex",
    "user_data.db": "date_of_birth dob birthday birth_date birthdate",
    "user_data.ct": "city town",
    "user_data.st": "state region province state_code",
    "user_data.zp": "zip zip_code zipcode postcode postal_code post_code",
    "user_data.country": "country_code",
    "user_data.external_id": "customer_id user_id loyalty_id crm_id",
    "user_data.hashed_maids": "maid maids idfa gaid advertising_id mobile_ad_id",
    "user_data.client_ip_address": "ip ip_address client_ip",
    "user_data.client_user_agent": "user_agent ua client_ua",
    "user_data.click_id": "epik",
    "custom_data.value": "revenue total order_value order_total amount value_in_currency",
    "custom_data.order_id": "order order_number",
    "custom_data.num_items": "quantity items item_count units",
    "custom_data.content_ids": "product_ids skus sku item_ids",
    "custom_data.contents": "products line_items items_json",
    "custom_data.search_string": "search search_query search_term query keywords",
}


def column_key(name: object) -> str:
    """A column name compared for aliases: lower case, runs of other characters as "_".

    >>> column_key("Customer  Email")
    'customer_email'
    """
    return re.sub(r"[^0-9a-z.]+", "_", str(name).strip().lower()).strip("_")


_LOOKUP: dict[str, str] = {}
for _path in FIELDS:
    _LOOKUP[_path] = _path
    if _path.split(".", 1)[0] not in CONTEXT_OBJECTS:  # app_info.* / device_info.* only by their paths
        _LOOKUP.setdefault(_path.rsplit(".", 1)[-1], _path)
for _path, _names in _ALIASES.items():
    for _name in _names.split():
        _LOOKUP[_name] = _path
#: ``custom_data.value`` given as exact integer micro-currency (the pintools money convention).
VALUE_MICRO_COLUMNS = {"value_micro", "value_in_micro_currency", "custom_data.value_micro"}


def resolve_alias(column: object) -> str | None:
    """The field path a column name stands for, or None.

    >>> resolve_alias("Phone Number"), resolve_alias("user_data.ph"), resolve_alias("notes") is None
    ('user_data.ph', 'user_data.ph', True)
    """
    return _LOOKUP.get(column_key(column))


def looks_like_field_path(column: object) -> bool:
    """True when a column is written as a payload path (``custom_data.x``, ``user_data.x``,
    ``app_info.x``, ``device_info.x``).

    >>> looks_like_field_path("custom_data.custom_event_name"), looks_like_field_path("notes")
    (True, False)
    """
    return column_key(column).split(".", 1)[0] in {"user_data", "custom_data", *CONTEXT_OBJECTS} and "." in str(column)
