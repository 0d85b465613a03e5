"""Lots drawn from an administrator's seed, and the tie rule of looking back at earlier stages.

The seed is any string announced before the count.  It is hashed (SHA-256) into a numpy
``SeedSequence`` so that the same seed always gives the same sequence of lots, and every lot drawn
is recorded so that a published count can be re-run and checked.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


def new_seed() -> str:
    """A fresh random seed for a count run without one (it is recorded in the result)."""
    return secrets.token_hex(8)


def generator(seed: str) -> np.random.Generator:
    """The numpy generator that a seed string stands for."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return np.random.default_rng(np.random.SeedSequence(int.from_bytes(digest, "big")))


@dataclass
class Lots:
    """A recorded sequence of lots drawn from one seed."""

    seed: str
    drawn: list[int] = field(default_factory=list)
    _rng: np.random.Generator | None = None

    def choose(self, tied: Sequence[int]) -> int:
        """Draw one of ``tied`` by lot, each equally likely; the order of ``tied`` is ignored."""
        if self._rng is None:
            self._rng = generator(self.seed)
        ordered = sorted(tied)
        pick = int(self._rng.integers(len(ordered)))
        self.drawn.append(pick)
        return ordered[pick]

    def choose_several(self, tied: Sequence[int], places: int) -> list[int]:
        """Draw ``places`` of ``tied`` by lot, one at a time; returned in the order drawn."""
        pool = list(tied)
        won: list[int] = []
        for _ in range(places):
            won.append(self.choose(pool))
            pool.remove(won[-1])
        return won


def look_back(
    tied: Sequence[int],
    history: Sequence[NDArray[np.int64] | NDArray[np.float64]],
    *,
    highest: bool,
) -> tuple[list[int], int | None]:
    """Narrow a tie by the most recent earlier stage at which the tied candidates differed.

    ``history`` holds everyone's votes after each earlier stage, oldest first.  At the most recent
    stage where the tied candidates' votes are unequal, only those with the highest (or lowest)
    votes stay tied; if several still do, earlier stages are consulted for them.  Returns the
    remaining candidates and the (1-based) stage that decided, or None if no stage differed.
    """
    current = list(tied)
    decided: int | None = None
    for s in range(len(history) - 1, -1, -1):
        if len(current) == 1:
            break
        votes = history[s][current]
        best = votes.max() if highest else votes.min()
        narrowed = [c for c, v in zip(current, votes, strict=True) if v == best]
        if len(narrowed) < len(current):
            current = narrowed
            decided = s + 1
    return current, decided
