"""Rotas: solved, stored, published with their sittings, 28 days ahead; a member's view and
calendar; swaps; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.errors import NotFound, Refused
from chamber.jobs import publish_due_rotas
from chamber.membership.services import declare_unavailable
from chamber.rotas.models import Assignment
from chamber.rotas.roster import member_slots
from chamber.rotas.services import solve_and_publish
from chamber.rotas.swaps import answer_swap, request_swap
from chamber.rotas.views import member_calendar, member_rota_view
from chamber.sittings.models import Sitting
from tests.chamber.conftest import SMALL

JAN = datetime(2027, 1, 1, tzinfo=UTC)


def test_a_published_rota_gives_every_member_one_slot_a_fortnight(world):
    with Session(world.engine) as session:
        rows = session.exec(select(Assignment)).all()
        sittings = session.exec(select(Sitting)).all()
    assert len(rows) == 6  # six members, one slot each
    assert len({r.member_id for r in rows}) == 6
    assert len(sittings) == 24  # two weeks of Monday to Saturday, morning and evening
    slots = read(world.engine, member_slots, "S000-0", JAN)
    assert len(slots) == 1
    assert slots[0].seat == "S000"


def test_unavailability_is_respected_by_the_next_rota(world):
    engine = world.engine
    monday = date(2027, 3, 15)
    days = [(monday + timedelta(days=d), s) for d in range(6) for s in ("morning", "evening")]
    perform(engine, declare_unavailable, "S001-0", days[:-1])  # only Saturday evening left
    rota_id = perform(engine, solve_and_publish, SMALL.key, monday, 1, world.now)
    slots = read(engine, member_slots, "S001-0", datetime(2027, 3, 15, tzinfo=UTC))
    assert [s.starts_at.date() for s in slots] == [date(2027, 3, 20)]
    assert rota_id != world.rota


def test_rotas_are_published_28_days_ahead_and_catch_up(world):
    engine = world.engine
    # the first rota covers the fortnight from 2027-03-01; the next starts 2027-03-15
    assert publish_due_rotas(engine, datetime(2027, 2, 14, tzinfo=UTC)) == []
    made = publish_due_rotas(engine, datetime(2027, 3, 1, tzinfo=UTC))
    assert len(made) == 2  # 2027-03-15 and 2027-03-29 are both within 28 days
    assert publish_due_rotas(engine, datetime(2027, 3, 1, tzinfo=UTC)) == []


def test_a_member_sees_their_slots_and_sharers_and_a_calendar_feed(world):
    view = read(world.engine, member_rota_view, "S000-0", JAN)
    assert view.member.seat == "S000"
    assert [s.id for s in view.sharers] == ["S000-1"]
    assert len(view.slots) == 1
    ics = read(world.engine, member_calendar, "S000-0", JAN)
    assert ics.count(b"BEGIN:VEVENT") == 1
    assert b"seat S000" in ics
    with pytest.raises(NotFound, match="no member"):
        read(world.engine, member_rota_view, "nobody", JAN)


def test_swaps_are_requested_checked_and_applied_on_acceptance(world):
    engine = world.engine
    now = datetime(2027, 2, 1, tzinfo=UTC)

    def slots() -> dict[str, datetime]:
        return {m: read(engine, member_slots, m, now)[0].starts_at for m in ("S000-0", "S000-1")}

    before = slots()
    request = perform(engine, request_swap, "S000-0", "S000-1", now)
    with pytest.raises(NotFound, match="no swap request"):
        perform(engine, answer_swap, request, "S000-0", True, now)  # only the asked answers
    assert perform(engine, answer_swap, request, "S000-1", True, now) == "accepted"
    assert slots() == {"S000-0": before["S000-1"], "S000-1": before["S000-0"]}
    with pytest.raises(Refused, match="already accepted"):
        perform(engine, answer_swap, request, "S000-1", True, now)
    with pytest.raises(Refused, match="no future slots in the same rota"):
        perform(engine, request_swap, "S000-0", "S001-0", datetime(2027, 6, 1, tzinfo=UTC))


def test_a_declined_swap_changes_nothing(world):
    engine = world.engine
    now = datetime(2027, 2, 1, tzinfo=UTC)
    before = read(engine, member_slots, "S001-0", now)
    request = perform(engine, request_swap, "S001-0", "S001-1", now)
    assert perform(engine, answer_swap, request, "S001-1", False, now) == "declined"
    assert read(engine, member_slots, "S001-0", now) == before
