"""``metrics_ready_state`` (digest §10): whether a day's numbers are final ("books closed").

Days before yesterday are final. Conversion metrics of yesterday and today are not (late
conversions still arrive); delivery metrics of yesterday are, today's are not (the day is still
running). Future days are not ready at all.

Example:
    >>> from datetime import date
    >>> today = date(2024, 6, 10)
    >>> [metrics_ready_state(date(2024, 6, d), today) for d in (8, 9, 10)]  # doctest: +NORMALIZE_WHITESPACE
    [{'conversion_metrics_ready': True, 'non_conversion_metrics_ready': True},
     {'conversion_metrics_ready': False, 'non_conversion_metrics_ready': True},
     {'conversion_metrics_ready': False, 'non_conversion_metrics_ready': False}]
"""

from __future__ import annotations

from datetime import date


def metrics_ready_state(day: date, today: date) -> dict:
    """The ``BookClosedResponse`` body for one date."""
    age = (today - day).days
    return {"conversion_metrics_ready": age >= 2, "non_conversion_metrics_ready": age >= 1}
