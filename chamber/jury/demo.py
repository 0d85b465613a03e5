"""The demonstration's stored jury, its experts and a citizens' panel (`chamber seed --demo`),
made through the same services as the panel officer's pages.

Before the chamber's first rota (`seat_before_rotas`, called with the routes): the national
jury's pool of volunteers is imported and three months of jury draws are made, each on its draw
day three months before its cohort serves (cohorts 9, 8 and 7 months before the demonstration's
last day, so that the first of them is due to leave within the extension window then, after
every rota already published), most invited accepting by letter and a few declining; the
crossbench peers are seated as the first experts; the local health and care panel is installed,
given its remit and drawn, and
those drawn accept.  On the demonstration's last day (`today`): the serving jurors vote on the
month's extensions ballot (left open: the scheduled job counts it on the draw day), the jury
appoints the Health experts by STV (the invented experts of that seat leave when they begin),
two whip-taking peers are put to the jury and decided, and the panel's meetings and its scrutiny
report and recommendations are published."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.bodies import LOCAL_HEALTH_PANEL
from chamber.bodies.models import Seat
from chamber.bodies.services import install_body
from chamber.clock import LONDON
from chamber.db import perform, transaction
from chamber.jury.ballot import cast_vote, open_ballot
from chamber.jury.citizens import create_panel, publish_output, schedule_meetings
from chamber.jury.cycle import draw_cohort
from chamber.jury.expert_peers import (
    answer_peer,
    decide_peer,
    propose_peers,
    seat_crossbench_peers,
)
from chamber.jury.experts import (
    cast_expert_vote,
    count_experts,
    field_seats,
    nominate,
    nominations,
    open_experts_ballot,
)
from chamber.jury.lottery import LOTTERIES, Lottery
from chamber.jury.models import JuryInvitation, JuryPlace
from chamber.jury.panel import draw_panel
from chamber.jury.places import answer, first_day, index, label, month_of
from chamber.jury.pool import import_pool
from chamber.membership.models import Member
from chamber.rotas.changes import end_service
from chamber.routes import synthetic as syn

NATIONAL = LOTTERIES["national"]
PANEL = LOTTERIES["local-health-panel"]
TYPES = 60  # kinds of volunteer in the synthetic pools (the lottery works on types: fast)
DECLINE = 5  # of each draw, this many decline


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LONDON)


def pool_text(lottery: Lottery, people: int, rng: np.random.Generator, tag: str) -> str:
    """An import file of ``people`` volunteers of ``TYPES`` kinds, each feature's values about
    as common as the middle of their quotas."""
    columns: list[list[str]] = []
    for f in lottery.features:
        mid = np.array([sum(q.min + q.max for q in lottery.quotas
                            if q.feature == f.key and q.value == v) for v in f.values], float)
        counts = np.maximum(1, np.floor(mid / mid.sum() * TYPES)).astype(int)
        while counts.sum() < TYPES:
            counts[int(np.argmax(mid / mid.sum() * TYPES - counts))] += 1
        while counts.sum() > TYPES:
            counts[int(np.argmax(counts))] -= 1
        values = [v for v, n in zip(f.values, counts, strict=True) for _ in range(n)]
        columns.append([values[i] for i in rng.permutation(TYPES)])
    names = syn.people(rng, people)
    keys = ",".join(f.key for f in lottery.features)
    lines = [f"id,name,email,consent,{keys}"]
    for i in range(people):
        kind = ",".join(c[i % TYPES] for c in columns)
        lines.append(f"{tag}{i:05d},{names[i]},{tag}{i:05d}@example.org,yes,{kind}")
    return "\n".join(lines) + "\n"


def _answer_all(session: Session, draw_id: int, now: datetime, declines: int) -> None:
    invitations = session.exec(select(JuryInvitation).where(
        JuryInvitation.draw_id == draw_id).order_by(col(JuryInvitation.id))).all()
    for n, invitation in enumerate(invitations):
        answer(session, invitation.id or 0, n >= declines, now)


def seat_before_rotas(engine: Engine, first: date, today: date, now: datetime,
                      seed: str) -> None:
    """The stored jury's first three cohorts, the crossbench peers and the panel, before the
    chamber's first rota (see the module's docstring)."""
    rng = np.random.default_rng(list(f"jury {seed}".encode()))
    start = index(month_of(_at(today, 12)))
    cohorts = [label(start - 9 + k) for k in range(3)]
    imported = _at(first_day(label(index(cohorts[0]) - 3)), 9) - timedelta(days=20)
    perform(engine, import_pool, NATIONAL, "volunteers.csv",
            pool_text(NATIONAL, 2_000, rng, "n"), imported)
    for k, month in enumerate(cohorts):
        drawn = _at(first_day(label(index(month) - 3)), 6)
        draw_id = perform(engine, draw_cohort, NATIONAL, month, f"{seed} jury {month}", drawn,
                          accept_days=14, lead_months=3)
        with transaction(engine) as session:
            _answer_all(session, draw_id, drawn + timedelta(days=5 + k), DECLINE)
    peers = syn.people(rng, 30)
    fields = ("Law", "Health", "Economics", "History", "Ethics")
    text = "name,field\n" + "".join(
        f"{name},{fields[n] if n < len(fields) else ''}\n" for n, name in enumerate(peers))
    perform(engine, seat_crossbench_peers, NATIONAL, "crossbench-peers.csv", text, first, now)
    perform(engine, install_body, LOCAL_HEALTH_PANEL, first)
    perform(engine, import_pool, PANEL, "panel-volunteers.csv", pool_text(PANEL, 400, rng, "h"),
            now)
    perform(engine, create_panel, PANEL,
            "Should the county's health and care plan merge the two community hospitals' "
            "inpatient beds into one site?", "residents of the county aged 16 and over",
            ["scrutinise", "advise"], now)
    panel_draw = perform(engine, draw_panel, PANEL, month_of(_at(first, 12)), 6,
                         f"{seed} panel", now, accept_days=14)
    with transaction(engine) as session:
        _answer_all(session, panel_draw, now + timedelta(days=2), 0)


def seated_before_rotas(engine: Engine, body_key: str) -> Counter[str]:
    """Seat code -> the places the stored jury and the crossbench peers hold."""
    with transaction(engine, write=False) as session:
        return Counter(session.exec(
            select(Seat.code).join(Member, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == body_key)).all())


def _serving(session: Session, month: str) -> list[int]:
    return [p.id or 0 for p in session.exec(select(JuryPlace).where(
        JuryPlace.body_key == NATIONAL.body, JuryPlace.status == "serving",
        col(JuryPlace.cohort) <= month, col(JuryPlace.term_end) > month)
        .order_by(col(JuryPlace.id))).all()]


def _jurors_vote(session: Session, now: datetime, rng: np.random.Generator) -> None:
    """The serving jurors vote (by letter) on the month's extensions ballot."""
    month = month_of(now)
    ballot = open_ballot(session, NATIONAL, month, now)
    for place in _serving(session, month)[: 3 * len(_serving(session, month)) // 4]:
        if ballot.candidates:
            order = rng.permutation(len(ballot.candidates))[: 12]
            cast_vote(session, ballot.id or 0, [ballot.candidates[i] for i in order], now,
                      place_id=place)


def _experts(engine: Engine, now: datetime, seed: str, rng: np.random.Generator) -> int:
    """The jury appoints the Health experts; two whip-taking peers are put to it."""
    month = month_of(now)
    begins = first_day(label(index(month) + 3))
    with transaction(engine) as session:
        _, seats = field_seats(session, NATIONAL, "Health")
        _, open_seats = field_seats(session, NATIONAL, "Open seats (any field)")
        leaving = session.exec(select(Member).where(
            col(Member.seat_id).in_([seats[0].id, open_seats[-1].id]),
            col(Member.serves_until).is_(None))).all()
        for m in leaving:  # the invented experts leave as the appointed ones begin
            end_service(session, m.id, begins - timedelta(days=1), now)
    ballot = perform(engine, open_experts_ballot, NATIONAL, "Health", begins, now, places=8)
    for name in syn.people(rng, 12):
        perform(engine, nominate, NATIONAL, "Health", name,
                str(rng.choice(["general practice", "public health", "nursing", "surgery",
                                "social care", "mental health"])), now)
    with transaction(engine) as session:
        places = _serving(session, month)
        nominees = [n.id or 0 for n in nominations(session, ballot)]
        for place in places[: 2 * len(places) // 3]:
            order = rng.permutation(len(nominees))[:6]
            cast_expert_vote(session, ballot, [nominees[i] for i in order], now,
                             place_id=place)
    perform(engine, count_experts, NATIONAL, ballot, f"{seed} experts", now)
    questions = perform(engine, propose_peers, NATIONAL, "whip-taking-peers.csv",
                        "name,party\n" + "".join(f"{n},{p}\n" for n, p in zip(
                            syn.people(rng, 2), ("Labour", "Conservative"), strict=True)), now)
    with transaction(engine) as session:
        places = _serving(session, month)
        for q, share in zip(questions, (0.7, 0.35), strict=True):
            for place in places[: len(places) // 2]:
                answer_peer(session, q, bool(rng.random() < share), now, place_id=place)
    for q in questions:
        perform(engine, decide_peer, NATIONAL, q, begins, now)
    return ballot


def on_the_day(engine: Engine, today: date, seed: str) -> int:
    """The demonstration's last day (see the module's docstring).  Returns the experts'
    ballot."""
    rng = np.random.default_rng(list(f"jury today {seed}".encode()))
    now = _at(today, 11)
    with transaction(engine) as session:
        _jurors_vote(session, now, rng)
    ballot = _experts(engine, now, seed, rng)
    drawn = first_day(month_of(now))
    perform(engine, schedule_meetings, PANEL.body, drawn, today + timedelta(days=28),
            "County Hall, Committee Room 2")
    perform(engine, publish_output, PANEL.body, "scrutiny report",
            "The merger of inpatient beds, examined",
            "The panel heard the trust, both hospitals' staff and patients' groups over four "
            "evenings. The case for one site rests on staffing; the plan does not show how "
            "patients without a car would reach it, nor what the second site would keep.", now)
    for title, text in (
        ("Publish the travel analysis", "Publish the travel times by bus to the single site "
         "from every ward before the board decides."),
        ("Keep step-down beds on both sites", "Whatever is merged, keep step-down and "
         "rehabilitation beds at both hospitals."),
    ):
        perform(engine, publish_output, PANEL.body, "recommendation", title, text, now)
    return ballot
