"""Thin per-family services: one method per endpoint, each one call through the requestor,
returning plain dicts. The pandas layer (:mod:`pintools.frames`) sits on top.

>>> from pintools.api import Services
"""

from __future__ import annotations

from ..http.requestor import Requestor
from .ad_accounts import AdAccounts
from .analytics import Analytics, Reports
from .audiences import Audiences, CustomerLists
from .bulk import Bulk
from .conversion_tags import ConversionTags
from .conversions import Conversions
from .entities import AD_GROUPS, ADS, CAMPAIGNS, EntityService
from .insights import Insights
from .keywords import Keywords
from .leads import Leads
from .product_groups import ProductGroups
from .resources import Resources


class Services:
    """All services over one requestor (what ``Client`` exposes as attributes)."""

    def __init__(self, requestor: Requestor) -> None:
        self.ad_accounts = AdAccounts(requestor)
        self.campaigns = EntityService(requestor, CAMPAIGNS)
        self.ad_groups = EntityService(requestor, AD_GROUPS)
        self.ads = EntityService(requestor, ADS)
        self.keywords = Keywords(requestor)
        self.analytics = Analytics(requestor)
        self.reports = Reports(requestor)
        self.insights = Insights(requestor)
        self.bulk = Bulk(requestor)
        self.leads = Leads(requestor)
        self.conversions = Conversions(requestor)
        self.audiences = Audiences(requestor)
        self.customer_lists = CustomerLists(requestor)
        self.product_groups = ProductGroups(requestor)
        self.conversion_tags = ConversionTags(requestor)
        self.resources = Resources(requestor)


__all__ = ["AdAccounts", "Analytics", "Audiences", "Bulk", "ConversionTags", "Conversions", "CustomerLists",
           "EntityService", "Insights", "Keywords", "Leads", "ProductGroups", "Reports", "Resources", "Services"]
