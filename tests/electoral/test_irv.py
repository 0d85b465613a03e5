"""IRV against pyrankvote as a differential oracle, and why multi-seat counts do not use it."""

from __future__ import annotations

import pyrankvote
from hypothesis import assume, given, settings

from electoral import irv, scottish
from electoral.ballots import read_blt
from tests.electoral.strategies import build, elections


def _pyrankvote(candidates, ballots, seats=None):
    cands = {c: pyrankvote.Candidate(c) for c in candidates}
    pv_ballots = [
        pyrankvote.Ballot(ranked_candidates=[cands[candidates[i]] for i in ranking])
        for weight, ranking in ballots
        for _ in range(weight)
    ]
    if seats is None:
        result = pyrankvote.instant_runoff_voting(list(cands.values()), pv_ballots)
    else:
        result = pyrankvote.single_transferable_vote(list(cands.values()), pv_ballots, seats)
    return {c.name for c in result.get_winners()}


@settings(max_examples=300, deadline=None)
@given(elections(min_cand=2, max_cand=6, max_ballots=30))
def test_irv_agrees_with_pyrankvote_when_no_tie_is_met(election):
    candidates, _, ballots = election
    ours = irv.count(build(candidates, ballots), seed="oracle")
    assume(not ours.ties)  # pyrankvote breaks ties by second choices, we by earlier stages then lot
    assert set(ours.elected) == _pyrankvote(candidates, ballots)


def test_irv_on_a_real_ward_agrees_with_pyrankvote(stv_data):
    profile = read_blt(stv_data / "glasgow_2007_calton.blt")
    ballots = [
        (int(w), tuple(int(c) for c in row if c >= 0))
        for row, w in zip(profile.rankings, profile.weights, strict=True)
    ]
    ours = irv.count(profile, seed="x")
    assert not ours.ties
    assert set(ours.elected) == _pyrankvote(list(profile.candidates), ballots)


PYRANKVOTE_EXAMPLE = [
    (50, (0, 1, 2)),  # A > C > X
    (10, (1, 3)),  # C > Y
    (28, (2,)),  # X
    (30, (3,)),  # Y
    (22, (4,)),  # Z
]


def test_multi_seat_counts_do_not_use_pyrankvote_because_it_ignores_current_values():
    """pyrankvote passes a surplus on at one value for every ballot, whatever each ballot is
    currently worth, so A's 50 papers carry C's exclusion at full weight and X overtakes Y."""
    names = ["A", "C", "X", "Y", "Z"]
    ours = scottish.count(build(names, PYRANKVOTE_EXAMPLE), seats=2, seed="x")
    assert set(ours.elected) == {"A", "Y"}
    assert _pyrankvote(names, PYRANKVOTE_EXAMPLE, seats=2) == {"A", "X"}
