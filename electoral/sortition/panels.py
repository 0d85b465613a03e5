"""Feasible panels as integer programs (HiGHS through scipy.optimize.milp), and what to relax when
the quotas admit none.

A panel is a count ``c[t]`` of people of each type, ``0 <= c[t] <= size of type t``, with
``sum(c) = panel size``, every quota's count between its min and max and, under the household
rule, at most one person per household.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from electoral.errors import CountError
from electoral.sortition.instance import Instance

Highs = highspy._core._Highs  # the solver without highspy's Python callback layer (see new_highs)

Ints = NDArray[np.int64]


class InfeasibleQuotasError(CountError):
    """No panel meets every quota; ``relaxations`` say the least change that would make one."""

    def __init__(self, message: str, relaxations: tuple[Relaxation, ...]) -> None:
        super().__init__(message)
        self.relaxations = relaxations


@dataclass(frozen=True, slots=True)
class Relaxation:
    quota: str
    bound: str  # "min" or "max"
    current: int
    suggested: int

    def describe(self) -> str:
        by = abs(self.current - self.suggested)
        return f"{self.quota}: {self.bound} {self.current} -> {self.suggested} (by {by})"


def _constraints(inst: Instance) -> list[LinearConstraint]:
    T = inst.ntypes
    cons = [
        LinearConstraint(np.ones((1, T)), inst.size, inst.size),
        LinearConstraint(inst.incidence, inst.lower, inst.upper),
    ]
    if inst.household_groups:
        rows: list[int] = []
        cols: list[int] = []
        for g, members in enumerate(inst.household_groups):
            rows.extend([g] * members.size)
            cols.extend(int(inst.type_of[m]) for m in members)
        H = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(inst.household_groups), T))
        cons.append(LinearConstraint(H, 0, 1))
    return cons


def new_highs() -> Highs:
    """A silent HiGHS model, which would otherwise print its banner and log on the standard output
    (corrupting JSON output).  HiGHS writes nothing once its ``output_flag`` option is off, but
    only if that is set before any other call; ``highspy.Highs`` makes a call in its constructor
    (it registers its Python callbacks, which this code does not use), so the model is HiGHS's
    own solver class, whose constructor calls nothing."""
    h = Highs()
    h.setOptionValue("output_flag", False)
    return h


def panel_model(inst: Instance) -> Highs:
    """The integer program of feasible panels as a HiGHS model with a zero objective, to be
    given objectives again and again (the pricing step of column generation)."""
    T = inst.ntypes
    h = new_highs()
    h.setOptionValue("mip_rel_gap", 1e-7)
    h.addVars(T, np.zeros(T), inst.type_sizes.astype(np.float64))
    h.changeColsIntegrality(
        T, np.arange(T, dtype=np.int32), np.full(T, highspy.HighsVarType.kInteger)
    )
    for con in _constraints(inst):
        A = csr_matrix(con.A)
        lo = np.broadcast_to(np.asarray(con.lb, dtype=np.float64), (A.shape[0],)).copy()
        hi = np.broadcast_to(np.asarray(con.ub, dtype=np.float64), (A.shape[0],)).copy()
        lo[np.isneginf(lo)] = -highspy.kHighsInf
        hi[np.isposinf(hi)] = highspy.kHighsInf
        h.addRows(
            A.shape[0],
            lo,
            hi,
            A.nnz,
            A.indptr.astype(np.int32),
            A.indices.astype(np.int32),
            A.data.astype(np.float64),
        )
    return h


def diagnose(inst: Instance) -> InfeasibleQuotasError:
    """The smallest total change to quota bounds that admits a panel, as an exception to raise.

    Solves: minimise the total of ``below[q] + above[q]`` subject to
    ``min[q] - below[q] <= count[q] <= max[q] + above[q]`` over integer panels.
    """
    T, Q = inst.ntypes, len(inst.quotas)
    A = inst.incidence
    # variables: c (T), below (Q), above (Q)
    lo_rows = np.hstack([A, np.eye(Q), np.zeros((Q, Q))])  # A c + below >= min
    hi_rows = np.hstack([A, np.zeros((Q, Q)), -np.eye(Q)])  # A c - above <= max
    size_row = np.hstack([np.ones(T), np.zeros(2 * Q)])
    cons = [
        LinearConstraint(lo_rows, inst.lower, np.inf),
        LinearConstraint(hi_rows, -np.inf, inst.upper),
        LinearConstraint(size_row[None, :], inst.size, inst.size),
    ]
    if inst.household_groups:
        H = np.zeros((len(inst.household_groups), T + 2 * Q))
        for g, members in enumerate(inst.household_groups):
            H[g, inst.type_of[members]] = 1
        cons.append(LinearConstraint(H, 0, 1))
    res = milp(
        c=np.concatenate([np.zeros(T), np.ones(2 * Q)]),
        constraints=cons,
        integrality=np.concatenate([np.ones(T), np.zeros(2 * Q)]),
        bounds=Bounds(
            np.zeros(T + 2 * Q), np.concatenate([inst.type_sizes, np.full(2 * Q, np.inf)])
        ),
        options={"disp": False},
    )
    if res.status != 0 or res.x is None:
        return InfeasibleQuotasError(
            "no panel of this size can be drawn from the pool even with the quotas relaxed "
            "(the household rule leaves too few people)",
            (),
        )
    below = np.rint(res.x[T : T + Q]).astype(np.int64)
    above = np.rint(res.x[T + Q :]).astype(np.int64)
    out: list[Relaxation] = []
    for q, quota in enumerate(inst.quotas):
        if below[q] > 0:
            out.append(Relaxation(quota.label, "min", quota.min, quota.min - int(below[q])))
        if above[q] > 0:
            out.append(Relaxation(quota.label, "max", quota.max, quota.max + int(above[q])))
    lines = "\n  ".join(r.describe() for r in out)
    total = int(below.sum() + above.sum())
    return InfeasibleQuotasError(
        f"no panel of {inst.size} meets every quota; these quotas conflict, and the smallest "
        f"relaxation (changing the bounds by {total} in all) is:\n  {lines}",
        tuple(out),
    )
