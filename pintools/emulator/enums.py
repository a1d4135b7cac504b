"""Enum tables the emulator enforces, copied from OpenAPI v5.23.0, the version pintools targets
(schema names in comments; where 5.12.0 differed, the comment says so).

The spec JSON itself stays in ``shared/reference``; ``tests/emulator/test_spec_fidelity.py``
checks every table here against it, so a drift fails the tests.

Example:
    >>> "WEB_CONVERSION" in OBJECTIVE_TYPES
    True
"""

from __future__ import annotations

# ObjectiveType (5.23.0: "WEB_SESSIONS and VIDEO_VIEW objectives are deprecated ... use VIDEO_COMPLETION";
# 5.12.0 had VIDEO_VIEW and WEB_SESSIONS and no VIDEO_COMPLETION)
OBJECTIVE_TYPES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES", "VIDEO_COMPLETION")
REMOVED_OBJECTIVE_TYPES = ("VIDEO_VIEW", "WEB_SESSIONS")
# ObjectiveType description: these objectives make a campaign budget-optimised (CBO).
CBO_OBJECTIVES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES")
# EntityStatus
ENTITY_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
DEFAULT_LIST_STATUSES = ("ACTIVE", "PAUSED")  # query_entity_statuses default
# CampaignSummaryStatus == AdGroupSummaryStatus
SUMMARY_STATUSES = (
    "RUNNING", "PAUSED", "NOT_STARTED", "COMPLETED", "ADVERTISER_DISABLED", "ARCHIVED", "DRAFT", "DELETED_DRAFT",
)
# PinPromotionSummaryStatus
AD_SUMMARY_STATUSES = (
    "APPROVED", "PAUSED", "PENDING", "REJECTED", "ADVERTISER_DISABLED", "ARCHIVED", "DRAFT", "DELETED_DRAFT",
)
# BudgetType
BUDGET_TYPES = ("DAILY", "LIFETIME", "CBO_ADGROUP")
# ActionType (billable_event)
ACTION_TYPES = ("CLICKTHROUGH", "IMPRESSION", "VIDEO_V_50_MRC")
# PacingDeliveryType
PACING_DELIVERY_TYPES = ("STANDARD", "ACCELERATED")
# PlacementGroupType
PLACEMENT_GROUP_TYPES = ("ALL", "SEARCH", "BROWSE", "OTHER")
# AdGroupCommon.bid_strategy_type (null allowed too)
BID_STRATEGY_TYPES = ("AUTOMATIC_BID", "MAX_BID", "TARGET_AVG")
# AdGroupResponse.conversion_learning_mode_type and conversion_tag_v3_goal_metadata.learning_mode_type
LEARNING_MODE_TYPES = ("NOT_ACTIVE", "ACTIVE")
# OptimizationGoalMetadata.conversion_tag_v3_goal_metadata.conversion_event
CONVERSION_EVENTS = (
    "PAGE_VISIT", "SIGNUP", "CHECKOUT", "CUSTOM", "VIEW_CATEGORY", "SEARCH", "ADD_TO_CART", "WATCH_VIDEO", "LEAD",
    "APP_INSTALL",
)
# OptimizationGoalMetadata.frequency_goal_metadata.timerange
FREQUENCY_TIMERANGES = ("THIRTY_DAY", "DAY", "SEVEN_DAY", "TWENTY_MINUTE", "TEN_MINUTE", "TWENTY_FOUR_HOUR")
# TrackingUrls properties
TRACKING_URL_EVENTS = ("impression", "click", "engagement", "buyable_button", "audience_verification")

# TargetingSpec keys (the spec spells one key "AUDIENCE_INCLUDE'": digest §17 #1, real key below)
TARGETING_SPEC_KEYS = (
    "AGE_BUCKET", "APPTYPE", "AUDIENCE_EXCLUDE", "AUDIENCE_INCLUDE", "GENDER", "GEO", "INTEREST", "LOCALE", "LOCATION",
    "MAXIMUM_AGE", "MINIMUM_AGE", "SHOPPING_RETARGETING", "TARGETING_STRATEGY",
)  # 5.12.0 had no MINIMUM_AGE / MAXIMUM_AGE
# TargetingSpecAgeBucket (5.12.0 had no "19+" / "20+")
AGE_BUCKETS = ("18-24", "19+", "20+", "21+", "25-34", "35-44", "45-49", "50-54", "55-64", "65+")
APPTYPES = ("android_mobile", "android_tablet", "ipad", "iphone", "web", "web_mobile")
GENDERS = ("unknown", "male", "female")
TARGETING_STRATEGIES = ("CHOOSE_YOUR_OWN", "FIND_NEW_CUSTOMERS", "RECONNECT_WITH_USERS")

