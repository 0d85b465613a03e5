"""Extensions: the jurors the jury keeps for a further year each month.

The size stays at ``(drawn + extended) * term`` only if every group of jurors whose first term
ends in the same month has exactly ``extended`` of its members extended (an extension moves
``extended`` leavers one year later, where they replace the ``extended`` extended leavers of that
month).  So each month the jury extends ``extended`` jurors who are due to leave within the next
``window_months`` months and were not already extended: first it completes the group leaving
next month, then it fills the remaining places from the later groups of the window, at most
``extended`` from each group.  In reality the jury votes; the simulation models its choice as a
seeded random choice which, with ``balance`` (the default), prefers the candidates whose feature
values the extended jurors lack most relative to the quota shares (greedily, with a random
tie-break), so that the extension-year group, and so the whole jury, keeps its balance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from chamber.jury.rules import Bools, Ints, Juror, JuryRules, JurySetup
from electoral.lots import generator

JITTER = 1.0
"""Scale of the random tie-break in the balanced extension choice, in people."""


def choose_extensions(
    jurors: Sequence[Juror],
    month: int,
    setup: JurySetup,
    seed: str,
    *,
    balance: bool = True,
) -> tuple[Juror, ...]:
    """The jurors the jury extends in ``month``: ``extended`` of those due to leave within the
    window and not already extended; the group leaving next month is completed first, and no
    group gets more than ``extended`` extensions.  A seeded stand-in for the jury's vote; with
    ``balance`` it prefers the values the extended jurors lack most relative to the quota shares.
    """
    return extensions_by(
        jurors, month, setup.rules, setup.membership, setup.lower, setup.upper, seed,
        balance=balance,
    )


def extensions_by(
    jurors: Sequence[Juror],
    month: int,
    rules: JuryRules,
    membership: Bools,
    lower: Ints,
    upper: Ints,
    seed: str,
    *,
    balance: bool = True,
) -> tuple[Juror, ...]:
    """`choose_extensions` given the rules and, for each quota, which people have its value
    (``membership[q, index]``, a juror's ``index`` its column) and its monthly bounds: what
    the stored jury uses, whose people are rows of the database rather than of a pool."""
    window = range(month + 1, month + rules.window_months + 1)
    done = dict.fromkeys(window, 0)
    candidates: dict[int, list[Juror]] = {e: [] for e in window}
    for j in jurors:
        first_end = j.cohort + rules.term_months
        if first_end in done:
            if j.extended:
                done[first_end] += 1
            else:
                candidates[first_end].append(j)
    need = {e: max(0, rules.extended - done[e]) for e in window}
    rng = generator(seed)
    pool_ext = [j.index for j in jurors if j.extended]
    counts = membership[:, pool_ext].sum(axis=1).astype(np.float64)
    share = (lower + upper) / (2.0 * rules.drawn)
    chosen: list[Juror] = []

    def pick(group: list[Juror], cap: dict[int, int], places: int) -> None:
        nonlocal counts
        if not group or places <= 0:
            return
        order = rng.permutation(len(group))
        group = [group[i] for i in order]
        jitter = rng.random(len(group)) * JITTER
        member = membership[:, [j.index for j in group]].astype(np.float64)
        taken = np.zeros(len(group), dtype=bool)
        for _ in range(places):
            open_ = ~taken & np.array([cap[j.cohort + rules.term_months] > 0 for j in group])
            if not open_.any():
                return
            if balance:
                deficit = share * (len(pool_ext) + len(chosen) + 1) - counts
                score = np.where(open_, deficit @ member + jitter, -np.inf)
            else:
                score = np.where(open_, -np.arange(len(group), dtype=np.float64), -np.inf)
            k = int(np.argmax(score))
            taken[k] = True
            chosen.append(group[k])
            cap[group[k].cohort + rules.term_months] -= 1
            counts += member[:, k]

    first = window[0]
    cap = dict(need)
    pick(candidates[first], cap, min(need[first], rules.extended))
    later = [j for e in window[1:] for j in candidates[e]]
    pick(later, cap, rules.extended - len(chosen))
    return tuple(chosen)
