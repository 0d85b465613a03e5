"""Citizens' panels as the public sees them: each panel's question, stratum, powers and whether
the public votes on its divisions; the members drawn (by pseudonym only: no names), their
meetings and what the panel has published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from chamber.bodies.services import body
from chamber.clock import aware
from chamber.jury.citizens import POWERS, remit
from chamber.jury.expert_models import PanelMeeting, PanelOutput, PanelRemit
from chamber.jury.models import JuryDraw, JuryPlace, Volunteer


@dataclass(frozen=True, slots=True)
class PanelLine:
    key: str
    title: str
    question: str
    outputs: int


@dataclass(frozen=True, slots=True)
class MeetingView:
    id: int
    starts_at: datetime
    ends_at: datetime
    venue: str
    agenda: str


@dataclass(frozen=True, slots=True)
class OutputView:
    id: int
    kind: str
    title: str
    text: str
    meeting_id: int | None
    published_at: datetime


@dataclass(frozen=True, slots=True)
class PanelPage:
    key: str
    title: str
    question: str
    stratum: str
    size: int
    powers: tuple[str, ...]
    allowed: tuple[str, ...]  # the kinds of output its powers allow
    public_votes: bool
    draw_id: int | None
    members: tuple[tuple[str, str, str, str], ...]  # (pseudonym, status, from, until)
    meetings: tuple[MeetingView, ...]
    outputs: tuple[OutputView, ...]


def panels(session: Session) -> list[PanelLine]:
    """Every citizens' panel with a remit."""
    out = []
    for r in session.exec(select(PanelRemit).order_by(col(PanelRemit.body_key))).all():
        outputs = session.exec(select(PanelOutput.id).where(
            PanelOutput.body_key == r.body_key)).all()
        out.append(PanelLine(r.body_key, body(session, r.body_key).title, r.question,
                             len(outputs)))
    return out


def panel_page(session: Session, body_key: str) -> PanelPage:
    """A panel's public page."""
    found = remit(session, body_key)
    draw = session.exec(select(JuryDraw.id).where(JuryDraw.body_key == body_key,
                                                  JuryDraw.kind == "panel")).first()
    rows = session.exec(
        select(JuryPlace, Volunteer).join(Volunteer, col(Volunteer.id) == col(
            JuryPlace.volunteer_id)).where(JuryPlace.body_key == body_key,
                                           col(JuryPlace.status).in_(("invited", "serving",
                                                                      "ended")))
        .order_by(col(JuryPlace.id))
    ).all()
    meetings = session.exec(select(PanelMeeting).where(PanelMeeting.body_key == body_key)
                            .order_by(col(PanelMeeting.starts_at))).all()
    outputs = session.exec(select(PanelOutput).where(PanelOutput.body_key == body_key)
                           .order_by(col(PanelOutput.id))).all()
    return PanelPage(
        body_key, body(session, body_key).title, found.question, found.stratum, found.size,
        tuple(found.powers), tuple(POWERS[p] for p in found.powers), found.public_votes, draw,
        tuple((v.ref, p.status, p.cohort, p.term_end) for p, v in rows),
        tuple(MeetingView(m.id or 0, aware(m.starts_at), aware(m.ends_at), m.venue, m.agenda)
              for m in meetings),
        tuple(OutputView(o.id or 0, o.kind, o.title, o.text, o.meeting_id,
                         aware(o.published_at)) for o in outputs),
    )
