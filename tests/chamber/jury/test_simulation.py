"""The national jury: cohorts, terms, extensions, replacement draws and the simulation.

The tests use a scaled-down jury (9 drawn a month, 1 extended, 120 in all) on a small synthetic
pool with quotas on two features, so that every LEXIMIN lottery takes a fraction of a second.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

import cli.jury  # noqa: F401  (registers jury-simulate)
from chamber.jury import (
    NATIONAL,
    JuryError,
    JuryRules,
    JurySetup,
    JuryState,
    MonthReport,
    Simulation,
    check_quotas,
    month_label,
    replacement_quotas,
    simulate,
    step,
    synthetic_setup,
    warm_start,
    within,
)
from chamber.jury.draws import monthly_draw
from cli.common import app
from electoral.sortition.instance import Quota

SMALL = JuryRules(drawn=9, extended=1, term_months=12, window_months=3)
SEED = "test-jury"
runner = CliRunner()


@pytest.fixture(scope="module")
def setup() -> JurySetup:
    return synthetic_setup(SMALL, pool_size=1500, pool_seed=3, features=("gender", "age"))


@pytest.fixture(scope="module")
def steady(setup: JurySetup) -> JuryState:
    return warm_start(setup, seed=SEED)[0]


@pytest.fixture(scope="module")
def history(setup: JurySetup, steady: JuryState) -> list[tuple[JuryState, MonthReport]]:
    """Eighteen months with a high withdrawal rate, every state kept."""
    out = []
    state = steady
    for m in range(1, 19):
        state, report = step(state, m, setup, seed=SEED, withdrawal_rate=0.05)
        out.append((state, report))
    return out


@pytest.fixture(scope="module")
def simulation(setup: JurySetup) -> Simulation:
    return simulate(6, seed=SEED, setup=setup, withdrawal_rate=0.05)


def test_the_national_jury_has_1200_members():
    assert NATIONAL.size == 90 * 12 + 10 * 12 == 1200
    assert SMALL.size == 120


def test_rules_that_make_no_sense_are_refused():
    with pytest.raises(JuryError, match="extended a month"):
        JuryRules(drawn=9, extended=10)
    with pytest.raises(JuryError, match="extension window"):
        JuryRules(term_months=12, window_months=12)


def test_the_steady_state_has_drawn_times_term_plus_extended_times_term_members(
    setup: JurySetup, steady: JuryState
):
    assert steady.month == 0
    assert steady.size == SMALL.drawn * SMALL.term_months + SMALL.extended * SMALL.term_months
    cohorts = Counter(j.cohort for j in steady.jurors)
    for c in range(-11, 1):  # the twelve first-year cohorts are complete
        assert cohorts[c] == SMALL.drawn
    past = [j for j in steady.jurors if j.cohort <= -12]  # in their extension year
    assert len(past) == SMALL.extended * SMALL.term_months
    assert all(j.extended for j in past)
    assert sorted(j.term_end for j in past) == list(range(1, 13))
    assert len({j.person for j in steady.jurors}) == steady.size


def test_the_steady_state_meets_every_quota(setup: JurySetup, steady: JuryState):
    cohorts_ok, jury_ok, problems = check_quotas(steady, setup)
    assert cohorts_ok, problems
    assert jury_ok, problems


def test_size_stays_constant_every_month_of_a_simulation_with_withdrawals(
    history: list[tuple[JuryState, MonthReport]],
):
    assert sum(r.withdrawn for _, r in history) > 20
    for state, report in history:
        assert state.size == report.size == SMALL.size
        assert report.joined == SMALL.drawn
        assert report.left == SMALL.drawn
        assert report.extended == SMALL.extended
        assert report.replaced == report.withdrawn


def test_every_monthly_cohort_meets_its_quotas(
    setup: JurySetup, history: list[tuple[JuryState, MonthReport]]
):
    for state, report in history:
        assert report.cohorts_ok, report.problems
        for c in range(state.month - 11, state.month + 1):
            members = [j.index for j in state.cohort(c)]
            assert len(members) == SMALL.drawn
            counts = setup.counts(members)
            assert np.all(setup.lower <= counts)
            assert np.all(counts <= setup.upper)


def test_the_whole_jury_meets_the_scaled_quotas(
    setup: JurySetup, history: list[tuple[JuryState, MonthReport]]
):
    for state, report in history:
        assert report.jury_ok, report.problems
        assert check_quotas(state, setup)[1]


def test_whole_jury_quotas_are_the_monthly_ones_scaled_with_the_same_tolerance():
    setup = JurySetup(
        synthetic_setup(SMALL, pool_size=300, pool_seed=1).pool,
        (
            Quota("gender", "female", 40, 50),
            Quota("gender", "male", 38, 48),
            Quota("gender", "other", 1, 2),
        ),
        NATIONAL,
    )
    female, male, other = setup.jury_quotas
    assert (female.min, female.max) == (533, 667)  # 40 * 1200 / 90 = 533.3; 50 * 1200 / 90 = 666.7
    assert (male.min, male.max) == (506, 640)
    assert (other.min, other.max) == (13, 27)


def test_extended_jurors_serve_exactly_one_more_term_and_are_not_extended_twice(
    steady: JuryState, history: list[tuple[JuryState, MonthReport]]
):
    before = steady
    for state, report in history:
        month = state.month
        was = {j.index: j for j in before.jurors}
        now = {j.index: j for j in state.jurors}
        assert report.extended == SMALL.extended
        # A replacement who joined this month may be the one chosen (its cohort is due to
        # leave); it cannot be told from one that took over an extended place, so only those
        # who were here before are followed one by one.
        newly = [j for i, j in now.items() if j.extended and i in was and not was[i].extended]
        assert len(newly) <= SMALL.extended
        for j in newly:
            first_end = j.cohort + SMALL.term_months
            assert month < first_end <= month + SMALL.window_months  # due to leave soon
            assert j.term_end == first_end + SMALL.term_months
        moved = {i for i, j in was.items() if i in now and now[i].term_end != j.term_end}
        assert moved == {j.index for j in newly}  # only the newly extended; nobody twice
        for j in state.jurors:
            if j.extended:
                assert j.term_end == j.cohort + 2 * SMALL.term_months
            else:
                assert j.term_end == j.cohort + SMALL.term_months
        before = state


def test_every_group_leaving_in_a_month_has_exactly_the_extended_number_extended(
    history: list[tuple[JuryState, MonthReport]],
):
    for state, _ in history:
        # groups whose first term ends after the window may still be waiting for extensions
        for first_end in range(state.month + 1, state.month + SMALL.window_months):
            done = sum(
                j.extended and j.cohort + SMALL.term_months == first_end for j in state.jurors
            )
            assert done == SMALL.extended


def test_nobody_is_drawn_twice(history: list[tuple[JuryState, MonthReport]]):
    drawn = [p for _, r in history for d in r.draws for p in d.panel]
    assert len(drawn) == len(set(drawn))
    final = history[-1][0]
    assert np.count_nonzero(~final.available) >= len(drawn) + 2 * 12 * SMALL.drawn


def test_a_replacement_takes_the_place_of_the_juror_who_withdrew(
    setup: JurySetup, steady: JuryState
):
    state, report = step(steady, 1, setup, seed=SEED, withdrawal_rate=0.3)
    assert report.withdrawn == report.replaced > 10
    replacements = [j for j in state.jurors if j.replacement]
    assert len(replacements) == report.replaced
    assert all(j.joined == 1 and j.cohort < 1 for j in replacements)
    assert state.size == SMALL.size
    assert report.cohorts_ok, report.problems
    assert report.jury_ok, report.problems
    for draw in report.draws:
        assert draw.seed == f"{SEED}/2027-01/" + (
            "draw" if draw.kind == "monthly" else f"replacement/{draw.group.replace(' ', '-')}"
        )


def test_replacement_quotas_keep_the_cohort_within_its_quotas():
    quotas = (Quota("age", "young", 3, 5), Quota("age", "old", 4, 6))
    # the rest of the cohort has 2 young and 6 old: the one replacement must be young
    young, old = replacement_quotas(quotas, [2, 6], 1)
    assert (young.min, young.max) == (1, 1)
    assert (old.min, old.max) == (0, 0)
    # with 4 young and 4 old left, either will do
    young, old = replacement_quotas(quotas, [4, 4], 1)
    assert (young.min, young.max, old.min, old.max) == (0, 1, 0, 1)


def test_replacement_quotas_leave_room_for_the_places_filled_later():
    quotas = (Quota("age", "young", 3, 5),)
    # 1 young so far and 2 more places after this draw of 1: this one need not be young
    (young,) = replacement_quotas(quotas, [1], 1, later=2)
    assert (young.min, young.max) == (0, 1)
    (young,) = replacement_quotas(quotas, [1], 1, later=1)
    assert (young.min, young.max) == (1, 1)


def test_within_takes_the_narrower_bounds_and_keeps_the_first_where_they_conflict():
    cohort = (Quota("age", "young", 2, 5), Quota("age", "old", 4, 7))
    jury = (Quota("age", "young", 3, 9), Quota("age", "old", 0, 3))
    (young, old), conflicts = within(cohort, jury)
    assert (young.min, young.max) == (3, 5)
    assert (old.min, old.max) == (4, 7)  # 4-7 and 0-3 cannot both hold: the cohort's bounds
    assert conflicts == ("age=old: 4-7 and 0-3 cannot both hold",)


@pytest.mark.parametrize("draw_seed", ["a", "b", "c", "d"])
def test_a_monthly_draw_stays_within_the_room_the_whole_jury_has(
    setup: JurySetup, steady: JuryState, draw_seed: str
):
    """The monthly cohort is drawn only from the lottery's panels that the whole jury can take
    (here: at most the minimum of the first quota with room to spare)."""
    q = next(q for q in setup.quotas if q.max > q.min)
    room = tuple(replace(r, max=r.min) if r == q else r for r in setup.quotas)
    picked, info, _ = monthly_draw(setup, steady, 1, draw_seed, 12, "2027-01", room)
    counts = setup.counts(picked)
    assert len(picked) == SMALL.drawn
    assert all(r.min <= c <= r.max for r, c in zip(room, counts, strict=True))
    assert info.quotas == room


def test_a_replacement_draw_with_leximin_keeps_the_cohorts_within_quotas(
    setup: JurySetup, steady: JuryState
):
    state, report = step(
        steady, 1, setup, seed=SEED, withdrawal_rate=0.2, replacement_method="leximin"
    )
    assert report.replaced == report.withdrawn > 0
    assert {d.method for d in report.draws if d.kind == "replacement"} == {"leximin"}
    assert report.cohorts_ok, report.problems
    assert report.jury_ok, report.problems
    assert state.size == SMALL.size


def test_a_month_can_be_rerun_from_its_state(
    setup: JurySetup, steady: JuryState, history: list[tuple[JuryState, MonthReport]]
):
    state, report = step(steady, 1, setup, seed=SEED, withdrawal_rate=0.05)
    assert state.jurors == history[0][0].jurors
    assert report == history[0][1]
    with pytest.raises(JuryError, match="next month"):
        step(steady, 2, setup, seed=SEED)


def test_every_seed_is_derived_from_the_base_seed_and_the_month(
    history: list[tuple[JuryState, MonthReport]],
):
    for state, report in history:
        label = month_label(state.month)
        assert report.label == label
        assert report.seeds["draw"] == f"{SEED}/{label}/draw"
        assert report.seeds["withdrawals"] == f"{SEED}/{label}/withdrawals"
        assert report.seeds["extension"] == f"{SEED}/{label}/extension"
        assert {d.seed for d in report.draws} <= set(report.seeds.values())
    assert month_label(0) == "2026-12"
    assert month_label(13, "2027-05") == "2028-05"


def test_the_same_seed_gives_the_same_simulation_and_another_seed_a_different_one(
    setup: JurySetup, simulation: Simulation
):
    again = simulate(6, seed=SEED, setup=setup, withdrawal_rate=0.05)
    assert again.months == simulation.months
    assert again.final.jurors == simulation.final.jurors
    other = simulate(6, seed="another seed", setup=setup, withdrawal_rate=0.05)
    assert other.final.jurors != simulation.final.jurors
    assert [d.panel for r in other.months for d in r.draws] != [
        d.panel for r in simulation.months for d in r.draws
    ]


def test_the_simulation_summary_says_size_and_quotas_held(simulation: Simulation):
    assert simulation.initial.size == SMALL.size
    assert len(simulation.months) == 6
    assert simulation.size_held
    assert simulation.quotas_held
    assert simulation.summary() == "size stayed at 120 in all 6 months; quotas held in all months"
    data = simulation.as_dict()
    assert data["months"][0]["label"] == "2027-01"
    json.dumps(data)


def test_the_extension_choice_without_balance_is_still_seeded(setup: JurySetup, steady: JuryState):
    a = step(steady, 1, setup, seed=SEED, withdrawal_rate=0.0, balance=False)[0]
    b = step(steady, 1, setup, seed=SEED, withdrawal_rate=0.0, balance=False)[0]
    assert a.jurors == b.jurors
    was = {j.index for j in steady.jurors if j.extended}
    assert len([j for j in a.jurors if j.extended and j.index not in was]) == SMALL.extended


SMALL_CLI = [
    "--drawn",
    "9",
    "--extended",
    "1",
    "--pool-size",
    "1500",
    "--pool-seed",
    "3",
    "--features",
    "gender,age",
]


def test_cli_prints_a_table_per_month_and_the_summary():
    r = runner.invoke(
        app,
        ["jury-simulate", "--months", "3", "--seed", "s", "--withdrawal-rate", "0.05", *SMALL_CLI],
    )
    assert r.exit_code == 0, r.output
    for label in ("2027-01", "2027-02", "2027-03"):
        assert label in r.output
    for column in ("size", "joined", "left", "extended", "withdrawn", "replaced", "quotas ok"):
        assert column in r.output
    assert "size stayed at 120 in all 3 months; quotas held in all months" in r.output


def test_cli_json_has_every_month_and_its_seeds():
    r = runner.invoke(
        app, ["jury-simulate", "--months", "2", "--seed", "s", "--format", "json", *SMALL_CLI]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["seed"] == "s"
    assert data["rules"]["size"] == 120
    assert [m["size"] for m in data["months"]] == [120, 120]
    assert data["months"][1]["seeds"]["draw"] == "s/2027-02/draw"
    assert data["quotas_held"] is True


def test_cli_refuses_impossible_rules():
    r = runner.invoke(app, ["jury-simulate", "--drawn", "5", "--extended", "6"])
    assert r.exit_code == 2
    assert "extended a month is 6" in r.output
