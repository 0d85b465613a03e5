"""What a member sees of the rota: their next slots, the sharers of their seat, their swap
requests, and their calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
from sqlmodel import Session, col, select

from chamber.assemblies.models import Delegate
from chamber.clock import LONDON, london
from chamber.membership.models import Member
from chamber.membership.services import member, seat_of
from chamber.rotas.models import SwapRequest
from chamber.rotas.problem import load_rota
from chamber.rotas.roster import MemberSlot, member_slots, rotas_of
from chamber.sittings.models import Sitting
from rota.io import member_ics
from rota.io.vtimezone import vtimezone


@dataclass(frozen=True, slots=True)
class MemberCard:
    id: str
    name: str
    group: str
    role: str
    seat: str


@dataclass(frozen=True, slots=True)
class Sharer:
    """A sharer of the member's seat with their next published sittings (to swap with)."""

    id: str
    name: str
    group: str
    slots: tuple[MemberSlot, ...] = ()


@dataclass(frozen=True, slots=True)
class SwapView:
    """A swap request: who asks whom, the two sittings (the asker's first), and its state."""

    id: int
    from_member: str
    to_member: str
    from_starts_at: datetime | None
    to_starts_at: datetime | None
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

    def starts(sitting_id: int | None) -> datetime | None:
        found = None if sitting_id is None else session.get(Sitting, sitting_id)
        return None if found is None else london(found.starts_at)

    return MemberRota(
        member=MemberCard(who.id, who.name, who.group, who.role, seat.code),
        slots=tuple(member_slots(session, member_id, after)),
        sharers=tuple(
            Sharer(i, n, g, tuple(member_slots(session, i, after)[:4])) for i, n, g in sharers
        ),
        swaps=tuple(
            SwapView(r.id or 0, r.from_member, r.to_member, starts(r.from_sitting_id),
                     starts(r.to_sitting_id), r.status, r.reason, r.to_member == member_id)
            for r in requests
        ),
    )


def member_calendar(
    session: Session, member_id: str, now: datetime, rota_url: str | None = None
) -> bytes:
    """A member's published sittings as one iCalendar file (every published rota they are in),
    its time zone described for every date it holds."""
    member(session, member_id)
    rota_ids = rotas_of(session, member_id, now - timedelta(days=365))
    merged = icalendar.Calendar()
    merged.add("prodid", "-//chamber//rota//EN")
    merged.add("version", "2.0")
    merged.add("x-wr-calname", f"Sittings of {member_id}")
    days, delegated = [], False
    for rota_id in rota_ids:
        _, solved = load_rota(session, rota_id)
        if all(m.id != member_id for m in solved.problem.members):
            delegated = True  # an assembly's delegate: named for their sittings, not solved
            continue
        part = icalendar.Calendar.from_ical(
            member_ics(solved, member_id, rota_url=rota_url, stamp=now)
        )
        for event in part.walk("VEVENT"):
            merged.add_component(event)
            days.append(event.decoded("dtstart").date())
    if delegated:
        for event in _delegate_events(session, member_id, now, rota_url):
            merged.add_component(event)
            days.append(event.decoded("dtstart").date())
    if days:  # the zone's rules over the years of the events (`rota.io.vtimezone`)
        merged.add_component(vtimezone(LONDON.key, min(days).year, max(days).year))
    return bytes(merged.to_ical())


def _delegate_events(
    session: Session, member_id: str, now: datetime, rota_url: str | None
) -> list[icalendar.Event]:
    """The sittings an assembly named a member to, as events (London wall times)."""
    named = {
        (s.day, s.session)
        for s in session.exec(
            select(Sitting)
            .join(Delegate, col(Delegate.sitting_id) == col(Sitting.id))
            .where(Delegate.member_id == member_id)
        ).all()
    }
    events = []
    for slot in member_slots(session, member_id, now - timedelta(days=365)):
        if (slot.starts_at.date(), slot.session) not in named:
            continue
        event = icalendar.Event()
        event.add("uid", f"{member_id}-{slot.starts_at.date().isoformat()}-{slot.session}@chamber")
        event.add("dtstamp", now)
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.ends_at)
        event.add("summary", f"Chamber sitting: seat {slot.seat} ({slot.session}), as delegate")
        if rota_url:
            event.add("url", rota_url)
        events.append(event)
    return events
