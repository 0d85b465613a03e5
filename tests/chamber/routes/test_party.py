"""The party seats: the national vote allocated (over 1% qualifies), the peers' two seats, and
each delegation filled through its four routes with the quarter rule enforced; a refusal stores
nothing.  On both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlmodel import Session, func, select

from chamber.db import perform, read
from chamber.elections.models import Election
from chamber.errors import Conflict, Refused
from chamber.membership.models import Member
from chamber.routes.delegation import (
    Ballots,
    Delegation,
    Named,
    Primary,
    check_delegation,
    fill_delegation,
)
from chamber.routes.models import MemberRoute, RouteResult
from chamber.routes.party import Peer, allocate_party_seats, party_seats
from chamber.routes.synthetic import people
from electoral.delegation import default_split
from electoral.errors import BallotFileError, CountError
from tests.chamber.routes.conftest import HELD, NOW, VOTES, blt


def _count(engine, column):
    with Session(engine) as s:
        return s.exec(select(func.count(column))).one()


def _allocate(engine, peers=()):
    return perform(engine, allocate_party_seats, "national", "votes.csv", VOTES, held_on=HELD,
                   seed="s", peers=list(peers), now=NOW)


def _delegation(rng, party, places, *, nominated=None, peers=(), held=HELD):
    split = default_split(places - len(peers), 1)
    nominated = split.nominated if nominated is None else nominated
    names = iter(people(rng, 60))
    return Delegation(
        party, tuple(peers),
        tuple(Named(next(names)) for _ in range(nominated)),
        tuple(Named(next(names), "its councillors") for _ in range(split.indirect)),
        Ballots("members.blt", blt(rng, split.members, split.members + 3)),
        tuple(Primary(f"Seat {k}", Ballots(f"p{k}.blt", blt(rng, 1, 3, 50)),
                      held + timedelta(days=10)) for k in range(split.constituency)),
    )


def test_parties_over_one_percent_share_the_hundred_seats_in_blocks(national):
    _allocate(national)
    green = read(national, party_seats, "national", "Green")
    assert green.codes  # 1.49% qualifies
    with pytest.raises(Refused, match="needs more than 1"):
        read(national, party_seats, "national", "Purple")  # 0.50% does not
    red = read(national, party_seats, "national", "Red")
    assert red.codes[0] == "S000"
    with pytest.raises(Conflict):
        _allocate(national)


def test_peers_whose_party_is_not_entitled_share_two_seats(national):
    _allocate(national, [Peer("Lord Violet", "Purple"), Peer("Lady Ruby", "Red")])
    with Session(national) as s:
        peer = s.exec(select(Member).where(Member.name == "Lord Violet")).one()
        route = s.get(MemberRoute, peer.id)
        allocation = s.exec(select(RouteResult)).one()
    assert peer.id.startswith("S098")
    assert route is not None
    assert route.way == "peer"
    assert sum(allocation.result["allocation"]["seats_by_party"].values()) == 98
    assert read(national, party_seats, "national", "Red").peers == ("Lady Ruby",)


def test_a_delegation_is_filled_through_its_four_routes_with_its_counts(national, rng):
    _allocate(national, [Peer("Lady Sage", "Green")])
    green = read(national, party_seats, "national", "Green")
    places = 24 * len(green.codes)
    given = _delegation(rng, "Green", places, peers=("Lady Sage",))
    rid = perform(national, fill_delegation, "national", given, seed="s", now=NOW)
    with Session(national) as s:
        routes = s.exec(select(MemberRoute).where(MemberRoute.result_id == rid)).all()
        ways = sorted({r.way for r in routes})
        primaries = s.exec(select(Election).where(Election.rule == "irv")).all()
    assert len(routes) == places
    assert ways == ["constituency", "indirect", "members", "nominated", "peer"]
    assert len(primaries) == len(given.primaries)
    assert all(r.election_id for r in routes if r.way in ("members", "constituency"))
    with pytest.raises(Conflict, match="already has members"):
        perform(national, fill_delegation, "national", given, seed="s", now=NOW)


def test_a_delegation_over_its_quarter_is_refused_with_the_figures_and_nothing_stored(
    national, rng
):
    _allocate(national)
    green = read(national, party_seats, "national", "Green")
    places = 24 * len(green.codes)
    before = (_count(national, Election.id), _count(national, Member.id))
    bad = _delegation(rng, "Green", places, nominated=places // 4 + 1)
    with pytest.raises(Refused) as refused:
        perform(national, fill_delegation, "national", bad, seed="s", now=NOW)
    assert f"more than the {places // 4} allowed" in str(refused.value)
    assert "too many" in str(refused.value)
    assert (_count(national, Election.id), _count(national, Member.id)) == before
    early = _delegation(rng, "Green", places, held=HELD - timedelta(days=30))
    with pytest.raises(Refused, match="not after the general election"):
        perform(national, fill_delegation, "national", early, seed="s", now=NOW)
    good = _delegation(rng, "Green", places)
    seats = good.members.text.split()[1]  # the members' places, with only three standing
    short = replace(good, members=Ballots("m.blt", blt(rng, int(seats), 3)))
    with pytest.raises(CountError, match=f"{seats} seats but only 3 candidates stand"):
        perform(national, fill_delegation, "national", short, seed="s", now=NOW)
    stranger = _delegation(rng, "Green", places, peers=("Lord Nobody",))
    with pytest.raises(Refused, match="not a life peer of Green"):
        perform(national, fill_delegation, "national", stranger, seed="s", now=NOW)
    assert (_count(national, Election.id), _count(national, Member.id)) == before


def test_a_person_given_two_places_of_a_delegation_is_refused_naming_both(national, rng):
    _allocate(national)
    green = read(national, party_seats, "national", "Green")
    good = _delegation(rng, "Green", 24 * len(green.codes))
    twice = replace(good, indirect=(Named(f"  {good.nominated[0].name.upper()} "),
                                    *good.indirect[1:]))
    before = (_count(national, Election.id), _count(national, Member.id))
    with pytest.raises(Refused, match=r"seats 1 person\(s\) twice.*\(nominated; indirectly"):
        perform(national, fill_delegation, "national", twice, seed="s", now=NOW)
    assert (_count(national, Election.id), _count(national, Member.id)) == before


def test_a_bad_vote_file_names_file_line_and_column_and_stores_nothing(national):
    with pytest.raises(BallotFileError, match=r"votes.csv, line 3: column 'votes'"):
        perform(national, allocate_party_seats, "national", "votes.csv",
                "party,votes\nRed,10\nBlue,-3\n", held_on=HELD, seed="s", now=NOW)
    assert _count(national, RouteResult.id) == 0


def _tiny_members(seats):
    return Ballots("m.blt", f"2 {seats}\n1 1 0\n0\n\"A\"\n\"B\"\n\"t\"\n")


@given(seats=st.integers(1, 12), peers=st.integers(0, 30), shift=st.integers(1, 5))
def test_the_default_split_passes_and_one_over_a_quarter_never_does(seats, peers, shift):
    places = 24 * seats
    rest = places - peers
    assume(rest >= 2)
    split = default_split(rest, 1)
    names = tuple(f"P{k}" for k in range(peers))

    def submit(nominated, members):
        return Delegation("X", names, tuple(Named(f"N{k}") for k in range(nominated)),
                          tuple(Named(f"I{k}") for k in range(split.indirect)),
                          _tiny_members(members),
                          tuple(Primary(f"C{k}", Ballots("c.blt", ""), HELD + timedelta(1))
                                for k in range(split.constituency)))

    counts = check_delegation(places, submit(split.nominated, split.members), names, HELD)
    assert sum(counts.values()) == rest
    assume(split.members - shift >= 1)
    with pytest.raises(Refused):
        check_delegation(places, submit(split.nominated + shift, split.members - shift), names,
                         HELD)


def test_one_place_left_after_the_peers_claims_is_refused_with_the_rule():
    peers = tuple(f"Lord {k}" for k in range(23))
    d = Delegation("Green", peers, nominated=(Named("Ann"),))
    with pytest.raises(Refused, match="a delegation of 1 place cannot be split"):
        check_delegation(24, d, peers, HELD)
