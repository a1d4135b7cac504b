"""Connections that open and stall, held open for the length of a benchmark run.

A third send nothing, a third stop in the middle of the headers, a third send the headers and part
of the body they announce. The server may close stalled connections (a read timeout); a keeper
thread then opens new ones, so ``count`` stay open throughout, and counts how many the server closed.

>>> with StalledConnections("127.0.0.1", 8080, 200) as stalled:      # doctest: +SKIP
...     run_the_measurement()
>>> stalled.closed_by_server                                        # doctest: +SKIP
0
"""

from __future__ import annotations

import select
import socket
import threading


class StalledConnections:
    """``count`` connections to ``host:port`` that never finish a request (kept at ``count`` while open)."""

    def __init__(self, host: str, port: int, count: int, *, path: str = "/pinterest/leads") -> None:
        self.host, self.port, self.count = host, port, count
        head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        self._payloads = [b"", head.encode(), (head + 'Content-Length: 10000\r\n\r\n[{"lead_id": ').encode()]
        self._socks: list[socket.socket] = []
        self._opened = 0
        self.closed_by_server = 0
        self._stop = threading.Event()
        self._keeper = threading.Thread(target=self._keep, daemon=True)

    def _open_one(self) -> socket.socket:
        s = socket.create_connection((self.host, self.port), timeout=5)
        payload = self._payloads[self._opened % 3]
        self._opened += 1
        if payload:
            s.sendall(payload)
        return s

    def _keep(self) -> None:
        while not self._stop.wait(0.25):
            poller = select.poll()
            by_fd = {s.fileno(): s for s in self._socks}
            for fd in by_fd:
                poller.register(fd, select.POLLIN)
            for fd, _ in poller.poll(0):  # readable on a stalled connection: the server closed it (or answered)
                s = by_fd[fd]
                self._socks.remove(s)
                s.close()
                self.closed_by_server += 1
            while len(self._socks) < self.count and not self._stop.is_set():
                self._socks.append(self._open_one())

    def __enter__(self) -> StalledConnections:
        self._socks = [self._open_one() for _ in range(self.count)]
        self._keeper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._keeper.join(timeout=10)
        for s in self._socks:
            s.close()
        self._socks = []
