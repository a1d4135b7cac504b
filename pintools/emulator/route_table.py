"""The emulator's route table: one row per implemented Pinterest operation.

Each :class:`Route` names the HTTP method, the spec's path template (relative to ``/v5``),
the spec's ``operationId`` and ``x-ratelimit-category``, and the 400 message of its family.
The table drives Flask routing (``app.py``), rate-limit categories, the request log, fault
matching, and the moto-style coverage list.

Example:
    >>> find_route("campaigns/list").path
    '/ad_accounts/{ad_account_id}/campaigns'
    >>> flask_rule("/ad_accounts/{ad_account_id}/campaigns/{campaign_id}")
    '/v5/ad_accounts/<ad_account_id>/campaigns/<campaign_id>'
"""

from __future__ import annotations

import re
from typing import NamedTuple

API_PREFIX = "/v5"

ACCOUNT_MESSAGE = "Invalid ad account parameters."
CAMPAIGN_MESSAGE = "Invalid ad account campaign parameters."
AD_GROUP_MESSAGE = "Invalid ad account group parameters."
AD_MESSAGE = "Invalid ad account ads parameters."
KEYWORD_MESSAGE = "Invalid ad account keyword parameters."
OAUTH_MESSAGE = "Invalid parameters."
# Spec 400 examples (digest §1.2) for analytics and trends ...
ACCOUNT_ANALYTICS_MESSAGE = "Invalid ad account analytics parameters."
CAMPAIGN_ANALYTICS_MESSAGE = "Invalid ad account campaign analytics parameters."
AD_GROUP_ANALYTICS_MESSAGE = "Invalid ad account group analytics parameters."
AD_ANALYTICS_MESSAGE = "Invalid ad account ads analytics parameters."  # also reports create/get
TRENDS_MESSAGE = "Invalid trending keywords request parameters"
# ... and the emulator's own wording where the spec gives none.
KEYWORD_METRICS_MESSAGE = "Invalid ad account keyword metrics parameters."
AUDIENCE_INSIGHTS_MESSAGE = "Invalid ad account audience insights parameters."
TARGETING_OPTIONS_MESSAGE = "Invalid targeting options parameters."
BID_FLOOR_MESSAGE = "Invalid ad account bid floor parameters."
METRICS_READY_MESSAGE = "Invalid metrics ready state parameters."
BULK_MESSAGE = "Invalid ad account bulk parameters."
LEAD_FORMS_MESSAGE = "Invalid ad account lead forms parameters."  # spec 400 of lead_forms/list
LEAD_TEST_MESSAGE = "Invalid parameters."  # spec 400 of lead_form_test/create
# The subscription operations' spec 400 example is "Advertiser ID must be numeric."; the
# emulator's own wording for their other request problems:
SUBSCRIPTION_MESSAGE = "Invalid ad account subscription parameters."
CONVERSIONS_MESSAGE = "The request was invalid."  # spec 400 of events/create, code 4196
CONVERSIONS_CODE = 4196
AUDIENCE_MESSAGE = "Invalid ad account audience parameters."  # spec 400 of audiences/list
CUSTOMER_LIST_MESSAGE = "Invalid ad account customer list parameters."  # emulator's wording
PRODUCT_GROUP_MESSAGE = "Invalid ad account product group promotion parameters."  # emulator's wording
SIZING_MESSAGE = "Invalid ad group audience sizing parameters."  # spec 400 of ad_groups/audience_sizing
TERMS_RELATED_MESSAGE = "Invalid terms related parameters."  # spec 400 of terms_related/list
TERMS_SUGGESTED_MESSAGE = "Invalid terms suggested parameters."  # spec 400 of terms_suggested/list
CONVERSION_TAG_MESSAGE = "Invalid ad account conversion tag parameters."  # emulator's wording
RESOURCES_MESSAGE = "Invalid resources parameters."  # emulator's wording (delivery metrics, countries)
EVENT_QUALITY_MESSAGE = "Invalid event quality score parameters."  # emulator's wording


class Route(NamedTuple):
    """One implemented operation.

    ``invalid_code`` is the ``code`` of its 400 answers (400 unless the spec gives another).
    ``spec_checks_request=False``: a request that breaks the OpenAPI spec is not refused with a 400;
    its handler checks the path, query and body itself, the same with and without the spec, and
    the mismatch is recorded as a spec violation. Only ``events/create`` does this, so that one bad
    event fails alone (per-event ``failed``) instead of the whole batch (digest §15.2).

    Example:
        >>> Route("GET", "/ad_accounts", "ad_accounts/list", "ads_read", ACCOUNT_MESSAGE).method
        'GET'
        >>> find_route("events/create").spec_checks_request, find_route("events/create").invalid_code
        (False, 4196)
    """

    method: str
    path: str
    operation_id: str
    category: str
    invalid_message: str
    invalid_code: int = 400
    spec_checks_request: bool = True