# CreativeType (5.12.0 lacked the last three)
CREATIVE_TYPES = (
    "REGULAR", "VIDEO", "SHOPPING", "CAROUSEL", "MAX_VIDEO", "SHOP_THE_PIN", "COLLECTION", "IDEA", "SHOWCASE", "QUIZ",
    "COLLAGE", "MAX_WIDTH_REGULAR_COLLECTION", "MAX_WIDTH_VIDEO_COLLECTION",
)
# GridClickType
GRID_CLICK_TYPES = ("CLOSEUP", "DIRECT_TO_DESTINATION")
# CustomizableCTAType (null allowed too; 5.12.0's inline enum said VISIT_WEBSITE where 5.23.0 says
# VISIT_SITE, and lacked the last eleven values)
CUSTOMIZABLE_CTA_TYPES = (
    "GET_OFFER", "LEARN_MORE", "ORDER_NOW", "SHOP_NOW", "SIGN_UP", "SUBSCRIBE", "BUY_NOW", "CONTACT_US", "GET_QUOTE",
    "VISIT_SITE", "APPLY_NOW", "BOOK_NOW", "REQUEST_DEMO", "REGISTER_NOW", "FIND_A_DEALER", "ADD_TO_CART",
    "WATCH_NOW", "READ_MORE", "BUY_TICKETS", "DONATE_NOW", "DOWNLOAD", "EXPLORE_MORE", "FIND_A_LOCATION", "GET_DEAL",
    "GET_RECIPE", "GET_SHOWTIMES", "ON_SALE", "PLAY_GAME", "TRY_IT",
)
# AdResponse.review_status
REVIEW_STATUSES = ("OTHER", "PENDING", "REJECTED", "APPROVED")

# MatchType
MATCH_TYPES = ("BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE", "PHRASE_NEGATIVE")
NEGATIVE_MATCH_TYPES = ("EXACT_NEGATIVE", "PHRASE_NEGATIVE")

# query_order
ORDERS = ("ASCENDING", "DESCENDING")
# Currency (5.12.0 lacked INR and TRY)
CURRENCIES = (
    "UNK", "USD", "GBP", "CAD", "EUR", "AUD", "NZD", "SEK", "ILS", "CHF", "HKD", "JPY", "SGD", "KRW", "NOK", "DKK", "PLN",
    "RON", "HUF", "CZK", "BRL", "MXN", "ARS", "CLP", "COP", "INR", "TRY",
)
# BusinessAccessRole (5.12.0 lacked FINANCE_VIEW and FINANCE_EDIT)
BUSINESS_ACCESS_ROLES = (
    "OWNER", "ADMIN", "ANALYST", "SOS_READER", "FINANCE_MANAGER", "FINANCE_VIEW", "FINANCE_EDIT", "AUDIENCE_MANAGER",
    "CAMPAIGN_MANAGER",
    "CATALOGS_MANAGER", "RESTRICTED_OWNER", "PROFILE_MANAGER", "PROFILE_PUBLISHER", "RESOURCE_PINNER_LIST_OWNER",
    "RESOURCE_PINNER_LIST_READER", "BIZ_PINNER_LIST_SHARER", "RESOURCE_CONVERSION_TAGS_READER",
)
# OauthAccessTokenRequest.grant_type (5.12.0 had no client_credentials)
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
# x-ratelimit-category values (5.12.0 had no advanced_auction_read/_write, msot_write; digest §1.3)
RATE_LIMIT_CATEGORIES = (
    "ads_read", "ads_write", "ads_analytics", "ads_conversions", "trends_read", "org_read", "org_write",
    "org_analytics", "catalogs_read", "catalogs_write", "advanced_auction_read", "advanced_auction_write", "msot_write",
)

