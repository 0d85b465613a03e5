"""What a member sees of the rota: their next slots, the sharers of their seat, their swap
requests, and their calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
from sqlmodel import Session, col, select

from chamber.membership.models import Member
from chamber.membership.services import member, seat_of
from chamber.rotas.models import SwapRequest
from chamber.rotas.problem import load_rota
from chamber.rotas.roster import MemberSlot, member_slots, rotas_of
from rota.io import member_ics


@dataclass(frozen=True, slots=True)
class MemberCard:
    id: str
    name: str
    group: str
    role: str
    seat: str


@dataclass(frozen=True, slots=True)
class Sharer:
    id: str
    name: str
    group: str


@dataclass(frozen=True, slots=True)
class SwapView:
    id: int
    from_member: str
    to_member: str
    status: str
    reason: str
    incoming: bool


@dataclass(frozen=True, slots=True)
class MemberRota:
    member: MemberCard
    slots: tuple[MemberSlot, ...]
    sharers: tuple[Sharer, ...]
    swaps: tuple[SwapView, ...]


def member_rota_view(session: Session, member_id: str, after: datetime) -> MemberRota:
    """A member's next slots with their seat and the sharers of that seat, and swap requests."""
    who = member(session, member_id)
    seat = seat_of(session, member_id)
    sharers = session.exec(
        select(Member.id, Member.name, Member.group)
        .where(Member.seat_id == who.seat_id, Member.id != member_id)
        .order_by(col(Member.id))
    ).all()
    requests = session.exec(
        select(SwapRequest)
        .where((SwapRequest.from_member == member_id) | (SwapRequest.to_member == member_id))
        .order_by(col(SwapRequest.created_at).desc())
    ).all()
    return MemberRota(
        member=MemberCard(who.id, who.name, who.group, who.role, seat.code),
        slots=tuple(member_slots(session, member_id, after)),
        sharers=tuple(Sharer(i, n, g) for i, n, g in sharers),
        swaps=tuple(
            SwapView(r.id or 0, r.from_member, r.to_member, r.status, r.reason,
                     r.to_member == member_id)
            for r in requests
        ),
    )


def member_calendar(
    session: Session, member_id: str, now: datetime, base_url: str | None = None
) -> bytes:
    """A member's published slots as one iCalendar file (every published rota they are in)."""
    member(session, member_id)
    rota_ids = rotas_of(session, member_id, now - timedelta(days=365))
    merged = icalendar.Calendar()
    for n, rota_id in enumerate(rota_ids):
        part = icalendar.Calendar.from_ical(
            member_ics(load_rota(session, rota_id), member_id, base_url=base_url, stamp=now)
        )
        if n == 0:
            for key, value in part.items():
                merged.add(key, value)
            for tz in part.walk("VTIMEZONE"):
                merged.add_component(tz)
        for event in part.walk("VEVENT"):
            merged.add_component(event)
    if not rota_ids:
        merged.add("prodid", "-//chamber//rota//EN")
        merged.add("version", "2.0")
    return bytes(merged.to_ical())
