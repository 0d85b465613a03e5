"""The draws of a month: the monthly draw of a new cohort and the replacement draws.

**The monthly draw** is a LEXIMIN sortition draw (`electoral.sortition`) of ``drawn`` people from
the volunteers never selected, with the monthly quotas.  Computing the LEXIMIN lottery took 13 to
20 seconds for the synthetic pool (~200 types; measured on a shared 2-core machine), too long for
every month, so the lottery is reused: the state records the month its lottery was computed, and
each month samples that lottery against the volunteers still available (panels that need more
people of a type than remain are dropped, the rest renormalised).  A new lottery is computed from
the current pool when the old one is ``lottery_months`` old (default 12) or less than `MIN_KEPT`
(a quarter) of its weight is still drawable.  Popular types run out fast (the quotas want 22%
aged 16-29; the pool has 12%), so in practice a lottery lasts 2 to 12 months.  A lottery is a
pure function of the pool and the volunteers available in its month, so any month can be re-run
from the state before it; ``lottery_months=1`` gives an exact LEXIMIN draw every month.  The
draws use `distribution_for` and `sample` (what `run_draw` does, without building a publishable
record each time).

**Replacement draws.** Withdrawals are grouped by *place*: a first-year juror's cohort, or the
extension-year group (all jurors past their first year).  Each group gets one draw of as many
people as withdrew from it, with quotas that keep the group within its quotas
(`chamber.jury.quotas.replacement_quotas`).  The group bounds are the monthly quotas for a cohort
and the whole-jury quotas for the extension-year group, whose "rest" is the rest of the whole
jury.  A replacement takes over the withdrawn juror's place: their cohort, their term end and
their extended flag (so a replacement is never extended a second time, and the extensions of each
group stay complete).  Volunteers who cannot be in any panel of the draw (a value whose ``max`` is
0, or a feature whose other values' minimums fill the draw) are left out before the draw.
Sometimes no volunteer left fits (one withdrawal from a cohort at the bounds of several quotas
needs exactly the withdrawn juror's kind of person, and the monthly draws use up the scarce
kinds): the draw then uses the smallest relaxation of the quotas that admits a panel
(`electoral.sortition.panels.diagnose`), the cohort is out of its quotas by that much, and the
draw's record and the month's problems say so.  The default method for replacement draws is the
Sortition Foundation's legacy greedy algorithm (`electoral.sortition.legacy`: one panel,
re-runnable from the seed): an exact LEXIMIN draw for one to ten places took 0.2 to 17 seconds on
the synthetic pool (measured), too slow for the ~10 replacement draws a month;
``replacement_method="leximin"`` uses LEXIMIN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chamber.jury.rules import (
    Bools,
    Ints,
    JuryError,
    JurySetup,
    JuryState,
    ReplacementMethod,
    month_label,
    sha256_hex,
)
from chamber.serial import as_json
from electoral.errors import CountError
from electoral.lots import generator
from electoral.sortition.draw import distribution_for, sample
from electoral.sortition.instance import Instance, Pool, Quota, build_instance
from electoral.sortition.legacy import legacy_panel
from electoral.sortition.leximin import Distribution, canonical
from electoral.sortition.panels import diagnose

MIN_KEPT = 0.25
"""A cached lottery is used while at least this share of its weight is still drawable."""


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
        return as_json(self)


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
        sha256=sha256_hex(pool.sha256.encode() + keep.tobytes()),
        source=f"{pool.source} ({keep.size:,} of {pool.size:,} still available)",
    )


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


def _lottery(
    setup: JurySetup, available: Bools, quotas: tuple[Quota, ...] | None = None
) -> tuple[Distribution, Ints]:
    """The LEXIMIN lottery for a monthly draw from the volunteers ``available`` (memoised), with
    the monthly quotas or the narrower ``quotas``."""
    key = sha256_hex(np.packbits(available).tobytes())
    if quotas is not None:
        key += sha256_hex(repr([(q.feature, q.value, q.min, q.max) for q in quotas]).encode())
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


def monthly_draw(
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


def replacement_draw(
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
