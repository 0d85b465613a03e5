"""Sortition: LEXIMIN against the Nature 2021 reference instances, quotas always met, verifiable
seeded draws, and clear errors for bad pools and quotas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from electoral.errors import CountError
from electoral.sortition.draw import (
    distribution_for,
    pseudonym,
    record_from_dict,
    run_draw,
    sample,
    verify,
)
from electoral.sortition.instance import (
    Instance,
    build_instance,
    parse_pool,
    parse_quotas,
    read_pool,
    read_quotas,
)
from electoral.sortition.legacy import legacy_panel
from electoral.sortition.leximin import Distribution, gini, leximin
from electoral.sortition.panels import InfeasibleQuotasError
from electoral.sortition.synthetic import write_instance
from tests.conftest import DATA, shared_data
from tests.electoral.file_errors import names_file

ROOT = Path(__file__).resolve().parents[2]


def instance(folder: Path, size: int, **kw: object) -> Instance:
    pool = read_pool(folder / "respondents.csv", id_column=None)
    quotas, sha = read_quotas(folder / "categories.csv")
    return build_instance(pool, quotas, size, quotas_sha256=sha, **kw)  # type: ignore[arg-type]


def panels_meet_quotas(inst: Instance, panels: np.ndarray) -> bool:
    counts = panels @ inst.incidence.T  # (panels, quotas)
    sizes_ok = np.all(panels.sum(axis=1) == inst.size)
    return bool(sizes_ok and np.all(counts >= inst.lower) and np.all(counts <= inst.upper))


def test_leximin_reaches_the_reference_minimum_on_example_small_20():
    inst = instance(DATA / "sortition" / "example_small_20", 20)
    dist = leximin(inst)
    assert dist.minimum == pytest.approx(0.10, abs=1e-6)  # the paper's LEXIMIN figure, 10.0%
    assert panels_meet_quotas(inst, dist.panels)
    assert dist.person_probability.sum() == pytest.approx(20)


def test_leximin_reaches_the_reference_minimum_on_example_large_200():
    inst = instance(shared_data("sortition", "example_large_200"), 200)
    dist = leximin(inst)
    assert dist.minimum == pytest.approx(0.10, abs=1e-6)
    assert dist.gini == pytest.approx(0.0, abs=1e-6)
    assert panels_meet_quotas(inst, dist.panels)


def test_leximin_beats_legacy_on_a_skewed_pool(tmp_path):
    pool, quotas = write_instance(tmp_path, 100, 10, seed=3)
    inst = build_instance(read_pool(pool), read_quotas(quotas)[0], 10)
    fair = leximin(inst)
    greedy = distribution_for(inst, "legacy", legacy_runs=200)
    assert panels_meet_quotas(inst, fair.panels)
    assert panels_meet_quotas(inst, greedy.panels)
    assert fair.minimum >= greedy.minimum - 1e-9
    assert fair.person_probability.sum() == pytest.approx(10)


@st.composite
def small_instances(draw):
    n = draw(st.integers(8, 30))
    a = draw(st.lists(st.sampled_from(["x", "y"]), min_size=n, max_size=n))
    b = draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=n, max_size=n))
    k = draw(st.integers(2, max(2, n // 2)))
    rows = "\n".join(f"{i},{a[i]},{b[i]}" for i in range(n))
    bounds = {}
    for value in ("x", "y", "p", "q", "r"):
        lo = draw(st.integers(0, k // 2))
        bounds[value] = (lo, draw(st.integers(lo, k)))
    quota_rows = "\n".join(
        f"{'a' if v in 'xy' else 'b'},{v},{lo},{hi}" for v, (lo, hi) in bounds.items()
    )
    return f"id,a,b\n{rows}\n", f"feature,value,min,max\n{quota_rows}\n", k


def _solved(pool_text: str, quota_text: str, k: int) -> tuple[Instance, Distribution] | None:
    """The instance and its LEXIMIN lottery, or None when the quotas admit no panel."""
    try:
        inst = build_instance(parse_pool(pool_text), parse_quotas(quota_text)[0], k)
        return inst, leximin(inst)
    except CountError:
        return None


@settings(max_examples=25, deadline=None)
@given(small_instances())
def test_every_panel_meets_the_quotas_and_probabilities_sum_to_the_panel_size(case):
    solved = _solved(*case)
    assume(solved is not None)
    inst, dist = solved
    k = case[2]
    assert panels_meet_quotas(inst, dist.panels)
    assert dist.person_probability.sum() == pytest.approx(k, abs=1e-6)
    assert np.all(dist.person_probability <= 1 + 1e-9)
    result = run_draw(inst, "seed", "leximin")
    chosen = inst.incidence[:, inst.type_of[result.selected]].sum(axis=1)
    assert np.all(chosen >= inst.lower)
    assert np.all(chosen <= inst.upper)
    assert len(result.selected) == k


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """A 120-volunteer synthetic pool, its instance and one LEXIMIN draw (computed once)."""
    folder = tmp_path_factory.mktemp("pool")
    pool, quotas = write_instance(folder, 120, 12, seed=5)
    qs, sha = read_quotas(quotas)
    inst = build_instance(read_pool(pool), qs, 12, quotas_sha256=sha)
    return inst, run_draw(inst, "lottery 3 14 15", "leximin", key="secret")


def test_same_seed_same_panel_and_another_seed_another_panel(drawn):
    inst, result = drawn
    again, _, _ = sample(inst, result.distribution, "lottery 3 14 15")
    assert np.array_equal(again, result.selected)
    others = {tuple(sample(inst, result.distribution, f"lottery {i}")[0]) for i in range(5)}
    assert len(others | {tuple(result.selected)}) > 1


def test_the_published_record_verifies_and_tampering_is_caught(drawn):
    inst, result = drawn
    record = record_from_dict(json.loads(result.record.to_json()))
    assert verify(record, inst) == []
    data = result.record.as_dict()
    data["seed"] = "another"
    assert "sampling the published distribution with the seed gives another panel" in verify(
        record_from_dict(data), inst
    )
    data = result.record.as_dict()
    data["pool_sha256"] = "0" * 64
    assert verify(record_from_dict(data), inst) == [
        "the pool file's SHA-256 differs from the published one"
    ]


def test_the_record_shows_probabilities_only_against_pseudonyms(drawn):
    inst, result = drawn
    keys = set(result.record.probabilities)
    assert not keys & set(inst.pool.ids)
    assert len(keys) == inst.pool.size
    assert {pseudonym(i, "secret") for i in inst.pool.ids} == keys
    assert {pseudonym(i, "other") for i in inst.pool.ids} != keys


def test_legacy_draw_meets_quotas_and_verifies(drawn):
    inst, _ = drawn
    result = run_draw(inst, "s", "legacy", legacy_runs=50)
    chosen = inst.incidence[:, inst.type_of[result.selected]].sum(axis=1)
    assert np.all(chosen >= inst.lower)
    assert np.all(chosen <= inst.upper)
    assert verify(result.record, inst) == []


def test_at_most_one_person_per_household():
    rows = "\n".join(f"p{i},{'x' if i % 2 else 'y'},h{i // 3}" for i in range(24))
    pool = parse_pool(f"id,a,household\n{rows}\n", household_column="household")
    quotas, _ = parse_quotas("feature,value,min,max\na,x,2,4\na,y,2,4\n")
    inst = build_instance(pool, quotas, 6, one_per_household=True)
    dist = leximin(inst)
    households = np.array([int(h[1:]) for h in inst.pool.households or ()])
    assert all(m.size == 1 for m in inst.members)  # everyone shares a household here
    for panel in dist.panels:
        chosen = np.concatenate([inst.members[t] for t in np.flatnonzero(panel)])
        assert len(set(households[chosen])) == len(chosen)
    selected = legacy_panel(inst, np.random.default_rng(0))
    assert len(set(households[selected])) == len(selected)


def test_infeasible_quotas_name_the_conflict_and_the_smallest_relaxation():
    # Everyone with a=x also has b=p: a=x needs at least 4, b=p allows at most 2.
    rows = "\n".join(f"{i},{'x' if i < 5 else 'y'},{'p' if i < 5 else 'q'}" for i in range(12))
    quotas = "feature,value,min,max\na,x,4,6\na,y,0,6\nb,p,0,2\nb,q,0,6\n"
    inst = build_instance(parse_pool(f"id,a,b\n{rows}\n"), parse_quotas(quotas)[0], 6)
    with pytest.raises(InfeasibleQuotasError) as exc:
        leximin(inst)
    assert "smallest relaxation (changing the bounds by 2 in all)" in str(exc.value)
    assert {r.quota for r in exc.value.relaxations} <= {"a=x", "b=p"}
    assert sum(abs(r.current - r.suggested) for r in exc.value.relaxations) == 2


@pytest.mark.parametrize(
    ("pool", "quotas", "size", "message"),
    [
        (
            "id,a\n1,x\n2,z\n",
            "feature,value,min,max\na,x,0,2\n",
            1,
            "row 3, column 'a': value 'z' has no quota",
        ),
        (
            "id,a\n1,x\n2,x\n",
            "feature,value,min,max\na,x,3,3\n",
            2,
            "a=x: min 3 is more than the 2 volunteers with this value",
        ),
        (
            "id,a\n1,x\n2,y\n",
            "feature,value,min,max\na,x,2,2\na,y,1,1\n",
            2,
            "the minimums for 'a' add up to 3, more than the panel of 2",
        ),
        (
            "id,a\n1,x\n2,y\n",
            "feature,value,min,max\na,x,0,0\na,y,0,1\n",
            2,
            "the maximums for 'a' add up to 1, less than the panel of 2",
        ),
        (
            "id,a\n1,x\n",
            "feature,value,min,max\nb,x,0,1\n",
            1,
            "quota feature 'b' is not a column of the pool",
        ),
        (
            "id,a\n1,x\n",
            "feature,value,min,max\na,x,0,1\n",
            2,
            "a panel of 2 cannot be drawn from a pool of 1",
        ),
    ],
)
def test_quotas_that_do_not_fit_the_pool_are_refused(pool, quotas, size, message):
    with pytest.raises(CountError) as exc:
        build_instance(parse_pool(pool, "pool.csv"), parse_quotas(quotas)[0], size)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        ("feature,value,low,high\n", "line 1: the header must have the columns"),
        ("feature,value,min,max\na,x,one,2\n", "line 2: column 'min': 'one' is not a whole"),
        ("feature,value,min,max\na,x,3,2\n", "line 2: a=x: min 3 is above max 2"),
        ("feature,value,min,max\na,x,1,2\na,x,0,2\n", "line 3: a=x already has a quota on line 2"),
    ],
)
def test_bad_quota_files_name_the_line(quotas, message):
    with names_file("q.csv", message):
        parse_quotas(quotas, "q.csv")


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        ("id,a\n1,x\n1,y\n", "line 3: column 'id': id '1' repeats line 2"),
        ("id,a\n1,\n", "line 2: column 'a': empty value"),
        ("id,a\n1,x,extra\n", "line 2: expected 2 fields"),
    ],
)
def test_bad_pool_files_name_the_row_and_column(pool, message):
    with names_file("pool.csv", message):
        parse_pool(pool, "pool.csv")


def test_highs_writes_nothing_on_standard_output():
    """HiGHS prints its banner on the first model a process builds unless told not to: a fresh
    process that builds and solves both kinds of model writes nothing on standard output."""
    code = (
        "from electoral.sortition.instance import build_instance, parse_pool, parse_quotas\n"
        "from electoral.sortition.leximin import leximin\n"
        "from electoral.sortition.synthetic import pool_csv, quotas_csv\n"
        "quotas, sha = parse_quotas(quotas_csv(10))\n"
        "leximin(build_instance(parse_pool(pool_csv(80, 1)), quotas, 10, quotas_sha256=sha))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout == ""


def test_gini_is_zero_for_equal_and_grows_with_inequality():
    assert gini(np.full(10, 0.1)) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)
