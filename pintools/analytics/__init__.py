"""Analytics as tidy DataFrames: sync analytics, async reports, targeting breakdowns, and KPIs
recomputed from totals.

>>> from pintools.analytics import read_analytics, Attribution, kpis

``columns`` here is the catalogue search (:func:`pintools.analytics.catalogue.columns`); it hides
the ``columns`` module as an attribute, so import from that module by name
(``from pintools.analytics.columns import check_columns``). ``kpis`` is the function
(:func:`pintools.analytics.kpis.kpis`) and hides its module the same way
(``from pintools.analytics.kpis import kpi_columns``).
"""

from ..frames.money import in_currency_units
from .catalogue import columns
from .dates import PRESETS
from .kpis import CONVERSION_EVENTS, KPI_COLUMNS, kpi_columns, kpis
from .periods import compare_periods, read_period_over_period
from .read import Attribution, read_analytics, read_targeting_analytics
from .reports import ReportFailed, ReportTimeout
from .summary import SUMMARY_COLUMNS, summarise

#: The same function as :func:`pintools.in_currency_units` (kept under its old name).
in_currency = in_currency_units

__all__ = ["CONVERSION_EVENTS", "KPI_COLUMNS", "PRESETS", "SUMMARY_COLUMNS", "Attribution", "ReportFailed", "ReportTimeout",
           "columns", "in_currency", "in_currency_units", "kpi_columns", "kpis", "read_analytics", "read_targeting_analytics",
           "compare_periods", "read_period_over_period", "summarise"]
