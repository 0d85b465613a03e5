"""A solved rota and its measures: the hard rules checked, the soft goals costed, and the swap
repair that brings the groups back inside their balance band."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rota.assignment import (
    BALANCE,
    FORBIDDEN,
    Floats,
    Ints,
    base_costs,
    group_targets,
    violations,
    window_starts,
)
from rota.errors import RotaError
from rota.model import RotaProblem


@dataclass(frozen=True, slots=True, eq=False)
class Rota:
    """A solved rota with its measures."""

    problem: RotaProblem
    slot_of: Ints  # (members, windows): slot index, -1 when none (or not this member's window)
    objective: float
    bound: float
    violations: int  # group-balance units outside the band
    unavailable_assigned: int
    unfilled: tuple[tuple[str, int], ...]  # (seat, slot index) left empty
    without_slot: tuple[tuple[str, int], ...]  # (member id, window) with no slot
    seconds: float  # measured and reported; never used to stop the solver
    iterations: int  # steps of the Lagrangian prices taken
    counts: Ints  # (groups, slots) members of each group sitting
    lower: Ints
    upper: Ints
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def gap(self) -> float:
        """Relative gap between the objective and the solver's Lagrangian bound."""
        return (self.objective - self.bound) / max(abs(self.bound), 1.0)

    def sitting(self, slot: int) -> dict[str, str]:
        """Seat -> member id sitting in ``slot``."""
        out = {}
        for m, member in enumerate(self.problem.members):
            if slot in self.slot_of[m]:
                out[member.seat] = member.id
        return out


def member_cost(problem: RotaProblem, base: Floats, m: int, w: int, slot: int) -> float:
    """The cost of member ``m`` sitting in ``slot`` in the window starting at cycle ``w``."""
    prev = problem.previous[m, w]
    moved = prev >= 0 and prev != slot
    return float(base[m, slot]) + (problem.weights.stability if moved else 0.0)


def group_counts(slot_of: Ints, group_of: Ints, shape: tuple[int, int]) -> Ints:
    """(groups, slots): how many members of each group sit in each slot."""
    counts = np.zeros(shape, dtype=np.int64)
    m_idx, w_idx = np.nonzero(slot_of >= 0)
    np.add.at(counts, (group_of[m_idx], slot_of[m_idx, w_idx]), 1)
    return counts


def repair(problem: RotaProblem, slot_of: Ints, group_of: Ints, lower: Ints, upper: Ints) -> Ints:
    """Swap sharers of one seat between two slots while that reduces the group-balance
    violations, choosing each time the swap that costs least.  At most ten swaps per slot of the
    period: a step budget, so the result never depends on the machine."""
    slot_of = slot_of.copy()
    base = base_costs(problem)
    S = lower.shape[1]
    counts = group_counts(slot_of, group_of, lower.shape)
    seat_window: dict[tuple[str, int], list[int]] = {}
    m_idx, w_idx = np.nonzero(slot_of >= 0)
    for m, w in zip(m_idx.tolist(), w_idx.tolist(), strict=True):
        seat_window.setdefault((problem.members[m].seat, w), []).append(m)

    def excess(g: int, t: int, delta: int) -> int:
        c = int(counts[g, t]) + delta
        return max(c - int(upper[g, t]), 0) + max(int(lower[g, t]) - c, 0)

    def cost(m: int, w: int, t: int) -> float:
        return member_cost(problem, base, m, w, t)

    for _ in range(10 * S):
        bad = np.argwhere((counts > upper) | (counts < lower))
        if bad.size == 0:
            break
        improved = False
        for g, t in bad.tolist():
            best_move: tuple[float, int, int, int] | None = None
            for (_, w), sharers in seat_window.items():
                here = [m for m in sharers if slot_of[m, w] == t]
                if not here:
                    continue
                a = here[0]
                if problem.pinned[a, w] >= 0:
                    continue
                for b in sharers:
                    tb = int(slot_of[b, w])
                    if b == a or problem.pinned[b, w] >= 0:
                        continue
                    ga, gb = int(group_of[a]), int(group_of[b])
                    if ga == gb or problem.unavailable[a, tb] or problem.unavailable[b, t]:
                        continue
                    if ga != g and gb != g:
                        continue
                    before = excess(ga, t, 0) + excess(ga, tb, 0) + excess(gb, t, 0)
                    before += excess(gb, tb, 0)
                    after = excess(ga, t, -1) + excess(ga, tb, 1) + excess(gb, t, 1)
                    after += excess(gb, tb, -1)
                    if after >= before:
                        continue
                    change = cost(a, w, tb) + cost(b, w, t) - (cost(a, w, t) + cost(b, w, tb))
                    move = (change - BALANCE * (before - after), a, b, w)
                    if best_move is None or move < best_move:
                        best_move = move
            if best_move is not None:
                _, a, b, w = best_move
                ta, tb = int(slot_of[a, w]), int(slot_of[b, w])
                slot_of[a, w], slot_of[b, w] = tb, ta
                for m, old, new in ((a, ta, tb), (b, tb, ta)):
                    counts[group_of[m], old] -= 1
                    counts[group_of[m], new] += 1
                improved = True
                break
        if not improved:
            break
    return slot_of


def measure(
    problem: RotaProblem, slot_of: Ints, bound: float, seconds: float, iterations: int
) -> Rota:
    """Check a rota against the hard rules and measure its soft goals."""
    group_of, lower, upper = group_targets(problem)
    S = lower.shape[1]
    base = base_costs(problem)
    counts = np.zeros(lower.shape, dtype=np.int64)
    objective = 0.0
    unavailable = 0
    without: list[tuple[str, int]] = []
    filled: dict[tuple[str, int], int] = {}
    for m, member in enumerate(problem.members):
        for w in window_starts(problem, member.cycle):
            t = int(slot_of[m, w])
            if t < 0:
                without.append((member.id, w))
                continue
            counts[group_of[m], t] += 1
            objective += member_cost(problem, base, m, w, t)
            unavailable += int(problem.unavailable[m, t])
            filled[member.seat, t] = filled.get((member.seat, t), 0) + 1
    seats = problem.seats
    unfilled = tuple((s, t) for s in seats for t in range(S) if filled.get((s, t), 0) == 0)
    doubled = [(s, t) for (s, t), k in filled.items() if k > 1]
    if doubled:
        raise RotaError(f"internal error: two members in one seat and slot: {doubled[:3]}")
    notes = []
    if unavailable:
        notes.append(f"{unavailable} members are rostered when unavailable (no other way exists)")
    return Rota(
        problem=problem,
        slot_of=slot_of,
        objective=objective - FORBIDDEN * unavailable,
        bound=bound - FORBIDDEN * unavailable,
        violations=violations(counts, lower, upper),
        unavailable_assigned=unavailable,
        unfilled=unfilled,
        without_slot=tuple(without),
        seconds=seconds,
        iterations=iterations,
        counts=counts,
        lower=lower,
        upper=upper,
        notes=tuple(notes),
    )
