"""5.23.0 behaviours of the analytics parameters that only changed in their descriptions.

- ``Granularity``: "The ``HOUR`` enum no longer provides data for conversion metrics, but it still
  returns data for non-conversion metrics." The spec does not say what a row then holds for a
  conversion column; the emulator serves both plausible shapes (control plane ``hour_conversions``):
  ``"omit"`` (default) leaves the column out of HOUR rows, ``"zero"`` reports 0. A conversion column
  is one computed from conversion events (Pinterest Tag / Conversions API), in any channel, action
  or event.
- ``reporting_timezone`` (``ReportingTimeZone``, closed beta) is accepted and checked; the emulator's
  accounts have no time zone of their own, so both values give the same (UTC) rows.

Example:
    >>> is_conversion_column("TOTAL_CHECKOUT"), is_conversion_column("TOTAL_CLICKTHROUGH")
    (True, False)
    >>> strip_hour_conversions([{"DATE": "2024-05-01 13:00:00", "TOTAL_CHECKOUT": 0, "SPEND_IN_DOLLAR": 1.5}])
    [{'DATE': '2024-05-01 13:00:00', 'SPEND_IN_DOLLAR': 1.5}]
"""

from __future__ import annotations

from functools import cache

from pintools.emulator import enums
from pintools.emulator.errors import QueryError
from pintools.emulator.models.columns import COLUMNS

_CONVERSION_FIELD_KINDS = ("CONV", "VALUE", "QTY")


@cache
def is_conversion_column(name: str) -> bool:
    """Whether a reporting column is computed from conversion events.

    Example:
        >>> is_conversion_column("TOTAL_WEB_CHECKOUT_VALUE_IN_MICRO_DOLLAR")
        True
    """
    column = COLUMNS.get(name)
    return column is not None and any(f.split(":", 1)[0] in _CONVERSION_FIELD_KINDS for f in column.needs)


def strip_hour_conversions(rows: list[dict], shape: str = "omit") -> list[dict]:
    """HOUR rows without data in their conversion columns (sync rows, or targeting items'
    ``metrics``): the columns left out (``"omit"``) or set to 0 (``"zero"``).

    Example:
        >>> strip_hour_conversions([{"metrics": {"TOTAL_LEAD": 1, "CTR": 0.1}}])
        [{'metrics': {'CTR': 0.1}}]
        >>> strip_hour_conversions([{"TOTAL_LEAD": 1, "CTR": 0.1}], "zero")
        [{'TOTAL_LEAD': 0, 'CTR': 0.1}]
    """

    def clean(values: dict) -> dict:
        if shape == "zero":
            return {k: (0 if is_conversion_column(k) else v) for k, v in values.items()}
        return {k: v for k, v in values.items() if not is_conversion_column(k)}

    return [dict(row, metrics=clean(row["metrics"])) if isinstance(row.get("metrics"), dict) else clean(row)
            for row in rows]


def check_reporting_timezone(value) -> str | None:
    """``reporting_timezone``: None when absent, else one of ``ReportingTimeZone``.

    Example:
        >>> check_reporting_timezone("AD_ACCOUNT_TIME_ZONE")
        'AD_ACCOUNT_TIME_ZONE'
    """
    if value is None or value == "":
        return None
    if value not in enums.REPORTING_TIMEZONES:
        raise QueryError(f"reporting_timezone must be one of {', '.join(enums.REPORTING_TIMEZONES)}.")
    return value
