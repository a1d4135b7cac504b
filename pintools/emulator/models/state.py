"""``EmulatorState``: everything the emulator knows, behind one lock.

It owns the clock, the entity store (with its per-entity write counts) and the per-resource
models (audiences and customer lists included), analytics (with its metrics cache), async
report jobs and bulk jobs, OAuth tokens, rate-limit buckets, injected faults, the request log,
recorded spec violations and received conversion events. Route handlers and
the control plane hold ``state.lock`` while they touch it (waitress serves from threads).

Example:
    >>> state = EmulatorState(seed=7)
    >>> with state.lock:
    ...     accounts, _ = state.accounts.list(include_shared=True, page_size=25, bookmark=None)
    >>> [a["currency"] for a in accounts]
    ['USD', 'GBP', 'EUR']
"""

from __future__ import annotations

import random
import threading

from pintools.emulator import demo, demo_audiences, demo_product_groups
from pintools.emulator.models.accounts import Accounts
from pintools.emulator.models.ad_groups import AdGroups
from pintools.emulator.models.ads import Ads
from pintools.emulator.models.analytics import Analytics
from pintools.emulator.models.audiences import Audiences
from pintools.emulator.models.bulk import BulkJob, BulkJobs
from pintools.emulator.models.bulk_download import select
from pintools.emulator.models.bulk_upsert import applier, run
from pintools.emulator.models.campaigns import Campaigns
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.common import render
from pintools.emulator.models.conversion_tags import ConversionTags
from pintools.emulator.models.conversions import Conversions
from pintools.emulator.models.customer_lists import CustomerLists
from pintools.emulator.models.event_quality import EventQuality
from pintools.emulator.models.faults import FaultBook
from pintools.emulator.models.keywords import Keywords
from pintools.emulator.models.lead_delivery import Deliverer, build_lead, synthetic_answers
from pintools.emulator.models.leads import LeadForms, Subscriptions
from pintools.emulator.models.product_groups import ProductGroups
from pintools.emulator.models.ratelimit import RateLimiter
from pintools.emulator.models.report_files import build_report
from pintools.emulator.models.reports import Reports
from pintools.emulator.models.request_log import RequestLog
from pintools.emulator.models.sandbox import SandboxMode
from pintools.emulator.models.store import Store
from pintools.emulator.models.tokens import TokenStore

