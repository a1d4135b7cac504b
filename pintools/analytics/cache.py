"""An optional on-disk cache of fetched analytics chunks, so re-running a notebook does not
re-pull a year of data.

A chunk is cached only when its whole window is *final*: every day in it is past its
attribution window plus a margin (:mod:`pintools.analytics.settling`), so conversions can no
longer be attributed to it. Days that are still settling are always fetched again.
Entries are gzip'd JSON files named by a hash of everything that defines the chunk
(account, level, ids, window, columns, granularity, attribution, API host), so a different query never reads another's rows.

>>> import tempfile, datetime as dt
>>> cache = ChunkCache(tempfile.mkdtemp())
>>> key = {"ids": ["1"], "window": "2026-01-01..2026-01-31"}
>>> cache.put(key, [{"X": 1}], window_end=dt.date(2026, 1, 31), today=dt.date(2026, 3, 15))
True
>>> cache.put(key, [{"X": 1}], window_end=dt.date(2026, 1, 31), today=dt.date(2026, 2, 15))  # still settling
False
>>> cache.get(key)
[{'X': 1}]
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .settling import last_final_day


def default_cache_dir() -> Path:
    """``$PINTOOLS_CACHE_DIR``, else ``$XDG_CACHE_HOME/pintools/analytics``, else ``~/.cache/...``."""
    from ..files import user_path

    return user_path("PINTOOLS_CACHE_DIR", "cache", "analytics")


class ChunkCache:
    """Final-window analytics chunks on disk. ``fresh_days``, when given, waits at least that
    many days too (never less than the attribution settling)."""

    def __init__(self, directory: str | Path | None = None, *, fresh_days: int | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.fresh_days = fresh_days
        self.hits = 0
        self.misses = 0

    def __repr__(self) -> str:
        return f"ChunkCache({str(self.directory)!r}, fresh_days={self.fresh_days})"

    def closed(self, window_end: dt.date, today: dt.date, *, last_final: dt.date | None = None) -> bool:
        """True when a window ending on ``window_end`` can no longer change: it ends on or before
        ``last_final`` (default: the last final day under Pinterest's default attribution)."""
        limit = last_final if last_final is not None else last_final_day(today, {})
        if self.fresh_days is not None:
            limit = min(limit, today - dt.timedelta(days=self.fresh_days + 1))
        return window_end <= limit

    def _path(self, key: Mapping[str, Any]) -> Path:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json.gz"

    def get(self, key: Mapping[str, Any]) -> list[dict] | None:
        path = self._path(key)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                rows = json.load(fh)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError):  # a torn or foreign file: ignore it, it will be rewritten
            self.misses += 1
            return None
        self.hits += 1
        return rows

    def put(self, key: Mapping[str, Any], rows: list[dict], *, window_end: dt.date, today: dt.date,
            last_final: dt.date | None = None) -> bool:
        """Store ``rows`` if the window is final; return whether it was stored."""
        if not self.closed(window_end, today, last_final=last_final):
            return False
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as fh:
                json.dump(rows, fh)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
