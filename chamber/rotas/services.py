"""Rotas as transactions: solve a body's period of whole cycles, and publish it only when every
seat of every sitting has its member; re-solve a published rota, changing as little as
possible, when membership changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from sqlmodel import Session, col, delete, func, select

from chamber.audit.services import append
from chamber.bodies.models import Seat
from chamber.bodies.services import bodies, body, pattern
from chamber.errors import Invalid, Refused
from chamber.membership.models import Member
from chamber.membership.services import has_members
from chamber.notices.services import notify_members
from chamber.rotas.models import Assignment, Rota
from chamber.rotas.problem import Period, assignments_of, begun, rota_problem, slot_of
from rota.explain import conflicts
from rota.solve import Rota as SolvedRota
from rota.solve import solve


def period_cycles(session: Session, body_key: str) -> int:
    """The cycles of one rota period of a body: enough for every sharer to sit once (two on the
    national pattern, where youth sharers sit once in four weeks)."""
    longest = session.exec(
        select(func.max(Member.cycle))
        .join(Seat, col(Member.seat_id) == col(Seat.id))
        .where(Seat.body_key == body_key)
    ).one()
    return int(longest or 1)


def _empty_seats(period: Period, solved: SolvedRota) -> list[str]:
    """Every problem that keeps a rota from being published: each seat left empty in a sitting
    (an assembly's seat without a named delegate included), each member rostered in a sitting
    they cannot attend (declared, or outside their service), and each member serving the whole
    of a cycle who has no sitting in it."""
    problem = period.problem
    slots = problem.calendar.slots
    out = [
        f"seat {seat} has no member in the {slots[s].label} sitting" for seat, s in solved.unfilled
    ]
    for m, w in zip(*np.nonzero(solved.slot_of >= 0), strict=True):
        s = int(solved.slot_of[m, w])
        if problem.unavailable[m, s]:
            member = problem.members[m]
            out.append(
                f"seat {member.seat} has no member who can sit in the {slots[s].label} sitting "
                f"({member.id}, the only one left, cannot)"
            )
    for seat_id, (code, assembly) in period.named_seats.items():
        out.extend(
            f"seat {code} has no delegate named by the {assembly} assembly for the "
            f"{slots[s].label} sitting"
            for s, sitting in enumerate(period.sittings)
            if (sitting, seat_id) not in period.delegates
        )
    days = problem.calendar.cycle_days
    for member_id, window in solved.without_slot:
        span = next(x.cycle for x in problem.members if x.id == member_id)
        first = problem.calendar.start + timedelta(days=window * days)
        last = first + timedelta(days=span * days - 1)
        if period.serves_throughout(member_id, first, last):
            out.append(f"{member_id} has no sitting in the cycle from {first}")
    return out


def _store(session: Session, rota: Rota, period: Period, solved: SolvedRota) -> None:
    """Write a solved rota's assignments: only what changed from what it had (a re-solve moves
    a few members of thousands)."""
    assert rota.id is not None
    seat_ids = dict(
        session.exec(select(Seat.code, Seat.id).where(Seat.body_key == rota.body_key)).all()
    )
    wanted = {
        (period.sittings[s], member.id): seat_ids[member.seat]
        for m, member in enumerate(period.problem.members)
        for s in solved.slot_of[m].tolist()
        if s >= 0
    }
    wanted.update(
        ((sitting, member), seat) for (sitting, seat), member in period.delegates.items()
    )
    stored = {
        (sitting, member): assignment
        for assignment, sitting, member in session.exec(
            select(col(Assignment.id), col(Assignment.sitting_id), col(Assignment.member_id))
            .where(Assignment.rota_id == rota.id)
        ).all()
    }
    gone = [a for key, a in stored.items() if key not in wanted]
    if gone:
        session.execute(delete(Assignment).where(col(Assignment.id).in_(gone)))
    rows = [
        {"rota_id": rota.id, "sitting_id": sitting, "seat_id": seat, "member_id": member}
        for (sitting, member), seat in wanted.items()
        if (sitting, member) not in stored
    ]
    if rows:
        session.execute(Assignment.__table__.insert(), rows)  # type: ignore[attr-defined]
    rota.summary = {
        "objective": solved.objective,
        "bound": solved.bound,
        "gap": solved.gap,
        "violations": solved.violations,
        "unavailable_assigned": solved.unavailable_assigned,
        "unfilled": len(solved.unfilled),
        "without_slot": len(solved.without_slot),
        "seconds": solved.seconds,
    }


def solve_and_publish(
    session: Session, body_key: str, start: date, cycles: int, now: datetime
) -> int:
    """Solve a body's rota for a period of whole cycles from ``start`` and publish it; returns
    the rota's id.  A rota that leaves any seat of any sitting empty is never published: the
    refusal names each empty seat and sitting and what would fix it."""
    period = rota_problem(session, body_key, start, cycles)
    solved = solve(period.problem)
    empty = _empty_seats(period, solved)
    if empty:
        fixes = [c.describe() for c in conflicts(period.problem)]
        raise Refused(
            f"the rota of {body_key} from {start.isoformat()} was not published: "
            + "; ".join(empty[:10]) + (f" (and {len(empty) - 10} more)" if len(empty) > 10 else "")
            + (". To fix: " + "; ".join(fixes[:10]) if fixes else "")
        )
    rota = Rota(body_key=body_key, start=start, cycles=cycles, solved_at=now, summary={},
                status="published", published_at=now)
    session.add(rota)
    session.flush()
    _store(session, rota, period, solved)
    append(
        session, "rota published",
        {"rota": rota.id, "body": body_key, "start": start.isoformat(), "cycles": cycles}, now,
    )
    assert rota.id is not None
    sitting_members = session.exec(
        select(Assignment.member_id).where(Assignment.rota_id == rota.id).distinct()
    ).all()
    notify_members(
        session, sitting_members, "Your sittings are published",
        f"The rota from {start:%d %B %Y} is published: your sittings are on your rota.",
        "/me/rota", now,
    )
    return rota.id


def next_period_start(session: Session, body_key: str, today: date) -> date:
    """The first day of a body's next rota period: after its last rota, else the first cycle
    that starts after ``today``."""
    last = session.exec(
        select(Rota).where(Rota.body_key == body_key).order_by(col(Rota.start).desc())
    ).first()
    days = pattern(session, body_key).cycle_days
    if last is not None:
        return last.start + timedelta(days=last.cycles * days)
    first = body(session, body_key).calendar_start
    if first > today:
        return first
    return first + timedelta(days=((today - first).days // days + 1) * days)


def due_periods(session: Session, today: date, lead_days: int) -> list[tuple[str, date, int]]:
    """(body, first day, cycles) of every rota period due to be published by ``today``: each
    that starts within ``lead_days``, for every body with members, in order."""
    due = []
    for key in bodies(session):
        if not has_members(session, key):
            continue
        cycles = period_cycles(session, key)
        days = pattern(session, key).cycle_days
        start = next_period_start(session, key, today)
        while start - timedelta(days=lead_days) <= today:
            due.append((key, start, cycles))
            start += timedelta(days=cycles * days)
    return due


def resolve_rota(session: Session, rota_id: int, now: datetime) -> list[str]:
    """Re-solve a published rota after its membership changed (a member left, another joined):
    every sitting that has begun keeps who sat in it, and everyone else stays where they were
    unless they must move.  Returns what is still wrong (each empty seat), for the clerks."""
    rota = session.get(Rota, rota_id)
    assert rota is not None
    # no history: the old rota already rotated the unpopular sittings; stability decides now
    period = rota_problem(session, rota.body_key, rota.start, rota.cycles, history=False)
    problem = period.problem
    old = slot_of(period, assignments_of(session, rota_id))
    started = begun(period, now)
    pinned = np.where((old >= 0) & started[np.clip(old, 0, None)], old, -1)
    problem.previous[:] = old
    problem.pinned[:] = np.where(pinned >= 0, pinned, problem.pinned)  # begun, then the whips'
    solved = solve(problem)
    rota.solved_at = now
    _store(session, rota, period, solved)
    moved = [
        problem.members[m].id for m in np.flatnonzero((solved.slot_of != old).any(axis=1))
    ]
    append(session, "rota re-solved", {"rota": rota_id, "moved": moved}, now)
    return _empty_seats(period, solved)


def rotas_covering(session: Session, body_key: str, day: date) -> list[int]:
    """The published rotas of a body whose period runs on or after ``day``."""
    days = pattern(session, body_key).cycle_days
    return [
        int(r.id or 0)
        for r in session.exec(
            select(Rota).where(Rota.body_key == body_key, Rota.status == "published")
        ).all()
        if r.start + timedelta(days=r.cycles * days) > day
    ]


@dataclass(frozen=True, slots=True)
class PeriodOf:
    """The rota period a day falls in: its first day, its cycles, and its rota if one is
    stored (None: not yet solved)."""

    start: date
    cycles: int
    rota: Rota | None

    def last_day(self, cycle_days: int) -> date:
        return self.start + timedelta(days=self.cycles * cycle_days - 1)


def period_of(session: Session, body_key: str, day: date) -> PeriodOf:
    """The rota period of a body that ``day`` falls in: a stored rota's, or the period it will
    be in when the rotas continue from the last one (from the calendar's start if none)."""
    days = pattern(session, body_key).cycle_days
    rotas = session.exec(
        select(Rota).where(Rota.body_key == body_key).order_by(col(Rota.start))
    ).all()
    for r in rotas:
        if r.start <= day < r.start + timedelta(days=r.cycles * days):
            return PeriodOf(r.start, r.cycles, r)
    cycles = period_cycles(session, body_key)
    base = body(session, body_key).calendar_start
    if rotas and day >= rotas[-1].start:
        base = rotas[-1].start + timedelta(days=rotas[-1].cycles * days)
    if day < base:
        raise Invalid(f"{body_key} has no rota period on {day} (its calendar starts on {base})")
    length = cycles * days
    return PeriodOf(base + timedelta(days=(day - base).days // length * length), cycles, None)
