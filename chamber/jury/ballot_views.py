"""The extensions ballot as the jurors see it before they vote: the rule, how many are
extended, each candidate with their features and their effect on the whole jury's quotas in
the month they would otherwise leave; once counted, who was extended and the stored count."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from chamber.db import fetch
from chamber.errors import Forbidden, NotFound
from chamber.jury.ballot import RULE, leaving, open_ballots, voter_place
from chamber.jury.cycle import jury_quotas, rules_of
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryBallot, JuryBallotVote, JuryPlace, Volunteer
from chamber.jury.places import counts, holders, label, on_jury

RULES = {"scottish": "STV (single transferable vote, the Scottish local-government rules)",
         "meek": "STV (Meek's method)"}


@dataclass(frozen=True, slots=True)
class CandidateView:
    place: int
    name: str
    cohort: str
    leaves: str
    features: tuple[tuple[str, str], ...]
    effect: tuple[str, ...]  # "gender female: 598 -> 599 (jury 540-660)"
    extended: bool


@dataclass(frozen=True, slots=True)
class BallotView:
    id: int
    body: str
    month: str
    seats: int
    rule: str
    rule_text: str
    candidates: tuple[CandidateView, ...]
    votes: int
    counted: bool
    election_id: int | None
    note: str
    voted: bool  # whether the juror asked about has voted
    voter: bool  # whether they may vote in it


def ballot_view(
    session: Session, lottery: Lottery, ballot_id: int, account_id: int | None = None
) -> BallotView:
    """The ballot of ``lottery``'s body, with whether the juror signed in as ``account_id``
    has voted in it."""
    ballot = fetch(session, JuryBallot, ballot_id, "ballot")
    if ballot.body_key != lottery.body:
        raise NotFound(f"ballot {ballot_id} is not one of {lottery.body}'s")
    try:
        place_id = voter_place(session, ballot, account_id) if account_id is not None else None
    except Forbidden:
        place_id = None
    rules = rules_of(lottery)
    whole = jury_quotas(lottery)
    rows = session.exec(
        select(JuryPlace, Volunteer).join(Volunteer, col(Volunteer.id) == col(
            JuryPlace.volunteer_id)).where(col(JuryPlace.id).in_(ballot.candidates))
        .order_by(col(JuryPlace.id))
    ).all()
    staying: dict[int, list[int]] = {}
    out = []
    for place, who in rows:
        month = leaving(place, rules)
        if month not in staying:
            people = holders(session, on_jury(session, lottery.body, label(month)))
            staying[month] = [int(c) for c in counts(whole, people.values())]
        effect = tuple(
            f"{q.feature} {q.value}: {staying[month][n]} -> {staying[month][n] + 1} "
            f"(jury {q.min}-{q.max})"
            for n, q in enumerate(whole) if who.features.get(q.feature) == q.value
        )
        out.append(CandidateView(place.id or 0, who.name, place.cohort, label(month),
                                 tuple(sorted(who.features.items())), effect,
                                 (place.id or 0) in ballot.extended))
    votes = session.exec(select(JuryBallotVote).where(JuryBallotVote.ballot_id == ballot_id)
                         ).all()
    return BallotView(
        ballot_id, ballot.body_key, ballot.month, ballot.seats, ballot.rule,
        RULES.get(ballot.rule, RULE), tuple(out), len(votes), ballot.counted_at is not None,
        ballot.election_id, ballot.note, any(v.place_id == place_id for v in votes),
        place_id is not None,
    )


def current_ballots(session: Session, body_key: str) -> list[int]:
    """The ballots of a body open for votes (with candidates)."""
    return [b for b in open_ballots(session, body_key)
            if fetch(session, JuryBallot, b, "ballot").candidates]
