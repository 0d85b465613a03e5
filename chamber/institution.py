"""The institution as transactions: bodies and their seats, members and roles, rotas solved by
`rota` and published with their sittings, business planned a month ahead, invitations to speak,
debates and speeches.

Every function takes an engine and runs one transaction; a refusal raises `VotingError` (the
package's one exception type, a ``ValueError``) with its reason, and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.bodies import composition
from chamber.db import writing
from chamber.divisions.services import audit
from chamber.models import (
    ROLES,
    Assignment,
    Body,
    BusinessItem,
    Category,
    Debate,
    Invitation,
    Member,
    Rota,
    Seat,
    Sitting,
    Slot,
    Speech,
    Unavailability,
)
from chamber.voting import VotingError, may_plan, may_speak
from rota import model as rota_model
from rota.calendar import UNPOPULAR_KINDS, make_calendar
from rota.solve import Rota as SolvedRota
from rota.solve import solve

CYCLES = {"fortnightly": 1, "four-weekly": 2}


def utc(moment: datetime) -> datetime:
    """A naive time is taken as UTC (the rota's calendar is naive; the database is not)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- bodies, seats and members ----------------------------------------------------------------


def install_body(engine: Engine, body: composition.Body) -> int:
    """Store a body with its categories and seats (``S000``, ``S001``, ... in category order);
    returns the number of seats.  Installing a body twice is refused."""
    with Session(writing(engine)) as session:
        if session.get(Body, body.key) is not None:
            raise VotingError(f"body {body.key!r} is already installed")
        session.add(
            Body(
                key=body.key, title=body.title, expected_seats=body.expected_seats,
                spec=body.as_dict(),
            )
        )
        number = 0
        for cat in body.categories:
            category = Category(
                body_key=body.key, key=cat.key, title=cat.title, seats=cat.seats,
                sharers_per_seat=cat.sharers_per_seat, cycle=cat.cycle,
            )
            session.add(category)
            session.flush()
            assert category.id is not None
            for _ in range(cat.seats):
                session.add(
                    Seat(
                        body_key=body.key, category_id=category.id, code=f"S{number:03d}",
                        number=number + 1,
                    )
                )
                number += 1
        session.commit()
        return number


@dataclass(frozen=True, slots=True)
class NewMember:
    id: str
    name: str
    seat: str  # seat code
    group: str
    role: str = "member"


def add_members(engine: Engine, body_key: str, members: Sequence[NewMember]) -> int:
    """Add members to the seats of a body.  Every problem (unknown seat, unknown role, a seat
    given more sharers than its category has, a duplicate id) is listed and nothing is stored."""
    with Session(writing(engine)) as session:
        seats = {
            s.code: (s, c)
            for s, c in session.exec(
                select(Seat, Category)
                .join(Category, col(Seat.category_id) == col(Category.id))
                .where(Seat.body_key == body_key)
            ).all()
        }
        if not seats:
            raise VotingError(f"body {body_key!r} has no seats (install it first)")
        taken = dict(
            session.exec(
                select(Seat.code, func.count(col(Member.id)))
                .join(Member, col(Member.seat_id) == col(Seat.id))
                .where(Seat.body_key == body_key)
                .group_by(Seat.code)
            ).all()
        )
        existing = set(
            session.exec(select(Member.id).where(col(Member.id).in_([m.id for m in members])))
        )
        problems: list[str] = []
        seen: set[str] = set()
        for n, m in enumerate(members, start=1):
            where = f"member {n} ({m.id})"
            if m.id in seen or m.id in existing:
                problems.append(f"{where}: the id is already used")
            seen.add(m.id)
            if m.seat not in seats:
                problems.append(f"{where}: no seat {m.seat!r} in {body_key}")
                continue
            if m.role not in ROLES:
                problems.append(f"{where}: role {m.role!r} is not one of {', '.join(ROLES)}")
            taken[m.seat] = taken.get(m.seat, 0) + 1
        for code, n in taken.items():
            limit = seats[code][1].sharers_per_seat
            if n > limit:
                problems.append(f"seat {code} would have {n} sharers; its category has {limit}")
        if problems:
            raise VotingError("; ".join(problems[:20]) + (" ..." if len(problems) > 20 else ""))
        session.add_all(
            Member(
                id=m.id, name=m.name, seat_id=seats[m.seat][0].id, group=m.group, role=m.role,
                cycle=CYCLES.get(seats[m.seat][1].cycle, 1),
            )
            for m in members
        )
        session.commit()
        return len(members)


def set_role(engine: Engine, member_id: str, role: str) -> None:
    if role not in ROLES:
        raise VotingError(f"role {role!r} is not one of {', '.join(ROLES)}")
    with Session(writing(engine)) as session:
        member = session.get(Member, member_id)
        if member is None:
            raise VotingError(f"no member {member_id!r}")
        member.role = role
        session.commit()


def declare_unavailable(
    engine: Engine, member_id: str, days: Iterable[tuple[date, str]]
) -> None:
    """Record the (day, session) pairs a member cannot sit; the next rota avoids them."""
    with Session(writing(engine)) as session:
        if session.get(Member, member_id) is None:
            raise VotingError(f"no member {member_id!r}")
        for day, session_name in days:
            if session_name not in ("morning", "evening"):
                raise VotingError(f"session must be morning or evening, not {session_name!r}")
            session.add(Unavailability(member_id=member_id, day=day, session=session_name))
        session.commit()


# -- rotas ------------------------------------------------------------------------------------


def _members(session: Session, body_key: str) -> list[tuple[Member, Seat]]:
    return list(
        session.exec(
            select(Member, Seat)
            .join(Seat, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == body_key)
            .order_by(col(Seat.number), col(Member.id))
        ).all()
    )


def rota_problem(
    engine: Engine, body_key: str, start: date, fortnights: int
) -> rota_model.RotaProblem:
    """The rota problem of a body's period from the database: its members and seats, their
    declared unavailability, and the unpopular slots each has served in published rotas."""
    calendar = make_calendar(start, fortnights)
    with Session(engine) as session:
        rows = _members(session, body_key)
        if not rows:
            raise VotingError(f"body {body_key!r} has no members")
        members = tuple(
            rota_model.Member(m.id, s.code, m.group, m.cycle, m.name) for m, s in rows
        )
        index = {m.id: i for i, m in enumerate(members)}
        problem = rota_model.plain_problem(calendar, members)
        slot_at = {(s.day, s.session): s.index for s in calendar.slots}
        for member_id, day, session_name in session.exec(
            select(Unavailability.member_id, Unavailability.day, Unavailability.session).where(
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
            select(Assignment.member_id, Slot.day, Slot.session)
            .join(Slot, col(Assignment.slot_id) == col(Slot.id))
            .join(Rota, col(Slot.rota_id) == col(Rota.id))
            .where(
                Rota.body_key == body_key,
                Rota.status == "published",
                col(Slot.day) < start,
            )
        ).all():
            saturday = day.weekday() == 5
            kind = 2 if saturday and session_name == "evening" else 1 if saturday else 0
            if member_id in index:
                history[index[member_id], kind] += 1
        problem.unpopular_history[:] = history
    return problem


def store_rota(engine: Engine, body_key: str, solved: SolvedRota, now: datetime) -> int:
    """Store a solved rota (draft) with its slots and assignments; returns its id."""
    problem = solved.problem
    with Session(writing(engine)) as session:
        seat_ids = dict(
            session.exec(select(Seat.code, Seat.id).where(Seat.body_key == body_key)).all()
        )
        rota = Rota(
            body_key=body_key,
            start=problem.calendar.start,
            fortnights=problem.calendar.fortnights,
            solved_at=now,
            summary={
                "objective": solved.objective,
                "bound": solved.bound,
                "gap": solved.gap,
                "violations": solved.violations,
                "unavailable_assigned": solved.unavailable_assigned,
                "unfilled": len(solved.unfilled),
                "without_slot": len(solved.without_slot),
                "seconds": solved.seconds,
            },
        )
        session.add(rota)
        session.flush()
        assert rota.id is not None
        slots = [
            Slot(
                rota_id=rota.id, number=s.index, day=s.day, session=s.session,
                starts_at=utc(s.start), ends_at=utc(s.end), urgent_only=s.urgent_only,
            )
            for s in problem.calendar.slots
        ]
        session.add_all(slots)
        session.flush()
        rows = []
        for m, member in enumerate(problem.members):
            for s in solved.slot_of[m].tolist():
                if s >= 0:
                    rows.append(
                        {
                            "slot_id": slots[s].id,
                            "seat_id": seat_ids[member.seat],
                            "member_id": member.id,
                        }
                    )
        if rows:
            session.execute(Assignment.__table__.insert(), rows)  # type: ignore[attr-defined]
        session.commit()
        return rota.id


def publish_rota(engine: Engine, rota_id: int, now: datetime) -> int:
    """Publish a rota: its sittings are created, one per slot.  Returns the sittings made."""
    with Session(writing(engine)) as session:
        rota = session.get(Rota, rota_id)
        if rota is None:
            raise VotingError(f"no rota {rota_id}")
        if rota.status == "published":
            return 0
        slots = session.exec(select(Slot).where(Slot.rota_id == rota_id)).all()
        session.add_all(
            Sitting(
                slot_id=s.id, body_key=rota.body_key, starts_at=s.starts_at, ends_at=s.ends_at,
                urgent_only=s.urgent_only,
            )
            for s in slots
        )
        rota.status, rota.published_at = "published", now
        audit(session, "rota published", {"rota": rota_id, "body": rota.body_key}, now)
        session.commit()
        return len(slots)


def solve_and_publish(
    engine: Engine, body_key: str, start: date, fortnights: int, now: datetime
) -> int:
    """Solve a body's rota for a period, store and publish it; returns the rota id."""
    solved = solve(rota_problem(engine, body_key, start, fortnights))
    rota_id = store_rota(engine, body_key, solved, now)
    publish_rota(engine, rota_id, now)
    return rota_id


PUBLISH_AHEAD = timedelta(days=28)


def next_period_start(engine: Engine, body_key: str, today: date) -> date:
    """The Monday the next rota of a body starts: after its last rota, else the next Monday."""
    with Session(engine) as session:
        last = session.exec(
            select(Rota).where(Rota.body_key == body_key).order_by(col(Rota.start).desc())
        ).first()
    if last is not None:
        return last.start + timedelta(weeks=2 * last.fortnights)
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def publish_due_rotas(engine: Engine, now: datetime) -> list[int]:
    """Publish, a fortnight at a time, every rota period that starts within 28 days (the
    scheduled job: catching up after downtime is the same call)."""
    made = []
    with Session(engine) as session:
        bodies = [
            key
            for key in session.exec(select(Body.key)).all()
            if session.exec(
                select(Member.id).join(Seat, col(Member.seat_id) == col(Seat.id)).where(
                    Seat.body_key == key
                )
            ).first()
        ]
    for key in bodies:
        start = next_period_start(engine, key, now.date())
        while start - PUBLISH_AHEAD <= now.date():
            made.append(solve_and_publish(engine, key, start, 1, now))
            start += timedelta(weeks=2)
    return made


def rostered(session: Session, sitting_id: int) -> dict[str, str]:
    """Seat code -> the member rostered for it in a sitting."""
    return dict(
        session.exec(
            select(Seat.code, Assignment.member_id)
            .join(Assignment, col(Assignment.seat_id) == col(Seat.id))
            .join(Sitting, col(Sitting.slot_id) == col(Assignment.slot_id))
            .where(Sitting.id == sitting_id)
        ).all()
    )


def member_slots(engine: Engine, member_id: str, after: datetime) -> list[dict[str, object]]:
    """A member's published slots from ``after``: when, which seat, who else shares it."""
    with Session(engine) as session:
        rows = session.exec(
            select(Slot, Seat)
            .join(Assignment, col(Assignment.slot_id) == col(Slot.id))
            .join(Seat, col(Seat.id) == col(Assignment.seat_id))
            .join(Rota, col(Rota.id) == col(Slot.rota_id))
            .where(
                Assignment.member_id == member_id,
                Rota.status == "published",
                col(Slot.starts_at) >= after,
            )
            .order_by(col(Slot.starts_at))
        ).all()
        return [
            {
                "starts_at": utc(slot.starts_at),
                "ends_at": utc(slot.ends_at),
                "session": slot.session,
                "seat": seat.code,
                "urgent_only": slot.urgent_only,
            }
            for slot, seat in rows
        ]


# -- sittings, business, invitations, debates and speeches ------------------------------------


def _sitting(session: Session, sitting_id: int) -> Sitting:
    sitting = session.get(Sitting, sitting_id)
    if sitting is None:
        raise VotingError(f"no sitting {sitting_id}")
    return sitting


def plan_business(
    engine: Engine,
    sitting_id: int,
    title: str,
    *,
    planned_on: date,
    by: str,
    urgent: bool = False,
) -> int:
    """Plan an item of business into a sitting: at least a month ahead, except urgent items,
    which go only into Saturday-afternoon slots.  A refusal says why."""
    if not title.strip():
        raise VotingError("an item of business needs a title")
    with Session(writing(engine)) as session:
        sitting = _sitting(session, sitting_id)
        verdict = may_plan(
            planned_on, utc(sitting.starts_at), urgent=urgent,
            saturday_afternoon=sitting.urgent_only,
        )
        if not verdict.allowed:
            raise VotingError(verdict.reason)
        item = BusinessItem(
            sitting_id=sitting_id, title=title.strip(), urgent=urgent, planned_on=planned_on,
            planned_by=by,
        )
        session.add(item)
        session.flush()
        assert item.id is not None
        debate = Debate(business_id=item.id, sitting_id=sitting_id, title=item.title)
        session.add(debate)
        session.flush()
        assert debate.id is not None
        session.commit()
        return debate.id


def invite(engine: Engine, sitting_id: int, member_id: str, reason: str, detail: str) -> None:
    """The Speaker invites a member who is not rostered to speak in a sitting."""
    from chamber.voting import INVITATION_REASONS

    if reason not in INVITATION_REASONS:
        raise VotingError(f"an invitation is for {', '.join(INVITATION_REASONS)}; not {reason!r}")
    with Session(writing(engine)) as session:
        _sitting(session, sitting_id)
        if session.get(Member, member_id) is None:
            raise VotingError(f"no member {member_id!r}")
        if member_id in rostered(session, sitting_id).values():
            raise VotingError(f"{member_id} is rostered in this sitting and needs no invitation")
        session.add(
            Invitation(sitting_id=sitting_id, member_id=member_id, reason=reason, detail=detail)
        )
        session.commit()


def speak(engine: Engine, debate_id: int, member_id: str, text: str, at: datetime) -> int:
    """Record a speech: by the member rostered in their seat, or by an invited member."""
    with Session(writing(engine)) as session:
        debate = session.get(Debate, debate_id)
        if debate is None:
            raise VotingError(f"no debate {debate_id}")
        member = session.get(Member, member_id)
        if member is None:
            raise VotingError(f"no member {member_id!r}")
        seat = session.get(Seat, member.seat_id)
        assert seat is not None
        sitting = _sitting(session, debate.sitting_id)
        if not utc(sitting.starts_at) <= utc(at) < utc(sitting.ends_at):
            raise VotingError("a speech is made during the sitting")
        invitation = session.exec(
            select(Invitation.reason).where(
                Invitation.sitting_id == sitting.id, Invitation.member_id == member_id
            )
        ).first()
        verdict = may_speak(member_id, seat.code, rostered(session, debate.sitting_id), invitation)
        if not verdict.allowed:
            raise VotingError(verdict.reason)
        speech = Speech(
            debate_id=debate_id, member_id=member_id, seat_code=seat.code,
            invited=invitation is not None, at=at, text=text,
        )
        session.add(speech)
        session.flush()
        assert speech.id is not None
        session.commit()
        return speech.id


def sittings_between(engine: Engine, start: datetime, end: datetime) -> list[Sitting]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(Sitting)
                .where(col(Sitting.starts_at) >= start, col(Sitting.starts_at) < end)
                .order_by(col(Sitting.starts_at))
            ).all()
        )


