"""HTTP handlers per resource, keyed by operationId (the route table wires them into Flask).

Each handler takes the :class:`~pintools.emulator.models.EmulatorState` and the path
parameters, parses the request, calls a model and returns the JSON body (HTTP 200).

Example:
    >>> {"ad_account/analytics", "terms_related/list"} <= set(HANDLERS)
    True
"""

from pintools.emulator.routes import (
    ad_accounts,
    ad_groups,
    ads,
    analytics,
    audience_lists,
    audiences,
    bulk,
    campaigns,
    conversion_quality,
    conversion_tags,
    conversions,
    keywords,
    leads,
    oauth,
    product_groups,
    reports,
    research,
    resources,
)

HANDLERS = {}
for _module in (oauth, ad_accounts, campaigns, ad_groups, ads, keywords, analytics, reports, research, audiences,
                audience_lists, bulk, leads, conversions, product_groups, conversion_tags, resources,
                conversion_quality):
    HANDLERS.update(_module.HANDLERS)

__all__ = ["HANDLERS"]
