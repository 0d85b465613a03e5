"""Pins: an officer of a member's group pins them to a sitting, and every solve of the rota
seats them there.  A pin that would break the rota's hard rules (a member who cannot sit then,
twice in a cycle, two sharers in one seat, or sittings of the seat that the other sharers can
no longer cover: `rota.explain`) is refused with the rule and the figures, and nothing is
stored; a pin into a published rota re-solves it at once, changing as little as possible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.clock import aware, london
from chamber.db import fetch
from chamber.errors import Conflict, Invalid, Refused
from chamber.membership.services import member, seat_of
from chamber.rotas.models import Pin
from chamber.rotas.problem import Period, assignments_of, begun, rota_problem, serving, slot_of
from chamber.rotas.services import period_of, resolve_rota
from chamber.sittings.models import Sitting
from chamber.sittings.services import sitting
from rota.explain import conflicts


@dataclass(frozen=True, slots=True)
class PinView:
    id: int
    member: str
    sitting: int
    starts_at: datetime
    session: str
    pinned_by: str


def _refuse(member_id: str, label: str, rule: str) -> Refused:
    return Refused(f"{member_id} cannot be pinned to the {label} sitting: {rule}")


def _check(period: Period, member_id: str, s: int, now: datetime, published: bool) -> None:
    """The hard rules a pin must keep, on the period's problem (already holding the other
    pins, and, for a published rota, the sittings that have begun)."""
    problem = period.problem
    slots = problem.calendar.slots
    index = {m.id: i for i, m in enumerate(problem.members)}
    m = index[member_id]
    label = slots[s].label
    if problem.unavailable[m, s]:
        raise _refuse(member_id, label, "they declared they cannot sit then, or do not serve "
                      "that day, and no one is rostered where they cannot sit")
    span = problem.members[m].cycle
    w = slots[s].cycle - slots[s].cycle % span
    held = int(problem.pinned[m, w])
    if held >= 0 and held != s:
        why = "has begun" if published and slots[held].start <= now else "is pinned"
        raise _refuse(member_id, label, f"their {slots[held].label} sitting of the same cycle "
                      f"{why}, and each sharer sits once a cycle")
    seat = problem.members[m].seat
    for k, other in enumerate(problem.members):
        if k != m and other.seat == seat and problem.pinned[k, w] == s:
            raise _refuse(member_id, label, f"{other.id} is already pinned to seat {seat} then, "
                          "and a seat has one member a sitting")
    problem.pinned[m, w] = s
    found = [c for c in conflicts(problem) if c.seat == seat]
    if found:
        raise _refuse(member_id, label, "the other sharers could not fill the seat's other "
                      "sittings: " + "; ".join(c.describe() for c in found))


def pin_member(session: Session, member_id: str, sitting_id: int, *, by: str,
               now: datetime) -> int:
    """Pin a member to a sitting of their body that has not begun; returns the pin's id."""
    who = member(session, member_id)
    seat = seat_of(session, member_id)
    found = sitting(session, sitting_id)
    if found.body_key != seat.body_key:
        raise Invalid(f"sitting {sitting_id} is not one of {seat.body_key}")
    if aware(found.starts_at) <= now:
        raise Refused(f"the sitting of {found.day} {found.session} has begun")
    if not serving(who, found.day, found.day):
        raise Refused(f"{member_id} does not serve on {found.day:%a %d %b %Y}")
    if session.exec(select(Pin.id).where(Pin.member_id == member_id,
                                         Pin.sitting_id == sitting_id)).first():
        raise Conflict(f"{member_id} is already pinned to that sitting")
    where = period_of(session, seat.body_key, found.day)
    period = rota_problem(session, seat.body_key, where.start, where.cycles, history=False)
    if seat.id in period.named_seats:
        raise Refused(f"seat {seat.code} is the {period.named_seats[seat.id][1]} assembly's: "
                      "its officer names a delegate for each sitting; nobody is pinned to it")
    published = where.rota is not None and where.rota.status == "published"
    rota_id = where.rota.id if where.rota is not None and published else None
    if rota_id is not None:
        old = slot_of(period, assignments_of(session, rota_id))
        started = begun(period, now)
        kept = np.where((old >= 0) & started[np.clip(old, 0, None)], old, -1)
        period.problem.pinned[:] = np.where(kept >= 0, kept, period.problem.pinned)
    _check(period, member_id, period.sittings.index(sitting_id), now, rota_id is not None)
    pin = Pin(member_id=member_id, sitting_id=sitting_id, pinned_by=by, pinned_at=now)
    session.add(pin)
    session.flush()
    if rota_id is not None:
        left = resolve_rota(session, rota_id, now)
        if left:
            raise Refused(f"{member_id} cannot be pinned there: the rota re-solved with the pin "
                          "would not be complete: " + "; ".join(left[:10]))
    append(session, "rota pin", {"pin": pin.id, "member": member_id, "sitting": sitting_id,
                                 "by": by}, now)
    assert pin.id is not None
    return pin.id


def unpin(session: Session, pin_id: int, *, by: str, now: datetime) -> Pin:
    """Remove a pin (the member stays where they are until the rota is next re-solved);
    returns what it was."""
    pin = fetch(session, Pin, pin_id, "pin")
    session.delete(pin)
    append(session, "rota unpinned", {"pin": pin_id, "member": pin.member_id,
                                      "sitting": pin.sitting_id, "by": by}, now)
    return pin


def pin(session: Session, pin_id: int) -> Pin:
    return fetch(session, Pin, pin_id, "pin")


def pins_of(session: Session, member_ids: list[str], after: datetime) -> list[PinView]:
    """The pins of these members to sittings starting from ``after``, in time order."""
    rows = session.exec(
        select(Pin, Sitting)
        .join(Sitting, col(Sitting.id) == col(Pin.sitting_id))
        .where(col(Pin.member_id).in_(member_ids), col(Sitting.starts_at) >= after)
        .order_by(col(Sitting.starts_at))
    ).all()
    return [
        PinView(p.id or 0, p.member_id, p.sitting_id, london(s.starts_at), s.session,
                p.pinned_by)
        for p, s in rows
    ]