def sittings_of_week(engine: Engine, day: date) -> tuple[date, list[Sitting]]:
    """The Monday of ``day``'s week and that week's sittings (times in UTC)."""
    monday = day - timedelta(days=day.weekday())
    begin = datetime.combine(monday, datetime.min.time(), UTC)
    return monday, sittings_between(engine, begin, begin + timedelta(days=7))


def roles(engine: Engine, body_key: str) -> Mapping[str, list[str]]:
    """Role -> member ids holding it (everyone not listed is a member)."""
    with Session(engine) as session:
        out: dict[str, list[str]] = {}
        for member_id, role in session.exec(
            select(Member.id, Member.role)
            .join(Seat, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == body_key, Member.role != "member")
        ).all():
            out.setdefault(role, []).append(member_id)
        return out


# -- a member's rota: view, calendar feed, swaps ----------------------------------------------


def _naive(moment: datetime) -> datetime:
    """UTC without a zone, as the rota's calendar reckons."""
    return utc(moment).astimezone(UTC).replace(tzinfo=None)


def load_rota(engine: Engine, rota_id: int) -> SolvedRota:
    """A stored rota as `rota` sees it (re-measured against today's declared availability)."""
    from rota.solve import measure

    with Session(engine) as session:
        stored = session.get(Rota, rota_id)
        if stored is None:
            raise VotingError(f"no rota {rota_id}")
        rows = session.exec(
            select(Assignment.member_id, Slot.number)
            .join(Slot, col(Slot.id) == col(Assignment.slot_id))
            .where(Slot.rota_id == rota_id)
        ).all()
    problem = rota_problem(engine, stored.body_key, stored.start, stored.fortnights)
    index = {m.id: i for i, m in enumerate(problem.members)}
    slot_of = np.full((len(problem.members), problem.windows), -1, dtype=np.int64)
    for member_id, number in rows:
        m = index[member_id]
        slot = problem.calendar.slots[number]
        slot_of[m, slot.fortnight - slot.fortnight % problem.members[m].cycle] = number
    return measure(problem, slot_of, 0.0, 0.0, 0)


