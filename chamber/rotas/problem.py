"""A body's rota problem for a period, read from the database: the sittings of the period (its
calendar), the members serving in it with their seats, their declared unavailability and the
days outside their service, the unpopular sittings each has served before; and a stored rota as
`rota` sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, or_, select

from chamber.assemblies.services import delegates_in, named_seats
from chamber.bodies.models import Seat
from chamber.bodies.services import body, pattern
from chamber.clock import london
from chamber.db import fetch
from chamber.errors import Invalid, NotFound
from chamber.membership.models import Member, Unavailability
from chamber.rotas.models import Assignment, Pin, Rota
from chamber.sittings.models import Sitting
from rota import model as rota_model
from rota.calendar import UNPOPULAR_KINDS, Calendar, Slot
from rota.measure import measure
from rota.solve import Rota as SolvedRota


@dataclass(frozen=True, eq=False)
class Period:
    """A rota problem with the sittings its calendar's slots stand for (``sittings[i]`` is the
    sitting of slot ``i``), and each member's service (first day, last day or None).  The seats
    an assembly names (``named_seats``: seat id -> (code, assembly)) are not in the problem:
    ``delegates`` holds who was named for each (sitting, seat), serving that day."""

    problem: rota_model.RotaProblem
    sittings: tuple[int, ...]
    service: dict[str, tuple[date, date | None]]
    delegates: dict[tuple[int, int], str] = field(default_factory=dict)
    named_seats: dict[int, tuple[str, str]] = field(default_factory=dict)

    def serves_throughout(self, member: str, first: date, last: date) -> bool:
        """Whether a member serves every day from ``first`` to ``last``."""
        begins, ends = self.service[member]
        return begins <= first and (ends is None or ends >= last)


def serving(member: Member, first: date, last: date) -> bool:
    """Whether a member serves on any day from ``first`` to ``last``."""
    return member.serves_from <= last and (
        member.serves_until is None or member.serves_until >= first
    )


def period_calendar(
    session: Session, body_key: str, start: date, cycles: int
) -> tuple[Calendar, tuple[int, ...]]:
    """The calendar of a period: the body's sittings from ``start`` (a cycle's first day) for
    ``cycles`` cycles, and their ids."""
    sits = pattern(session, body_key)
    offset = (start - body(session, body_key).calendar_start).days
    if offset < 0 or offset % sits.cycle_days:
        raise Invalid(f"{start.isoformat()} is not the first day of a cycle of {body_key}")
    end = start + timedelta(days=cycles * sits.cycle_days)
    rows = session.exec(
        select(Sitting)
        .where(Sitting.body_key == body_key, col(Sitting.day) >= start, col(Sitting.day) < end)
        .order_by(col(Sitting.starts_at))
    ).all()
    if not rows:
        raise NotFound(
            f"body {body_key!r} has no sittings from {start.isoformat()} (extend its calendar)"
        )
    first = offset // sits.cycle_days
    slots = tuple(
        Slot(
            index=i, day=s.day, session=s.session, cycle=s.cycle - first,
            start=london(s.starts_at), end=london(s.ends_at), urgent_only=s.urgent_only,
        )
        for i, s in enumerate(rows)
    )
    calendar = Calendar(
        start=start, cycles=cycles, no_sitting=frozenset(), slots=slots,
        cycle_days=sits.cycle_days,
    )
    return calendar, tuple(int(s.id or 0) for s in rows)


HISTORY_DAYS = 365  # how far back the rotation of unpopular sittings looks
PARTIAL = 1e4
"""The cost of seating, in a cycle, a member who serves only part of it (joining or leaving):
more than any soft goal, less than an empty seat, so that those serving the whole cycle sit
first and a joiner fills only what is left."""


def rota_problem(
    session: Session, body_key: str, start: date, cycles: int, *, history: bool = True
) -> Period:
    """The rota problem of a body's period: the members serving in it and their seats (but not
    the seats an assembly names), their declared unavailability and every sitting outside their
    service (unavailable), the pins their whips made, and (with ``history``, for solving) the
    unpopular sittings each has served in published rotas before it."""
    calendar, sitting_ids = period_calendar(session, body_key, start, cycles)
    last_day = calendar.slots[-1].day
    named = named_seats(session, body_key, start)
    rows = session.execute(
        sa_select(
            col(Member.id), col(Seat.code), col(Member.group), col(Member.cycle),
            col(Member.name), col(Member.serves_from), col(Member.serves_until),
        )
        .join(Seat, col(Member.seat_id) == col(Seat.id))
        .where(col(Seat.body_key) == body_key, col(Member.serves_from) <= last_day)
        .where(or_(col(Member.serves_until).is_(None), col(Member.serves_until) >= start))
        .where(col(Seat.id).not_in(list(named)))
        .order_by(col(Seat.number), col(Member.id))
    ).all()
    if not rows:
        raise NotFound(f"body {body_key!r} has no members serving from {start.isoformat()}")
    members = tuple(rota_model.Member(i, seat, g, c, n) for i, seat, g, c, n, _, _ in rows)
    index = {m.id: i for i, m in enumerate(members)}
    problem = rota_model.plain_problem(calendar, members)
    days = np.array([s.day.toordinal() for s in calendar.slots])
    cycle_of = np.array([s.cycle for s in calendar.slots])
    first = np.array([r[5].toordinal() for r in rows])
    last = np.array([r[6].toordinal() if r[6] is not None else 10**7 for r in rows])
    outside = (days[None, :] < first[:, None]) | (days[None, :] > last[:, None])
    problem.unavailable[:] |= outside
    for i in np.flatnonzero(outside.any(axis=1)).tolist():
        # a member serving only part of a cycle sits there only where no one else can
        window = cycle_of - cycle_of % rows[i][3]
        partial = np.isin(window, np.unique(window[outside[i]]))
        problem.preference_cost[i, partial] += PARTIAL
    slot_at = {(s.day, s.session): s.index for s in calendar.slots}
    for member_id, day, session_name in session.exec(
        select(
            col(Unavailability.member_id), col(Unavailability.day), col(Unavailability.session)
        )
        .join(Member, col(Member.id) == col(Unavailability.member_id))
        .join(Seat, col(Seat.id) == col(Member.seat_id))
        .where(
            Seat.body_key == body_key,
            col(Unavailability.day) >= start,
            col(Unavailability.day) <= last_day,
        )
    ).all():
        s = slot_at.get((day, session_name))
        m = index.get(member_id)
        if s is not None and m is not None:
            problem.unavailable[m, s] = True
    if history:
        problem.unpopular_history[:] = _history(session, body_key, start, index)
    _pin(session, problem, sitting_ids, index)
    return Period(problem, sitting_ids, {r[0]: (r[5], r[6]) for r in rows},
                  _delegates(session, sitting_ids, named), named)


def _pin(
    session: Session, problem: rota_model.RotaProblem, sitting_ids: tuple[int, ...],
    index: dict[str, int],
) -> None:
    """Seat each pinned member in their sitting (``problem.pinned``)."""
    slot_at = {sitting: i for i, sitting in enumerate(sitting_ids)}
    for member_id, sitting_id in session.exec(
        select(Pin.member_id, Pin.sitting_id).where(col(Pin.sitting_id).in_(sitting_ids))
    ).all():
        m, s = index.get(member_id), slot_at.get(sitting_id)
        if m is None or s is None:
            continue
        cycle = problem.calendar.slots[s].cycle
        problem.pinned[m, cycle - cycle % problem.members[m].cycle] = s


def _delegates(
    session: Session, sitting_ids: tuple[int, ...], named: dict[int, tuple[str, str]]
) -> dict[tuple[int, int], str]:
    """(sitting, seat) -> the delegate named for it, for the seats assemblies name, if the
    delegate serves on the sitting's day."""
    found = delegates_in(session, sitting_ids, named)
    if not found:
        return {}
    days: dict[int, date] = {
        int(i or 0): d
        for i, d in session.exec(
            select(col(Sitting.id), col(Sitting.day)).where(col(Sitting.id).in_(sitting_ids))
        ).all()
    }
    terms = {
        m.id: m for m in session.exec(
            select(Member).where(col(Member.id).in_(set(found.values())))
        ).all()
    }
    return {
        key: member for key, member in found.items()
        if serving(terms[member], days[key[0]], days[key[0]])
    }


