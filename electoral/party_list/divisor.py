"""Divisor methods (D'Hondt, Sainte-Laguë, modified Sainte-Laguë, Huntington-Hill) in exact
rational arithmetic: F. Pukelsheim, *Proportional Representation* (2nd ed., 2017), chapters 3, 4
and 7.

Each gives the next seat to the party with the largest quotient ``votes / d(s)``, where ``s`` is
the number of seats it already holds:

====================== ===========================================
D'Hondt                d(s) = s + 1
Sainte-Laguë           d(s) = 2s + 1
modified Sainte-Laguë  d(0) = 1.4, d(s) = 2s + 1 for s >= 1
Huntington-Hill        d(s) = sqrt(s(s + 1))  (d(0) = 0: every party with votes gets a first seat)
====================== ===========================================

Quotients are compared exactly (fractions; squares for Huntington-Hill), never as floats.  Seat
caps and minimums are the restrictions of Pukelsheim ch. 7: a party never goes above its cap or
below its minimum, and the other seats go by the same quotients.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.party_list.methods import DIVISOR_METHODS, METHODS
from electoral.party_list.ties import LotDraw, share_by_lot

Key = Fraction | tuple[int, Fraction]


def quotient_key(method: str, votes: int, held: int) -> Key:
    """The exact priority of a party's next seat: ``votes / d(held)``.

    For Huntington-Hill the key is ``(1, votes)`` for a first seat (d(0) = 0, so every first seat
    comes before every second) and ``(0, votes**2 / (held * (held + 1)))`` after that.
    """
    if method == "dhondt":
        return Fraction(votes, held + 1)
    if method == "sainte-lague":
        return Fraction(votes, 2 * held + 1)
    if method == "modified-sainte-lague":
        return Fraction(votes * 5, 7) if held == 0 else Fraction(votes, 2 * held + 1)
    if method == "huntington-hill":
        if held == 0:
            return (1, Fraction(votes))
        return (0, Fraction(votes * votes, held * (held + 1)))
    raise CountError(f"unknown divisor method {method!r}: choose one of {', '.join(METHODS)}")


def quotient_value(method: str, votes: int, held: int) -> float:
    """The quotient ``votes / d(held)`` as a number for display (infinite for d = 0)."""
    if method == "huntington-hill":
        return math.inf if held == 0 else votes / math.sqrt(held * (held + 1))
    if method == "modified-sainte-lague" and held == 0:
        return votes / 1.4
    return votes / (held + 1 if method == "dhondt" else 2 * held + 1)


def _neg(key: Key) -> Key:
    return (-key[0], -key[1]) if isinstance(key, tuple) else -key


def divisor_apportion(
    votes: Sequence[int] | NDArray[np.int64],
    seats: int,
    method: str,
    *,
    minimum: Sequence[int] | None = None,
    maximum: Sequence[int] | None = None,
    lots: Lots | None = None,
    names: Sequence[str] | None = None,
) -> tuple[list[int], list[LotDraw]]:
    """Seats for each party by a divisor method, with optional per-party minimum and maximum.

    Jump and step (Pukelsheim 4.6): a first estimate from one common divisor (floating point),
    then exact steps — give a seat to the largest next quotient while seats are short, take one
    from the smallest last quotient while there are too many, and exchange while a party's next
    quotient beats another's last.  Places tied at the boundary are shared by lot.
    """
    v = [int(x) for x in votes]
    n = len(v)
    if method not in DIVISOR_METHODS:
        raise CountError(f"unknown divisor method {method!r}: choose one of {', '.join(METHODS)}")
    if seats < 0:
        raise CountError("the number of seats must not be negative")
    if any(x < 0 for x in v):
        raise CountError("votes must not be negative")
    lo = [0] * n if minimum is None else [int(x) for x in minimum]
    hi = [seats] * n if maximum is None else [min(int(x), seats) for x in maximum]
    for i in range(n):
        if v[i] == 0:
            hi[i] = min(hi[i], lo[i])  # no votes, no seats beyond a guaranteed minimum
        if lo[i] > hi[i]:
            raise CountError(f"party {i + 1}: its minimum {lo[i]} is above its maximum {hi[i]}")
    if sum(lo) > seats:
        raise CountError(f"the minimums add up to {sum(lo)}, more than the {seats} seats")
    if sum(hi) < seats:
        raise CountError(f"the caps allow only {sum(hi)} of the {seats} seats to be filled")
    label = list(names) if names is not None else [str(i + 1) for i in range(n)]
    s = _estimate(v, seats, method, lo, hi)

    def next_key(i: int) -> Key:
        return quotient_key(method, v[i], s[i])

    def last_key(i: int) -> Key:
        return quotient_key(method, v[i], s[i] - 1)

    grow: list[tuple[Key, int, int]] = [
        (_neg(next_key(i)), i, s[i]) for i in range(n) if s[i] < hi[i]
    ]
    shrink: list[tuple[Key, int, int]] = [(last_key(i), i, s[i]) for i in range(n) if s[i] > lo[i]]
    heapq.heapify(grow)
    heapq.heapify(shrink)

    def push(i: int) -> None:
        if s[i] < hi[i]:
            heapq.heappush(grow, (_neg(next_key(i)), i, s[i]))
        if s[i] > lo[i]:
            heapq.heappush(shrink, (last_key(i), i, s[i]))

    def top(heap: list[tuple[Key, int, int]]) -> tuple[Key, int] | None:
        while heap:
            key, i, held = heap[0]
            if held == s[i] and (s[i] < hi[i] if heap is grow else s[i] > lo[i]):
                return key, i
            heapq.heappop(heap)
        return None

    total = sum(s)
    while total < seats:
        found = top(grow)
        assert found is not None  # sum(hi) >= seats
        s[found[1]] += 1
        total += 1
        push(found[1])
    while total > seats:
        found = top(shrink)
        assert found is not None  # sum(lo) <= seats
        s[found[1]] -= 1
        total -= 1
        push(found[1])
    while True:
        g, k = top(grow), top(shrink)
        if g is None or k is None or not _neg(g[0]) > k[0]:  # type: ignore[operator]
            break
        s[k[1]] -= 1
        s[g[1]] += 1
        push(k[1])
        push(g[1])

    ties: list[LotDraw] = []
    g, k = top(grow), top(shrink)
    if g is not None and k is not None and _neg(g[0]) == k[0]:
        cutoff = k[0]
        holders = [i for i in range(n) if lo[i] < s[i] and last_key(i) == cutoff]
        waiting = [i for i in range(n) if s[i] < hi[i] and next_key(i) == cutoff]
        tied = sorted(holders + waiting)
        for i in holders:
            s[i] -= 1
        lots = Lots(new_seed()) if lots is None else lots
        winners, draw = share_by_lot(tied, len(holders), lots, label)
        for i in winners:
            s[i] += 1
        ties.append(draw)
    return s, ties


def _estimate(v: list[int], seats: int, method: str, lo: list[int], hi: list[int]) -> list[int]:
    """A first allocation from one common divisor (floats; the exact steps correct it)."""
    total = sum(v)
    if total == 0 or seats == 0:
        return list(lo)
    x = np.asarray(v, dtype=np.float64) * (seats / total)  # each party's ideal share
    if method == "dhondt":
        est = np.floor(x)
    elif method in ("sainte-lague", "modified-sainte-lague"):
        est = np.floor(x + 0.5)
    else:  # Huntington-Hill: round at the geometric mean of the neighbours
        f = np.floor(x)
        est = np.where(x * x > f * (f + 1), f + 1, f)
        est = np.where(x > 0, np.maximum(est, 1), 0)
    est = np.clip(est, np.asarray(lo), np.asarray(hi))
    return [int(e) for e in est]