def _rotas_of(session: Session, member_id: str, after: datetime) -> list[int]:
    return [
        int(r)
        for r in session.exec(
            select(Rota.id)
            .join(Slot, col(Slot.rota_id) == col(Rota.id))
            .join(Assignment, col(Assignment.slot_id) == col(Slot.id))
            .where(
                Assignment.member_id == member_id,
                Rota.status == "published",
                col(Slot.ends_at) >= after,
            )
            .distinct()
        ).all()
        if r is not None
    ]


def member_rota_view(engine: Engine, member_id: str, after: datetime) -> dict[str, object]:
    """A member's next slots with their seat and the sharers of that seat, and swap requests."""
    from chamber.models import SwapRequest

    with Session(engine) as session:
        member = session.get(Member, member_id)
        if member is None:
            raise VotingError(f"no member {member_id!r}")
        seat = session.get(Seat, member.seat_id)
        assert seat is not None
        sharers = session.exec(
            select(Member.id, Member.name, Member.group)
            .where(Member.seat_id == member.seat_id, Member.id != member_id)
            .order_by(col(Member.id))
        ).all()
        requests = session.exec(
            select(SwapRequest)
            .where((SwapRequest.from_member == member_id) | (SwapRequest.to_member == member_id))
            .order_by(col(SwapRequest.created_at).desc())
        ).all()
        return {
            "member": {"id": member.id, "name": member.name, "group": member.group,
                       "role": member.role, "seat": seat.code},
            "slots": member_slots(engine, member_id, after),
            "sharers": [{"id": i, "name": n, "group": g} for i, n, g in sharers],
            "swaps": [
                {"id": r.id, "from": r.from_member, "to": r.to_member, "status": r.status,
                 "reason": r.reason, "incoming": r.to_member == member_id}
                for r in requests
            ],
        }


