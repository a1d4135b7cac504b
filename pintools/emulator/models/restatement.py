"""Restated past days: the emulator's model of numbers that change after the fact.

Pinterest's conversions keep arriving for the attribution window (a checkout 20 days after a
click counts on the day of the click), and delivery can be corrected later (invalid-traffic
credits). The spec says neither how much nor when, so this is **the emulator's model**, switched
on from the control plane (``POST /_emulator/analytics/restate``): each rule multiplies, for the
chosen past days and one ad account (or all), every conversion field (``CONV:``, ``VALUE:``,
``QTY:``, ``XDEV:``) by ``factor`` and every field by ``delivery_factor`` (rounded to whole
numbers). It acts on the per-ad daily series, so campaign, ad group, ad, account, targeting and
report answers all agree; rules compound in the order given; a reset forgets them.

Example:
    >>> import numpy as np
    >>> from datetime import date
    >>> rules = Restatements(ads_account=lambda ad: "1")
    >>> rules.configure(ad_account_id="1", days=["2026-11-02"], factor=1.5)
    {'rules': [{'ad_account_id': '1', 'days': ['2026-11-02'], 'factor': 1.5, 'delivery_factor': 1.0}]}
    >>> series = {"CONV:WEB:CLICK:CHECKOUT": np.array([[10, 10, 10]]), "SPEND_IN_MICRO_DOLLAR": np.array([[5, 5, 5]])}
    >>> out = rules.apply(["a1"], date(2026, 11, 1).toordinal(), series)
    >>> out["CONV:WEB:CLICK:CHECKOUT"].tolist(), out["SPEND_IN_MICRO_DOLLAR"].tolist()
    ([[10, 15, 10]], [[5, 5, 5]])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from pintools.emulator.models.metrics import CONVERSION_PREFIXES

#: The most days one rule may name (a guard against a runaway request, not a Pinterest rule).
MAX_DAYS = 1000


def _day(value, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date 'YYYY-MM-DD', got {value!r}") from None


def _factor(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ValueError(f"{name} must be a number between 0 and 100, got {value!r}")
    return float(value)


def _days(days, start_date, end_date) -> list[dt.date]:
    if days is not None and (start_date is not None or end_date is not None):
        raise ValueError("give either days or start_date/end_date, not both")
    if days is not None:
        if not isinstance(days, list) or not days:
            raise ValueError("days must be a non-empty list of dates 'YYYY-MM-DD'")
        chosen = sorted({_day(d, "days") for d in days})
    else:
        if start_date is None or end_date is None:
            raise ValueError("give days (a list of dates) or both start_date and end_date")
        start, end = _day(start_date, "start_date"), _day(end_date, "end_date")
        if end < start:
            raise ValueError(f"end_date {end} is before start_date {start}")
        chosen = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    if len(chosen) > MAX_DAYS:
        raise ValueError(f"a restatement names at most {MAX_DAYS} days, got {len(chosen)}")
    return chosen


class Restatements:
    """The restatement rules in force; ``ads_account`` maps an ad id to its ad account id."""

    def __init__(self, ads_account: Callable[[str], str | None]):
        self._account_of = ads_account
        self.rules: list[dict] = []

    def configure(self, ad_account_id=None, days=None, start_date=None, end_date=None, factor=1.1,
                  delivery_factor=1.0, clear=False) -> dict:
        """Add a rule (or, with ``clear=True`` and nothing else, forget them all); the rules.

        Example:
            >>> Restatements(lambda ad: None).configure(clear=True)
            {'rules': []}
        """
        if clear:
            if days is not None or start_date is not None or end_date is not None:
                raise ValueError("clear=True forgets every rule; send it without days or dates")
            self.rules.clear()
            return {"rules": []}
        chosen = _days(days, start_date, end_date)
        rule = {"ad_account_id": None if ad_account_id is None else str(ad_account_id),
                "days": [d.isoformat() for d in chosen], "factor": _factor(factor, "factor"),
                "delivery_factor": _factor(delivery_factor, "delivery_factor")}
        self.rules.append(rule)
        return {"rules": [dict(r) for r in self.rules]}

    def apply(self, ad_ids: list[str], first_day: int, series: dict[str, np.ndarray],
              slots_per_day: int = 1) -> dict[str, np.ndarray]:
        """``series`` (``{field: (ads, slots)}`` from day ordinal ``first_day``) with the rules
        applied; new arrays, the inputs (the metrics cache's) are left alone.

        Example:
            >>> Restatements(lambda ad: None).apply(["a"], 1, {"SPEND_IN_MICRO_DOLLAR": np.array([[7]])})
            {'SPEND_IN_MICRO_DOLLAR': array([[7]])}
        """
        if not self.rules or not ad_ids:
            return series
        out = dict(series)
        accounts = np.array([self._account_of(a) or "" for a in ad_ids], dtype=object)
        some = next(iter(series.values()))
        slot_days = first_day + np.arange(some.shape[1]) // slots_per_day
        for rule in self.rules:
            ordinals = [dt.date.fromisoformat(d).toordinal() for d in rule["days"]]
            columns = np.isin(slot_days, ordinals)
            rows = np.ones(len(ad_ids), dtype=bool) if rule["ad_account_id"] is None \
                else accounts == rule["ad_account_id"]
            if not columns.any() or not rows.any():
                continue
            cells = rows[:, None] & columns[None, :]
            for field, values in out.items():
                scale = rule["delivery_factor"]
                if field.startswith(CONVERSION_PREFIXES):
                    scale *= rule["factor"]
                if scale == 1.0:
                    continue
                scaled = np.rint(values * scale).astype(values.dtype)
                out[field] = np.where(cells, scaled, values)
        return out
