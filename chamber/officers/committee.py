"""The Executive Committee, elected by the members of a body by STV: an election is called
with its candidates, seats, rule and announced seed; each serving member casts one ranked
ballot on the site (kept apart from who cast it); after the close the ballots are counted by
`electoral` (Scottish STV or Meek), the count stored and published like any other
(`chamber.elections`), and those elected hold the office from the day of the count."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.bodies.services import body
from chamber.clock import aware, london
from chamber.db import fetch
from chamber.elections.services import count_election, stored
from chamber.errors import Conflict, Invalid, Refused
from chamber.membership.models import Member
from chamber.membership.services import member, seat_of
from chamber.officers.models import (
    CommitteeBallot,
    CommitteeElection,
    CommitteeVoter,
    OfficeHolding,
)
from chamber.officers.rules import COMMITTEE_RULES
from chamber.officers.services import appoint, day_of
from chamber.rotas.problem import serving
from electoral.ballots.blt import write_blt
from electoral.ballots.profile import profile_from_rankings

OFFICE = "Executive Committee"


def _serving_member(session: Session, member_id: str, body_key: str, now: datetime) -> Member:
    who = member(session, member_id)
    if seat_of(session, member_id).body_key != body_key or not serving(
        who, day_of(now), day_of(now)
    ):
        raise Refused(f"{member_id} is not a serving member of {body_key}")
    return who


def call_committee_election(
    session: Session, body_key: str, title: str, seats: int, candidates: Sequence[str], *,
    rule: str, seed: str, opens_at: datetime, closes_at: datetime, by: str, now: datetime,
) -> int:
    """Call an election of the Executive Committee; returns its id.  One at a time a body."""
    body(session, body_key)
    if rule not in COMMITTEE_RULES:
        raise Invalid(f"the committee is counted by {' or '.join(COMMITTEE_RULES)} STV, "
                      f"not {rule!r}")
    if not seed.strip():
        raise Invalid("announce a seed for ties before the election (any text)")
    if len(set(candidates)) != len(candidates) or len(candidates) < 2:
        raise Invalid("an election needs two or more different candidates")
    if not 1 <= seats <= len(candidates):
        raise Invalid(f"{seats} seats for {len(candidates)} candidates")
    if not aware(opens_at) < aware(closes_at) or aware(closes_at) <= now:
        raise Invalid("the ballot closes after it opens, and in the future")
    for c in candidates:
        _serving_member(session, c, body_key, now)
    pending = session.exec(select(CommitteeElection.id).where(
        CommitteeElection.body_key == body_key, col(CommitteeElection.election_id).is_(None),
    )).first()
    if pending is not None:
        raise Conflict(f"the committee election {pending} of {body_key} is not counted yet")
    found = CommitteeElection(
        body_key=body_key, title=title.strip() or f"Executive Committee of {body_key}",
        seats=seats, rule=rule, seed=seed.strip(), candidates=list(candidates),
        opens_at=opens_at, closes_at=closes_at, called_by=by,
    )
    session.add(found)
    session.flush()
    assert found.id is not None
    append(session, "committee election called",
           {"election": found.id, "body": body_key, "seats": seats, "rule": rule,
            "seed": found.seed, "candidates": list(candidates), "by": by}, now)
    return found.id


def committee_election(session: Session, election_id: int) -> CommitteeElection:
    return fetch(session, CommitteeElection, election_id, "committee election")


def cast_committee_ballot(
    session: Session, election_id: int, member_id: str, ranking: Sequence[str], now: datetime
) -> None:
    """A serving member ranks candidates while the ballot is open: once, and finally."""
    found = committee_election(session, election_id)
    if not aware(found.opens_at) <= now < aware(found.closes_at):
        raise Refused(f"the ballot is open from {london(found.opens_at):%a %d %b %Y %H:%M} "
                      f"to {london(found.closes_at):%a %d %b %Y %H:%M}")
    _serving_member(session, member_id, found.body_key, now)
    if not ranking:
        raise Invalid("rank at least one candidate")
    unknown = [c for c in ranking if c not in found.candidates]
    if unknown:
        raise Invalid(f"{', '.join(unknown)} is not a candidate")
    if len(set(ranking)) != len(ranking):
        raise Invalid("a candidate is ranked twice")
    if session.exec(select(CommitteeVoter.id).where(
        CommitteeVoter.committee_election_id == election_id, CommitteeVoter.member_id == member_id,
    )).first() is not None:
        raise Conflict(f"{member_id} has already voted in this election (a ballot is final)")
    session.add(CommitteeVoter(committee_election_id=election_id, member_id=member_id,
                               voted_at=now))
    session.add(CommitteeBallot(committee_election_id=election_id, ranking=list(ranking)))
    append(session, "committee vote", {"election": election_id, "member": member_id}, now)


def ballot_text(session: Session, found: CommitteeElection) -> str:
    """The ballots as a BLT file (identical rankings added up), candidates as "Name (id)"."""
    names = dict(session.exec(select(Member.id, Member.name).where(
        col(Member.id).in_(found.candidates))).all())
    labels = [f"{names[c]} ({c})" for c in found.candidates]
    index = {c: i for i, c in enumerate(found.candidates)}
    ballots = session.exec(select(CommitteeBallot.ranking).where(
        CommitteeBallot.committee_election_id == found.id)).all()
    if not ballots:
        raise Refused("no ballots were cast: there is nothing to count")
    rankings = np.full((len(ballots), len(labels)), -1, dtype=np.int64)
    for row, ranking in enumerate(ballots):
        rankings[row, : len(ranking)] = [index[c] for c in ranking]
    out = io.StringIO()
    write_blt(profile_from_rankings(labels, rankings, title=found.title, seats=found.seats), out,
              seats=found.seats)
    return out.getvalue()


def count_committee(session: Session, election_id: int, *, by: str, now: datetime) -> int:
    """Count a closed committee election by its rule and seed, store and publish the count, and
    seat those elected (the previous committee's holdings end the day before); returns the
    stored count's id."""
    found = committee_election(session, election_id)
    if found.election_id is not None:
        raise Conflict(f"this election is already counted (count {found.election_id})")
    if now < aware(found.closes_at):
        raise Refused(f"the ballot closes at {london(found.closes_at):%a %d %b %Y %H:%M}")
    counted = count_election(
        session, found.title, f"committee-{election_id}.blt", ballot_text(session, found),
        rule=found.rule, seed=found.seed, seats=found.seats, body_key=found.body_key, now=now,
    )
    found.election_id = counted
    today = day_of(now)
    for h in session.exec(select(OfficeHolding).where(
        OfficeHolding.body_key == found.body_key, OfficeHolding.office == OFFICE,
        col(OfficeHolding.holds_until).is_(None) | (col(OfficeHolding.holds_until) >= today),
    )).all():
        h.holds_until = max(h.holds_from, today - timedelta(days=1))
    session.flush()
    label = {f"({c})": c for c in found.candidates}
    elected = stored(session, counted).result.get("elected", [])
    assert isinstance(elected, list)
    for name in elected:
        member_id = label[str(name).rsplit(" ", 1)[-1]]
        appoint(session, found.body_key, OFFICE, member_id, holds_from=today, by=by, now=now,
                election_id=counted)
    return counted


@dataclass(frozen=True, slots=True)
class CommitteeBallotView:
    """A committee election as a member or a clerk sees it."""

    id: int
    body: str
    title: str
    seats: int
    rule: str
    seed: str
    candidates: tuple[tuple[str, str], ...]  # (member id, name)
    opens_at: datetime
    closes_at: datetime
    ballots: int
    voted: bool
    count: int | None  # the stored count, once counted


def committee_elections(session: Session, body_key: str, now: datetime,
                        member_id: str | None = None) -> list[CommitteeBallotView]:
    """A body's committee elections, newest first (whether ``member_id`` has voted in each)."""
    out = []
    for e in session.exec(select(CommitteeElection).where(
        CommitteeElection.body_key == body_key).order_by(col(CommitteeElection.id).desc())
    ).all():
        names = dict(session.exec(select(Member.id, Member.name).where(
            col(Member.id).in_(e.candidates))).all())
        voters = set(session.exec(select(CommitteeVoter.member_id).where(
            CommitteeVoter.committee_election_id == e.id)).all())
        out.append(CommitteeBallotView(
            e.id or 0, e.body_key, e.title, e.seats, e.rule, e.seed,
            tuple((c, names.get(c, c)) for c in e.candidates), london(e.opens_at),
            london(e.closes_at), len(voters), member_id in voters, e.election_id,
        ))
    return out
