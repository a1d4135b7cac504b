"""Rules of Pinterest API 5.23.0 that :func:`~pintools.analytics.read_analytics` checks before any call.

- ``granularity=HOUR`` "no longer provides data for conversion metrics, but it still returns data
  for non-conversion metrics" (``Granularity``). Asking for a conversion column by the hour would
  give a frame of missing values that looks like zero conversions, so it is refused.
- ``engagement_window_days`` "no longer returns new data. However, you can still access historic
  data through Sept 30, 2027." Setting it still works for old days, so it warns, not refuses.
- ``reporting_timezone`` (``ReportingTimeZone``, closed beta: "not available to all users") is
  ``PINTEREST_TIME_ZONE`` or ``AD_ACCOUNT_TIME_ZONE``; a query parameter of every sync analytics
  and targeting analytics operation, and a field of the async report body. No ad account field.
- The attribution windows are each one of 0, 1, 7, 14, 30, 60 days; 5.23.0 states no rule
  about which combinations of click, engagement and view windows go together.

Which columns are conversion metrics is pintools' reading of the names (the spec describes no
column): those counting or valuing conversion events (Tag / Conversions API events such as
checkout, add to cart, page visit, lead, signup…), their rates, costs per action and ROAS.

>>> is_conversion_column("TOTAL_CHECKOUT"), is_conversion_column("TOTAL_CLICKTHROUGH")
(True, False)
>>> check_hour_columns("DAY", ["TOTAL_CHECKOUT"])
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

REPORTING_TIMEZONES = ("PINTEREST_TIME_ZONE", "AD_ACCOUNT_TIME_ZONE")
ENGAGEMENT_WINDOW_END = "Sept 30, 2027"

_EVENTS = ("CHECKOUT", "ADD_TO_CART", "PAGE_VISIT", "SIGNUP", "LEAD", "WATCH_VIDEO", "VIEW_CATEGORY", "SEARCH",
           "CUSTOM", "APP_INSTALL", "UNKNOWN", "ADD_TO_WISHLIST", "SUBSCRIBE", "ADD_PAYMENT_INFO",
           "INITIATE_CHECKOUT", "VIEW_CONTENT")
_CONVERSION = re.compile("|".join((r"CONVERSION", r"ROAS", r"COST_PER_ACTION",
                                   *(rf"(^|_){event}(_|$)" for event in _EVENTS))))
_NOT_CONVERSION = frozenset({"LEADS", "COST_PER_LEAD"})  # lead-ad form submissions, not Tag events


def is_conversion_column(name: str) -> bool:
    """Whether a reporting column is a conversion metric (pintools' reading of its name).

    >>> is_conversion_column("TOTAL_WEB_CHECKOUT_VALUE_IN_MICRO_DOLLAR"), is_conversion_column("CTR")
    (True, False)
    """
    return name not in _NOT_CONVERSION and bool(_CONVERSION.search(name))


def check_hour_columns(granularity: str, columns: Sequence[str]) -> None:
    """Refuse conversion columns with ``HOUR`` granularity (5.23.0 sends no data for them).

    >>> check_hour_columns("HOUR", ["SPEND_IN_MICRO_DOLLAR", "TOTAL_CHECKOUT"])
    Traceback (most recent call last):
    ...
    ValueError: granularity='HOUR' has no conversion data since Pinterest API 5.23 (...): drop TOTAL_CHECKOUT, ...
    """
    if granularity != "HOUR":
        return
    conversions = [c for c in columns if is_conversion_column(c)]
    if conversions:
        shown = ", ".join(conversions[:8]) + (f" and {len(conversions) - 8} more" if len(conversions) > 8 else "")
        raise ValueError(f"granularity='HOUR' has no conversion data since Pinterest API 5.23 (\"The HOUR enum no "
                         f"longer provides data for conversion metrics\"): drop {shown}, or use granularity='DAY'")


def warn_engagement_window(value: int | None) -> None:
    """Warn when ``engagement_window_days`` is set: 5.23.0 gives it no new data.

    >>> warn_engagement_window(None)
    """
    if value is None:
        return
    warnings.warn(f"engagement_window_days no longer returns new data (Pinterest API 5.23); historic data stays "
                  f"available through {ENGAGEMENT_WINDOW_END}.",
                  UserWarning, stacklevel=4)


def check_reporting_timezone(value: str | None) -> str | None:
    """``reporting_timezone``: None (Pinterest's default) or one of :data:`REPORTING_TIMEZONES`.

    >>> check_reporting_timezone("ad_account_time_zone")
    'AD_ACCOUNT_TIME_ZONE'
    """
    if value is None:
        return None
    upper = str(value).upper()
    if upper not in REPORTING_TIMEZONES:
        raise ValueError(f"reporting_timezone must be one of {', '.join(REPORTING_TIMEZONES)} (or None for "
                         f"Pinterest's default), got {value!r}")
    return upper
