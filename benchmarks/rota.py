"""Benchmark the rota solver on a seeded chamber of 12,000 members, against the LP bound (HiGHS).

Run from the repository root:

    .venv/bin/python benchmarks/rota.py            # everything, including the exact LP bound
    .venv/bin/python benchmarks/rota.py --quick    # no exact LP, 4 fortnights of fairness
    .venv/bin/python benchmarks/rota.py --sweep    # the solver under smaller and larger budgets

The chamber: 500 seats x 24 sharers (7 parties holding party seats, 100 local seats shared across
party groups and independents, faith, jury, experts, organisations, assemblies), 30% random
unavailability, some members preferring mornings or avoiding Saturdays.  The tight variant has
45% unavailability; the full chamber adds the youth seats (48 sharers each, four-weekly) and is
solved for four weeks.  Measured: solve time, objective, the solver's Lagrangian bound and the
exact LP relaxation solved by HiGHS, the gap to each, group-balance violations, fairness (the
most late Saturdays any member serves over 12 fortnights, solved fortnight by fortnight with
history), moves after 5% of members mark new unavailability, and the time of a swap check.
The solver runs on its default step budgets (printed), never on the clock.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import highspy
import numpy as np
from rich.console import Console
from rich.table import Table
from scipy.sparse import coo_matrix

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rota.calendar import make_calendar  # noqa: E402
from rota.changes import resolve  # noqa: E402
from rota.model import RotaProblem  # noqa: E402
from rota.solve import ITERATIONS, MAX_KICKS, PASSES, blocks, group_targets, solve  # noqa: E402
from rota.swaps import SwapDesk  # noqa: E402
from rota.synthetic import chamber_problem  # noqa: E402


def lp_bound(problem: RotaProblem) -> tuple[float, float]:
    """The exact LP relaxation of the whole rota (every seat, slot and group band) by HiGHS;
    returns its optimum and the seconds it took."""
    blks = blocks(problem)
    group_of, lower, upper = group_targets(problem)
    _, T = lower.shape
    rows, cols, costs, lo, hi, groups, slots = [], [], [], [], [], [], []
    off = row = 0
    for b in blks:
        n, m = b.cost.shape
        idx = off + np.arange(n * m).reshape(n, m)
        costs.append(b.cost.ravel())
        groups.append(np.repeat(group_of[b.rows], m))
        slots.append(np.tile(b.cols, n))
        rows += [np.repeat(row + np.arange(n), m), np.repeat(row + n + np.arange(m), n)]
        cols += [idx.ravel(), idx.T.ravel()]
        lo += [1.0] * (n + m)
        hi += [1.0] * (n + m)
        row += n + m
        off += n * m
    key = np.concatenate(groups) * T + np.concatenate(slots)
    order = np.argsort(key, kind="stable")
    uniq = np.unique(key)
    rows.append(row + np.searchsorted(uniq, key[order]))
    cols.append(order)
    lo += list(lower.ravel()[uniq].astype(float))
    hi += list(upper.ravel()[uniq].astype(float))
    row += uniq.size
    A = coo_matrix(
        (np.ones(sum(r.size for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(row, off),
    ).tocsr()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
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
    t = time.perf_counter()
    h.run()
    return float(h.getInfo().objective_function_value), time.perf_counter() - t


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
    console.print(
        f"step budgets: iterations={ITERATIONS}, passes={PASSES}, max_kicks={MAX_KICKS}",
        highlight=False,
    )
    if args.sweep:
        sweep(args.seed, console)
        return 0
    table = Table(title="Rota: 500 seats, one fortnight (24 slots); with youth seats, four weeks")
    for col in (
        "variant",
        "members",
        "time (s)",
        "steps",
        "objective",
        "bound (ours)",
        "LP bound",
        "gap (ours)",
        "gap (LP)",
        "violations",
        "unfilled",
    ):
        table.add_column(col, justify="left" if col == "variant" else "right")
    results = {}
    variants = (
        ("30% unavailable", 0.3, False, 1),
        ("tight: 45% unavailable", 0.45, False, 1),
        ("with youth seats, 4 weeks", 0.3, True, 2),
    )
    for name, unavailability, youth, fortnights in variants:
        problem = chamber_problem(
            args.seed, cycles=fortnights, youth=youth, unavailability=unavailability
        )
        t = time.perf_counter()
        rota = solve(problem)
        seconds = time.perf_counter() - t
        lp = None if args.quick else lp_bound(problem)[0]
        results[name] = (problem, rota, seconds, lp)
        table.add_row(
            name,
            f"{len(problem.members):,}",
            f"{seconds:.2f}",
            str(rota.iterations),
            f"{rota.objective:.1f}",
            f"{rota.bound:.1f}",
            "-" if lp is None else f"{lp:.1f}",
            f"{100 * rota.gap:.3f}%",
            "-" if lp is None else f"{100 * (rota.objective - lp) / lp:.3f}%",
            str(rota.violations),
            str(len(rota.unfilled)),
        )
    console.print(table)

    problem, rota, _, _ = results[variants[0][0]]
    rng = np.random.default_rng(args.seed + 7)
    unavailable = problem.unavailable.copy()
    marked = rng.choice(len(problem.members), len(problem.members) // 20, replace=False)
    for m in marked:  # each marks a random slot; half of them also their rostered slot
        unavailable[m, int(rng.integers(len(problem.calendar.slots)))] = True
        if rng.random() < 0.5:
            unavailable[m, int(rota.slot_of[m, 0])] = True
    t = time.perf_counter()
    again, changes = resolve(rota, replace(problem, unavailable=unavailable))
    resolve_seconds = time.perf_counter() - t
    desk = SwapDesk(rota)
    ids = [m.id for m in problem.members]
    pairs = [(ids[i], ids[i + 1]) for i in range(0, len(ids) - 1, 2)][:5000]
    t = time.perf_counter()
    for a, b in pairs:
        desk.check(a, b)
    swap_us = (time.perf_counter() - t) / len(pairs) * 1e6
    fortnights = 4 if args.quick else 12
    late_max, late_mean, fair_seconds = fairness(args.seed, fortnights, 0.3)

    goals = Table(title="Goals")
    for col in ("measure", "value", "goal", "met"):
        goals.add_column(col)
    _, base_rota, base_seconds, base_lp = results[variants[0][0]]
    base_gap = base_rota.gap if base_lp is None else (base_rota.objective - base_lp) / base_lp
    _, youth_rota, youth_seconds, _ = results[variants[2][0]]
    goals.add_row(
        "full balanced fortnight: time",
        f"{base_seconds:.2f} s",
        "<= 3 s",
        "yes" if base_seconds <= 3 else "no",
    )
    goals.add_row(
        "gap to the LP bound" if base_lp is not None else "gap to our bound (--quick: no LP)",
        f"{100 * base_gap:.3f}%",
        "<= 0.2%",
        "yes" if base_gap <= 0.002 else "no",
    )
    goals.add_row(
        "group-balance violations",
        str(base_rota.violations),
        "0",
        "yes" if base_rota.violations == 0 else "no",
    )
    goals.add_row(
        "full chamber with youth seats, four weeks: time",
        f"{youth_seconds:.2f} s, {youth_rota.violations} violations",
        "-",
        "-",
    )
    goals.add_row(
        f"re-solve after 5% mark new unavailability ({len(changes.displaced)} displaced)",
        f"{resolve_seconds:.2f} s, {changes.moves_per_displaced:.2f} moves each",
        "<= 5 s, <= 2 moves per displaced member",
        "yes" if resolve_seconds <= 5 and changes.moves_per_displaced <= 2 else "no",
    )
    goals.add_row("swap check", f"{swap_us:.1f} us", "< 1 ms", "yes" if swap_us < 1000 else "no")
    goals.add_row(
        f"fairness over {fortnights} fortnights",
        f"max {late_max} late Saturdays (mean {late_mean:.2f}), {fair_seconds:.1f} s",
        "-",
        "-",
    )
    goals.add_row(
        "re-solved rota still valid",
        f"{again.violations} violations, {len(again.unfilled)} unfilled",
        "0, 0",
        "yes" if not again.violations and not again.unfilled else "no",
    )
    console.print(goals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
