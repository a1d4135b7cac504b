"""Run the emulator in a process of its own (``pintools emulator serve``), for tests and benchmarks
that must not share a GIL or a crash with it.

>>> with emulator_process("--seed", "7") as base_url:       # doctest: +SKIP
...     pt.connect(DEMO_ACCESS_TOKEN, base_url=base_url)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

#: The clock the demo runs on (the same as the embedded emulator's).
DEMO_CLOCK = "2026-11-15T12:00:00Z"


def free_port() -> int:
    """A free TCP port on the loopback interface.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def emulator_process(*args: str, clock: str | None = DEMO_CLOCK, env: Mapping[str, str] | None = None,
                     log: Path | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Start ``pintools emulator serve`` on a free loopback port and yield its API base URL
    (``http://127.0.0.1:PORT/v5``); the process is stopped on exit. ``args`` are extra CLI
    arguments; ``clock=None`` runs it on the real clock; ``env`` replaces the environment;
    ``log`` receives its output. Raises ``RuntimeError`` (with the log's end) if it does not
    answer within ``timeout`` seconds."""
    import requests

    port = free_port()
    command = [sys.executable, "-m", "pintools.cli", "emulator", "serve", "--port", str(port), *args]
    if clock is not None:
        command += ["--clock", clock]
    if log is None:
        proc = subprocess.Popen(command, env=dict(os.environ if env is None else env),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        with open(log, "wb") as out:
            proc = subprocess.Popen(command, env=dict(os.environ if env is None else env),
                                    stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=0.5)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-4000:] if log is not None and log.exists() else ""
                    raise RuntimeError(f"the emulator process did not start (exit code {proc.poll()})"
                                       + (f"; its log:\n{tail}" if tail else "")) from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/v5"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
