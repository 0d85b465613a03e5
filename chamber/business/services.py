"""Business as transactions: planning items into sittings, invitations, speeches."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from chamber.business.models import BusinessItem, Debate, Invitation, Speech
from chamber.business.rules import INVITATION_REASONS, may_plan, may_speak
from chamber.clock import aware
from chamber.db import fetch
from chamber.errors import Invalid, Refused
from chamber.membership.services import member, seat_of
from chamber.rotas.roster import rostered
from chamber.sittings.services import sitting


def plan_business(
    session: Session,
    sitting_id: int,
    title: str,
    *,
    planned_on: date,
    by: str,
    urgent: bool = False,
) -> int:
    """Plan an item of business into a sitting: at least a month ahead, except urgent items,
    which go only into Saturday-afternoon slots.  Returns the item's debate; a refusal says
    why."""
    if not title.strip():
        raise Invalid("an item of business needs a title")
    found = sitting(session, sitting_id)
    may_plan(
        planned_on, aware(found.starts_at), urgent=urgent, saturday_afternoon=found.urgent_only
    ).enforce()
    item = BusinessItem(
        sitting_id=sitting_id, title=title.strip(), urgent=urgent, planned_on=planned_on,
        planned_by=by,
    )
    session.add(item)
    session.flush()
    assert item.id is not None
    debate = Debate(business_id=item.id, sitting_id=sitting_id, title=item.title)
    session.add(debate)
    session.flush()
    assert debate.id is not None
    return debate.id


def invite(session: Session, sitting_id: int, member_id: str, reason: str, detail: str) -> None:
    """The Speaker invites a member who is not rostered to speak in a sitting."""
    if reason not in INVITATION_REASONS:
        raise Invalid(f"an invitation is for {', '.join(INVITATION_REASONS)}; not {reason!r}")
    sitting(session, sitting_id)
    member(session, member_id)
    if member_id in rostered(session, sitting_id).values():
        raise Refused(f"{member_id} is rostered in this sitting and needs no invitation")
    session.add(
        Invitation(sitting_id=sitting_id, member_id=member_id, reason=reason, detail=detail)
    )


def speak(session: Session, debate_id: int, member_id: str, text: str, at: datetime) -> int:
    """Record a speech: by the member rostered in their seat, or by an invited member."""
    debate = fetch(session, Debate, debate_id, "debate")
    seat = seat_of(session, member_id)
    found = sitting(session, debate.sitting_id)
    if not aware(found.starts_at) <= aware(at) < aware(found.ends_at):
        raise Refused("a speech is made during the sitting")
    invitation = session.exec(
        select(Invitation.reason).where(
            Invitation.sitting_id == found.id, Invitation.member_id == member_id
        )
    ).first()
    may_speak(member_id, seat.code, rostered(session, debate.sitting_id), invitation).enforce()
    speech = Speech(
        debate_id=debate_id, member_id=member_id, seat_code=seat.code,
        invited=invitation is not None, at=at, text=text,
    )
    session.add(speech)
    session.flush()
    assert speech.id is not None
    return speech.id
