"""What an edit plan may change, per entity type: API field, kind, and allowed values.

The plan speaks in API field names (what the update bodies carry). ``FRAME_COLUMNS`` maps
the entity frames' column names (from :mod:`pintools.frames.schema`) to those fields.

>>> editable("ad_group", "bid_in_micro_currency").kind
'money'
>>> FRAME_COLUMNS["campaign"]["daily_spend_cap_micro"]
'daily_spend_cap'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..frames import schema

STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED")
BUDGET_TYPES = ("DAILY", "LIFETIME", "CBO_ADGROUP")
TARGETING_KEYS = ("AGE_BUCKET", "APPTYPE", "AUDIENCE_EXCLUDE", "AUDIENCE_INCLUDE", "GENDER", "GEO", "INTEREST",
                  "LOCALE", "LOCATION", "SHOPPING_RETARGETING", "TARGETING_STRATEGY")
TARGETING_ENUMS = {
    "AGE_BUCKET": ("18-24", "19+", "20+", "21+", "25-34", "35-44", "45-49", "50-54", "55-64", "65+"),
    "APPTYPE": ("android_mobile", "android_tablet", "ipad", "iphone", "web", "web_mobile"),
    "GENDER": ("unknown", "male", "female"),
    "TARGETING_STRATEGY": ("CHOOSE_YOUR_OWN", "FIND_NEW_CUSTOMERS", "RECONNECT_WITH_USERS"),
}
MATCH_TYPES = ("BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE", "PHRASE_NEGATIVE")
#: ``ObjectiveType`` of Pinterest API 5.23, and the 5.12 values it removed (with their replacement)
OBJECTIVE_TYPES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES", "VIDEO_COMPLETION")
REMOVED_OBJECTIVES = {"VIDEO_VIEW": "VIDEO_COMPLETION", "WEB_SESSIONS": None}
#: why keyword bids are refused everywhere (builders, sheets, checks)
KEYWORD_BIDS_IGNORED = ("Pinterest's current API ignores keyword bids (v5.23 KeywordsCommon.bid: \"Input will not "
                        "be set and field will return null\"): change the ad group's bid instead")
ENTITY_TYPES = ("campaign", "ad_group", "ad", "keyword", "product_group")


@dataclass(frozen=True)
class Editable:
    """An editable field: ``kind`` is money, enum, bool, time, text or targeting."""

    entity_type: str
    field: str
    kind: str
    allowed: tuple[str, ...] = ()
    nullable: bool = False


_FIELDS = [
    Editable("campaign", "name", "text"),
    Editable("campaign", "status", "enum", STATUSES),
    Editable("campaign", "daily_spend_cap", "money", nullable=True),
    Editable("campaign", "lifetime_spend_cap", "money", nullable=True),
    Editable("campaign", "start_time", "time", nullable=True),
    Editable("campaign", "end_time", "time", nullable=True),
    Editable("campaign", "is_campaign_budget_optimization", "bool"),
    Editable("campaign", "default_ad_group_budget_in_micro_currency", "money", nullable=True),
    Editable("ad_group", "name", "text"),
    Editable("ad_group", "status", "enum", STATUSES),
    Editable("ad_group", "budget_in_micro_currency", "money", nullable=True),
    Editable("ad_group", "bid_in_micro_currency", "money", nullable=True),
    Editable("ad_group", "budget_type", "enum", BUDGET_TYPES),
    Editable("ad_group", "start_time", "time", nullable=True),
    Editable("ad_group", "end_time", "time", nullable=True),
    Editable("ad_group", "targeting_spec", "targeting"),
    Editable("ad", "name", "text"),
    Editable("ad", "status", "enum", STATUSES),
    Editable("keyword", "bid", "money", nullable=True),
    Editable("keyword", "archived", "bool"),
    Editable("keyword", "match_type", "enum", MATCH_TYPES),
    # product group promotions (5.23 ProductGroupPromotion): null bid = the ad group's bid
    Editable("product_group", "bid_in_micro_currency", "money", nullable=True),
    Editable("product_group", "status", "enum", STATUSES),
]
EDITABLE = {(f.entity_type, f.field): f for f in _FIELDS}

_SCHEMAS = {"campaign": schema.CAMPAIGN, "ad_group": schema.AD_GROUP, "ad": schema.AD, "keyword": schema.KEYWORD,
            "product_group": schema.PRODUCT_GROUP}
#: frame column → API field, for the columns of each entity frame that map to an editable field
FRAME_COLUMNS = {
    entity: {f.column: f.api[0] for f in table.fields if (entity, f.api[0]) in EDITABLE}
    for entity, table in _SCHEMAS.items()
}


def editable(entity_type: str, field: str) -> Editable:
    """The rule for (entity type, API field); a ``ValueError`` naming what is editable otherwise."""
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"entity type must be one of {', '.join(ENTITY_TYPES)}, got {entity_type!r}")
    try:
        return EDITABLE[(entity_type, field)]
    except KeyError:
        names = ", ".join(f for (e, f) in EDITABLE if e == entity_type)
        raise ValueError(f"{entity_type} field {field!r} cannot be edited by a plan; editable: {names}") from None


def api_field(entity_type: str, column: str) -> str:
    """A frame column (``daily_spend_cap_micro``) or API field (``daily_spend_cap``) → the API field."""
    mapping = FRAME_COLUMNS[entity_type]
    if column in mapping:
        return mapping[column]
    return editable(entity_type, column).field
