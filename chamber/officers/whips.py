"""The powers of a group's whips and officers: they arrange their group's rota within the
solver's rules (pin a member to a sitting, approve a swap for a member, mark a member
unavailable) and act only for the members of their own group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.bodies.models import Seat
from chamber.clock import aware
from chamber.errors import Conflict, NotFound, Refused
from chamber.membership.models import Member, Unavailability
from chamber.membership.services import declare_unavailable, member, seat_of
from chamber.officers.rules import GROUP_OFFICES, Power
from chamber.officers.services import day_of, holdings, require
from chamber.rotas.models import Pin, SwapRequest
from chamber.rotas.pins import PinView, pin, pin_member, pins_of, unpin
from chamber.rotas.roster import MemberSlot, member_slots
from chamber.rotas.services import resolve_rota
from chamber.rotas.swaps import answer_swap, holding
from chamber.sittings.models import Sitting
from chamber.sittings.services import SittingSummary, sittings_between

POWER: Power = "arrange their group's rota"


def _for(session: Session, whip_id: str, member_id: str, now: datetime) -> Member:
    """The member, if the whip may arrange their rota (an officer of their group)."""
    who = member(session, member_id)
    require(session, whip_id, POWER, now, body_key=seat_of(session, member_id).body_key,
            group=who.group)
    return who


def pin_to_sitting(session: Session, whip_id: str, member_id: str, sitting_id: int,
                   now: datetime) -> int:
    """A whip pins a member of their group to a sitting (`chamber.rotas.pins`)."""
    _for(session, whip_id, member_id, now)
    return pin_member(session, member_id, sitting_id, by=whip_id, now=now)


def remove_pin(session: Session, whip_id: str, pin_id: int, now: datetime) -> None:
    """A whip removes a pin of a member of their group."""
    _for(session, whip_id, pin(session, pin_id).member_id, now)
    unpin(session, pin_id, by=whip_id, now=now)


def approve_swap(session: Session, whip_id: str, request_id: int, accept: bool,
                 now: datetime) -> str:
    """A whip answers a pending swap request for the asked member of their group (accepting it
    exchanges the sittings if the swap is still possible); returns the request's status."""
    request = session.get(SwapRequest, request_id)
    if request is None:
        raise NotFound(f"no swap request {request_id}")
    _for(session, whip_id, request.to_member, now)
    status = answer_swap(session, request_id, request.to_member, accept, now)
    append(session, "swap answered by a whip",
           {"request": request_id, "whip": whip_id, "status": status}, now)
    return status


def mark_unavailable(session: Session, whip_id: str, member_id: str, day: date,
                     session_name: str, now: datetime) -> None:
    """A whip marks a member of their group unavailable for a session of a day to come.  If the
    member sits then in a published rota, it is re-solved at once; a member who cannot be
    moved (no sharer can take the sitting) is refused with the reason, and nothing stored."""
    _for(session, whip_id, member_id, now)
    if day <= day_of(now):
        raise Refused(f"unavailability is marked for days to come, not {day:%a %d %b %Y}")
    if session.exec(select(Unavailability.id).where(
        Unavailability.member_id == member_id, Unavailability.day == day,
        Unavailability.session == session_name,
    )).first() is not None:
        raise Conflict(f"{member_id} is already unavailable on {day:%a %d %b %Y} "
                       f"({session_name})")
    body_key = seat_of(session, member_id).body_key
    sitting = session.exec(select(Sitting).where(
        Sitting.body_key == body_key, Sitting.day == day, Sitting.session == session_name,
    )).first()
    if sitting is not None and session.exec(select(Pin.id).where(
        Pin.member_id == member_id, Pin.sitting_id == sitting.id,
    )).first() is not None:
        raise Refused(f"{member_id} is pinned to that sitting: remove the pin first")
    declare_unavailable(session, member_id, [(day, session_name)])
    session.flush()
    held = None if sitting is None or sitting.id is None else holding(session, member_id,
                                                                       sitting.id)
    if held is not None and aware(held.sitting.starts_at) > now:
        left = resolve_rota(session, held.assignment.rota_id, now)
        if left:
            raise Refused(f"{member_id} cannot be moved from that sitting: "
                          + "; ".join(left[:10]))
    append(session, "unavailability marked",
           {"member": member_id, "day": day.isoformat(), "session": session_name,
            "by": whip_id}, now)


@dataclass(frozen=True, slots=True)
class GroupMember:
    id: str
    name: str
    seat: str
    next_sittings: tuple[MemberSlot, ...]


@dataclass(frozen=True, slots=True)
class PendingSwap:
    id: int
    from_member: str
    to_member: str
    from_sitting: int | None
    to_sitting: int | None


@dataclass(frozen=True, slots=True)
class GroupRota:
    """What a whip sees of their groups: the members with their next sittings, the pins, the
    swap requests waiting for a member's answer, and the sittings to pin to."""

    whip: str
    groups: tuple[str, ...]
    members: tuple[GroupMember, ...]
    pins: tuple[PinView, ...]
    swaps: tuple[PendingSwap, ...]
    sittings: tuple[SittingSummary, ...]


def group_rota(session: Session, whip_id: str, now: datetime, *, limit: int = 200) -> GroupRota:
    """The whip's page: the groups they hold a whip's or officer's office for, today."""
    body_key = seat_of(session, whip_id).body_key
    groups = tuple(sorted({
        h.group_name for h in holdings(session, whip_id, day_of(now), body_key)
        if h.office in GROUP_OFFICES and h.group_name
    }))
    rows = session.exec(
        select(Member, Seat.code)
        .join(Seat, col(Seat.id) == col(Member.seat_id))
        .where(Seat.body_key == body_key, col(Member.group).in_(groups))
        .where(col(Member.serves_until).is_(None) | (col(Member.serves_until) >= day_of(now)))
        .order_by(col(Seat.number), col(Member.id))
        .limit(limit)
    ).all()
    ids = [m.id for m, _ in rows]
    swaps = session.exec(
        select(SwapRequest).where(SwapRequest.status == "pending",
                                  col(SwapRequest.to_member).in_(ids))
        .order_by(col(SwapRequest.created_at))
    ).all()
    return GroupRota(
        whip=whip_id, groups=groups,
        members=tuple(GroupMember(m.id, m.name, code, tuple(member_slots(session, m.id, now)[:2]))
                      for m, code in rows),
        pins=tuple(pins_of(session, ids, now)),
        swaps=tuple(PendingSwap(r.id or 0, r.from_member, r.to_member, r.from_sitting_id,
                                r.to_sitting_id) for r in swaps),
        sittings=tuple(s for s in sittings_between(session, now, now + timedelta(days=70))
                       if s.body == body_key),
    )
