"""An assembly's officer names its delegates before the deadline and the rota seats them; a
delegate named after the deadline is refused with the rule and the dates and nothing stored; an
unnamed place raises an alert for the officer before the rota is due, and the rota is never
published with it empty; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chamber import jobs
from chamber.alerts.services import open_alerts
from chamber.assemblies.models import Delegate
from chamber.db import perform, read
from chamber.errors import Forbidden, Invalid, Refused
from chamber.membership.services import declare_unavailable
from chamber.officers.delegates import Naming, assembly_desks, name_delegates
from chamber.rotas.models import Rota
from chamber.rotas.swaps import request_swap
from chamber.rotas.views import member_calendar
from chamber.settings import Settings
from tests.chamber.officers.conftest import LEAD, MONDAY, OFFICER, RED_WHIP, name_fortnight

SECOND = MONDAY + timedelta(days=14)  # the second fortnight: delegates by Sun 31 Jan
THIRD = MONDAY + timedelta(days=28)  # the third: by Sun 14 Feb


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _name(world, namings, now):
    return perform(world.engine, name_delegates, OFFICER, world.assembly, namings, now=now,
                   lead_days=LEAD)


def test_the_rota_seats_the_named_delegates_even_twice_a_fortnight(world):
    sittings = world.sittings(SECOND)
    _name(world, [Naming(s.id, "S002", "S002-1") for s in sittings]
          + [Naming(s.id, "S003", f"S003-{i}") for i, s in enumerate(sittings)],
          at(date(2027, 1, 20)))
    made = jobs.publish_due_rotas(world.engine, at(date(2027, 2, 1), 3), Settings())
    assert len(made) == 1
    assert [world.roster(s.id)["S002"] for s in sittings] == ["S002-1"] * 3
    assert [world.roster(s.id)["S003"] for s in sittings] == ["S003-0", "S003-1", "S003-2"]
    ics = read(world.engine, member_calendar, "S002-1", at(date(2027, 2, 1)))
    assert ics.count(b"BEGIN:VEVENT") == 4  # one in the first fortnight, three in the second
    with pytest.raises(Refused, match="an assembly's delegates are named by its officer"):
        perform(world.engine, request_swap, "S003-0", sittings[0].id, "S003-1",
                sittings[1].id, at(date(2027, 2, 2)))


def test_a_delegate_named_after_the_deadline_is_refused_and_nothing_stored(world):
    name_fortnight(world.engine, world.assembly, SECOND, at(date(2027, 1, 31), 23))
    jobs.publish_due_rotas(world.engine, at(date(2027, 2, 1), 3), Settings())
    stored = world.count(Delegate)
    first = world.sittings(SECOND)[0]
    with pytest.raises(Refused) as refused:
        _name(world, [Naming(first.id, "S002", "S002-2")], at(date(2027, 2, 2)))
    assert str(refused.value) == (
        "the rota of the sittings from Mon 15 Mar 2027 to Sun 28 Mar 2027 was published on "
        "Mon 01 Feb 2027: their delegates had to be named by Sun 31 Jan 2027, the day before "
        "it was due; a change now is a matter for the clerks"
    )
    name_fortnight(world.engine, world.assembly, THIRD, at(date(2027, 2, 10)))
    third = world.sittings(THIRD)[0]
    with pytest.raises(Refused, match="delegates for the sittings from Mon 29 Mar 2027 to Sun "
                                      "11 Apr 2027 had to be named by Sun 14 Feb 2027, the day "
                                      "before their rota is due to be published; it is Mon 15 "
                                      "Feb 2027"):
        _name(world, [Naming(third.id, "S002", "S002-2")], at(date(2027, 2, 15), 2))
    assert world.count(Delegate) == stored + 6
    assert _name(world, [Naming(third.id, "S002", "S002-0")], at(date(2027, 2, 15), 2)) == 0


def test_an_unnamed_place_is_raised_before_the_rota_and_the_rota_waits_for_it(world):
    engine = world.engine
    sittings = world.sittings(SECOND)
    _name(world, [Naming(s.id, seat, f"{seat}-0") for s in sittings[:2]
                  for seat in ("S002", "S003")], at(date(2027, 1, 12)))
    jobs.publish_due_rotas(engine, at(date(2027, 1, 20), 3), Settings())  # 11 days before
    (alert,) = [a for a in read(engine, open_alerts) if a.kind == "delegates not named"]
    assert alert.subject == "delegates of the Capital assembly for the rota from 2027-03-15"
    assert "has named no delegate for 2 of its places in the sittings from Mon 15 Mar 2027 to " \
           "Sun 28 Mar 2027 (the first: seat S002, Mon 22 Mar 08:00)" in alert.message
    assert "names them by Sun 31 Jan 2027" in alert.message
    desk = read(engine, assembly_desks, OFFICER, at(date(2027, 1, 20)), LEAD)[0]
    assert [p.unnamed for p in desk.periods] == [2, 6]
    assert desk.alerts[0].subject == alert.subject
    assert jobs.publish_due_rotas(engine, at(date(2027, 2, 1), 3), Settings()) == []
    (held,) = [a for a in read(engine, open_alerts) if a.kind == "rota not published"]
    assert "seat S002 has no delegate named by the Capital assembly for the" in held.message
    assert world.count(Rota) == 1  # never published with a place empty
    with pytest.raises(Refused, match="had to be named by Sun 31 Jan 2027"):  # no changes
        _name(world, [Naming(sittings[0].id, "S002", "S002-1")], at(date(2027, 2, 1)))
    _name(world, [Naming(sittings[2].id, seat, f"{seat}-2") for seat in ("S002", "S003")],
          at(date(2027, 2, 1)))  # the missing ones, late, while the rota is held back
    assert {(a.kind, a.subject[-10:]) for a in read(engine, open_alerts)} == {
        ("rota not published", "2027-03-15"),  # held back, until tonight's run
        ("delegates not named", "2027-03-29"),  # the next fortnight, due in two weeks
    }
    assert len(jobs.publish_due_rotas(engine, at(date(2027, 2, 2), 3), Settings())) == 1
    assert [a.kind for a in read(engine, open_alerts)] == ["delegates not named"]
    assert world.roster(sittings[2].id)["S002"] == "S002-2"


def test_only_the_officer_names_and_only_a_sharer_who_can_sit(world):
    first = world.sittings(SECOND)[0]
    now = at(date(2027, 1, 20))
    with pytest.raises(Forbidden, match="S000-1 may not name delegates: that is for an "
                                        "assembly's officer"):
        perform(world.engine, name_delegates, RED_WHIP, world.assembly,
                [Naming(first.id, "S002", "S002-1")], now=now, lead_days=LEAD)
    cases = [
        (Invalid, "seat S000 is not one of the Capital assembly's", "S000", "S000-1"),
        (Invalid, "S003-1 is not a sharer of seat S002", "S002", "S003-1"),
    ]
    for error, message, seat, member in cases:
        with pytest.raises(error, match=message):
            _name(world, [Naming(first.id, seat, member)], now)
    with pytest.raises(Invalid, match="a seat is named twice"):
        _name(world, [Naming(first.id, "S002", "S002-1")] * 2, now)
    perform(world.engine, declare_unavailable, "S002-2", [(first.day, "morning")])
    with pytest.raises(Refused, match="S002-2 declared they cannot sit on Mon 15 Mar 2027"):
        _name(world, [Naming(first.id, "S002", "S002-2")], now)
    assert world.count(Delegate) == 6  # the first fortnight's only
