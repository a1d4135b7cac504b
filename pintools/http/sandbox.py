# ruff: noqa: E501  (the fact table below keeps Pinterest's path templates whole)
"""Operations Pinterest's sandbox does not serve, and the one check that refuses them before sending.

The 5.23.0 spec marks every operation ``x-sandbox: enabled`` or ``disabled``. :data:`DISABLED`
is the list of the disabled ones, copied from the spec at development time (``tests/fidelity``
checks it against the spec); nothing here reads the spec at run time. How the sandbox *answers*
a disabled operation the spec does not say, so pintools never sends one there: a requestor
made with ``sandbox=True`` raises :class:`SandboxUnavailable` first, naming the operation and
what to do instead.

>>> disabled_operation("POST", "/ad_accounts/549755885175/bulk/upsert")
'bulk_upsert/create'
>>> disabled_operation("PATCH", "/ad_accounts/549755885175/campaigns") is None
True
"""

from __future__ import annotations

import re

from .errors import PinterestError

SANDBOX_HOST = "api-sandbox.pinterest.com"

#: ``METHOD path-template operationId`` of every operation the 5.23.0 spec marks ``x-sandbox: disabled``.
_TABLE = """
GET    /ad_accounts/{ad_account_id}/ads_credit/discounts ads_credits_discounts/get
POST   /ad_accounts/{ad_account_id}/ads_credit/redeem ads_credit/redeem
GET    /ad_accounts/{ad_account_id}/advertiser_defined_events advertiser_defined_events/get
GET    /ad_accounts/{ad_account_id}/audience_insights audience_insights/get
GET    /ad_accounts/{ad_account_id}/audiences audiences/list
POST   /ad_accounts/{ad_account_id}/audiences audiences/create
GET    /ad_accounts/{ad_account_id}/audiences/{audience_id} audiences/get
PATCH  /ad_accounts/{ad_account_id}/audiences/{audience_id} audiences/update
GET    /ad_accounts/{ad_account_id}/audiences/shared/accounts ad_accounts_audiences_shared_accounts/list
PATCH  /ad_accounts/{ad_account_id}/audiences/ad_accounts/shared update_ad_account_to_ad_account_shared_audience
PATCH  /ad_accounts/{ad_account_id}/audiences/businesses/shared update_ad_account_to_business_shared_audience
GET    /ad_accounts/{ad_account_id}/billing_profiles billing_profiles/get
GET    /ad_accounts/{ad_account_id}/billing_invoices billing_invoices/get
GET    /ad_accounts/{ad_account_id}/billing_invoice/{billing_invoice_id}/download billing_invoice_download/get
POST   /ad_accounts/{ad_account_id}/bulk/download bulk_download/create
POST   /ad_accounts/{ad_account_id}/bulk/upsert bulk_upsert/create
GET    /ad_accounts/{ad_account_id}/bulk/{bulk_request_id} bulk_request/get
POST   /ad_accounts/{ad_account_id}/conversion_tags conversion_tags/create
GET    /ad_accounts/{ad_account_id}/conversion_tags conversion_tags/list
GET    /ad_accounts/{ad_account_id}/conversion_tags/ocpm_eligible ocpm_eligible_conversion_tags/get
GET    /ad_accounts/{ad_account_id}/conversion_tags/page_visit page_visit_conversion_tags/get
GET    /ad_accounts/{ad_account_id}/conversion_tags/{conversion_tag_id} conversion_tags/get
POST   /ad_accounts/{ad_account_id}/customer_lists customer_lists/create
GET    /ad_accounts/{ad_account_id}/customer_lists customer_lists/list
GET    /ad_accounts/{ad_account_id}/customer_lists/{customer_list_id} customer_lists/get
PATCH  /ad_accounts/{ad_account_id}/customer_lists/{customer_list_id} customer_lists/update
POST   /ad_accounts/{ad_account_id}/customer_lists/{customer_list_id}/uploads customer_list_uploads/create
GET    /ad_accounts/{ad_account_id}/customer_lists/{customer_list_id}/uploads/{customer_list_upload_id} customer_list_uploads/get
POST   /ad_accounts/{ad_account_id}/customer_lists/{customer_list_id}/uploads/{customer_list_upload_id}/run customer_list_uploads/run
POST   /ad_accounts/{ad_account_id}/events events/create
POST   /ad_accounts/{ad_account_id}/msot/events msot_events/create
GET    /ad_accounts/{ad_account_id}/insights/audiences audience_insights_scope_and_type/get
POST   /ad_accounts/{ad_account_id}/lead_forms lead_forms/create
PATCH  /ad_accounts/{ad_account_id}/lead_forms lead_forms/update
POST   /ad_accounts/{ad_account_id}/lead_forms/{lead_form_id}/test lead_form_test/create
GET    /ad_accounts/{ad_account_id}/leads/subscriptions ad_accounts_subscriptions/get_list
GET    /ad_accounts/{ad_account_id}/leads/subscriptions/{subscription_id} ad_accounts_subscriptions/get_by_id
DELETE /ad_accounts/{ad_account_id}/leads/subscriptions/{subscription_id} ad_accounts_subscriptions/del_by_id
POST   /ad_accounts/{ad_account_id}/leads_export leads_export/create
GET    /ad_accounts/{ad_account_id}/leads_export/{leads_export_id} leads_export/get
GET    /ad_accounts/{ad_account_id}/mmm_reports analytics/get_mmm_report
POST   /ad_accounts/{ad_account_id}/mmm_reports analytics/create_mmm_report
GET    /ad_accounts/{ad_account_id}/pins/analytics ad_pins/analytics
POST   /ad_accounts/{ad_account_id}/product_group_promotions product_group_promotions/create
PATCH  /ad_accounts/{ad_account_id}/product_group_promotions product_group_promotions/update
GET    /ad_accounts/{ad_account_id}/product_group_promotions product_group_promotions/list
GET    /ad_accounts/{ad_account_id}/product_group_promotions/{product_group_promotion_id} product_group_promotions/get
GET    /ad_accounts/{ad_account_id}/product_groups/analytics product_groups/analytics
GET    /ad_accounts/{ad_account_id}/promotions promotions/list
POST   /ad_accounts/{ad_account_id}/promotions promotions/create
PATCH  /ad_accounts/{ad_account_id}/promotions promotions/update
GET    /ad_accounts/{ad_account_id}/promotions/{promotion_id} promotions/get
DELETE /ad_accounts/{ad_account_id}/promotions/{promotion_id} promotions/delete
GET    /ad_accounts/{ad_account_id}/reports analytics/get_report
POST   /ad_accounts/{ad_account_id}/reports analytics/create_report
GET    /ad_accounts/{ad_account_id}/reports/brand_category_sku analytics/get_conversion_product_report
POST   /ad_accounts/{ad_account_id}/reports/brand_category_sku analytics/create_conversion_product_report
GET    /ad_accounts/{ad_account_id}/targeting_templates targeting_template/list
POST   /ad_accounts/{ad_account_id}/targeting_templates targeting_template/create
POST   /ad_accounts/{ad_account_id}/templates/{template_id}/reports analytics/create_template_report
PATCH  /businesses/{business_id}/system_users/{system_user_id} system_user/update
GET    /businesses/{business_id}/assets/{asset_id}/members business_asset_members/get
GET    /businesses/{business_id}/assets/{asset_id}/partners business_asset_partners/get
POST   /businesses/{business_id}/invites/assets/access create_asset_invites
POST   /businesses/{business_id}/requests/assets/access asset_access_requests/create
GET    /businesses/{business_id}/members get/business_members
PATCH  /businesses/{business_id}/members update/business_memberships
GET    /businesses/{business_id}/assets business_assets/get
GET    /businesses/{business_id}/members/{member_id}/assets business_member_assets/get
PATCH  /businesses/{business_id}/members/assets/access business_members_asset_access/update
DELETE /businesses/{business_id}/members/assets/access business_members_asset_access/delete
GET    /businesses/{business_id}/invites get/invites
POST   /businesses/{business_id}/invites create_membership_or_partnership_invites
DELETE /businesses/{business_id}/invites cancel_invites_or_requests
PATCH  /businesses/{business_id}/partners/assets update_partner_asset_access_handler_impl
DELETE /businesses/{business_id}/partners/assets delete_partner_asset_access_handler_impl
GET    /businesses/{business_id}/partners/{partner_id}/assets business_partner_asset_access/get
GET    /businesses/{business_id}/partners get/business_partners
DELETE /businesses/{business_id}/partners delete_business_partners
GET    /businesses/{business_id}/audiences shared_audiences_for_business/list
GET    /businesses/{business_id}/audiences/shared/accounts business_account_audiences_shared_accounts/list
PATCH  /businesses/{business_id}/audiences/ad_accounts/shared update_business_to_ad_account_shared_audience
PATCH  /businesses/{business_id}/audiences/businesses/shared update_business_to_business_shared_audience
POST   /businesses/{business_id}/asset_groups asset_group/create
PATCH  /businesses/{business_id}/asset_groups asset_group/update
DELETE /businesses/{business_id}/asset_groups asset_group/delete
POST   /business_access/business_hierarchy/{business_hierarchy_id}/brand_accounts brand_accounts/create
PATCH  /business_access/business_hierarchy/{business_hierarchy_id}/brand_accounts/{brand_account_id} brand_accounts/update
POST   /catalogs/reports reports/create
GET    /catalogs/reports reports/get
GET    /catalogs/reports/stats reports/stats
POST   /integrations/commerce integrations_commerce/post
GET    /integrations/commerce/{external_business_id} integrations_commerce/get
PATCH  /integrations/commerce/{external_business_id} integrations_commerce/patch
DELETE /integrations/commerce/{external_business_id} integrations_commerce/del
GET    /integrations integrations/get_list
GET    /integrations/{id} integrations/get_by_id
GET    /pins/{pin_id}/analytics pins/analytics
GET    /pins/analytics multi_pins/analytics
GET    /search/boards search_user_boards/get
GET    /search/pins search_user_pins/list
GET    /search/partner/pins search_partner_pins
GET    /user_account/analytics user_account/analytics
GET    /user_account/analytics/top_pins user_account/analytics/top_pins
GET    /user_account/analytics/top_video_pins user_account/analytics/top_video_pins
GET    /user_account/following user_following/get
POST   /user_account/websites verify_website/update
GET    /user_account/websites user_websites/get
DELETE /user_account/websites unverify_website/delete
GET    /user_account/websites/verification website_verification/get
GET    /trends/topics/featured trends_featured_topics/list
GET    /trends/product_categories/details trends_product_categories_details/list
GET    /trends/product_categories/trending trends_product_categories_trending/list
GET    /ad_accounts/{ad_account_id}/conversion_eqs conversion_eqs/list
"""

