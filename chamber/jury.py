"""The national jury: monthly cohorts drawn by lot, one-year terms, extensions, replacement draws.

Source: SPEC.md, row "1/10 national jury": 1,200 people on 50 seats; "each month 90 jurors are
drawn by lot to serve one year, and 10 chosen by the jury from those due to leave within the next
three months have their term extended by a further year".  In the steady state 90 x 12 + 10 x 12
= 1,200.  A juror who withdraws is replaced by a replacement draw for the rest of their term.

The model (all sizes are `JuryRules`, with the national numbers as defaults):

- **Months** are integers; month 1 is ``start`` (``2027-01`` by default) and month 0 the month
  before.  A cohort drawn in month ``k`` serves months ``k .. k+11``: its *term ends* in month
  ``k+12``, when it leaves at the start of the month.  A juror's *first year* is the year of the
  cohort they belong to; an extended juror serves an *extension year* after it.
- **A month** (`step`) runs in this order: those whose term ends leave; withdrawals (each serving
  juror independently with the ``withdrawal_rate``, seeded); the monthly draw of the new cohort;
  the replacement draws; the jury's extensions.  Nobody is drawn twice: a volunteer once selected
  (even if they later withdrew) is out of the pool for good.
- **The monthly draw** is a LEXIMIN sortition draw (`electoral.sortition`) of ``drawn`` people
  from the volunteers never selected, with the monthly quotas.  Computing the LEXIMIN lottery
  took 13 to 20 seconds for the synthetic pool (~200 types; measured on a shared 2-core machine),
  too long for every month, so the lottery is reused: the state records the month its lottery was
  computed, and each month samples that lottery against the volunteers still available (panels
  that need more people of a type than remain are dropped, the rest renormalised).  A new lottery
  is computed from the current pool when the old one is ``lottery_months`` old (default 12) or
  less than `MIN_KEPT` (a quarter) of its weight is still drawable.  Popular types run out fast
  (the quotas want 22% aged 16-29; the pool has 12%), so in practice a lottery lasts 2 to 12
  months.  A lottery is a pure function of the pool and the volunteers available in its month,
  so any month can be re-run from the state before it; ``lottery_months=1`` gives an exact
  LEXIMIN draw every month.  The draws use `distribution_for` and `sample` (what `run_draw` does,
  without building a publishable record each time).
- **Replacement draws.** Withdrawals are grouped by *place*: a first-year juror's cohort, or the
  extension-year group (all jurors past their first year).  Each group gets one draw of as many
  people as withdrew from it, with quotas that keep the group within its quotas: for every quota,
  ``min = max(0, group min - what the rest of the group has)`` and ``max = max(0, group max - what
  the rest has)`` (capped at the draw's size).  The group bounds are the monthly quotas for a
  cohort and the whole-jury quotas (below) for the extension-year group, whose "rest" is the rest
  of the whole jury.  A replacement takes over the withdrawn juror's place: their cohort, their
  term end and their extended flag (so a replacement is never extended a second time, and the
  extensions of each group stay complete).  Volunteers who cannot be in any panel of the draw
  (a value whose ``max`` is 0, or a feature whose other values' minimums fill the draw) are left
  out before the draw.  Sometimes no volunteer left fits (one withdrawal from a cohort at the
  bounds of several quotas needs exactly the withdrawn juror's kind of person, and the monthly
  draws use up the scarce kinds): the draw then uses the smallest relaxation of the quotas that
  admits a panel (`electoral.sortition.panels.diagnose`), the cohort is out of its quotas by that
  much, and the draw's record and the month's problems say so.  The default method for
  replacement draws is the Sortition Foundation's legacy greedy algorithm
  (`electoral.sortition.legacy`: one panel, re-runnable from the seed): an exact LEXIMIN draw
  for one to ten places took 0.2 to 17 seconds on the synthetic pool (measured), too slow for
  the ~10 replacement draws a month; ``replacement_method="leximin"`` uses LEXIMIN.
- **Extensions.** The size stays at ``(drawn + extended) * term`` only if every group of jurors
  whose first term ends in the same month has exactly ``extended`` of its members extended (an
  extension moves ``extended`` leavers one year later, where they replace the ``extended``
  extended leavers of that month).  So each month the jury extends ``extended`` jurors who are due
  to leave within the next ``window_months`` months and were not already extended: first it
  completes the group leaving next month, then it fills the remaining places from the later
  groups of the window, at most ``extended`` from each group.  In reality the jury votes; the
  simulation models its choice as a seeded random choice which, with ``balance`` (the default),
  prefers the candidates whose feature values the extended jurors lack most relative to the
  quota shares (greedily, with a random tie-break), so that the extension-year group, and so the
  whole jury, keeps its balance.
- **Quotas.** Every first-year cohort must have ``drawn`` members within the monthly quotas.  The
  whole jury is held to the monthly quotas scaled to the jury's size with the same relative
  tolerance: ``floor(min * size / drawn)`` to ``ceil(max * size / drawn)`` (for the national jury,
  x 1,200/90).  Cohorts within their own quotas do not make a jury within these: the
  extension-year group is chosen by the jury, and twelve cohorts near the same maximum add up.
  So each draw also keeps the whole jury within them (`within`): the monthly draw samples only
  the lottery's panels that fit the *room* the jury has (its quotas less what those staying
  have; the minimums leaving room for the month's replacements still to come), and if none
  does, a LEXIMIN lottery under the monthly quotas narrowed to that room; a first-year
  replacement draw meets both its cohort's quotas and the jury's room.  Where a cohort's quota
  and the jury's room cannot both hold, the cohort's quota wins and the month's check reports
  the jury.
- **Seeds.** Every random choice has its own public seed derived from a base seed and the month,
  e.g. ``{base}/2027-01/draw``, ``{base}/2027-01/withdrawals``, ``{base}/2027-01/extension``,
  ``{base}/2027-01/replacement/2026-05``; each report records the seeds it used.
- **Warm start** (`warm_start`): an empty jury run with the same rules and no withdrawals through
  the ``2 * term`` months before month 1, so that month 0 is a steady state of ``size``
  jurors (12 cohorts of 90 and the 10 extended from each of the 12 cohorts before them) drawn
  with the quotas.  Run from empty, the jury's extensions settle on the group due to leave in
  ``window_months`` months.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.lots import generator
from electoral.sortition.draw import distribution_for, sample
from electoral.sortition.instance import Instance, Pool, Quota, build_instance, read_pool
from electoral.sortition.instance import read_quotas as read_quota_file
from electoral.sortition.legacy import legacy_panel
from electoral.sortition.leximin import Distribution, canonical
from electoral.sortition.panels import diagnose
from electoral.sortition.synthetic import FEATURES, pool_csv, quotas_csv

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
ReplacementMethod = Literal["legacy", "leximin"]
Progress = Callable[[int, int, str], None]  # (months done, months in all, month label)

START = "2027-01"
"""The label of month 1 (month 0 is the steady state the simulation starts from)."""
NOT_SELECTED = np.iinfo(np.int64).max
"""``JuryState.selected_in`` of a volunteer never selected."""
MIN_KEPT = 0.25
"""A cached lottery is used while at least this share of its weight is still drawable."""
JITTER = 1.0
"""Scale of the random tie-break in the balanced extension choice, in people."""
POOL_SIZE = 60_000
"""The default synthetic pool.  The warm start and 36 months draw about 5,900 people, and the
quotas ask for more of some kinds than the pool holds (22% aged 16-29 against 12%), so a small
pool runs out of particular combinations: with 30,000 volunteers (measured, seed
"national-jury") one replacement in 2029-01 needed a young volunteer with features no one left
had, and its cohort ended one under its minimum.  With 60,000 every month held every quota for
that seed, and the run was faster (88 s against 108 s: the lottery is recomputed less often).
A national jury recruiting for years keeps a pool this size by sending invitations each month."""


class JuryError(ValueError):
    """The jury's rules or a step asked of it make no sense (the message says why)."""


