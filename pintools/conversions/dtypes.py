"""The text dtype of prepared frames: pandas' ``string`` dtype stored as Python objects.

``dtype="string"`` means pyarrow-backed storage whenever pyarrow is installed (pandas 3 picks the
storage then), and the two storages do not mix within one column's operations (assigning one into
the other, grouping hashes into tuples). Every text column of :mod:`pintools.conversions` uses
:data:`TEXT`, so a prepared frame is the same with or without pyarrow.

>>> pd.Series(["a", None], dtype=TEXT).tolist(), TEXT.storage
(['a', <NA>], 'python')
"""

from __future__ import annotations

import pandas as pd

TEXT = pd.StringDtype("python")

__all__ = ["TEXT"]
