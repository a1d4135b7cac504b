"""The planner: before a sync runs, the calls it will make per rate category and the minutes they
need under the client's budgets (``pt.sync(plan=True)``, ``pintools sync --dry-run``).

To size the analytics calls the planner lists each account's campaigns, ad groups and ads (the
``ads_read`` calls it made are counted and shown apart); it makes no analytics call and loads
nothing (a DuckDB file that does not exist yet is not created). Counts per account and table:
sync windows × batches of 250 ids; async reports (days older than 90) × batches of 500 ids × 2
calls (create, then at least one status call; the download is a file link outside the budget,
and Pinterest's time to build a report is not included); ``keyword`` adds one keyword list
(``ads_read``) per ad group and call. ``ads_read``: one page per 250 entities of each table and
of each analytics table's id list, the account's currency once, and for ``keywords`` three lists
plus one per campaign and ad group (at most: Pinterest lists keywords per parent, and only
active and paused parents are asked).

>>> p = SyncPlan(accounts=2, calls={"ads_analytics": 600, "ads_read": 40}, rates={"ads_analytics": 300,
...              "ads_read": 1000}, planner_calls={"ads_read": 6}, days={"daily_campaign": "2026-10-14..2026-11-14"})
>>> p.minutes
{'ads_analytics': 2.0, 'ads_read': 0.04}
>>> print(p)  # doctest: +NORMALIZE_WHITESPACE
pintools sync plan: 2 account(s)
  daily_campaign: 2026-10-14..2026-11-14
  category        calls  per minute  minutes
  ads_analytics     600         300     2.00
  ads_read           40        1000     0.04
  at least 2.00 minutes (the slowest category; categories run side by side)
  (planning itself made: ads_read 6)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..analytics.reports import MAX_IDS_PER_REPORT
from .analytics_days import plan_days
from .calls import counting
from .resources import ACCOUNT_ERRORS, SYNC_BATCH, _level_ids, state_key, table_name
from .settings import SyncSettings

if TYPE_CHECKING:
    from ..client import Client


@dataclass
class SyncPlan:
    """Calls per category (``calls``), the budgets (``rates``, calls a minute), ``minutes`` per category."""

    accounts: int
    calls: dict[str, int]
    rates: dict[str, float]
    planner_calls: dict[str, int] = field(default_factory=dict)
    days: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def minutes(self) -> dict[str, float]:
        return {k: round(n / self.rates[k], 2) if self.rates.get(k) else 0.0 for k, n in sorted(self.calls.items())}

    @property
    def total_minutes(self) -> float:
        """The slowest category's minutes (categories are paced side by side)."""
        return max(self.minutes.values(), default=0.0)

    def __str__(self) -> str:
        lines = [f"pintools sync plan: {self.accounts} account(s)"]
        lines += [f"  {t}: {d}" for t, d in sorted(self.days.items())]
        lines.append(f"  {'category':<14}{'calls':>7}{'per minute':>12}{'minutes':>9}")
        for k, n in sorted(self.calls.items()):
            rate = self.rates.get(k)
            lines.append(f"  {k:<14}{n:>7}{(f'{rate:g}' if rate else 'no limit'):>12}{self.minutes[k]:>9.2f}")
        lines.append(f"  at least {self.total_minutes:.2f} minutes (the slowest category; categories run side by side)")
        if self.planner_calls:
            lines.append(f"  (planning itself made: {', '.join(f'{k} {v}' for k, v in sorted(self.planner_calls.items()))})")
        lines += [f"  cannot read {a}: {m}" for a, m in sorted(self.failed.items())]
        return "\n".join(lines)


def _state(pipeline: Any, source_name: str, restore: bool) -> dict:
    if restore:
        try:
            pipeline.sync_destination()  # the state the destination holds, when the local copy is missing
        except Exception:  # a destination not reachable yet: plan from the local state
            pass
    return (pipeline.state.get("sources", {}).get(source_name, {}) or {}).get("days", {})


def plan_sync(c: "Client", pipeline: Any, accounts: list[str], settings: SyncSettings, *,
              source_name: str, restore: bool = True) -> SyncPlan:
    """The plan of ``pt.sync`` for these accounts and settings (see the module docstring).

    >>> print(plan_sync(client, pipeline, ["549755885175"], SyncSettings(), source_name="pinterest_ads"))  # doctest: +SKIP
    """
    state = _state(pipeline, source_name, restore)
    calls: Counter[str] = Counter()
    days: dict[str, str] = {}
    failed: dict[str, str] = {}
    today = c.today()
    tables = [(lv, False) for lv in settings.levels] + \
        ([(settings.targeting_level, True)] if settings.targeting_types else [])
    with counting(c) as counter:
        for account in accounts:
            counts: dict[str, int] = {}
            try:
                for kind in ("campaign", "ad_group", "ad"):
                    counts[kind] = len(_level_ids(c, account, kind))
            except ACCOUNT_ERRORS as exc:
                failed[account] = str(exc)
                continue
            calls["ads_read"] += 1  # the account's currency, once a run
            for name, kind in (("campaigns", "campaign"), ("ad_groups", "ad_group"), ("ads", "ad")):
                if name in settings.entities:
                    calls["ads_read"] += max(1, math.ceil(counts[kind] / SYNC_BATCH))
            if "keywords" in settings.entities:  # the parents listed, then one list per parent (pintools.read_keywords)
                calls["ads_read"] += 3 + counts["campaign"] + counts["ad_group"]
            for level, targeting in tables:
                table = table_name(level, targeting)
                plan = plan_days(today, state.get(state_key(table, account, settings)), restate=settings.restate,
                                 history_days=settings.history_days, report_ok=not targeting and level != "keyword")
                if plan.reads:
                    days[table] = f"{plan.reads[0][0].start}..{plan.reads[-1][0].end}"
                n = counts["ad_group" if level == "keyword" else level]
                if plan.reads:  # the ids the table reports on, listed once a run
                    calls["ads_read"] += max(1, math.ceil(n / SYNC_BATCH))
                for _, path in plan.reads:
                    if path == "report":
                        calls["ads_analytics"] += 2 * math.ceil(n / MAX_IDS_PER_REPORT)
                    else:
                        calls["ads_analytics"] += math.ceil(n / SYNC_BATCH)
                        if level == "keyword":
                            calls["ads_read"] += n
        planner = counter.snapshot()["calls"]
    if "ad_accounts" in settings.entities and accounts:
        calls["ads_read"] += 1
    budget = c.requestor.budget
    rates = {k: (budget.rate(k).per_minute if budget.rate(k) else 0.0) for k in calls}
    return SyncPlan(len(accounts), dict(calls), rates, planner, days, failed)
