"""The Speaker and the panel of deputy speakers: who chairs each sitting (the Speaker, or a
deputy acting for them), named by either; their invitations are in `chamber.business`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.clock import aware
from chamber.errors import Refused
from chamber.membership.models import Member
from chamber.membership.services import seat_of
from chamber.officers.models import SittingChair
from chamber.officers.services import Holder, day_of, holders, may, require
from chamber.sittings.services import SittingSummary, sitting, sittings_between


def take_chair(session: Session, sitting_id: int, chair_id: str, *, by: str,
               now: datetime) -> None:
    """The Speaker or a deputy speaker (``by``) names who chairs a sitting that has not ended:
    themselves, or another holding either office on the sitting's day."""
    found = sitting(session, sitting_id)
    require(session, by, "chair sittings", now, body_key=found.body_key)
    if aware(found.ends_at) <= now:
        raise Refused(f"the sitting of {found.day} {found.session} is over")
    may(session, chair_id, "chair sittings", found.day, body_key=found.body_key).enforce()
    row = session.exec(select(SittingChair).where(SittingChair.sitting_id == sitting_id)).first()
    if row is None:
        row = SittingChair(sitting_id=sitting_id, member_id=chair_id, named_by=by, named_at=now)
        session.add(row)
    row.member_id, row.named_by, row.named_at = chair_id, by, now
    append(session, "chair named", {"sitting": sitting_id, "chair": chair_id, "by": by}, now)


def chair_of(session: Session, sitting_id: int) -> tuple[str, str] | None:
    """Who chairs a sitting (member id, name), if named."""
    row = session.exec(
        select(SittingChair.member_id, Member.name)
        .join(Member, col(Member.id) == col(SittingChair.member_id))
        .where(SittingChair.sitting_id == sitting_id)
    ).first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True, slots=True)
class ChairedSitting:
    sitting: SittingSummary
    chair: str | None


@dataclass(frozen=True, slots=True)
class SpeakerDesk:
    """The Speaker's page: the panel (the Speaker and deputies today), and the sittings of the
    next six weeks with who chairs each."""

    panel: tuple[Holder, ...]
    sittings: tuple[ChairedSitting, ...]


def speaker_desk(session: Session, member_id: str, now: datetime) -> SpeakerDesk:
    body_key = seat_of(session, member_id).body_key
    panel = tuple(h for h in holders(session, body_key, day_of(now))
                  if h.office in ("Speaker", "deputy speaker"))
    found = [s for s in sittings_between(session, now - timedelta(hours=8),
                                         now + timedelta(days=42)) if s.body == body_key]
    chairs = dict(session.exec(
        select(SittingChair.sitting_id, SittingChair.member_id)
        .where(col(SittingChair.sitting_id).in_([s.id for s in found]))
    ).all())
    return SpeakerDesk(panel, tuple(ChairedSitting(s, chairs.get(s.id)) for s in found))
