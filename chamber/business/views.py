"""A sitting as the public sees it: its agenda with each debate's speeches, who sits in which
seat, and the invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from chamber.bodies.models import Seat
from chamber.business.models import Attendance, BusinessItem, Debate, Invitation, Speech
from chamber.clock import london
from chamber.membership.models import Member
from chamber.officers.speaker import chair_of
from chamber.rotas.models import Assignment, Rota
from chamber.sittings.services import SittingSummary, sitting, summary


@dataclass(frozen=True, slots=True)
class SpeechView:
    member: str
    name: str
    seat: str
    invited: bool
    at: datetime
    text: str
    id: int = 0  # the speech's (its anchor on the sitting's page)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    debate: int
    title: str
    urgent: bool
    planned_on: date
    planned_by: str
    speeches: tuple[SpeechView, ...]


@dataclass(frozen=True, slots=True)
class SeatHolder:
    seat: str
    member: str
    name: str
    group: str
    role: str


@dataclass(frozen=True, slots=True)
class InvitationView:
    member: str
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class AttendanceView:
    member: str
    name: str
    kind: str  # rostered, invited, without a vote
    reason: str


@dataclass(frozen=True, slots=True)
class SittingView:
    sitting: SittingSummary
    agenda: tuple[AgendaItem, ...]
    seats: tuple[SeatHolder, ...]
    invitations: tuple[InvitationView, ...]
    attendance: tuple[AttendanceView, ...]
    chair: tuple[str, str] | None = None  # (member, name): the Speaker or a deputy


def sitting_view(session: Session, sitting_id: int) -> SittingView:
    """A sitting: when, who chairs it, its agenda with speeches, who sits in which seat,
    invitations."""
    found = sitting(session, sitting_id)
    seats = session.execute(
        sa_select(
            col(Seat.code), col(Member.id), col(Member.name), col(Member.group), col(Member.role)
        )
        .join(Assignment, col(Assignment.seat_id) == col(Seat.id))
        .join(Member, col(Member.id) == col(Assignment.member_id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .where(col(Assignment.sitting_id) == sitting_id, col(Rota.status) == "published")
        .order_by(col(Seat.number))
    ).all()
    items = session.exec(
        select(BusinessItem, Debate)
        .join(Debate, col(Debate.business_id) == col(BusinessItem.id))
        .where(BusinessItem.sitting_id == sitting_id)
        .order_by(col(BusinessItem.id))
    ).all()
    agenda = []
    for item, debate in items:
        assert debate.id is not None
        speeches = session.exec(
            select(Speech, Member.name)
            .join(Member, col(Member.id) == col(Speech.member_id))
            .where(Speech.debate_id == debate.id)
            .order_by(col(Speech.at))
        ).all()
        agenda.append(
            AgendaItem(
                debate.id, item.title, item.urgent, item.planned_on, item.planned_by,
                tuple(
                    SpeechView(s.member_id, name, s.seat_code, s.invited, london(s.at), s.text,
                               s.id or 0)
                    for s, name in speeches
                ),
            )
        )
    invitations = session.exec(select(Invitation).where(Invitation.sitting_id == sitting_id))
    present = session.exec(
        select(Attendance, Member.name)
        .join(Member, col(Member.id) == col(Attendance.member_id))
        .where(Attendance.sitting_id == sitting_id)
        .order_by(col(Attendance.kind), col(Attendance.member_id))
    ).all()
    return SittingView(
        sitting=summary(found),
        agenda=tuple(agenda),
        seats=tuple(SeatHolder(*row) for row in seats),
        invitations=tuple(InvitationView(i.member_id, i.reason, i.detail) for i in invitations),
        attendance=tuple(AttendanceView(a.member_id, n, a.kind, a.reason) for a, n in present),
        chair=chair_of(session, sitting_id),
    )
