"""Who is rostered: the members sitting in a sitting, and a member's published slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from chamber.bodies.models import Seat
from chamber.clock import aware
from chamber.rotas.models import Assignment, Rota, Slot
from chamber.sittings.models import Sitting


def rostered(session: Session, sitting_id: int) -> dict[str, str]:
    """Seat code -> the member rostered for it in a sitting."""
    return dict(
        session.exec(
            select(Seat.code, Assignment.member_id)
            .join(Assignment, col(Assignment.seat_id) == col(Seat.id))
            .join(Sitting, col(Sitting.slot_id) == col(Assignment.slot_id))
            .where(Sitting.id == sitting_id)
        ).all()
    )


@dataclass(frozen=True, slots=True)
class MemberSlot:
    """One of a member's published slots."""

    starts_at: datetime
    ends_at: datetime
    session: str
    seat: str
    urgent_only: bool


def member_slots(session: Session, member_id: str, after: datetime) -> list[MemberSlot]:
    """A member's published slots from ``after``, in order."""
    rows = session.exec(
        select(Slot, Seat)
        .join(Assignment, col(Assignment.slot_id) == col(Slot.id))
        .join(Seat, col(Seat.id) == col(Assignment.seat_id))
        .join(Rota, col(Rota.id) == col(Slot.rota_id))
        .where(
            Assignment.member_id == member_id,
            Rota.status == "published",
            col(Slot.starts_at) >= after,
        )
        .order_by(col(Slot.starts_at))
    ).all()
    return [
        MemberSlot(aware(slot.starts_at), aware(slot.ends_at), slot.session, seat.code,
                   slot.urgent_only)
        for slot, seat in rows
    ]


def rotas_of(session: Session, member_id: str, after: datetime) -> list[int]:
    """The published rotas in which a member has a slot ending after ``after``."""
    return sorted(
        int(r)
        for r in session.exec(
            select(Rota.id)
            .join(Slot, col(Slot.rota_id) == col(Rota.id))
            .join(Assignment, col(Assignment.slot_id) == col(Slot.id))
            .where(
                Assignment.member_id == member_id,
                Rota.status == "published",
                col(Slot.ends_at) >= after,
            )
            .distinct()
        ).all()
        if r is not None
    )
