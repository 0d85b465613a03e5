"""Swaps between sharers of a seat: a member names one of their sittings and one of a sharer's
in the same cycle; the swap is checked by `rota.swaps` when asked and again when accepted, and
refused once either sitting has changed hands or begun.  The asker may withdraw; a sitting is in
at most one pending request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from chamber.audit.services import append
from chamber.clock import london
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.membership.services import member
from chamber.notices.services import notify_members
from chamber.rotas.models import Assignment, Pin, Rota, SwapRequest
from chamber.rotas.problem import load_rota
from chamber.sittings.models import Sitting
from chamber.sittings.services import sitting
from rota.swaps import SwapDesk


@dataclass(frozen=True, slots=True)
class Holding:
    """A member's published assignment to a sitting."""

    assignment: Assignment
    sitting: Sitting


def holding(session: Session, member_id: str, sitting_id: int) -> Holding | None:
    """The published assignment of a member to a sitting, if they hold it."""
    row = session.exec(
        select(Assignment, Sitting)
        .join(Sitting, col(Sitting.id) == col(Assignment.sitting_id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .where(
            Assignment.member_id == member_id,
            Assignment.sitting_id == sitting_id,
            Rota.status == "published",
        )
    ).first()
    return None if row is None else Holding(*row)


def _check(
    session: Session, a: str, ta: int, b: str, tb: int, now: datetime
) -> tuple[Holding, Holding]:
    """Both sittings still held by their members, not begun, in one rota and cycle, and the
    exchange breaking no rule; the holdings, or a refusal saying why."""
    mine, theirs = holding(session, a, ta), holding(session, b, tb)
    if mine is None:
        raise Refused(f"{a} no longer sits in sitting {ta}: the sitting has changed hands")
    if theirs is None:
        raise Refused(f"{b} no longer sits in sitting {tb}: the sitting has changed hands")
    for h in (mine, theirs):
        if h.sitting.starts_at <= now:
            raise Refused(f"the sitting of {h.sitting.day} {h.sitting.session} has begun")
    if mine.assignment.rota_id != theirs.assignment.rota_id:
        raise Refused("the two sittings are in different rotas")
    pinned = session.exec(
        select(Pin.member_id).where(
            or_((Pin.member_id == a) & (Pin.sitting_id == ta),
                (Pin.member_id == b) & (Pin.sitting_id == tb))
        )
    ).first()
    if pinned is not None:
        raise Refused(f"{pinned} is pinned to that sitting by an officer of their group: ask "
                      "them to unpin it first")
    period, solved = load_rota(session, mine.assignment.rota_id)
    slot_at = {s: i for i, s in enumerate(period.sittings)}
    cycles = period.problem.calendar.slots
    window = cycles[slot_at[ta]].cycle
    index = {m.id: i for i, m in enumerate(period.problem.members)}
    if a not in index or b not in index:
        raise Refused("an assembly's delegates are named by its officer for each sitting, not "
                      "swapped")
    span = period.problem.members[index[a]].cycle
    if cycles[slot_at[tb]].cycle // span != window // span:
        raise Refused("the two sittings are in different cycles: each sharer sits once a cycle")
    check = SwapDesk(solved).check(a, b, now=now, window=window - window % span)
    if not check.allowed:
        raise Refused("the swap is not possible: " + check.describe())
    return mine, theirs


def request_swap(
    session: Session, asker: str, my_sitting: int, sharer: str, their_sitting: int, now: datetime
) -> int:
    """Ask a sharer of the same seat to exchange ``my_sitting`` for ``their_sitting``."""
    if asker == sharer:
        raise Invalid("a swap needs two members")
    member(session, asker)
    member(session, sharer)
    _check(session, asker, my_sitting, sharer, their_sitting, now)
    pending = session.exec(
        select(SwapRequest.id).where(
            SwapRequest.status == "pending",
            or_(
                col(SwapRequest.from_sitting_id).in_([my_sitting, their_sitting]),
                col(SwapRequest.to_sitting_id).in_([my_sitting, their_sitting]),
            ),
        )
    ).first()
    if pending is not None:
        raise Conflict(f"one of these sittings is already in a pending swap request ({pending})")
    mine = holding(session, asker, my_sitting)
    assert mine is not None
    request = SwapRequest(
        rota_id=mine.assignment.rota_id, from_member=asker, to_member=sharer,
        from_sitting_id=my_sitting, to_sitting_id=their_sitting, created_at=now,
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    when = sitting(session, my_sitting).starts_at, sitting(session, their_sitting).starts_at
    notify_members(
        session, [sharer], "A swap request",
        f"{asker} asks to exchange their sitting of {london(when[0]):%a %d %b %H:%M} for yours "
        f"of {london(when[1]):%a %d %b %H:%M}.", "/me/rota", now,
    )
    return request.id


def _pending(session: Session, request_id: int) -> SwapRequest:
    request = session.get(SwapRequest, request_id)
    if request is None:
        raise NotFound(f"no swap request {request_id}")
    if request.status != "pending":
        raise Refused(f"this swap request is already {request.status}")
    return request


def answer_swap(
    session: Session, request_id: int, member_id: str, accept: bool, now: datetime
) -> str:
    """The asked member accepts (the sittings are exchanged, if still possible) or declines;
    returns the request's new status (``refused``, with the reason stored, when it is no longer
    possible)."""
    request = _pending(session, request_id)
    if request.to_member != member_id:
        raise NotFound(f"no swap request {request_id} for {member_id}")
    a, b = request.from_member, request.to_member
    status, reason = "declined", ""
    if accept:
        if request.from_sitting_id is None or request.to_sitting_id is None:
            status, reason = "refused", "the request does not name its sittings"
        else:
            try:
                mine, theirs = _check(
                    session, a, request.from_sitting_id, b, request.to_sitting_id, now
                )
            except Refused as exc:
                status, reason = "refused", str(exc)
            else:
                mine.assignment.member_id, theirs.assignment.member_id = b, a
                session.flush()
                status = "accepted"
                append(
                    session, "rota swap",
                    {"rota": request.rota_id, "members": [a, b],
                     "sittings": [request.from_sitting_id, request.to_sitting_id]}, now,
                )
    request.status, request.reason, request.decided_at = status, reason, now
    notify_members(
        session, [a], f"Your swap request was {status}",
        f"{b} {status} your request" + (f": {reason}" if reason else "."), "/me/rota", now,
    )
    return status


def withdraw_swap(session: Session, request_id: int, member_id: str, now: datetime) -> None:
    """The asker withdraws a pending request."""
    request = _pending(session, request_id)
    if request.from_member != member_id:
        raise NotFound(f"no swap request {request_id} from {member_id}")
    request.status, request.decided_at = "withdrawn", now
