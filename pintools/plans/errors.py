"""Why a plan was not applied, or a journal cannot be used — each error says what to do next.

>>> str(PlanNotValidated())
'this plan has not been validated: call plan = plan.validate(), review it, then apply it'
"""

from __future__ import annotations


class PlanError(Exception):
    """Something about a plan or its journal stops pintools from sending anything."""


class PlanNotValidated(PlanError):
    """``apply`` was given a plan that was never validated (nothing was sent)."""

    def __init__(self, message: str = "this plan has not been validated: call plan = plan.validate(), "
                                      "review it, then apply it") -> None:
        super().__init__(message)


class PlanOutdated(PlanError):
    """Pinterest changed since the plan was validated, so what was reviewed no longer holds
    (nothing was sent). ``rows`` are the plan rows concerned."""

    def __init__(self, message: str, rows: list[int]) -> None:
        super().__init__(message)
        self.rows = rows


class NothingToApply(PlanError):
    """Every row of the plan is blocked or excluded (nothing was sent)."""


class JournalLocked(PlanError):
    """Another process is applying or resuming from this journal right now."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class JournalCorrupt(PlanError):
    """A journal line other than the last cannot be read (the last one may be torn by a crash)."""
