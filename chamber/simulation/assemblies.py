"""The interest assemblies of a simulated chamber, as their officers would run them: registered
after the first rota is published (so they name delegates from the second period on), each with
an officer who shares one of its seats, and each naming its delegates for a rota period in the
days before the deadline (`chamber.officers.delegates`).

A simulated officer names every place of the period, each seat's sharers each sitting once a
cycle where their declared unavailability allows (an assignment per seat and cycle, by
`scipy.optimize.linear_sum_assignment`); a place nobody can take is left unnamed, which holds
the rota back and alerts the clerks, as it would for a real assembly."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.assemblies.services import assemblies_of, seats_of
from chamber.bodies.services import pattern
from chamber.db import perform, transaction
from chamber.membership.models import Member, Unavailability
from chamber.officers.delegates import Naming, name_delegates, register_assemblies, unnamed
from chamber.officers.rules import delegate_deadline
from chamber.officers.services import appoint
from chamber.rotas.problem import serving
from chamber.rotas.services import next_period_start, period_cycles
from chamber.simulation.actors import at
from chamber.sittings.models import Sitting

NAMING_DAYS = 21  # an officer names a period's delegates three weeks before the deadline (before
# the nightly job would alert the clerks, two weeks before the rota is due)
UNABLE = 1_000  # the cost of seating someone who cannot sit: never chosen while another can


def install(engine: Engine, body_key: str, day: date, serving_from: date) -> dict[int, str]:
    """Register the body's assemblies on ``day`` and give each an officer from
    ``serving_from`` (the first sharer of its first seat); {assembly id: officer}."""
    perform(engine, register_assemblies, body_key, at(day, 10))
    officers: dict[int, str] = {}
    with transaction(engine) as session:
        for view in assemblies_of(session, body_key):
            seat = seats_of(session, view.id)[0]
            first = session.exec(
                select(Member.id).where(Member.seat_id == seat.id,
                                        col(Member.serves_from) <= serving_from)
                .order_by(col(Member.id))
            ).first()
            if first is None:
                continue
            appoint(session, body_key, "assembly officer", first, holds_from=serving_from,
                    by="simulation", now=at(day, 10), assembly_id=view.id)
            officers[view.id] = first
    return officers


def name_due(engine: Engine, body_key: str, officers: dict[int, str], today: date,
             lead_days: int) -> int:
    """Each officer names the unnamed places of the next unpublished rota period when its
    deadline is at most `NAMING_DAYS` away (or has passed: the rota is held for them), before
    the night's rota run; how many places were named."""
    with transaction(engine, write=False) as session:
        start = next_period_start(session, body_key, today)
        deadline = delegate_deadline(start, lead_days)
        if today < deadline - timedelta(days=NAMING_DAYS):
            return 0  # past the deadline, the places of a held rota may still be named
        days = pattern(session, body_key).cycle_days
        last = start + timedelta(days=period_cycles(session, body_key) * days - 1)
        plans = {a: _plan(session, a, start, last, today) for a in officers}
    named = 0
    for assembly_id, namings in plans.items():
        if namings:
            named += perform(engine, name_delegates, officers[assembly_id], assembly_id,
                             namings, now=at(today, 2), lead_days=lead_days)
    return named


def _plan(session: Session, assembly_id: int, first: date, last: date,
          today: date) -> list[Naming]:
    """Delegates for an assembly's unnamed places from ``first`` to ``last``: per seat and
    cycle, each sharer serving in it once, on a day they serve and can sit."""
    places = unnamed(session, assembly_id, first, last)
    if not places:
        return []
    seats = {s.code: s.id for s in seats_of(session, assembly_id)}
    sharers = {
        code: list(session.exec(select(Member).where(Member.seat_id == seat_id)
                                .order_by(col(Member.id))).all())
        for code, seat_id in seats.items()
    }
    ids = [m.id for ms in sharers.values() for m in ms]
    unable = set(session.exec(
        select(col(Unavailability.member_id), col(Unavailability.day),
               col(Unavailability.session))
        .where(col(Unavailability.member_id).in_(ids), col(Unavailability.day) >= first,
               col(Unavailability.day) <= last)
    ).all())
    cycles = dict(session.exec(
        select(col(Sitting.id), col(Sitting.cycle))
        .where(col(Sitting.id).in_({s.id for s, _ in places}))
    ).all())
    groups: dict[tuple[str, int], list[tuple[int, date, str]]] = defaultdict(list)
    for sitting, code in places:
        groups[(code, cycles[sitting.id])].append((sitting.id, sitting.day, sitting.session))
    out = []
    for (code, _), slots in sorted(groups.items()):
        people = [m for m in sharers[code] if serving(m, slots[0][1], slots[-1][1])]
        if not people:
            continue
        cost = np.array([[UNABLE if (m.id, day, s) in unable or not serving(m, day, day) else 0
                          for m in people] for _, day, s in slots])
        if len(people) < len(slots):  # fewer sharers than places: some sit twice
            cost = np.tile(cost, (1, -(-len(slots) // len(people))))
        rows, cols = linear_sum_assignment(cost)
        for r, c in zip(rows, cols, strict=True):
            if cost[r, c] < UNABLE:
                out.append(Naming(slots[r][0], code, people[c % len(people)].id))
    return out
