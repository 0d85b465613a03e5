"""The rota solver: who sits in which seat in which slot.

Hard rules: every seat is filled in every slot by exactly one of its own sharers; each member sits
exactly once per cycle (on the national pattern a fortnight; youth seats every other cycle, four
weeks); no one sits when unavailable; published slots are pinned.  Soft goals, weighted:
preferences met; unpopular slots (evenings, Saturdays) rotated fairly using history; stability
(few moves when re-solving); each group present in every slot in proportion to its share of the
seats, within one person (where feasible).

Method (chosen by measurement, issue 5): the hard rules decompose by seat and cycle into small
assignment problems (sharers x slots), solved exactly by ``scipy.optimize.linear_sum_assignment``.
The group-balance constraints couple the seats; they are priced in by Lagrangian relaxation
(subgradient steps on one price per group and slot), and what the prices leave unbalanced is
repaired by swaps inside a seat.  Each seat's assignment polytope is integral, so the best
Lagrangian value tends to the LP bound (Geoffrion 1974, "Lagrangean relaxation for integer
programming"); the best value found within the step budget is reported as ``bound`` with every
solve.

Every phase stops on a count of steps, never on the clock: the same problem gives the same rota
on any machine.  The time taken is measured and reported, and nothing else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from rota.assignment import (
    BALANCE,
    EMPTY,
    FORBIDDEN,
    Block,
    Floats,
    Ints,
    assign,
    base_costs,
    blocks,
    group_targets,
    violations,
    window_starts,
)
from rota.errors import RotaError
from rota.measure import Rota, measure, member_cost, repair
from rota.model import RotaProblem

__all__ = [
    "BALANCE",
    "EMPTY",
    "FORBIDDEN",
    "ITERATIONS",
    "MAX_KICKS",
    "PASSES",
    "Block",
    "Floats",
    "Ints",
    "Rota",
    "base_costs",
    "blocks",
    "group_targets",
    "measure",
    "member_cost",
    "repair",
    "solve",
    "window_starts",
]

# The step budgets: the counts the solver ran to before they replaced its clock (on the synthetic
# chamber of benchmarks/rota.py the clock never cut a phase short, so its rotas are unchanged).
# `benchmarks/rota.py --sweep` measures each halved and raised; docs/rota.md has the figures.
ITERATIONS = 25  # subgradient steps on the group prices
PASSES = 40  # sweeps over the mixed seats in each balancing
MAX_KICKS = 8  # restarts of the local search

Assignment = list[tuple[Ints, Ints]]  # per block: (rows, columns) of its assignment


@dataclass(frozen=True, slots=True, eq=False)
class _Band:
    """What balancing reads of one mixed seat: its rows' groups (and the same as indices into
    the groups present), its slots, the cells of those groups and slots, and their band."""

    groups: Ints
    local: Ints
    cols: Ints
    cells: tuple[Ints, ...]
    lower: Ints
    upper: Ints


@dataclass(frozen=True, slots=True, eq=False)
class _Chamber:
    """What every phase reads: the blocks, each member's group, the balance band, and what the
    published (pinned) slots already fix."""

    blocks: list[Block]
    group_of: Ints
    lower: Ints
    upper: Ints
    pinned_counts: Ints
    pinned_cost: float
    mixed: list[int]  # blocks whose sharers are of more than one group
    bands: dict[int, _Band]  # of each mixed block

    def counts(self, assignment: Assignment) -> Ints:
        groups, slots = self.pinned_counts.shape
        cells = [
            self.group_of[b.rows[r]] * slots + b.cols[c]
            for b, (r, c) in zip(self.blocks, assignment, strict=True)
        ]
        placed = np.bincount(np.concatenate(cells), minlength=groups * slots)
        return self.pinned_counts + placed.reshape(groups, slots)

    def score(self, assignment: Assignment) -> tuple[int, float]:
        """(violations, cost of the free placements): lower is better, balance first."""
        placed = zip(self.blocks, assignment, strict=True)
        cost = sum(float(b.cost[r, c].sum()) for b, (r, c) in placed)
        return violations(self.counts(assignment), self.lower, self.upper), cost

    def balance(
        self, assignment: Assignment, passes: int, blks: list[Block] | None = None
    ) -> Assignment:
        """Block coordinate descent on cost + BALANCE x violations: each pass re-solves every
        mixed seat against the rest of the chamber, charging each placement its exact change in
        violation (a seat puts at most one member in a slot, so the change is exact per cell).
        Stops at a fixed point or after ``passes`` passes."""
        blks = blks or self.blocks
        assignment = list(assignment)
        counts = self.counts(assignment)
        seats = [(k, blks[k].cost, self.bands[k]) for k in self.mixed]
        for _ in range(passes):
            changed = False
            for k, cost, band in seats:
                r, c = assignment[k]
                counts[band.groups[r], band.cols[c]] -= 1  # one member per slot: no repeats
                rest = counts[band.cells]  # (the seat's groups, its slots)
                # the change in violation of one more member: +1 at or above the band's top,
                # -1 below its bottom (integers: exactly what clipping before and after gives)
                marginal = (rest >= band.upper).view(np.int8) - (rest < band.lower).view(np.int8)
                r2, c2 = assign(cost + BALANCE * marginal[band.local, :])
                if r2.tobytes() != r.tobytes() or c2.tobytes() != c.tobytes():
                    changed = True
                    assignment[k] = r, c = r2, c2
                counts[band.groups[r], band.cols[c]] += 1
            # Passes go on after the last violation is gone: each re-solve can then only lower
            # the cost while keeping the balance, until no seat changes.
            if not changed:
                break
        return assignment


def _band(groups: Ints, cols: Ints, lower: Ints, upper: Ints) -> _Band:
    present, local = np.unique(groups, return_inverse=True)
    cells = np.ix_(present, cols)
    return _Band(groups, local, cols, cells, lower[cells], upper[cells])


def _chamber(problem: RotaProblem) -> _Chamber:
    blks = blocks(problem)
    group_of, lower, upper = group_targets(problem)
    m, w = np.nonzero(problem.pinned >= 0)
    pinned = problem.pinned[m, w]
    pinned_counts = np.zeros(lower.shape, dtype=np.int64)
    np.add.at(pinned_counts, (group_of[m], pinned), 1)
    mixed = [k for k, b in enumerate(blks) if np.unique(group_of[b.rows]).size > 1]
    return _Chamber(
        blocks=blks,
        group_of=group_of,
        lower=lower,
        upper=upper,
        pinned_counts=pinned_counts,
        pinned_cost=float(base_costs(problem)[m, pinned].sum()),
        mixed=mixed,
        bands={k: _band(group_of[blks[k].rows], blks[k].cols, lower, upper) for k in mixed},
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Prices:
    """The outcome of the Lagrangian phase."""

    bound: float
    price: Floats  # (groups, slots): the prices of the best bound
    first: Assignment  # the unpriced assignment (each seat on its own)
    last: Assignment  # the assignment under the last prices
    steps: int


def _lagrangian(ch: _Chamber, iterations: int) -> _Prices:
    """Up to ``iterations`` subgradient steps on one price per group and slot, with diminishing
    step sizes; the best priced value is a lower bound on any rota.  Stops early when an
    assignment is already inside the band."""
    lower, upper = ch.lower, ch.upper
    plus = np.zeros(lower.shape)
    minus = np.zeros(lower.shape)
    bound = -np.inf
    best_price = np.zeros(lower.shape)
    first: Assignment = []
    last: Assignment = []
    steps = 0
    for it in range(iterations):
        steps = it + 1
        price = plus - minus
        priced_total = 0.0
        last = []
        for b in ch.blocks:
            priced = b.cost + price[np.ix_(ch.group_of[b.rows], b.cols)]
            r, c = assign(priced)
            last.append((r, c))
            priced_total += float(priced[r, c].sum())
        if it == 0:
            first = list(last)
        counts = ch.counts(last)
        value = priced_total + ch.pinned_cost - float((plus * upper).sum())
        value += float((minus * lower).sum())
        if value > bound:
            bound, best_price = value, price
        over = counts - upper
        under = lower - counts
        if not (over > 0).any() and not (under > 0).any():
            break
        step = 0.02 / np.sqrt(it + 1)
        plus = np.clip(plus + step * over, 0, None)
        minus = np.clip(minus + step * under, 0, None)
    return _Prices(float(bound), best_price, first, last, steps)


def _local_search(
    ch: _Chamber,
    start: Assignment,
    first: Assignment,
    bound: float,
    passes: int,
    max_kicks: int,
    seed: int,
) -> Assignment:
    """Iterated local search: send a tenth of the mixed seats back to their cheapest unbalanced
    assignment, re-balance, keep the result if it is better; ``max_kicks`` times at most, or
    until the rota meets the bound."""
    rng = np.random.default_rng(seed)
    best, best_score = start, ch.score(start)

    def optimal(score: tuple[int, float]) -> bool:
        return score[0] == 0 and score[1] + ch.pinned_cost <= bound + 1e-9

    kicks = 0
    while ch.mixed and not optimal(best_score) and kicks < max_kicks:
        kicks += 1
        trial = list(best)
        for k in rng.choice(ch.mixed, max(1, len(ch.mixed) // 10), replace=False):
            trial[int(k)] = first[int(k)]
        trial = ch.balance(trial, passes)
        trial_score = ch.score(trial)
        if trial_score < best_score:
            best, best_score = trial, trial_score
    return best


def solve(
    problem: RotaProblem,
    *,
    iterations: int = ITERATIONS,
    passes: int = PASSES,
    max_kicks: int = MAX_KICKS,
) -> Rota:
    """Solve the rota (see the module docstring for the method).

    The work is bounded by steps, not seconds, so the result depends only on the problem and
    these budgets:

    - ``iterations``: subgradient steps on the group prices (the Lagrangian bound; fewer steps
      give a weaker bound and worse starting points);
    - ``passes``: sweeps over the mixed seats in each balancing (a balancing stops earlier when no
      seat changes);
    - ``max_kicks``: restarts of the local search after the first balanced rota (it stops earlier
      when the rota meets the bound).
    """
    if iterations < 1 or passes < 0 or max_kicks < 0:
        raise RotaError("the solver needs at least one price step and no negative budget")
    start = time.perf_counter()
    ch = _chamber(problem)
    prices = _lagrangian(ch, iterations)

    # A primal rota from both the unpriced and the last priced assignments of the Lagrangian
    # phase, and from the last one balanced under the best prices first: the best one wins.
    priced = [
        replace(b, cost=b.cost + prices.price[ch.group_of[b.rows]][:, b.cols]) for b in ch.blocks
    ]
    candidates = [
        ch.balance(prices.first, passes),
        ch.balance(prices.last, passes),
        ch.balance(ch.balance(prices.last, passes, priced), passes),
    ]
    best = min(candidates, key=ch.score)
    # Seeded from the problem size, so the same problem always gives the same rota.
    seed = len(ch.blocks) * 7919 + ch.lower.shape[1]
    best = _local_search(ch, best, prices.first, prices.bound, passes, max_kicks, seed)

    M, W = len(problem.members), problem.windows
    slot_of = np.full((M, W), -1, dtype=np.int64)
    m_pin, w_pin = np.nonzero(problem.pinned >= 0)
    slot_of[m_pin, w_pin] = problem.pinned[m_pin, w_pin]
    for b, (r, c) in zip(ch.blocks, best, strict=True):
        slot_of[b.rows[r], b.window] = b.cols[c]
    slot_of = repair(problem, slot_of, ch.group_of, ch.lower, ch.upper)
    return measure(problem, slot_of, prices.bound, time.perf_counter() - start, prices.steps)
