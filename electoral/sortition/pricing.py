"""The pricing step of LEXIMIN's column generation: a feasible panel worth more than the bound.

Column generation needs, at each step, any panel whose total dual weight beats the linear
program's bound, and at the end of a level a proof that none does.  The proof needs the integer
program (HiGHS); finding a better panel usually does not.  So a local search goes first: from
the best panel of the portfolio, move one person at a time from one type to another, best move
first, keeping every quota, until the panel beats the bound.  Only when it stalls is the integer
program solved (issue 22: on a 90-person draw in 150 types, nine pricing steps in ten were integer
programs of about 50 ms each, and the lottery took 22 s).
"""

from __future__ import annotations

import highspy
import numpy as np
from numpy.typing import NDArray

from electoral.sortition.instance import Instance
from electoral.sortition.panels import diagnose, panel_model

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
# The local search weighs every move (types x types) at once; above this many types the integer
# program alone prices (a move would cost more than it saves).
SEARCH_TYPES = 400
SEARCH_MOVES = 200


class Pricing:
    """The pricing integer program, built once (each call changes only the objective), and the
    local search that is tried before it."""

    def __init__(self, inst: Instance, *, search: bool = True) -> None:
        self.inst = inst
        self.h = panel_model(inst)
        self.h.setOptionValue("presolve", "off")  # small models: presolve costs more than it saves
        self.search = search and inst.ntypes <= SEARCH_TYPES and not inst.household_groups
        if self.search:
            self.A = inst.incidence.astype(np.float64)
            self.sizes = inst.type_sizes.astype(np.int64)

    def best(self, weights: Floats) -> tuple[Ints, float]:
        """The feasible panel of the largest total weight (the integer program)."""
        T = self.inst.ntypes
        self.h.changeColsCost(T, np.arange(T, dtype=np.int32), -np.asarray(weights, np.float64))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise diagnose(self.inst)
        counts = np.rint(np.asarray(self.h.getSolution().col_value)).astype(np.int64)
        return counts, float(np.dot(weights, counts))

    def better(self, weights: Floats, start: Ints, bound: float) -> tuple[Ints, float] | None:
        """A feasible panel worth more than ``bound``, found by moving people one at a time from
        ``start`` (a feasible panel), best move first, to a panel no single move improves (a
        strong column, not merely one past the bound), or ``None`` if that is not enough."""
        if not self.search:
            return None
        A, c = self.A, start.copy()
        counts = np.rint(A @ c).astype(np.int64)
        for _ in range(SEARCH_MOVES):
            # Only a type on the panel can give a person, and only to a type with room that
            # weighs more: the moves are weighed between those alone (the same best move, ties
            # broken the same way, as over every pair of types, in a fraction of the work).
            froms = np.flatnonzero(c > 0)
            lightest = weights[froms].min()
            tos = np.flatnonzero((c < self.sizes) & (weights > lightest + 1e-12))
            if tos.size == 0:
                break
            # Moving one person from type a to type b breaks a quota at its max that b has and
            # a has not, or one at its min that a has and b has not (the incidence is 0 or 1).
            full, short = A[counts >= self.inst.upper], A[counts <= self.inst.lower]
            blocked = (1.0 - full[:, froms]).T @ full[:, tos]
            blocked += short[:, froms].T @ (1.0 - short[:, tos])
            gain = weights[tos][None, :] - weights[froms][:, None]  # (from a, to b)
            allowed = (blocked == 0) & (gain > 1e-12)
            if not allowed.any():
                break
            i, j = np.unravel_index(int(np.argmax(np.where(allowed, gain, -np.inf))), gain.shape)
            a, b = froms[i], tos[j]
            c[a] -= 1
            c[b] += 1
            counts += np.rint(A[:, b] - A[:, a]).astype(np.int64)
        value = float(np.dot(weights, c))
        return (c, value) if value > bound else None
