"""The chamber's invariants, each a query that returns every breach it finds (empty when the rule
holds).  The simulation checks them every simulated day; a deployment can run them too."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from chamber.assemblies.models import Delegate
from chamber.audit.models import AuditEntry
from chamber.bodies.models import Seat
from chamber.bodies.services import bodies, body, pattern
from chamber.business.rules import month_before
from chamber.clock import aware, describe
from chamber.divisions.models import Division, MemberVote
from chamber.membership.models import Member, Unavailability
from chamber.rotas.models import Assignment, Rota
from chamber.sittings.models import Sitting

PUBLISHED = col(Rota.status) == "published"


def seats_filled(session: Session, day: date) -> list[str]:
    """Every seat of every sitting on ``day`` has exactly one rostered member."""
    seats: dict[str, set[str]] = defaultdict(set)
    for body_key, code in session.exec(select(Seat.body_key, Seat.code)).all():
        seats[body_key].add(code)
    held: dict[int, Counter[str]] = defaultdict(Counter)
    for sitting_id, code in session.exec(
        select(Assignment.sitting_id, Seat.code)
        .join(Seat, col(Seat.id) == col(Assignment.seat_id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .join(Sitting, col(Sitting.id) == col(Assignment.sitting_id))
        .where(Sitting.day == day, PUBLISHED)
    ).all():
        held[sitting_id][code] += 1
    out = []
    for sitting in session.exec(select(Sitting).where(Sitting.day == day)).all():
        assert sitting.id is not None
        counts = held[sitting.id]
        empty = sorted(seats[sitting.body_key] - set(counts))
        doubled = sorted(code for code, n in counts.items() if n > 1)
        where = f"{sitting.body_key} sitting of {describe(aware(sitting.starts_at))}"
        if empty:
            out.append(
                f"{where}: {len(empty)} seats have no rostered member ({', '.join(empty[:8])})"
            )
        if doubled:
            out.append(f"{where}: seats with more than one member ({', '.join(doubled[:8])})")
    return out


def rota_rules(session: Session, rota_id: int) -> list[str]:
    """In a published rota: each member serving the whole of a cycle sits exactly once in it
    (youth sharers once in four weeks; the sharers of a seat whose delegates an assembly named
    as its officer chose), and nobody sits outside their service or on a sitting
    they declared they cannot attend."""
    rota = session.get(Rota, rota_id)
    assert rota is not None
    days = pattern(session, rota.body_key).cycle_days
    end = rota.start + timedelta(days=rota.cycles * days)
    service = {
        m: (span, begins, ends)
        for m, span, begins, ends in session.exec(
            select(
                col(Member.id), col(Member.cycle), col(Member.serves_from),
                col(Member.serves_until),
            )
            .join(Seat, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == rota.body_key)
        ).all()
    }
    rows = session.exec(
        select(
            col(Assignment.member_id), col(Sitting.day), col(Sitting.session),
            col(Sitting.cycle),
        )
        .join(Sitting, col(Sitting.id) == col(Assignment.sitting_id))
        .where(Assignment.rota_id == rota_id)
    ).all()
    first_cycle = (rota.start - body(session, rota.body_key).calendar_start).days // days
    out = []
    sat: dict[tuple[str, int], int] = Counter()
    for member_id, day, _, cycle in rows:
        span, begins, ends = service[member_id]
        sat[(member_id, (cycle - first_cycle) // span)] += 1
        if day < begins or (ends is not None and day > ends):
            out.append(f"rota {rota_id}: {member_id} sits on {day} outside their service")
    unavailable = set(
        session.exec(
            select(
                col(Unavailability.member_id), col(Unavailability.day),
                col(Unavailability.session),
            ).where(
                col(Unavailability.day) >= rota.start, col(Unavailability.day) < end
            )
        ).all()
    )
    out += [
        f"rota {rota_id}: {m} sits on {day} {s}, which they declared they cannot"
        for m, day, s, _ in rows
        if (m, day, s) in unavailable
    ]
    named = set(session.exec(  # an assembly's delegates are its officer's choice, not the rota's
        select(col(Member.id))
        .join(Delegate, col(Delegate.seat_id) == col(Member.seat_id))
        .join(Sitting, col(Sitting.id) == col(Delegate.sitting_id))
        .where(col(Sitting.day) >= rota.start, col(Sitting.day) < end)
    ).all())
    for member_id, (span, begins, ends) in service.items():
        if member_id in named:
            continue
        for window in range(rota.cycles // span):
            first = rota.start + timedelta(days=window * span * days)
            last = first + timedelta(days=span * days - 1)
            whole = begins <= first and (ends is None or ends >= last)
            n = sat.get((member_id, window), 0)
            if (whole and n != 1) or n > 1:
                out.append(f"rota {rota_id}: {member_id} sits {n} times in the cycle from {first}")
    return out


def ahead(session: Session, today: date, lead_days: int) -> list[str]:
    """Every ordinary sitting could take business a month ahead: each body's sittings exist at
    least a month and a day ahead; and members know their sitting a month and a week ahead:
    the body's published rotas reach that far."""
    out = []
    for key in bodies(session):
        days = pattern(session, key).cycle_days
        last = session.exec(select(func.max(Sitting.day)).where(Sitting.body_key == key)).one()
        horizon = today + timedelta(days=32)
        if last is None or last < horizon:
            out.append(f"{key}: sittings are made only to {last}; business for {horizon} cannot "
                       "be planned a month ahead")
        published = session.exec(
            select(col(Rota.start), col(Rota.cycles)).where(Rota.body_key == key, PUBLISHED)
        ).all()
        reach = max((s + timedelta(days=c * days) for s, c in published), default=today)
        known = min(month_before(today + timedelta(days=lead_days)) + timedelta(days=7),
                    today + timedelta(days=37))
        if reach <= known:
            out.append(f"{key}: rotas are published only to {reach - timedelta(days=1)}; "
                       f"members must know their sittings to {known}")
    return out


