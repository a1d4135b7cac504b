"""Chunk plans: (id batch × date window) pieces of an analytics query, fetched concurrently.

Each chunk is fetched exactly once (retries of a refused call are the requestor's business,
not a second fetch). Chunks run ``max_workers`` at a time; the client's rate budget for
``ads_analytics`` paces them, so more workers never means more than the budget allows.

>>> import datetime as dt
>>> from pintools.analytics.windows import Window
>>> w = [Window(dt.date(2026, 1, 1), dt.date(2026, 1, 31))]
>>> [c.key for c in plan_chunks(["1", "2", "3"], w, batch_size=2)]
[(('1', '2'), '2026-01-01..2026-01-31'), (('3',), '2026-01-01..2026-01-31')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TypeVar

from .windows import Window

R = TypeVar("R")
T = TypeVar("T")


@dataclass(frozen=True)
class Chunk:
    """One call's worth of a query: some ids (``None`` = the whole account) over one window."""

    ids: tuple[str, ...] | None
    window: Window

    @property
    def key(self) -> tuple:
        return (self.ids, str(self.window))


def plan_chunks(ids: Sequence[str] | None, windows: Sequence[Window], *, batch_size: int) -> list[Chunk]:
    """Every (id batch, window) pair; ``ids=None`` gives one chunk per window."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if ids is None:
        return [Chunk(None, w) for w in windows]
    ids = list(dict.fromkeys(ids))
    batches = [tuple(ids[i:i + batch_size]) for i in range(0, len(ids), batch_size)]
    return [Chunk(batch, w) for batch in batches for w in windows]


def run_chunks(
    chunks: Sequence[T],
    fetch: Callable[[T], R],
    *,
    max_workers: int = 4,
    progress: bool = True,
    description: str = "analytics",
) -> list[R]:
    """``fetch`` every chunk (or any work item; ``max_workers`` at a time) and return the results
    in input order.

    The first failure cancels the chunks not yet started and is raised after running ones end.
    """
    results: list[R | None] = [None] * len(chunks)
    bar = _progress(len(chunks), description) if progress and len(chunks) > 1 else None
    try:
        if max_workers <= 1 or len(chunks) <= 1:
            for i, chunk in enumerate(chunks):
                results[i] = fetch(chunk)
                if bar is not None:
                    bar.update(1)
            return results  # type: ignore[return-value]
        with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="pintools-analytics") as pool:
            futures = {pool.submit(fetch, chunk): i for i, chunk in enumerate(chunks)}
            try:
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    if bar is not None:
                        bar.update(1)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        return results  # type: ignore[return-value]
    finally:
        if bar is not None:
            bar.close()


def _progress(total: int, description: str):
    from ..progress import progress_bar

    return progress_bar(total, description, "call")