def _history(
    session: Session, body_key: str, start: date, index: dict[str, int]
) -> np.ndarray:
    """Per member, the weekday evenings, Saturday mornings and Saturday evenings they sat in
    published rotas in the year before ``start`` (the unpopular sittings, rotated fairly)."""
    out = np.zeros((len(index), len(UNPOPULAR_KINDS)), dtype=np.int64)
    for member_id, day, session_name in session.exec(
        select(col(Assignment.member_id), col(Sitting.day), col(Sitting.session))
        .join(Sitting, col(Assignment.sitting_id) == col(Sitting.id))
        .join(Rota, col(Assignment.rota_id) == col(Rota.id))
        .where(
            Rota.body_key == body_key, Rota.status == "published", col(Sitting.day) < start,
            col(Sitting.day) >= start - timedelta(days=HISTORY_DAYS),
        )
    ).all():
        saturday = day.weekday() == 5
        m = index.get(member_id)
        if m is not None and (saturday or session_name == "evening"):
            out[m, 2 if saturday and session_name == "evening" else 1 if saturday else 0] += 1
    return out


def stored_rota(session: Session, rota_id: int) -> Rota:
    return fetch(session, Rota, rota_id, "rota")


def slot_of(period: Period, assignments: list[tuple[str, int]]) -> np.ndarray:
    """Member x window slot indices of (member, sitting) assignments in a period (-1: none)."""
    problem = period.problem
    index = {m.id: i for i, m in enumerate(problem.members)}
    slot_at = {sitting: i for i, sitting in enumerate(period.sittings)}
    out = np.full((len(problem.members), problem.windows), -1, dtype=np.int64)
    for member_id, sitting_id in assignments:
        m, s = index.get(member_id), slot_at.get(sitting_id)
        if m is None or s is None:
            continue
        cycle = problem.calendar.slots[s].cycle
        out[m, cycle - cycle % problem.members[m].cycle] = s
    return out


def assignments_of(session: Session, rota_id: int) -> list[tuple[str, int]]:
    """(member, sitting) of every assignment of a rota."""
    return [
        (m, int(s))
        for m, s in session.exec(
            select(Assignment.member_id, Assignment.sitting_id).where(
                Assignment.rota_id == rota_id
            )
        ).all()
    ]


def load_rota(session: Session, rota_id: int) -> tuple[Period, SolvedRota]:
    """A stored rota as `rota` sees it, with its period (re-measured against today's declared
    availability and membership)."""
    stored = stored_rota(session, rota_id)
    period = rota_problem(session, stored.body_key, stored.start, stored.cycles, history=False)
    solved = measure(period.problem, slot_of(period, assignments_of(session, rota_id)), 0.0, 0.0, 0)
    return period, solved


def begun(period: Period, now: datetime) -> np.ndarray:
    """Which slots of the period have begun by ``now``."""
    return np.array([s.start <= now for s in period.problem.calendar.slots], dtype=bool)
