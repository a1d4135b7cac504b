"""Matplotlib charts that take pintools DataFrames and return a Figure (no global state, no
``plt.show()``), so notebooks display them and scripts save them.

>>> import pintools as pt
>>> from pintools import plots
>>> fig = plots.budgets_by_campaign(pt.read_campaigns(acct), pt.read_ad_groups(acct))  # doctest: +SKIP
>>> fig.savefig("budgets.png")                                                        # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MICRO = 1_000_000


def daily_budget_by_campaign(campaigns: pd.DataFrame, ad_groups: pd.DataFrame) -> pd.DataFrame:
    """Each campaign's daily budget in currency units, wherever it is set.

    CBO campaigns carry the budget themselves (``daily_spend_cap_micro``); the others are the
    sum of their DAILY ad groups' ``budget_in_micro_currency``. Returns columns
    ``campaign_id, name, objective_type, cbo, daily_budget_micro, daily_budget, currency``,
    largest first.

    >>> daily_budget_by_campaign(campaigns, ad_groups).head(3)   # doctest: +SKIP
    """
    daily_groups = ad_groups[ad_groups["budget_type"] == "DAILY"]
    group_sums = daily_groups.groupby("campaign_id")["budget_in_micro_currency"].sum(min_count=1)
    out = campaigns[["id", "name", "objective_type", "is_campaign_budget_optimization", "daily_spend_cap_micro",
                     "currency"]].rename(columns={"id": "campaign_id", "is_campaign_budget_optimization": "cbo"})
    from_groups = out["campaign_id"].map(group_sums).astype("Int64")
    cbo = out["cbo"].fillna(False).astype(bool)
    out["daily_budget_micro"] = out["daily_spend_cap_micro"].where(cbo, from_groups).astype("Int64")
    out["daily_budget"] = (out["daily_budget_micro"].astype("Float64") / MICRO).round(2)
    out = out.drop(columns="daily_spend_cap_micro")
    cols = ["campaign_id", "name", "objective_type", "cbo", "daily_budget_micro", "daily_budget", "currency"]
    return out[cols].sort_values("daily_budget_micro", ascending=False, na_position="last").reset_index(drop=True)


def budgets_by_campaign(campaigns: pd.DataFrame, ad_groups: pd.DataFrame, *, title: str | None = None) -> "Figure":
    """Horizontal bars of each campaign's daily budget (see :func:`daily_budget_by_campaign`),
    CBO campaigns in a second colour, labelled in the account's currency.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    table = daily_budget_by_campaign(campaigns, ad_groups).dropna(subset=["daily_budget_micro"])
    table = table.iloc[::-1]  # largest at the top
    currency = ", ".join(sorted(set(table["currency"].dropna()))) or "currency units"
    fig = Figure(figsize=(8, 0.45 * max(len(table), 3) + 1.2), layout="constrained")
    ax = fig.subplots()
    colours = ["#e60023" if cbo else "#767676" for cbo in table["cbo"].fillna(False)]
    values = table["daily_budget"].astype(float)
    ax.barh(table["name"].astype(str), values, color=colours)
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:,.2f}", va="center", fontsize=8)
    ax.set_xlabel(f"daily budget ({currency})")
    ax.set_title(title or "Daily budget by campaign")
    ax.legend(handles=[Patch(color="#e60023", label="campaign budget (CBO)"),
                       Patch(color="#767676", label="sum of ad-group budgets")],
              loc="lower right", fontsize=8, frameon=False)
    ax.margins(x=0.15)
    return fig
