"""A verifiable draw: compute the lottery from the published inputs, then sample it with a seed
announced in advance, and record everything a citizen needs to check it.

The distribution depends only on the pool and quota files (it can be published before the seed is
known); the seed (any text, e.g. the week's lottery numbers) is hashed with SHA-256 into the
random generator that picks one panel of the distribution and, within each type, which of the
interchangeable volunteers sit.  Selection probabilities are published against pseudonyms
(HMAC-SHA256 of the id under a key the panel officer keeps), never against ids.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.lots import generator
from electoral.plain import Published, load, one_of
from electoral.sortition.instance import Instance, Quota, each_their_own_type
from electoral.sortition.legacy import legacy_panel, legacy_probabilities
from electoral.sortition.leximin import (
    FIRST_VERSION,
    METHODS,
    VERSION,
    Distribution,
    Method,
    Progress,
    canonical,
    gini,
    leximin,
)

Ints = NDArray[np.int64]
LEGACY_VERSION = "legacy-greedy/1"
LEGACY_RUNS = 1000
TOLERANCE = 1e-6


def pseudonym(person_id: str, key: str) -> str:
    """A stable pseudonym for a volunteer: HMAC-SHA256 of the id under the officer's key."""
    return hmac.new(key.encode(), person_id.encode(), hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PanelWeight(Published):
    """One panel of a published lottery: its probability and how many of each type it takes."""

    weight: float
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DrawRecord(Published):
    """The published record of a draw: enough to re-run and check it, no personal data beyond
    the ids of those selected."""

    method: Method
    version: str
    pool_sha256: str
    quotas_sha256: str
    pool_size: int
    size: int
    one_per_household: bool
    seed: str
    panel: tuple[str, ...]
    minimum_probability: float
    gini: float
    probabilities: Mapping[str, float]  # pseudonym -> selection probability
    types: tuple[Mapping[str, str], ...]  # the feature values of each type
    distribution: tuple[PanelWeight, ...]
    chosen_panel: int  # index into the distribution (-1 for legacy)
    # the uniform number that chose it; None for legacy (which draws no single number), so the
    # record is JSON that PostgreSQL accepts (an old record's NaN still loads)
    draw_value: float | None
    quotas: tuple[Quota, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DrawResult:
    """A draw as the officer sees it: the public record, the full distribution, the selected
    people, and the pseudonym key (keep it private)."""

    record: DrawRecord
    distribution: Distribution
    selected: Ints
    key: str = field(repr=False)


def record_from_dict(data: Mapping[str, Any]) -> DrawRecord:
    """Read a published record back (to verify it), checking every field."""
    return load(DrawRecord, data, "a draw record")


def distribution_for(
    inst: Instance,
    method: str,
    progress: Progress | None = None,
    legacy_runs: int = LEGACY_RUNS,
    version: str = VERSION,
) -> Distribution:
    """The lottery the method stands for (LEXIMIN exactly, as ``version`` computed it; legacy
    estimated by simulation with a generator seeded from the input files, so that it too is
    reproducible)."""
    if method == "leximin":
        return leximin(inst, progress, version=version)
    if method == "legacy":
        digest = hashlib.sha256((inst.pool.sha256 + inst.quotas_sha256).encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
        # Per type, the mean count over the runs (people of one type are interchangeable, so
        # this is a lower-variance estimate than each person's own hit rate).
        _, panels = legacy_probabilities(inst, legacy_runs, rng)
        return canonical(
            inst, panels, np.full(legacy_runs, 1.0 / legacy_runs), "legacy", LEGACY_VERSION
        )
    raise CountError(f"unknown method {method!r}: choose leximin or legacy")


def sample(inst: Instance, dist: Distribution, seed: str) -> tuple[Ints, int, float]:
    """Pick a panel of the distribution with the seed, then the people of each type; returns the
    selected pool indices (sorted), the panel's index and the uniform number drawn."""
    rng = generator(seed)
    u = float(rng.random())
    cumulative = np.cumsum(dist.weights)
    at = int(np.searchsorted(cumulative / cumulative[-1], u, side="right"))
    j = min(at, len(cumulative) - 1)
    chosen: list[int] = []
    for t, count in enumerate(dist.panels[j]):
        if count:
            chosen.extend(
                int(x) for x in rng.choice(inst.members[t], size=int(count), replace=False)
            )
    return np.sort(np.asarray(chosen, dtype=np.int64)), j, u


def run_draw(
    inst: Instance,
    seed: str,
    method: str = "leximin",
    *,
    key: str | None = None,
    progress: Progress | None = None,
    legacy_runs: int = LEGACY_RUNS,
) -> DrawResult:
    """Compute the distribution, draw a panel with the public seed, and build the record."""
    if not one_of(method, METHODS):
        raise CountError(f"unknown method {method!r}: choose leximin or legacy")
    dist = distribution_for(inst, method, progress, legacy_runs)
    if method == "leximin":
        selected, j, u = sample(inst, dist, seed)
    else:
        selected, j, u = legacy_panel(inst, generator(seed)), -1, None
    key = key or secrets.token_hex(16)
    pool = inst.pool
    used = [
        pool.features.index(f)
        for f in dict.fromkeys(q.feature for q in inst.quotas)
        if f in pool.features
    ]
    types = (
        tuple(
            {pool.features[f]: pool.values[f][int(pool.codes[m[0], f])] for f in used}
            for m in inst.members
        )
        if not inst.one_per_household
        else ()
    )
    distribution = (
        tuple(
            PanelWeight(float(w), tuple(int(x) for x in c))
            for w, c in zip(dist.weights, dist.panels, strict=True)
        )
        if not inst.one_per_household
        else ()
    )
    notes = []
    if inst.one_per_household:
        notes.append(
            "household rule: every volunteer who shares a household is their own type; the "
            "distribution is not published (it would identify households)"
        )
    if method == "legacy":
        notes.append(f"legacy probabilities are estimated from {legacy_runs} simulated draws")
    record = DrawRecord(
        method=method,
        version=dist.version,
        pool_sha256=pool.sha256,
        quotas_sha256=inst.quotas_sha256,
        pool_size=pool.size,
        size=inst.size,
        one_per_household=inst.one_per_household,
        seed=seed,
        panel=tuple(pool.ids[i] for i in selected),
        minimum_probability=dist.minimum,
        gini=gini(dist.person_probability),
        probabilities=dict(
            sorted(
                (pseudonym(pid, key), float(p))
                for pid, p in zip(pool.ids, dist.person_probability, strict=True)
            )
        ),
        types=types,
        distribution=distribution,
        chosen_panel=j,
        draw_value=u,
        quotas=inst.quotas,
        notes=tuple(notes),
    )
    return DrawResult(record, dist, selected, key)


def verify(record: DrawRecord, inst: Instance, progress: Progress | None = None) -> list[str]:
    """Re-run a published draw from the pool and quota files; returns every difference found
    (an empty list means the draw is confirmed)."""
    problems: list[str] = []
    if inst.pool.sha256 != record.pool_sha256:
        problems.append("the pool file's SHA-256 differs from the published one")
    if inst.quotas_sha256 != record.quotas_sha256:
        problems.append("the quota file's SHA-256 differs from the published one")
    if inst.size != record.size:
        problems.append(f"panel size: published {record.size}, asked {inst.size}")
    if problems:
        return problems
    if record.method == "legacy":
        again = legacy_panel(inst, generator(record.seed))
        ids = tuple(inst.pool.ids[i] for i in again)
        if ids != record.panel:
            problems.append("the legacy algorithm with this seed selects a different panel")
        return problems
    version = record.version if record.method == "leximin" else VERSION
    if version == FIRST_VERSION and inst.one_per_household:
        inst = each_their_own_type(inst)  # as the first version grouped them
    dist = distribution_for(inst, record.method, progress, version=version)
    recomputed = np.sort(dist.person_probability)
    published = np.sort(np.asarray(list(record.probabilities.values()), dtype=np.float64))
    if recomputed.shape != published.shape or np.max(np.abs(recomputed - published)) > TOLERANCE:
        problems.append("the selection probabilities differ from those recomputed from the files")
    if abs(dist.minimum - record.minimum_probability) > TOLERANCE:
        problems.append(
            f"minimum probability: published {record.minimum_probability:.6f}, recomputed "
            f"{dist.minimum:.6f}"
        )
    if record.distribution:
        published_dist = canonical(
            inst,
            np.asarray([p.counts for p in record.distribution], dtype=np.int64),
            np.asarray([p.weight for p in record.distribution]),
            record.method,
            record.version,
        )
    else:
        published_dist = dist
    selected, j, _u = sample(inst, published_dist, record.seed)
    ids = tuple(inst.pool.ids[i] for i in selected)
    if ids != record.panel:
        problems.append("sampling the published distribution with the seed gives another panel")
    if j != record.chosen_panel:
        problems.append(f"chosen panel: published {record.chosen_panel}, re-drawn {j}")
    return problems
