"""Edit plans: build changes as a reviewable DataFrame, check them, apply them safely.

>>> import pintools as pt
>>> groups = pt.read_ad_groups(acct)                                   # doctest: +SKIP
>>> plan = pt.plans.set_bids(groups, factor=1.1).validate()            # doctest: +SKIP
>>> plan                                                               # the review, in a notebook  # doctest: +SKIP
>>> applied = plan.apply()                                             # doctest: +SKIP
>>> undo = applied.rollback()                                          # doctest: +SKIP
"""

from . import rules
from .apply import BulkJobFailed, apply_plan
from .builders import (
                       activate,
                       add_targeting,
                       archive,
                       pause,
                       reallocate_budget,
                       reallocation,
                       remove_targeting,
                       set_bids,
                       set_budgets,
                       set_match_types,
                       set_status,
                       to_ad_groups,
                       to_campaigns,
                       to_keywords,
)
from .guardrails import Guardrails
from .journal import Journal, default_journal_dir
from .model import EditPlan
from .resume import resume
from .spreadsheet import SpreadsheetError, from_spreadsheet, read_spreadsheet, template

__all__ = [
    "BulkJobFailed",
    "EditPlan",
    "Guardrails",
    "Journal",
    "SpreadsheetError",
    "activate",
    "add_targeting",
    "apply_plan",
    "archive",
    "default_journal_dir",
    "from_spreadsheet",
    "pause",
    "read_spreadsheet",
    "reallocate_budget",
    "reallocation",
    "remove_targeting",
    "resume",
    "rules",
    "set_bids",
    "set_budgets",
    "set_match_types",
    "set_status",
    "template",
    "to_ad_groups",
    "to_campaigns",
    "to_keywords",
]
