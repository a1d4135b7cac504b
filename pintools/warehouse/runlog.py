"""The run log: one ``sync_runs`` row per run — when it started and finished, which accounts it
synced and which it could not, the calls it made per rate category (and how many were answered
429 or retried), the rows it loaded per table, and its status.

Statuses and the exit codes of ``pintools sync``: ``ok`` (0), ``partial`` (3: some accounts
could not be read, e.g. the token lost access; the others were synced), ``failed`` (1); bad
arguments exit 2 before anything runs.

>>> log = RunLog.start(["1", "2"], now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC))
>>> log.fail_account("2", "HTTP 403: no access"); log.status
'partial'
>>> EXIT_CODES[log.status]
3
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field

EXIT_CODES = {"ok": 0, "failed": 1, "partial": 3}
USAGE_EXIT = 2


@dataclass
class RunLog:
    """What one run did so far (thread-safe counters)."""

    run_id: str
    started: dt.datetime
    accounts: list[str]
    failed: dict[str, str] = field(default_factory=dict)
    rows: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, accounts: list[str], *, now: dt.datetime | None = None) -> RunLog:
        """A new run over ``accounts`` with a fresh id (``YYYYmmddTHHMMSSZ-`` + 8 hex digits).

        >>> RunLog.start(["1"], now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC)).run_id[:17]
        '20261115T000000Z-'
        """
        now = now or dt.datetime.now(dt.UTC)
        return cls(f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}", now, list(accounts))

    def fail_account(self, account: str, message: str) -> None:
        """Record that ``account`` could not be synced (the first reason is kept)."""
        with self._lock:
            self.failed.setdefault(account, message)

    def count(self, table: str, n: int) -> None:
        with self._lock:
            self.rows[table] += n

    @property
    def synced(self) -> list[str]:
        """The accounts synced (all asked for, less those that failed)."""
        return [a for a in self.accounts if a not in self.failed]

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        if self.failed:
            return "failed" if len(self.failed) >= len(self.accounts) else "partial"
        return "ok"

    def record(self, finished: dt.datetime, calls: dict) -> dict:
        """The ``sync_runs`` row (lists and maps as JSON text, readable by any destination's SQL).

        >>> RunLog.start(["1"]).record(dt.datetime.now(dt.UTC), {"calls": {"ads_read": 3}})["calls"]
        '{"ads_read": 3}'
        """
        return {"run_id": self.run_id, "started": self.started, "finished": finished, "status": self.status,
                "accounts": json.dumps(self.synced), "failed_accounts": json.dumps(self.failed, sort_keys=True),
                "calls": json.dumps(calls.get("calls", {}), sort_keys=True),
                "throttled": json.dumps(calls.get("throttled", {}), sort_keys=True),
                "retries": int(calls.get("retries", 0)), "rows": json.dumps(dict(self.rows), sort_keys=True),
                "rows_total": int(sum(self.rows.values())), "errors": json.dumps(
                    [f"{a}: {m}" for a, m in sorted(self.failed.items())] + ([self.error] if self.error else [])),
                "notes": json.dumps(self.notes)}
