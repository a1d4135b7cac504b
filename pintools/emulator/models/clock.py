"""The emulator's clock: real time, or a fixed instant so outputs stay stable.

Example:
    >>> clock = Clock(fixed="2024-03-01T00:00:00Z")
    >>> clock.now()
    1709251200
    >>> clock.set(None); clock.fixed is None
    True
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


def parse_instant(value) -> int | None:
    """Unix seconds from an int/float, a digit string, or an ISO-8601 string (UTC if naive).

    Example:
        >>> parse_instant("2024-01-01")
        1704067200
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a clock value must be Unix seconds or an ISO-8601 string")
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


class Clock:
    """Time source for created/updated times, token expiry and summary statuses.

    Example:
        >>> Clock(fixed=1700000000).now()
        1700000000
    """

    def __init__(self, fixed=None):
        self.fixed: int | None = parse_instant(fixed)

    def set(self, value) -> None:
        """Fix the clock (Unix seconds or ISO string) or go back to real time with ``None``."""
        self.fixed = parse_instant(value)

    def advance(self, seconds) -> int:
        """Move a fixed clock forward; a real clock becomes fixed at now + ``seconds``.

        Example:
            >>> c = Clock(fixed=100); c.advance(60)
            160
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError("seconds must be a number")
        self.fixed = self.now() + int(seconds)
        return self.fixed

    def now(self) -> int:
        """Current emulator time in Unix seconds."""
        return self.fixed if self.fixed is not None else int(time.time())