_A = "/ad_accounts/{ad_account_id}"

ROUTES: tuple[Route, ...] = (
    Route("POST", "/oauth/token", "oauth/token", "org_read", OAUTH_MESSAGE),
    Route("GET", "/ad_accounts", "ad_accounts/list", "ads_read", ACCOUNT_MESSAGE),
    Route("GET", _A, "ad_accounts/get", "ads_read", ACCOUNT_MESSAGE),
    Route("GET", _A + "/campaigns", "campaigns/list", "ads_read", CAMPAIGN_MESSAGE),
    Route("POST", _A + "/campaigns", "campaigns/create", "ads_write", CAMPAIGN_MESSAGE),
    Route("PATCH", _A + "/campaigns", "campaigns/update", "ads_write", CAMPAIGN_MESSAGE),
    Route("GET", _A + "/campaigns/{campaign_id}", "campaigns/get", "ads_read", CAMPAIGN_MESSAGE),
    Route("GET", _A + "/ad_groups", "ad_groups/list", "ads_read", AD_GROUP_MESSAGE),
    Route("POST", _A + "/ad_groups", "ad_groups/create", "ads_write", AD_GROUP_MESSAGE),
    Route("PATCH", _A + "/ad_groups", "ad_groups/update", "ads_write", AD_GROUP_MESSAGE),
    Route("GET", _A + "/ad_groups/{ad_group_id}", "ad_groups/get", "ads_read", AD_GROUP_MESSAGE),
    Route("GET", _A + "/ads", "ads/list", "ads_read", AD_MESSAGE),
    Route("POST", _A + "/ads", "ads/create", "ads_write", AD_MESSAGE),
    Route("PATCH", _A + "/ads", "ads/update", "ads_write", AD_MESSAGE),
    Route("GET", _A + "/ads/{ad_id}", "ads/get", "ads_read", AD_MESSAGE),
    Route("GET", _A + "/keywords", "keywords/get", "ads_read", KEYWORD_MESSAGE),
    Route("POST", _A + "/keywords", "keywords/create", "ads_write", KEYWORD_MESSAGE),
    Route("PATCH", _A + "/keywords", "keywords/update", "ads_write", KEYWORD_MESSAGE),
    Route("GET", _A + "/analytics", "ad_account/analytics", "ads_analytics", ACCOUNT_ANALYTICS_MESSAGE),
    Route("GET", _A + "/campaigns/analytics", "campaigns/analytics", "ads_analytics", CAMPAIGN_ANALYTICS_MESSAGE),
    Route("GET", _A + "/ad_groups/analytics", "ad_groups/analytics", "ads_analytics", AD_GROUP_ANALYTICS_MESSAGE),
    Route("GET", _A + "/ads/analytics", "ads/analytics", "ads_analytics", AD_ANALYTICS_MESSAGE),
    Route("GET", _A + "/targeting_analytics", "ad_account_targeting_analytics/get", "ads_analytics",
          ACCOUNT_ANALYTICS_MESSAGE),
    Route("GET", _A + "/campaigns/targeting_analytics", "campaign_targeting_analytics/get", "ads_analytics",
          CAMPAIGN_ANALYTICS_MESSAGE),
    Route("GET", _A + "/ad_groups/targeting_analytics", "ad_groups_targeting_analytics/get", "ads_analytics",
          AD_GROUP_ANALYTICS_MESSAGE),
    Route("GET", _A + "/ads/targeting_analytics", "ad_targeting_analytics/get", "ads_analytics", AD_ANALYTICS_MESSAGE),
    Route("POST", _A + "/reports", "analytics/create_report", "ads_analytics", AD_ANALYTICS_MESSAGE),
    Route("GET", _A + "/reports", "analytics/get_report", "ads_analytics", AD_ANALYTICS_MESSAGE),
    Route("GET", "/resources/metrics_ready_state", "metrics_ready_state/get", "ads_analytics", METRICS_READY_MESSAGE),
    Route("GET", _A + "/keywords/metrics", "country_keywords_metrics/get", "ads_read", KEYWORD_METRICS_MESSAGE),
    Route("GET", "/trends/keywords/{region}/top/{trend_type}", "trending_keywords/list", "trends_read",
          TRENDS_MESSAGE),
    Route("GET", _A + "/audience_insights", "audience_insights/get", "ads_read", AUDIENCE_INSIGHTS_MESSAGE),
    Route("GET", _A + "/insights/audiences", "audience_insights_scope_and_type/get", "ads_read",
          AUDIENCE_INSIGHTS_MESSAGE),
    Route("GET", "/resources/targeting/{targeting_type}", "targeting_options/get", "ads_read",
          TARGETING_OPTIONS_MESSAGE),
    Route("POST", _A + "/bid_floor", "ad_groups_bid_floor/get", "ads_read", BID_FLOOR_MESSAGE),
    Route("GET", _A + "/audiences", "audiences/list", "ads_read", AUDIENCE_MESSAGE),
    Route("POST", _A + "/audiences", "audiences/create", "ads_write", AUDIENCE_MESSAGE),
    Route("GET", _A + "/audiences/{audience_id}", "audiences/get", "ads_read", AUDIENCE_MESSAGE),
    Route("PATCH", _A + "/audiences/{audience_id}", "audiences/update", "ads_write", AUDIENCE_MESSAGE),
    Route("GET", _A + "/customer_lists", "customer_lists/list", "ads_read", CUSTOMER_LIST_MESSAGE),
    Route("GET", _A + "/customer_lists/{customer_list_id}", "customer_lists/get", "ads_read", CUSTOMER_LIST_MESSAGE),
    Route("GET", _A + "/product_group_promotions", "product_group_promotions/list", "ads_read",
          PRODUCT_GROUP_MESSAGE),
    Route("POST", _A + "/product_group_promotions", "product_group_promotions/create", "ads_write",
          PRODUCT_GROUP_MESSAGE),
    Route("PATCH", _A + "/product_group_promotions", "product_group_promotions/update", "ads_write",
          PRODUCT_GROUP_MESSAGE),
    Route("GET", _A + "/product_group_promotions/{product_group_promotion_id}", "product_group_promotions/get",
          "ads_read", PRODUCT_GROUP_MESSAGE),
    Route("GET", _A + "/product_groups/analytics", "product_groups/analytics", "ads_analytics", AD_ANALYTICS_MESSAGE),
    Route("GET", _A + "/conversion_tags", "conversion_tags/list", "ads_read", CONVERSION_TAG_MESSAGE),
    Route("POST", _A + "/conversion_tags", "conversion_tags/create", "ads_write", CONVERSION_TAG_MESSAGE),
    Route("GET", _A + "/conversion_tags/{conversion_tag_id}", "conversion_tags/get", "ads_read",
          CONVERSION_TAG_MESSAGE),
    Route("POST", _A + "/ad_groups/audience_sizing", "ad_groups/audience_sizing", "ads_read", SIZING_MESSAGE),
    Route("GET", "/terms/related", "terms_related/list", "ads_read", TERMS_RELATED_MESSAGE),
    Route("GET", "/terms/suggested", "terms_suggested/list", "ads_read", TERMS_SUGGESTED_MESSAGE),
    Route("GET", "/resources/delivery_metrics", "delivery_metrics/get", "ads_read", RESOURCES_MESSAGE),
    Route("GET", "/resources/ad_account_countries", "ad_account_countries/get", "ads_read", RESOURCES_MESSAGE),
    Route("GET", "/resources/targeting/interests/{interest_id}", "interest_targeting_options/get", "ads_read",
          TARGETING_OPTIONS_MESSAGE),
    Route("POST", _A + "/bulk/upsert", "bulk_upsert/create", "ads_write", BULK_MESSAGE),
    Route("POST", _A + "/bulk/download", "bulk_download/create", "ads_read", BULK_MESSAGE),
    Route("GET", _A + "/bulk/{bulk_request_id}", "bulk_request/get", "ads_read", BULK_MESSAGE),
    Route("GET", _A + "/lead_forms", "lead_forms/list", "ads_read", LEAD_FORMS_MESSAGE),
    Route("GET", _A + "/lead_forms/{lead_form_id}", "lead_form/get", "ads_read", LEAD_FORMS_MESSAGE),
    Route("POST", _A + "/lead_forms/{lead_form_id}/test", "lead_form_test/create", "ads_write", LEAD_TEST_MESSAGE),
    Route("GET", "/resources/lead_form_questions", "lead_form_questions/get", "ads_read", LEAD_FORMS_MESSAGE),
    Route("POST", _A + "/leads/subscriptions", "ad_accounts_subscriptions/post", "ads_write", SUBSCRIPTION_MESSAGE),
    Route("GET", _A + "/leads/subscriptions", "ad_accounts_subscriptions/get_list", "ads_read",
          SUBSCRIPTION_MESSAGE),
    Route("GET", _A + "/leads/subscriptions/{subscription_id}", "ad_accounts_subscriptions/get_by_id", "ads_read",
          SUBSCRIPTION_MESSAGE),
    Route("DELETE", _A + "/leads/subscriptions/{subscription_id}", "ad_accounts_subscriptions/del_by_id",
          "ads_write", SUBSCRIPTION_MESSAGE),
    Route("POST", _A + "/events", "events/create", "ads_conversions", CONVERSIONS_MESSAGE, CONVERSIONS_CODE,
          spec_checks_request=False),
    Route("GET", _A + "/conversion_eqs", "conversion_eqs/list", "ads_read", EVENT_QUALITY_MESSAGE),
    Route("POST", "/oauth/conversion_token", "oauth/conversion_token", "org_write", OAUTH_MESSAGE),
)