MAX_VIOLATIONS = 10_000
DEMO_USER = "demo-user"  # the user behind the demo tokens


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
        self.sandbox = SandboxMode()
        self.request_log = RequestLog()
        self.spec_violations: list[dict] = []
        self.deliverer = Deliverer()
        self.seed, self.scale, self.account_specs = seed, scale, accounts
        self._load(seed, scale, accounts)

    def _load(self, seed: int, scale: int, accounts: list[dict] | None) -> None:
        store = Store(seed)
        demo.build(store, seed=seed, scale=scale, accounts=accounts)
        demo_product_groups.build(store, seed=seed)
        self.store = store
        self.accounts = Accounts(store)
        self.campaigns = Campaigns(store, self.clock)
        self.ad_groups = AdGroups(store, self.clock, self.campaigns)
        self.ads = Ads(store, self.clock, self.ad_groups)
        self.keywords = Keywords(store, self.ad_groups)
        self.product_groups = ProductGroups(store, self.ad_groups)
        self.analytics = Analytics(seed, store)
        self.reports = Reports(self.clock, seed, self._build_report)
        self.bulk = BulkJobs(self.clock, seed, self._run_bulk_upsert, self._build_bulk_download,
                             render_written=self._render_bulk_written, lock=self.lock)
        accessible = [i for i, r in store.accounts.items() if r.get("_accessible")]
        self.lead_forms = LeadForms(seed, accessible, demo.DEMO_EPOCH)
        self.subscriptions = Subscriptions(self.clock)
        self.conversions = Conversions(self.clock, seed, user_of=self._token_user)
        self.event_quality = EventQuality()  # conversion_eqs/list model and its switches
        self.conversion_tags = ConversionTags(store, seed, demo.DEMO_EPOCH)
        lists, audiences = demo_audiences.build(store, seed, demo.account_profiles(accounts))
        self.customer_lists = CustomerLists(lists)
        self.audiences = Audiences(audiences, self.clock, seed, self.customer_lists, count_write=store.count_write)
        self._lead_rng = random.Random(f"leads:{seed}")

    def _token_user(self, account_id: str) -> str | None:
        """Whose conversion token works on an ad account: the demo user's on every account it reaches,
        the owner's on the others; None for an unknown account."""
        record = self.store.accounts.get(account_id)
        if record is None:
            return None
        return DEMO_USER if record.get("_accessible", True) else "owner:" + str(record["owner"]["id"])

    def _lead_context(self, account_id: str) -> dict:
        """Ids and names of an ad of the account that leads are attributed to (first ad found)."""
        store = self.store
        for ad_id in store.children("ads", account_id):
            ad = store.ads[ad_id]
            group = store.ad_groups.get(ad.get("ad_group_id"), {})
            campaign = store.campaigns.get(ad.get("campaign_id"), {})
            return {"advertiser_id": account_id, "ad_id": ad_id, "ad_name": ad.get("name") or "",
                    "ad_group_id": ad.get("ad_group_id") or "", "ad_group_name": group.get("name") or "",
                    "campaign_id": ad.get("campaign_id") or "", "campaign_name": campaign.get("name") or ""}
        return {"advertiser_id": account_id, "ad_id": "", "ad_name": "", "ad_group_id": "", "ad_group_name": "",
                "campaign_id": "", "campaign_name": ""}

    def send_leads(self, subscription: dict, form: dict, answer_lists: list[list[str]],
                   lead_ids: list[str] | None = None) -> list[str]:
        """Build one lead per answer list and hand them to the deliverer; the lead ids.

        ``lead_ids=None`` makes unique numeric ids; a test lead passes ``["TEST_API"]``.
        """
        context = self._lead_context(subscription["ad_account_id"])
        rng = self._lead_rng
        if lead_ids is None:
            lead_ids = [str(rng.randrange(10**17, 10**18)) for _ in answer_lists]
        now_ms = int(self.clock.now()) * 1000
        leads = [build_lead(context, form, subscription["cryptographic_key"], answers, lead_id,
                            str(rng.randrange(10**17, 10**18)), now_ms + index)
                 for index, (answers, lead_id) in enumerate(zip(answer_lists, lead_ids, strict=False))]
        self.deliverer.deliver(subscription, leads)
        return lead_ids

    def fire_leads(self, subscription_id: str, n: int, lead_form_id: str | None = None) -> dict:
        """Deliver ``n`` synthetic leads to a subscription (control plane).

        The form is ``lead_form_id``, else the subscription's form, else the account's first ACTIVE
        form. ``ValueError`` on an unknown subscription/form or a bad ``n``.
        """
        with self.lock:
            sub = self.subscriptions.find(str(subscription_id))
            if sub is None:
                raise ValueError(f"unknown subscription {subscription_id!r}")
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10_000:
                raise ValueError("n must be an integer in 1..10000")
            account_id = sub["ad_account_id"]
            form_id = lead_form_id or sub["lead_form_id"]
            forms = self.lead_forms.for_account(account_id)
            if form_id is None:
                form = next((f for f in forms if f["status"] == "ACTIVE"), forms[0] if forms else None)
            else:
                form = next((f for f in forms if f["id"] == str(form_id)), None)
            if form is None:
                raise ValueError(f"no lead form {form_id!r} in ad account {account_id}")
            answers = [synthetic_answers(form["questions"], self._lead_rng) for _ in range(n)]
            seen: set[str] = set()
            lead_ids = []
            while len(lead_ids) < n:
                candidate = str(self._lead_rng.randrange(10**17, 10**18))
                if candidate not in seen:
                    seen.add(candidate)
                    lead_ids.append(candidate)
            self.send_leads(sub, form, answers, lead_ids)
            return {"subscription_id": sub["id"], "lead_form_id": form["id"], "lead_ids": lead_ids}

    def _build_report(self, job) -> bytes:
        """The file of a finished report job, computed as of the job's creation."""
        return build_report(self.analytics, job.account_id, job.spec, job.created, job.layout,
                            self.product_groups.behaviour["analytics_ids"])

    def _run_bulk_upsert(self, job: BulkJob) -> tuple[list[dict], bool]:
        """Apply a bulk upsert's units through the models: ``(result records, died)``."""
        apply = applier(job.account_id, self.campaigns, self.ad_groups, self.ads, self.keywords, self.product_groups)
        return run(job.units, apply, job.fail_items, job.kill_after)

    def _render_bulk_written(self, account_id: str, ids: dict[str, list[str]]) -> dict[str, list[dict]]:
        """What a bulk upsert wrote, rendered as the GET endpoints render it now (``entities``/``csv`` files)."""
        tables = {"CAMPAIGN": (self.store.campaigns, self.campaigns.render),
                  "AD_GROUP": (self.store.ad_groups, self.ad_groups.render),
                  "AD": (self.store.ads, self.ads.render), "KEYWORD": (self.store.keywords, render)}
        out: dict[str, list[dict]] = {}
        for entity_type, entity_ids in ids.items():
            table, render_one = tables[entity_type]
            out[entity_type] = [render_one(table[i]) for i in entity_ids if i in table]
        return out

    def _build_bulk_download(self, job: BulkJob) -> dict[str, list[dict]]:
        """The entities of a bulk download, as of now."""
        render_as = {"CAMPAIGN": self.campaigns.render, "AD_GROUP": self.ad_groups.render, "AD": self.ads.render}
        return select(self.store, job.account_id, job.spec, self.clock.now(), render_as)

    @property
    def restatements(self):
        """The restated past days of the analytics model (``POST /_emulator/analytics/restate``)."""
        return self.analytics.restatements

    def reset(self, seed: int | None = None, scale: int | None = None, accounts: list[dict] | str | None = None) -> None:
        """Regenerate demo data and clear the request log, faults, spec violations, rate buckets,
        issued tokens, report and bulk jobs (and their behaviour settings; pending bulk timers are
        forgotten, so a discarded job never runs), lead subscriptions, the
        lead delivery log and delivery behaviour, received conversion events, write counts, the
        analytics behaviour and the metrics cache (conversion tokens follow the seed). ``None``
        keeps the current seed/scale/accounts; ``accounts="default"`` goes back to the default
        demo advertisers."""
        with self.lock:
            self.seed = self.seed if seed is None else int(seed)
            self.scale = self.scale if scale is None else int(scale)
            if accounts == "default":
                self.account_specs = None
            elif accounts is not None:
                self.account_specs = accounts
            self.bulk.close()
            self._load(self.seed, self.scale, self.account_specs)
            self.request_log.clear()
            self.faults.clear()
            self.spec_violations.clear()
            self.rate_limiter.clear()
            self.sandbox.reset()
            self.tokens.reset()
            self.deliverer.reset()

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
