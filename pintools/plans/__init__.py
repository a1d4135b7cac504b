"""Edit plans: build changes as a reviewable DataFrame, check them, apply them safely.

>>> import pintools as pt
>>> groups = pt.read_ad_groups(acct)                                   # doctest: +SKIP
>>> plan = pt.plans.set_bids(groups, factor=1.1).validate()            # doctest: +SKIP
>>> plan                                                               # the review, in a notebook  # doctest: +SKIP
>>> applied = plan.apply()                                             # doctest: +SKIP
>>> undo = applied.rollback().validate()                               # doctest: +SKIP

The plan (:mod:`~pintools.plans.model`) is data; the verbs — :func:`validate`, :func:`apply`,
:func:`resume`, :func:`rollback`, :func:`from_spreadsheet` — are functions over it. The plan's
methods of the same names delegate to them: this package hands them to the model here, so the
model imports none of its verbs.
"""

from . import model, rules
from .apply import apply
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
                       set_cbo,
                       set_match_types,
                       set_status,
)
from .creates import to_ad_groups, to_campaigns, to_keywords
from .errors import JournalCorrupt, JournalLocked, NothingToApply, PlanError, PlanNotValidated, PlanOutdated
from .guardrails import Guardrails
from .journal import Journal, default_journal_dir
from .model import EditPlan, Validation
from .resume import resume
from .review import plan_html, summary
from .rollback import rollback
from .send import BulkJobFailed
from .spreadsheet import SpreadsheetError, from_spreadsheet, read_spreadsheet, read_template, template
from .validate import validate

model.provide_verbs(validate=validate, apply=apply, rollback=rollback, from_spreadsheet=from_spreadsheet,
                    plan_html=plan_html, summary=summary)

__all__ = [
    "BulkJobFailed",
    "EditPlan",
    "Guardrails",
    "Journal",
    "JournalCorrupt",
    "JournalLocked",
    "NothingToApply",
    "PlanError",
    "PlanNotValidated",
    "PlanOutdated",
    "SpreadsheetError",
    "Validation",
    "activate",
    "add_targeting",
    "apply",
    "archive",
    "default_journal_dir",
    "from_spreadsheet",
    "pause",
    "read_spreadsheet",
    "read_template",
    "reallocate_budget",
    "reallocation",
    "remove_targeting",
    "resume",
    "rollback",
    "rules",
    "set_bids",
    "set_budgets",
    "set_cbo",
    "set_match_types",
    "set_status",
    "template",
    "to_ad_groups",
    "to_campaigns",
    "to_keywords",
    "validate",
]
