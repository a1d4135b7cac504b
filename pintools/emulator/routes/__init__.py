"""HTTP handlers per resource, keyed by operationId (the route table wires them into Flask).

Each handler takes the :class:`~pintools.emulator.models.EmulatorState` and the path
parameters, parses the request, calls a model and returns the JSON body (HTTP 200).

Example:
    >>> sorted(HANDLERS)[:2]
    ['ad_account/analytics', 'ad_account_targeting_analytics/get']
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
    conversions,
    keywords,
    leads,
    oauth,
    reports,
    research,
)

HANDLERS = {}
for _module in (oauth, ad_accounts, campaigns, ad_groups, ads, keywords, analytics, reports, research, audiences,
                audience_lists, bulk, leads, conversions):
    HANDLERS.update(_module.HANDLERS)

__all__ = ["HANDLERS"]