#: ``(operationId, METHOD, path template)`` of every sandbox-disabled operation (spec 5.23.0).
DISABLED: tuple[tuple[str, str, str], ...] = tuple(
    (op_id, method, path) for method, path, op_id in (line.split() for line in _TABLE.strip().splitlines())
)
DISABLED_IDS: frozenset[str] = frozenset(op_id for op_id, _, _ in DISABLED)

_MATCHERS = [(method, re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "/?$"), op_id)
             for op_id, method, path in DISABLED]

#: What to do instead, for the disabled operations pintools itself calls.
_INSTEAD = {
    "bulk_upsert/create": "apply edit plans with method='patch' (the default in the sandbox)",
    "bulk_request/get": "apply edit plans with method='patch' (the default in the sandbox)",
    "bulk_download/create": "read entities with the list endpoints (pt.read_campaigns and friends)",
    "analytics/create_report": "read analytics only as far back as sync analytics reach (90 days)",
    "analytics/get_report": "read analytics only as far back as sync analytics reach (90 days)",
    "events/create": "send test conversions to production with test=True, or to the emulator",
    "audience_insights/get": "try audience insights on production or on the emulator",
    "audience_insights_scope_and_type/get": "try audience insights on production or on the emulator",
    "ad_accounts_subscriptions/get_list": "keep the subscription id that creating it returned",
    "ad_accounts_subscriptions/get_by_id": "keep the subscription id that creating it returned",
    "ad_accounts_subscriptions/del_by_id": "delete the subscription on production",
    "conversion_eqs/list": "read the Event Quality Score on production (it scores the events production received)",
}


