"""The national jury: monthly cohorts drawn by lot, one-year terms, extensions, replacement draws.

Source: "The case for a second chamber which would add something to Parliament and promote
empowerment", "A possible electoral method": a citizen's jury of 1,200 people sharing 50 seats;
"each month 90 jurors would be chosen by lot to serve for one year and 10 would be chosen by the
National Jury, from amongst those due to leave it in the next three months, to have their term
extended by a further year".  In the steady state 90 x 12 + 10 x 12 = 1,200.  A juror who
withdraws is replaced by a replacement draw for the rest of their term.

All sizes are `JuryRules`, with the national numbers as defaults.  The simulation is pure (no
database) and every random choice has a public seed, so any month can be re-run:

- `chamber.jury.rules`: the rules, a juror's place, the jury's state, the pool and its quotas,
  how months and seeds are named;
- `chamber.jury.draws`: the monthly draw (a reused LEXIMIN lottery) and the replacement draws;
- `chamber.jury.quotas`: what each draw may take so that the cohorts and the whole jury stay
  within their quotas, and the check at the end of a month;
- `chamber.jury.extensions`: the jurors the jury keeps for a further year;
- `chamber.jury.month`: a month (`step`) and its report;
- `chamber.jury.run`: the synthetic pool, the steady state (`warm_start`) and whole runs
  (`simulate`).
"""

from chamber.jury.draws import MIN_KEPT, DrawInfo, sub_pool
from chamber.jury.extensions import JITTER, choose_extensions
from chamber.jury.month import MonthReport, empty_state, step
from chamber.jury.quotas import check_quotas, replacement_quotas, within
from chamber.jury.rules import (
    NATIONAL,
    NOT_SELECTED,
    START,
    Juror,
    JuryError,
    JuryRules,
    JurySetup,
    JuryState,
    ReplacementMethod,
    month_label,
    month_seed,
)
from chamber.jury.run import POOL_SIZE, Progress, Simulation, simulate, synthetic_setup, warm_start

__all__ = [
    "JITTER",
    "MIN_KEPT",
    "NATIONAL",
    "NOT_SELECTED",
    "POOL_SIZE",
    "START",
    "DrawInfo",
    "Juror",
    "JuryError",
    "JuryRules",
    "JurySetup",
    "JuryState",
    "MonthReport",
    "Progress",
    "ReplacementMethod",
    "Simulation",
    "check_quotas",
    "choose_extensions",
    "empty_state",
    "month_label",
    "month_seed",
    "replacement_quotas",
    "simulate",
    "step",
    "sub_pool",
    "synthetic_setup",
    "warm_start",
    "within",
]
