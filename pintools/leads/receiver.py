"""A webhook receiver for Pinterest lead deliveries (Flask app; :func:`serve` runs it on waitress).

Pinterest POSTs a JSON array of leads and retries on 429 and 5xx only, never on other 4xx. So:

- the raw body is committed to the store *before* answering; if that commit fails → **503**
  (Pinterest will retry, nothing is lost);
- a body that is not JSON, not ``application/json``, not an array, or larger than
  ``max_body_bytes`` → **4xx** with a clear message, and nothing is stored;
- a lead already stored → **200** (deduplicated on ``lead_id``; test leads by
  ``lead_id``/``created_at``/``lead_form_id``);
- a lead that cannot be decrypted → quarantined, **200** (retry later with
  :meth:`~pintools.leads.store.LeadStore.reprocess`);
- ``forward`` (optional) is called with each newly stored lead (answers decrypted); if it raises,
  the lead stays stored and the failure is logged.

Logs name delivery ids, dedupe keys and counts, never keys or answers.

>>> app = create_receiver(LeadStore(":memory:"), KeyRing())        # doctest: +SKIP
>>> serve(LeadStore(), keyring, host="0.0.0.0", port=8080)        # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

from .crypto import KeyRing
from .store import LeadStore, dedupe_key, ingest

log = logging.getLogger(__name__)

DEFAULT_PATH = "/pinterest/leads"
Forward = Callable[[dict], Any] | str  # a callable, or an http(s) URL to POST each lead to as JSON


def _answer(status: int, **body: Any) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def create_receiver(
    store: LeadStore,
    keyring: KeyRing,
    *,
    max_body_bytes: int = 1_000_000,
    forward: Forward | None = None,
    path: str = DEFAULT_PATH,
) -> Flask:
    """A Flask app that accepts Pinterest lead webhooks at ``POST path``."""
    hook = None if forward is None else _forwarder(forward)  # a bad forward URL fails here, not per lead
    if max_body_bytes <= 0:
        raise ValueError(f"max_body_bytes must be positive, got {max_body_bytes}")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/', got {path!r}")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> Response:
        return _answer(413, error=f"body larger than {max_body_bytes} bytes")

    @app.errorhandler(405)
    def wrong_method(_exc: Exception) -> Response:
        return _answer(405, error=f"only POST is accepted at {path}")

    @app.post(path)
    def receive() -> Response:
        if request.mimetype != "application/json":
            return _answer(415, error=f"Content-Type must be application/json, got {request.mimetype or 'none'!r}")
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _answer(413, error=f"body larger than {max_body_bytes} bytes")
        raw = request.get_data(cache=False)
        if len(raw) > max_body_bytes:
            return _answer(413, error=f"body larger than {max_body_bytes} bytes")
        try:
            items = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return _answer(400, error="body is not UTF-8")
        except ValueError as exc:
            return _answer(400, error=f"body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        if not isinstance(items, list):
            return _answer(400, error=f"body must be a JSON array of leads, got a JSON {type(items).__name__}")
        try:
            delivery_id = store.save_delivery(raw)
        except Exception as exc:  # noqa: BLE001 — any failure to commit means "retry later"
            log.error("lead delivery NOT stored (%s); answering 503 so Pinterest retries", type(exc).__name__)
            return _answer(503, error="could not store the delivery; retry later")
        try:
            outcomes = ingest(store, delivery_id, items, keyring,
                              on_stored=hook)
        except Exception as exc:  # noqa: BLE001 — the raw body is committed; reprocess() can finish it
            log.error("lead delivery %s stored raw but processing failed (%s); answering 503", delivery_id,
                      type(exc).__name__)
            return _answer(503, error="delivery stored but not processed; retry later", delivery_id=delivery_id)
        counts = {k: outcomes.count(k) for k in ("stored", "duplicate", "quarantined")}
        log.info("lead delivery %s: %d lead(s): %s", delivery_id, len(items), counts)
        if counts["quarantined"]:
            log.warning("lead delivery %s: %d lead(s) quarantined (could not decrypt); see LeadStore.quarantined()",
                        delivery_id, counts["quarantined"])
        return _answer(200, delivery_id=delivery_id, **counts)

    return app


def post_to(url: str, *, timeout: float = 10.0) -> Callable[[dict], None]:
    """A forward hook that POSTs each stored lead (answers decrypted) as JSON to ``url``; a
    non-2xx answer raises, which the receiver logs without losing the lead."""
    import requests

    session = requests.Session()

    def post(lead: dict) -> None:
        session.post(url, json=lead, timeout=timeout).raise_for_status()

    return post


def _forwarder(forward: Forward) -> Callable[[dict], None]:
    if isinstance(forward, str):
        if not forward.startswith(("http://", "https://")):
            raise ValueError(f"a forward URL must be http(s), got {forward!r}")
        forward = post_to(forward)

    def call(lead: dict) -> None:
        try:
            forward(lead)
        except Exception as exc:  # noqa: BLE001 — the lead is already committed; never lose it
            log.warning("forwarding lead %s failed (%s); the lead stays stored", dedupe_key(lead),
                        type(exc).__name__)
    return call


def serve(store: LeadStore, keyring: KeyRing, host: str = "127.0.0.1", port: int = 8080, **options: Any) -> None:
    """Run :func:`create_receiver` on waitress (blocks). ``options`` go to :func:`create_receiver`.

    Put it behind HTTPS (a reverse proxy): Pinterest only delivers to ``https://`` webhook URLs.
    """
    import waitress

    app = create_receiver(store, keyring, **options)
    log.info("lead receiver listening on http://%s:%s%s", host, port, options.get("path", DEFAULT_PATH))
    waitress.serve(app, host=host, port=port)