def member_calendar(engine: Engine, member_id: str, now: datetime, base_url: str | None = None
                    ) -> bytes:
    """A member's published slots as one iCalendar file (every published rota they are in)."""
    import icalendar

    from rota.io import member_ics

    with Session(engine) as session:
        rota_ids = _rotas_of(session, member_id, now - timedelta(days=365))
    merged = icalendar.Calendar()
    for n, rota_id in enumerate(sorted(rota_ids)):
        part = icalendar.Calendar.from_ical(
            member_ics(load_rota(engine, rota_id), member_id, base_url=base_url, stamp=now)
        )
        if n == 0:
            for key, value in part.items():
                merged.add(key, value)
            for tz in part.walk("VTIMEZONE"):
                merged.add_component(tz)
        for event in part.walk("VEVENT"):
            merged.add_component(event)
    if not rota_ids:
        merged.add("prodid", "-//chamber//rota//EN")
        merged.add("version", "2.0")
    return bytes(merged.to_ical())


def request_swap(engine: Engine, from_member: str, to_member: str, now: datetime) -> int:
    """Ask a sharer of the same seat to swap slots in the next published rota where both sit;
    the swap is checked now (availability, group balance) and again when accepted."""
    from chamber.models import SwapRequest
    from rota.swaps import SwapDesk

    if from_member == to_member:
        raise VotingError("a swap needs two members")
    with Session(writing(engine)) as session:
        mine = set(_rotas_of(session, from_member, now))
        theirs = set(_rotas_of(session, to_member, now))
    common = sorted(mine & theirs)
    if not common:
        raise VotingError(f"{from_member} and {to_member} have no future slots in the same rota")
    rota_id = common[0]
    check = SwapDesk(load_rota(engine, rota_id)).check(from_member, to_member, now=_naive(now))
    if not check.allowed:
        raise VotingError("the swap is not possible: " + check.describe())
    with Session(writing(engine)) as session:
        request = SwapRequest(
            rota_id=rota_id, from_member=from_member, to_member=to_member, created_at=now
        )
        session.add(request)
        session.flush()
        assert request.id is not None
        session.commit()
        return request.id


