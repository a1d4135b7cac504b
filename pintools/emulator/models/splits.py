"""Exact integer splits: share integer totals by weights so the parts always add back up.

Used to cut a day into 24 hours, an entity's delivery into targeting values, and an ad group's
delivery into its keywords. Largest-remainder rounding in pure integer arithmetic: each part is
``floor(total · w / Σw)``, then the units left over go to the largest remainders (ties → lower
index). The result never depends on anything but the total and the weights.

Example:
    >>> import numpy as np
    >>> split_exact(np.array([10, 7]), np.array([[1, 1, 1], [5, 0, 1]]))
    array([[4, 3, 3],
           [6, 0, 1]])
"""

from __future__ import annotations

import numpy as np

WEIGHT_SCALE = 1_000_000


def int_weights(weights: np.ndarray) -> np.ndarray:
    """Float weights → positive-safe int64 weights (scaled, rounded; all-zero rows stay zero).

    Example:
        >>> int_weights(np.array([0.5, 0.25])).tolist()
        [500000, 250000]
    """
    return np.rint(np.asarray(weights, dtype=np.float64) * WEIGHT_SCALE).astype(np.int64)


def split_exact(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Parts ``(..., K)`` of non-negative int ``totals`` ``(...)`` by int ``weights`` ``(..., K)``.

    Weights broadcast against ``totals[..., None]``. A row whose weights sum to 0 keeps its
    whole total in part 0 (so nothing is ever lost).

    Example:
        >>> split_exact(np.array([5]), np.array([[0, 0]])).tolist()
        [[5, 0]]
    """
    totals = np.asarray(totals, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.int64)
    shape = np.broadcast_shapes(totals.shape + (1,), weights.shape)
    weights = np.broadcast_to(weights, shape)
    wsum = weights.sum(axis=-1)
    zero = wsum == 0
    safe = np.where(zero, 1, wsum)[..., None]
    product = totals[..., None] * weights
    parts = product // safe
    remainder = product - parts * safe
    left = totals - parts.sum(axis=-1)
    order = np.argsort(-remainder, axis=-1, kind="stable")
    rank = np.argsort(order, axis=-1, kind="stable")
    parts = parts + (rank < left[..., None])
    if zero.any():
        parts = np.where(zero[..., None], 0, parts)
        parts[..., 0] = np.where(zero, totals, parts[..., 0])
    return parts
