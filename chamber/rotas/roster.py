"""Who is rostered: the members sitting in a sitting, and a member's published sittings."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from chamber.bodies.models import Seat
from chamber.clock import london
from chamber.rotas.models import Assignment, Rota
from chamber.sittings.models import Sitting


def rostered(
    session: Session, sitting_id: int, seats: Collection[str] | None = None
) -> dict[str, str]:
    """Seat code -> the member rostered for it in a sitting (by a published rota); only for
    ``seats`` when given."""
    query = (
        select(Seat.code, Assignment.member_id)
        .join(Assignment, col(Assignment.seat_id) == col(Seat.id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .where(Assignment.sitting_id == sitting_id, Rota.status == "published")
    )
    if seats is not None:
        query = query.where(col(Seat.code).in_(seats))
    return dict(session.exec(query).all())


@dataclass(frozen=True, slots=True)
class MemberSlot:
    """One of a member's published sittings."""

    sitting: int
    starts_at: datetime
    ends_at: datetime
    session: str
    seat: str
    urgent_only: bool


def member_slots(session: Session, member_id: str, after: datetime) -> list[MemberSlot]:
    """A member's published sittings that start from ``after``, in order."""
    rows = session.exec(
        select(Sitting, Seat)
        .join(Assignment, col(Assignment.sitting_id) == col(Sitting.id))
        .join(Seat, col(Seat.id) == col(Assignment.seat_id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .where(
            Assignment.member_id == member_id,
            Rota.status == "published",
            col(Sitting.starts_at) >= after,
        )
        .order_by(col(Sitting.starts_at))
    ).all()
    return [
        MemberSlot(s.id or 0, london(s.starts_at), london(s.ends_at), s.session, seat.code,
                   s.urgent_only)
        for s, seat in rows
    ]


def rotas_of(session: Session, member_id: str, after: datetime) -> list[int]:
    """The published rotas in which a member has a sitting ending after ``after``."""
    return sorted(
        int(r)
        for r in session.exec(
            select(Rota.id)
            .join(Assignment, col(Assignment.rota_id) == col(Rota.id))
            .join(Sitting, col(Sitting.id) == col(Assignment.sitting_id))
            .where(
                Assignment.member_id == member_id,
                Rota.status == "published",
                col(Sitting.ends_at) >= after,
            )
            .distinct()
        ).all()
        if r is not None
    )

