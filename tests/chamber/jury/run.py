"""Running the stored jury's scheduled job month by month, every invitation answered by letter
(the officer records it): the months checked and the answers given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber import jobs
from chamber.db import perform, read
from chamber.jury.ballot import cast_vote, leaving, open_ballots
from chamber.jury.cycle import announce_seed, due_cohort, jury_quotas
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryBallot, JuryBallotVote, JuryInvitation, JuryPlace
from chamber.jury.places import answer, counts, holders, index, label, month_of, on_jury
from chamber.jury.views import JuryCheck, check_jury
from chamber.settings import Settings


def open_invitations(engine: Engine, body_key: str) -> list[int]:
    with Session(engine) as s:
        return [i.id for i in s.exec(
            select(JuryInvitation).join(JuryPlace, col(JuryPlace.id) == col(
                JuryInvitation.place_id))
            .where(JuryPlace.body_key == body_key, JuryInvitation.status == "invited")
            .order_by(col(JuryInvitation.id))
        ).all()]


def vote_by_letter(engine: Engine, lottery: Lottery, now: datetime) -> int:
    """Every serving juror who has not voted votes in each open extensions ballot (recorded by
    the officer, in one transaction), all ranking the candidates as `balancing_ranking` does;
    how many votes were cast."""
    return perform(engine, _vote_all, lottery, now)


def balancing_ranking(session: Session, lottery: Lottery, ballot: JuryBallot) -> list[int]:
    """The candidates in the order a jury reading the ballot's effects on the quotas might rank
    them: each next the one who most helps the whole jury's quotas furthest below their middle
    in the month the candidates would leave."""
    assert lottery.cycle is not None
    whole = jury_quotas(lottery)
    places = list(session.exec(select(JuryPlace).where(
        col(JuryPlace.id).in_(ballot.candidates))).all())
    people = holders(session, places)
    month = label(leaving(places[0], lottery.cycle))
    have = counts(whole, holders(session, on_jury(session, lottery.body, month)).values())
    have = have.astype(np.float64)
    middle = np.array([(q.min + q.max) / 2 for q in whole])
    width = np.array([q.max - q.min + 1 for q in whole], dtype=np.float64)
    member = {c: np.array([people[c].features.get(q.feature) == q.value for q in whole])
              for c in ballot.candidates if c in people}
    order: list[int] = []
    left = sorted(member)
    while left:
        need = (middle - have) / width
        best = max(left, key=lambda c: (float(need[member[c]].sum()), -c))
        order.append(best)
        left.remove(best)
        have += member[best]
    return order


def _vote_all(session: Session, lottery: Lottery, now: datetime) -> int:
    month = month_of(now)
    voters = [p.id for p in session.exec(select(JuryPlace).where(
        JuryPlace.body_key == lottery.body, JuryPlace.status == "serving",
        col(JuryPlace.cohort) <= month, col(JuryPlace.term_end) > month)).all()]
    cast = 0
    for ballot_id in open_ballots(session, lottery.body):
        ballot = session.get(JuryBallot, ballot_id)
        if ballot is None or not ballot.candidates:
            continue
        voted = set(session.exec(select(JuryBallotVote.place_id).where(
            JuryBallotVote.ballot_id == ballot_id)).all())
        ranking = balancing_ranking(session, lottery, ballot)
        for place in voters:
            if place not in voted and ranking:
                cast_vote(session, ballot_id, ranking, now, place_id=place)
                cast += 1
    return cast


def run(
    engine: Engine, lottery: Lottery, first: str, months: int, config: Settings, *,
    decline_every: int = 0, vote: bool = True,
) -> list[JuryCheck]:
    """From ``first``, on each month's draw day: announce the seed, run the job, answer every
    invitation (every ``decline_every``-th declines), every serving juror votes in the open
    extensions ballot, run the job again for the replacements
    and answer those; returns the jury as it stands in each month."""
    checks, n = [], 0
    for k in range(months):
        month = label(index(first) + k)
        now = datetime(int(month[:4]), int(month[5:]), config.jury_draw_day, 6, tzinfo=UTC)
        due, _ = read(engine, due_cohort, lottery, now, config.jury_lead_months)
        perform(engine, announce_seed, lottery, due, f"public seed {due}", now)
        for hour in range(4):
            jobs.jury_day(engine, now + timedelta(hours=hour), config, {lottery.body: lottery})
            for invitation in open_invitations(engine, lottery.body):
                n += 1
                accept = not decline_every or n % decline_every or hour == 3
                perform(engine, answer, invitation, bool(accept), now + timedelta(hours=hour))
            if hour == 0 and vote:
                vote_by_letter(engine, lottery, now)
        checks.append(read(engine, check_jury, lottery, month))
    return checks
