"""A webhook receiver for Pinterest lead deliveries (Flask app; :func:`serve` runs it on waitress).

Pinterest POSTs a JSON array of leads and retries on 429 and 5xx only, never on other 4xx. So:

- any body within ``max_body_bytes`` is committed to the store *before* it is parsed, whatever its
  content type (the guide does not state one); if that commit fails → **503** (Pinterest retries);
- a body that is not UTF-8 JSON, nests deeper than ``max_depth``, or is neither an array of leads
  nor one lead object → **400**, after it is stored (status ``rejected``, see
  :meth:`LeadStore.deliveries`), so nothing that arrived is lost; a larger body → **413**;
- each lead is filed (see :mod:`pintools.leads.ingest`): stored, a duplicate (a retry), quarantined
  (no key fits yet), or held as a suspected **replay** (its ciphertext is stored under another
  lead id) or a **conflict** (its lead id is stored with other answers) → **200** in every case;
- ``keys`` is a :class:`~pintools.leads.keys.KeyFile` (followed: keys added by ``subscribe()``
  while the receiver runs are picked up, and the quarantine is retried with them) or a fixed
  :class:`~pintools.leads.crypto.KeyRing`;
- ``forward`` (optional) is called with each newly stored lead (answers decrypted); if it raises,
  the lead stays stored and the failure is logged.

Logs name delivery ids, lead ids and counts, never keys or answers.

>>> app = create_receiver(LeadStore(":memory:"), KeyRing())        # doctest: +SKIP
>>> serve(LeadStore(), KeyFile(), host="127.0.0.1", port=8080)   # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

from .crypto import KeyRing
from .ingest import ingest, refile_quarantined
from .keys import KeyFile, LiveKeys, StaticKeys, key_source
from .records import OUTCOMES, dedupe_key, lead_problem
from .store import LeadStore

log = logging.getLogger(__name__)

DEFAULT_PATH = "/pinterest/leads"
DEFAULT_MAX_DEPTH = 32  # a delivery nests 3 deep; pintools' rule, far above what Pinterest sends
Forward = Callable[[dict], Any] | str  # a callable, or an http(s) URL to POST each lead to as JSON
Keys = KeyRing | KeyFile | LiveKeys | StaticKeys


def _answer(status: int, **body: Any) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _depth(value: object, limit: int) -> int:
    """How deep ``value`` nests (stops counting past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def parse_delivery(raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH) -> list:
    """The leads of a webhook body; :class:`ValueError` saying what is wrong with it.

    >>> parse_delivery(b'[{"lead_id": "1", "answers": {}}]')
    [{'lead_id': '1', 'answers': {}}]
    >>> parse_delivery(b'{"lead_id": "1", "answers": {}}')      # one lead, not in an array
    [{'lead_id': '1', 'answers': {}}]
    """
    try:
        items = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("body is not UTF-8") from None
    except RecursionError:
        raise ValueError(f"body nests deeper than {max_depth} levels") from None
    except ValueError as exc:
        raise ValueError(f"body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if _depth(items, max_depth) > max_depth:
        raise ValueError(f"body nests deeper than {max_depth} levels")
    if isinstance(items, dict) and lead_problem(items) is None:
        return [items]
    if not isinstance(items, list):
        raise ValueError(f"body must be a JSON array of leads, got a JSON {type(items).__name__}")
    return items


class KeyWatch:
    """Follows a receiver's keys; when new keys arrive, retries the quarantine with them (in the
    background, one retry at a time). Newly stored leads go to ``on_stored`` (the forward hook)."""

    def __init__(self, store: LeadStore, keys: Keys, on_stored: Callable[[dict], None] | None = None) -> None:
        self.store, self.source, self.on_stored = store, key_source(keys), on_stored
        self._retrying = threading.Lock()

    @property
    def ring(self) -> KeyRing:
        return self.source.ring

    def check(self, *, wait: bool = False) -> bool:
        """Reload the keys if they changed; if they did, retry the quarantine. Whether they changed."""
        if not self.source.reload_if_changed():
            return False
        worker = threading.Thread(target=self.retry, name="pintools-lead-requeue", daemon=True)
        worker.start()
        if wait:
            worker.join()
        return True

    def retry(self, *, unfinished: bool = False) -> dict[str, int]:
        """Retry quarantined leads with the current keys (and, with ``unfinished``, first finish the
        deliveries a crash left unprocessed — only while no delivery is in flight); counts."""
        with self._retrying:
            try:
                if unfinished:
                    counts = self.store.reprocess(self.ring, self.on_stored)
                else:
                    counts = refile_quarantined(self.store, self.ring, self.on_stored)
            except Exception as exc:  # noqa: BLE001 — the items stay where they are; the next change retries
                log.error("retrying the lead quarantine failed (%s); the items stay quarantined", type(exc).__name__)
                return {}
        if counts:
            log.info("lead quarantine retried with %d key(s): %s", len(self.ring), counts)
        return counts


def create_receiver(
    store: LeadStore,
    keys: Keys,
    *,
    max_body_bytes: int = 1_000_000,
    max_depth: int = DEFAULT_MAX_DEPTH,
    forward: Forward | None = None,
    path: str = DEFAULT_PATH,
) -> Flask:
    """A Flask app that accepts Pinterest lead webhooks at ``POST path``.

    ``keys``: a :class:`KeyFile` (followed as it changes) or a :class:`KeyRing` (fixed). The app's
    :class:`KeyWatch` is ``app.extensions["pintools_leads"]``.

    >>> app = create_receiver(LeadStore(":memory:"), KeyRing())
    >>> app.test_client().post("/pinterest/leads", data=b"[]").json
    {'delivery_id': 1, 'stored': 0, 'duplicate': 0, 'quarantined': 0, 'replay': 0, 'conflict': 0}
    """
    hook = None if forward is None else _forwarder(forward)  # a bad forward URL fails here, not per lead
    if max_body_bytes <= 0:
        raise ValueError(f"max_body_bytes must be positive, got {max_body_bytes}")
    if max_depth < 3:
        raise ValueError(f"max_depth must be at least 3 (a delivery nests 3 deep), got {max_depth}")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/', got {path!r}")
    watch = KeyWatch(store, keys, hook)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes
    app.extensions["pintools_leads"] = watch

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> Response:
        return _answer(413, error=f"body larger than {max_body_bytes} bytes")

    @app.errorhandler(405)
    def wrong_method(_exc: Exception) -> Response:
        return _answer(405, error=f"only POST is accepted at {path}")

    @app.post(path)
    def receive() -> Response:
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _answer(413, error=f"body larger than {max_body_bytes} bytes")
        raw = request.get_data(cache=False, parse_form_data=False)
        if len(raw) > max_body_bytes:
            return _answer(413, error=f"body larger than {max_body_bytes} bytes")
        try:
            delivery_id = store.save_delivery(raw)
        except Exception as exc:  # noqa: BLE001 — any failure to commit means "retry later"
            log.error("lead delivery NOT stored (%s); answering 503 so Pinterest retries", type(exc).__name__)
            return _answer(503, error="could not store the delivery; retry later")
        try:
            items = parse_delivery(raw, max_depth=max_depth)
        except ValueError as exc:
            return _reject(store, delivery_id, str(exc), request.mimetype)
        watch.check()
        try:
            outcomes = ingest(store, delivery_id, items, watch.ring, on_stored=hook)
        except Exception as exc:  # noqa: BLE001 — the raw body is committed; reprocess() can finish it
            log.error("lead delivery %s stored raw but processing failed (%s); answering 503", delivery_id,
                      type(exc).__name__)
            return _answer(503, error="delivery stored but not processed; retry later", delivery_id=delivery_id)
        counts = {k: outcomes.count(k) for k in OUTCOMES}
        log.info("lead delivery %s: %d lead(s): %s", delivery_id, len(items), counts)
        if counts["quarantined"]:
            log.warning("lead delivery %s: %d lead(s) quarantined (no key opens them yet); they are retried when "
                        "keys are added (see LeadStore.quarantined())", delivery_id, counts["quarantined"])
        return _answer(200, delivery_id=delivery_id, **counts)

    return app


def _reject(store: LeadStore, delivery_id: int, why: str, mimetype: str) -> Response:
    try:
        store.finish_delivery(delivery_id, "rejected")
    except Exception as exc:  # noqa: BLE001 — it stays 'received'; reprocess() rejects it again
        log.error("lead delivery %s: could not mark it rejected (%s)", delivery_id, type(exc).__name__)
    log.warning("lead delivery %s rejected (%s; Content-Type %s); its body is kept in the store", delivery_id, why,
                mimetype or "none")
    return _answer(400, error=why, delivery_id=delivery_id)


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


#: waitress settings that keep stalled or slow clients from starving real deliveries: waitress reads
#: requests in its event loop and hands only complete ones to the worker threads, so what matters is
#: that idle connections are dropped soon (``channel_timeout``, checked every ``cleanup_interval``)
#: and that the connection limit (waitress' default is 100) leaves room for Pinterest while they last.
SERVER_OPTIONS = {"threads": 8, "connection_limit": 1000, "channel_timeout": 15, "cleanup_interval": 5,
                  "asyncore_use_poll": True, "backlog": 2048}


class RunningReceiver:
    """A receiver serving in background threads (see :func:`start_receiver`); :meth:`close` stops it."""

    def __init__(self, server: Any, app: Flask, url: str, watch_seconds: float) -> None:
        self.app, self.url, self.watch = app, url, app.extensions["pintools_leads"]
        self._server, self._stop = server, threading.Event()
        self._threads = [threading.Thread(target=server.run, name="pintools-lead-receiver", daemon=True),
                         threading.Thread(target=self._follow, args=(watch_seconds,), name="pintools-lead-keys",
                                          daemon=True)]
        for t in self._threads:
            t.start()

    def __repr__(self) -> str:
        return f"RunningReceiver({self.url!r}, {len(self.watch.ring)} key(s))"

    def _follow(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.watch.check()
            except Exception as exc:  # noqa: BLE001 — keep following; the receiver must stay up
                log.error("checking the lead keys failed (%s)", type(exc).__name__)

    def close(self) -> None:
        """Stop serving and following the keys."""
        self._stop.set()
        self._server.close()


def start_receiver(store: LeadStore, keys: Keys, *, host: str = "127.0.0.1", port: int = 0,
                   watch_seconds: float = 1.0, **options: Any) -> RunningReceiver:
    """Serve :func:`create_receiver` in background threads (port 0: a free one); the running receiver.

    Deliveries left unprocessed by a crash are finished first, and quarantined leads retried with
    the keys there are. The keys are then checked every ``watch_seconds`` (and on each delivery):
    a subscription made while it runs is picked up and the quarantine retried with its key.

    >>> inbox = start_receiver(LeadStore(tmp / "leads.sqlite3"), KeyFile(tmp / "keys.json"))  # doctest: +SKIP
    >>> inbox.url                                                                  # doctest: +SKIP
    'http://127.0.0.1:41235/pinterest/leads'
    """
    import waitress

    app = create_receiver(store, keys, **options)
    app.extensions["pintools_leads"].retry(unfinished=True)  # before serving: nothing is in flight
    server = waitress.create_server(app, host=host, port=port, **SERVER_OPTIONS)
    url = f"http://{host}:{server.effective_port}{options.get('path', DEFAULT_PATH)}"
    log.info("lead receiver listening on %s", url)
    return RunningReceiver(server, app, url, watch_seconds)


def serve(store: LeadStore, keys: Keys, host: str = "127.0.0.1", port: int = 8080, **options: Any) -> None:
    """Run :func:`start_receiver` until interrupted (blocks). ``options`` go to :func:`create_receiver`.

    Put it behind HTTPS (a reverse proxy): Pinterest only delivers to ``https://`` webhook URLs.
    Connections idle for 15 s are closed and up to 1,000 may be open (:data:`SERVER_OPTIONS`), so
    clients that open connections and stall cannot crowd Pinterest out.

    >>> serve(LeadStore(), KeyFile(), port=8080)                     # doctest: +SKIP
    """
    running = start_receiver(store, keys, host=host, port=port, **options)
    try:
        threading.Event().wait()
    finally:
        running.close()
