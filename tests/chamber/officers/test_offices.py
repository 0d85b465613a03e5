"""Offices through time and the one check every power goes through: appointments refused with
their reasons, a second Speaker refused, offices ending, role labels carried over, the Speaker
and a deputy acting for them (invitations, the chair); on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chamber.business.services import invite, record_attendance
from chamber.business.views import sitting_view
from chamber.db import perform, read
from chamber.errors import Conflict, Forbidden, Invalid, Refused
from chamber.membership.services import set_role
from chamber.officers.models import OfficeHolding
from chamber.officers.services import (
    appoint,
    end_holding,
    holders,
    may,
    offices_from_roles,
)
from chamber.officers.speaker import take_chair
from chamber.rotas.changes import end_service
from tests.chamber.officers.conftest import (
    BLUE_WHIP,
    DEPUTY,
    JANUARY,
    KEY,
    OFFICER,
    RED_WHIP,
    SERVING,
    SPEAKER,
)

DAY = date(2027, 2, 1)


def test_appointments_are_refused_with_their_reasons(world):
    engine = world.engine
    cases = [
        (Conflict, "S000-0 holds the office of Speaker from Mon 04 Jan 2027 with no end",
         ("Speaker", "S000-2"), {}),
        (Invalid, "elected by the members: call an election",
         ("Executive Committee", "S000-2"), {}),
        (Invalid, "a whip of Blue is one of its members; S000-2 is in Red",
         ("whip", "S000-2"), {"group": "Blue"}),
        (Invalid, "S000-2 does not share a seat of the Capital assembly",
         ("assembly officer", "S000-2"), {"assembly_id": world.assembly}),
        (Invalid, "is not one of Speaker", ("chancellor", "S000-2"), {}),
        (Invalid, "not a group's", ("deputy speaker", "S000-2"), {"group": "Red"}),
        (Conflict, "S001-0 holds the office of deputy speaker", ("deputy speaker", DEPUTY), {}),
    ]
    before = world.count(OfficeHolding)
    for error, message, (office, member), extra in cases:
        with pytest.raises(error, match=message):
            perform(engine, appoint, KEY, office, member, holds_from=DAY, by="clerk",
                    now=JANUARY, **extra)
    with pytest.raises(Refused, match="does not serve in officers-test on Sun 03 Jan 2027"):
        perform(engine, appoint, KEY, "deputy speaker", "S000-2",
                holds_from=SERVING - timedelta(days=1), by="clerk", now=JANUARY)
    assert world.count(OfficeHolding) == before  # nothing stored


def test_an_office_is_held_from_its_first_day_to_its_last(world):
    engine = world.engine
    deputy = perform(engine, appoint, KEY, "deputy speaker", "S000-2", holds_from=DAY,
                     by="clerk", now=JANUARY)
    before, first = DAY - timedelta(days=1), DAY
    assert not read(engine, may, "S000-2", "invite members", before, body_key=KEY).allowed
    assert read(engine, may, "S000-2", "invite members", first, body_key=KEY).allowed
    perform(engine, end_holding, deputy, date(2027, 3, 31), by="clerk", now=JANUARY)
    after = read(engine, may, "S000-2", "invite members", date(2027, 4, 1), body_key=KEY)
    assert after.reason == (
        "S000-2 may not invite members: that is for the Speaker or a deputy speaker, and "
        "S000-2 holds no such office in officers-test on Thu 01 Apr 2027"
    )
    with pytest.raises(Refused, match="already ends on 2027-03-31"):
        perform(engine, end_holding, deputy, date(2027, 4, 30), by="clerk", now=JANUARY)
    with pytest.raises(Invalid, match="began on 2027-02-01"):
        perform(engine, end_holding, deputy, date(2027, 1, 30), by="clerk", now=JANUARY)
    on_the_day = {h.member for h in read(engine, holders, KEY, date(2027, 3, 1))}
    assert on_the_day == {SPEAKER, DEPUTY, RED_WHIP, BLUE_WHIP, OFFICER, "S000-2"}
    assert "S000-2" not in {h.member for h in read(engine, holders, KEY, date(2027, 4, 1))}


def test_a_whip_may_arrange_only_their_own_groups_rota(world):
    engine = world.engine
    own = read(engine, may, RED_WHIP, "arrange their group's rota", DAY, body_key=KEY,
               group="Red")
    other = read(engine, may, RED_WHIP, "arrange their group's rota", DAY, body_key=KEY,
                 group="Blue")
    nobody = read(engine, may, "S000-2", "arrange their group's rota", DAY, body_key=KEY)
    assert own.allowed
    assert other.reason == ("S000-1 is whip of Red, not of Blue: a whip or group officer "
                            "arranges only their own group's rota")
    assert "that is for a whip or an officer of a group" in nobody.reason


def test_role_labels_become_offices_once(world):
    engine = world.engine
    perform(engine, set_role, "S003-2", "Executive Committee")
    perform(engine, set_role, "S000-2", "whip")
    assert perform(engine, offices_from_roles, KEY, by="upgrade", now=JANUARY) == 2
    assert perform(engine, offices_from_roles, KEY, by="upgrade", now=JANUARY) == 0
    made = {(h.member, h.office, h.group) for h in read(engine, holders, KEY, DAY)}
    assert ("S000-2", "whip", "Red") in made
    assert ("S003-2", "Executive Committee", None) in made


def test_a_deputy_acts_for_the_speaker_and_officers_attend_without_a_vote(world):
    engine = world.engine
    sitting = world.sittings()[0]
    roster = world.roster(sitting.id)
    outsider = next(m for m in ("S000-2", "S000-1") if m not in roster.values())
    perform(engine, invite, sitting.id, outsider, "a committee meeting", "housing",
            by=DEPUTY, now=JANUARY)
    with pytest.raises(Forbidden, match="S000-2 may not invite members"):
        perform(engine, invite, sitting.id, RED_WHIP, "a committee meeting", "",
                by="S000-2", now=JANUARY)
    perform(engine, take_chair, sitting.id, DEPUTY, by=SPEAKER, now=JANUARY)
    perform(engine, take_chair, sitting.id, SPEAKER, by=DEPUTY, now=JANUARY)  # replaced
    with pytest.raises(Refused, match="S000-2 may not chair sittings"):
        perform(engine, take_chair, sitting.id, "S000-2", by=SPEAKER, now=JANUARY)
    with pytest.raises(Forbidden, match="may not chair sittings"):
        perform(engine, take_chair, sitting.id, SPEAKER, by=RED_WHIP, now=JANUARY)
    during = sitting.starts_at + timedelta(minutes=10)
    assert RED_WHIP not in roster.values()
    perform(engine, record_attendance, sitting.id, RED_WHIP, "without a vote", by="clerk",
            now=during)
    with pytest.raises(Refused, match="S002-2 may not attend without a vote"):
        perform(engine, record_attendance, sitting.id, "S002-2", "without a vote", by="clerk",
                now=during)
    view = read(engine, sitting_view, sitting.id)
    assert view.chair == (SPEAKER, "Member S000-0")
    assert view.invitations[0].member == outsider


def test_an_office_gives_no_power_once_its_holder_has_left(world):
    engine = world.engine
    assert read(engine, may, DEPUTY, "chair sittings", date(2027, 4, 1), body_key=KEY).allowed
    perform(engine, end_service, DEPUTY, date(2027, 3, 31), JANUARY)
    gone = read(engine, may, DEPUTY, "chair sittings", date(2027, 4, 1), body_key=KEY)
    assert gone.reason == ("S001-0 does not serve in officers-test on Thu 01 Apr 2027: an "
                           "office gives powers only while its holder serves")
    assert read(engine, may, DEPUTY, "chair sittings", date(2027, 3, 31), body_key=KEY).allowed
