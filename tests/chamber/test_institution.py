"""Bodies, members, rotas, sittings, business planning, invitations and speeches, on SQLite and
PostgreSQL, with every refusal and its reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber import institution
from chamber.models import Assignment, Seat, Sitting
from chamber.voting import VotingError
from tests.chamber.conftest import SMALL


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_a_body_cannot_be_installed_twice(engine):
    assert institution.install_body(engine, SMALL) == 3
    with pytest.raises(VotingError, match="already installed"):
        institution.install_body(engine, SMALL)


def test_adding_members_lists_every_problem_and_stores_nothing(engine):
    institution.install_body(engine, SMALL)
    bad = [
        institution.NewMember("x1", "X", "S000", "citizens"),
        institution.NewMember("x2", "X", "S000", "citizens"),
        institution.NewMember("x3", "X", "S000", "citizens"),  # a third sharer
        institution.NewMember("x1", "X", "S001", "citizens"),  # duplicate id
        institution.NewMember("x4", "X", "S999", "citizens"),  # no such seat
        institution.NewMember("x5", "X", "S002", "citizens", role="king"),
    ]
    with pytest.raises(VotingError) as err:
        institution.add_members(engine, SMALL.key, bad)
    message = str(err.value)
    for part in ("already used", "no seat 'S999'", "role 'king'", "seat S000 would have 3"):
        assert part in message
    assert institution.roles(engine, SMALL.key) == {}
    with Session(engine) as session:
        assert session.exec(select(Seat)).all()  # the body is still there
    institution.add_members(engine, SMALL.key, bad[:2])
    institution.set_role(engine, "x1", "Speaker")
    assert institution.roles(engine, SMALL.key) == {"Speaker": ["x1"]}


def test_a_published_rota_gives_every_member_one_slot_a_fortnight(world):
    engine = world["engine"]
    with Session(engine) as session:
        rows = session.exec(select(Assignment)).all()
        sittings = session.exec(select(Sitting)).all()
    assert len(rows) == 6  # six members, one slot each
    assert len({r.member_id for r in rows}) == 6
    assert len(sittings) == 24  # two weeks of Monday to Saturday, morning and evening
    slots = institution.member_slots(engine, "S000-0", datetime(2027, 1, 1, tzinfo=UTC))
    assert len(slots) == 1
    assert slots[0]["seat"] == "S000"


def test_unavailability_is_respected_by_the_next_rota(world):
    engine = world["engine"]
    monday = date(2027, 3, 15)
    days = [(monday + timedelta(days=d), s) for d in range(6) for s in ("morning", "evening")]
    institution.declare_unavailable(engine, "S001-0", days[:-1])  # only Saturday evening left
    rota_id = institution.solve_and_publish(engine, SMALL.key, monday, 1, world["now"])
    slots = institution.member_slots(engine, "S001-0", datetime(2027, 3, 15, tzinfo=UTC))
    assert [s["starts_at"].date() for s in slots] == [date(2027, 3, 20)]
    assert rota_id != world["rota"]


def test_rotas_are_published_28_days_ahead_and_catch_up(world):
    engine = world["engine"]
    # the first rota covers the fortnight from 2027-03-01; the next starts 2027-03-15
    assert institution.publish_due_rotas(engine, datetime(2027, 2, 14, tzinfo=UTC)) == []
    made = institution.publish_due_rotas(engine, datetime(2027, 3, 1, tzinfo=UTC))
    assert len(made) == 2  # 2027-03-15 and 2027-03-29 are both within 28 days
    assert institution.publish_due_rotas(engine, datetime(2027, 3, 1, tzinfo=UTC)) == []


def _sittings(engine):
    return institution.sittings_between(
        engine, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 15, tzinfo=UTC)
    )


def test_business_is_planned_a_month_ahead_and_urgent_only_on_saturday_afternoons(world):
    engine = world["engine"]
    sittings = _sittings(engine)
    weekday = next(s for s in sittings if not s.urgent_only)
    saturday_pm = next(s for s in sittings if s.urgent_only)
    day = _aware(weekday.starts_at).date()
    early = day - timedelta(days=40)
    assert institution.plan_business(engine, weekday.id, "Budget", planned_on=early, by="clerk")
    with pytest.raises(VotingError, match="a month ahead"):
        institution.plan_business(engine, weekday.id, "Late", planned_on=day - timedelta(days=3),
                                  by="clerk")
    with pytest.raises(VotingError, match="only in a Saturday-afternoon slot"):
        institution.plan_business(engine, weekday.id, "Flood", planned_on=day, by="clerk",
                                  urgent=True)
    with pytest.raises(VotingError, match="kept for urgent business"):
        institution.plan_business(engine, saturday_pm.id, "Ordinary", planned_on=early, by="c")
    assert institution.plan_business(
        engine, saturday_pm.id, "Flood", planned_on=_aware(saturday_pm.starts_at).date(),
        by="clerk", urgent=True,
    )
    with pytest.raises(VotingError, match="needs a title"):
        institution.plan_business(engine, weekday.id, " ", planned_on=early, by="clerk")


def test_only_rostered_or_invited_members_speak(world):
    engine = world["engine"]
    sitting = next(s for s in _sittings(engine) if not s.urgent_only)
    with Session(engine) as session:
        roster = institution.rostered(session, sitting.id)
    everyone = {f"S{s:03d}-{k}" for s in range(3) for k in range(2)}
    outsider = sorted(everyone - set(roster.values()))[0]
    day = _aware(sitting.starts_at).date()
    debate = institution.plan_business(
        engine, sitting.id, "Budget", planned_on=day - timedelta(days=40), by="clerk"
    )
    during = _aware(sitting.starts_at) + timedelta(minutes=30)
    if roster:
        speaker = next(iter(roster.values()))
        assert institution.speak(engine, debate, speaker, "I rise", during)
        with pytest.raises(VotingError, match="needs no invitation"):
            institution.invite(engine, sitting.id, speaker, "a committee meeting", "x")
    with pytest.raises(VotingError, match="no invitation"):
        institution.speak(engine, debate, outsider, "May I?", during)
    with pytest.raises(VotingError, match="an invitation is for"):
        institution.invite(engine, sitting.id, outsider, "a whim", "")
    institution.invite(engine, sitting.id, outsider, "a specific contribution", "flood data")
    assert institution.speak(engine, debate, outsider, "The data show", during)
    with pytest.raises(VotingError, match="during the sitting"):
        institution.speak(engine, debate, outsider, "Late", during + timedelta(hours=9))


def test_a_member_sees_their_slots_and_sharers_and_a_calendar_feed(world):
    engine = world["engine"]
    view = institution.member_rota_view(engine, "S000-0", datetime(2027, 1, 1, tzinfo=UTC))
    assert view["member"]["seat"] == "S000"
    assert [s["id"] for s in view["sharers"]] == ["S000-1"]
    assert len(view["slots"]) == 1
    ics = institution.member_calendar(engine, "S000-0", datetime(2027, 1, 1, tzinfo=UTC))
    assert ics.count(b"BEGIN:VEVENT") == 1
    assert b"seat S000" in ics


def test_swaps_are_requested_checked_and_applied_on_acceptance(world):
    engine = world["engine"]
    now = datetime(2027, 2, 1, tzinfo=UTC)
    before = {
        m: institution.member_slots(engine, m, now)[0]["starts_at"] for m in ("S000-0", "S000-1")
    }
    request = institution.request_swap(engine, "S000-0", "S000-1", now)
    with pytest.raises(VotingError, match="no swap request"):
        institution.answer_swap(engine, request, "S000-0", True, now)  # only the asked answers
    assert institution.answer_swap(engine, request, "S000-1", True, now) == "accepted"
    after = {
        m: institution.member_slots(engine, m, now)[0]["starts_at"] for m in ("S000-0", "S000-1")
    }
    assert after == {"S000-0": before["S000-1"], "S000-1": before["S000-0"]}
    with pytest.raises(VotingError, match="already accepted"):
        institution.answer_swap(engine, request, "S000-1", True, now)
    with pytest.raises(VotingError, match="no future slots in the same rota"):
        institution.request_swap(engine, "S000-0", "S001-0", datetime(2027, 6, 1, tzinfo=UTC))


def test_a_declined_swap_changes_nothing(world):
    engine = world["engine"]
    now = datetime(2027, 2, 1, tzinfo=UTC)
    before = institution.member_slots(engine, "S001-0", now)
    request = institution.request_swap(engine, "S001-0", "S001-1", now)
    assert institution.answer_swap(engine, request, "S001-1", False, now) == "declined"
    assert institution.member_slots(engine, "S001-0", now) == before
