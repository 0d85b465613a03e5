"""Invariants of every count rule over random elections (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import irv, meek, scottish
from tests.electoral.strategies import build, elections


@settings(max_examples=150, deadline=None)
@given(elections())
def test_scottish_elects_exactly_the_seats_and_accounts_for_every_vote(election):
    candidates, seats, ballots = election
    result = scottish.count(build(candidates, ballots), seats=seats, seed="p")
    assert len(result.elected) == seats
    assert len(set(result.elected)) == seats
    for stage in result.stages:
        total = sum(Decimal(v) for v in stage.votes.values())
        total += Decimal(stage.non_transferable) + Decimal(stage.loss_to_truncation)
        assert total == result.valid_ballots, stage
        assert Decimal(stage.loss_to_truncation) >= 0


@settings(max_examples=100, deadline=None)
@given(elections(), st.randoms(use_true_random=False), st.text(max_size=8))
def test_same_ballots_in_any_order_with_the_same_seed_give_the_same_count(election, rnd, seed):
    candidates, seats, ballots = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    for rule in (scottish, meek):
        a = rule.count(build(candidates, ballots), seats=seats, seed=seed)
        b = rule.count(build(candidates, shuffled), seats=seats, seed=seed)
        assert a == b
    a = irv.count(build(candidates, ballots), seed=seed)
    b = irv.count(build(candidates, shuffled), seed=seed)
    assert a == b


@settings(max_examples=80, deadline=None)
@given(elections(max_ballots=25))
def test_meek_elects_exactly_the_seats(election):
    candidates, seats, ballots = election
    result = meek.count(build(candidates, ballots), seats=seats, seed="p")
    assert len(result.elected) == seats == len(set(result.elected))
    for stage in result.stages:
        total = sum(Decimal(v) for v in stage.votes.values()) + Decimal(stage.non_transferable)
        assert abs(total - result.valid_ballots) < Decimal("0.0001")


@settings(max_examples=100, deadline=None)
@given(elections())
def test_irv_winner_has_a_majority_of_continuing_votes_or_is_last_standing(election):
    candidates, _, ballots = election
    result = irv.count(build(candidates, ballots), seed="p")
    last = result.stages[-1]
    standing = [n for n, v in last.votes.items() if n not in result.excluded]
    (winner,) = result.elected
    continuing = sum(int(last.votes[n]) for n in standing)
    assert int(last.votes[winner]) * 2 > continuing or len(standing) == 1
