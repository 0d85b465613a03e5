"""Finding sittings: one by id, those of a period, those of a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from chamber.bodies.services import body, pattern
from chamber.clock import london, within_range
from chamber.db import fetch
from chamber.sittings.models import Sitting


@dataclass(frozen=True, slots=True)
class SittingSummary:
    """A sitting as a calendar shows it."""

    id: int
    body: str
    day: date
    session: str
    starts_at: datetime
    ends_at: datetime
    urgent_only: bool


def summary(sitting: Sitting) -> SittingSummary:
    assert sitting.id is not None
    return SittingSummary(
        sitting.id, sitting.body_key, sitting.day, sitting.session, london(sitting.starts_at),
        london(sitting.ends_at), sitting.urgent_only,
    )


def sitting(session: Session, sitting_id: int) -> Sitting:
    return fetch(session, Sitting, sitting_id, "sitting")


def sittings_between(session: Session, start: datetime, end: datetime) -> list[SittingSummary]:
    """The sittings that start in [start, end), in order."""
    return [
        summary(s)
        for s in session.exec(
            select(Sitting)
            .where(col(Sitting.starts_at) >= start, col(Sitting.starts_at) < end)
            .order_by(col(Sitting.starts_at))
        ).all()
    ]


@dataclass(frozen=True, slots=True)
class Week:
    """The sittings of a week, Monday to Saturday."""

    monday: date
    days: tuple[tuple[date, tuple[SittingSummary, ...]], ...]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def sittings(self) -> tuple[SittingSummary, ...]:
        return tuple(s for _, found in self.days for s in found)


def week_of(session: Session, day: date) -> Week:
    """The week (Monday to Saturday) holding ``day`` and its sittings, by day (London days)."""
    within_range(day, "week")
    monday = day - timedelta(days=day.weekday())
    found = [
        summary(s)
        for s in session.exec(
            select(Sitting)
            .where(col(Sitting.day) >= monday, col(Sitting.day) < monday + timedelta(days=7))
            .order_by(col(Sitting.starts_at))
        ).all()
    ]
    days = tuple(
        (d, tuple(s for s in found if s.day == d))
        for d in (monday + timedelta(days=n) for n in range(6))
    )
    return Week(monday, days)


def extend_calendar(session: Session, body_key: str, until: date) -> int:
    """Make a body's sittings from its sitting pattern, whole cycles at a time, from where its
    calendar ends (or starts) until the cycle holding ``until``; returns how many were made.
    Running it again makes nothing new (sittings are unique per body, day and session)."""
    found = body(session, body_key)
    sits = pattern(session, body_key)
    last = session.exec(
        select(func.max(Sitting.cycle)).where(Sitting.body_key == body_key)
    ).one()
    cycle = 0 if last is None else last + 1
    made = 0
    while found.calendar_start + timedelta(days=cycle * sits.cycle_days) <= until:
        first = found.calendar_start + timedelta(days=cycle * sits.cycle_days)
        for slot in sits.slots_from(first, 1):
            session.add(
                Sitting(
                    body_key=body_key, day=slot.day, session=slot.session, cycle=cycle,
                    starts_at=slot.start, ends_at=slot.end, urgent_only=slot.urgent_only,
                )
            )
            made += 1
        cycle += 1
    return made


def cycle_start(session: Session, body_key: str, cycle: int) -> date:
    """The first day of a body's cycle ``cycle``."""
    return body(session, body_key).calendar_start + timedelta(
        days=cycle * pattern(session, body_key).cycle_days
    )
