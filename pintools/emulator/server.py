"""Run the emulator on waitress: in a background thread (:func:`start`) or blocking (:func:`serve`).

Example:
    >>> srv = start(seed=42)                      # doctest: +SKIP
    >>> srv.base_url                              # doctest: +SKIP
    'http://127.0.0.1:54321/v5'
    >>> srv.stop()                                # doctest: +SKIP
"""

from __future__ import annotations

import logging
import sys
import threading

from pintools.emulator.constants import DEMO_ACCESS_TOKEN, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_REFRESH_TOKEN
from pintools.emulator.control_guard import exposure_warning, is_loopback_name, local_host

log = logging.getLogger("pintools.emulator")

SERVER_THREADS = 8


def _build(seed, scale, clock, rate_limits, spec_path, accounts):
    from pintools.emulator.app import create_app
    from pintools.emulator.models import EmulatorState
    from pintools.emulator.spec import get_validator, resolve_spec_path

    state = EmulatorState(seed=seed, scale=scale, accounts=accounts, clock=clock, rate_limits=rate_limits)
    path = resolve_spec_path(spec_path)
    validator = get_validator(path) if path else None
    return state, create_app(state, validator), validator


def warn_if_exposed(host: str, port: int, stderr: bool = False) -> str | None:
    """Warn (log, and a stderr line when ``stderr``) that a bind on ``host`` opens the control plane
    to the network; the warning, or None for a loopback bind.

    Example:
        >>> warn_if_exposed("127.0.0.1", 8765) is None
        True
    """
    message = exposure_warning(host, port)
    if message is None:
        return None
    if stderr:
        print(f"pintools emulator: WARNING: {message}", file=sys.stderr, flush=True)
    if not stderr or log.hasHandlers():  # with no handler, logging would print the same line again
        log.warning(message)
    return message


class EmulatorServer:
    """A running emulator: waitress on loopback in a daemon thread, on a free port.

    Another ``host`` (e.g. ``"0.0.0.0"``) logs a warning: the control plane becomes reachable from the
    network (:func:`warn_if_exposed`). ``url`` stays a loopback one for a wildcard bind.

    Attributes: ``url`` (``http://127.0.0.1:PORT``), ``base_url`` (``…/v5``), ``access_token``,
    ``app_id``, ``app_secret``, ``refresh_token``, ``control`` (:class:`EmulatorControl`),
    ``state`` (the in-process :class:`EmulatorState`), ``spec_enabled``.

    Example:
        >>> with EmulatorServer(seed=1) as srv:        # doctest: +SKIP
        ...     requests.get(srv.base_url + "/ad_accounts",
        ...                  headers={"Authorization": f"Bearer {srv.access_token}"}).status_code
        200
    """

    def __init__(self, seed: int = 0, scale: int = 1, clock=None, rate_limits: dict | None = None,
                 spec_path: str | bool | None = None, accounts: list[dict] | None = None,
                 host: str = "127.0.0.1", port: int = 0, threads: int = SERVER_THREADS):
        import waitress

        from pintools.emulator.control_client import EmulatorControl

        self.state, self.app, validator = _build(seed, scale, clock, rate_limits, spec_path, accounts)
        self.spec_enabled = validator is not None
        self._server = waitress.create_server(self.app, host=host, port=port, threads=threads,
                                              clear_untrusted_proxy_headers=True)
        self.host = host
        self.port = int(self._server.effective_port)
        warn_if_exposed(host, self.port)
        self.url = f"http://{local_host(host)}:{self.port}"
        self.base_url = self.url + "/v5"
        self.access_token = DEMO_ACCESS_TOKEN
        self.app_id, self.app_secret, self.refresh_token = DEMO_APP_ID, DEMO_APP_SECRET, DEMO_REFRESH_TOKEN
        loopback = is_loopback_name(local_host(host))
        self.control = EmulatorControl(self.url, host_header=None if loopback else f"localhost:{self.port}")
        self._thread = threading.Thread(target=self._run, name=f"pintools-emulator-{self.port}", daemon=True)
        self._stopped = False
        self._thread.start()

    def _run(self) -> None:
        try:
            self._server.run()
        except (OSError, ValueError):
            if not self._stopped:
                log.exception("emulator server stopped unexpectedly")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection and join the thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self.control.close()
        self.state.bulk.close()  # pending bulk timers never fire on a stopped emulator
        server = self._server
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=timeout)
        # Closing every dispatcher in the map (listener, trigger, open channels) ends run()'s loop.
        for channel in list(server._map.values()):
            try:
                channel.close()
            except OSError:
                pass
        self._thread.join(timeout)

    def __enter__(self) -> "EmulatorServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmulatorServer(url={self.url!r}, spec_enabled={self.spec_enabled})"


def start(seed: int = 0, scale: int = 1, clock=None, rate_limits: dict | None = None,
          spec_path: str | bool | None = None, accounts: list[dict] | None = None) -> EmulatorServer:
    """Start an emulator in a background thread on a free loopback port.

    ``clock`` fixes time (Unix seconds or ISO string); ``rate_limits`` maps categories to
    per-minute limits (or ``(per_minute, burst)``); ``spec_path`` (or ``$PINTOOLS_OPENAPI_SPEC``)
    turns on spec validation (``spec_path=False`` or ``""`` forces it off); ``accounts`` shapes the demo
    data (see :mod:`pintools.emulator.demo`).

    Example:
        >>> srv = start(seed=42, clock="2024-06-01T00:00:00Z")   # doctest: +SKIP
        >>> srv.control.requests()                                 # doctest: +SKIP
        []
    """
    return EmulatorServer(seed=seed, scale=scale, clock=clock, rate_limits=rate_limits, spec_path=spec_path,
                          accounts=accounts)


def serve(port: int = 8765, host: str = "127.0.0.1", seed: int = 0, scale: int = 1, clock=None,
          rate_limits: dict | None = None, spec_path: str | bool | None = None, accounts: list[dict] | None = None,
          threads: int = SERVER_THREADS) -> None:
    """Serve the emulator in the foreground until interrupted (for ``pintools emulator serve``).
    A ``host`` other than loopback (e.g. ``"0.0.0.0"``) warns on stderr and in the log that the
    control plane becomes reachable from the network (:func:`warn_if_exposed`).

    Example:
        >>> serve(port=8765, seed=42)   # doctest: +SKIP
    """
    import waitress

    _, app, validator = _build(seed, scale, clock, rate_limits, spec_path, accounts)
    log.info("pintools emulator on http://%s:%s/v5 (spec validation %s)", host, port,
             "on" if validator is not None else "off")
    server = waitress.create_server(app, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=True)
    warn_if_exposed(host, int(server.effective_port), stderr=True)
    logging.basicConfig()  # as waitress.serve does (idempotent), after the warning's single stderr line
    server.print_listen("Serving on http://{}:{}")
    server.run()
