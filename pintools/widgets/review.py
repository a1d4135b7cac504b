"""The plan review UI: filter, exclude rows, approve, apply, see progress and results.

Every action calls the library (``EditPlan.exclude``, ``EditPlan.apply``); the widget only
holds the current plan and shows it.

>>> review = plan_review(plan)        # doctest: +SKIP
>>> review.exclude_rows("3, 5-7")     # what the Exclude button does   # doctest: +SKIP
>>> review.approve.value = True; review.apply()                        # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..plans.review import summary_html
from ._common import describe_error, static_bundle, status_html

if TYPE_CHECKING:
    from ..client import Client
    from ..plans.model import EditPlan


def parse_rows(text: str) -> list[int]:
    """``"3, 5-7"`` → ``[3, 5, 6, 7]``; a clear ``ValueError`` for anything else.

    >>> parse_rows("3, 5-7")
    [3, 5, 6, 7]
    """
    rows: list[int] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        start, sep, end = part.partition("-")
        if not start.isdigit() or (sep and not end.isdigit()):
            raise ValueError(f"{part!r} is not a row number or a range like 5-7")
        rows += list(range(int(start), int(end) + 1)) if sep else [int(start)]
    return rows


class PlanReview:
    """Review and apply one plan. ``plan`` is the plan as reviewed; ``applied`` the result."""

    def __init__(self, plan: "EditPlan | None" = None, client: "Client | None" = None) -> None:
        import ipywidgets as w

        self.client = client
        self.plan: EditPlan | None = None
        self.applied: EditPlan | None = None
        self.verdict = w.Dropdown(options=["all", "ok", "warn", "blocked"], value="all", description="Show")
        self.rows = w.Text(placeholder="rows, e.g. 3, 5-7", description="Exclude")
        self.exclude_button = w.Button(description="Exclude rows", icon="ban")
        self.include_button = w.Button(description="Include all", icon="undo")
        sandbox = bool(getattr(client, "sandbox", False))  # Pinterest's sandbox disables bulk upsert
        self.method = w.Dropdown(options=[("bulk upsert", "bulk"), ("direct (PATCH)", "patch")],
                                 value="patch" if sandbox else "bulk", description="Send by")
        self.approve = w.Checkbox(value=False, description="I have reviewed these changes", indent=False)
        self.apply_button = w.Button(description="Apply", button_style="danger", icon="check", disabled=True)
        self.status = w.HTML(status_html("No plan yet."))
        self.summary = w.HTML()
        self.table = w.HTML()
        self.verdict.observe(lambda _: self._render(), names="value")
        self.exclude_button.on_click(lambda _: self.exclude_rows(self.rows.value))
        self.include_button.on_click(lambda _: self.include_all())
        self.approve.observe(lambda _: self._arm(), names="value")
        self.apply_button.on_click(lambda _: self.apply())
        self.view = w.VBox([
            w.HBox([self.verdict, self.rows, self.exclude_button, self.include_button]),
            self.summary, self.table,
            w.HBox([self.method, self.approve, self.apply_button]),
            self.status,
        ])
        if plan is not None:
            self.show(plan)

    def __repr__(self) -> str:
        return f"PlanReview({self.plan!r})"

    def _repr_mimebundle_(self, **kwargs):
        return static_bundle(self.view, repr(self), self.static_html())

    def static_html(self) -> str:
        """What the review shows now, as HTML that needs no widget: the summary (money in
        currency units), the plan's rows with their reasons in full, and the status line."""
        return "\n".join([self.summary.value, self.table.value, f"<div>{self.status.value}</div>"])

    def show(self, plan: "EditPlan") -> None:
        """Review ``plan`` (validated first, if it was not)."""
        if plan.validation is None:
            plan = plan.validate(client=self.client)
        self.plan, self.applied = plan, None
        self.approve.value = False
        self._render()
        sendable = len(plan.included)
        self.status.value = status_html(f"{sendable} change(s) ready to send; tick the box to enable Apply.")

    def _render(self) -> None:
        shown = self.applied or self.plan
        if shown is None:
            return
        if self.verdict.value != "all":
            shown = shown.select(shown.changes["verdict"] == self.verdict.value)
        self.table.value = shown._repr_html_()
        self.summary.value = summary_html(self.applied or self.plan)
        self._arm()

    def _arm(self) -> None:
        self.apply_button.disabled = not (self.plan is not None and self.applied is None and self.approve.value
                                          and len(self.plan.included) > 0)

    def exclude_rows(self, text: str) -> None:
        """Leave rows out (``"3, 5-7"``)."""
        if self.plan is None:
            return
        try:
            self.plan = self.plan.exclude(parse_rows(text))
        except ValueError as exc:
            self.status.value = status_html(describe_error(exc), "error")
            return
        self.rows.value = ""
        self._render()
        self.status.value = status_html(f"{len(self.plan.included)} change(s) will be sent.")

    def include_all(self) -> None:
        """Undo every exclusion."""
        if self.plan is not None:
            self.plan = self.plan.include_all()
            self._render()

    def apply(self) -> "EditPlan | None":
        """Apply the reviewed plan (once); show and return the per-row results."""
        if self.plan is None or not self.approve.value:
            self.status.value = status_html("Tick the review box first.", "error")
            return None
        self.apply_button.disabled = True
        self.status.value = status_html(f"Applying {len(self.plan.included)} change(s)…")
        try:
            self.applied = self.plan.apply(self.client, method=self.method.value, progress=False)
        except Exception as exc:  # shown as one line in the widget, never a traceback
            self.status.value = status_html(describe_error(exc), "error")
            self._arm()
            return None
        counts = self.applied.counts()
        kind = "error" if counts.get("failed") or counts.get("unknown") else "ok"
        self.status.value = status_html(f"{self.applied.headline()}. Journal: {self.applied.journal or '—'}", kind)
        self._render()
        return self.applied


def plan_review(plan: "EditPlan", client: "Client | None" = None) -> PlanReview:
    """Review (and apply) a plan in a notebook."""
    return PlanReview(plan, client)
