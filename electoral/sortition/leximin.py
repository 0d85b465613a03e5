"""LEXIMIN selection probabilities by column generation: B. Flanigan, P. Gölz, A. Gupta,
B. Hennig and A. D. Procaccia, "Fair algorithms for selecting citizens' assemblies", Nature 596
(2021), 548-552, Methods ("LEXIMIN" and its column-generation implementation).

Among all probability distributions over quota-satisfying panels, LEXIMIN maximises the smallest
selection probability of any volunteer, then the second smallest, and so on.  Level by level:

1. Over the panels found so far (the portfolio), solve the LP "maximise z such that every
   volunteer not yet fixed is selected with probability >= z and every fixed volunteer keeps
   their fixed probability".
2. Price: with the LP's dual weights y, find the feasible panel maximising the total y of its
   members (an integer program).  If it beats the LP's dual bound, add it and go to 1.
3. Otherwise z is optimal for this level: the volunteers with positive dual weight cannot all be
   raised above z, so fix them at z and start the next level.

The paper used Gurobi; here the LPs and integer programs go to HiGHS (scipy).  Volunteers of one
type (identical features, no household rule) are interchangeable, so the program works on types:
a panel is a count per type and a volunteer's probability is the expected count over the type's
size.  This is what makes the 2,000-volunteer instance take seconds rather than the paper's 20
minutes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import highspy
import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.sortition.instance import Instance
from electoral.sortition.panels import new_highs
from electoral.sortition.pricing import Pricing
from electoral.sortition.uniform import counting_bound, uniform_panels

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Progress = Callable[[int, int, float], None]  # (fixed types, all types, current level)

#: How a lottery is computed: LEXIMIN, or the legacy greedy algorithm (for comparison).
Method = Literal["leximin", "legacy"]
METHODS: tuple[Method, ...] = get_args(Method)
VERSION = "leximin-cg/3"  # /3: everyone at k/n first when the quotas allow; counting bound
SECOND_VERSION = "leximin-cg/2"  # /2: a local search prices first; household-free people grouped
FIRST_VERSION = "leximin-cg/1"  # integer programs alone priced (kept to verify its draws)
EPS = 1e-9
FIX_EPS = 1e-7
# The master LP is solved to feasibility tolerances of 1e-9, so a fixed probability is kept
# to within 1e-8 (issue 22: with HiGHS's default 1e-7 and a slack of 1e-6, later levels could
# pull an earlier level down, and LEXIMIN's minimum fell 1e-6 below maximin's).
FEASIBLE = 1e-9
FIXED_SLACK = 1e-8
# The first version's tolerances (HiGHS's default 1e-7, a slack of 1e-6), kept so that its
# published draws recompute to the probabilities it published.
FIRST_FEASIBLE = 1e-7
FIRST_FIXED_SLACK = 1e-6
MAX_LP_SOLVES = 20_000
PRIMAL_SIMPLEX, DUAL_SIMPLEX = 4, 1  # HiGHS's simplex_strategy values
INITIAL_PANELS = 12


@dataclass(frozen=True, slots=True, eq=False)
class Distribution:
    """A lottery over panels: ``panels[j]`` (a count per type) is drawn with ``weights[j]``."""

    method: Method
    version: str
    panels: Ints
    weights: Floats
    type_probability: Floats
    person_probability: Floats
    lp_solves: int = 0
    levels: int = 0

    @property
    def minimum(self) -> float:
        return float(self.person_probability.min())

    @property
    def gini(self) -> float:
        return gini(self.person_probability)


def gini(x: Floats) -> float:
    """The Gini coefficient of a vector of non-negative numbers (0: all equal)."""
    v = np.sort(np.asarray(x, dtype=np.float64))
    n = v.size
    if n == 0 or v.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(2 * np.dot(ranks, v) / (n * v.sum()) - (n + 1) / n)


def canonical(
    inst: Instance,
    panels: Ints,
    weights: Floats,
    method: Method,
    version: str,
    lp_solves: int = 0,
    levels: int = 0,
) -> Distribution:
    """Merge identical panels, drop those of zero weight, order them lexicographically and
    compute every volunteer's probability."""
    keep = weights > 1e-12
    panels, weights = panels[keep], weights[keep]
    if panels.size == 0:
        raise CountError("the distribution has no panel of positive probability")
    uniq, inverse = np.unique(panels, axis=0, return_inverse=True)
    merged = np.bincount(inverse.ravel(), weights=weights, minlength=uniq.shape[0])
    merged = merged / merged.sum()
    type_p = (merged @ uniq) / inst.type_sizes
    return Distribution(
        method=method,
        version=version,
        panels=uniq.astype(np.int64),
        weights=merged,
        type_probability=type_p,
        person_probability=type_p[inst.type_of],
        lp_solves=lp_solves,
        levels=levels,
    )


