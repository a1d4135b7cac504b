"""Emulator state and rules per resource, free of HTTP (no Flask imports here).

Example:
    >>> from pintools.emulator.models import EmulatorState
    >>> EmulatorState(seed=3).counts()["accounts"]
    4
"""

from pintools.emulator.models.state import EmulatorState

__all__ = ["EmulatorState"]
