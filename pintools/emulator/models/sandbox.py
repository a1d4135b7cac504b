"""Sandbox mode: the emulator answering like Pinterest's sandbox (``api-sandbox.pinterest.com``).

The 5.23.0 spec marks each operation ``x-sandbox: enabled|disabled``; :data:`DISABLED_IN_SANDBOX`
holds the disabled operationIds (copied from the spec; ``tests/fidelity`` checks them). How the
sandbox answers a disabled operation the spec does not say, so sandbox mode serves one of
several plausible shapes, chosen on the control plane (``POST /_emulator/sandbox``):

- ``"forbidden"``: 403 ``{"code": 29, "message": ...}`` (code 29 as Pinterest's other 403s);
- ``"not_found"``: 404 ``{"code": 404, "message": "Not found."}`` (as for a path not served at all).

Both are the emulator's guesses, not Pinterest's documented answer.

Example:
    >>> mode = SandboxMode()
    >>> mode.configure(enabled=True, shape="not_found")
    {'enabled': True, 'shape': 'not_found'}
    >>> mode.refusal("bulk_upsert/create").status, mode.refusal("campaigns/list") is None
    (404, True)
"""

from __future__ import annotations

from pintools.emulator.errors import ApiError

#: operationIds the 5.23.0 spec marks ``x-sandbox: disabled``.
DISABLED_IN_SANDBOX: frozenset[str] = frozenset("""
ad_accounts_audiences_shared_accounts/list ad_accounts_subscriptions/del_by_id
ad_accounts_subscriptions/get_by_id ad_accounts_subscriptions/get_list ad_pins/analytics ads_credit/redeem
ads_credits_discounts/get advertiser_defined_events/get analytics/create_conversion_product_report
analytics/create_mmm_report analytics/create_report analytics/create_template_report
analytics/get_conversion_product_report analytics/get_mmm_report analytics/get_report
asset_access_requests/create asset_group/create asset_group/delete asset_group/update audience_insights/get
audience_insights_scope_and_type/get audiences/create audiences/get audiences/list audiences/update
billing_invoice_download/get billing_invoices/get billing_profiles/get brand_accounts/create
brand_accounts/update bulk_download/create bulk_request/get bulk_upsert/create
business_account_audiences_shared_accounts/list business_asset_members/get business_asset_partners/get
business_assets/get business_member_assets/get business_members_asset_access/delete
business_members_asset_access/update business_partner_asset_access/get cancel_invites_or_requests
conversion_eqs/list conversion_tags/create conversion_tags/get conversion_tags/list create_asset_invites
create_membership_or_partnership_invites customer_list_uploads/create customer_list_uploads/get
customer_list_uploads/run customer_lists/create customer_lists/get customer_lists/list customer_lists/update
delete_business_partners delete_partner_asset_access_handler_impl events/create get/business_members
get/business_partners get/invites integrations/get_by_id integrations/get_list integrations_commerce/del
integrations_commerce/get integrations_commerce/patch integrations_commerce/post lead_form_test/create
lead_forms/create lead_forms/update leads_export/create leads_export/get msot_events/create
multi_pins/analytics ocpm_eligible_conversion_tags/get page_visit_conversion_tags/get pins/analytics
product_group_promotions/create product_group_promotions/get product_group_promotions/list
product_group_promotions/update product_groups/analytics promotions/create promotions/delete promotions/get
promotions/list promotions/update reports/create reports/get reports/stats search_partner_pins
search_user_boards/get search_user_pins/list shared_audiences_for_business/list system_user/update
targeting_template/create targeting_template/list trends_featured_topics/list
trends_product_categories_details/list trends_product_categories_trending/list unverify_website/delete
update/business_memberships update_ad_account_to_ad_account_shared_audience
update_ad_account_to_business_shared_audience update_business_to_ad_account_shared_audience
update_business_to_business_shared_audience update_partner_asset_access_handler_impl user_account/analytics
user_account/analytics/top_pins user_account/analytics/top_video_pins user_following/get user_websites/get
verify_website/update website_verification/get
""".split())

#: The answer shapes sandbox mode can serve for a disabled operation (the emulator's guesses).
SHAPES: dict[str, tuple[int, int, str]] = {
    "forbidden": (403, 29, "This operation is not available in the sandbox."),
    "not_found": (404, 404, "Not found."),
}


class SandboxMode:
    """Whether the emulator acts as the sandbox, and which shape its refusals take.

    Example:
        >>> SandboxMode().refusal("events/create") is None   # off by default
        True
    """

    def __init__(self) -> None:
        self.enabled = False
        self.shape = "forbidden"

    def configure(self, *, enabled: bool | None = None, shape: str | None = None) -> dict:
        """Switch sandbox mode and/or pick the refusal shape; the resulting settings.

        Example:
            >>> SandboxMode().configure(shape="teapot")
            Traceback (most recent call last):
            ...
            ValueError: shape must be one of forbidden, not_found; got 'teapot'
        """
        if shape is not None and shape not in SHAPES:
            raise ValueError(f"shape must be one of {', '.join(SHAPES)}; got {shape!r}")
        if enabled is not None and not isinstance(enabled, bool):
            raise ValueError(f"enabled must be true or false, got {enabled!r}")
        if enabled is not None:
            self.enabled = enabled
        if shape is not None:
            self.shape = shape
        return self.settings()

    def settings(self) -> dict:
        """``{"enabled", "shape"}`` for the control plane.

        Example:
            >>> SandboxMode().settings()
            {'enabled': False, 'shape': 'forbidden'}
        """
        return {"enabled": self.enabled, "shape": self.shape}

    def reset(self) -> None:
        """Back to the default: not the sandbox.

        Example:
            >>> mode = SandboxMode()
            >>> mode.configure(enabled=True, shape="not_found") and mode.reset()
            >>> mode.settings()
            {'enabled': False, 'shape': 'forbidden'}
        """
        self.enabled, self.shape = False, "forbidden"

    def refusal(self, operation_id: str) -> ApiError | None:
        """The error to answer for ``operation_id`` in sandbox mode, or None to serve it.

        Example:
            >>> mode = SandboxMode()
            >>> _ = mode.configure(enabled=True)
            >>> mode.refusal("events/create").body()
            {'code': 29, 'message': 'This operation is not available in the sandbox.'}
        """
        if not self.enabled or operation_id not in DISABLED_IN_SANDBOX:
            return None
        status, code, message = SHAPES[self.shape]
        return ApiError(status, code, message)
