"""pintools — Pinterest Ads from pandas and JupyterLab.

>>> import pintools as pt
>>> client = pt.connect()            # no credentials: the built-in emulator   # doctest: +SKIP
>>> pt.read_campaigns(pt.read_ad_accounts().id[0])                              # doctest: +SKIP

Heavy modules (pandas, requests, the emulator's web stack) load on first use, so
``import pintools`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

# public name -> module that defines it
_EXPORTS = {
    "connect": "pintools.client",
    "Client": "pintools.client",
    "default_client": "pintools.client",
    "set_default_client": "pintools.client",
    "Credentials": "pintools.config",
    "read_ad_accounts": "pintools.entities",
    "read_campaigns": "pintools.entities",
    "read_ad_groups": "pintools.entities",
    "read_ads": "pintools.entities",
    "read_keywords": "pintools.entities",
    "read_product_groups": "pintools.product_groups",
    "read_product_group_analytics": "pintools.product_groups",
    "read_analytics": "pintools.analytics.read",
    "read_targeting_analytics": "pintools.analytics.read",
    "Attribution": "pintools.analytics.read",
    "ReportFailed": "pintools.analytics.reports",
    "ReportTimeout": "pintools.analytics.reports",
    "kpis": "pintools.analytics.kpis",
    "read_keyword_performance": "pintools.analytics.keyword_performance",
    "read_keyword_metrics": "pintools.insights",
    "read_trending_keywords": "pintools.insights",
    "read_audience_insights": "pintools.insights",
    "read_audience_definitions": "pintools.insights",
    "read_targeting_options": "pintools.insights",
    "read_bid_floors": "pintools.insights",
    "read_audience_sizing": "pintools.research",
    "reach_change": "pintools.research",
    "read_related_terms": "pintools.research",
    "read_suggested_terms": "pintools.research",
    "read_delivery_metrics": "pintools.research",
    "read_ad_account_countries": "pintools.research",
    "read_interests": "pintools.research",
    "read_conversion_tags": "pintools.conversion_tags",
    "read_audiences": "pintools.audiences",
    "read_customer_lists": "pintools.audiences",
    "EditPlan": "pintools.plans.model",
    "Guardrails": "pintools.plans.guardrails",
    "resume": "pintools.plans.resume",
    "read_leads": "pintools.leads.frames",
    "export_leads": "pintools.leads.export",
    "to_excel": "pintools.exports",
    "to_csv": "pintools.exports",
    "prepare_conversions": "pintools.conversions.prepare",
    "send_conversions": "pintools.conversions.send",
    "ConsentRule": "pintools.conversions.consent",
    "read_event_quality": "pintools.conversions.quality",
    "in_currency_units": "pintools.frames.money",
    "readable": "pintools.readable_table",
    "explode_targeting": "pintools.frames.convert",
    "Rate": "pintools.http.ratelimit",
    "RetryPolicy": "pintools.http.retry",
    "PinterestError": "pintools.http.errors",
    "AuthError": "pintools.http.errors",
    "RefreshRefused": "pintools.http.auth",
    "PermissionDenied": "pintools.http.errors",
    "NotFound": "pintools.http.errors",
    "InvalidRequest": "pintools.http.errors",
    "RateLimited": "pintools.http.errors",
    "ServerError": "pintools.http.errors",
    "ConnectionFailed": "pintools.http.errors",
    "BadResponse": "pintools.http.errors",
    "WriteOutcomeUnknown": "pintools.http.errors",
    "SandboxUnavailable": "pintools.http.sandbox",
    "sync": "pintools.warehouse.pipeline",
    "sync_report": "pintools.warehouse.report",
    "SyncFailed": "pintools.warehouse.pipeline",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


_SUBMODULES = {"widgets", "plots", "analytics", "insights", "frames", "emulator", "plans", "leads", "recipes",
               "conversions"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"pintools.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pintools' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # for type checkers and IDEs
    from .analytics.keyword_performance import read_keyword_performance
    from .analytics.kpis import kpis
    from .analytics.read import Attribution, read_analytics, read_targeting_analytics
    from .analytics.reports import ReportFailed, ReportTimeout
    from .audiences import read_audiences, read_customer_lists
    from .client import Client, connect, default_client, set_default_client
    from .config import Credentials
    from .conversion_tags import read_conversion_tags
    from .conversions.consent import ConsentRule
    from .conversions.prepare import prepare_conversions
    from .conversions.quality import read_event_quality
    from .conversions.send import send_conversions
    from .entities import read_ad_accounts, read_ad_groups, read_ads, read_campaigns, read_keywords
    from .exports import to_csv, to_excel
    from .frames.convert import explode_targeting
    from .frames.money import in_currency_units
    from .http.auth import RefreshRefused
    from .http.errors import (
        AuthError,
        BadResponse,
        ConnectionFailed,
        InvalidRequest,
        NotFound,
        PermissionDenied,
        PinterestError,
        RateLimited,
        ServerError,
        WriteOutcomeUnknown,
    )
    from .http.ratelimit import Rate
    from .http.retry import RetryPolicy
    from .http.sandbox import SandboxUnavailable
    from .insights import (
        read_audience_definitions,
        read_audience_insights,
        read_bid_floors,
        read_keyword_metrics,
        read_targeting_options,
        read_trending_keywords,
    )
    from .leads.export import export_leads
    from .leads.frames import read_leads
    from .plans.guardrails import Guardrails
    from .plans.model import EditPlan
    from .plans.resume import resume
    from .product_groups import read_product_group_analytics, read_product_groups
    from .readable_table import readable
    from .research import (
        reach_change,
        read_ad_account_countries,
        read_audience_sizing,
        read_delivery_metrics,
        read_interests,
        read_related_terms,
        read_suggested_terms,
    )
    from .warehouse.pipeline import SyncFailed, sync
    from .warehouse.report import sync_report
