"""Progress bars: tqdm's notebook bar in Jupyter, a text bar elsewhere, off when asked.

``TQDM_DISABLE=1`` turns every bar off. tqdm's own text bar reads that variable, but its notebook
bar does not, so pintools passes it explicitly; executed notebooks and tests rely on it.

>>> bar = progress_bar(3, "sending", "event")
>>> bar is None or bar.total == 3
True
"""

from __future__ import annotations

import os


def progress_disabled() -> bool:
    """True when ``TQDM_DISABLE`` is set to 1/true/yes.

    >>> isinstance(progress_disabled(), bool)
    True
    """
    return os.environ.get("TQDM_DISABLE", "").strip().lower() in {"1", "true", "yes"}


def progress_bar(total: int, description: str, unit: str):
    """A tqdm bar (cleared when done), or None when bars are disabled or there is nothing to do."""
    if total <= 0 or progress_disabled():
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit=unit, leave=False)
