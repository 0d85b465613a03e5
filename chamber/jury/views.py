"""Read models of the stored jury: a volunteer's entries and invitations, the officer's view of
a body's pool and cohorts, the letters to send, the jury in a month checked against its quotas,
and a draw's published pool and quotas."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from chamber.bodies.models import Seat
from chamber.clock import london
from chamber.db import fetch
from chamber.errors import Conflict, NotFound
from chamber.jury.cycle import jury_quotas, next_cohort, rules_of
from chamber.jury.lottery import Lottery
from chamber.jury.models import (
    JuryBallot,
    JuryCohort,
    JuryDraw,
    JuryInvitation,
    JuryPlace,
    Volunteer,
)
from chamber.jury.places import counts, holders, index, month_of, on_jury
from chamber.jury.pool import count_available, pool_at
from electoral.sortition.instance import Quota


@dataclass(frozen=True, slots=True)
class InvitationView:
    id: int
    cohort: str
    term_end: str
    status: str
    respond_by: datetime
    seat: str
    member: str | None


@dataclass(frozen=True, slots=True)
class EntryView:
    """One of a volunteer's entries: its pseudonym (as published in the pool), what they gave,
    and any invitation."""

    id: int
    body: str
    ref: str
    features: tuple[tuple[str, str], ...]
    volunteered_at: datetime
    withdrawn: bool
    invitations: tuple[InvitationView, ...]


def my_entries(session: Session, account_id: int) -> list[EntryView]:
    out = []
    for v in session.exec(select(Volunteer).where(Volunteer.account_id == account_id)
                          .order_by(col(Volunteer.id).desc())).all():
        rows = session.exec(
            select(JuryInvitation, JuryPlace, Seat)
            .join(JuryPlace, col(JuryPlace.id) == col(JuryInvitation.place_id))
            .join(Seat, col(Seat.id) == col(JuryPlace.seat_id))
            .where(JuryInvitation.volunteer_id == v.id).order_by(col(JuryInvitation.id))
        ).all()
        out.append(EntryView(
            v.id or 0, v.body_key, v.ref, tuple(sorted(v.features.items())),
            london(v.volunteered_at), v.withdrawn_at is not None,
            tuple(InvitationView(i.id or 0, p.cohort, p.term_end, i.status, london(i.respond_by),
                                 s.code, p.member_id if i.status == "accepted" else None)
                  for i, p, s in rows),
        ))
    return out


@dataclass(frozen=True, slots=True)
class CohortView:
    month: str
    seed: str
    draw_id: int | None
    answers: tuple[tuple[str, int], ...]  # invitation status -> how many


@dataclass(frozen=True, slots=True)
class OfficerView:
    body: str
    monthly: bool
    entries: int
    available: int
    jury_size: int
    vacant: int
    next_cohort: str | None
    cohorts: tuple[CohortView, ...]
    draws: tuple[tuple[int, str, str | None], ...]  # (id, kind, month), newest first
    open_invitations: int
    ballots: tuple[tuple[int, str, int, str], ...] = ()  # (id, month, seats, note), newest first


def officer_view(session: Session, lottery: Lottery, now: datetime) -> OfficerView:
    key = lottery.body
    entries = session.exec(select(func.count()).select_from(Volunteer)
                           .where(Volunteer.body_key == key)).one()
    jury = on_jury(session, key, month_of(now)) if lottery.cycle else []
    cohorts = []
    for c in session.exec(select(JuryCohort).where(JuryCohort.body_key == key)
                          .order_by(col(JuryCohort.month).desc())).all():
        answers = session.exec(
            select(JuryInvitation.status, func.count())
            .join(JuryPlace, col(JuryPlace.id) == col(JuryInvitation.place_id))
            .where(JuryPlace.body_key == key, JuryPlace.cohort == c.month)
            .group_by(JuryInvitation.status)
        ).all()
        cohorts.append(CohortView(c.month, c.seed, c.draw_id, tuple(sorted(answers))))
    draws = session.exec(select(JuryDraw.id, JuryDraw.kind, JuryDraw.month)
                         .where(JuryDraw.body_key == key).order_by(col(JuryDraw.id).desc())
                         .limit(50)).all()
    waiting = session.exec(
        select(func.count()).select_from(JuryInvitation)
        .join(JuryPlace, col(JuryPlace.id) == col(JuryInvitation.place_id))
        .where(JuryPlace.body_key == key, JuryInvitation.status == "invited")
    ).one()
    return OfficerView(
        key, lottery.cycle is not None, int(entries), count_available(session, key),
        sum(p.status != "vacant" for p in jury), sum(p.status == "vacant" for p in jury),
        next_cohort(session, key), tuple(cohorts), tuple((i or 0, k, m) for i, k, m in draws),
        int(waiting),
        tuple((b.id or 0, b.month, b.seats, b.note if b.counted_at else "open")
              for b in session.exec(select(JuryBallot).where(JuryBallot.body_key == key)
                                    .order_by(col(JuryBallot.month).desc()).limit(24)).all()),
    )


def letters_csv(session: Session, body_key: str) -> str:
    """The open invitations as letters to send: who, where, for which month, answer by when."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["invitation", "name", "address", "email", "phone", "cohort", "term_end",
                "respond_by", "pseudonym"])
    for i, p, v in session.exec(
        select(JuryInvitation, JuryPlace, Volunteer)
        .join(JuryPlace, col(JuryPlace.id) == col(JuryInvitation.place_id))
        .join(Volunteer, col(Volunteer.id) == col(JuryInvitation.volunteer_id))
        .where(JuryPlace.body_key == body_key, JuryInvitation.status == "invited")
        .order_by(col(JuryInvitation.id))
    ).all():
        w.writerow([i.id, v.name, v.address, v.email, v.phone, p.cohort, p.term_end,
                    f"{london(i.respond_by):%Y-%m-%d}", v.ref])
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class JuryCheck:
    """The jury in a month: its places held (serving or invited), vacant ones, and every quota
    of a first-year cohort or of the whole jury that does not hold."""

    month: str
    held: int
    vacant: int
    problems: tuple[str, ...]


