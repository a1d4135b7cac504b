"""Schema tables: for each entity, API field ↔ DataFrame column ↔ kind (and so dtype).

One table per entity, read in both directions: API records become frames with
:func:`pintools.frames.convert.to_frame`, frame rows become API bodies with
:func:`pintools.frames.convert.to_records`.

Kinds and their dtypes:

=========  ===============================  ==============================================
kind       dtype                            notes
=========  ===============================  ==============================================
id         ``string``                       digits only, never a number
str        ``string``
enum       ``string``                       Pinterest enum values as sent
int        ``Int64``
micro      ``Int64``                        money in micro-currency; column name ends in
                                            ``_micro`` or ``_in_micro_currency``
bool       ``boolean``
time       ``datetime64[ns, UTC]``          from Unix seconds
json       ``object``                       nested objects kept as dicts
list       ``object``                       arrays kept as lists
=========  ===============================  ==============================================

>>> [f.column for f in CAMPAIGN.fields][:4]
['ad_account_id', 'id', 'name', 'status']
>>> CAMPAIGN.field_for_api("lifetime_spend_cap").column
'lifetime_spend_cap_micro'
"""

from __future__ import annotations

from dataclasses import dataclass

KIND_DTYPES = {
    "id": "string",
    "str": "string",
    "enum": "string",
    "int": "Int64",
    "micro": "Int64",
    "bool": "boolean",
    "time": "datetime64[ns, UTC]",
    "json": "object",
    "list": "object",
}


@dataclass(frozen=True)
class Field:
    """One column: its name in the frame, where it sits in the API record, and its kind."""

    column: str
    api: tuple[str, ...]
    kind: str

    @property
    def dtype(self) -> str:
        return KIND_DTYPES[self.kind]


@dataclass(frozen=True)
class Schema:
    """The ordered columns of one entity's frame."""

    entity: str
    fields: tuple[Field, ...]
    has_currency: bool = False

    @property
    def columns(self) -> list[str]:
        cols = [f.column for f in self.fields]
        return cols + ["currency"] if self.has_currency else cols

    @property
    def api_fields(self) -> set[str]:
        """Top-level API field names this schema reads."""
        return {f.api[0] for f in self.fields}

    def field_for_api(self, name: str) -> Field:
        for f in self.fields:
            if f.api == (name,):
                return f
        raise KeyError(f"{self.entity} has no API field {name!r}")

    def field(self, column: str) -> Field:
        for f in self.fields:
            if f.column == column:
                return f
        raise KeyError(f"{self.entity} frames have no column {column!r}")

    @property
    def money_columns(self) -> list[str]:
        return [f.column for f in self.fields if f.kind == "micro"]


def _f(spec: str) -> Field:
    """``"column:kind"`` or ``"column=api.path:kind"``."""
    left, kind = spec.rsplit(":", 1)
    column, _, api = left.partition("=")
    return Field(column, tuple((api or column).split(".")), kind)


def _schema(entity: str, specs: str, *, has_currency: bool = False) -> Schema:
    return Schema(entity, tuple(_f(s) for s in specs.split()), has_currency)


AD_ACCOUNT = _schema("ad_account", """
    id:id name:str country:enum currency:enum owner_id=owner.id:id owner_username=owner.username:str
    permissions:list created_time:time updated_time:time
""")

CAMPAIGN = _schema("campaign", """
    ad_account_id:id id:id name:str status:enum summary_status:enum objective_type:enum
    is_campaign_budget_optimization:bool is_flexible_daily_budgets:bool is_automated_campaign:bool
    lifetime_spend_cap_micro=lifetime_spend_cap:micro daily_spend_cap_micro=daily_spend_cap:micro
    default_ad_group_budget_in_micro_currency:micro
    start_time:time end_time:time order_line_id:id tracking_urls:json
    created_time:time updated_time:time type:str is_performance_plus:bool bid_options:json
""", has_currency=True)

AD_GROUP = _schema("ad_group", """
    ad_account_id:id campaign_id:id id:id name:str status:enum summary_status:enum
    budget_type:enum budget_in_micro_currency:micro bid_in_micro_currency:micro bid_strategy_type:enum
    billable_event:enum pacing_delivery_type:enum placement_group:enum auto_targeting_enabled:bool
    start_time:time end_time:time lifetime_frequency_cap:int conversion_learning_mode_type:enum
    targeting_spec:json optimization_goal_metadata:json tracking_urls:json
    feed_profile_id:id dca_assets:json created_time:time updated_time:time type:str
    bid_multiplier:json is_creative_optimization:bool promotion_id:id promotion_application_level:enum
    targeting_template_ids:list
""", has_currency=True)

AD = _schema("ad", """
    ad_account_id:id campaign_id:id ad_group_id:id id:id name:str status:enum summary_status:enum
    review_status:enum creative_type:enum pin_id:id destination_url:str
    click_tracking_url:str view_tracking_url:str android_deep_link:str ios_deep_link:str
    carousel_destination_urls:list carousel_android_deep_links:list carousel_ios_deep_links:list
    tracking_urls:json lead_form_id:id grid_click_type:enum customizable_cta_type:enum
    quiz_pin_data:json is_pin_deleted:bool is_removable:bool
    collection_items_destination_url_template:str rejected_reasons:list rejection_labels:list
    created_time:time updated_time:time type:str disclosure_type:enum disclosure_url:str
""")

KEYWORD = _schema("keyword", """
    ad_account_id:id parent_type:enum parent_id:id id:id value:str match_type:enum
    bid_in_micro_currency=bid:micro archived:bool type:str
""", has_currency=True)

# A product group promotion: a catalog product group's bid and status in a CATALOG_SALES ad group.
PRODUCT_GROUP = _schema("product_group", """
    ad_account_id:id ad_group_id:id id:id catalog_product_group_id:id catalog_product_group_name:str
    status:enum included:bool bid_in_micro_currency:micro creative_type:enum definition:str
    relative_definition:str parent_id:id customizable_cta_type:enum grid_click_type:enum
    collections_header_type:enum is_mdl:bool tracking_url:str
""", has_currency=True)

# Audiences and customer lists keep the API's own time names (``created_timestamp`` vs
# ``created_time``). ``customer_list_id`` lifts a CUSTOMER_LIST audience's list id out of ``rule``
# (null for other types), to join with customer lists; ``created_by_company_name`` is 5.23.0's.
AUDIENCE = _schema("audience", """
    ad_account_id:id id:id name:str audience_type:enum status:enum size:int description:str
    customer_list_id=rule.customer_list_id:id rule:json created_by_company_name:str
    created_timestamp:time updated_timestamp:time type:str
""")

CUSTOMER_LIST = _schema("customer_list", """
    ad_account_id:id id:id name:str status:enum num_uploaded_user_records:int num_removed_user_records:int
    num_batches:int exceptions:json created_time:time updated_time:time type:str
""")

SCHEMAS = {s.entity: s for s in (AD_ACCOUNT, CAMPAIGN, AD_GROUP, AD, KEYWORD, PRODUCT_GROUP, AUDIENCE, CUSTOMER_LIST)}
