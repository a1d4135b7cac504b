"""Analytics as tidy DataFrames: sync analytics, async reports, targeting breakdowns.

>>> from pintools.analytics import read_analytics, Attribution

``columns`` here is the catalogue search (:func:`pintools.analytics.catalogue.columns`); it hides
the ``columns`` module as an attribute, so import from that module by name
(``from pintools.analytics.columns import check_columns``).
"""

from .catalogue import columns
from .read import Attribution, read_analytics, read_targeting_analytics
from .reports import ReportFailed, ReportTimeout
from .summary import SUMMARY_COLUMNS, summarise
from .tidy import in_currency

__all__ = ["SUMMARY_COLUMNS", "Attribution", "ReportFailed", "ReportTimeout", "columns", "in_currency", "read_analytics",
           "read_targeting_analytics", "summarise"]
