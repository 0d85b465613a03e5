"""LEXIMIN at person level: volunteers who share no household are grouped by their features
without changing anyone's probability, and the pricing search changes no probability."""

from __future__ import annotations

import dataclasses

import numpy as np

from electoral.sortition import leximin as leximin_module
from electoral.sortition.draw import run_draw, sample, verify
from electoral.sortition.instance import (
    build_instance,
    each_their_own_type,
    parse_pool,
    parse_quotas,
)
from electoral.sortition.leximin import FIRST_VERSION, VERSION, leximin
from electoral.sortition.synthetic import pool_csv, quotas_csv

QUOTAS = "feature,value,min,max\na,x,2,4\na,y,2,4\nb,p,1,5\nb,q,1,5\n"


def households_pool(shared: int):
    """18 volunteers of two features; the first ``shared`` live in pairs, the rest alone."""
    rows = [
        f"p{i},{'xy'[i % 2]},{'pq'[i % 3 == 0]},{f'h{i // 2}' if i < shared else f'alone{i}'}"
        for i in range(18)
    ]
    return parse_pool("id,a,b,household\n" + "\n".join(rows) + "\n", household_column="household")


def test_volunteers_alone_are_grouped_by_features_and_housemates_stand_alone():
    inst = build_instance(households_pool(6), parse_quotas(QUOTAS)[0], 6, one_per_household=True)
    sharing = set(range(6))
    for members in inst.members:
        if sharing & set(members.tolist()):
            assert members.size == 1
    assert inst.ntypes < 18
    assert sorted(np.concatenate(inst.household_groups).tolist()) == sorted(sharing)


def test_grouping_the_volunteers_alone_changes_no_probability():
    inst = build_instance(households_pool(6), parse_quotas(QUOTAS)[0], 6, one_per_household=True)
    grouped = leximin(inst).person_probability
    person_level = leximin(each_their_own_type(inst)).person_probability
    np.testing.assert_allclose(grouped, person_level, atol=1e-6)


def test_the_pricing_search_changes_no_probability(monkeypatch):
    pool = parse_pool(pool_csv(300, 5), id_column="id")
    quotas, sha = parse_quotas(quotas_csv(30))
    inst = build_instance(pool, quotas, 30, quotas_sha256=sha)
    now = leximin(inst)
    first = leximin(inst, version=FIRST_VERSION)
    unsearched = leximin_module.Pricing
    monkeypatch.setattr(
        leximin_module, "Pricing", lambda i, search: unsearched(i, search=False)
    )
    integer_programs_only = leximin(inst)
    assert (now.version, first.version) == (VERSION, FIRST_VERSION)
    np.testing.assert_allclose(
        now.person_probability, integer_programs_only.person_probability, atol=1e-7
    )
    # The first version's looser tolerances (HiGHS's 1e-7, a slack of 1e-6) let later levels
    # pull earlier ones down: its minimum is lower, and its upper levels differ by up to 1e-3.
    assert first.minimum < now.minimum
    np.testing.assert_allclose(now.person_probability, first.person_probability, atol=1e-3)


def test_a_household_draw_of_the_first_version_still_verifies():
    inst = build_instance(households_pool(6), parse_quotas(QUOTAS)[0], 6, one_per_household=True)
    person_level = each_their_own_type(inst)
    first = leximin(person_level, version=FIRST_VERSION)
    selected, j, u = sample(person_level, first, "s")
    record = dataclasses.replace(
        run_draw(inst, "s").record,
        version=FIRST_VERSION,
        panel=tuple(inst.pool.ids[i] for i in selected),
        chosen_panel=j,
        draw_value=u,
    )
    assert verify(record, inst) == []
    assert verify(dataclasses.replace(record, version=VERSION), inst) != []
