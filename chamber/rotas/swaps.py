"""Swaps between sharers of a seat: asked, checked by `rota.swaps`, accepted or declined."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.clock import aware
from chamber.errors import Invalid, NotFound, Refused
from chamber.membership.services import member
from chamber.rotas.models import Assignment, Slot, SwapRequest
from chamber.rotas.problem import load_rota
from chamber.rotas.roster import rotas_of
from rota.swaps import SwapDesk


def _naive(moment: datetime) -> datetime:
    """UTC without a zone, as the rota's calendar reckons."""
    return aware(moment).astimezone(UTC).replace(tzinfo=None)


def request_swap(session: Session, from_member: str, to_member: str, now: datetime) -> int:
    """Ask a sharer of the same seat to swap slots in the next published rota where both sit;
    the swap is checked now (availability, group balance) and again when accepted."""
    if from_member == to_member:
        raise Invalid("a swap needs two members")
    member(session, from_member)
    member(session, to_member)
    mine, theirs = rotas_of(session, from_member, now), rotas_of(session, to_member, now)
    common = sorted(set(mine) & set(theirs))
    if not common:
        raise Refused(f"{from_member} and {to_member} have no future slots in the same rota")
    rota_id = common[0]
    check = SwapDesk(load_rota(session, rota_id)).check(from_member, to_member, now=_naive(now))
    if not check.allowed:
        raise Refused("the swap is not possible: " + check.describe())
    request = SwapRequest(
        rota_id=rota_id, from_member=from_member, to_member=to_member, created_at=now
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    return request.id


def answer_swap(
    session: Session, request_id: int, member_id: str, accept: bool, now: datetime
) -> str:
    """The asked member accepts (the slots are exchanged, if still possible) or declines;
    returns the request's new status."""
    request = session.get(SwapRequest, request_id)
    if request is None or request.to_member != member_id:
        raise NotFound(f"no swap request {request_id} for {member_id}")
    if request.status != "pending":
        raise Refused(f"this swap request is already {request.status}")
    a, b = request.from_member, request.to_member
    status, reason = "declined", ""
    if accept:
        check = SwapDesk(load_rota(session, request.rota_id)).check(a, b, now=_naive(now))
        status, reason = ("accepted", "") if check.allowed else ("refused", check.describe())
    if status == "accepted":
        rows = session.exec(
            select(Assignment)
            .join(Slot, col(Slot.id) == col(Assignment.slot_id))
            .where(
                Slot.rota_id == request.rota_id,
                col(Assignment.member_id).in_([a, b]),
                col(Slot.starts_at) >= now,
            )
        ).all()
        by_member = {r.member_id: r for r in rows}
        if set(by_member) != {a, b}:
            status, reason = "refused", "one of the slots has already passed"
        else:
            ra, rb = by_member[a], by_member[b]
            slot_a, slot_b, seat = ra.slot_id, rb.slot_id, rb.seat_id
            session.delete(rb)
            session.flush()
            ra.slot_id = slot_b
            session.flush()
            session.add(Assignment(slot_id=slot_a, seat_id=seat, member_id=b))
            append(session, "rota swap", {"rota": request.rota_id, "members": [a, b]}, now)
    request.status, request.reason, request.decided_at = status, reason, now
    return status
