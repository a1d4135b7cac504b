"""ipywidgets UIs over the library: each is one call, holds no business logic, and shows
errors as a readable line instead of a traceback.

>>> import pintools as pt
>>> pt.widgets.dashboard()              # performance dashboard      # doctest: +SKIP
>>> pt.widgets.bid_budget_editor()      # rules -> plan -> review -> apply   # doctest: +SKIP
>>> pt.widgets.plan_review(plan)        # review any edit plan       # doctest: +SKIP
"""

from .dashboard import Dashboard, dashboard
from .editor import BidBudgetEditor, bid_budget_editor
from .review import PlanReview, plan_review

__all__ = ["BidBudgetEditor", "Dashboard", "PlanReview", "bid_budget_editor", "dashboard", "plan_review"]
