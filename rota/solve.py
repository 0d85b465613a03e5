"""The rota solver: who sits in which seat in which slot.

Hard rules: every seat is filled in every slot by exactly one of its own sharers; each member sits
exactly once per cycle (a fortnight; four weeks for youth seats); no one sits when unavailable;
published slots are pinned.  Soft goals, weighted: preferences met; unpopular slots (evenings,
Saturdays) rotated fairly using history; stability (few moves when re-solving); each group present
in every slot in proportion to its share of the seats, within one person (where feasible).

Method (chosen by measurement, issue 5): the hard rules decompose by seat and cycle into small
assignment problems (sharers x slots), solved exactly by ``scipy.optimize.linear_sum_assignment``.
The group-balance constraints couple the seats; they are priced in by Lagrangian relaxation
(subgradient steps on one price per group and slot), and what the prices leave unbalanced is
repaired by swaps inside a seat.  Because each seat's assignment polytope is integral, the best
Lagrangian value is the LP bound (Geoffrion 1974); the gap to it is reported with every solve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from rota.errors import RotaError
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
    window: int  # first fortnight of the window
    rows: Ints  # member indices
    cols: Ints  # slot indices
    cost: Floats  # rows x cols


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
    seconds: float
    iterations: int
    counts: Ints  # (groups, slots) members of each group sitting
    lower: Ints
    upper: Ints
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def gap(self) -> float:
        """Relative gap between the objective and the LP (Lagrangian) bound."""
        return (self.objective - self.bound) / max(abs(self.bound), 1.0)

    def sitting(self, slot: int) -> dict[str, str]:
        """Seat -> member id sitting in ``slot``."""
        out = {}
        for m, member in enumerate(self.problem.members):
            if slot in self.slot_of[m]:
                out[member.seat] = member.id
        return out


def window_starts(problem: RotaProblem, cycle: int) -> range:
    return range(0, problem.calendar.fortnights - cycle + 1, cycle)


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
    fort = np.array([s.fortnight for s in cal.slots], dtype=np.int64)
    by_seat: dict[str, list[int]] = {}
    for i, m in enumerate(problem.members):
        by_seat.setdefault(m.seat, []).append(i)
    out: list[Block] = []
    for seat, idx in by_seat.items():
        members = np.asarray(idx, dtype=np.int64)
        cycle = problem.members[idx[0]].cycle
        for w in window_starts(problem, cycle):
            slots = np.flatnonzero((fort >= w) & (fort < w + cycle))
            pinned = problem.pinned[members, w]
            rows = members[pinned < 0]
            cols = np.setdiff1d(slots, pinned[pinned >= 0])
            cost = base[np.ix_(rows, cols)].copy()
            prev = problem.previous[rows, w]
            moved = (prev[:, None] >= 0) & (prev[:, None] != cols[None, :])
            cost += problem.weights.stability * moved
            out.append(Block(seat, w, rows, cols, cost))
    return out


def _assign(cost: Floats) -> tuple[Ints, Ints]:
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
        return r[keep].astype(np.int64), c[keep].astype(np.int64)
    r, c = linear_sum_assignment(cost)
    return r.astype(np.int64), c.astype(np.int64)


def group_targets(problem: RotaProblem) -> tuple[Ints, Ints, Ints]:
    """Per group and slot, the band [lower, upper] of members that keeps each group within one
    person of its share of the seats; returns (group of each member, lower, upper)."""
    groups = problem.groups
    gi = {g: i for i, g in enumerate(groups)}
    group_of = np.array([gi[m.group] for m in problem.members], dtype=np.int64)
    by_seat: dict[str, list[int]] = {}
    for i, m in enumerate(problem.members):
        by_seat.setdefault(m.seat, []).append(i)
    share = np.zeros(len(groups))
    for idx in by_seat.values():
        share += np.bincount(group_of[idx], minlength=len(groups)) / len(idx)
    S = len(problem.calendar.slots)
    lower = np.repeat(np.ceil(share - 1 - 1e-9).clip(0).astype(np.int64)[:, None], S, axis=1)
    upper = np.repeat(np.floor(share + 1 + 1e-9).astype(np.int64)[:, None], S, axis=1)
    return group_of, lower, upper


def solve(
    problem: RotaProblem,
    *,
    iterations: int = 25,
    passes: int = 40,
    max_kicks: int = 8,
    time_limit: float = 60.0,
) -> Rota:
    """Solve the rota (see the module docstring for the method)."""
    start = time.perf_counter()
    blks = blocks(problem)
    group_of, lower, upper = group_targets(problem)
    G, S = lower.shape
    M, W = len(problem.members), problem.windows
    pinned_cost = _pinned_cost(problem)
    pinned_counts = _pinned_counts(problem, group_of, G, S)

    # 1. The Lagrangian dual: its best value is a lower bound on any rota (the LP bound at the
    #    optimal prices).  Prices move by diminishing subgradient steps.
    plus = np.zeros((G, S))
    minus = np.zeros((G, S))
    bound = -np.inf
    best_price = np.zeros((G, S))
    first: list[tuple[Ints, Ints]] = []
    last: list[tuple[Ints, Ints]] = []
    done = 0
    for it in range(iterations):
        done = it + 1
        price = plus - minus
        counts = pinned_counts.copy()
        priced_total = 0.0
        last = []
        for b in blks:
            priced = b.cost + price[group_of[b.rows]][:, b.cols]
            r, c = _assign(priced)
            last.append((r, c))
            if it == 0:
                first.append((r, c))
            priced_total += float(priced[r, c].sum())
            np.add.at(counts, (group_of[b.rows[r]], b.cols[c]), 1)
        value = priced_total + pinned_cost - float((plus * upper).sum())
        value += float((minus * lower).sum())
        if value > bound:
            bound, best_price = value, price
        over = counts - upper
        under = lower - counts
        if not (over > 0).any() and not (under > 0).any():
            break
        if time.perf_counter() - start > time_limit / 4:
            break
        step = 0.02 / np.sqrt(it + 1)
        plus = np.clip(plus + step * over, 0, None)
        minus = np.clip(minus + step * under, 0, None)

    # 2. A primal rota: from an assignment of step 1, re-solve one mixed seat at a time against
    #    the rest of the chamber, charging each placement its exact change in group-balance
    #    violation (a seat puts at most one member in a slot, so the change is exact per cell).
    #    Both the unpriced and the last priced assignments are tried; the cheaper balanced wins.
    mixed = [k for k, b in enumerate(blks) if np.unique(group_of[b.rows]).size > 1]
    priced_blks = [replace(b, cost=b.cost + best_price[group_of[b.rows]][:, b.cols]) for b in blks]
    candidates = [
        _balance(blks, list(first), mixed, group_of, lower, upper, pinned_counts, passes),
        _balance(blks, list(last), mixed, group_of, lower, upper, pinned_counts, passes),
        _balance(
            blks,
            _balance(priced_blks, list(last), mixed, group_of, lower, upper, pinned_counts, passes),
            mixed,
            group_of,
            lower,
            upper,
            pinned_counts,
            passes,
        ),
    ]

    def score(a: list[tuple[Ints, Ints]]) -> tuple[int, float]:
        return _score(blks, a, group_of, lower, upper, pinned_counts)

    assignment = min(candidates, key=score)
    # 3. Iterated local search, within the time budget: send a tenth of the mixed seats back to
    #    their cheapest unbalanced assignment, re-balance, keep the result if it is better.
    #    (Seeded from the problem size, so the same problem always gives the same rota.)
    rng = np.random.default_rng(len(blks) * 7919 + S)
    best_score = score(assignment)
    kicks = 0
    optimal = best_score[0] == 0 and best_score[1] + pinned_cost <= bound + 1e-9
    while (
        mixed and not optimal and kicks < max_kicks and time.perf_counter() - start < time_limit / 2
    ):
        kicks += 1
        trial = list(assignment)
        for k in rng.choice(mixed, max(1, len(mixed) // 10), replace=False):
            trial[int(k)] = first[int(k)]
        trial = _balance(blks, trial, mixed, group_of, lower, upper, pinned_counts, passes)
        trial_score = score(trial)
        if trial_score < best_score:
            assignment, best_score = trial, trial_score
            optimal = best_score[0] == 0 and best_score[1] + pinned_cost <= bound + 1e-9

    slot_of = np.full((M, W), -1, dtype=np.int64)
    m_pin, w_pin = np.nonzero(problem.pinned >= 0)
    slot_of[m_pin, w_pin] = problem.pinned[m_pin, w_pin]
    for b, (r, c) in zip(blks, assignment, strict=True):
        slot_of[b.rows[r], b.window] = b.cols[c]
    slot_of = repair(problem, slot_of, group_of, lower, upper)
    return measure(problem, slot_of, bound, time.perf_counter() - start, done)


def _score(
    blks: list[Block],
    assignment: list[tuple[Ints, Ints]],
    group_of: Ints,
    lower: Ints,
    upper: Ints,
    pinned_counts: Ints,
) -> tuple[int, float]:
    counts = pinned_counts.copy()
    cost = 0.0
    for b, (r, c) in zip(blks, assignment, strict=True):
        np.add.at(counts, (group_of[b.rows[r]], b.cols[c]), 1)
        cost += float(b.cost[r, c].sum())
    over = np.clip(counts - upper, 0, None).sum() + np.clip(lower - counts, 0, None).sum()
    return int(over), cost


def _balance(
    blks: list[Block],
    assignment: list[tuple[Ints, Ints]],
    mixed: list[int],
    group_of: Ints,
    lower: Ints,
    upper: Ints,
    pinned_counts: Ints,
    passes: int,
) -> list[tuple[Ints, Ints]]:
    """Block coordinate descent on cost + BALANCE x violations, seat by seat, to a fixed point."""
    counts = pinned_counts.copy()
    for b, (r, c) in zip(blks, assignment, strict=True):
        np.add.at(counts, (group_of[b.rows[r]], b.cols[c]), 1)
    for _ in range(passes):
        changed = False
        for k in mixed:
            b = blks[k]
            r, c = assignment[k]
            g_rows = group_of[b.rows]
            np.add.at(counts, (g_rows[r], b.cols[c]), -1)
            rest = counts[:, b.cols]  # (groups, block slots)
            lo, hi = lower[:, b.cols], upper[:, b.cols]
            now = np.clip(rest - hi, 0, None) + np.clip(lo - rest, 0, None)
            after = np.clip(rest + 1 - hi, 0, None) + np.clip(lo - rest - 1, 0, None)
            marginal = (after - now)[g_rows, :]  # (rows, block slots)
            r2, c2 = _assign(b.cost + BALANCE * marginal)
            if not (np.array_equal(r2, r) and np.array_equal(c2, c)):
                changed = True
            assignment[k] = (r2, c2)
            np.add.at(counts, (g_rows[r2], b.cols[c2]), 1)
        # Passes go on after the last violation is gone: each re-solve can then only lower the
        # cost while keeping the balance, until no seat changes.
        if not changed:
            break
    return assignment


def _pinned_counts(problem: RotaProblem, group_of: Ints, G: int, S: int) -> Ints:
    counts = np.zeros((G, S), dtype=np.int64)
    m, w = np.nonzero(problem.pinned >= 0)
    np.add.at(counts, (group_of[m], problem.pinned[m, w]), 1)
    return counts


def _pinned_cost(problem: RotaProblem) -> float:
    base = base_costs(problem)
    m, w = np.nonzero(problem.pinned >= 0)
    return float(base[m, problem.pinned[m, w]].sum())


def member_cost(problem: RotaProblem, base: Floats, m: int, w: int, slot: int) -> float:
    """The cost of member ``m`` sitting in ``slot`` in the window starting at fortnight ``w``."""
    prev = problem.previous[m, w]
    moved = prev >= 0 and prev != slot
    return float(base[m, slot]) + (problem.weights.stability if moved else 0.0)


def repair(problem: RotaProblem, slot_of: Ints, group_of: Ints, lower: Ints, upper: Ints) -> Ints:
    """Swap sharers of one seat between two slots while that reduces the group-balance
    violations, choosing each time the swap that costs least."""
    slot_of = slot_of.copy()
    base = base_costs(problem)
    G, S = lower.shape
    counts = np.zeros((G, S), dtype=np.int64)
    m_idx, w_idx = np.nonzero(slot_of >= 0)
    np.add.at(counts, (group_of[m_idx], slot_of[m_idx, w_idx]), 1)
    seat_window: dict[tuple[str, int], list[int]] = {}
    for m, w in zip(m_idx.tolist(), w_idx.tolist(), strict=True):
        seat_window.setdefault((problem.members[m].seat, w), []).append(m)

    def excess(g: int, t: int, delta: int) -> int:
        c = int(counts[g, t]) + delta
        return max(c - int(upper[g, t]), 0) + max(int(lower[g, t]) - c, 0)

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
                    cost = member_cost(problem, base, a, w, tb) + member_cost(
                        problem, base, b, w, t
                    )
                    cost -= member_cost(problem, base, a, w, t) + member_cost(
                        problem, base, b, w, tb
                    )
                    move = (cost - 1000.0 * (before - after), a, b, w)
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
    G, S = lower.shape
    base = base_costs(problem)
    counts = np.zeros((G, S), dtype=np.int64)
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
    violations = int(
        np.clip(counts - upper, 0, None).sum() + np.clip(lower - counts, 0, None).sum()
    )
    notes = []
    if unavailable:
        notes.append(f"{unavailable} members are rostered when unavailable (no other way exists)")
    return Rota(
        problem=problem,
        slot_of=slot_of,
        objective=objective - FORBIDDEN * unavailable,
        bound=bound - FORBIDDEN * unavailable,
        violations=violations,
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
