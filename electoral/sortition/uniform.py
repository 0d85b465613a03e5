"""Everyone at k/n: a lottery that selects every volunteer with the same probability, when the
quotas allow one, and the counting bound that proves it LEXIMIN.

Every panel has exactly k members, so the selection probabilities of the n volunteers always sum
to k, and the smallest of them is at most k/n.  A lottery in which every volunteer has
probability k/n therefore maximises the smallest probability, and, all being equal, is the
LEXIMIN lottery.  More generally, once some volunteers are fixed at their levels, the others can
at best share what is left equally: (k - the fixed volunteers' probabilities) / (the others'
number).  A level that reaches this bound is optimal without pricing, and it is the last.

The lottery is built as in systematic sampling (W. G. Madow and L. H. Madow, "On the theory of
systematic sampling", Ann. Math. Statist. 15 (1944), 1-24): the volunteers are laid on a circle
in an order that spreads every profile (the same features) evenly, by stride scheduling (the j-th
of a profile's m volunteers goes at (j + 1/2) / m), members of one household moved k or more
apart by swaps within their profiles; with g = gcd(n, k), the n/g windows of k
consecutive volunteers starting at 0, g, 2g, ... cover every volunteer exactly k/g times, so
drawing one of them uniformly gives everyone k/n.  Each window holds close to its proportional
share of every profile.  If every window keeps every quota (and at most one per household),
they are columns that reach the bound at the first level; if one does not, nothing is returned
and column generation goes on as before.

The expected count of a quota's value under a uniform lottery is k times its share of the pool,
so a quota that excludes that count excludes any uniform lottery; that is checked first.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from electoral.sortition.instance import Instance

Ints = NDArray[np.int64]
# The construction gives up rather than examine more windows than this.
MAX_WINDOWS = 200_000


def _order(profile: Ints) -> Ints:
    """The volunteers in stride order: the j-th of a profile of m volunteers at (j + 1/2) / m,
    ties by profile, then by pool order."""
    n = profile.size
    counts = np.bincount(profile)
    rank = np.empty(n, dtype=np.int64)
    order_by_profile = np.argsort(profile, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank[order_by_profile] = np.arange(n) - np.repeat(starts, counts)
    position = (rank + 0.5) / counts[profile]
    order: Ints = np.lexsort((np.arange(n), profile, position)).astype(np.int64)
    return order


def _apart(order: Ints, profile: Ints, household: Ints, k: int) -> Ints:
    """``order`` with every household's members at least ``k`` apart on the circle, so that no
    window holds two of them: a member too close to another is swapped with a volunteer of the
    same profile who lives alone, placed where it is far from the household's others (a swap
    within a profile changes no window's composition)."""
    n = order.size
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    alone_of = {int(p): np.flatnonzero((profile == p) & (household < 0)) for p in
                np.unique(profile[household >= 0])}
    for h in range(int(household.max()) + 1 if n else 0):
        members = np.flatnonzero(household == h)
        for i, m in enumerate(members[1:], start=1):
            others = position[members[:i]]
            gap = np.abs(others - position[m])
            if np.minimum(gap, n - gap).min() >= k:
                continue
            candidates = alone_of.get(int(profile[m]), np.zeros(0, dtype=np.int64))
            if candidates.size == 0:
                return order
            where = position[candidates]
            gaps = np.abs(where[:, None] - position[members][None, :])
            far = np.minimum(gaps, n - gaps).min(axis=1)
            best = int(np.argmax(far))
            if far[best] < k:
                return order
            swap = int(candidates[best])
            position[m], position[swap] = position[swap], position[m]
    out = np.empty(n, dtype=np.int64)
    out[position] = np.arange(n)
    return out


def uniform_panels(inst: Instance) -> list[Ints] | None:
    """Panels (counts per type) whose uniform mixture selects every volunteer with probability
    k/n, or ``None`` when the quotas rule that out or the construction does not find one."""
    n, k = inst.pool.size, inst.size
    if n == 0 or k == 0 or k > n:
        return None
    person_incidence = inst.incidence[:, inst.type_of]  # (quotas, people)
    expected = k * person_incidence.sum(axis=1) / n
    if np.any(expected < inst.lower - 1e-9) or np.any(expected > inst.upper + 1e-9):
        return None
    g = math.gcd(n, k)
    if n // g > MAX_WINDOWS:
        return None
    _, inverse = np.unique(person_incidence.T, axis=0, return_inverse=True)
    profile = inverse.ravel().astype(np.int64)
    household = np.full(n, -1, dtype=np.int64)
    for h, members in enumerate(inst.household_groups):
        household[members] = h
    order = _order(profile)
    if inst.household_groups:
        order = _apart(order, profile, household, k)
    circle = np.concatenate((order, order[:k]))
    # Counts of every quota's value in every window, from prefix sums along the circle.
    prefix = np.zeros((person_incidence.shape[0], circle.size + 1))
    np.cumsum(person_incidence[:, circle], axis=1, out=prefix[:, 1:])
    starts = np.arange(0, n, g)
    counts = np.rint(prefix[:, starts + k] - prefix[:, starts]).astype(np.int64)
    if np.any(counts < inst.lower[:, None]) or np.any(counts > inst.upper[:, None]):
        return None
    panels: list[Ints] = []
    for s in starts:
        people = circle[s : s + k]
        homes = household[people]
        homes = homes[homes >= 0]
        if homes.size and np.bincount(homes).max() > 1:
            return None
        panels.append(np.bincount(inst.type_of[people], minlength=inst.ntypes).astype(np.int64))
    return panels


def counting_bound(sizes: NDArray[np.float64], fixed: NDArray[np.bool_],
                   levels: NDArray[np.float64], k: int) -> float:
    """The highest level the volunteers not yet fixed could all reach: what the fixed ones leave
    of k, shared equally."""
    rest = float(sizes[~fixed].sum())
    if rest == 0:
        return math.inf
    return (k - float(np.dot(sizes[fixed], levels[fixed]))) / rest
