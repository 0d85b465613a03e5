"""Finding sittings: one by id, those of a period, those of a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from chamber.clock import aware
from chamber.db import fetch
from chamber.sittings.models import Sitting


@dataclass(frozen=True, slots=True)
class SittingSummary:
    """A sitting as a calendar shows it."""

    id: int
    body: str
    starts_at: datetime
    ends_at: datetime
    urgent_only: bool


def summary(sitting: Sitting) -> SittingSummary:
    assert sitting.id is not None
    return SittingSummary(
        sitting.id, sitting.body_key, aware(sitting.starts_at), aware(sitting.ends_at),
        sitting.urgent_only,
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
    """The week (Monday to Saturday) holding ``day`` and its sittings, by day."""
    monday = day - timedelta(days=day.weekday())
    begin = datetime.combine(monday, datetime.min.time(), UTC)
    found = sittings_between(session, begin, begin + timedelta(days=7))
    days = tuple(
        (d, tuple(s for s in found if s.starts_at.date() == d))
        for d in (monday + timedelta(days=n) for n in range(6))
    )
    return Week(monday, days)
