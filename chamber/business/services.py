"""Business as transactions: planning items into sittings, invitations, speeches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from chamber.audit.services import append, append_many
from chamber.business.models import Attendance, BusinessItem, Debate, Invitation, Speech
from chamber.business.rules import INVITATION_REASONS, may_plan, may_speak
from chamber.clock import aware, london
from chamber.db import fetch
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.membership.models import Member
from chamber.membership.services import member, seat_of
from chamber.notices.services import notify_members
from chamber.officers.services import may, require
from chamber.rotas.roster import rostered
from chamber.sittings.services import sitting

ATTENDANCE = ("rostered", "invited", "without a vote")


def plan_business(
    session: Session,
    sitting_id: int,
    title: str,
    *,
    now: datetime,
    by: str,
    urgent: bool = False,
) -> int:
    """Plan an item of business into a sitting: at least a month ahead, except urgent items,
    which go only into Saturday-afternoon sittings; never into a sitting that has begun.
    Returns the item's debate; a refusal says why."""
    if not title.strip():
        raise Invalid("an item of business needs a title")
    found = sitting(session, sitting_id)
    starts = aware(found.starts_at)
    if starts <= now:
        raise Refused(f"the sitting of {found.day} {found.session} has already begun")
    may_plan(now.date(), starts, urgent=urgent, saturday_afternoon=found.urgent_only).enforce()
    item = BusinessItem(
        sitting_id=sitting_id, title=title.strip(), urgent=urgent, planned_on=now.date(),
        planned_by=by,
    )
    session.add(item)
    session.flush()
    assert item.id is not None
    debate = Debate(business_id=item.id, sitting_id=sitting_id, title=item.title)
    session.add(debate)
    session.flush()
    assert debate.id is not None
    notify_members(
        session, rostered(session, sitting_id).values(), "Business in your sitting",
        f"{item.title!r} is planned for your sitting of {london(starts):%A %d %B, %H:%M}.",
        f"/sittings/{sitting_id}", now,
    )
    return debate.id


def invite(
    session: Session, sitting_id: int, member_id: str, reason: str, detail: str, *,
    by: str, now: datetime,
) -> None:
    """The Speaker (or a deputy speaker acting for them), ``by``, invites a member who is not
    rostered to attend a sitting that has not ended, without a vote (`chamber.officers`)."""
    if reason not in INVITATION_REASONS:
        raise Invalid(f"an invitation is for {', '.join(INVITATION_REASONS)}; not {reason!r}")
    member(session, by)
    found = sitting(session, sitting_id)
    require(session, by, "invite members", now, body_key=found.body_key)
    if aware(found.ends_at) <= now:
        raise Refused(f"the sitting of {found.day} {found.session} is over")
    member(session, member_id)
    if member_id in rostered(session, sitting_id).values():
        raise Refused(f"{member_id} is rostered in this sitting and needs no invitation")
    if session.exec(
        select(Invitation.id).where(
            Invitation.sitting_id == sitting_id, Invitation.member_id == member_id
        )
    ).first():
        raise Conflict(f"{member_id} is already invited to this sitting")
    session.add(
        Invitation(sitting_id=sitting_id, member_id=member_id, reason=reason, detail=detail)
    )
    append(
        session, "invitation",
        {"sitting": sitting_id, "member": member_id, "reason": reason, "by": by}, now,
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


def record_attendance(
    session: Session, sitting_id: int, member_id: str, kind: str, *, by: str, now: datetime,
) -> None:
    """The clerk records that a member attended a sitting (see `record_attendances`)."""
    record_attendances(session, sitting_id, [(member_id, kind)], by=by, now=now)


def record_attendances(
    session: Session, sitting_id: int, entries: Sequence[tuple[str, str]], *, by: str,
    now: datetime,
) -> int:
    """The clerk records who attended a sitting that has begun, each (member, kind): as the
    rostered member of their seat, as invited by the Speaker (the invitation's reason is
    recorded), or attending without a vote (only an officer: the Speaker, a deputy, the
    Executive Committee, a group's whip or officer).  Recording a member again replaces their entry.
    Every entry is checked and, if any is refused, none is recorded; returns how many were."""
    found = sitting(session, sitting_id)
    if aware(found.starts_at) > now:
        raise Refused(f"the sitting of {found.day} {found.session} has not begun")
    members = {m for m, _ in entries}
    known = set(session.exec(select(Member.id).where(col(Member.id).in_(members))).all())
    sitting_here = set(rostered(session, sitting_id).values())
    invited = dict(
        session.exec(
            select(Invitation.member_id, Invitation.reason).where(
                Invitation.sitting_id == sitting_id
            )
        ).all()
    )
    recorded = {
        a.member_id: a
        for a in session.exec(select(Attendance).where(Attendance.sitting_id == sitting_id))
    }
    chained: list[tuple[str, dict[str, object], datetime]] = []
    for member_id, kind in entries:
        if kind not in ATTENDANCE:
            raise Invalid(f"attendance is {', '.join(ATTENDANCE)}; not {kind!r}")
        if member_id not in known:
            raise NotFound(f"no member {member_id!r}")
        if kind == "rostered" and member_id not in sitting_here:
            raise Refused(f"{member_id} is not rostered in this sitting")
        if kind != "rostered" and member_id in sitting_here:
            raise Refused(f"{member_id} is rostered in this sitting: record them as rostered")
        if kind == "invited" and member_id not in invited:
            raise Refused(f"{member_id} has no invitation from the Speaker to this sitting")
        if kind == "without a vote":
            may(session, member_id, "attend without a vote", found.day,
                body_key=found.body_key).enforce()
        reason = invited[member_id] if kind == "invited" else ""
        entry = recorded.get(member_id)
        if entry is None:
            entry = Attendance(sitting_id=sitting_id, member_id=member_id, kind=kind,
                               recorded_by=by, recorded_at=now)
            recorded[member_id] = entry
            session.add(entry)
        entry.kind, entry.reason, entry.recorded_by, entry.recorded_at = kind, reason, by, now
        chained.append(
            ("attendance",
             {"sitting": sitting_id, "member": member_id, "kind": kind, "reason": reason}, now)
        )
    append_many(session, chained)
    return len(entries)
