"""Everyone at k/n (`electoral.sortition.uniform`): the systematic-sampling lottery keeps every
quota and household, gives every volunteer exactly k/n, and LEXIMIN's third version (which
starts from it and stops at the counting bound) gives the same probabilities as the second."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from electoral.errors import CountError
from electoral.sortition.draw import run_draw, sample, verify
from electoral.sortition.instance import (
    Instance,
    build_instance,
    each_their_own_type,
    parse_pool,
    parse_quotas,
    read_pool,
    read_quotas,
)
from electoral.sortition.leximin import SECOND_VERSION, VERSION, leximin
from electoral.sortition.uniform import counting_bound, uniform_panels

LARGE = Path(__file__).resolve().parents[3] / "shared" / "data" / "sortition" / "example_large_200"


def _quotas(size: int, **bounds: tuple[int, int]) -> str:
    """Quotas for every value of a (x, y, z) and b (p, q): 0 to ``size`` unless given."""
    rows = [f"{f},{v},{bounds.get(v, (0, size))[0]},{bounds.get(v, (0, size))[1]}\n"
            for f, values in (("a", "xyz"), ("b", "pq")) for v in values]
    return "feature,value,min,max\n" + "".join(rows)


def _instance(rows: list[tuple[int, int, str]], quotas: str, size: int) -> Instance:
    text = "id,a,b,household\n" + "".join(
        f"p{i},{'xyz'[a]},{'pq'[b]},{home}\n" for i, (a, b, home) in enumerate(rows)
    )
    pool = parse_pool(text, household_column="household")
    return build_instance(pool, parse_quotas(quotas)[0], size, one_per_household=True)


def _check_panels(inst: Instance, panels: list[np.ndarray]) -> None:
    """Every panel keeps the size, every quota and one per household; their uniform mixture
    gives every volunteer k/n."""
    n, k = inst.pool.size, inst.size
    for counts in panels:
        assert counts.sum() == k
        assert np.all(counts <= inst.type_sizes)
        assert np.all(counts >= 0)
        per_quota = inst.incidence @ counts
        assert np.all(per_quota >= inst.lower)
        assert np.all(per_quota <= inst.upper)
        for members in inst.household_groups:
            assert counts[inst.type_of[members]].sum() <= 1
    mixture = np.mean(np.vstack(panels), axis=0) / inst.type_sizes
    np.testing.assert_allclose(mixture[inst.type_of], np.full(n, k / n), atol=1e-12)


def test_example_large_200_person_by_person_is_everyone_at_one_in_ten():
    pool = read_pool(LARGE / "respondents.csv")
    quotas, sha = read_quotas(LARGE / "categories.csv")
    for shared in (0, 100):
        homes = tuple(f"pair{i // 2}" if i < shared else f"alone{i}" for i in range(pool.size))
        inst = each_their_own_type(build_instance(
            dataclasses.replace(pool, households=homes), quotas, 200, one_per_household=True,
            quotas_sha256=sha))
        assert inst.ntypes == 2000
        panels = uniform_panels(inst)
        assert panels is not None
        _check_panels(inst, panels)
        dist = leximin(inst)
        assert dist.levels == 1
        np.testing.assert_allclose(dist.person_probability, 0.1, atol=1e-9)
        _check_panels(inst, [p for p, w in zip(dist.panels, dist.weights, strict=True)
                             for _ in range(round(w * 10))])


def test_a_quota_that_excludes_the_pool_share_rules_out_a_uniform_lottery():
    rows = [(i % 3, i % 2, f"h{i}") for i in range(30)]
    # a=x is a third of the pool: 3.33 of a panel of 10 under any uniform lottery, not 4 to 6
    inst = _instance(rows, _quotas(10, x=(4, 6)), 10)
    assert uniform_panels(inst) is None
    dist = leximin(inst)
    assert dist.minimum < 10 / 30 - 1e-6
    np.testing.assert_allclose(dist.person_probability,
                               leximin(inst, version=SECOND_VERSION).person_probability,
                               atol=1e-6)


def test_the_counting_bound_shares_what_the_fixed_leave():
    sizes = np.array([10.0, 20.0, 30.0])
    fixed = np.array([True, False, False])
    levels = np.array([0.1, 0.0, 0.0])
    assert counting_bound(sizes, fixed, levels, 6) == (6 - 1.0) / 50
    assert counting_bound(sizes, np.ones(3, bool), levels, 6) == np.inf


def test_a_draw_of_the_third_version_verifies_and_the_second_still_does():
    rows = [(i % 3, (i // 3) % 2, f"h{i // 2}" if i < 8 else f"h{i}") for i in range(60)]
    inst = _instance(rows, _quotas(12, x=(1, 5), y=(1, 5), z=(1, 5), p=(2, 8)), 12)
    result = run_draw(inst, "seed")
    assert result.record.version == VERSION
    assert verify(result.record, inst) == []
    second = leximin(inst, version=SECOND_VERSION)
    selected, j, u = sample(inst, second, "seed")
    record = dataclasses.replace(
        result.record, version=SECOND_VERSION, panel=tuple(inst.pool.ids[i] for i in selected),
        chosen_panel=j, draw_value=u)
    assert verify(record, inst) == []
    old = leximin(inst, version=SECOND_VERSION)
    np.testing.assert_allclose(leximin(inst).person_probability, old.person_probability,
                               atol=1e-6)


# Two pools on which HiGHS's primal simplex, from the last basis, stopped with status "Unknown"
# (the second version on the first, the third on the second); the master LP now solves again
# from no basis.
_UNKNOWN = [(1, 1, 1), (0, 1, 1), (2, 0, 31), (0, 1, 3), (2, 1, 33), (0, 0, 18), (1, 1, 14),
            (1, 1, 35), (1, 0, 13), (1, 1, 1), (1, 0, 27), (0, 1, 23), (1, 0, 16), (2, 1, 1),
            (0, 0, 38), (1, 1, 6), (0, 1, 30), (1, 1, 0), (0, 1, 5), (2, 1, 14), (0, 0, 16)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(_UNKNOWN, 8, 3, 3)
@example([*_UNKNOWN[:11], (1, 0, 33), *_UNKNOWN[13:]], 8, 3, 3)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 40)),
             min_size=8, max_size=40),
    st.integers(2, 8),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_third_version_probabilities_equal_the_second_and_uniform_panels_hold(
    rows, size, low_x, low_p
):
    assume(size <= len(rows) and low_x <= size and low_p <= size)
    people = [(a, b, f"h{home}") for a, b, home in rows]
    try:
        inst = _instance(people, _quotas(size, x=(low_x, size), p=(low_p, size)), size)
    except CountError:  # quotas the pool cannot meet are refused before any lottery
        assume(False)
    panels = uniform_panels(inst)
    if panels is not None:
        _check_panels(inst, panels)
    try:
        old = leximin(inst, version=SECOND_VERSION)
    except CountError:  # no feasible panel: the third version refuses alike
        with pytest.raises(CountError):
            leximin(inst)
    else:
        new = leximin(inst)
        np.testing.assert_allclose(new.person_probability, old.person_probability, atol=1e-6)
        assert new.minimum >= old.minimum - 1e-7
