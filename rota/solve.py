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
MAX_KICKS = 5  # restarts of the local search

Assignment = list[tuple[Ints, Ints]]  # per block: (rows, columns) of its assignment


@dataclass(frozen=True, slots=True, eq=False)
class _Band:
    """What balancing reads of one mixed seat: for each of its sharers in each of its slots,
    the (group, slot) cell as an index into the flattened counts, and that cell's band."""

    cells: Ints  # (rows, cols)
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
    cells: list[Ints]  # of each block: (rows, cols) the (group, slot) cell, flattened

    def counts(self, assignment: Assignment) -> Ints:
        groups, slots = self.pinned_counts.shape
        cells = [g[r, c] for g, (r, c) in zip(self.cells, assignment, strict=True)]
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
        counts = self.counts(assignment).ravel()
        # each placement's cost plus BALANCE times its change in violation: +1 at or above the
        # band's top, -1 below its bottom (integers: exactly what clipping before and after
        # gives; the band's bottom is never above its top, so at most one applies)
        seats = [
            (k, cost, cost + BALANCE, cost - BALANCE, self.bands[k])
            for k in self.mixed
            for cost in (blks[k].cost,)
        ]
        for _ in range(passes):
            changed = False
            for k, cost, over, under, band in seats:
                r, c = assignment[k]
                mine = band.cells[r, c]
                counts[mine] -= 1  # one member per slot: no repeats
                rest = counts[band.cells]  # (the seat's sharers, its slots)
                charged = np.where(
                    rest >= band.upper, over, np.where(rest < band.lower, under, cost)
                )
                r2, c2 = assign(charged)
                if r2.tobytes() != r.tobytes() or c2.tobytes() != c.tobytes():
                    changed = True
                    assignment[k] = r2, c2
                    mine = band.cells[r2, c2]
                counts[mine] += 1
            # Passes go on after the last violation is gone: each re-solve can then only lower
            # the cost while keeping the balance, until no seat changes.
            if not changed:
                break
        return assignment


def _chamber(problem: RotaProblem) -> _Chamber:
    blks = blocks(problem)
    group_of, lower, upper = group_targets(problem)
    m, w = np.nonzero(problem.pinned >= 0)
    pinned = problem.pinned[m, w]
    pinned_counts = np.zeros(lower.shape, dtype=np.int64)
    np.add.at(pinned_counts, (group_of[m], pinned), 1)
    mixed = [k for k, b in enumerate(blks) if np.unique(group_of[b.rows]).size > 1]
    slots = lower.shape[1]
    cells = [group_of[b.rows][:, None] * slots + b.cols[None, :] for b in blks]
    flat_lower, flat_upper = lower.ravel(), upper.ravel()
    return _Chamber(
        blocks=blks,
        group_of=group_of,
        lower=lower,
        upper=upper,
        pinned_counts=pinned_counts,
        pinned_cost=float(base_costs(problem)[m, pinned].sum()),
        mixed=mixed,
        bands={k: _Band(cells[k], flat_lower[cells[k]], flat_upper[cells[k]]) for k in mixed},
        cells=cells,
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
    assignment is already inside the band.

    A seat of one group with as many sharers as slots puts one member of that group in every
    slot whatever the prices, which add the same amount to each of its assignments: its
    unpriced optimum is its priced optimum at every step, so it is solved once, and under the
    last prices once more, so that ties fall as they would have (issue 22: four seats in five
    of the full chamber)."""
    lower, upper = ch.lower, ch.upper
    mixed = set(ch.mixed)
    invariant = {
        k: assign(b.cost)
        for k, b in enumerate(ch.blocks)
        if k not in mixed and b.cost.shape[0] == b.cost.shape[1]
    }
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
        flat_price = price.ravel()
        for k, (b, cells) in enumerate(zip(ch.blocks, ch.cells, strict=True)):
            priced = b.cost + flat_price[cells]
            r, c = invariant[k] if k in invariant else assign(priced)
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
    if steps > 1:  # (the last prices are still flat_price)
        for k in invariant:
            last[k] = assign(ch.blocks[k].cost + flat_price[ch.cells[k]])
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