@dataclass(frozen=True, slots=True)
class JuryRules:
    """The sizes of the jury: ``drawn`` a month for ``term_months``, ``extended`` a month for
    one more term, chosen from those due to leave within ``window_months``."""

    drawn: int = 90
    extended: int = 10
    term_months: int = 12
    window_months: int = 3

    def __post_init__(self) -> None:
        problems = []
        if self.drawn < 1:
            problems.append(f"drawn a month is {self.drawn}; it must be at least 1")
        if not 0 <= self.extended <= self.drawn:
            problems.append(f"extended a month is {self.extended}; it must be 0 to {self.drawn}")
        if self.term_months < 2:
            problems.append(f"the term is {self.term_months} months; it must be at least 2")
        if not 1 <= self.window_months < self.term_months:
            problems.append(
                f"the extension window is {self.window_months} months; it must be 1 to "
                f"{self.term_months - 1}"
            )
        if problems:
            raise JuryError("; ".join(problems))

    @property
    def size(self) -> int:
        """The steady-state size: ``(drawn + extended) * term_months``."""
        return (self.drawn + self.extended) * self.term_months

    def as_dict(self) -> dict[str, int]:
        return {
            "drawn": self.drawn,
            "extended": self.extended,
            "term_months": self.term_months,
            "window_months": self.window_months,
            "size": self.size,
        }


