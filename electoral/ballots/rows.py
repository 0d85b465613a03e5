"""Two whole-matrix operations on strict rankings (candidate indices, -1 padded on the right):
finding a ranking that names a candidate twice, and merging identical rankings.

Both read the matrix column by column as a few numpy passes, so that a million ballots take
tens of milliseconds (measured by ``benchmarks/stv.py``); no Python loop runs per ballot.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntMatrix = NDArray[np.int16]
Weights = NDArray[np.int64]

_SET = 63  # candidates per bit set (one uint64 per ranking, the top bit unused)


def has_repeats(R: IntMatrix, ncand: int) -> bool:
    """Whether any row names a candidate twice (a bit set per row, 63 candidates at a time)."""
    columns = np.ascontiguousarray(R.T) + 1  # 0 is padding
    for base in range(0, max(ncand, 1), _SET):
        chunk = np.arange(base, min(base + _SET, ncand))
        bit_of = np.zeros(ncand + 1, dtype=np.uint64)
        bit_of[chunk + 1] = np.left_shift(np.uint64(1), (chunk - base).astype(np.uint64))
        seen = np.zeros(R.shape[0], dtype=np.uint64)
        clash = np.zeros(R.shape[0], dtype=np.uint64)
        for column in columns:
            bit = bit_of[column]
            clash |= seen & bit
            seen |= bit
        if clash.any():
            return True
    return False


def merge_identical(
    R: IntMatrix, w: Weights, ncand: int, *, first_seen: bool = False
) -> tuple[IntMatrix, Weights]:
    """Unique rows of ``R`` with summed weights, sorted or in the order first seen.

    Each row is packed into a few 64-bit keys (bit_length(ncand) bits per position), which are
    sorted with ``lexsort``: several times faster than
    ``np.unique(axis=0)`` on a million rows.
    """
    n, m = R.shape
    if n == 0:
        return R, w
    bits = np.uint64(max(int(ncand).bit_length(), 1))
    per_word = 64 // int(bits)
    keys = np.zeros((-(-m // per_word) if m else 1, n), dtype=np.uint64)
    codes = (np.ascontiguousarray(R.T) + 1).view(np.uint16)  # 0 is padding
    for j, column in enumerate(codes):
        word = keys[j // per_word]
        np.left_shift(word, bits, out=word)
        np.bitwise_or(word, column, out=word)
    order = np.lexsort(keys[::-1])
    ordered = keys[:, order]
    change = np.any(ordered[:, 1:] != ordered[:, :-1], axis=0)
    starts = np.flatnonzero(np.concatenate(([True], change)))
    totals = np.add.reduceat(w[order], starts).astype(np.int64)
    if first_seen:  # lexsort is stable: the first of equal keys comes first
        seen = np.argsort(order[starts], kind="stable")
        return R[order[starts[seen]]], totals[seen]
    return R[order[starts]], totals
