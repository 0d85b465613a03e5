"""The public record, findable: every published count, draw and division, searched by words in
its title, question or those it elected (all words must appear, in any case), newest first; and
each member's record (sittings, votes, speeches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from chamber.bodies.models import Seat
from chamber.business.models import Attendance, Debate, Speech
from chamber.clock import london
from chamber.db import fetch
from chamber.divisions.models import Division, MemberVote
from chamber.divisions.views import DivisionSummary, list_divisions
from chamber.elections.views import ElectionSummary, elections
from chamber.jury.services import DrawSummary, draws
from chamber.membership.models import Member
from chamber.rotas.models import Assignment, Rota
from chamber.sittings.models import Sitting

MOST = 200  # of each kind, on one page


@dataclass(frozen=True, slots=True)
class Records:
    """What a search found (or the newest of each kind, without words)."""

    words: tuple[str, ...]
    elections: tuple[ElectionSummary, ...]
    draws: tuple[DrawSummary, ...]
    divisions: tuple[DivisionSummary, ...]

    @property
    def found(self) -> int:
        return len(self.elections) + len(self.draws) + len(self.divisions)


def _matches(words: tuple[str, ...], *texts: object) -> bool:
    haystack = " ".join(str(t) for t in texts).casefold()
    return all(w in haystack for w in words)


def search_records(session: Session, query: str = "") -> Records:
    """The published counts, draws and divisions whose text has every word of ``query``."""
    words = tuple(w.casefold() for w in query.split())[:12]
    return Records(
        words,
        tuple(e for e in elections(session) if _matches(words, e.title, e.rule, *e.elected))[:MOST],
        tuple(d for d in draws(session) if _matches(words, f"draw {d.id}", d.kind, d.month,
                                                     d.seed))[:MOST],
        tuple(d for d in list_divisions(session, 5_000)
              if _matches(words, d.question, d.carried or ""))[:MOST],
    )


@dataclass(frozen=True, slots=True)
class SittingLine:
    sitting: int
    starts_at: datetime
    attended: str | None  # how the clerk recorded their attendance, if they did


@dataclass(frozen=True, slots=True)
class VoteLine:
    division: int
    question: str
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeechLine:
    sitting: int
    debate: str
    at: datetime
    excerpt: str


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A member's public record: their seat and term, the sittings they were rostered for
    (with the attendance recorded), how they voted and what they said."""

    id: str
    name: str
    seat: str
    group: str
    serves_from: date
    serves_until: date | None
    sittings: tuple[SittingLine, ...]
    votes: tuple[VoteLine, ...]
    speeches: tuple[SpeechLine, ...]


def member_record(session: Session, member_id: str) -> MemberRecord:
    """The public record of one member (the newest first, up to `MOST` of each kind)."""
    found = fetch(session, Member, member_id, "member")
    seat = fetch(session, Seat, found.seat_id, "seat")
    attended = dict(session.exec(
        select(Attendance.sitting_id, Attendance.kind).where(Attendance.member_id == member_id)
    ).all())
    rostered = session.exec(
        select(Sitting.id, Sitting.starts_at)
        .join(Assignment, col(Assignment.sitting_id) == col(Sitting.id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .where(Assignment.member_id == member_id, Rota.status == "published")
        .order_by(col(Sitting.starts_at).desc()).limit(MOST)
    ).all()
    votes = session.exec(
        select(Division, MemberVote.option, MemberVote.at)
        .join(MemberVote, col(MemberVote.division_id) == col(Division.id))
        .where(MemberVote.member == member_id)
        .order_by(col(MemberVote.at).desc()).limit(MOST)
    ).all()
    speeches = session.exec(
        select(Speech, Debate.title, Debate.sitting_id)
        .join(Debate, col(Debate.id) == col(Speech.debate_id))
        .where(Speech.member_id == member_id)
        .order_by(col(Speech.at).desc()).limit(MOST)
    ).all()
    return MemberRecord(
        found.id, found.name, seat.code, found.group, found.serves_from, found.serves_until,
        tuple(SittingLine(s or 0, london(at), attended.get(s or 0)) for s, at in rostered),
        tuple(VoteLine(d.id or 0, d.question, d.options[o], london(at)) for d, o, at in votes),
        tuple(SpeechLine(sitting, title, london(sp.at), sp.text[:280])
              for sp, title, sitting in speeches),
    )