NATIONAL = JuryRules()
"""The national jury of SPEC.md: 90 drawn a month for a year, 10 extended, 1,200 in all."""


@dataclass(frozen=True, slots=True)
class Juror:
    """One place on the jury and who holds it.

    ``cohort`` is the month of the draw whose place this is (a replacement keeps the cohort of the
    juror they replace; ``joined`` is when they joined); the juror leaves at the start of month
    ``term_end``.
    """

    person: str
    index: int  # row in the volunteer pool
    cohort: int
    joined: int
    term_end: int
    extended: bool = False

    @property
    def replacement(self) -> bool:
        return self.joined != self.cohort

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "cohort": self.cohort,
            "joined": self.joined,
            "term_end": self.term_end,
            "extended": self.extended,
        }


@dataclass(frozen=True, slots=True, eq=False)
class JuryState:
    """The jury after ``month``: who serves, and when each volunteer was selected
    (``selected_in[i]`` is the month pool row ``i`` was drawn, `NOT_SELECTED` if never)."""

    month: int
    jurors: tuple[Juror, ...]
    selected_in: Ints
    lottery_month: int | None = None  # when the lottery of the monthly draws was computed

    @property
    def size(self) -> int:
        return len(self.jurors)

    def cohort(self, month: int) -> tuple[Juror, ...]:
        """The jurors holding places of the cohort drawn in ``month``."""
        return tuple(j for j in self.jurors if j.cohort == month)

    @property
    def available(self) -> Bools:
        """Which volunteers may still be drawn."""
        out: Bools = self.selected_in == NOT_SELECTED
        return out


