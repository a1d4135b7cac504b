"""Analytics as tidy DataFrames: sync analytics, async reports, targeting breakdowns.

>>> from pintools.analytics import read_analytics, Attribution
"""

from .read import Attribution, read_analytics, read_targeting_analytics
from .reports import ReportFailed, ReportTimeout
from .summary import SUMMARY_COLUMNS, summarise
from .tidy import in_currency

__all__ = ["SUMMARY_COLUMNS", "Attribution", "ReportFailed", "ReportTimeout", "in_currency", "read_analytics",
           "read_targeting_analytics", "summarise"]
