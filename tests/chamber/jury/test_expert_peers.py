"""The transition to the jury's experts: crossbench peers are seated as the first experts (each
in their field or the open seats, with their route); each whip-taking peer who was not a working
peer is put to the jury, the jurors answer yes or no once each, a majority decides and the vote
is stored; an approved peer joins the open seats.  A count that would appoint more than the
places left is refused and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.elections.models import Election
from chamber.errors import Conflict, Forbidden, Invalid, Refused
from chamber.jury.expert_models import PeerAnswer, PeerQuestion
from chamber.jury.expert_peers import (
    answer_peer,
    decide_peer,
    propose_peers,
    seat_crossbench_peers,
)
from chamber.jury.expert_views import experts_overview
from chamber.jury.experts import (
    cast_expert_vote,
    count_experts,
    nominate,
    open_experts_ballot,
)
from chamber.membership.models import Member
from chamber.routes.models import MemberRoute, RouteResult
from tests.chamber.jury.experts_body import (
    LOTTERY,
    NOW,
    SERVES_FROM,
    install_with_jurors,
    not_serving,
)

LATER = NOW + timedelta(days=2)
PEERS = "name,field\nLord Alpha,Law\nBaroness Beta,\nLord Gamma,Law\n"


def test_crossbench_peers_are_the_first_experts(engine):
    install_with_jurors(engine)
    bad = "name,field\nLord Alpha,Law\nLord Delta,Heraldry\n"
    with pytest.raises(Invalid, match=r"1 bad rows, nothing stored.*line 3.*'Heraldry'"):
        perform(engine, seat_crossbench_peers, LOTTERY, "peers.csv", bad, SERVES_FROM, NOW)
    with Session(engine) as s:
        assert s.exec(select(RouteResult)).all() == []
    stored = perform(engine, seat_crossbench_peers, LOTTERY, "peers.csv", PEERS, SERVES_FROM,
                     NOW)
    with Session(engine) as s:
        routes = {r.member_id: r for r in s.exec(select(MemberRoute)).all()}
        names = {m.id: m.name for m in s.exec(select(Member)).all()}
        assert sorted(names[m] for m in routes) == ["Baroness Beta", "Lord Alpha", "Lord Gamma"]
        assert {(r.route, r.way, r.result_id) for r in routes.values()} == {
            ("experts", "crossbench peer", stored)}
        assert sorted(r.unit for r in routes.values()) == ["Law", "Law",
                                                           "Open seats (any field)"]
    law = next(f for f in read(engine, experts_overview, LOTTERY, SERVES_FROM).fields
               if f.name == "Law")
    assert law.serving == 2


def test_a_count_appointing_more_than_the_places_left_stores_nothing(engine):
    places = install_with_jurors(engine)
    ballot = perform(engine, open_experts_ballot, LOTTERY, "Law", SERVES_FROM, NOW)
    ids = [perform(engine, nominate, LOTTERY, "Law", f"Counsel {n}", "", NOW) for n in range(3)]
    perform(engine, cast_expert_vote, ballot, ids, LATER, place_id=places[0])
    perform(engine, seat_crossbench_peers, LOTTERY, "peers.csv", PEERS, SERVES_FROM, NOW)
    with pytest.raises(Refused, match="3 experts to appoint in Law, but only 1 places are free"):
        perform(engine, count_experts, LOTTERY, ballot, "seed", LATER)
    with Session(engine) as s:
        assert s.exec(select(Election)).all() == []
        assert len(s.exec(select(Member).where(Member.group == "experts")).all()) == 3


def test_whip_taking_peers_are_put_to_the_jury_one_by_one(engine):
    places = install_with_jurors(engine)
    first, second = perform(engine, propose_peers, LOTTERY, "whips.csv",
                            "name,party\nLord Epsilon,Labour\nBaroness Zeta,Conservative\n", NOW)
    with pytest.raises(Conflict, match="already before the jury: line 2: Lord Epsilon"):
        perform(engine, propose_peers, LOTTERY, "again.csv", "name,party\nLord Epsilon,Labour\n",
                NOW)
    with pytest.raises(Refused, match="no juror has voted on Lord Epsilon"):
        perform(engine, decide_peer, LOTTERY, first, SERVES_FROM, LATER)
    for place, yes in zip(places, (True, True, True, False), strict=True):
        perform(engine, answer_peer, first, yes, LATER, place_id=place)
    for place, yes in zip(places, (True, False, True, False), strict=True):
        perform(engine, answer_peer, second, yes, LATER, place_id=place)
    with pytest.raises(Refused, match="has voted on this peer already"):
        perform(engine, answer_peer, first, False, LATER, place_id=places[0])
    with pytest.raises(Forbidden, match="only the serving jurors"):
        perform(engine, answer_peer, first, True, LATER, place_id=not_serving(engine))
    with Session(engine) as s:
        assert len(s.exec(select(PeerAnswer)).all()) == 8
    assert perform(engine, decide_peer, LOTTERY, first, SERVES_FROM, LATER) is True
    assert perform(engine, decide_peer, LOTTERY, second, SERVES_FROM, LATER) is False  # a tie
    with pytest.raises(Refused, match="decided on Lord Epsilon already"):
        perform(engine, answer_peer, first, True, LATER, place_id=places[0])
    with Session(engine) as s:
        one, two = s.get(PeerQuestion, first), s.get(PeerQuestion, second)
        assert (one.yes, one.no, one.approved) == (3, 1, True)
        assert (two.yes, two.no, two.approved, two.member_id) == (2, 2, False, None)
        route = s.get(MemberRoute, one.member_id)
        assert (route.way, route.unit) == ("whip-taking peer approved by the jury",
                                           "Open seats (any field)")
        votes = s.exec(select(RouteResult).where(RouteResult.step == "peer vote")).all()
        assert sorted((r.unit, r.result["approved"]) for r in votes) == [
            ("Baroness Zeta", False), ("Lord Epsilon", True)]