@dataclass(frozen=True, slots=True, eq=False)
class JurySetup:
    """The volunteer pool, the monthly quotas and the rules; caches the LEXIMIN lotteries (a pure
    function of the pool and the volunteers available, so the cache never changes a result)."""

    pool: Pool
    quotas: tuple[Quota, ...]
    rules: JuryRules = NATIONAL
    quotas_sha256: str = ""
    membership: Bools = field(init=False, repr=False)  # (quotas, people)
    lotteries: dict[str, tuple[Distribution, Ints]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        build_instance(self.pool, self.quotas, self.rules.drawn)  # validates, names problems
        features = {f.lower(): i for i, f in enumerate(self.pool.features)}
        rows = []
        for q in self.quotas:
            fi = features[q.feature.lower()]
            values = self.pool.values[fi]
            code = values.index(q.value) if q.value in values else -1
            rows.append(self.pool.codes[:, fi] == code)
        object.__setattr__(self, "membership", np.vstack(rows))
        if not self.quotas_sha256:
            text = "\n".join(f"{q.feature},{q.value},{q.min},{q.max}" for q in self.quotas)
            object.__setattr__(self, "quotas_sha256", _sha(text.encode()))

    @property
    def lower(self) -> Ints:
        return np.array([q.min for q in self.quotas], dtype=np.int64)

    @property
    def upper(self) -> Ints:
        return np.array([q.max for q in self.quotas], dtype=np.int64)

    @property
    def jury_quotas(self) -> tuple[Quota, ...]:
        """The whole jury's quotas: the monthly ones scaled by ``size / drawn``, the minimum
        rounded down and the maximum up (the same relative tolerance)."""
        n, size = self.rules.drawn, self.rules.size
        return tuple(
            Quota(q.feature, q.value, q.min * size // n, -(-q.max * size // n)) for q in self.quotas
        )

    def counts(self, indices: Iterable[int]) -> Ints:
        """How many of the pool rows ``indices`` have each quota's value."""
        idx = np.fromiter(indices, dtype=np.int64)
        out: Ints = self.membership[:, idx].sum(axis=1).astype(np.int64)
        return out


@dataclass(frozen=True, slots=True)
class DrawInfo:
    """One draw of a month: what for, with which seed and method, and who was selected."""

    kind: str  # "monthly" or "replacement"
    group: str  # the cohort's month label, or "extension year"
    seed: str
    size: int
    method: str
    panel: tuple[str, ...]
    quotas: tuple[Quota, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group": self.group,
            "seed": self.seed,
            "size": self.size,
            "method": self.method,
            "panel": list(self.panel),
            "quotas": [
                {"feature": q.feature, "value": q.value, "min": q.min, "max": q.max}
                for q in self.quotas
            ],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class MonthReport:
    """What happened in a month, and whether the quotas held at its end."""

    month: int
    label: str
    size: int
    joined: int
    left: int
    extended: int
    withdrawn: int
    replaced: int
    cohorts_ok: bool
    jury_ok: bool
    problems: tuple[str, ...]
    seeds: Mapping[str, str]
    draws: tuple[DrawInfo, ...] = ()

    @property
    def quotas_ok(self) -> bool:
        return self.cohorts_ok and self.jury_ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "label": self.label,
            "size": self.size,
            "joined": self.joined,
            "left": self.left,
            "extended": self.extended,
            "withdrawn": self.withdrawn,
            "replaced": self.replaced,
            "quotas_ok": self.quotas_ok,
            "cohorts_ok": self.cohorts_ok,
            "jury_ok": self.jury_ok,
            "problems": list(self.problems),
            "seeds": dict(self.seeds),
            "draws": [d.as_dict() for d in self.draws],
        }


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


# ---------------------------------------------------------------------------------------------
# small helpers


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def month_label(month: int, start: str = START) -> str:
    """``YYYY-MM`` of ``month``, month 1 being ``start``."""
    try:
        year, mon = (int(x) for x in start.split("-"))
    except ValueError:
        raise JuryError(f"the start month {start!r} is not YYYY-MM") from None
    if not 1 <= mon <= 12:
        raise JuryError(f"the start month {start!r} is not YYYY-MM")
    at = year * 12 + mon - 1 + month - 1
    return f"{at // 12:04d}-{at % 12 + 1:02d}"


def month_seed(base: str, month: int, purpose: str, start: str = START) -> str:
    """The public seed of one random choice: ``{base}/{YYYY-MM}/{purpose}``."""
    return f"{base}/{month_label(month, start)}/{purpose}"


def sub_pool(pool: Pool, keep: Ints) -> Pool:
    """The volunteers ``keep`` (pool rows, ascending) as a pool of their own: same features and
    values, their rows of ``codes``; its SHA-256 names the parent pool and the rows kept."""
    keep = np.asarray(keep, dtype=np.int64)
    return Pool(
        ids=tuple(pool.ids[i] for i in keep),
        features=pool.features,
        values=pool.values,
        codes=pool.codes[keep],
        households=tuple(pool.households[i] for i in keep) if pool.households else None,
        sha256=_sha(pool.sha256.encode() + keep.tobytes()),
        source=f"{pool.source} ({keep.size:,} of {pool.size:,} still available)",
    )


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


def _usable(setup: JurySetup, quotas: Sequence[Quota], places: int) -> Bools:
    """Volunteers who could be in some panel of ``places`` under ``quotas`` by a check feature by
    feature: their value's max is at least 1, and the other values' minimums leave room."""
    ok = np.ones(setup.pool.size, dtype=bool)
    min_by_feature: dict[str, int] = {}
    for q in quotas:
        min_by_feature[q.feature] = min_by_feature.get(q.feature, 0) + q.min
    for row, q in enumerate(quotas):
        if q.max < 1 or min_by_feature[q.feature] - q.min > places - 1:
            ok &= ~setup.membership[row]
    return ok


def _type_keys(inst: Instance) -> Ints:
    """One row per type: its value code for each feature with quotas."""
    used = np.array(
        [inst.pool.features.index(f) for f in dict.fromkeys(q.feature for q in inst.quotas)],
        dtype=np.int64,
    )
    reps = np.array([m[0] for m in inst.members], dtype=np.int64)
    out: Ints = inst.pool.codes[np.ix_(reps, used)]
    return out


# ---------------------------------------------------------------------------------------------
# draws


def _lottery(
    setup: JurySetup, available: Bools, quotas: tuple[Quota, ...] | None = None
) -> tuple[Distribution, Ints]:
    """The LEXIMIN lottery for a monthly draw from the volunteers ``available`` (memoised), with
    the monthly quotas or the narrower ``quotas``."""
    key = _sha(np.packbits(available).tobytes())
    if quotas is not None:
        key += _sha(repr([(q.feature, q.value, q.min, q.max) for q in quotas]).encode())
    if key not in setup.lotteries:
        keep = np.flatnonzero(available)
        inst = build_instance(
            sub_pool(setup.pool, keep),
            quotas or setup.quotas,
            setup.rules.drawn,
            quotas_sha256=setup.quotas_sha256 if quotas is None else "",
        )
        setup.lotteries[key] = (distribution_for(inst, "leximin"), _type_keys(inst))
    return setup.lotteries[key]


def _monthly_draw(
    setup: JurySetup,
    state: JuryState,
    month: int,
    seed: str,
    lottery_months: int,
    start: str,
    room: tuple[Quota, ...] | None = None,
) -> tuple[Ints, DrawInfo, int]:
    """Draw the month's cohort (pool rows) with the state's LEXIMIN lottery, or a new one when it
    is ``lottery_months`` old or less than `MIN_KEPT` of it is still drawable; returns the rows,
    the record and the month of the lottery used.

    ``room`` (the monthly quotas narrowed to what the whole jury can take) keeps the jury within
    its quotas: only the lottery's panels within it are drawn from.  If none is (and a fresh
    lottery has none either), the cohort is drawn from a LEXIMIN lottery under ``room`` itself;
    if no panel meets ``room``, by the monthly quotas alone (the record says so)."""
    available = state.available
    keep = np.flatnonzero(available)
    if keep.size < setup.rules.drawn:
        raise JuryError(
            f"{month_label(month, start)}: only {keep.size} volunteers are left for a draw of "
            f"{setup.rules.drawn}"
        )
    inst = build_instance(
        sub_pool(setup.pool, keep),
        setup.quotas,
        setup.rules.drawn,
        quotas_sha256=setup.quotas_sha256,
    )
    at, kept = state.lottery_month, 0.0
    if at is not None and month - at < lottery_months:
        # the volunteers available when that lottery was computed: those not selected before
        dist, keys = _lottery(setup, state.selected_in >= at)
        panels, weights = _map_lottery(inst, dist, keys)
        kept = float(weights.sum())
        if room is not None and not _fits(inst, panels, room).any():
            kept = 0.0  # nothing of it fits the jury's room: try a lottery of the pool as it is
    if kept < MIN_KEPT:
        at = month
        dist, keys = _lottery(setup, available)
        panels, weights = _map_lottery(inst, dist, keys)
        kept = float(weights.sum())
    assert at is not None
    method = f"leximin (lottery of {month_label(at, start)}, {kept:.1%} of it drawable)"
    notes: list[str] = []
    if room is not None:
        fit = _fits(inst, panels, room)
        if fit.any():
            if not fit.all():
                share = float(weights[fit].sum() / weights.sum())
                notes.append(
                    f"drawn from the {share:.1%} of the drawable lottery that keeps the whole "
                    "jury within its quotas"
                )
            panels, weights = panels[fit], weights[fit]
        else:
            try:
                dist, keys = _lottery(setup, available, room)
            except CountError as exc:
                notes.append(
                    "no panel meets both the monthly quotas and the whole jury's room "
                    f"({exc}); drawn by the monthly quotas alone"
                )
            else:
                panels, weights = _map_lottery(inst, dist, keys)
                method = "leximin (a lottery under the monthly quotas narrowed to the jury's room)"
                notes.append(
                    "no panel of the lottery keeps the whole jury within its quotas: "
                    + "; ".join(
                        f"{n.label} {n.min}-{n.max}"
                        for q, n in zip(setup.quotas, room, strict=True)
                        if (q.min, q.max) != (n.min, n.max)
                    )
                )
    now = canonical(inst, panels, weights, dist.method, dist.version)
    chosen, j, u = sample(inst, now, seed)
    picked = keep[chosen]
    info = DrawInfo(
        kind="monthly",
        group=month_label(month, start),
        seed=seed,
        size=setup.rules.drawn,
        method=method,
        panel=tuple(setup.pool.ids[i] for i in picked),
        quotas=room or (),
        notes=(*notes, f"panel {j} of {len(now.weights)} drawn with u={u:.6f}"),
    )
    return picked, info, at


def _fits(inst: Instance, panels: Ints, quotas: Sequence[Quota]) -> Bools:
    """Which panels (counts of ``inst``'s types) are within ``quotas`` (on ``inst``'s quota
    values, in any order)."""
    row = {q.label: r for r, q in enumerate(inst.quotas)}
    counts = panels @ inst.incidence[[row[q.label] for q in quotas]].T
    low = np.array([q.min for q in quotas])
    high = np.array([q.max for q in quotas])
    out: Bools = np.asarray(((counts >= low) & (counts <= high)).all(axis=1))
    return out


def _map_lottery(inst: Instance, dist: Distribution, keys: Ints) -> tuple[Ints, NDArray[Any]]:
    """The lottery's panels as counts of ``inst``'s types, keeping those that ``inst`` can still
    fill; returns the panels and their (not renormalised) weights."""
    now = {row.tobytes(): t for t, row in enumerate(_type_keys(inst))}
    target = np.array([now.get(row.tobytes(), -1) for row in keys], dtype=np.int64)
    present = target >= 0
    ok = ~(dist.panels[:, ~present] > 0).any(axis=1)
    panels = np.zeros((dist.panels.shape[0], inst.ntypes), dtype=np.int64)
    panels[:, target[present]] = dist.panels[:, present]
    ok &= (panels <= inst.type_sizes[None, :]).all(axis=1)
    return panels[ok], dist.weights[ok]


def _relaxed(
    setup: JurySetup, available: Bools, quotas: tuple[Quota, ...], places: int
) -> tuple[tuple[Quota, ...], str]:
    """The smallest relaxation of ``quotas`` that admits a panel of ``places`` from the
    volunteers ``available`` (`electoral.sortition.panels.diagnose`), or no quotas at all."""
    none = tuple(Quota(q.feature, q.value, 0, places) for q in quotas)
    try:
        inst = build_instance(sub_pool(setup.pool, np.flatnonzero(available)), quotas, places)
        relaxations = diagnose(inst).relaxations
    except CountError:
        relaxations = ()
    if not relaxations:
        return none, "drawn without quotas"
    by_label = {r.quota: r for r in relaxations if r.bound == "min"}
    above = {r.quota: r for r in relaxations if r.bound == "max"}
    out = tuple(
        Quota(
            q.feature,
            q.value,
            by_label[q.label].suggested if q.label in by_label else q.min,
            above[q.label].suggested if q.label in above else q.max,
        )
        for q in quotas
    )
    return out, "relaxed: " + "; ".join(r.describe() for r in relaxations)


def _replacement_draw(
    setup: JurySetup,
    available: Bools,
    quotas: tuple[Quota, ...],
    places: int,
    seed: str,
    group: str,
    method: ReplacementMethod,
) -> tuple[Ints, DrawInfo]:
    """Draw ``places`` replacements (pool rows) with ``quotas``; if no panel meets them, with
    the smallest relaxation that admits one (noted in the record), and failing that without."""
    notes: list[str] = []
    for attempt in range(3):
        keep = np.flatnonzero(available & _usable(setup, quotas, places))
        try:
            if keep.size < places:
                raise CountError(f"only {keep.size} volunteers fit the quotas")
            inst = build_instance(sub_pool(setup.pool, keep), quotas, places)
            if method == "leximin":
                chosen = sample(inst, distribution_for(inst, "leximin"), seed)[0]
            else:
                chosen = legacy_panel(inst, generator(seed))
            break
        except CountError as exc:
            if attempt == 2:
                raise JuryError(f"replacement draw for {group}: {exc}") from exc
            if attempt == 0:
                quotas, how = _relaxed(setup, available, quotas, places)
            else:
                quotas, how = (
                    tuple(Quota(q.feature, q.value, 0, places) for q in quotas),
                    ("drawn without quotas"),
                )
            notes.append(f"no panel meets the replacement quotas ({exc}); {how}")
    picked = keep[chosen]
    info = DrawInfo(
        kind="replacement",
        group=group,
        seed=seed,
        size=places,
        method=method,
        panel=tuple(setup.pool.ids[i] for i in picked),
        quotas=quotas,
        notes=tuple(notes),
    )
    return picked, info


# ---------------------------------------------------------------------------------------------
# extensions


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
    rules = setup.rules
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
    counts = setup.counts(pool_ext).astype(np.float64)
    share = (setup.lower + setup.upper) / (2.0 * rules.drawn)
    chosen: list[Juror] = []

    def pick(group: list[Juror], cap: dict[int, int], places: int) -> None:
        nonlocal counts
        if not group or places <= 0:
            return
        order = rng.permutation(len(group))
        group = [group[i] for i in order]
        jitter = rng.random(len(group)) * JITTER
        member = setup.membership[:, [j.index for j in group]].astype(np.float64)
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


# ---------------------------------------------------------------------------------------------
# quotas


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


# ---------------------------------------------------------------------------------------------
# a month


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
    picked, info, lottery_month = _monthly_draw(
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
        people, info = _replacement_draw(
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


# ---------------------------------------------------------------------------------------------
# whole runs


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
    with tempfile.TemporaryDirectory() as tmp:
        pool_path, quota_path = Path(tmp, "pool.csv"), Path(tmp, "quotas.csv")
        pool_path.write_text(pool_csv(pool_size, pool_seed), encoding="utf-8")
        quota_path.write_text(quotas_csv(rules.drawn), encoding="utf-8")
        pool = read_pool(pool_path)
        quotas, sha = read_quota_file(quota_path)
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
