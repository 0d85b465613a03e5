"""Whole simulated runs of the jury: the synthetic volunteer pool, the steady state a run starts
from (`warm_start`), and the months after it (`simulate`).

**Warm start**: an empty jury run with the same rules and no withdrawals through the ``2 * term``
months before month 1, so that month 0 is a steady state of ``size`` jurors (12 cohorts of 90 and
the 10 extended from each of the 12 cohorts before them) drawn with the quotas.  Run from empty,
the jury's extensions settle on the group due to leave in ``window_months`` months.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from chamber.jury.month import MonthReport, empty_state, step
from chamber.jury.rules import (
    NATIONAL,
    START,
    JuryError,
    JuryRules,
    JurySetup,
    JuryState,
    ReplacementMethod,
)
from electoral.sortition.instance import parse_pool, parse_quotas
from electoral.sortition.synthetic import FEATURES, pool_csv, quotas_csv

Progress = Callable[[int, int, str], None]  # (months done, months in all, month label)

POOL_SIZE = 60_000
"""The default synthetic pool.  The warm start and 36 months draw about 5,900 people, and the
quotas ask for more of some kinds than the pool holds (22% aged 16-29 against 12%), so a small
pool runs out of particular combinations: with 30,000 volunteers (measured, seed
"national-jury") one replacement in 2029-01 needed a young volunteer with features no one left
had, and its cohort ended one under its minimum.  With 60,000 every month held every quota for
that seed, and the run was faster (88 s against 108 s: the lottery is recomputed less often).
A national jury recruiting for years keeps a pool this size by sending invitations each month."""


@dataclass(frozen=True, slots=True, eq=False)
class Simulation:
    """A simulated run: the steady state at month 0, a report per month, the final state."""

    rules: JuryRules
    seed: str
    withdrawal_rate: float
    pool: str
    initial: JuryState
    final: JuryState
    warm_up: tuple[MonthReport, ...]
    months: tuple[MonthReport, ...]
    seconds: float = 0.0

    @property
    def size_held(self) -> bool:
        return all(r.size == self.rules.size for r in self.months)

    @property
    def quotas_held(self) -> bool:
        return all(r.quotas_ok for r in self.months)

    def summary(self) -> str:
        n = len(self.months)
        sizes = [r.size for r in self.months]
        if self.size_held:
            size = f"size stayed at {self.rules.size:,} in all {n} months"
        else:
            size = f"size ranged {min(sizes):,} to {max(sizes):,} (steady {self.rules.size:,})"
        failed = [r.label for r in self.months if not r.quotas_ok]
        if not failed:
            quotas = "quotas held in all months"
        else:
            quotas = f"quotas failed in {len(failed)} of {n} months ({', '.join(failed)})"
        return f"{size}; {quotas}"

    def as_dict(self) -> dict[str, Any]:
        """The run as published: its settings and month reports, the size at month 0 in place
        of the states (which are not JSON: `chamber.records` stores them), and the summary."""
        return {
            "rules": self.rules.as_dict(),
            "seed": self.seed,
            "withdrawal_rate": self.withdrawal_rate,
            "pool": self.pool,
            "initial_size": self.initial.size,
            "months": [r.as_dict() for r in self.months],
            "size_held": self.size_held,
            "quotas_held": self.quotas_held,
            "summary": self.summary(),
            "seconds": round(self.seconds, 3),
        }


def synthetic_setup(
    rules: JuryRules = NATIONAL,
    pool_size: int = POOL_SIZE,
    pool_seed: int = 1,
    features: Sequence[str] | None = None,
) -> JurySetup:
    """The synthetic volunteer pool (`electoral.sortition.synthetic.pool_csv`) with quotas for a
    draw of ``rules.drawn`` (`quotas_csv`), on ``features`` only if given (fewer features, fewer
    types: a faster LEXIMIN, for tests)."""
    if features is not None:
        unknown = [f for f in features if f not in FEATURES]
        if unknown or not features:
            raise JuryError(
                f"features must be some of {', '.join(FEATURES)}, not {', '.join(unknown) or '[]'}"
            )
    pool = parse_pool(pool_csv(pool_size, pool_seed), "pool.csv")
    quotas, sha = parse_quotas(quotas_csv(rules.drawn), "quotas.csv")
    if features is not None:
        quotas = tuple(q for q in quotas if q.feature in features)
        sha = ""
    pool = replace(pool, source=f"synthetic pool of {pool_size:,} (seed {pool_seed})")
    return JurySetup(pool, quotas, rules, sha)


def warm_start(
    setup: JurySetup,
    *,
    seed: str,
    replacement_method: ReplacementMethod = "legacy",
    lottery_months: int = 12,
    balance: bool = True,
    start: str = START,
    progress: Progress | None = None,
    total: int | None = None,
) -> tuple[JuryState, tuple[MonthReport, ...]]:
    """A steady-state jury after month 0: an empty jury run without withdrawals through the
    ``2 * term`` months before month 1 (every cohort drawn, every extension chosen)."""
    first = 1 - 2 * setup.rules.term_months
    state = empty_state(setup, first - 1)
    reports = []
    months = range(first, 1)
    for n, m in enumerate(months, start=1):
        state, report = step(
            state,
            m,
            setup,
            seed=seed,
            withdrawal_rate=0.0,
            replacement_method=replacement_method,
            lottery_months=lottery_months,
            balance=balance,
            start=start,
        )
        reports.append(report)
        if progress is not None:
            progress(n, total or len(months), report.label)
    return state, tuple(reports)


def simulate(
    months: int = 36,
    *,
    seed: str = "national-jury",
    withdrawal_rate: float = 0.01,
    rules: JuryRules = NATIONAL,
    setup: JurySetup | None = None,
    pool_size: int = POOL_SIZE,
    pool_seed: int = 1,
    replacement_method: ReplacementMethod = "legacy",
    lottery_months: int = 12,
    balance: bool = True,
    start: str = START,
    progress: Progress | None = None,
) -> Simulation:
    """Simulate ``months`` months from a steady-state jury (built by `warm_start`), with random
    withdrawals replaced by replacement draws.  Without ``setup``, the synthetic pool of
    ``pool_size`` volunteers and quotas for ``rules.drawn``; with one, its rules apply."""
    if months < 1:
        raise JuryError(f"months is {months}; it must be at least 1")
    began = time.perf_counter()
    if setup is None:
        setup = synthetic_setup(rules, pool_size, pool_seed)
    warm = 2 * setup.rules.term_months
    options: dict[str, Any] = {
        "replacement_method": replacement_method,
        "lottery_months": lottery_months,
        "balance": balance,
        "start": start,
    }
    state, warm_up = warm_start(setup, seed=seed, progress=progress, total=warm + months, **options)
    initial = state
    reports = []
    for m in range(1, months + 1):
        state, report = step(state, m, setup, seed=seed, withdrawal_rate=withdrawal_rate, **options)
        reports.append(report)
        if progress is not None:
            progress(warm + m, warm + months, report.label)
    return Simulation(
        rules=setup.rules,
        seed=seed,
        withdrawal_rate=withdrawal_rate,
        pool=setup.pool.source,
        initial=initial,
        final=state,
        warm_up=warm_up,
        months=tuple(reports),
        seconds=time.perf_counter() - began,
    )
