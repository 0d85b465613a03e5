"""A group's whip arranges its rota within the solver's rules: pins (into a published rota, which
is re-solved at once, and into one not yet solved), refusals with the rule and the figures,
swaps answered for a member, unavailability marked; never for another group's member; on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chamber.db import perform, read
from chamber.errors import Conflict, Forbidden, Refused
from chamber.membership.models import Unavailability
from chamber.membership.services import declare_unavailable
from chamber.officers.services import appoint
from chamber.officers.whips import (
    approve_swap,
    group_rota,
    mark_unavailable,
    pin_to_sitting,
    remove_pin,
)
from chamber.rotas.models import Pin
from chamber.rotas.services import solve_and_publish
from chamber.rotas.swaps import request_swap
from tests.chamber.officers.conftest import (
    BLUE_WHIP,
    JANUARY,
    KEY,
    MONDAY,
    RED_WHIP,
    SERVING,
    name_fortnight,
)

FEBRUARY = JANUARY + timedelta(days=20)  # after the first fortnight's rota was published


def _sitting_of(world, member: str) -> int:
    return next(s.id for s in world.sittings() if world.roster(s.id).get("S000") == member)


def test_a_whip_pins_a_member_into_a_published_rota_which_is_re_solved(world):
    engine = world.engine
    target = next(s.id for s in world.sittings() if world.roster(s.id)["S000"] != "S000-2")
    pin = perform(engine, pin_to_sitting, RED_WHIP, "S000-2", target, FEBRUARY)
    assert world.roster(target)["S000"] == "S000-2"
    for s in world.sittings():  # still one member a seat, each sharer once a fortnight
        assert sorted(world.roster(s.id)) == ["S000", "S001", "S002", "S003"]
    assert sorted(world.roster(s.id)["S000"] for s in world.sittings()) == [
        "S000-0", "S000-1", "S000-2"]
    view = read(engine, group_rota, RED_WHIP, FEBRUARY)
    assert view.groups == ("Red",)
    assert [p.member for p in view.pins] == ["S000-2"]
    assert {m.id for m in view.members} == {"S000-0", "S000-1", "S000-2"}
    with pytest.raises(Conflict, match="already pinned to that sitting"):
        perform(engine, pin_to_sitting, RED_WHIP, "S000-2", target, FEBRUARY)
    perform(engine, remove_pin, RED_WHIP, pin, FEBRUARY)
    assert world.count(Pin) == 0


def test_a_pin_into_a_rota_not_yet_solved_is_honoured_when_it_is(world):
    engine = world.engine
    later = world.sittings(MONDAY + timedelta(days=14))
    perform(engine, pin_to_sitting, RED_WHIP, "S000-1", later[0].id, FEBRUARY)
    perform(engine, pin_to_sitting, BLUE_WHIP, "S001-2", later[0].id, FEBRUARY)
    name_fortnight(engine, world.assembly, MONDAY + timedelta(days=14), FEBRUARY)
    perform(engine, solve_and_publish, KEY, MONDAY + timedelta(days=14), 1, FEBRUARY)
    roster = world.roster(later[0].id)
    assert (roster["S000"], roster["S001"]) == ("S000-1", "S001-2")


def test_a_whip_acting_outside_their_group_is_refused_and_nothing_stored(world):
    engine = world.engine
    sitting = world.sittings()[2].id
    with pytest.raises(Forbidden, match="S000-1 is whip of Red, not of Blue"):
        perform(engine, pin_to_sitting, RED_WHIP, "S001-2", sitting, FEBRUARY)
    with pytest.raises(Forbidden, match="S000-2 may not arrange their group's rota"):
        perform(engine, pin_to_sitting, "S000-2", "S000-0", sitting, FEBRUARY)
    with pytest.raises(Forbidden, match="not of Blue"):
        perform(engine, mark_unavailable, RED_WHIP, "S001-2", date(2027, 3, 8), "morning",
                FEBRUARY)
    assert world.count(Pin) == 0
    assert world.count(Unavailability) == 0


def test_a_pin_that_breaks_a_hard_rule_is_refused_with_the_rule_and_figures(world):
    engine = world.engine
    first, second, third = (s.id for s in world.sittings(MONDAY + timedelta(days=14)))
    day = MONDAY + timedelta(days=14)
    perform(engine, declare_unavailable, "S000-0", [(day, "morning")])
    with pytest.raises(Refused, match=r"S000-0 cannot be pinned to the .* they declared they "
                                      r"cannot sit then"):
        perform(engine, pin_to_sitting, RED_WHIP, "S000-0", first, FEBRUARY)
    perform(engine, declare_unavailable, "S000-1", [(day, "morning")])
    # only S000-2 can sit on the 15th: pinning them elsewhere leaves it to no one
    with pytest.raises(Refused, match=r"the other sharers could not fill the seat's other "
                                      r"sittings: seat S000 \(cycle from 2027-03-15\): the 1 "
                                      r"slots .* can be covered by only 0 members \(no one\)"):
        perform(engine, pin_to_sitting, RED_WHIP, "S000-2", second, FEBRUARY)
    perform(engine, pin_to_sitting, RED_WHIP, "S000-2", first, FEBRUARY)
    with pytest.raises(Refused, match=r"their .* sitting of the same cycle is pinned, and each "
                                      r"sharer sits once a cycle"):
        perform(engine, pin_to_sitting, RED_WHIP, "S000-2", third, FEBRUARY)
    perform(engine, pin_to_sitting, RED_WHIP, "S000-0", third, FEBRUARY)
    with pytest.raises(Refused, match="S000-0 is already pinned to seat S000 then"):
        perform(engine, pin_to_sitting, RED_WHIP, "S000-1", third, FEBRUARY)
    begun = world.sittings()[0]
    with pytest.raises(Refused, match="has begun"):
        perform(engine, pin_to_sitting, RED_WHIP, "S000-2", begun.id,
                begun.starts_at + timedelta(minutes=1))
    assert world.count(Pin) == 2


def test_nobody_is_pinned_to_an_assemblys_seat(world):
    perform(world.engine, appoint, KEY, "group officer", "S002-1", holds_from=SERVING,
            by="clerk", now=JANUARY)
    with pytest.raises(Refused, match="seat S002 is the Capital assembly's"):
        perform(world.engine, pin_to_sitting, "S002-1", "S002-2", world.sittings()[0].id,
                JANUARY)


def test_a_whip_answers_a_swap_for_a_member_of_their_group(world):
    engine = world.engine
    a, b = _sitting_of(world, "S000-0"), _sitting_of(world, "S000-2")
    request = perform(engine, request_swap, "S000-0", a, "S000-2", b, FEBRUARY)
    assert [r.id for r in read(engine, group_rota, RED_WHIP, FEBRUARY).swaps] == [request]
    with pytest.raises(Forbidden, match="not of Red"):
        perform(engine, approve_swap, BLUE_WHIP, request, True, FEBRUARY)
    assert perform(engine, approve_swap, RED_WHIP, request, True, FEBRUARY) == "accepted"
    assert (_sitting_of(world, "S000-0"), _sitting_of(world, "S000-2")) == (b, a)


def test_a_swap_out_of_a_pinned_sitting_is_refused(world):
    engine = world.engine
    a, b = _sitting_of(world, "S000-0"), _sitting_of(world, "S000-2")
    perform(engine, pin_to_sitting, RED_WHIP, "S000-0", a, FEBRUARY)
    with pytest.raises(Refused, match="S000-0 is pinned to that sitting by an officer"):
        perform(engine, request_swap, "S000-0", a, "S000-2", b, FEBRUARY)


def test_a_member_marked_unavailable_is_moved_or_the_mark_refused(world):
    engine = world.engine
    sitting = next(s for s in world.sittings() if world.roster(s.id)["S000"] == "S000-2")
    perform(engine, mark_unavailable, RED_WHIP, "S000-2", sitting.day, "morning", FEBRUARY)
    assert world.roster(sitting.id)["S000"] != "S000-2"
    with pytest.raises(Conflict, match="already unavailable"):
        perform(engine, mark_unavailable, RED_WHIP, "S000-2", sitting.day, "morning", FEBRUARY)
    other = next(s for s in world.sittings() if world.roster(s.id)["S000"] == "S000-1")
    perform(engine, declare_unavailable, "S000-0", [(other.day, "morning")])
    stored = world.count(Unavailability)
    with pytest.raises(Refused, match="S000-1 cannot be moved from that sitting: seat S000"):
        perform(engine, mark_unavailable, RED_WHIP, "S000-1", other.day, "morning", FEBRUARY)
    assert world.count(Unavailability) == stored  # nothing stored
    assert world.roster(other.id)["S000"] == "S000-1"
    with pytest.raises(Refused, match="for days to come"):
        perform(engine, mark_unavailable, RED_WHIP, "S000-1", date(2027, 1, 30), "morning",
                FEBRUARY)