class _Master:
    """The LEXIMIN linear program over the portfolio, kept in one HiGHS model so that each solve
    starts from the last basis: column 0 is z, row t is type t, row T is "probabilities sum
    to 1", one column per panel."""

    def __init__(
        self,
        sizes: Floats,
        feasible: float = FEASIBLE,
        slack: float = FIXED_SLACK,
        *,
        perturb: bool = True,
    ) -> None:
        self.T = sizes.size
        self.sizes = sizes
        self.slack = slack
        h = new_highs()
        h.setOptionValue("presolve", "off")  # presolve would discard the warm start
        # Each solve adds one column with a negative reduced cost: primal simplex re-optimises
        # in a few pivots where dual simplex took hundreds (measured: 4x fewer LP seconds).
        h.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        h.setOptionValue("primal_feasibility_tolerance", feasible)
        h.setOptionValue("dual_feasibility_tolerance", feasible)
        if not perturb:
            # Without perturbing the bounds, primal simplex re-optimises after a new column in
            # about a third of the pivots (this LP is highly degenerate, and removing the
            # perturbation cost more pivots than it saved: 37,502 against 128,290 on a jury's
            # draw of 90 from 60,000 in 214 types, the LP's time 3.6 s against 11.7 s).
            h.setOptionValue("primal_simplex_bound_perturbation_multiplier", 0.0)
        inf = highspy.kHighsInf
        h.addCol(-1.0, -inf, inf, 0, np.zeros(0, np.int32), np.zeros(0))  # minimise -z
        T = self.T
        # type rows: -z + sum_P p_P c_Pt / n_t >= 0 ; last row: sum_P p_P = 1
        h.addRows(
            T,
            np.zeros(T),
            np.full(T, inf),
            T,
            np.arange(T, dtype=np.int32),
            np.zeros(T, np.int32),
            -np.ones(T),
        )
        h.addRow(1.0, 1.0, 0, np.zeros(0, np.int32), np.zeros(0))
        self.h = h
        self.columns: list[Ints] = []
        self._seen: set[bytes] = set()

    def add(self, panel: Ints) -> bool:
        key = panel.tobytes()
        if key in self._seen:
            return False
        self._seen.add(key)
        self.columns.append(panel)
        rows = np.flatnonzero(panel).astype(np.int32)
        vals = panel[rows] / self.sizes[rows]
        idx = np.append(rows, np.int32(self.T))
        self.h.addCol(0.0, 0.0, highspy.kHighsInf, idx.size, idx, np.append(vals, 1.0))
        return True

    def fix(self, types: NDArray[np.bool_], level: float) -> None:
        for t in np.flatnonzero(types):
            self.h.changeCoeff(int(t), 0, 0.0)
            self.h.changeRowBounds(int(t), level - self.slack, highspy.kHighsInf)

    def solve(self) -> tuple[float, Floats, Floats, float]:
        """Solve; returns the level z, the panel weights, the dual weights of the types and
        the dual bound a new panel must beat."""
        optimal = highspy.HighsModelStatus.kOptimal
        self.h.run()
        if self.h.getModelStatus() != optimal:
            # From the last basis, primal simplex can stop with HiGHS's status "Unknown" on a
            # small degenerate LP (seen after fixing types in pools of about 20); the same LP
            # solves from no basis, and failing that by dual simplex.
            self.h.clearSolver()
            self.h.run()
        if self.h.getModelStatus() != optimal:
            self.h.clearSolver()
            self.h.setOptionValue("simplex_strategy", DUAL_SIMPLEX)
            self.h.run()
            self.h.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        if self.h.getModelStatus() != optimal:
            status = self.h.modelStatusToString(self.h.getModelStatus())
            raise CountError(f"the LEXIMIN linear program failed: {status}")
        sol = self.h.getSolution()
        x = np.asarray(sol.col_value)
        dual = np.asarray(sol.row_dual)
        return float(x[0]), x[1:], np.clip(dual[: self.T], 0.0, None), -float(dual[self.T])


