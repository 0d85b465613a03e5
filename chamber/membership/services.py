"""Members of a body: adding sharers to seats, roles, declared unavailability."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from chamber.bodies.composition import CYCLES
from chamber.bodies.models import Seat
from chamber.bodies.pattern import cycles_per_attendance
from chamber.bodies.services import body, pattern, seats_with_categories
from chamber.db import fetch
from chamber.errors import Invalid, NotFound
from chamber.membership.models import ROLES, Member, Unavailability


@dataclass(frozen=True, slots=True)
class NewMember:
    id: str
    name: str
    seat: str  # seat code
    group: str
    role: str = "member"
    serves_from: date | None = None  # None: from the body's calendar start
    serves_until: date | None = None  # the last day of service (None: serving on)


def add_members(session: Session, body_key: str, members: Sequence[NewMember]) -> int:
    """Add members to the seats of a body.  Every problem (unknown seat, unknown role, a seat
    that would have more sharers serving at once than its category has, a duplicate id) is
    listed and nothing is stored."""
    seats = seats_with_categories(session, body_key)
    if not seats:
        raise NotFound(f"body {body_key!r} has no seats (install it first)")
    found = body(session, body_key)
    sits = pattern(session, body_key)
    existing = set(
        session.exec(select(Member.id).where(col(Member.id).in_([m.id for m in members])))
    )
    problems: list[str] = []
    seen: set[str] = set()
    new: dict[str, list[tuple[date, date | None]]] = {}
    for n, m in enumerate(members, start=1):
        where = f"member {n} ({m.id})"
        if m.id in seen or m.id in existing:
            problems.append(f"{where}: the id is already used")
        seen.add(m.id)
        if m.seat not in seats:
            problems.append(f"{where}: no seat {m.seat!r} in {body_key}")
            continue
        if m.role not in ROLES:
            problems.append(f"{where}: role {m.role!r} is not one of {', '.join(ROLES)}")
        new.setdefault(m.seat, []).append((m.serves_from or found.calendar_start, None))
    for code, joining in new.items():
        limit = seats[code][1].sharers_per_seat
        terms = _terms(session, seats[code][0]) + joining
        for start, _ in joining:
            at_once = sum(1 for a, b in terms if a <= start and (b is None or b >= start))
            if at_once > limit:
                problems.append(
                    f"seat {code} would have {at_once} sharers serving on {start}; its category "
                    f"has {limit}"
                )
                break
    if problems:
        raise Invalid("; ".join(problems[:20]) + (" ..." if len(problems) > 20 else ""))
    session.add_all(
        Member(
            id=m.id, name=m.name, seat_id=_id(seats[m.seat][0].id), group=m.group, role=m.role,
            cycle=cycles_per_attendance(CYCLES[seats[m.seat][1].cycle], sits),
            serves_from=m.serves_from or found.calendar_start, serves_until=m.serves_until,
        )
        for m in members
    )
    return len(members)


def _terms(session: Session, seat: Seat) -> list[tuple[date, date | None]]:
    """When each sharer of a seat serves: (first day, last day or None)."""
    return [
        (a, b)
        for a, b in session.exec(
            select(col(Member.serves_from), col(Member.serves_until)).where(
                Member.seat_id == seat.id
            )
        ).all()
    ]


def _id(value: int | None) -> int:
    assert value is not None  # flushed rows have their ids
    return value


def member(session: Session, member_id: str) -> Member:
    return fetch(session, Member, member_id, "member")


def seat_of(session: Session, member_id: str) -> Seat:
    """The seat a member shares."""
    seat = session.get(Seat, member(session, member_id).seat_id)
    assert seat is not None
    return seat


def set_role(session: Session, member_id: str, role: str) -> None:
    if role not in ROLES:
        raise Invalid(f"role {role!r} is not one of {', '.join(ROLES)}")
    member(session, member_id).role = role


def declare_unavailable(
    session: Session, member_id: str, days: Iterable[tuple[date, str]]
) -> None:
    """Record the (day, session) pairs a member cannot sit; the next rota avoids them."""
    member(session, member_id)
    for day, session_name in days:
        sessions = {s.name for s in pattern(session, seat_of(session, member_id).body_key).sessions}
        if session_name not in sessions:
            raise Invalid(
                f"session must be one of {', '.join(sorted(sessions))}, not {session_name!r}"
            )
        session.add(Unavailability(member_id=member_id, day=day, session=session_name))


def members_of(session: Session, body_key: str) -> list[tuple[Member, Seat]]:
    """Every member of a body with their seat, in seat order."""
    return list(
        session.exec(
            select(Member, Seat)
            .join(Seat, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == body_key)
            .order_by(col(Seat.number), col(Member.id))
        ).all()
    )


def roles(session: Session, body_key: str) -> Mapping[str, list[str]]:
    """Role -> member ids holding it (everyone not listed is a member)."""
    out: dict[str, list[str]] = {}
    for member_id, role in session.exec(
        select(Member.id, Member.role)
        .join(Seat, col(Member.seat_id) == col(Seat.id))
        .where(Seat.body_key == body_key, Member.role != "member")
    ).all():
        out.setdefault(role, []).append(member_id)
    return out


def has_members(session: Session, body_key: str) -> bool:
    return (
        session.exec(
            select(Member.id)
            .join(Seat, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == body_key)
            .limit(1)
        ).first()
        is not None
    )
