"""``EmulatorControl``: a small requests-based client for the ``/_emulator`` control plane.

Each method is one HTTP call. Errors raise :class:`EmulatorControlError`.

Example:
    >>> c = EmulatorControl("http://127.0.0.1:8765")           # doctest: +SKIP
    >>> c.inject_fault(route="ad_groups/update", status=503, times=2)  # doctest: +SKIP
    >>> c.requests(operation_id="ad_groups/update")[-1]["status"]      # doctest: +SKIP
    503
"""

from __future__ import annotations

import requests

from pintools.emulator.control import CONTROL_PREFIX


class EmulatorControlError(RuntimeError):
    """A control-plane call failed (bad arguments or the emulator is down)."""


class EmulatorControl:
    """Client for one emulator's control plane (``url`` without ``/v5``).

    The plane answers only JSON bodies and loopback ``Host`` names
    (:mod:`pintools.emulator.control_guard`): every POST sends a JSON body (``{}`` at least), so
    ``Content-Type: application/json``; ``host_header`` (e.g. ``"localhost:8765"``) names a loopback
    host when ``url`` reaches an emulator bound to another address.

    Example:
        >>> EmulatorControl("http://127.0.0.1:9/").url
        'http://127.0.0.1:9'
    """

    def __init__(self, url: str, timeout: float = 30.0, host_header: str | None = None):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()
        if host_header:
            self._session.headers["Host"] = host_header

    def _call(self, method: str, path: str, json=None, params=None) -> dict:
        if json is None and method in ("POST", "PUT", "PATCH"):
            json = {}  # the control plane takes JSON only, body-less POSTs included
        try:
            response = self._session.request(method, self.url + CONTROL_PREFIX + path, json=json, params=params,
                                              timeout=self.timeout)
        except requests.RequestException as exc:
            raise EmulatorControlError(f"emulator control call failed: {exc}") from exc
        if response.status_code >= 400:
            try:
                message = response.json().get("message")
            except ValueError:
                message = response.text
            raise EmulatorControlError(f"{method} {path} → {response.status_code}: {message}")
        return response.json()

    def health(self) -> dict:
        """Seed, scale, the emulator clock's ``now`` (Unix seconds) and entity counts."""
        return self._call("GET", "/health")

    def reset(self, seed: int | None = None, scale: int | None = None, accounts: list[dict] | str | None = None) -> dict:
        """Regenerate the demo data; clear the log, faults, violations, buckets, issued tokens,
        lead subscriptions, the lead delivery log and received conversion events.

        ``None`` keeps the current seed / scale / accounts shape; ``accounts="default"`` returns
        to the default demo advertisers.
        """
        return self._call("POST", "/reset", json={"seed": seed, "scale": scale, "accounts": accounts})

    def set_clock(self, ts) -> int | None:
        """Fix the clock (Unix seconds or ISO string), or ``None`` for real time."""
        return self._call("POST", "/clock", json={"clock": ts})["clock"]

    def advance_clock(self, seconds: int) -> int:
        """Move the clock forward by ``seconds`` (a real clock becomes fixed at now + seconds)."""
        return self._call("POST", "/clock/advance", json={"seconds": seconds})["clock"]

    def set_report_behaviour(self, polls_to_finish: int = 2, outcome: str = "FINISHED",
                             url_ttl_seconds: int = 300, json_layout: str = "by_entity",
                             column_names: str = "as_requested", csv_bom: bool = False,
                             file_format: str = "as_requested") -> dict:
        """How async reports created from now on behave: IN_PROGRESS for ``polls_to_finish`` polls,
        then ``outcome`` (FINISHED, FAILED, EXPIRED or CANCELLED); download links live
        ``url_ttl_seconds`` on the emulator clock. The file's layout is not in Pinterest's spec, so
        each plausible one can be served: ``json_layout`` (``"by_entity"`` ``{id: [rows]}``, the
        Airbyte connector's reading; ``"rows"`` a JSON array; ``"lines"`` JSON Lines),
        ``column_names`` (``"as_requested"``, ``"lower"``, ``"title"``), ``csv_bom`` and
        ``file_format`` (``"as_requested"``, or ``"JSON"``/``"CSV"`` whatever was asked)."""
        body = {"polls_to_finish": polls_to_finish, "outcome": outcome, "url_ttl_seconds": url_ttl_seconds,
                "json_layout": json_layout, "column_names": column_names, "csv_bom": csv_bom,
                "file_format": file_format}
        return self._call("POST", "/reports/behaviour", json=body)["behaviour"]

    def reports(self) -> list[dict]:
        """Async report jobs, oldest first: token, account_id, status, polls, level, report_format,
        created, finished, size."""
        return self._call("GET", "/reports")["reports"]

    def set_analytics_behaviour(self, keyword_targeting_value: str = "text", sync_max_days: int = 90,
                                hour_conversions: str = "omit") -> dict:
        """How targeting analytics (and ``*_TARGETING`` reports) write KEYWORD values from now on
        (a reset restores the default). The spec's one example is the keyword's text, which is the
        default ``"text"``; the rest are the emulator's guesses at what Pinterest may send:

        - ``"text"``: the keyword's text; keywords of one entity sharing a text share one row;
        - ``"text_per_keyword"``: the text, one row per keyword (a text may repeat);
        - ``"lowercase"``: the text lower-cased, whitespace collapsed (equal values share a row);
        - ``"notation"``: Ads Manager notation, BROAD ``velvet sofa``, PHRASE ``"velvet sofa"``,
          EXACT ``[velvet sofa]``;
        - ``"suffix"``: ``velvet sofa (EXACT)``;
        - ``"keyword_id"``: the keyword's id as a number.

        ``sync_max_days``: the longest sync analytics range, in calendar days with both ends counted:
        90 (the op texts' "max time range supported is 90 days") or 91 (the ``end_date`` text "Cannot
        be more than 90 days past start_date" read literally).

        ``hour_conversions``: what HOUR rows hold for conversion columns (5.23.0: "The HOUR enum no
        longer provides data for conversion metrics", shape unstated): ``"omit"`` leaves them out,
        ``"zero"`` reports 0.

        Returns the behaviour now in force.

        Example:
            >>> EmulatorControl("http://127.0.0.1:8765").set_analytics_behaviour("notation")  # doctest: +SKIP
            {'keyword_targeting_value': 'notation', 'sync_max_days': 90, 'hour_conversions': 'omit'}
        """
        body = {"keyword_targeting_value": keyword_targeting_value, "sync_max_days": sync_max_days,
                "hour_conversions": hour_conversions}
        return self._call("POST", "/analytics/behaviour", json=body)["behaviour"]

    def restate(self, ad_account_id: str | None = None, days: list | None = None, start_date=None, end_date=None,
                factor: float = 1.1, delivery_factor: float = 1.0, clear: bool = False) -> list[dict]:
        """Restate past days (the emulator's model, not Pinterest's rule): from now on analytics of
        ``days`` (dates or ``YYYY-MM-DD``; or ``start_date``..``end_date``) of one ad account (None =
        all) have every conversion multiplied by ``factor`` and every metric by ``delivery_factor``,
        as late conversions and delivery corrections would. ``clear=True`` forgets every rule; a
        reset too. Returns the rules in force.

        Example:
            >>> EmulatorControl("http://127.0.0.1:8765").restate("549755885175", days=["2026-11-01"])  # doctest: +SKIP
            [{'ad_account_id': '549755885175', 'days': ['2026-11-01'], 'factor': 1.1, 'delivery_factor': 1.0}]
        """
        if clear:
            return self._call("POST", "/analytics/restate", json={"clear": True})["behaviour"]["rules"]
        body = {"ad_account_id": ad_account_id, "factor": factor, "delivery_factor": delivery_factor}
        if days is not None:
            body["days"] = [str(d) for d in days]
        else:
            body.update(start_date=None if start_date is None else str(start_date),
                        end_date=None if end_date is None else str(end_date))
        return self._call("POST", "/analytics/restate", json=body)["behaviour"]["rules"]

    def set_campaigns_behaviour(self, cbo_on_create: str = "objective") -> dict:
        """What a campaign create without ``is_campaign_budget_optimization`` means from now on (a reset
        restores the default). The 5.23 spec gives the flag no default, so these are the emulator's
        readings: ``"objective"`` (CBO objectives make CBO campaigns), ``"off"`` (no CBO) and
        ``"required"`` (a CBO objective without the flag set to true fails with code 2384, as live
        test accounts reportedly do).

        Example:
            >>> EmulatorControl("http://127.0.0.1:8765").set_campaigns_behaviour("required")  # doctest: +SKIP
            {'cbo_on_create': 'required'}
        """
        return self._call("POST", "/campaigns/behaviour", json={"cbo_on_create": cbo_on_create})["behaviour"]

    def set_product_groups_behaviour(self, analytics_ids: str = "promotion") -> dict:
        """What ``product_groups/analytics`` ids (``product_group_ids`` and the rows' ``PRODUCT_GROUP_ID``)
        name from now on (a reset restores the default). The spec says only "product group Ids", so
        both readings are served: ``"promotion"`` (the product group promotion's ``id``, default) and
        ``"catalog"`` (its ``catalog_product_group_id``; one row per catalog group, summed over the ad
        groups promoting it).

        Example:
            >>> EmulatorControl("http://127.0.0.1:8765").set_product_groups_behaviour("catalog")  # doctest: +SKIP
            {'analytics_ids': 'catalog'}
        """
        body = {"analytics_ids": analytics_ids}
        return self._call("POST", "/product_groups/behaviour", json=body)["behaviour"]

    def set_bulk_behaviour(self, polls_to_finish: int = 1, max_items_per_list: int = 1000,
                           fail_items: list[str] | None = None, kill_after: int | None = None,
                           run_after: float | None = 1.0, result_format: str = "records") -> dict:
        """How bulk jobs created from now on behave (a reset restores these defaults).

        - ``polls_to_finish``: status polls answered RUNNING before the poll that runs the job;
        - ``max_items_per_list``: the cap on each ``create``/``update`` list of an upsert (over it → 400);
        - ``fail_items``: items that fail with code 1 "Injected failure." without being applied: entity
          ids for updates (keyword ids for keyword updates), ``"<list>:<index>"`` for creates
          (e.g. ``"ad_groups:7"``; ``"keywords:2"`` fails every keyword of that item);
        - ``kill_after``: the job applies its first N result records, then dies (status FAILED);
          the rest are FAILED with "The bulk job was terminated before this item was processed.";
        - ``run_after``: seconds of real time after which an accepted upsert or download runs on its
          own, polled or not (whichever comes first with ``polls_to_finish``); ``None``: only polls;
        - ``result_format``: the shape of an upsert's result file, which the spec leaves open (all
          are the emulator's guesses): ``"records"`` (a JSON array, one record per item),
          ``"entities"`` (JSON ``{"CAMPAIGN": [...], "AD_GROUP": [...], "AD": [...], "KEYWORD": [...]}``
          of the entities written, rendered as GET renders them), ``"csv"`` (the same as CSV,
          ``result.csv``), ``"empty"`` (zero bytes) or ``"garbage"`` (neither JSON nor CSV).
          ``include_details=true`` on the poll keeps returning the per-item records.

        Returns the behaviour now in force, e.g. ``{"polls_to_finish": 1, ..., "run_after": 1.0,
        "result_format": "records"}``.

        Example:
            >>> EmulatorControl("http://127.0.0.1:8765").set_bulk_behaviour(   # doctest: +SKIP
            ...     run_after=0.1, result_format="garbage")["result_format"]
            'garbage'
        """
        body = {"polls_to_finish": polls_to_finish, "max_items_per_list": max_items_per_list,
                "fail_items": list(fail_items or []), "kill_after": kill_after, "run_after": run_after,
                "result_format": result_format}
        return self._call("POST", "/bulk/behaviour", json=body)["behaviour"]

    def bulk_jobs(self) -> list[dict]:
        """Bulk jobs, oldest first: request_id, kind (upsert|download), account_id, status, polls,
        items (result records of an upsert; entities of a finished download), created, finished,
        run_after, result_format (None for a download)."""
        return self._call("GET", "/bulk")["jobs"]

    def fire_leads(self, subscription_id: str, n: int = 1, lead_form_id: str | None = None) -> dict:
        """Deliver ``n`` synthetic encrypted leads (unique numeric ``lead_id``s, realistic answers) to
        a subscription's webhook in background batches. The form is ``lead_form_id``, else the
        subscription's form, else the account's first ACTIVE form. Returns
        ``{"subscription_id", "lead_form_id", "lead_ids"}``."""
        body = {"subscription_id": subscription_id, "n": n, "lead_form_id": lead_form_id}
        return self._call("POST", "/leads/fire", json=body)

    def deliveries(self) -> list[dict]:
        """The webhook delivery log, one entry per attempt, oldest first: seq, batch_id,
        subscription_id, webhook_url, lead_ids, attempt, status (None on a connection error),
        error, outcome (delivered|retrying|failed), time. Never keys or plaintext answers."""
        return self._call("GET", "/leads/deliveries")["deliveries"]

    def wait_for_deliveries(self, timeout: float = 10.0) -> list[dict]:
        """Poll until no delivery batch is in flight; the delivery log (TimeoutError after ``timeout``)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            body = self._call("GET", "/leads/deliveries")
            if body["in_flight"] == 0:
                return body["deliveries"]
            if time.monotonic() > deadline:
                raise TimeoutError(f"{body['in_flight']} lead delivery batches still in flight")
            time.sleep(0.02)

    def set_delivery_behaviour(self, max_attempts: int = 5, backoff_seconds: float = 0.05,
                               timeout_seconds: float = 5.0, batch_size: int = 10, *,
                               reencrypt_retries: bool = False, content_type: str = "application/json") -> dict:
        """How lead deliveries started from now on behave: at most ``max_attempts`` POSTs per batch,
        retrying on 429/5xx/connection errors after ``backoff_seconds * 2**(attempt-1)``; a reset
        restores these defaults. The guide says neither whether a retry re-encrypts the answers
        (``reencrypt_retries``) nor which ``content_type`` a delivery carries (``""``: none).

        >>> emu.control.set_delivery_behaviour(reencrypt_retries=True)["reencrypt_retries"]  # doctest: +SKIP
        True
        """
        body = {"max_attempts": max_attempts, "backoff_seconds": backoff_seconds,
                "timeout_seconds": timeout_seconds, "batch_size": batch_size,
                "reencrypt_retries": reencrypt_retries, "content_type": content_type}
        return self._call("POST", "/leads/behaviour", json=body)["behaviour"]

    def conversion_token(self, ad_account_id: str) -> str:
        """The conversion token that works on an ad account (``"emulator-conversion-token-" + 24 hex``,
        stable per seed): its user's, so one token serves every account of the demo user ("the token
        can be used across multiple ad accounts under an user ID"); accepted only by ``events/create``."""
        return self._call("GET", "/conversions/token", params={"ad_account_id": ad_account_id})["conversion_token"]

    def set_conversions_behaviour(self, max_event_age_days: int | None = 7) -> dict:
        """The oldest ``event_time`` ``events/create`` accepts from now on, in days before the emulator
        clock (None: any age). Neither Pinterest's spec nor a seed states a window: 7 is the
        emulator's guess, and its error message says so. A reset restores 7."""
        return self._call("POST", "/conversions/behaviour", json={"max_event_age_days": max_event_age_days})["behaviour"]

    def set_event_quality_behaviour(self, coverage_scale: str = "percent", good_at: float = 0.8,
                                    fair_at: float = 0.5) -> dict:
        """How ``conversion_eqs/list`` answers from now on: coverage as a percentage 0-100 (the spec's
        "Coverage percentage") or a ``"fraction"`` 0-1, and the shares of events with a strong identifier
        (email, MAID, click id, external id) from which ``overall_status`` is GOOD / FAIR. All three are
        the emulator's model (Pinterest documents no thresholds); a reset restores the defaults."""
        body = {"coverage_scale": coverage_scale, "good_at": good_at, "fair_at": fair_at}
        return self._call("POST", "/conversions/quality", json=body)["behaviour"]

    def conversion_events(self, ad_account_id: str | None = None) -> list[dict]:
        """Recorded conversion events (processed, non-test), one per (ad account, event_id), in arrival
        order: ad_account_id, event_id, event_name, action_source, event_time, received_at (emulator
        clock), times_received (every receipt, duplicates included) and event (as sent)."""
        params = {"ad_account_id": ad_account_id} if ad_account_id else None
        return self._call("GET", "/conversions/events", params=params)["events"]

    def conversion_summary(self, ad_account_id: str | None = None) -> dict:
        """How many events are recorded, by how many times each was received:
        ``{"recorded": n, "times_received": {"1": n, ...}}`` (no event bodies)."""
        params = {"ad_account_id": ad_account_id} if ad_account_id else None
        return self._call("GET", "/conversions/summary", params=params)

    def conversion_calls(self, ad_account_id: str | None = None) -> list[dict]:
        """Every ``events/create`` request, oldest first: seq, time, ad_account_id, test, events (how many
        the body held), status, fault."""
        params = {"ad_account_id": ad_account_id} if ad_account_id else None
        return self._call("GET", "/conversions/calls", params=params)["calls"]

    def write_counts(self) -> dict[str, int]:
        """``{entity_id: successful writes}`` since the last reset, over the batch PATCH/POST
        endpoints, the keyword endpoints and bulk upserts (a create counts 1; demo data 0). Only
        the entity an item names counts: ad groups rewritten by a campaign's CBO switch do not."""
        return self._call("GET", "/write_counts")["write_counts"]

    def inject_fault(self, route: str | None = None, method: str | None = None, status: int | None = 500,
                     times: int | None = 1, code: int | None = None, message: str | None = None,
                     retry_after: int | None = None, latency_ms: int = 0, drop_connection: bool = False,
                     malformed_body: bool = False, phase: str = "before") -> dict:
        """Arm a fault (see :class:`pintools.emulator.models.faults.Fault`); returns it with its id."""
        body = {"route": route, "method": method, "status": status, "times": times, "code": code,
                "message": message, "retry_after": retry_after, "latency_ms": latency_ms,
                "drop_connection": drop_connection, "malformed_body": malformed_body, "phase": phase}
        return self._call("POST", "/faults", json=body)["fault"]

    def faults(self) -> list[dict]:
        """The faults still armed."""
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self._call("DELETE", "/faults")

    def requests(self, operation_id: str | None = None, method: str | None = None) -> list[dict]:
        """The request log, oldest first (optionally one operation and/or method)."""
        params = {k: v for k, v in (("operation_id", operation_id), ("method", method)) if v}
        return self._call("GET", "/requests", params=params)["requests"]

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("DELETE", "/requests")

    def set_rate_limit(self, category: str, per_minute: int | None = None, burst: int | None = None) -> dict:
        """Set one category's limit (``per_minute=None`` = unlimited); returns all limits."""
        body = {"category": category, "per_minute": per_minute, "burst": burst}
        return self._call("POST", "/rate_limits", json=body)["rate_limits"]

    def rate_limits(self) -> dict:
        """The configured limits per category."""
        return self._call("GET", "/rate_limits")["rate_limits"]

    def set_rate_header_form(self, form: str) -> str:
        """Rate headers on every answer: ``"none"`` (the default), ``"ratelimit"``
        (``X-RateLimit-*``, multi-window) or ``"userendpoint"`` (``x-userendpoint-ratelimit-*``).

        >>> server.control.set_rate_header_form("ratelimit")   # doctest: +SKIP
        'ratelimit'
        """
        return self._call("POST", "/rate_limits", json={"header_form": form})["header_form"]

    def set_sandbox(self, enabled: bool = True, shape: str | None = None) -> dict:
        """Act as Pinterest's sandbox (refuse its disabled operations) in ``shape`` ``"forbidden"``
        (403) or ``"not_found"`` (404); ``enabled=False`` serves everything again.

        >>> server.control.set_sandbox(True, "not_found")      # doctest: +SKIP
        {'enabled': True, 'shape': 'not_found'}
        """
        return self._call("POST", "/sandbox", json={"enabled": enabled, "shape": shape})

    def mint_token(self, scope: str, expires_in: int | None = 30 * 24 * 3600) -> str:
        """A new access token granted only ``scope`` (comma-separated, e.g. ``"ads:read"``): calls
        needing another scope answer 401 code 3, as Pinterest does (a reset forgets the token).

        Example:
            >>> read_only = server.control.mint_token("ads:read")  # doctest: +SKIP
        """
        return self._call("POST", "/tokens", json={"scope": scope, "expires_in": expires_in})["access_token"]

    def set_permissions(self, ad_account_id: str, permissions: list[str]) -> list[str]:
        """Give the demo user these Business Access roles on an account (a reset restores the demo's):
        ``["ANALYST"]`` reads and pulls analytics but cannot write; lead subscriptions need OWNER or ADMIN.

        Example:
            >>> server.control.set_permissions("549755885175", ["ANALYST"])  # doctest: +SKIP
            ['ANALYST']
        """
        body = {"ad_account_id": str(ad_account_id), "permissions": list(permissions)}
        return self._call("POST", "/accounts/permissions", json=body)["permissions"]

    def expire_token(self, token: str) -> bool:
        """Make an access token fail with 401 from now on; returns whether it was known."""
        return self._call("POST", "/tokens/expire", json={"token": token})["expired"]

    def spec_violations(self) -> list[dict]:
        """Responses that failed spec validation (empty when validation is off)."""
        return self._call("GET", "/spec_violations")["violations"]

    def coverage(self) -> dict:
        """``{"implemented": [...], "spec": [...], "missing": [...]}`` (spec keys only with a spec)."""
        return self._call("GET", "/coverage")

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()
