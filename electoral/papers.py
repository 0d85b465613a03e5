"""Ballot papers in piles: the working state of a count that moves whole papers between candidates.

Identical ballots follow identical paths through a count, so a pile holds unique rankings, each
with its number of papers and the value of one paper.  Values are integers in units of
``10**-places`` (fixed point), which is how the Scottish rule (rule 48(3)) and IRV (places = 0)
count: no floating point touches a vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.profile import StrictBallots

Int64s = NDArray[np.int64]
_FEW_CELLS = 1 << 16  # a pile of rankings this small is searched whole, not a place at a time


@dataclass(frozen=True, slots=True)
class Movement:
    """What one transfer did: the value each candidate received and what left the count."""

    received: Int64s
    non_transferable: int
    moved_papers: int


class Piles:
    """Mutable piles of papers, one per candidate (internal to a count)."""

    def __init__(self, ballots: StrictBallots, ncand: int, one: int) -> None:
        self.R = ballots.rankings  # (n, L+1), last column -1
        self._flat = np.ascontiguousarray(self.R).ravel()
        self._width = self.R.shape[1]
        self.papers = ballots.weights
        self.ncand = ncand
        self.one = one
        n = self.R.shape[0]
        # where each unique ballot is read: a place in its ranking
        self.place = np.zeros(n, dtype=np.int64)
        self._places = np.arange(self._width)
        self.value = np.full(n, one, dtype=np.int64)
        first = self.R[:, 0] if n else np.zeros(0, dtype=np.int16)
        filed = first >= 0
        self._piles: list[list[Int64s]] = [[] for _ in range(ncand)]
        # who stops the search for the next preference: the continuing, and -1 (the end)
        self._stop = np.ones(ncand + 1, dtype=np.bool_)
        self._file(np.arange(n, dtype=np.int64)[filed], first[filed])

    def _file(self, idx: Int64s, holder: NDArray[np.int16]) -> None:
        """Put papers ``idx`` on the piles of their holders (none exhausted)."""
        # int16 keys make numpy's stable argsort a radix sort: linear in the papers moved.
        order = holder.argsort(kind="stable")
        idx, holder = idx[order], holder[order]
        bounds = holder.searchsorted(np.arange(self.ncand + 1)).tolist()
        for c in range(self.ncand):
            lo, hi = bounds[c], bounds[c + 1]
            if hi > lo:
                self._piles[c].append(idx[lo:hi])

    def pile(self, c: int) -> Int64s:
        """The unique ballots currently held by candidate ``c``."""
        parts = self._piles[c]
        if not parts:
            return np.zeros(0, dtype=np.int64)
        if len(parts) > 1:
            self._piles[c] = [np.concatenate(parts)]
        return self._piles[c][0]

    def tally(self) -> Int64s:
        """Every candidate's votes (sum of paper values on their pile)."""
        out = np.zeros(self.ncand, dtype=np.int64)
        for c in range(self.ncand):
            idx = self.pile(c)
            out[c] = int(np.dot(self.papers[idx], self.value[idx]))
        return out

    def transfer(
        self, c: int, continuing: NDArray[np.bool_], new_value: Int64s | None = None
    ) -> Movement:
        """Move every paper on ``c``'s pile to its next continuing preference.

        ``new_value`` (per unique ballot of the pile) replaces the papers' values, as in a surplus
        transfer; without it papers keep their current value, as in an exclusion.  Papers with no
        further continuing preference are non-transferable.
        """
        idx = self.pile(c)
        self._piles[c] = []
        if new_value is not None:
            self.value[idx] = new_value
        stop = self._stop
        stop[:-1] = continuing  # index -1 (end of the ranking) also stops the search
        width = self._width
        if idx.size * width <= _FEW_CELLS:
            # a few papers: the first stop after each paper's place, in one pass over their rows
            rows = self.R[idx]
            place = (stop[rows] & (self._places > self.place[idx][:, None])).argmax(axis=1)
            holder = rows[np.arange(idx.size), place]
        else:
            # Gathers from the flattened matrix (row * width + position) are cheaper than 2-D
            # fancy indexing; this loop is the count's inner loop.
            start = idx * width
            at = start + self.place[idx] + 1
            holder = self._flat[at]
            todo = np.flatnonzero(~stop[holder])
            while todo.size:
                at[todo] += 1
                h = self._flat[at[todo]]
                holder[todo] = h
                todo = todo[~stop[h]]
            place = at - start
        self.place[idx] = place
        papers = self.papers[idx]
        amounts = papers * self.value[idx]
        live = holder >= 0
        received = np.zeros(self.ncand, dtype=np.int64)
        np.add.at(received, holder[live], amounts[live])  # exact, in 64-bit integers
        nt = int(amounts[~live].sum())
        self._file(idx[live], holder[live])
        return Movement(received, nt, int(papers.sum()))


def fixed(value: int, places: int) -> str:
    """Format a fixed-point integer as a decimal string with ``places`` decimals."""
    if places == 0:
        return str(value)
    digits = str(value)
    sign = ""
    if digits[0] == "-":
        sign, digits = "-", digits[1:]
    digits = digits.rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
