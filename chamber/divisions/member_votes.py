"""Members' votes: only the member rostered for a seat in the division's sitting, while the
division is open; the last vote counts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from chamber.audit.services import append
from chamber.divisions.models import MemberVote
from chamber.divisions.rules import NOT_OPEN, may_vote
from chamber.divisions.state import closed_reason, is_open, lock_for_vote, option_index
from chamber.errors import Refused
from chamber.membership.services import seat_of
from chamber.rotas.roster import rostered


def cast_member_vote(
    session: Session, division_id: int, member: str, option: str, now: datetime
) -> None:
    """A member's vote, refused unless they are rostered for their seat in the division's
    sitting and the division is open."""
    found = lock_for_vote(session, division_id)
    if found.sitting_id is None:
        raise Refused("this division has no sitting, so no roster")
    seat = seat_of(session, member).code
    verdict = may_vote(member, seat, rostered(session, found.sitting_id), is_open(found, now))
    if not verdict.allowed:
        raise Refused(closed_reason(found, now) if verdict.reason == NOT_OPEN else verdict.reason)
    index = option_index(found, option)
    existing = session.exec(
        select(MemberVote).where(MemberVote.division_id == division_id, MemberVote.seat == seat)
    ).first()
    if existing is None:
        session.add(
            MemberVote(division_id=division_id, member=member, seat=seat, option=index, at=now)
        )
    else:
        existing.option, existing.at = index, now
    append(
        session, "member vote",
        {"division": division_id, "seat": seat, "member": member, "option": option}, now,
    )
