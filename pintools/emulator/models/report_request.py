"""Checking an ``AdsAnalyticsCreateAsyncRequest`` body (digest §10) into a :class:`ReportSpec`.

Rules: ``start_date``, ``end_date``, ``granularity``, ``columns`` (1+ of the 561
``ReportingColumnAsync`` values) and ``level`` (``MetricsReportingLevel``) are required;
attribution windows, report time and ``attribution_types`` as in sync analytics; id filters
hold 1..500 numeric ids; status / objective filters 1..6 enum values; ``targeting_types`` 1..5
values and only (and always) with a level ending in ``_TARGETING``; ``metrics_filters`` 1+ of
``{field: SPEND_IN_DOLLAR|TOTAL_IMPRESSION, operator: LESS_THAN|GREATER_THAN, values: [number…]}``
(a row passes when it satisfies every value of every filter); ``report_format`` JSON (default) or
CSV. Dates: 914 days back and 186 days per report (HOUR 8 / 3; PRODUCT_ITEM 92 / 31, and no ad
filters or ad columns at PRODUCT_ITEM level).

Example:
    >>> from datetime import date
    >>> spec = parse_report_request({"start_date": "2024-05-01", "end_date": "2024-05-31", "granularity": "DAY",
    ...                              "columns": ["SPEND_IN_DOLLAR"], "level": "CAMPAIGN"}, date(2024, 6, 1))
    >>> spec.level, spec.report_format, spec.query.end.isoformat()
    ('CAMPAIGN', 'JSON', '2024-05-31')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models import analytics_query as aq
from pintools.emulator.models.columns import ASYNC_SET
from pintools.emulator.models.hour_conversions import check_reporting_timezone

MAX_REPORT_IDS = 500
MAX_STATUS_VALUES = 6
MAX_REPORT_TARGETING_TYPES = 5
ID_FILTERS = ("campaign_ids", "ad_group_ids", "ad_ids", "product_group_ids", "product_item_ids")
ENUM_FILTERS = {
    "campaign_statuses": enums.SUMMARY_STATUSES,
    "campaign_objective_types": enums.OBJECTIVE_TYPES,
    "ad_group_statuses": enums.SUMMARY_STATUSES,
    "ad_statuses": enums.AD_SUMMARY_STATUSES,
    "product_group_statuses": enums.PRODUCT_GROUP_STATUSES,
}
AD_COLUMNS = frozenset({"AD_ID", "AD_NAME", "AD_STATUS", "PIN_ID", "PIN_PROMOTION_ID", "PIN_PROMOTION_NAME",
                        "PIN_PROMOTION_STATUS"})
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class ReportSpec:
    """A checked report request."""

    query: aq.Query
    level: str
    targeting_types: tuple[str, ...] = ()
    filters: dict = field(default_factory=dict)
    metrics_filters: tuple = ()
    report_format: str = "JSON"


def _list(body: dict, name: str, max_items: int | None) -> list | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise QueryError(f"{name} must be a non-empty array.")
    if max_items is not None and len(value) > max_items:
        raise QueryError(f"{name} accepts at most {max_items} values.")
    return value


def _ids(body: dict, name: str) -> tuple[str, ...] | None:
    values = _list(body, name, MAX_REPORT_IDS)
    if values is None:
        return None
    if not all(isinstance(v, str) and _DIGITS.match(v) for v in values):
        raise QueryError(f"{name} must contain numeric string ids.")
    return tuple(dict.fromkeys(values))


def _enums(body: dict, name: str, choices, max_items: int) -> tuple[str, ...] | None:
    values = _list(body, name, max_items)
    if values is None:
        return None
    bad = [v for v in values if v not in choices]
    if bad:
        raise QueryError(f"{name} values must be among {', '.join(choices)}.")
    return tuple(dict.fromkeys(values))


def _metrics_filters(body: dict) -> tuple:
    values = _list(body, "metrics_filters", None)
    out = []
    for item in values or ():
        if not isinstance(item, dict):
            raise QueryError("metrics_filters items must be objects.")
        if item.get("field") not in enums.METRICS_FILTER_FIELDS:
            raise QueryError("metrics_filters.field must be SPEND_IN_DOLLAR or TOTAL_IMPRESSION.")
        if item.get("operator") not in enums.METRICS_FILTER_OPERATORS:
            raise QueryError("metrics_filters.operator must be LESS_THAN or GREATER_THAN.")
        numbers = item.get("values")
        if (not isinstance(numbers, list) or not numbers
                or not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers)):
            raise QueryError("metrics_filters.values must be a non-empty array of numbers.")
        out.append((item["field"], item["operator"], tuple(numbers)))
    return tuple(out)


def _columns(body: dict) -> tuple[str, ...]:
    columns = body.get("columns")
    if not isinstance(columns, list) or not columns:
        raise QueryError("columns is required (a non-empty array).")
    if not all(isinstance(c, str) for c in columns):
        raise QueryError("columns must be strings.")
    return aq.check_columns(columns, ASYNC_SET, "async ")


def parse_report_request(body, today: date) -> ReportSpec:
    """Check a report request body; QueryError (→ 400) on the first problem."""
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object.")
    level = body.get("level")
    if level not in enums.REPORTING_LEVELS:
        raise QueryError(f"level is required, one of {', '.join(enums.REPORTING_LEVELS)}.")
    columns = _columns(body)
    granularity = aq.check_granularity(body.get("granularity"))
    start = aq.parse_date(body.get("start_date"), "start_date")
    end = aq.parse_date(body.get("end_date"), "end_date")
    limits = aq.PRODUCT_ITEM if level == "PRODUCT_ITEM" else aq.ASYNC
    aq.check_range(start, end, granularity, today, limits)
    attribution = body.get("attribution_types")
    if attribution is not None and not isinstance(attribution, list):
        raise QueryError("attribution_types must be an array.")
    settings = aq.settings(body.get("click_window_days"), body.get("engagement_window_days"),
                           body.get("view_window_days"), body.get("conversion_report_time"), attribution)
    filters = {name: _ids(body, name) for name in ID_FILTERS}
    filters.update({name: _enums(body, name, choices, MAX_STATUS_VALUES) for name, choices in ENUM_FILTERS.items()})
    targeting = _enums(body, "targeting_types", enums.ANALYTICS_TARGETING_TYPES, MAX_REPORT_TARGETING_TYPES)
    if level.endswith("_TARGETING") and not targeting:
        raise QueryError(f"targeting_types (1 to {MAX_REPORT_TARGETING_TYPES}) is required for level {level}.")
    if targeting and not level.endswith("_TARGETING"):
        raise QueryError("targeting_types requires a level ending in _TARGETING.")
    if level == "PRODUCT_ITEM":
        if filters["ad_ids"] or filters["ad_statuses"]:
            raise QueryError("ad_ids and ad_statuses are not supported for PRODUCT_ITEM level reports.")
        if AD_COLUMNS & set(columns):
            raise QueryError("Pin promotion and ad columns are not supported for PRODUCT_ITEM level reports.")
    check_reporting_timezone(body.get("reporting_timezone"))  # 5.23.0 beta field: checked, same UTC rows
    report_format = body.get("report_format", "JSON")
    if report_format not in enums.REPORT_FORMATS:
        raise QueryError("report_format must be JSON or CSV.")
    query = aq.Query(start, end, granularity, columns, settings)
    return ReportSpec(query, level, tuple(targeting or ()), filters, _metrics_filters(body), report_format)
