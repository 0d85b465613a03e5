"""Seating the people a route chose: the seats of a share (or of a part of one), the places
still free in them, and adding each person as a member with how they came to be there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from chamber.bodies.models import Category, Seat
from chamber.bodies.services import body
from chamber.errors import NotFound, Refused
from chamber.membership.models import Member
from chamber.membership.services import NewMember, add_members
from chamber.routes.models import MemberRoute


@dataclass(frozen=True, slots=True)
class Chosen:
    """A person a route chose, and how: the way within the route, the unit, the count."""

    name: str
    group: str
    way: str
    unit: str
    detail: str = ""
    election_id: int | None = None
    result_id: int | None = None
    serves_until: date | None = None


def share(session: Session, body_key: str, category: str) -> tuple[Category, list[Seat]]:
    """A category of a body and its seats in order."""
    found = session.exec(
        select(Category).where(Category.body_key == body_key, Category.key == category)
    ).first()
    if found is None:
        raise NotFound(f"body {body_key!r} has no {category!r} seats (install it first)")
    seats = session.exec(
        select(Seat).where(Seat.category_id == found.id).order_by(col(Seat.number))
    ).all()
    return found, list(seats)


def part_seats(
    session: Session, body_key: str, category: str, part: str | None
) -> tuple[Category, list[Seat]]:
    """The seats of a share, or of one named part of it (the youth seats' halves), in order."""
    cat, seats = share(session, body_key, category)
    if part is None:
        return cat, seats
    spec = body(session, body_key).spec
    start = 0
    categories = spec.get("categories", [])
    assert isinstance(categories, list)
    for c in categories:
        if c["key"] != category:
            continue
        for sub in c.get("subunits", []):
            if sub["name"] == part:
                return cat, seats[start: start + int(sub["seats"])]
            start += int(sub["seats"])
    raise NotFound(f"the {category} seats have no part {part!r}")


def serving(session: Session, seat_ids: Sequence[int], on: date) -> dict[int, int]:
    """Seat id -> sharers serving on a day."""
    out = dict.fromkeys(seat_ids, 0)
    for seat_id, until in session.exec(
        select(col(Member.seat_id), col(Member.serves_until)).where(
            col(Member.seat_id).in_(list(seat_ids)), col(Member.serves_from) <= on
        )
    ).all():
        if until is None or until >= on:
            out[seat_id] += 1
    return out


def free_places(session: Session, seats: Sequence[Seat], sharers: int, on: date) -> list[Seat]:
    """One entry per place free on a day, seat by seat in order."""
    taken = serving(session, [s.id for s in seats if s.id is not None], on)
    return [s for s in seats for _ in range(sharers - taken[s.id or 0])]


def seat_people(
    session: Session, body_key: str, cat: Category, seats: Sequence[Seat],
    people: Sequence[Chosen], route: str, serves_from: date, what: str,
) -> list[str]:
    """Add ``people`` to the free places of ``seats`` in order, each with their route; refused
    with the figures when there are more people than free places.  Returns the member ids."""
    places = free_places(session, seats, cat.sharers_per_seat, serves_from)
    if len(people) > len(places):
        codes = f"{seats[0].code}-{seats[-1].code}" if seats else "none"
        raise Refused(
            f"{what}: {len(people)} people to seat, but only {len(places)} places are free on "
            f"{serves_from} in seats {codes} ({len(seats)} seats x {cat.sharers_per_seat} "
            "sharers)"
        )
    used = set(session.exec(
        select(Member.id).where(col(Member.seat_id).in_([s.id for s in seats]))
    ).all())
    new: list[NewMember] = []
    for person, seat in zip(people, places, strict=False):
        k = 0
        while f"{seat.code}-{k:02d}" in used:
            k += 1
        member_id = f"{seat.code}-{k:02d}"
        used.add(member_id)
        new.append(NewMember(member_id, person.name, seat.code, person.group,
                             serves_from=serves_from))
    add_members(session, body_key, new)
    session.flush()
    for m, person in zip(new, people, strict=True):
        if person.serves_until is not None:
            row = session.get(Member, m.id)
            assert row is not None
            row.serves_until = person.serves_until
        session.add(MemberRoute(
            member_id=m.id, route=route, way=person.way, unit=person.unit, detail=person.detail,
            election_id=person.election_id, result_id=person.result_id,
        ))
    session.flush()
    return [m.id for m in new]


def start_of(session: Session, body_key: str, serves_from: date | None) -> date:
    """The first day of service: the day given, or the body's calendar start."""
    return serves_from or body(session, body_key).calendar_start
