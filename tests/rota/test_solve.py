"""The rota solver: hard rules always hold, soft goals are measured, re-solves move few people,
swaps are checked and explained, conflicts are named."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rota.calendar import make_calendar
from rota.changes import resolve
from rota.errors import RotaError
from rota.explain import conflicts
from rota.model import Member, RotaProblem, plain_problem
from rota.solve import Rota, solve, window_starts
from rota.swaps import SwapDesk
from rota.synthetic import chamber_problem

START = date(2027, 1, 4)


def small_problem(seed: int, seats: int = 6, unavailability: float = 0.3, cycles: int = 2):
    rng = np.random.default_rng(seed)
    groups = ["red", "blue", "green"]
    members = tuple(
        Member(f"s{s}-{k:02d}", f"s{s}", str(rng.choice(groups)) if s < 3 else "jury")
        for s in range(seats)
        for k in range(24)
    )
    problem = plain_problem(make_calendar(START, cycles), members)
    unavailable = rng.random(problem.unavailable.shape) < unavailability
    return replace(problem, unavailable=unavailable)


def chamber_part(seed: int, seats: range) -> RotaProblem:
    """The synthetic chamber's seats numbered in ``seats``, with their costs (the local seats,
    100 to 199, are shared by several groups)."""
    p = chamber_problem(seed, cycles=1, youth=False)
    keep = [m for m, member in enumerate(p.members) if int(member.seat[1:]) in seats]
    return replace(
        p,
        members=tuple(p.members[m] for m in keep),
        unavailable=p.unavailable[keep],
        preference_cost=p.preference_cost[keep],
        unpopular_history=p.unpopular_history[keep],
        previous=p.previous[keep],
        pinned=p.pinned[keep],
    )


def assert_hard_rules(rota: Rota) -> None:
    p = rota.problem
    assert not rota.unfilled
    assert not rota.without_slot
    assert rota.unavailable_assigned == 0
    for seat in p.seats:
        for t in range(len(p.calendar.slots)):
            sitting = [
                m
                for m, member in enumerate(p.members)
                if member.seat == seat and t in rota.slot_of[m]
            ]
            assert len(sitting) == 1, (seat, t)
    for m, member in enumerate(p.members):
        for w in window_starts(p, member.cycle):
            slot = p.calendar.slots[rota.slot_of[m, w]]
            assert w <= slot.cycle < w + member.cycle


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 0.4))
def test_hard_rules_always_hold(seed, unavailability):
    problem = small_problem(seed, unavailability=unavailability)
    assume(not conflicts(problem))  # not every pattern can be covered; conflicts are tested below
    rota = solve(problem)
    assert_hard_rules(rota)
    assert rota.objective >= rota.bound - 1e-6


def test_the_synthetic_chamber_is_balanced_and_near_the_bound():
    problem = chamber_problem(seed=1, cycles=2)
    rota = solve(problem)
    assert rota.violations == 0
    assert rota.gap < 0.01
    assert not rota.unfilled
    assert rota.unavailable_assigned == 0
    youth = [m for m, member in enumerate(problem.members) if member.cycle == 2]
    assert np.all(rota.slot_of[youth, 0] >= 0)  # one slot in the four weeks
    assert np.all(rota.slot_of[youth, 1] == -1)


def test_same_input_same_rota():
    a, b = solve(small_problem(3)), solve(small_problem(3))
    assert np.array_equal(a.slot_of, b.slot_of)


def test_a_slow_clock_gives_the_same_rota(monkeypatch):
    problem = chamber_part(0, range(90, 120))  # 10 party seats, 20 local seats
    reference = solve(problem)
    hours = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: 3600.0 * next(hours))
    slow = solve(problem)
    assert np.array_equal(slow.slot_of, reference.slot_of)
    assert slow.iterations == reference.iterations
    assert slow.seconds >= 3600  # measured and reported, nothing more


def test_the_budgets_bound_the_work():
    problem = small_problem(10)
    assert solve(problem, iterations=1).iterations == 1
    assert_hard_rules(solve(problem, iterations=1, passes=0, max_kicks=0))
    with pytest.raises(RotaError, match="at least one price step"):
        solve(problem, iterations=0)


def test_resolving_after_new_unavailability_moves_few_people():
    problem = small_problem(4, seats=10, unavailability=0.2)
    old = solve(problem)
    rng = np.random.default_rng(0)
    unavailable = problem.unavailable.copy()
    for m in rng.choice(len(problem.members), 12, replace=False):
        unavailable[m, old.slot_of[m, 0]] = True
    new, changes = resolve(old, replace(problem, unavailable=unavailable))
    assert_hard_rules(new)
    assert len(changes.displaced) == 12
    assert set(changes.displaced) <= set(changes.moved)
    assert changes.moves_per_displaced <= 2.5


def test_published_slots_are_pinned():
    problem = small_problem(5)
    first = solve(problem)
    pinned = np.full_like(first.slot_of, -1)
    pinned[:, 0] = first.slot_of[:, 0]  # the first fortnight is published
    shifted = problem.preference_cost + np.random.default_rng(1).random(
        problem.preference_cost.shape
    )
    again = solve(replace(problem, pinned=pinned, preference_cost=shifted))
    assert np.array_equal(again.slot_of[:, 0], first.slot_of[:, 0])


def test_swap_is_checked_with_reasons_and_applied():
    problem = small_problem(6, unavailability=0.0)
    rota = solve(problem)
    desk = SwapDesk(rota)
    jury = [m.id for m in problem.members if m.seat == "s4"]
    assert desk.check(jury[0], jury[1]).allowed
    slots = desk.apply(jury[0], jury[1])
    a, b = problem.members.index(problem.members[24 * 4]), 24 * 4 + 1
    assert slots[a, 0] == rota.slot_of[b, 0]
    other_seat = desk.check(jury[0], "s5-00")
    assert "swaps are between sharers of one seat" in other_seat.describe()
    past = desk.check(jury[2], jury[3], now=datetime(2030, 1, 1, tzinfo=UTC))
    assert "has already begun" in past.describe()
    with pytest.raises(RotaError, match="must be an aware time"):
        desk.check(jury[2], jury[3], now=datetime(2030, 1, 1))


def test_swap_refused_for_unavailability_offers_a_chain_when_one_exists():
    problem = small_problem(7, unavailability=0.0)
    rota = solve(problem)
    seat = [m for m, member in enumerate(problem.members) if member.seat == "s4"]
    a, b = seat[0], seat[1]
    unavailable = problem.unavailable.copy()
    unavailable[b, rota.slot_of[a, 0]] = True  # b cannot take a's slot; a can take b's
    desk = SwapDesk(replace(rota, problem=replace(problem, unavailable=unavailable)))
    verdict = desk.check(problem.members[a].id, problem.members[b].id)
    assert not verdict.allowed
    assert f"{problem.members[b].id} is unavailable" in verdict.describe()
    assert len(verdict.chain) == 3
    with pytest.raises(RotaError, match="refused"):
        desk.apply(problem.members[a].id, problem.members[b].id)


def test_conflicts_name_the_seat_the_slots_and_the_members():
    problem = small_problem(8, unavailability=0.0)
    unavailable = problem.unavailable.copy()
    seat = [m for m, member in enumerate(problem.members) if member.seat == "s5"]
    evenings = [s.index for s in problem.calendar.slots if s.evening and s.cycle == 0]
    unavailable[np.ix_(seat[:13], evenings)] = True
    (conflict,) = conflicts(replace(problem, unavailable=unavailable))
    assert conflict.seat == "s5"
    assert len(conflict.slots) == 12
    assert len(conflict.members) == 11
    assert "the 12 slots" in conflict.describe()
    assert "can be covered by only 11 members" in conflict.describe()


def test_a_calendar_must_start_on_a_monday_and_skips_no_sitting_days():
    with pytest.raises(RotaError, match="starts on a Monday"):
        make_calendar(date(2027, 1, 5), 1)
    cal = make_calendar(START, 1, no_sitting=[date(2027, 1, 4)])
    assert len(cal.slots) == 22
    assert sum(s.urgent_only for s in cal.slots) == 2
