"""The Executive Committee: called with its candidates, seats, rule and seed; one final ballot a
serving member, kept apart from who cast it; counted by STV after the close, the count stored
and published (and verifiable), those elected holding the office from the day of the count and
the previous committee's holdings ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.elections.services import stored, verify_election
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.officers.committee import (
    call_committee_election,
    cast_committee_ballot,
    committee_elections,
    count_committee,
)
from chamber.officers.models import CommitteeBallot, OfficeHolding
from chamber.officers.services import may
from tests.chamber.officers.conftest import JANUARY, KEY, MONDAY

CANDIDATES = ["S000-0", "S001-0", "S002-0", "S003-0"]
OPENS, CLOSES = JANUARY, JANUARY + timedelta(days=7)


def _call(engine, **overrides):
    args = {"rule": "scottish", "seed": "announced in January", "opens_at": OPENS,
            "closes_at": CLOSES, "by": "clerk", "now": JANUARY - timedelta(hours=1)}
    seats = overrides.pop("seats", 2)
    candidates = overrides.pop("candidates", CANDIDATES)
    args.update(overrides)
    return perform(engine, call_committee_election, KEY, "Executive Committee", seats,
                   candidates, **args)


def test_an_election_is_refused_with_its_reasons_and_nothing_stored(world):
    engine = world.engine
    with pytest.raises(Invalid, match="counted by scottish or meek STV, not 'irv'"):
        _call(engine, rule="irv")
    with pytest.raises(Invalid, match="5 seats for 4 candidates"):
        _call(engine, seats=5)
    with pytest.raises(Invalid, match="two or more different candidates"):
        _call(engine, candidates=["S000-0", "S000-0"])
    with pytest.raises(Invalid, match="announce a seed"):
        _call(engine, seed=" ")
    with pytest.raises(Invalid, match="closes after it opens"):
        _call(engine, closes_at=OPENS)
    with pytest.raises(NotFound, match="no member 'nobody-1'"):
        _call(engine, candidates=["S000-0", "nobody-1"])
    assert read(engine, committee_elections, KEY, JANUARY) == []
    _call(engine)
    with pytest.raises(Conflict, match="is not counted yet"):
        _call(engine)


def test_members_vote_once_and_the_count_is_stored_and_seats_the_committee(world):
    engine = world.engine
    election = _call(engine)
    during = OPENS + timedelta(days=1)
    with pytest.raises(Refused, match="the ballot is open from"):
        perform(engine, cast_committee_ballot, election, "S000-2", ["S000-0"],
                OPENS - timedelta(minutes=1))
    with pytest.raises(Invalid, match="S003-1 is not a candidate"):
        perform(engine, cast_committee_ballot, election, "S000-2", ["S003-1"], during)
    with pytest.raises(Invalid, match="ranked twice"):
        perform(engine, cast_committee_ballot, election, "S000-2", ["S000-0", "S000-0"], during)
    rankings = {
        "S000-1": ["S000-0", "S001-0"], "S000-2": ["S000-0", "S002-0"],
        "S001-1": ["S001-0"], "S001-2": ["S001-0", "S000-0"], "S002-1": ["S002-0"],
        "S003-1": ["S000-0", "S003-0"], "S003-2": ["S001-0"],
    }
    for voter, ranking in rankings.items():
        perform(engine, cast_committee_ballot, election, voter, ranking, during)
    with pytest.raises(Conflict, match="already voted"):
        perform(engine, cast_committee_ballot, election, "S000-1", ["S002-0"], during)
    with Session(engine) as s:
        ballots = s.exec(select(CommitteeBallot)).all()
    assert len(ballots) == len(rankings)
    assert all(not hasattr(b, "member_id") for b in ballots)  # kept apart from the voters
    with pytest.raises(Refused, match="the ballot closes at"):
        perform(engine, count_committee, election, by="admin", now=during)
    counted = perform(engine, count_committee, election, by="admin", now=CLOSES)
    with pytest.raises(Conflict, match="already counted"):
        perform(engine, count_committee, election, by="admin", now=CLOSES)
    result = read(engine, stored, counted)
    assert sorted(result.result["elected"]) == ["Member S000-0 (S000-0)",
                                                 "Member S001-0 (S001-0)"]
    assert read(engine, verify_election, counted) == []
    with Session(engine) as s:
        seated = s.exec(select(OfficeHolding).where(
            OfficeHolding.office == "Executive Committee")).all()
    assert sorted(h.member_id for h in seated) == ["S000-0", "S001-0"]
    assert {h.election_id for h in seated} == {counted}
    assert read(engine, may, "S001-0", "attend without a vote", MONDAY, body_key=KEY).allowed
    assert not read(engine, may, "S002-0", "attend without a vote", MONDAY, body_key=KEY).allowed
    view = read(engine, committee_elections, KEY, CLOSES, "S000-1")[0]
    assert (view.ballots, view.voted, view.count) == (len(rankings), True, counted)


def test_a_new_committee_ends_the_old_ones_holdings(world):
    engine = world.engine
    first = _call(engine, seats=1)
    perform(engine, cast_committee_ballot, first, "S000-1", ["S002-0"], OPENS)
    perform(engine, count_committee, first, by="admin", now=CLOSES)
    later = CLOSES + timedelta(days=10)
    second = _call(engine, seats=1, opens_at=later, closes_at=later + timedelta(days=1),
                   now=later - timedelta(hours=1))
    perform(engine, cast_committee_ballot, second, "S000-1", ["S003-0"], later)
    perform(engine, count_committee, second, by="admin", now=later + timedelta(days=1))
    day = (later + timedelta(days=1)).date()
    assert not read(engine, may, "S002-0", "attend without a vote", day, body_key=KEY).allowed
    assert read(engine, may, "S003-0", "attend without a vote", day, body_key=KEY).allowed
