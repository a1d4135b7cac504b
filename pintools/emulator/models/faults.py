"""Injected faults: canned failures, slow answers, dropped connections, broken bodies.

A fault matches a route (operationId, path template, or None = any ``/v5`` route) and
optionally a method, and fires ``times`` times (``None`` = until cleared). The first matching
fault in insertion order wins. ``phase="before"`` answers without processing the request;
``phase="after"`` processes it, then answers with the fault (an unknown-outcome write).

Example:
    >>> book = FaultBook()
    >>> _ = book.add(Fault(route="campaigns/list", status=503, times=1))
    >>> from pintools.emulator.route_table import find_route
    >>> book.take(find_route("campaigns/list"), "GET").status
    503
    >>> book.take(find_route("campaigns/list"), "GET") is None
    True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pintools.emulator.route_table import Route, route_matches

PHASES = ("before", "after")


@dataclass
class Fault:
    """One injected fault (see the module doc). ``status=None`` with ``latency_ms`` = slow but normal.

    Example:
        >>> Fault(latency_ms=200, status=None).answers
        False
    """

    route: str | None = None
    method: str | None = None
    status: int | None = 500
    times: int | None = 1
    code: int | None = None
    message: str | None = None
    retry_after: int | None = None
    latency_ms: int = 0
    drop_connection: bool = False
    malformed_body: bool = False
    phase: str = "before"
    id: int = field(default=0)

    def __post_init__(self):
        if self.phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}")
        if self.times is not None and int(self.times) < 1:
            raise ValueError("times must be >= 1 or None")
        if self.status is not None and not 100 <= int(self.status) <= 599:
            raise ValueError("status must be an HTTP status code")
        if int(self.latency_ms) < 0:
            raise ValueError("latency_ms must be >= 0")
        self.method = self.method.upper() if self.method else None

    @property
    def answers(self) -> bool:
        """Whether the fault replaces the answer (status, drop or malformed), not only delays it."""
        return self.drop_connection or self.malformed_body or self.status is not None

    def error_body(self) -> dict:
        """The Pinterest-shaped body for the fault's status."""
        status = int(self.status or 500)
        code = self.code if self.code is not None else _default_code(status)
        return {"code": int(code), "message": self.message or _default_message(status)}

    def as_dict(self) -> dict:
        """JSON-able description for the control plane."""
        return asdict(self)


def _default_code(status: int) -> int:
    return {401: 2, 403: 29, 404: 2, 429: 8}.get(status, status)


def _default_message(status: int) -> str:
    from pintools.emulator.errors import AUTH_FAILED_MESSAGE, FORBIDDEN_MESSAGE, RATE_LIMIT_MESSAGE

    return {
        401: AUTH_FAILED_MESSAGE,
        403: FORBIDDEN_MESSAGE,
        429: RATE_LIMIT_MESSAGE,
        500: "Internal server error.",
        502: "Bad gateway.",
        503: "Service unavailable.",
        504: "Gateway timeout.",
    }.get(status, "Injected fault.")


class FaultBook:
    """The active faults. Not thread-safe by itself: the state lock guards it.

    Example:
        >>> FaultBook().active()
        []
    """

    def __init__(self):
        self._faults: list[Fault] = []
        self._next_id = 1

    def add(self, fault: Fault) -> Fault:
        """Register a fault; returns it with its id set."""
        fault.id = self._next_id
        self._next_id += 1
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def active(self) -> list[Fault]:
        """The faults still armed, oldest first."""
        return list(self._faults)

    def take(self, route: Route, method: str) -> Fault | None:
        """The first fault matching this request, consuming one of its ``times``."""
        for fault in self._faults:
            if fault.method and fault.method != method.upper():
                continue
            if not route_matches(route, fault.route):
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
            return fault
        return None
