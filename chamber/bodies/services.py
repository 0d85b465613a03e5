"""Installing a body: its categories and seats, from its composition."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from chamber.bodies.composition import Body as Composition
from chamber.bodies.models import Body, Category, Seat
from chamber.bodies.pattern import SessionSpec, SittingSpec, pattern_of
from chamber.db import fetch
from chamber.errors import Conflict, Invalid
from rota.calendar import SittingPattern


def install_body(session: Session, body: Composition, calendar_start: date) -> int:
    """Store a body with its categories and seats (``S000``, ``S001``, ... in category order),
    its sitting pattern's first cycle starting on ``calendar_start`` (a Monday); returns the
    number of seats.  Installing a body twice is refused."""
    if session.get(Body, body.key) is not None:
        raise Conflict(f"body {body.key!r} is already installed")
    if calendar_start.weekday() != 0:
        raise Invalid(f"a body's calendar starts on a Monday, not {calendar_start:%A %d %B %Y}")
    session.add(
        Body(key=body.key, title=body.title, expected_seats=body.expected_seats,
             spec=body.as_dict(), calendar_start=calendar_start)
    )
    number = 0
    for cat in body.categories:
        category = Category(
            body_key=body.key, key=cat.key, title=cat.title, seats=cat.seats,
            sharers_per_seat=cat.sharers_per_seat, cycle=cat.cycle,
        )
        session.add(category)
        session.flush()
        assert category.id is not None
        for _ in range(cat.seats):
            session.add(
                Seat(body_key=body.key, category_id=category.id, code=f"S{number:03d}",
                     number=number + 1)
            )
            number += 1
    return number


def body(session: Session, key: str) -> Body:
    return fetch(session, Body, key, "body")


def bodies(session: Session) -> list[str]:
    """The keys of the installed bodies."""
    return list(session.exec(select(Body.key).order_by(col(Body.key))).all())


def seats_with_categories(session: Session, body_key: str) -> dict[str, tuple[Seat, Category]]:
    """Seat code -> (seat, its category), for a body."""
    return {
        s.code: (s, c)
        for s, c in session.exec(
            select(Seat, Category)
            .join(Category, col(Seat.category_id) == col(Category.id))
            .where(Seat.body_key == body_key)
        ).all()
    }


def pattern(session: Session, body_key: str) -> SittingPattern:
    """When a body sits: the sitting pattern its stored description gives."""
    spec = body(session, body_key).spec
    return pattern_from_spec(spec)


def pattern_from_spec(spec: dict[str, object]) -> SittingPattern:
    """The sitting pattern of a body's stored description (`Body.as_dict`)."""
    sessions = spec.get("sessions") or []
    sittings = spec.get("sittings") or []
    weeks = spec.get("cycle_weeks", 2)
    assert isinstance(sessions, list)
    assert isinstance(sittings, list)
    assert isinstance(weeks, int)
    found, problems = pattern_of(
        weeks, [SessionSpec(**s) for s in sessions], [SittingSpec(**s) for s in sittings]
    )
    assert not problems  # it was validated when the body was installed
    return found
