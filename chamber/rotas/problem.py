"""A body's rota problem read from the database, and a stored rota as `rota` sees it."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlmodel import Session, col, select

from chamber.db import fetch
from chamber.errors import NotFound
from chamber.membership.models import Unavailability
from chamber.membership.services import members_of
from chamber.rotas.models import Assignment, Rota, Slot
from rota import model as rota_model
from rota.calendar import UNPOPULAR_KINDS, make_calendar
from rota.solve import Rota as SolvedRota
from rota.solve import measure


def rota_problem(
    session: Session, body_key: str, start: date, fortnights: int
) -> rota_model.RotaProblem:
    """The rota problem of a body's period: its members and seats, their declared
    unavailability, and the unpopular slots each has served in published rotas."""
    calendar = make_calendar(start, fortnights)
    rows = members_of(session, body_key)
    if not rows:
        raise NotFound(f"body {body_key!r} has no members")
    members = tuple(rota_model.Member(m.id, s.code, m.group, m.cycle, m.name) for m, s in rows)
    index = {m.id: i for i, m in enumerate(members)}
    problem = rota_model.plain_problem(calendar, members)
    slot_at = {(s.day, s.session): s.index for s in calendar.slots}
    for member_id, day, session_name in session.exec(
        select(
            col(Unavailability.member_id), col(Unavailability.day), col(Unavailability.session)
        ).where(
            col(Unavailability.day) >= calendar.slots[0].day,
            col(Unavailability.day) <= calendar.slots[-1].day,
            col(Unavailability.member_id).in_(list(index)),
        )
    ).all():
        s = slot_at.get((day, session_name))
        if s is not None:
            problem.unavailable[index[member_id], s] = True
    history = np.zeros((len(members), len(UNPOPULAR_KINDS)), dtype=np.int64)
    for member_id, day, session_name in session.exec(
        select(col(Assignment.member_id), col(Slot.day), col(Slot.session))
        .join(Slot, col(Assignment.slot_id) == col(Slot.id))
        .join(Rota, col(Slot.rota_id) == col(Rota.id))
        .where(Rota.body_key == body_key, Rota.status == "published", col(Slot.day) < start)
    ).all():
        saturday = day.weekday() == 5
        kind = 2 if saturday and session_name == "evening" else 1 if saturday else 0
        if member_id in index:
            history[index[member_id], kind] += 1
    problem.unpopular_history[:] = history
    return problem


def stored_rota(session: Session, rota_id: int) -> Rota:
    return fetch(session, Rota, rota_id, "rota")


def load_rota(session: Session, rota_id: int) -> SolvedRota:
    """A stored rota as `rota` sees it (re-measured against today's declared availability)."""
    stored = stored_rota(session, rota_id)
    rows = session.exec(
        select(Assignment.member_id, Slot.number)
        .join(Slot, col(Slot.id) == col(Assignment.slot_id))
        .where(Slot.rota_id == rota_id)
    ).all()
    problem = rota_problem(session, stored.body_key, stored.start, stored.fortnights)
    index = {m.id: i for i, m in enumerate(problem.members)}
    slot_of = np.full((len(problem.members), problem.windows), -1, dtype=np.int64)
    for member_id, number in rows:
        m = index[member_id]
        slot = problem.calendar.slots[number]
        slot_of[m, slot.fortnight - slot.fortnight % problem.members[m].cycle] = number
    return measure(problem, slot_of, 0.0, 0.0, 0)
