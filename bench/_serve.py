"""An emulator in a process of its own for benchmarks that time the client: Pinterest's servers
are not in the analyst's Python process, so a bench that serves from a thread of its own process
would charge the client for the emulator's CPU (they share one GIL).


>>> with emulator_in_process(seed=7, accounts=[{"campaigns": 1}]) as (base_url, control):  # doctest: +SKIP
...     client = pt.connect(DEMO_ACCESS_TOKEN, base_url=base_url)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from pintools.emulator.control_client import EmulatorControl
from pintools.emulator.process import free_port

_SERVE = "import json, sys; from pintools.emulator.server import serve; serve(**json.loads(sys.argv[1]))"


@contextmanager
def emulator_in_process(*, seed: int = 0, clock: str | None = None, accounts: list[dict] | None = None,
                        rate_limits: dict | None = None, timeout: float = 60.0) -> Iterator[tuple[str, EmulatorControl]]:
    """Serve the emulator (spec validation off) from a process of its own; yield its API base URL
    and its control client. The process is stopped on exit."""
    port = free_port()
    options = {"port": port, "seed": seed, "clock": clock, "accounts": accounts, "rate_limits": rate_limits,
               "spec_path": ""}
    log = tempfile.TemporaryFile()  # not a pipe: a chatty emulator must never block on a full one
    process = subprocess.Popen([sys.executable, "-c", _SERVE, json.dumps(options)],
                               stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(f"{url}/_emulator/health", timeout=0.5)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    log.seek(0)
                    error = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"the emulator process did not start (exit code {process.returncode}): "
                                       f"{error}") from None
                time.sleep(0.1)
        control = EmulatorControl(url)
        try:
            yield f"{url}/v5", control
        finally:
            control.close()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
