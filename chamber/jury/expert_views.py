"""The jury's experts as the site shows them: each field with its places and how many serve, the
ballots (open and counted) and, in the transition, the peers put to the jury; one field's
ballot with its rule, nominations and whether the juror asking may vote and has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from chamber.db import fetch
from chamber.errors import Forbidden, NotFound
from chamber.jury.ballot import juror_place
from chamber.jury.ballot_views import RULES
from chamber.jury.expert_models import (
    ExpertBallot,
    ExpertNomination,
    ExpertVote,
    PeerAnswer,
    PeerQuestion,
)
from chamber.jury.experts import experts_of, field_seats, fields, nominations
from chamber.jury.lottery import Lottery
from chamber.routes.places import serving


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    group: str
    seats: int
    places: int
    serving: int


@dataclass(frozen=True, slots=True)
class BallotLine:
    id: int
    field: str
    places: int
    nominations: int
    votes: int
    counted: bool
    appointed: int
    election_id: int | None


@dataclass(frozen=True, slots=True)
class PeerLine:
    id: int
    name: str
    party: str
    answers: int
    decided: bool
    yes: int
    no: int
    approved: bool | None
    member_id: str | None


@dataclass(frozen=True, slots=True)
class ExpertsOverview:
    body: str
    on: date
    term_months: int
    fields: tuple[FieldView, ...]
    ballots: tuple[BallotLine, ...]
    peers: tuple[PeerLine, ...]


def _votes(session: Session, ballot_id: int) -> int:
    return len(session.exec(select(ExpertVote.id).where(ExpertVote.ballot_id == ballot_id)).all())


def experts_overview(session: Session, lottery: Lottery, on: date) -> ExpertsOverview:
    """Every field of the jury's experts on a day, the ballots and the peers' questions."""
    out = []
    for f in fields(session, lottery):
        cat, seats = field_seats(session, lottery, f.name)
        held = serving(session, [s.id or 0 for s in seats], on)
        out.append(FieldView(f.name, f.group, len(seats), len(seats) * cat.sharers_per_seat,
                             sum(held.values())))
    ballots = []
    for b in session.exec(select(ExpertBallot).where(ExpertBallot.body_key == lottery.body)
                          .order_by(col(ExpertBallot.id).desc())).all():
        ballots.append(BallotLine(
            b.id or 0, b.field, b.places, len(nominations(session, b.id or 0)),
            _votes(session, b.id or 0), b.counted_at is not None, len(b.appointed),
            b.election_id))
    peers = []
    for q in session.exec(select(PeerQuestion).where(PeerQuestion.body_key == lottery.body)
                          .order_by(col(PeerQuestion.id))).all():
        answers = len(session.exec(select(PeerAnswer.id).where(
            PeerAnswer.question_id == q.id)).all())
        peers.append(PeerLine(q.id or 0, q.name, q.party, answers, q.decided_at is not None,
                              q.yes, q.no, q.approved, q.member_id))
    return ExpertsOverview(lottery.body, on, experts_of(lottery).term_months, tuple(out),
                           tuple(ballots), tuple(peers))


@dataclass(frozen=True, slots=True)
class NomineeView:
    id: int
    name: str
    expertise: str


@dataclass(frozen=True, slots=True)
class ExpertBallotView:
    id: int
    body: str
    field: str
    places: int
    rule: str
    rule_text: str
    serves_from: date
    serves_until: date
    nominees: tuple[NomineeView, ...]
    votes: int
    counted: bool
    election_id: int | None
    appointed: tuple[str, ...]
    note: str
    voter: bool  # whether the person asking is a serving juror
    voted: bool


def experts_ballot_view(
    session: Session, lottery: Lottery, ballot_id: int, account_id: int | None
) -> ExpertBallotView:
    """A field's ballot, with whether the juror signed in as ``account_id`` has voted."""
    ballot = fetch(session, ExpertBallot, ballot_id, "ballot")
    if ballot.body_key != lottery.body:
        raise NotFound(f"ballot {ballot_id} is not one of {lottery.body}'s")
    try:
        place = (juror_place(session, lottery.body, account_id, "the experts")
                 if account_id is not None else None)
    except Forbidden:
        place = None
    voted = place is not None and session.exec(select(ExpertVote.id).where(
        ExpertVote.ballot_id == ballot_id, ExpertVote.place_id == place)).first() is not None
    people: list[ExpertNomination] = nominations(session, ballot_id)
    return ExpertBallotView(
        ballot_id, ballot.body_key, ballot.field, ballot.places, ballot.rule,
        RULES.get(ballot.rule, ballot.rule), ballot.serves_from, ballot.serves_until,
        tuple(NomineeView(n.id or 0, n.name, n.expertise) for n in people),
        _votes(session, ballot_id), ballot.counted_at is not None, ballot.election_id,
        tuple(ballot.appointed), ballot.note, place is not None, voted,
    )
