"""LEXIMIN's smallest probability is never below maximin's (issue 22).

Maximin is computed independently of the package: every feasible panel of a small random instance
is enumerated and the linear program "maximise the smallest probability" is solved over all of
them.  Both minimums are read the same way, from each lottery's panels and weights (normalised),
and compared within one stated tolerance: both linear programs are solved by HiGHS to feasibility
tolerances of 1e-9, so 1e-7 leaves a hundredfold margin while catching the 1e-6 shortfall issue
22 found.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from electoral.errors import CountError
from electoral.sortition.instance import (
    Instance,
    build_instance,
    each_their_own_type,
    parse_pool,
    parse_quotas,
)
from electoral.sortition.leximin import leximin

TOLERANCE = 1e-7


def maximin_minimum(inst: Instance) -> float | None:
    """Maximin over every feasible panel of people (None if there is none), the minimum read
    from the lottery's weights."""
    n = inst.pool.size
    person_features = inst.incidence[:, inst.type_of]  # (quotas, people)
    panels = []
    for chosen in itertools.combinations(range(n), inst.size):
        counts = person_features[:, chosen].sum(axis=1)
        if np.all(counts >= inst.lower) and np.all(counts <= inst.upper):
            row = np.zeros(n)
            row[list(chosen)] = 1.0
            panels.append(row)
    if not panels:
        return None
    P = np.array(panels)  # (panels, people)
    m = P.shape[0]
    # variables: weights (m), z; maximise z: z - P^T w <= 0, sum w = 1
    res = linprog(
        c=np.append(np.zeros(m), -1.0),
        A_ub=np.hstack([-P.T, np.ones((n, 1))]),
        b_ub=np.zeros(n),
        A_eq=np.append(np.ones(m), 0.0)[None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
        options={"primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9},
    )
    assert res.status == 0
    w = np.clip(res.x[:m], 0.0, None)
    return float((w / w.sum() @ P).min())


def lottery_minimum(inst: Instance, panels: np.ndarray, weights: np.ndarray) -> float:
    w = weights / weights.sum()
    return float(((w @ panels) / inst.type_sizes)[inst.type_of].min())


@st.composite
def instances(draw: st.DrawFn) -> Instance | None:
    """A small pool in two features with random quotas (None if they do not fit the pool)."""
    n = draw(st.integers(4, 9))
    size = draw(st.integers(2, min(4, n - 1)))
    a = draw(st.lists(st.sampled_from("xy"), min_size=n, max_size=n))
    b = draw(st.lists(st.sampled_from("pqr"), min_size=n, max_size=n))
    pool = "id,a,b\n" + "".join(f"v{i},{a[i]},{b[i]}\n" for i in range(n))
    lines = ["feature,value,min,max"]
    for feature, values in (("a", "xy"), ("b", "pqr")):
        for value in values:
            lo = draw(st.integers(0, size))
            hi = draw(st.integers(lo, size))
            lines.append(f"{feature},{value},{lo},{hi}")
    quotas, sha = parse_quotas("\n".join(lines) + "\n")
    try:
        inst = build_instance(parse_pool(pool), quotas, size, quotas_sha256=sha)
    except CountError:
        return None
    return each_their_own_type(inst) if draw(st.booleans()) else inst


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instances())
def test_leximin_minimum_is_never_below_maximin(inst):
    assume(inst is not None)
    best = maximin_minimum(inst)
    assume(best is not None)
    dist = leximin(inst)
    ours = lottery_minimum(inst, dist.panels.astype(np.float64), dist.weights)
    assert ours >= best - TOLERANCE
    # and LEXIMIN's first level is maximin: its minimum is no higher than the optimum either
    assert ours <= best + TOLERANCE