class SandboxUnavailable(PinterestError):
    """An operation Pinterest's sandbox does not serve (``x-sandbox: disabled``); nothing was sent.

    >>> str(SandboxUnavailable.for_operation("events/create", "POST", "/ad_accounts/1/events")).split(":")[0]
    "events/create is disabled in Pinterest's sandbox (api-sandbox.pinterest.com)"
    """

    def __init__(self, message: str, *, operation_id: str, method: str | None = None, path: str | None = None) -> None:
        super().__init__(message, method=method, path=path)
        self.operation_id = operation_id

    @classmethod
    def for_operation(cls, operation_id: str, method: str | None = None, path: str | None = None,
                      *, instead: str | None = None) -> "SandboxUnavailable":
        """The error for ``operation_id``, with what to do instead (pintools' advice) when known.

        >>> SandboxUnavailable.for_operation("analytics/create_report").operation_id
        'analytics/create_report'
        """
        advice = instead or _INSTEAD.get(operation_id)
        return cls(f"{operation_id} is disabled in Pinterest's sandbox ({SANDBOX_HOST}): the API spec marks it "
                   f"x-sandbox: disabled, so pintools did not send it. "
                   + (f"Instead: {advice}. " if advice else "")
                   + "Use the production API (base_url='production') or the emulator to run it.",
                   operation_id=operation_id, method=method, path=path)


def disabled_operation(method: str, path: str) -> str | None:
    """The operationId when ``method path`` (path relative to ``/v5``, no query) is disabled in
    the sandbox, else None.

    >>> disabled_operation("get", "/ad_accounts/1/reports?token=x")
    'analytics/get_report'
    """
    method = method.upper()
    path = path.split("?", 1)[0]
    for m, pattern, op_id in _MATCHERS:
        if m == method and pattern.match(path):
            return op_id
    return None


def refuse_in_sandbox(method: str, path: str) -> None:
    """Raise :class:`SandboxUnavailable` when ``method path`` is disabled in the sandbox.

    >>> refuse_in_sandbox("GET", "/ad_accounts/1/campaigns")   # enabled: nothing happens
    """
    op_id = disabled_operation(method, path)
    if op_id is not None:
        raise SandboxUnavailable.for_operation(op_id, method.upper(), path)