def answer_swap(engine: Engine, request_id: int, member_id: str, accept: bool,
                now: datetime) -> str:
    """The asked member accepts (the slots are exchanged, if still possible) or declines."""
    from chamber.models import SwapRequest
    from rota.swaps import SwapDesk

    with Session(writing(engine)) as session:
        request = session.get(SwapRequest, request_id)
        if request is None or request.to_member != member_id:
            raise VotingError(f"no swap request {request_id} for {member_id}")
        if request.status != "pending":
            raise VotingError(f"this swap request is already {request.status}")
        rota_id = request.rota_id
        a, b = request.from_member, request.to_member
    if not accept:
        status, reason = "declined", ""
    else:
        solved = load_rota(engine, rota_id)
        desk = SwapDesk(solved)
        check = desk.check(a, b, now=_naive(now))
        status, reason = ("accepted", "") if check.allowed else ("refused", check.describe())
    with Session(writing(engine)) as session:
        request = session.get(SwapRequest, request_id)
        assert request is not None
        if status == "accepted":
            rows = session.exec(
                select(Assignment)
                .join(Slot, col(Slot.id) == col(Assignment.slot_id))
                .where(
                    Slot.rota_id == rota_id,
                    col(Assignment.member_id).in_([a, b]),
                    col(Slot.starts_at) >= now,
                )
            ).all()
            by_member = {r.member_id: r for r in rows}
            if set(by_member) != {a, b}:
                status, reason = "refused", "one of the slots has already passed"
            else:
                ra, rb = by_member[a], by_member[b]
                slot_a, slot_b = ra.slot_id, rb.slot_id
                session.delete(rb)
                session.flush()
                ra.slot_id = slot_b
                session.flush()
                session.add(Assignment(slot_id=slot_a, seat_id=rb.seat_id, member_id=b))
                audit(session, "rota swap", {"rota": rota_id, "members": [a, b]}, now)
        request.status, request.reason, request.decided_at = status, reason, now
        session.commit()
        return status


