"""``Guardrails``: the limits a plan is checked against (data only; the checks live in
:mod:`pintools.plans.checks`, the verb in :mod:`pintools.plans.validate`).

Money is integer micro-currency of each ad account's own currency. The plan remembers the
guardrails it was validated with, and :func:`pintools.plans.apply.apply` uses exactly those.

>>> g = Guardrails(max_change_pct=25)
>>> g.max_change_pct
25
>>> Guardrails.from_dict(g.to_dict()) == g
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Guardrails:
    """Limits a plan must respect.

    ``max_change_pct``: the largest change per edit, in percent of the current value (default
    50). ``min_bid_micro`` / ``max_bid_micro``, ``max_daily_budget_micro`` /
    ``max_lifetime_budget_micro``: your own limits (micro-currency). ``check_bid_floors``: read
    Pinterest's bid floors and block bids below them. ``check_staleness``: block rows whose
    entity changed in Pinterest since the plan was built. ``warn_near_floor_pct``: warn when a
    bid is within this percentage above its floor.
    """

    max_change_pct: float = 50.0
    min_bid_micro: int | None = None
    max_bid_micro: int | None = None
    max_daily_budget_micro: int | None = None
    max_lifetime_budget_micro: int | None = None
    check_bid_floors: bool = True
    check_staleness: bool = True
    warn_near_floor_pct: float = 10.0

    def to_dict(self) -> dict[str, Any]:
        """The limits as plain JSON-able values (how plan files store them)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "Guardrails":
        """Guardrails from :meth:`to_dict`; unknown keys are an error naming them."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown guardrail settings {unknown}; known: {', '.join(sorted(known))}")
        return cls(**values)
