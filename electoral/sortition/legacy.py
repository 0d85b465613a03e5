"""The "legacy" greedy selection algorithm, as used by the Sortition Foundation before LEXIMIN and
described in Flanigan et al., Nature 596 (2021), Methods ("LEGACY"): for comparison only.

Person by person: among the feature values whose minimum is not yet met, take the one whose
remaining need is largest relative to the volunteers left who have it; pick one of those
volunteers uniformly at random; then drop from the pool everyone whose selection would break a
maximum (and, under the household rule, the chosen person's household).  When the pool can no
longer meet the quotas, start again.  Its selection probabilities have no closed form; they are
estimated by running it many times.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.sortition.instance import Instance

Ints = NDArray[np.int64]
MAX_ATTEMPTS = 1000


def _membership(inst: Instance) -> NDArray[np.bool_]:
    """(quotas, people): whether each person has each quota's value."""
    out: NDArray[np.bool_] = inst.incidence[:, inst.type_of] > 0
    return out


def legacy_panel(inst: Instance, rng: np.random.Generator) -> Ints:
    """One panel (pool indices, sorted) drawn by the legacy algorithm; retries on dead ends."""
    member = _membership(inst)
    households: dict[int, Ints] = {}
    for group in inst.household_groups:
        for i in group:
            households[int(i)] = group
    n = inst.pool.size
    for _ in range(MAX_ATTEMPTS):
        alive = np.ones(n, dtype=bool)
        count = np.zeros(len(inst.quotas), dtype=np.int64)
        chosen: list[int] = []
        ok = True
        while len(chosen) < inst.size:
            supply = member[:, alive].sum(axis=1)
            need = inst.lower - count
            if np.any(need > supply) or alive.sum() < inst.size - len(chosen):
                ok = False
                break
            urgent = need > 0
            if urgent.any():
                ratio = np.where(urgent, need / np.maximum(supply, 1), -1.0)
                q = int(np.argmax(ratio))
                candidates = np.flatnonzero(alive & member[q])
            else:
                candidates = np.flatnonzero(alive)
            if candidates.size == 0:
                ok = False
                break
            person = int(rng.choice(candidates))
            chosen.append(person)
            alive[person] = False
            if person in households:
                alive[households[person]] = False
            count += member[:, person]
            full = count >= inst.upper
            if full.any():
                alive &= ~member[full].any(axis=0)
        if ok and np.all(count >= inst.lower) and np.all(count <= inst.upper):
            return np.sort(np.asarray(chosen, dtype=np.int64))
    raise CountError(f"the legacy algorithm found no panel in {MAX_ATTEMPTS} attempts")


def legacy_probabilities(
    inst: Instance, runs: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], Ints]:
    """Estimated selection probability of every volunteer over ``runs`` legacy draws, and the
    panels drawn (as counts per type, one row per run)."""
    if runs < 1:
        raise CountError("the legacy estimate needs at least one run")
    hits = np.zeros(inst.pool.size, dtype=np.int64)
    panels = np.zeros((runs, inst.ntypes), dtype=np.int64)
    for r in range(runs):
        panel = legacy_panel(inst, rng)
        hits[panel] += 1
        panels[r] = np.bincount(inst.type_of[panel], minlength=inst.ntypes)
    return hits / runs, panels