def sitting_view(engine: Engine, sitting_id: int) -> dict[str, object]:
    """A sitting as the public sees it: when, its agenda with each debate's speeches, who sits
    in which seat (with group and role), invitations, and its divisions."""
    from chamber.divisions.models import Division

    with Session(engine) as session:
        sitting = _sitting(session, sitting_id)
        seats = session.exec(
            select(Seat.code, Member.id, Member.name, Member.group, Member.role)
            .join(Assignment, col(Assignment.seat_id) == col(Seat.id))
            .join(Member, col(Member.id) == col(Assignment.member_id))
            .join(Sitting, col(Sitting.slot_id) == col(Assignment.slot_id))
            .where(Sitting.id == sitting_id)
            .order_by(col(Seat.number))
        ).all()
        items = session.exec(
            select(BusinessItem, Debate)
            .join(Debate, col(Debate.business_id) == col(BusinessItem.id))
            .where(BusinessItem.sitting_id == sitting_id)
            .order_by(col(BusinessItem.id))
        ).all()
        agenda = []
        for item, debate in items:
            speeches = session.exec(
                select(Speech, Member.name)
                .join(Member, col(Member.id) == col(Speech.member_id))
                .where(Speech.debate_id == debate.id)
                .order_by(col(Speech.at))
            ).all()
            agenda.append({
                "debate": debate.id, "title": item.title, "urgent": item.urgent,
                "planned_on": item.planned_on.isoformat(), "planned_by": item.planned_by,
                "speeches": [
                    {"member": s.member_id, "name": name, "seat": s.seat_code,
                     "invited": s.invited, "at": utc(s.at), "text": s.text}
                    for s, name in speeches
                ],
            })
        invitations = session.exec(
            select(Invitation).where(Invitation.sitting_id == sitting_id)
        ).all()
        divisions = session.exec(
            select(Division.id, Division.question, Division.status)
            .where(Division.sitting_id == sitting_id)
            .order_by(col(Division.opens_at))
        ).all()
        return {
            "id": sitting.id,
            "starts_at": utc(sitting.starts_at),
            "ends_at": utc(sitting.ends_at),
            "urgent_only": sitting.urgent_only,
            "seats": [
                {"seat": code, "member": mid, "name": name, "group": group, "role": role}
                for code, mid, name, group, role in seats
            ],
            "agenda": agenda,
            "invitations": [
                {"member": i.member_id, "reason": i.reason, "detail": i.detail}
                for i in invitations
            ],
            "divisions": [{"id": d, "question": q, "status": st} for d, q, st in divisions],
        }
