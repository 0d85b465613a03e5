"""Members' votes: only the member rostered for a seat in the division's sitting, while the
division is open; the last vote counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from chamber.audit.services import append_many
from chamber.bodies.models import Seat
from chamber.divisions.models import Division, MemberVote
from chamber.divisions.rules import NOT_OPEN, may_vote
from chamber.divisions.state import (
    closed_reason,
    division,
    is_open,
    lock_for_vote,
    option_index,
)
from chamber.errors import ChamberError, NotFound, Refused
from chamber.membership.models import Member
from chamber.rotas.roster import rostered


def _refusal(
    found: Division, member: str, seat: str, roster: Mapping[str, str], now: datetime
) -> str | None:
    """Why ``member`` may not vote now for ``seat`` (None: they may), in the clerk's words."""
    verdict = may_vote(member, seat, roster, is_open(found, now))
    if verdict.allowed:
        return None
    return closed_reason(found, now) if verdict.reason == NOT_OPEN else verdict.reason


def cast_member_votes(
    session: Session, division_id: int, votes: Sequence[tuple[str, str]], now: datetime
) -> list[ChamberError | None]:
    """Members' votes (member, option) in a division, each refused unless the member is
    rostered for their seat in the division's sitting and the division is open; each vote's
    refusal (or None), in order.  The roster and the votes so far are read once for them all
    (the clerk's record of a division taken in the chamber, or one member's vote)."""
    found = lock_for_vote(session, division_id)
    if found.sitting_id is None:
        raise Refused("this division has no sitting, so no roster")
    seats = dict(
        session.exec(
            select(Member.id, Seat.code)
            .join(Seat, col(Seat.id) == col(Member.seat_id))
            .where(col(Member.id).in_({m for m, _ in votes}))
        ).all()
    )
    roster = rostered(session, found.sitting_id, seats=set(seats.values()))
    cast = {
        v.seat: v
        for v in session.exec(select(MemberVote).where(MemberVote.division_id == division_id))
    }
    results: list[ChamberError | None] = []
    chained: list[tuple[str, dict[str, object], datetime]] = []
    for member, option in votes:
        seat = seats.get(member)
        if seat is None:
            results.append(NotFound(f"no member {member!r}"))
            continue
        reason = _refusal(found, member, seat, roster, now)
        if reason is not None:
            results.append(Refused(reason))
            continue
        try:
            index = option_index(found, option)
        except ChamberError as refused:
            results.append(refused)
            continue
        existing = cast.get(seat)
        if existing is None:
            existing = MemberVote(division_id=division_id, member=member, seat=seat,
                                  option=index, at=now)
            cast[seat] = existing
            session.add(existing)
        else:
            existing.option, existing.at, existing.member = index, now, member
        chained.append(
            ("member vote",
             {"division": division_id, "seat": seat, "member": member, "option": option}, now)
        )
        results.append(None)
    append_many(session, chained)
    return results


def cast_member_vote(
    session: Session, division_id: int, member: str, option: str, now: datetime
) -> None:
    """A member's vote, refused unless they are rostered for their seat in the division's
    sitting and the division is open."""
    (refused,) = cast_member_votes(session, division_id, [(member, option)], now)
    if refused is not None:
        raise refused


@dataclass(frozen=True, slots=True)
class MemberBallot:
    """What a member may do in a division now: vote (rostered for their seat in its sitting,
    while it is open) or why not; and their seat's vote so far."""

    may_vote: bool
    reason: str | None
    current: str | None


def member_ballot(
    session: Session, division_id: int, member: str, now: datetime
) -> MemberBallot:
    """The member's standing in a division, by the same rule as `cast_member_votes`, so that
    the vote form is offered only to the member who may use it."""
    found = division(session, division_id)
    seat = session.exec(
        select(Seat.code).join(Member, col(Member.seat_id) == col(Seat.id))
        .where(Member.id == member)
    ).first()
    if seat is None:
        raise NotFound(f"no member {member!r}")
    cast = session.exec(
        select(MemberVote.option).where(
            MemberVote.division_id == division_id, MemberVote.seat == seat
        )
    ).first()
    current = None if cast is None else found.options[cast]
    if found.sitting_id is None:
        return MemberBallot(False, "this division has no sitting, so no roster", current)
    roster = rostered(session, found.sitting_id, seats={seat})
    reason = _refusal(found, member, seat, roster, now)
    return MemberBallot(reason is None, reason, current)