_BY_ID = {route.operation_id: route for route in ROUTES}
_PARAM = re.compile(r"\{(\w+)\}")


def find_route(operation_id: str) -> Route:
    """The route of an ``operationId``; ``KeyError`` when it is not implemented.

    Example:
        >>> find_route("ads/update").category
        'ads_write'
    """
    return _BY_ID[operation_id]


def flask_rule(path: str) -> str:
    """The Flask URL rule of a spec path template, under ``/v5``.

    Example:
        >>> flask_rule("/ad_accounts/{ad_account_id}")
        '/v5/ad_accounts/<ad_account_id>'
    """
    return API_PREFIX + _PARAM.sub(r"<\1>", path)


def route_matches(route: Route, selector: str | None) -> bool:
    """Whether a fault/log selector (operationId, path template, or None = any) names this route.

    Example:
        >>> route_matches(find_route("ad_groups/update"), "/ad_accounts/{ad_account_id}/ad_groups")
        True
    """
    if selector is None:
        return True
    selector = selector.strip()
    if selector.startswith(API_PREFIX + "/"):
        selector = selector[len(API_PREFIX):]
    return selector in (route.operation_id, route.path)


def spec_operations(spec: dict) -> list[tuple[str, str, str, str | None]]:
    """All operations of an OpenAPI dict as ``(method, path, operationId, category)``.

    Example:
        >>> spec_operations({"paths": {"/x": {"get": {"operationId": "x/get"}}}})
        [('GET', '/x', 'x/get', None)]
    """
    found = []
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method.lower() not in ("get", "post", "put", "patch", "delete", "head", "options"):
                continue
            found.append((method.upper(), path, op.get("operationId"), op.get("x-ratelimit-category")))
    return found