def _initial_panels(inst: Instance, pricing: Pricing) -> list[Ints]:
    """A few diverse feasible panels to start from (deterministic: seeded by the instance)."""
    digest = hashlib.sha256(inst.pool.sha256.encode() + inst.quotas_sha256.encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    sizes = inst.type_sizes.astype(np.float64)
    out = [pricing.best(1.0 / sizes)[0]]
    for _ in range(min(INITIAL_PANELS, inst.ntypes)):
        out.append(pricing.best(rng.random(inst.ntypes) / sizes)[0])
    return out


def leximin(
    inst: Instance, progress: Progress | None = None, *, version: str = VERSION
) -> Distribution:
    """The LEXIMIN distribution over feasible panels of ``inst``, computed as ``version`` did
    (the probabilities are the same; the panels that carry them can differ)."""
    if version not in (VERSION, SECOND_VERSION, FIRST_VERSION):
        raise CountError(
            f"unknown LEXIMIN version {version!r}: {VERSION}, {SECOND_VERSION} or {FIRST_VERSION}"
        )
    T = inst.ntypes
    sizes = inst.type_sizes.astype(np.float64)
    pricing = Pricing(inst, search=version != FIRST_VERSION)
    first = version == FIRST_VERSION
    # Version 3 starts from a lottery with everyone at k/n when the quotas allow one, ends a
    # level that reaches the counting bound without pricing (``uniform.py`` proves both), and
    # solves its LPs without perturbing their bounds.
    third = version == VERSION
    if first:
        master = _Master(sizes, FIRST_FEASIBLE, FIRST_FIXED_SLACK)
    else:
        master = _Master(sizes, perturb=not third)
    uniform = uniform_panels(inst) if third else None
    for panel in uniform if uniform is not None else _initial_panels(inst, pricing):
        master.add(panel)
    fixed = np.zeros(T, dtype=bool)
    at = np.zeros(T)  # the level each fixed type was fixed at
    solves = levels = 0
    while True:
        levels += 1
        ceiling = counting_bound(sizes, fixed, at, inst.size) if third else np.inf
        while True:
            solves += 1
            if solves > MAX_LP_SOLVES:
                raise CountError("LEXIMIN did not converge within the limit of LP solves")
            z, weights, y, bound = master.solve()
            if z >= ceiling - FIX_EPS:
                y = np.where(fixed, 0.0, 1.0)  # every type left is held at the ceiling
                break
            beat = bound + EPS * max(1.0, abs(bound))
            start = master.columns[int(np.argmax(weights))]
            found = pricing.better(y / sizes, start, beat)
            panel, value = found if found is not None else pricing.best(y / sizes)
            if value <= beat or not master.add(panel):
                break
        newly = ~fixed & (y > FIX_EPS)
        if not newly.any():  # degenerate duals: fix the unfixed types that sit at the level
            P = np.vstack(master.columns).T / sizes[:, None]
            newly = ~fixed & ((P @ weights) <= z + FIX_EPS)
        master.fix(newly, z)
        at[newly] = z
        fixed |= newly
        if progress is not None:
            progress(int(fixed.sum()), T, z)
        if fixed.all():
            break
    return canonical(inst, np.vstack(master.columns), weights, "leximin", version, solves, levels)
