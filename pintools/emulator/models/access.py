"""Who may call what: OAuth scopes per operation and Business Access roles per ad account.

Scopes (each operation's ``security`` in the 5.23 spec): reads and every analytics operation need
``ads:read``; writes and ``events/create`` need ``ads:write`` (``events/create`` also takes the
conversion token instead); ``trending_keywords/list`` needs ``user_accounts:read``;
``delivery_metrics/get`` needs ``ads:read``, ``pins:read`` and ``user_accounts:read``;
``oauth/token`` uses HTTP Basic. A token without them gets the spec's one scope error: 401 code 3
"Your token does not have sufficient permissions to perform this operation. Please ensure your
token is authorized with the correct set of scopes." (the ``msot_events/create`` example).

Roles: an ad account record's ``permissions`` are the demo user's Business Access roles on it.
From the op texts (spec): analytics needs Owner, Admin, Analyst or Campaign Manager; ``events/create``
Owner, Admin, Analyst, Audience or Campaign; lead subscriptions "OWNER or ADMIN". The emulator's
own model where the spec is silent: other writes need Owner, Admin or Campaign Manager (audiences
and customer lists also Audience Manager); other reads any role. A refusal is 403 code 29 "You are
not permitted to access that resource." (creating a lead subscription: 403 code 4182 "Can't access
this subscription.", its op's example).

Example:
    >>> required_scopes("campaigns/update", "ads_write")
    ('ads:write',)
    >>> missing_scopes("delivery_metrics/get", "ads_read", parse_scope("ads:read,user_accounts:read"))
    ['pins:read']
    >>> allowed_roles("ad_accounts_subscriptions/post", "ads_write")
    ('OWNER', 'ADMIN')
"""

from __future__ import annotations

import re

from pintools.emulator.errors import ApiError

#: The scopes of the spec's ``pinterest_oauth2`` scheme (what an app may be granted).
ALL_SCOPES = (
    "ads:read", "ads:write", "billing:read", "billing:write", "biz_access:read", "biz_access:write", "boards:read",
    "boards:read_secret", "boards:write", "boards:write_secret", "catalogs:read", "catalogs:write", "msot:write",
    "pins:read", "pins:read_secret", "pins:write", "pins:write_secret", "user_accounts:read", "user_accounts:write",
)
SCOPE_ERROR = (401, 3, "Your token does not have sufficient permissions to perform this operation. Please ensure "
                       "your token is authorized with the correct set of scopes.")
ROLE_ERROR = (403, 29, "You are not permitted to access that resource.")
SUBSCRIPTION_ROLE_ERROR = (403, 4182, "Can't access this subscription.")

_SCOPES_BY_OPERATION = {
    "oauth/token": (),
    "oauth/conversion_token": ("ads:write",),  # its security: pinterest_oauth2 [ads:write]
    "trending_keywords/list": ("user_accounts:read",),
    "delivery_metrics/get": ("ads:read", "pins:read", "user_accounts:read"),
}
_WRITE_CATEGORIES = ("ads_write", "ads_conversions")

ANALYTICS_ROLES = ("OWNER", "ADMIN", "ANALYST", "CAMPAIGN_MANAGER")
CONVERSION_ROLES = ("OWNER", "ADMIN", "ANALYST", "AUDIENCE_MANAGER", "CAMPAIGN_MANAGER")
LEAD_SUBSCRIPTION_ROLES = ("OWNER", "ADMIN")
WRITE_ROLES = ("OWNER", "ADMIN", "CAMPAIGN_MANAGER")  # the emulator's model: the spec names none
AUDIENCE_WRITE_ROLES = ("OWNER", "ADMIN", "CAMPAIGN_MANAGER", "AUDIENCE_MANAGER")  # idem
_AUDIENCE_OPERATIONS = ("audiences/create", "audiences/update", "customer_lists/create", "customer_lists/update")


def parse_scope(text: str | None) -> frozenset[str]:
    """The scopes of a grant's ``scope`` string (comma- or space-separated; the spec does not say which).

    Example:
        >>> sorted(parse_scope("ads:read, ads:write user_accounts:read"))
        ['ads:read', 'ads:write', 'user_accounts:read']
    """
    return frozenset(s for s in re.split(r"[\s,]+", text or "") if s)


def required_scopes(operation_id: str, category: str) -> tuple[str, ...]:
    """The OAuth scopes an operation needs (every one of them).

    Example:
        >>> required_scopes("ads/list", "ads_read"), required_scopes("events/create", "ads_conversions")
        (('ads:read',), ('ads:write',))
    """
    if operation_id in _SCOPES_BY_OPERATION:
        return _SCOPES_BY_OPERATION[operation_id]
    return ("ads:write",) if category in _WRITE_CATEGORIES else ("ads:read",)


def missing_scopes(operation_id: str, category: str, granted: frozenset[str]) -> list[str]:
    """The scopes an operation needs that a token lacks (empty = allowed).

    Example:
        >>> missing_scopes("campaigns/create", "ads_write", frozenset({"ads:read"}))
        ['ads:write']
    """
    return [s for s in required_scopes(operation_id, category) if s not in granted]


def allowed_roles(operation_id: str, category: str) -> tuple[str, ...] | None:
    """The Business Access roles that may call an operation on an ad account (None = any role).

    Example:
        >>> allowed_roles("ad_account/analytics", "ads_analytics"), allowed_roles("ads/list", "ads_read")
        (('OWNER', 'ADMIN', 'ANALYST', 'CAMPAIGN_MANAGER'), None)
    """
    if operation_id.startswith("ad_accounts_subscriptions/"):
        return LEAD_SUBSCRIPTION_ROLES
    if operation_id == "events/create":
        return CONVERSION_ROLES
    if category == "ads_analytics":
        return ANALYTICS_ROLES
    if operation_id in _AUDIENCE_OPERATIONS:
        return AUDIENCE_WRITE_ROLES
    if category == "ads_write":
        return WRITE_ROLES
    return None


def check_scopes(operation_id: str, category: str, granted: frozenset[str]) -> None:
    """ApiError 401 code 3 when the token lacks a scope the operation needs.

    Example:
        >>> check_scopes("campaigns/create", "ads_write", frozenset({"ads:read"}))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.ApiError: Your token does not have sufficient permissions ...
    """
    if missing_scopes(operation_id, category, granted):
        raise ApiError(*SCOPE_ERROR)


def check_role(operation_id: str, category: str, permissions) -> None:
    """ApiError 403 (code 29, or 4182 on a subscription create) when no role of ``permissions``
    (the account's ``permissions`` for the demo user) may call the operation.

    Example:
        >>> check_role("campaigns/list", "ads_read", ["ANALYST"])
        >>> check_role("campaigns/create", "ads_write", ["ANALYST"])
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.ApiError: You are not permitted to access that resource.
    """
    allowed = allowed_roles(operation_id, category)
    if allowed is None or set(permissions or ()) & set(allowed):
        return
    raise ApiError(*(SUBSCRIPTION_ROLE_ERROR if operation_id == "ad_accounts_subscriptions/post" else ROLE_ERROR))
