"""The hard rules as independent assignment problems, one per seat and cycle window, and the
group-balance band that couples them.

Every seat is filled in every slot by exactly one of its own sharers, and each sharer sits exactly
once per cycle: for one seat and one window that is an assignment problem (sharers x slots),
solved exactly by ``scipy.optimize.linear_sum_assignment``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from rota.model import RotaProblem

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
FORBIDDEN = 1e6  # cost of an unavailable slot: never chosen while any other way exists
EMPTY = 1e5  # cost of leaving a member without a slot (more sharers than slots)
BALANCE = 1e3  # cost of one unit of group-balance violation, while balancing


@dataclass(frozen=True, slots=True, eq=False)
class Block:
    """One seat for one cycle window: its free sharers and free slots, with their base costs."""

    seat: str
    window: int  # first cycle of the window
    rows: Ints  # member indices
    cols: Ints  # slot indices
    cost: Floats  # rows x cols


def window_starts(problem: RotaProblem, cycle: int) -> range:
    """The first cycle of each window of a member who sits every ``cycle`` cycles."""
    return range(0, problem.calendar.cycles - cycle + 1, cycle)


def sharers_by_seat(problem: RotaProblem) -> dict[str, list[int]]:
    """Seat -> indices of its sharers, in member order."""
    by_seat: dict[str, list[int]] = {}
    for i, m in enumerate(problem.members):
        by_seat.setdefault(m.seat, []).append(i)
    return by_seat


def base_costs(problem: RotaProblem) -> Floats:
    """Member x slot cost of the soft goals except stability and group balance."""
    w = problem.weights
    slots = problem.calendar.slots
    kind = np.array([s.kind for s in slots], dtype=np.int64)
    degree = np.array([s.unpopularity for s in slots], dtype=np.float64)
    # each unpopular kind rotates on its own: a member who has had Saturday evenings pays for
    # another Saturday evening, not for a weekday evening
    served = np.where(kind >= 0, problem.unpopular_history[:, np.clip(kind, 0, None)], 0)
    cost = w.preference * problem.preference_cost
    cost = cost + w.fairness * served * degree[None, :]
    return np.where(problem.unavailable, FORBIDDEN, cost)


def blocks(problem: RotaProblem) -> list[Block]:
    """The independent assignment problems, with pinned members and slots taken out."""
    cal = problem.calendar
    base = base_costs(problem)
    cycle_of = np.array([s.cycle for s in cal.slots], dtype=np.int64)
    out: list[Block] = []
    for seat, idx in sharers_by_seat(problem).items():
        members = np.asarray(idx, dtype=np.int64)
        cycle = problem.members[idx[0]].cycle
        for w in window_starts(problem, cycle):
            slots = np.flatnonzero((cycle_of >= w) & (cycle_of < w + cycle))
            pinned = problem.pinned[members, w]
            rows = members[pinned < 0]
            cols = np.setdiff1d(slots, pinned[pinned >= 0])
            cost = base[np.ix_(rows, cols)].copy()
            prev = problem.previous[rows, w]
            moved = (prev[:, None] >= 0) & (prev[:, None] != cols[None, :])
            cost += problem.weights.stability * moved
            out.append(Block(seat, w, rows, cols, cost))
    return out


def assign(cost: Floats) -> tuple[Ints, Ints]:
    """Rows and columns of a minimum-cost assignment.  With more sharers than slots (a day with
    no sitting) some sharers stay out at cost EMPTY each; with more slots than sharers some
    slots stay empty, also at EMPTY: both are reported, never hidden."""
    n, m = cost.shape
    if n != m:
        k = max(n, m)
        square = np.full((k, k), EMPTY)
        square[:n, :m] = cost
        r, c = linear_sum_assignment(square)
        keep = (r < n) & (c < m)
        return r[keep].astype(np.int64, copy=False), c[keep].astype(np.int64, copy=False)
    r, c = linear_sum_assignment(cost)
    return r.astype(np.int64, copy=False), c.astype(np.int64, copy=False)


def group_targets(problem: RotaProblem) -> tuple[Ints, Ints, Ints]:
    """Per group and slot, the band [lower, upper] of members that keeps each group within one
    person of its share of the seats; returns (group of each member, lower, upper)."""
    groups = problem.groups
    gi = {g: i for i, g in enumerate(groups)}
    group_of = np.array([gi[m.group] for m in problem.members], dtype=np.int64)
    share = np.zeros(len(groups))
    for idx in sharers_by_seat(problem).values():
        share += np.bincount(group_of[idx], minlength=len(groups)) / len(idx)
    S = len(problem.calendar.slots)
    lower = np.repeat(np.ceil(share - 1 - 1e-9).clip(0).astype(np.int64)[:, None], S, axis=1)
    upper = np.repeat(np.floor(share + 1 + 1e-9).astype(np.int64)[:, None], S, axis=1)
    return group_of, lower, upper


def violations(counts: Ints, lower: Ints, upper: Ints) -> int:
    """Group-balance units outside the band, summed over groups and slots."""
    return int(np.clip(counts - upper, 0, None).sum() + np.clip(lower - counts, 0, None).sum())
