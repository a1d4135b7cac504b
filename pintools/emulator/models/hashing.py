"""Stable pseudo-random numbers keyed by text: scalar (:func:`key64`, :func:`unit`, :func:`rng`)
and vectorised over NumPy arrays (:func:`uniform`).

Never Python's ``hash()`` (salted per process): keys come from BLAKE2b of the ``:``-joined parts,
and :func:`uniform` runs a SplitMix64 finaliser over ``key ⊕ stream`` and the cell number, so a
value depends only on (key, stream, cell) – never on array shapes or batch composition.

Example:
    >>> key64(42, "687195134316") == key64(42, "687195134316") != key64(43, "687195134316")
    True
    >>> import numpy as np
    >>> u = uniform(np.array([key64(1, "a")], dtype=np.uint64)[:, None], np.array([[19000, 19001]]), key64("x"))
    >>> u.shape, bool(((u >= 0) & (u < 1)).all())
    ((1, 2), True)
"""

from __future__ import annotations

import hashlib
import random

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_53 = 1.0 / 9007199254740992.0


def key64(*parts) -> int:
    """A 64-bit unsigned key of the ``:``-joined parts (stable across processes).

    Example:
        >>> key64("a", 1) == key64("a:1")
        True
    """
    text = ":".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def unit(*parts) -> float:
    """A float in [0, 1) from the parts.

    Example:
        >>> 0 <= unit("seed", 3) < 1
        True
    """
    return key64(*parts) / 2.0**64


def rng(*parts) -> random.Random:
    """A ``random.Random`` seeded with the ``:``-joined parts (string seeding is stable).

    Example:
        >>> rng(1, "x").random() == rng(1, "x").random()
        True
    """
    return random.Random(":".join(str(p) for p in parts))


def _mix(x: np.ndarray) -> np.ndarray:
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def uniform(keys: np.ndarray, cells: np.ndarray, stream: int) -> np.ndarray:
    """Floats in [0, 1), one per broadcast (key, cell): e.g. keys ``(A, 1)`` × days ``(1, D)``.

    ``cells`` are non-negative integers (day ordinals, ``day * 24 + hour``, value indexes…).

    Example:
        >>> keys = np.array([[1], [2]], dtype=np.uint64)
        >>> a = uniform(keys, np.array([[5, 6, 7]]), stream=9)
        >>> bool((a[:, 1:] == uniform(keys, np.array([[6, 7]]), stream=9)).all())
        True
    """
    with np.errstate(over="ignore"):
        k = _mix(np.asarray(keys, dtype=np.uint64) ^ np.uint64(stream))
        x = _mix(k + np.asarray(cells).astype(np.uint64) * _GOLDEN)
    return (x >> np.uint64(11)).astype(np.float64) * _TWO_53
