"""The jury appoints its experts: a field's ballot opened for its free places, nominations
entered (one by one or from a CSV), the serving jurors rank them, the count is stored as an
election and those elected become members of the field's seats for the body's term, with their
route.  The refusals store nothing: an unknown field, more to appoint than places, a juror
voting twice, a vote from someone not serving."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.elections.models import Election
from chamber.errors import Conflict, Forbidden, Invalid, Refused
from chamber.jury.expert_models import ExpertBallot, ExpertNomination, ExpertVote
from chamber.jury.expert_views import experts_ballot_view, experts_overview
from chamber.jury.experts import (
    cast_expert_vote,
    count_experts,
    import_nominations,
    nominate,
    open_experts_ballot,
    term_end,
)
from chamber.membership.models import Member
from chamber.routes.models import MemberRoute
from tests.chamber.jury.experts_body import (
    BODY,
    LOTTERY,
    NOW,
    SERVES_FROM,
    install_with_jurors,
    not_serving,
)

LATER = NOW + timedelta(days=2)


def _count_rows(engine, table) -> int:
    with Session(engine) as s:
        return len(s.exec(select(table)).all())


def test_the_jury_appoints_a_fields_experts_by_stv_and_they_become_members(engine):
    places = install_with_jurors(engine)
    ballot = perform(engine, open_experts_ballot, LOTTERY, "Health", SERVES_FROM, NOW, places=2)
    ids = [perform(engine, nominate, LOTTERY, "Health", name, what, NOW)
           for name, what in (("Dr Ada", "public health"), ("Prof Ben", "surgery"),
                              ("Ms Cleo", "nursing"))]
    rankings = ([ids[0], ids[1]], [ids[0], ids[2]], [ids[1], ids[0]], [ids[0]])
    for place, ranking in zip(places, rankings, strict=True):
        perform(engine, cast_expert_vote, ballot, ranking, LATER, place_id=place)
    view = read(engine, experts_ballot_view, LOTTERY, ballot, None)
    assert view.votes == 4
    assert view.rule_text.startswith("STV")
    appointed = perform(engine, count_experts, LOTTERY, ballot, "announced seed", LATER)
    assert len(appointed) == 2
    with Session(engine) as s:
        stored = s.get(ExpertBallot, ballot)
        election = s.get(Election, stored.election_id)
        assert (election.rule, election.seats, election.body_key) == ("scottish", 2, BODY.key)
        assert len(election.result["elected"]) == 2
        assert any("Dr Ada" in e for e in election.result["elected"])
        members = [s.get(Member, m) for m in appointed]
        assert {m.name for m in members} <= {"Dr Ada", "Prof Ben", "Ms Cleo"}
        assert "Dr Ada" in {m.name for m in members}
        assert all(m.serves_from == SERVES_FROM for m in members)
        assert all(m.serves_until == term_end(SERVES_FROM, 24) for m in members)
        assert term_end(SERVES_FROM, 24).isoformat() == "2029-04-30"
        route = s.get(MemberRoute, appointed[0])
        assert (route.route, route.way, route.unit, route.election_id) == (
            "experts", "appointed by the jury", "Health", stored.election_id)
    overview = read(engine, experts_overview, LOTTERY, SERVES_FROM)
    health = next(f for f in overview.fields if f.name == "Health")
    assert (health.serving, health.places) == (2, 3)
    with pytest.raises(Refused, match="counted already"):
        perform(engine, count_experts, LOTTERY, ballot, "announced seed", LATER)


def test_the_refusals_store_nothing(engine):
    places = install_with_jurors(engine)
    with pytest.raises(Invalid, match="'Astrology' is not one of the 3 fields"):
        perform(engine, open_experts_ballot, LOTTERY, "Astrology", SERVES_FROM, NOW)
    with pytest.raises(Refused, match="4 experts to appoint in Law, but only 3 places"):
        perform(engine, open_experts_ballot, LOTTERY, "Law", SERVES_FROM, NOW, places=4)
    assert _count_rows(engine, ExpertBallot) == 0
    ballot = perform(engine, open_experts_ballot, LOTTERY, "Law", SERVES_FROM, NOW)
    with pytest.raises(Conflict, match="open already"):
        perform(engine, open_experts_ballot, LOTTERY, "Law", SERVES_FROM, NOW)
    with pytest.raises(Invalid, match="'Astrology' is not one of"):
        perform(engine, nominate, LOTTERY, "Astrology", "Someone", "", NOW)
    bad = "field,name,expertise\nLaw,Ms Dee,barrister\nAstrology,Mr Eff,stars\nHealth,Mx Gee,\n"
    with pytest.raises(Invalid, match=r"2 bad rows, nothing stored.*line 3.*'Astrology'.*"
                       r"line 4.*no ballot of Health is open"):
        perform(engine, import_nominations, LOTTERY, "nominations.csv", bad, NOW)
    assert _count_rows(engine, ExpertNomination) == 0
    good = "field,name,expertise\nLaw,Ms Dee,barrister\nLaw,Mr Eff,judge\n"
    assert perform(engine, import_nominations, LOTTERY, "nominations.csv", good, NOW) == 2
    with Session(engine) as s:
        ids = [n.id for n in s.exec(select(ExpertNomination)).all()]
    with pytest.raises(Refused, match=r"no juror|cannot be counted yet"):
        perform(engine, count_experts, LOTTERY, ballot, "seed", LATER)
    assert _count_rows(engine, Election) == 0
    perform(engine, cast_expert_vote, ballot, ids, LATER, place_id=places[0])
    with pytest.raises(Refused, match="has voted in this ballot already"):
        perform(engine, cast_expert_vote, ballot, ids[::-1], LATER, place_id=places[0])
    with pytest.raises(Forbidden, match="only the serving jurors"):
        perform(engine, cast_expert_vote, ballot, ids, LATER, place_id=not_serving(engine))
    with pytest.raises(Invalid, match="ranked twice"):
        perform(engine, cast_expert_vote, ballot, [ids[0]] * 2, LATER, place_id=places[1])
    with pytest.raises(Invalid, match="not a nomination"):
        perform(engine, cast_expert_vote, ballot, [10**6], LATER, place_id=places[1])
    assert _count_rows(engine, ExpertVote) == 1
    with pytest.raises(Refused, match="nominations are closed"):
        perform(engine, nominate, LOTTERY, "Law", "Late Person", "", NOW)
    # the seats fill up before the count: more appointed than places is refused, nothing stored
    other = perform(engine, open_experts_ballot, LOTTERY, "Open seats (any field)",
                    SERVES_FROM, NOW, places=6)
    for n in range(7):
        perform(engine, nominate, LOTTERY, "Open seats (any field)", f"Person {n}", "", NOW)
    assert appointed_all(engine, other, places) == 6
    with pytest.raises(Refused, match="have no free place on 2027-05-01"):
        perform(engine, open_experts_ballot, LOTTERY, "Open seats (any field)", SERVES_FROM,
                NOW)
    with Session(engine) as s:
        members = len(s.exec(select(Member)).all())
    perform(engine, cast_expert_vote, ballot, ids, LATER, place_id=places[1])
    assert len(perform(engine, count_experts, LOTTERY, ballot, "seed", LATER)) == 2
    with Session(engine) as s:
        assert len(s.exec(select(Member)).all()) == members + 2


def appointed_all(engine, ballot, places) -> int:
    with Session(engine) as s:
        ids = [n.id for n in s.exec(select(ExpertNomination).where(
            ExpertNomination.ballot_id == ballot)).all()]
    for place in places:
        perform(engine, cast_expert_vote, ballot, ids, LATER, place_id=place)
    return len(perform(engine, count_experts, LOTTERY, ballot, "seed", LATER))
