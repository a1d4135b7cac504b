"""``EmulatorState``: everything the emulator knows, behind one lock.

It owns the clock, the entity store (with its per-entity write counts) and the per-resource
models, analytics (with its metrics cache), async report jobs and bulk jobs, OAuth tokens,
rate-limit buckets, injected faults, the request log and recorded spec violations. Route handlers and
the control plane hold ``state.lock`` while they touch it (waitress serves from threads).

Example:
    >>> state = EmulatorState(seed=7)
    >>> with state.lock:
    ...     accounts, _ = state.accounts.list(include_shared=True, page_size=25, bookmark=None)
    >>> [a["currency"] for a in accounts]
    ['USD', 'GBP', 'EUR']
"""

from __future__ import annotations

import threading

from pintools.emulator import demo
from pintools.emulator.models.accounts import Accounts
from pintools.emulator.models.ad_groups import AdGroups
from pintools.emulator.models.ads import Ads
from pintools.emulator.models.analytics import Analytics
from pintools.emulator.models.bulk import BulkJob, BulkJobs
from pintools.emulator.models.bulk_download import select
from pintools.emulator.models.bulk_upsert import applier, run
from pintools.emulator.models.campaigns import Campaigns
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.faults import FaultBook
from pintools.emulator.models.keywords import Keywords
from pintools.emulator.models.ratelimit import RateLimiter
from pintools.emulator.models.report_files import build_report
from pintools.emulator.models.reports import Reports
from pintools.emulator.models.request_log import RequestLog
from pintools.emulator.models.store import Store
from pintools.emulator.models.tokens import TokenStore

MAX_VIOLATIONS = 10_000


class EmulatorState:
    """All emulator state; thread-safe through ``lock`` (an ``RLock``).

    ``seed``/``scale``/``accounts`` shape the demo data (see :mod:`pintools.emulator.demo`),
    ``clock`` fixes time (Unix seconds or ISO string; None = real time), ``rate_limits`` maps
    categories to per-minute limits (see :mod:`pintools.emulator.models.ratelimit`).

    Example:
        >>> EmulatorState(seed=1, clock="2024-06-01T00:00:00Z").clock.now()
        1717200000
    """

    def __init__(self, seed: int = 0, scale: int = 1, accounts: list[dict] | None = None,
                 clock=None, rate_limits: dict | None = None):
        self.lock = threading.RLock()
        self.clock = Clock(clock)
        self.tokens = TokenStore(self.clock)
        self.rate_limiter = RateLimiter(rate_limits)
        self.faults = FaultBook()
        self.request_log = RequestLog()
        self.spec_violations: list[dict] = []
        self.seed, self.scale, self.account_specs = seed, scale, accounts
        self._load(seed, scale, accounts)

    def _load(self, seed: int, scale: int, accounts: list[dict] | None) -> None:
        store = Store(seed)
        demo.build(store, seed=seed, scale=scale, accounts=accounts)
        self.store = store
        self.accounts = Accounts(store)
        self.campaigns = Campaigns(store, self.clock)
        self.ad_groups = AdGroups(store, self.clock, self.campaigns)
        self.ads = Ads(store, self.clock, self.ad_groups)
        self.keywords = Keywords(store, self.ad_groups)
        self.analytics = Analytics(seed, store)
        self.reports = Reports(self.clock, seed, self._build_report)
        self.bulk = BulkJobs(self.clock, seed, self._run_bulk_upsert, self._build_bulk_download)

    def _build_report(self, job) -> bytes:
        """The file of a finished report job, computed as of the job's creation."""
        return build_report(self.analytics, job.account_id, job.spec, job.created)

    def _run_bulk_upsert(self, job: BulkJob) -> tuple[list[dict], bool]:
        """Apply a bulk upsert's units through the models: ``(result records, died)``."""
        apply = applier(job.account_id, self.campaigns, self.ad_groups, self.ads, self.keywords)
        return run(job.units, apply, job.fail_items, job.kill_after)

    def _build_bulk_download(self, job: BulkJob) -> dict[str, list[dict]]:
        """The entities of a bulk download, as of now."""
        render_as = {"CAMPAIGN": self.campaigns.render, "AD_GROUP": self.ad_groups.render, "AD": self.ads.render}
        return select(self.store, job.account_id, job.spec, self.clock.now(), render_as)

    def reset(self, seed: int | None = None, scale: int | None = None, accounts: list[dict] | str | None = None) -> None:
        """Regenerate demo data and clear the request log, faults, spec violations, rate buckets,
        issued tokens, report and bulk jobs (and their behaviour settings), write counts and the
        metrics cache. ``None``
        keeps the current seed/scale/accounts; ``accounts="default"`` goes back to the default
        demo advertisers."""
        with self.lock:
            self.seed = self.seed if seed is None else int(seed)
            self.scale = self.scale if scale is None else int(scale)
            if accounts == "default":
                self.account_specs = None
            elif accounts is not None:
                self.account_specs = accounts
            self._load(self.seed, self.scale, self.account_specs)
            self.request_log.clear()
            self.faults.clear()
            self.spec_violations.clear()
            self.rate_limiter.clear()
            self.tokens.reset()

    def record_violation(self, violation: dict) -> None:
        """Remember a response that failed spec validation (bounded list)."""
        with self.lock:
            self.spec_violations.append(violation)
            if len(self.spec_violations) > MAX_VIOLATIONS:
                del self.spec_violations[0]

    def counts(self) -> dict:
        """How many entities of each kind exist (for the control plane and docs)."""
        with self.lock:
            return {name: len(table) for name, table in self.store.tables.items()}
