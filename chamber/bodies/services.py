"""Installing a body: its categories and seats, from its composition."""

from __future__ import annotations

from sqlmodel import Session, col, select

from chamber.bodies.composition import Body as Composition
from chamber.bodies.models import Body, Category, Seat
from chamber.db import fetch
from chamber.errors import Conflict


def install_body(session: Session, body: Composition) -> int:
    """Store a body with its categories and seats (``S000``, ``S001``, ... in category order);
    returns the number of seats.  Installing a body twice is refused."""
    if session.get(Body, body.key) is not None:
        raise Conflict(f"body {body.key!r} is already installed")
    session.add(
        Body(key=body.key, title=body.title, expected_seats=body.expected_seats,
             spec=body.as_dict())
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