def coverage(spec: dict | None = None) -> dict:
    """Implemented operationIds, plus (when a spec dict is given) the spec's and the missing ones.

    Example:
        >>> {"ad_account/analytics", "terms_related/list"} <= set(coverage()["implemented"])
        True
    """
    result: dict = {"implemented": sorted(_BY_ID)}
    if spec is not None:
        spec_ids = sorted(op_id for _, _, op_id, _ in spec_operations(spec) if op_id)
        result["spec"] = spec_ids
        result["missing"] = sorted(set(spec_ids) - set(_BY_ID))
    return result


def coverage_report(spec_path: str | None = None) -> dict:
    """:func:`coverage` for a spec file (default ``$PINTOOLS_OPENAPI_SPEC``), plus printable ``lines``.

    One line per spec operation ("+" implemented, "-" not), or per implemented route when no
    spec is available, then a summary line.

    Example:
        >>> report = coverage_report(spec_path=False)
        >>> report["lines"][-1].endswith(" operations implemented (no OpenAPI spec given)")
        True
    """
    import json
    from pathlib import Path

    from pintools.emulator.spec import resolve_spec_path

    path = resolve_spec_path(spec_path)
    if path is None:
        result = coverage()
        lines = [f"+ {r.method:<6} {API_PREFIX}{r.path}  {r.operation_id}  [{r.category}]" for r in ROUTES]
        lines.append(f"{len(ROUTES)} operations implemented (no OpenAPI spec given)")
        return {**result, "lines": lines}
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    result = coverage(spec)
    lines = [
        f"{'+' if op_id in _BY_ID else '-'} {method:<6} {API_PREFIX}{p}  {op_id}  [{category}]"
        for method, p, op_id, category in sorted(spec_operations(spec), key=lambda o: (o[1], o[0]))
    ]
    done = len(set(result["implemented"]) & set(result["spec"]))
    lines.append(f"{done} of {len(result['spec'])} spec operations implemented")
    return {**result, "lines": lines}