def member_votes(session: Session, day: date) -> list[str]:
    """Every member vote in the divisions of ``day``'s sittings came from the member rostered
    for the seat in the sitting, while the division was open."""
    out = []
    rows = session.exec(
        select(MemberVote, Division, Sitting)
        .join(Division, col(Division.id) == col(MemberVote.division_id))
        .join(Sitting, col(Sitting.id) == col(Division.sitting_id))
        .where(Sitting.day == day)
    ).all()
    rostered: dict[int, dict[str, str]] = defaultdict(dict)
    for sitting_id, code, member_id in session.exec(
        select(Assignment.sitting_id, Seat.code, Assignment.member_id)
        .join(Seat, col(Seat.id) == col(Assignment.seat_id))
        .join(Sitting, col(Sitting.id) == col(Assignment.sitting_id))
        .join(Rota, col(Rota.id) == col(Assignment.rota_id))
        .where(Sitting.day == day, PUBLISHED)
    ).all():
        rostered[sitting_id][code] = member_id
    for vote, division, sitting in rows:
        assert sitting.id is not None
        if rostered[sitting.id].get(vote.seat) != vote.member:
            out.append(f"division {division.id}: {vote.member} voted for seat {vote.seat} "
                       "without being rostered for it")
        if not aware(division.opens_at) <= aware(vote.at) < aware(division.closes_at):
            out.append(f"division {division.id}: {vote.member} voted at {describe(vote.at)}, "
                       "outside the division's opening")
    return out


def divisions_closed(session: Session, now: datetime) -> list[str]:
    """Every division whose closing time has passed is closed, and closed exactly once."""
    out = [
        f"division {d} should have closed at {describe(aware(at))}"
        for d, at in session.exec(
            select(Division.id, Division.closes_at).where(
                Division.status != "closed", col(Division.closes_at) <= now
            )
        ).all()
    ]
    closes = Counter(
        e.payload.get("division")
        for e in session.exec(select(AuditEntry).where(AuditEntry.kind == "division closed"))
    )
    out += [f"division {d} was closed {n} times" for d, n in closes.items() if n != 1]
    return out
