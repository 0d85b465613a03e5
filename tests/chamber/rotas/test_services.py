"""Rotas: solved for a period of whole cycles over the sittings the calendar made, published only
when every seat of every sitting has its member, a month and a week ahead, and re-solved with
as few moves as possible when membership changes; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber.alerts.services import open_alerts
from chamber.bodies import LOCAL_HEALTH_PANEL
from chamber.bodies.services import install_body
from chamber.clock import LONDON
from chamber.db import perform, read
from chamber.errors import NotFound, Refused
from chamber.jobs import publish_due_rotas
from chamber.membership.models import Unavailability
from chamber.membership.services import NewMember, add_members, declare_unavailable
from chamber.rotas.changes import end_service, replace_member
from chamber.rotas.models import Assignment
from chamber.rotas.roster import member_slots, rostered
from chamber.rotas.services import solve_and_publish
from chamber.rotas.views import member_calendar, member_rota_view
from chamber.settings import Settings
from chamber.sittings.services import extend_calendar, sittings_between
from tests.chamber.conftest import SMALL

JAN = datetime(2027, 1, 1, tzinfo=UTC)


def test_a_published_rota_gives_every_member_one_sitting_a_fortnight(world):
    with Session(world.engine) as session:
        rows = session.exec(select(Assignment)).all()
    assert len(rows) == 6  # six members, two sittings of three seats
    assert len({r.member_id for r in rows}) == 6
    assert len(world.sittings()) == 2  # a Monday morning and a Saturday afternoon
    slots = read(world.engine, member_slots, "S000-0", JAN)
    assert len(slots) == 1
    assert slots[0].seat == "S000"


def test_unavailability_is_respected_by_the_next_rota(world):
    engine = world.engine
    perform(engine, declare_unavailable, "S001-0", [(date(2027, 3, 15), "morning")])
    rota_id = perform(engine, solve_and_publish, SMALL.key, date(2027, 3, 15), 1, world.now)
    slots = read(engine, member_slots, "S001-0", datetime(2027, 3, 15, tzinfo=UTC))
    assert [s.starts_at.date() for s in slots] == [date(2027, 3, 27)]
    assert rota_id != world.rota


def test_a_rota_that_leaves_a_seat_empty_is_never_published(world):
    engine = world.engine
    both = [(date(2027, 3, 15), "morning"), (date(2027, 3, 27), "evening")]
    perform(engine, declare_unavailable, "S002-1", both)
    with pytest.raises(Refused) as refused:
        perform(engine, solve_and_publish, SMALL.key, date(2027, 3, 15), 1, world.now)
    message = str(refused.value)
    assert "seat S002 has no member" in message
    assert "To fix:" in message
    assert "seat S002" in message
    assert read(engine, member_slots, "S002-0", datetime(2027, 3, 15, tzinfo=UTC)) == []


def test_the_job_publishes_a_month_and_a_week_ahead_and_alerts_the_clerks(world):
    engine = world.engine
    config = Settings()
    # the next period starts on 15 March: due 42 days before, on 1 February
    assert publish_due_rotas(engine, datetime(2027, 1, 31, 4, tzinfo=UTC), config) == []
    assert len(publish_due_rotas(engine, datetime(2027, 2, 1, 4, tzinfo=UTC), config)) == 1
    assert publish_due_rotas(engine, datetime(2027, 2, 1, 4, tzinfo=UTC), config) == []
    perform(engine, declare_unavailable, "S002-1",
            [(date(2027, 3, 29), "morning"), (date(2027, 4, 10), "evening")])
    assert publish_due_rotas(engine, datetime(2027, 2, 20, 4, tzinfo=UTC), config) == []
    alerts = read(engine, open_alerts)
    assert [a.kind for a in alerts] == ["rota not published"]
    assert "seat S002 has no member" in alerts[0].message
    # the catch-up: once the member can sit again, the period is published and the alert closes
    with Session(engine) as session:
        for row in session.exec(select(Unavailability)).all():
            session.delete(row)
        session.commit()
    assert len(publish_due_rotas(engine, datetime(2027, 2, 21, 4, tzinfo=UTC), config)) == 1
    assert read(engine, open_alerts) == []


def test_a_member_replaced_mid_period_hands_their_future_sitting_to_the_joiner(world):
    engine = world.engine
    leaving = next(
        m for m in ("S000-0", "S000-1")
        if read(engine, member_slots, m, JAN)[0].starts_at.date() == date(2027, 3, 13)
    )
    joining = NewMember("S000-9", "New Member", "S000", "citizens", serves_from=date(2027, 3, 5))
    assert perform(engine, replace_member, leaving, joining, datetime(2027, 3, 2, tzinfo=UTC)) == []
    assert read(engine, member_slots, leaving, JAN) == []
    assert [s.starts_at.date() for s in read(engine, member_slots, "S000-9", JAN)] == [
        date(2027, 3, 13)
    ]
    other = ({"S000-0", "S000-1"} - {leaving}).pop()
    assert len(read(engine, member_slots, other, JAN)) == 1  # nobody else moved


def test_a_member_leaving_unreplaced_leaves_an_empty_seat_and_an_alert(world):
    engine = world.engine
    empty = perform(engine, end_service, "S001-0", date(2027, 3, 1),
                    datetime(2027, 3, 1, 20, tzinfo=UTC))
    later = read(engine, member_slots, "S001-0", datetime(2027, 3, 2, tzinfo=UTC))
    assert later == []
    if empty:  # their sitting was the Saturday: nobody else can take it
        assert "seat S001" in empty[0]
        assert [a.kind for a in read(engine, open_alerts)] == ["seat left empty"]


def test_a_member_sees_their_sittings_and_sharers_and_a_london_calendar(world):
    view = read(world.engine, member_rota_view, "S000-0", JAN)
    assert view.member.seat == "S000"
    assert [s.id for s in view.sharers] == ["S000-1"]
    assert len(view.sharers[0].slots) == 1
    assert len(view.slots) == 1
    ics = read(world.engine, member_calendar, "S000-0", JAN)
    assert ics.count(b"BEGIN:VEVENT") == 1
    assert b"seat S000" in ics
    assert b"TZID=Europe/London" in ics
    assert b"BEGIN:VTIMEZONE" in ics
    assert b"BEGIN:DAYLIGHT" in ics
    with pytest.raises(NotFound, match="no member"):
        read(world.engine, member_rota_view, "nobody", JAN)


def test_the_next_rota_of_a_member_falls_in_its_period(world):
    engine = world.engine
    perform(engine, solve_and_publish, SMALL.key, date(2027, 3, 15), 1, world.now)
    for m in ("S000-0", "S001-1", "S002-0"):
        days = [s.starts_at.date() for s in read(engine, member_slots, m, JAN)]
        assert len(days) == 2
        assert days[0] < date(2027, 3, 15) <= days[1] < date(2027, 3, 29)


def test_a_citizens_panel_sits_on_its_own_pattern(engine):
    panel = LOCAL_HEALTH_PANEL
    start = date(2027, 3, 1)
    perform(engine, install_body, panel, start)
    perform(engine, add_members, panel.key,
            [NewMember(f"S{n:03d}-00", f"Panellist {n}", f"S{n:03d}", "panel") for n in range(40)])
    assert perform(engine, extend_calendar, panel.key, start + timedelta(weeks=4)) == 3
    rota = perform(engine, solve_and_publish, panel.key, start, 1, JAN)
    found = read(engine, sittings_between, datetime(2027, 3, 1, tzinfo=UTC),
                 datetime(2027, 3, 15, tzinfo=UTC))
    assert [(s.day, s.session) for s in found] == [(date(2027, 3, 2), "evening")]
    local = found[0].starts_at.astimezone(LONDON)
    assert (local.hour, local.minute) == (18, 30)
    assert len(read(engine, rostered, found[0].id)) == 40  # every panellist, every meeting
    assert rota
