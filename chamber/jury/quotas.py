"""Quotas: what each draw may take so that every cohort, and the whole jury, stays within its
quotas; and the check at the end of each month.

Every first-year cohort must have ``drawn`` members within the monthly quotas.  The whole jury is
held to the monthly quotas scaled to the jury's size with the same relative tolerance:
``floor(min * size / drawn)`` to ``ceil(max * size / drawn)`` (for the national jury, x
1,200/90; `JurySetup.jury_quotas`).  Cohorts within their own quotas do not make a jury within
these: the extension-year group is chosen by the jury, and twelve cohorts near the same maximum
add up.  So each draw also keeps the whole jury within them (`within`): the monthly draw samples
only the lottery's panels that fit the *room* the jury has (its quotas less what those staying
have; the minimums leaving room for the month's replacements still to come), and if none does, a
LEXIMIN lottery under the monthly quotas narrowed to that room; a first-year replacement draw
meets both its cohort's quotas and the jury's room.  Where a cohort's quota and the jury's room
cannot both hold, the cohort's quota wins and the month's check (`check_quotas`) reports the
jury.
"""

from __future__ import annotations

from collections.abc import Sequence

from chamber.jury.rules import START, Ints, JurySetup, JuryState, month_label
from electoral.sortition.instance import Quota


def replacement_quotas(
    quotas: Sequence[Quota], have: Sequence[int] | Ints, places: int, later: int = 0
) -> tuple[Quota, ...]:
    """Quotas for a draw of ``places`` that keeps a group within ``quotas``, given what the rest
    of the group ``have`` of each quota's value and that ``later`` more places will be filled
    after this draw: ``max(0, min - have - later)`` to ``max(0, max - have)``, capped at
    ``places``."""
    out = []
    for q, h in zip(quotas, have, strict=True):
        low = min(max(0, q.min - int(h) - later), places)
        high = min(max(0, q.max - int(h)), places)
        out.append(Quota(q.feature, q.value, low, max(low, high)))
    return tuple(out)


def within(
    first: Sequence[Quota], second: Sequence[Quota]
) -> tuple[tuple[Quota, ...], tuple[str, ...]]:
    """The quotas that meet both ``first`` and ``second`` (the same quotas, e.g. a cohort's and
    the whole jury's room for the same draw): the larger minimum and the smaller maximum.  Where
    the two cannot both hold, ``first`` is kept for that quota, and the conflict is named."""
    out, conflicts = [], []
    for a, b in zip(first, second, strict=True):
        low, high = max(a.min, b.min), min(a.max, b.max)
        if low > high:
            out.append(a)
            conflicts.append(f"{a.label}: {a.min}-{a.max} and {b.min}-{b.max} cannot both hold")
        else:
            out.append(Quota(a.feature, a.value, low, high))
    return tuple(out), tuple(conflicts)


def check_quotas(
    state: JuryState, setup: JurySetup, start: str = START
) -> tuple[bool, bool, tuple[str, ...]]:
    """Whether every first-year cohort has ``drawn`` members within the monthly quotas, and
    whether the whole jury is within its quotas; and every problem found."""
    rules = setup.rules
    problems: list[str] = []
    cohorts_ok = True
    by_cohort: dict[int, list[int]] = {}
    for j in state.jurors:
        by_cohort.setdefault(j.cohort, []).append(j.index)
    for c in range(state.month - rules.term_months + 1, state.month + 1):
        members = by_cohort.get(c, [])
        label = f"cohort {month_label(c, start)}"
        if len(members) != rules.drawn:
            cohorts_ok = False
            problems.append(f"{label}: {len(members)} members, not {rules.drawn}")
        bad = _outside(setup.quotas, setup.counts(members))
        if bad:
            cohorts_ok = False
            problems.extend(f"{label}: {b}" for b in bad)
    bad = _outside(setup.jury_quotas, setup.counts(j.index for j in state.jurors))
    problems.extend(f"jury: {b}" for b in bad)
    return cohorts_ok, not bad, tuple(problems)


def _outside(quotas: Sequence[Quota], counts: Ints) -> list[str]:
    return [
        f"{q.label} {int(c)} outside {q.min}-{q.max}"
        for q, c in zip(quotas, counts, strict=True)
        if not q.min <= c <= q.max
    ]