# ---- analytics, reports and research (5.23.0) --------------------------------------------
# Granularity (the description's WEEKLY/MONTHLY are not values: digest §17 #12)
GRANULARITIES = ("TOTAL", "DAY", "HOUR", "WEEK", "MONTH")
# ConversionAttributionWindowDays (click/engagement default 30, view default 1)
ATTRIBUTION_WINDOW_DAYS = (0, 1, 7, 14, 30, 60)
# ReportingTimeZone (5.23.0, closed beta: query_reporting_timezone and the async body's reporting_timezone)
REPORTING_TIMEZONES = ("PINTEREST_TIME_ZONE", "AD_ACCOUNT_TIME_ZONE")
# ConversionReportTimeType
CONVERSION_REPORT_TIMES = ("TIME_OF_AD_ACTION", "TIME_OF_CONVERSION")
# ConversionReportAttributionType
ATTRIBUTION_TYPES = ("INDIVIDUAL", "HOUSEHOLD")
# AdsAnalyticsTargetingType
ANALYTICS_TARGETING_TYPES = (
    "KEYWORD", "APPTYPE", "GENDER", "LOCATION", "PLACEMENT", "COUNTRY", "TARGETED_INTEREST", "PINNER_INTEREST",
    "AUDIENCE_INCLUDE", "GEO", "AGE_BUCKET", "REGION", "AGE_BUCKET_AND_GENDER",
)  # 5.12.0 had no AGE_BUCKET_AND_GENDER
# MetricsReportingLevel
REPORTING_LEVELS = (
    "ADVERTISER", "ADVERTISER_TARGETING", "CAMPAIGN", "CAMPAIGN_TARGETING", "AD_GROUP", "AD_GROUP_TARGETING",
    "PIN_PROMOTION", "PIN_PROMOTION_TARGETING", "KEYWORD", "PRODUCT_GROUP", "PRODUCT_GROUP_TARGETING", "PRODUCT_ITEM",
    "PRODUCT_ITEM_TARGETING",
)  # 5.12.0 had no PRODUCT_ITEM_TARGETING
# BulkReportingJobStatus
REPORT_STATUSES = ("DOES_NOT_EXIST", "FINISHED", "IN_PROGRESS", "EXPIRED", "FAILED", "CANCELLED")
# DataOutputFormat
REPORT_FORMATS = ("JSON", "CSV")
# AdsAnalyticsFilterColumn / AdsAnalyticsFilterOperator
METRICS_FILTER_FIELDS = ("SPEND_IN_DOLLAR", "TOTAL_IMPRESSION")
METRICS_FILTER_OPERATORS = ("LESS_THAN", "GREATER_THAN")
# ProductGroupSummaryStatus
PRODUCT_GROUP_STATUSES = ("RUNNING", "PAUSED", "EXCLUDED", "ARCHIVED")
# TrendsSupportedRegion ("+" is part of the value, inside a path segment)
TRENDS_REGIONS = (
    "US", "CA", "DE", "FR", "ES", "IT", "DE+AT+CH", "GB+IE", "IT+ES+PT+GR+MT", "PL+RO+HU+SK+CZ", "SE+DK+FI+NO",
    "NL+BE+LU", "AR", "BR", "CO", "MX", "MX+AR+CO+CL", "AU+NZ",
)
# TrendType
TREND_TYPES = ("growing", "monthly", "yearly", "seasonal")
# L1InterestList items
L1_INTERESTS = (
    "animals", "architecture", "art", "beauty", "childrens_fashion", "design", "diy_and_crafts", "education",
    "electronics", "entertainment", "event_planning", "finance", "food_and_drinks", "gardening", "health", "home_decor",
    "mens_fashion", "parenting", "quotes", "sport", "travel", "vehicles", "wedding", "womens_fashion",
)
# GenderList / AgeBucketList items (trends: no "21+")
TREND_GENDERS = ("female", "male", "unknown")
TREND_AGES = ("18-24", "25-34", "35-44", "45-49", "50-54", "55-64", "65+")
# AudienceInsightType
AUDIENCE_INSIGHT_TYPES = ("YOUR_TOTAL_AUDIENCE", "YOUR_ENGAGED_AUDIENCE", "PINTEREST_TOTAL_AUDIENCE")
# path_targeting_type (PublicTargetingType)
PUBLIC_TARGETING_TYPES = (
    "APPTYPE", "GENDER", "LOCALE", "AGE_BUCKET", "LOCATION", "GEO", "INTEREST", "KEYWORD", "AUDIENCE_INCLUDE",
    "AUDIENCE_EXCLUDE",
)

# ---- audiences and customer lists (5.12.0; unchanged in 5.23.0) ---------------------------
# AudienceType
AUDIENCE_TYPES = ("CUSTOMER_LIST", "VISITOR", "ENGAGEMENT", "ACTALIKE", "PERSONA")
# Audience.status is a plain string; its description names these values ("TOO_SMALL - Each
# audience list needs to have at least 100 people with Pinterest accounts before you can start using it").
AUDIENCE_STATUSES = ("READY", "INITIALIZING", "TOO_SMALL")
# AudienceUpdateOperationType (default UPDATE)
AUDIENCE_OPERATIONS = ("UPDATE", "REMOVE")
# audiences/list ownership_type (inline enum, default OWNED; "beta" in 5.12.0)
AUDIENCE_OWNERSHIP_TYPES = ("OWNED", "RECEIVED")
# CustomerList.status ("TOO_SMALL - the list has less than 100 Pinterest users")
CUSTOMER_LIST_STATUSES = ("PROCESSING", "READY", "TOO_SMALL", "UPLOADING")
# AudienceRule descriptions (plain strings in the schema, values named in the text):
# engagement_type "Supported values are click, save, closeup, comment and like";
# country (ACTALIKE) "Valid countries include: US, CA, and GB".
ENGAGEMENT_TYPES = ("click", "save", "closeup", "comment", "like")
ACTALIKE_COUNTRIES = ("US", "CA", "GB")
