"""The bid and budget editor: choose a rule, preview the plan, exclude rows, apply, see results.

Rules are library functions (:mod:`pintools.plans.builders`, :mod:`pintools.plans.rules`);
the review below them is :class:`pintools.widgets.review.PlanReview`.

>>> editor = bid_budget_editor()           # doctest: +SKIP
>>> editor.rule.value = "scale_bids"; editor.factor.value = 1.1                        # doctest: +SKIP
>>> editor.preview(); editor.review.approve.value = True; editor.review.apply()   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from ._common import describe_error, static_bundle, status_html
from .review import PlanReview

if TYPE_CHECKING:
    from ..client import Client
    from ..plans.model import EditPlan

RULES = [
    ("Scale bids by a factor", "scale_bids"),
    ("Scale ad-group budgets by a factor", "scale_budgets"),
    ("Bids up/down by ROAS against a target", "bids_by_roas"),
    ("Pause ad groups with low CTR", "pause_low_ctr"),
]


class BidBudgetEditor:
    """Controls for a rule over one account's active ad groups, plus the plan review."""

    def __init__(self, client: "Client | None" = None, *, days: int = 30) -> None:
        import ipywidgets as w

        from ..client import default_client
        from ..entities import read_ad_accounts

        self.client = client or default_client()
        accounts = read_ad_accounts(client=self.client)
        self.account = w.Dropdown(options=[(f"{r.name} ({r.currency})", r.id) for r in accounts.itertuples()],
                                  description="Account")
        self.rule = w.Dropdown(options=RULES, value="scale_bids", description="Rule",
                               layout=w.Layout(width="420px"))
        self.factor = w.BoundedFloatText(value=1.1, min=0.1, max=10, step=0.05, description="Factor")
        self.target = w.FloatText(value=3.0, description="Target",
                                  tooltip="ROAS target for 'bids by ROAS', CTR % for 'pause low CTR'")
        self.days = w.BoundedIntText(value=days, min=1, max=90, description="Days")
        self.preview_button = w.Button(description="Preview", button_style="primary", icon="eye")
        self.status = w.HTML(status_html("Choose a rule and press Preview."))
        self.review = PlanReview(client=self.client)
        self.preview_button.on_click(lambda _: self.preview())
        self.view = w.VBox([w.HBox([self.account, self.rule]), w.HBox([self.factor, self.target, self.days]),
                            w.HBox([self.preview_button, self.status]), self.review.view])

    def __repr__(self) -> str:
        return (f"BidBudgetEditor(account={self.account.value!r}, rule={self.rule.value!r}, "
                f"factor={self.factor.value}, target={self.target.value}, days={self.days.value})")

    def _repr_mimebundle_(self, **kwargs):
        return static_bundle(self.view, repr(self), self.static_html())

    def static_html(self) -> str:
        """What the editor shows now, as HTML that needs no widget: the rule and its settings,
        the status line and the plan review below them."""
        head = (f"<div><b>{html.escape(str(self.account.label))}</b> · {html.escape(str(self.rule.label))} · "
                f"factor {self.factor.value} · target {self.target.value} · last {self.days.value} days</div>")
        return "\n".join([head, f"<div>{self.status.value}</div>", self.review.static_html()])

    def build(self) -> "EditPlan":
        """The plan the chosen rule gives (not yet validated)."""
        from ..entities import read_ad_groups
        from ..plans import builders, rules

        account, rule = self.account.value, self.rule.value
        end = self.client.today()
        start = end - dt.timedelta(days=self.days.value - 1)
        if rule in ("scale_bids", "scale_budgets"):
            groups = read_ad_groups(account, statuses=["ACTIVE"], client=self.client)
            if rule == "scale_bids":
                return builders.set_bids(groups[groups["bid_in_micro_currency"].notna()], factor=self.factor.value)
            return builders.set_budgets(groups[groups["budget_in_micro_currency"].notna()], factor=self.factor.value)
        if rule == "bids_by_roas":
            return rules.scale_bids_by_roas(account, start, end, target_roas=self.target.value,
                                            up=self.factor.value, down=round(2 - self.factor.value, 4),
                                            client=self.client)
        # the Target box takes CTR in percent (as analysts type it); the rule takes a fraction
        return rules.pause_low_performers(account, start, end, max_ctr=self.target.value / 100, client=self.client)

    def preview(self) -> "EditPlan | None":
        """Build and validate the plan and show it for review."""
        self.status.value = status_html("Building the plan…")
        try:
            plan = self.build().validate(client=self.client)
        except Exception as exc:  # one readable line in the widget
            self.status.value = status_html(describe_error(exc), "error")
            return None
        self.review.show(plan)
        self.status.value = status_html(f"{len(plan)} change(s) planned.", "ok")
        return plan


def bid_budget_editor(client: "Client | None" = None, *, days: int = 30) -> BidBudgetEditor:
    """Build the bid and budget editor (see :class:`BidBudgetEditor`)."""
    return BidBudgetEditor(client, days=days)