def _outside(quotas: tuple[Quota, ...], people: list[Volunteer], what: str) -> list[str]:
    return [f"{what}: {q.label} {int(c)} outside {q.min}-{q.max}"
            for q, c in zip(quotas, counts(quotas, people), strict=True)
            if not q.min <= c <= q.max]


def check_jury(session: Session, lottery: Lottery, month: str) -> JuryCheck:
    rules = rules_of(lottery)
    places = on_jury(session, lottery.body, month)
    people = holders(session, places)
    problems = _outside(jury_quotas(lottery), list(people.values()), "jury")
    by_cohort: dict[str, list[Volunteer]] = {}
    for p in places:  # first-year cohorts, their extended jurors with them
        if index(month) - index(p.cohort) < rules.term_months and p.id in people:
            by_cohort.setdefault(p.cohort, []).append(people[p.id])
    for cohort, members in sorted(by_cohort.items()):
        if len(members) != rules.drawn:
            problems.append(f"cohort {cohort}: {len(members)} jurors, not {rules.drawn}")
        problems += _outside(lottery.quotas, members, f"cohort {cohort}")
    return JuryCheck(month, len(people), sum(p.status == "vacant" for p in places),
                     tuple(problems))


def _stored(session: Session, draw_id: int) -> JuryDraw:
    draw = fetch(session, JuryDraw, draw_id, "draw")
    if draw.pool is None or draw.quotas_csv is None:
        raise NotFound(f"draw {draw_id} was made from uploaded files: its pool is the officer's")
    return draw


def draw_quotas_csv(session: Session, draw_id: int) -> str:
    """The quotas a draw from a stored pool was made to, as published."""
    text = _stored(session, draw_id).quotas_csv
    assert text is not None
    return text


def draw_pool_csv(session: Session, draw_id: int) -> str:
    """The pseudonymised pool a draw was made from (ids and features, no names or contacts),
    checked against the SHA-256 in its record."""
    draw = _stored(session, draw_id)
    assert draw.pool is not None
    assert draw.quotas_csv is not None
    keys = list(dict.fromkeys(line.split(",")[0] for line in draw.quotas_csv.splitlines()[1:]))
    people = pool_at(session, draw.pool)
    lines = [",".join(["id", *keys])]
    lines.extend(",".join([v.ref, *(v.features[k] for k in keys)]) for v in people)
    text = "\n".join(lines) + "\n"
    if hashlib.sha256(text.encode()).hexdigest() != draw.record.get("pool_sha256"):
        raise Conflict(f"the stored pool of draw {draw_id} no longer matches its record")
    return text


def draw_downloads(session: Session, draw_id: int) -> dict[str, str]:
    """What is published of a draw from a stored pool, by file name: its record, pseudonymised
    pool and quotas (all `chamber draw verify` needs)."""
    draw = _stored(session, draw_id)
    return {"record.json": json.dumps(draw.record, indent=1, sort_keys=True) + "\n",
            "pool.csv": draw_pool_csv(session, draw_id),
            "quotas.csv": draw_quotas_csv(session, draw_id)}
