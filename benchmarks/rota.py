"""Benchmark the rota solver on the full chamber over four fortnights, against the LP bound (HiGHS).

Run from the repository root (``make bench`` runs it without options):

    .venv/bin/python benchmarks/rota.py            # everything, including the exact LP bound
    .venv/bin/python benchmarks/rota.py --quick    # no exact LP, 4 fortnights of fairness
    .venv/bin/python benchmarks/rota.py --sweep    # the solver under smaller and larger budgets

The chamber: 450 fortnightly seats x 24 sharers (7 parties holding party seats, 100 local seats
shared across party groups and independents, faith, jury, experts, organisations, assemblies) and
50 youth seats x 48 sharers who sit once in four weeks, some members preferring mornings or
avoiding Saturdays, solved over four fortnights at 30% and at 45% random unavailability.
Measured: solve time; the objective against the exact LP relaxation solved by HiGHS (the seats
of one group add the same one member to every slot, so their part of the LP is their assignment
optimum and the LP proper holds the mixed seats); the solver's own Lagrangian bound printed
beside it, which is a lower bound no higher than the LP's and is not the LP; group-balance
violations; the hard rules re-checked here from the problem, not by the solver's own measure;
then, on one fortnight, moves
after 5% of members mark new unavailability, the time of a swap check, and fairness (the most
late Saturdays any member serves over 12 fortnights, solved fortnight by fortnight with history).
The solver runs on its default step budgets (printed), never on the clock.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import timedelta

import numpy as np
from common import ROOT, Row, report, timed
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix

# This file is named rota too: the repository root goes before benchmarks/ on the path.
sys.path.insert(0, str(ROOT))

from electoral.sortition.panels import new_highs
from rota.calendar import make_calendar
from rota.changes import resolve
from rota.model import RotaProblem
from rota.solve import ITERATIONS, MAX_KICKS, PASSES, blocks, group_targets, solve
from rota.swaps import SwapDesk
from rota.synthetic import chamber_problem


def lp_bound(problem: RotaProblem) -> tuple[float, float]:
    """The exact LP relaxation of the whole rota (every seat, slot and group band) by HiGHS;
    returns its optimum and the seconds it took.  A seat whose sharers are all of one group puts
    one member of that group in each of its slots whatever the assignment, so its part is its
    own assignment optimum and a constant in the bands; the LP proper has the mixed seats."""
    start = time.perf_counter()
    group_of, lower, upper = group_targets(problem)
    _, T = lower.shape
    fixed = np.zeros(lower.shape)
    constant = 0.0
    mixed = []
    for b in blocks(problem):
        n, m = b.cost.shape
        assert n == m, "every seat fills every slot of its window (a square assignment)"
        groups = np.unique(group_of[b.rows])
        if groups.size == 1:
            r, c = linear_sum_assignment(b.cost)
            constant += float(b.cost[r, c].sum())
            fixed[groups[0], b.cols] += 1
        else:
            mixed.append(b)
    rows, cols, costs, lo, hi, groups_at, slots = [], [], [], [], [], [], []
    off = row = 0
    for b in mixed:
        n, m = b.cost.shape
        idx = off + np.arange(n * m).reshape(n, m)
        costs.append(b.cost.ravel())
        groups_at.append(np.repeat(group_of[b.rows], m))
        slots.append(np.tile(b.cols, n))
        rows += [np.repeat(row + np.arange(n), m), np.repeat(row + n + np.arange(m), n)]
        cols += [idx.ravel(), idx.T.ravel()]
        lo += [1.0] * (n + m)
        hi += [1.0] * (n + m)
        row += n + m
        off += n * m
    key = np.concatenate(groups_at) * T + np.concatenate(slots)
    order = np.argsort(key, kind="stable")
    uniq = np.unique(key)
    rows.append(row + np.searchsorted(uniq, key[order]))
    cols.append(order)
    lo += list((lower - fixed).ravel()[uniq])
    hi += list((upper - fixed).ravel()[uniq])
    row += uniq.size
    A = coo_matrix(
        (np.ones(sum(r.size for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(row, off),
    ).tocsr()
    h = new_highs()  # silent, as the draws' models are
    h.addVars(off, np.zeros(off), np.ones(off))
    h.changeColsCost(off, np.arange(off, dtype=np.int32), np.concatenate(costs))
    h.addRows(
        row,
        np.array(lo),
        np.array(hi),
        A.nnz,
        A.indptr.astype(np.int32),
        A.indices.astype(np.int32),
        A.data,
    )
    h.run()
    value = float(h.getInfo().objective_function_value) + constant
    return value, time.perf_counter() - start


def hard_rule_problems(problem: RotaProblem, slot_of: NDArray[np.int64]) -> list[str]:
    """The hard rules checked from the problem alone: every seat's every slot filled by exactly
    one of its sharers; every member once in each window of their cycle, inside it, never when
    unavailable; published slots kept."""
    out: list[str] = []
    cycle_of = np.array([s.cycle for s in problem.calendar.slots])
    S = cycle_of.size
    sitting: dict[str, NDArray[np.int64]] = {}
    for m, member in enumerate(problem.members):
        starts = set(range(0, problem.calendar.cycles - member.cycle + 1, member.cycle))
        for w in range(problem.windows):
            t = int(slot_of[m, w])
            if w not in starts:
                if t != -1:
                    out.append(f"{member.id} has a slot outside their windows (window {w})")
                continue
            if not 0 <= t < S or not w <= cycle_of[t] < w + member.cycle:
                out.append(f"{member.id} has no slot in the window starting at cycle {w}")
                continue
            if problem.unavailable[m, t]:
                out.append(f"{member.id} sits when unavailable (slot {t})")
            if problem.pinned[m, w] >= 0 and problem.pinned[m, w] != t:
                out.append(f"{member.id} was moved from a published slot")
            sitting.setdefault(member.seat, np.zeros(S, dtype=np.int64))[t] += 1
    for seat, counts in sitting.items():
        if not np.all(counts == 1):
            out.append(f"seat {seat}: slots with {sorted(set(counts.tolist()) - {1})} members")
    return out


def fairness(seed: int, fortnights: int, unavailability: float) -> tuple[int, float, float]:
    """Solve fortnight after fortnight, carrying the unpopular-slot history forward; returns the
    most late Saturdays (Saturday 16:00-24:00) any member served, the mean, and the seconds."""
    base = chamber_problem(seed, cycles=1, youth=False, unavailability=unavailability)
    history = np.zeros((len(base.members), 3), dtype=np.int64)
    late = np.zeros(len(base.members), dtype=np.int64)
    rng = np.random.default_rng(seed + 100)
    start = time.perf_counter()
    for f in range(fortnights):
        cal = make_calendar(base.calendar.start + timedelta(days=14 * f), 1)
        problem = replace(
            base,
            calendar=cal,
            unavailable=rng.random(base.unavailable.shape) < unavailability,
            unpopular_history=history.copy(),
        )
        rota = solve(problem)
        for m in range(len(base.members)):
            slot = cal.slots[int(rota.slot_of[m, 0])]
            if slot.kind >= 0:
                history[m, slot.kind] += 1
            late[m] += int(slot.urgent_only)
    return int(late.max()), float(late.mean()), time.perf_counter() - start


def sweep(seed: int, console: Console) -> None:
    """Each step budget halved and raised, the others at their defaults: time, objective and gap
    (to the solver's bound) on the fortnight and on the full chamber with youth seats."""
    problems = {
        "30% unavailable": chamber_problem(seed, cycles=1, youth=False),
        "with youth seats, 4 weeks": chamber_problem(seed, cycles=2, youth=True),
    }
    table = Table(title="Step budgets (iterations, passes, max_kicks)")
    table.add_column("budgets")
    for name in problems:
        table.add_column(name, justify="right")
    budgets = [
        (ITERATIONS, PASSES, MAX_KICKS),
        (ITERATIONS // 2, PASSES, MAX_KICKS),
        (ITERATIONS * 2, PASSES, MAX_KICKS),
        (ITERATIONS, PASSES // 2, MAX_KICKS),
        (ITERATIONS, PASSES * 3 // 2, MAX_KICKS),
        (ITERATIONS, PASSES, MAX_KICKS // 2),
        (ITERATIONS, PASSES, MAX_KICKS * 2),
    ]
    for iterations, passes, kicks in budgets:
        cells = []
        for problem in problems.values():
            t = time.perf_counter()
            rota = solve(problem, iterations=iterations, passes=passes, max_kicks=kicks)
            cells.append(
                f"{time.perf_counter() - t:.2f} s, {rota.objective:.0f} "
                f"(gap {100 * rota.gap:.3f}%, {rota.violations} violations)"
            )
        table.add_row(f"{iterations}, {passes}, {kicks}", *cells)
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="skip the exact LP; 4 fortnights")
    parser.add_argument(
        "--sweep", action="store_true", help="only the solver under smaller and larger budgets"
    )
    args = parser.parse_args(argv)
    console = Console(width=140)
    budgets = f"step budgets: iterations={ITERATIONS}, passes={PASSES}, max_kicks={MAX_KICKS}"
    console.print(budgets, highlight=False)
    if args.sweep:
        sweep(args.seed, console)
        return 0
    rows: list[Row] = []
    for unavailability in (0.3, 0.45):
        problem = chamber_problem(args.seed, cycles=4, youth=True, unavailability=unavailability)
        name = f"{unavailability:.0%} unavailable"
        cpu = time.process_time()
        seconds, rota = timed(lambda p=problem: solve(p))
        cpu = time.process_time() - cpu
        label = f"{len(problem.members):,} members, 4 fortnights, {name}: solve"
        rows.append(Row(label, seconds, "-", None, "<= 8 s", seconds <= 8.0))
        # On a machine shared with other work the wall clock counts the waits for a core too;
        # the CPU time of this process is what the solve itself cost.
        rows.append(Row("  the same solve, CPU time of this process", cpu, "-", None))
        if args.quick:
            gap = rota.gap
            rows.append(
                Row(
                    f"  objective: {100 * gap:.3f}% above the solver's own bound (--quick: no LP)",
                    rota.objective,
                    "the solver's Lagrangian bound",
                    rota.bound,
                    "<= 0.2%",
                    gap <= 0.002,
                    unit="",
                )
            )
        else:
            lp, lp_seconds = lp_bound(problem)
            gap = (rota.objective - lp) / lp
            rows.append(
                Row(
                    f"  objective: {100 * gap:.3f}% above the LP, {lp:,.2f} (the solver's own "
                    f"Lagrangian bound, {rota.bound:,.2f}, is a lower bound, not the LP)",
                    rota.objective,
                    f"exact LP relaxation, HiGHS ({lp_seconds:.1f} s)",
                    lp,
                    "<= 0.2% above",
                    gap <= 0.002,
                    unit="",
                )
            )
        found = hard_rule_problems(problem, rota.slot_of)
        rows.append(
            Row(
                f"  group-balance violations; hard rules re-checked: {len(found)} problems",
                float(rota.violations),
                "-",
                None,
                "0 and 0",
                rota.violations == 0 and not found,
                unit="",
            )
        )
    rows += fortnight_rows(args)
    report(
        "rota", "Rota: the full chamber over four fortnights, and one fortnight", rows, [budgets]
    )
    return 0


def fortnight_rows(args: argparse.Namespace) -> list[Row]:
    """Re-solving after new unavailability, a swap check and fairness, on one fortnight."""
    problem = chamber_problem(args.seed, cycles=1, youth=False)
    rota = solve(problem)
    rng = np.random.default_rng(args.seed + 7)
    unavailable = problem.unavailable.copy()
    marked = rng.choice(len(problem.members), len(problem.members) // 20, replace=False)
    for m in marked:  # each marks a random slot; half of them also their rostered slot
        unavailable[m, int(rng.integers(len(problem.calendar.slots)))] = True
        if rng.random() < 0.5:
            unavailable[m, int(rota.slot_of[m, 0])] = True
    changed = replace(problem, unavailable=unavailable)
    resolve_seconds, (again, changes) = timed(lambda: resolve(rota, changed))
    desk = SwapDesk(rota)
    ids = [m.id for m in problem.members]
    pairs = [(ids[i], ids[i + 1]) for i in range(0, len(ids) - 1, 2)][:5000]
    swap_seconds, _ = timed(lambda: [desk.check(a, b) for a, b in pairs])
    fortnights = 4 if args.quick else 12
    late_max, late_mean, fair_seconds = fairness(args.seed, fortnights, 0.3)
    found = hard_rule_problems(changed, again.slot_of)
    ok = not again.violations and not again.unfilled and not found
    moves = changes.moves_per_displaced
    return [
        Row(
            f"one fortnight: re-solve after 5% mark new unavailability ({len(changes.displaced)} "
            f"displaced, {moves:.2f} moves each; valid: {'yes' if ok else 'no'})",
            resolve_seconds,
            "-",
            None,
            "<= 5 s, <= 2 moves each, valid",
            resolve_seconds <= 5 and moves <= 2 and ok,
        ),
        Row(
            "one fortnight: a swap check",
            swap_seconds / len(pairs),
            "-",
            None,
            "< 1 ms",
            swap_seconds / len(pairs) < 1e-3,
        ),
        Row(
            f"fairness over {fortnights} fortnights: max {late_max} late Saturdays "
            f"(mean {late_mean:.2f})",
            fair_seconds,
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
