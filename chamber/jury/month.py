"""A month of the jury (`step`): its order, and its report.

A month runs in this order: those whose term ends leave; withdrawals (each serving juror
independently with the ``withdrawal_rate``, seeded); the monthly draw of the new cohort; the
replacement draws; the jury's extensions.  Nobody is drawn twice: a volunteer once selected (even
if they later withdrew) is out of the pool for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from chamber.jury.draws import DrawInfo, monthly_draw, replacement_draw
from chamber.jury.extensions import choose_extensions
from chamber.jury.quotas import check_quotas, replacement_quotas, within
from chamber.jury.rules import (
    NOT_SELECTED,
    START,
    Juror,
    JuryError,
    JurySetup,
    JuryState,
    ReplacementMethod,
    month_label,
    month_seed,
)
from chamber.serial import as_json
from electoral.lots import generator


@dataclass(frozen=True, slots=True)
class MonthReport:
    """What happened in a month, and whether the quotas held at its end (``quotas_ok``: both
    the cohorts' and the whole jury's, derived)."""

    month: int
    label: str
    size: int
    joined: int
    left: int
    extended: int
    withdrawn: int
    replaced: int
    quotas_ok: bool = field(init=False)
    cohorts_ok: bool
    jury_ok: bool
    problems: tuple[str, ...]
    seeds: Mapping[str, str]
    draws: tuple[DrawInfo, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "quotas_ok", self.cohorts_ok and self.jury_ok)

    def as_dict(self) -> dict[str, Any]:
        return as_json(self)


def empty_state(setup: JurySetup, month: int) -> JuryState:
    """A jury with nobody on it after ``month``, every volunteer available."""
    return JuryState(month, (), np.full(setup.pool.size, NOT_SELECTED, dtype=np.int64))


def _sorted(jurors: Iterable[Juror]) -> tuple[Juror, ...]:
    return tuple(sorted(jurors, key=lambda j: (j.cohort, j.joined, j.index)))


def step(
    state: JuryState,
    month: int,
    setup: JurySetup,
    *,
    seed: str,
    withdrawal_rate: float = 0.01,
    replacement_method: ReplacementMethod = "legacy",
    lottery_months: int = 12,
    balance: bool = True,
    start: str = START,
) -> tuple[JuryState, MonthReport]:
    """Run ``month`` (the one after ``state.month``): leaving, withdrawals, the monthly draw,
    replacement draws, extensions.  ``seed`` is the base seed; each choice's seed is derived
    from it and the month (`month_seed`), so the month can be re-run from ``state``."""
    if month != state.month + 1:
        raise JuryError(f"the state is after month {state.month}; the next month is not {month}")
    if not 0.0 <= withdrawal_rate <= 1.0:
        raise JuryError(f"the withdrawal rate {withdrawal_rate} is not between 0 and 1")
    if lottery_months < 1:
        raise JuryError(f"lottery_months is {lottery_months}; it must be at least 1")
    rules = setup.rules
    label = month_label(month, start)
    seeds: dict[str, str] = {}
    draws: list[DrawInfo] = []
    selected_in = state.selected_in.copy()

    staying = [j for j in state.jurors if j.term_end > month]
    left = len(state.jurors) - len(staying)

    seeds["withdrawals"] = month_seed(seed, month, "withdrawals", start)
    withdrawn: list[Juror] = []
    if withdrawal_rate > 0 and staying:
        u = generator(seeds["withdrawals"]).random(len(staying))
        withdrawn = [j for j, x in zip(staying, u, strict=True) if x < withdrawal_rate]
        staying = [j for j, x in zip(staying, u, strict=True) if x >= withdrawal_rate]

    # what the whole jury can take: its quotas less what those staying have; the minimums
    # count only once the jury will be full (not while a warm start fills it), and leave room
    # for the replacements still to come
    have = setup.counts(j.index for j in staying)
    full = len(staying) + len(withdrawn) + rules.drawn >= rules.size
    jury_room = replacement_quotas(
        setup.jury_quotas if full else [replace(q, min=0) for q in setup.jury_quotas],
        have,
        rules.drawn,
        later=len(withdrawn),
    )
    room, conflicts = within(setup.quotas, jury_room)  # named in the draw's record
    seeds["draw"] = month_seed(seed, month, "draw", start)
    picked, info, lottery_month = monthly_draw(
        setup, state, month, seeds["draw"], lottery_months, start, room
    )
    draws.append(replace(info, notes=(*conflicts, *info.notes)))
    selected_in[picked] = month
    new = [
        Juror(setup.pool.ids[i], int(i), month, month, month + rules.term_months) for i in picked
    ]

    first_year = month - rules.term_months  # cohorts after this are in their first year
    groups: dict[int | None, list[Juror]] = {}
    for j in withdrawn:
        groups.setdefault(j.cohort if j.cohort > first_year else None, []).append(j)
    replaced: list[Juror] = []
    # first-year cohorts first (in order), then the extension-year group against the whole jury;
    # a cohort's replacements also keep the whole jury within its quotas (leaving room for the
    # replacements after them)
    order = sorted(groups, key=lambda k: (k is None, k or 0))
    for n, key in enumerate(order):
        gone = sorted(groups[key], key=lambda j: j.index)
        later = sum(len(groups[k]) for k in order[n + 1 :])
        jury_have = setup.counts(j.index for j in (*staying, *replaced, *new))
        conflicts = ()
        if key is None:
            group = "extension year"
            quotas = replacement_quotas(setup.jury_quotas, jury_have, len(gone), later)
        else:
            group = month_label(key, start)
            rest = [j.index for j in (*staying, *replaced) if j.cohort == key]
            quotas, conflicts = within(
                replacement_quotas(setup.quotas, setup.counts(rest), len(gone)),
                replacement_quotas(setup.jury_quotas, jury_have, len(gone), later),
            )
        purpose = f"replacement/{group.replace(' ', '-')}"
        seeds[purpose] = month_seed(seed, month, purpose, start)
        available = selected_in == NOT_SELECTED
        people, info = replacement_draw(
            setup, available, quotas, len(gone), seeds[purpose], group, replacement_method
        )
        draws.append(replace(info, notes=(*conflicts, *info.notes)))
        selected_in[people] = month
        for old, i in zip(gone, sorted(int(p) for p in people), strict=True):
            replaced.append(
                Juror(setup.pool.ids[i], i, old.cohort, month, old.term_end, old.extended)
            )

    jurors = [*staying, *replaced, *new]
    seeds["extension"] = month_seed(seed, month, "extension", start)
    chosen = choose_extensions(jurors, month, setup, seeds["extension"], balance=balance)
    ids = {j.index for j in chosen}
    jurors = [
        replace(j, extended=True, term_end=j.term_end + rules.term_months) if j.index in ids else j
        for j in jurors
    ]
    after = JuryState(month, _sorted(jurors), selected_in, lottery_month)
    cohorts_ok, jury_ok, problems = check_quotas(after, setup, start)
    report = MonthReport(
        month=month,
        label=label,
        size=after.size,
        joined=len(new),
        left=left,
        extended=len(chosen),
        withdrawn=len(withdrawn),
        replaced=len(replaced),
        cohorts_ok=cohorts_ok,
        jury_ok=jury_ok,
        problems=problems,
        seeds=seeds,
        draws=tuple(draws),
    )
    return after, report
