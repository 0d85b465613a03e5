"""Largest remainder (Hamilton) with the Hare or the Droop quota, in exact integer arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.party_list.methods import REMAINDER_METHODS
from electoral.party_list.ties import LotDraw, share_by_lot


def remainder_apportion(
    votes: Sequence[int] | NDArray[np.int64],
    seats: int,
    quota: str,
    *,
    maximum: Sequence[int] | None = None,
    lots: Lots | None = None,
    names: Sequence[str] | None = None,
) -> tuple[list[int], list[LotDraw], Fraction, list[Fraction]]:
    """Largest remainder (Hamilton) with the Hare quota (votes / seats) or the Droop quota
    (floor(votes / (seats + 1)) + 1): whole quotas first, then the largest remainders.

    A capped party keeps its cap; its other seats are shared among the rest by the same rule
    (the quota recomputed over the remaining parties and seats).  Returns the seats, the lot
    draws, the quota and each party's remainder (as a fraction of a quota).
    """
    v = [int(x) for x in votes]
    n = len(v)
    if quota not in REMAINDER_METHODS:
        raise CountError(f"unknown quota {quota!r}: choose hare or droop")
    if any(x < 0 for x in v):
        raise CountError("votes must not be negative")
    hi = [seats] * n if maximum is None else [min(int(x), seats) for x in maximum]
    if sum(min(h, seats) for h, x in zip(hi, v, strict=True) if x > 0) < seats:
        raise CountError("the caps (and parties with votes) leave seats that cannot be filled")
    label = list(names) if names is not None else [str(i + 1) for i in range(n)]
    s = [0] * n
    fixed: set[int] = set()
    ties: list[LotDraw] = []
    while True:
        active = [i for i in range(n) if i not in fixed and v[i] > 0]
        left = seats - sum(s[i] for i in fixed)
        pool_votes = sum(v[i] for i in active)
        if pool_votes == 0 or left == 0:
            q = Fraction(0)
            for i in active:
                s[i] = 0
            rema = [Fraction(0)] * n
            break
        # Whole quotas and remainders in integers: with the Hare quota V/S a party's share of
        # quotas is v*S/V, so its remainder is (v*S mod V)/V; with the Droop quota q (an
        # integer) it is (v mod q)/q.  Comparing the integer numerators is exact.
        if quota == "hare":
            q = Fraction(pool_votes, left)
            scale, unit = left, pool_votes
        else:
            q = Fraction(pool_votes // (left + 1) + 1)
            scale, unit = 1, int(q)
        whole: dict[int, int] = {}
        num: dict[int, int] = {}
        for i in active:
            whole[i], num[i] = divmod(v[i] * scale, unit)
        rest = left - sum(whole.values())
        while rest > len(active):  # only with the Droop quota and very few votes per seat
            for i in active:
                whole[i] += 1
            rest -= len(active)
        for i in active:
            s[i] = whole[i]
        ties = []
        if rest > 0:
            order = sorted(active, key=lambda i: -num[i])
            cutoff = num[order[rest - 1]]
            above = [i for i in active if num[i] > cutoff]
            at = sorted(i for i in active if num[i] == cutoff)
            for i in above:
                s[i] += 1
            places = rest - len(above)
            if places == len(at):
                for i in at:
                    s[i] += 1
            else:
                lots = Lots(new_seed()) if lots is None else lots
                won, draw = share_by_lot(at, places, lots, label)
                for w in won:
                    s[w] += 1
                ties.append(draw)
        over = [i for i in active if s[i] > hi[i]]
        if not over:
            rema = [Fraction(0)] * n
            for i in active:
                rema[i] = Fraction(num[i], unit)
            break
        for i in over:
            s[i] = hi[i]
            fixed.add(i)
    return s, ties, q, rema
