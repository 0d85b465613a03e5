"""Rotas as transactions: solve a body's period, store it, publish it (creating its sittings)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.bodies.models import Seat
from chamber.bodies.services import bodies
from chamber.clock import aware
from chamber.membership.services import has_members
from chamber.rotas.models import Assignment, Rota, Slot
from chamber.rotas.problem import rota_problem, stored_rota
from chamber.sittings.models import Sitting
from rota.solve import Rota as SolvedRota
from rota.solve import solve

PUBLISH_AHEAD = timedelta(days=28)


def store_rota(session: Session, body_key: str, solved: SolvedRota, now: datetime) -> int:
    """Store a solved rota (draft) with its slots and assignments; returns its id."""
    problem = solved.problem
    seat_ids = dict(
        session.exec(select(Seat.code, Seat.id).where(Seat.body_key == body_key)).all()
    )
    rota = Rota(
        body_key=body_key,
        start=problem.calendar.start,
        fortnights=problem.calendar.fortnights,
        solved_at=now,
        summary={
            "objective": solved.objective,
            "bound": solved.bound,
            "gap": solved.gap,
            "violations": solved.violations,
            "unavailable_assigned": solved.unavailable_assigned,
            "unfilled": len(solved.unfilled),
            "without_slot": len(solved.without_slot),
            "seconds": solved.seconds,
        },
    )
    session.add(rota)
    session.flush()
    assert rota.id is not None
    slots = [
        Slot(
            rota_id=rota.id, number=s.index, day=s.day, session=s.session,
            starts_at=aware(s.start), ends_at=aware(s.end), urgent_only=s.urgent_only,
        )
        for s in problem.calendar.slots
    ]
    session.add_all(slots)
    session.flush()
    rows = [
        {"slot_id": slots[s].id, "seat_id": seat_ids[member.seat], "member_id": member.id}
        for m, member in enumerate(problem.members)
        for s in solved.slot_of[m].tolist()
        if s >= 0
    ]
    if rows:
        session.execute(Assignment.__table__.insert(), rows)  # type: ignore[attr-defined]
    return rota.id


def publish_rota(session: Session, rota_id: int, now: datetime) -> int:
    """Publish a rota: its sittings are created, one per slot.  Returns the sittings made."""
    rota = stored_rota(session, rota_id)
    if rota.status == "published":
        return 0
    slots = session.exec(select(Slot).where(Slot.rota_id == rota_id)).all()
    session.add_all(
        Sitting(
            slot_id=s.id or 0, body_key=rota.body_key, starts_at=s.starts_at, ends_at=s.ends_at,
            urgent_only=s.urgent_only,
        )
        for s in slots
    )
    rota.status, rota.published_at = "published", now
    append(session, "rota published", {"rota": rota_id, "body": rota.body_key}, now)
    return len(slots)


def solve_and_publish(
    session: Session, body_key: str, start: date, fortnights: int, now: datetime
) -> int:
    """Solve a body's rota for a period, store and publish it; returns the rota id."""
    solved = solve(rota_problem(session, body_key, start, fortnights))
    rota_id = store_rota(session, body_key, solved, now)
    publish_rota(session, rota_id, now)
    return rota_id


def next_period_start(session: Session, body_key: str, today: date) -> date:
    """The Monday the next rota of a body starts: after its last rota, else the next Monday."""
    last = session.exec(
        select(Rota).where(Rota.body_key == body_key).order_by(col(Rota.start).desc())
    ).first()
    if last is not None:
        return last.start + timedelta(weeks=2 * last.fortnights)
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def due_periods(session: Session, now: datetime) -> list[tuple[str, date]]:
    """(body, first Monday) of every fortnight due to be published by ``now``: those that
    start within `PUBLISH_AHEAD`, for every body with members."""
    due = []
    for key in bodies(session):
        if not has_members(session, key):
            continue
        start = next_period_start(session, key, now.date())
        while start - PUBLISH_AHEAD <= now.date():
            due.append((key, start))
            start += timedelta(weeks=2)
    return due
