"""An assembly's officer names its delegates: for each sitting of a rota period, a sharer of
each of the assembly's seats, by the day before the period's rota is due (`rules.
delegate_deadline`); the rota seats them.  While any place of a period due soon is unnamed, the
nightly job keeps an alert open for the officer (and the clerks); a rota with a place unnamed
is never published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from chamber.alerts.services import AlertView, open_alerts, raise_alert, resolve_alerts
from chamber.assemblies.models import Assembly, Delegate
from chamber.assemblies.services import (
    AssemblyView,
    assemblies_of,
    assembly,
    install_assemblies,
    seats_of,
)
from chamber.audit.services import append
from chamber.bodies.models import Seat
from chamber.bodies.services import pattern
from chamber.clock import london
from chamber.errors import Invalid, Refused
from chamber.membership.models import Member, Unavailability
from chamber.membership.services import seat_of
from chamber.officers.rules import NamingWindow, delegate_deadline, may_name
from chamber.officers.services import day_of, holdings, require
from chamber.rotas.problem import serving
from chamber.rotas.services import due_periods, next_period_start, period_of
from chamber.sittings.models import Sitting
from chamber.sittings.services import SittingSummary, sitting, summary

KIND = "delegates not named"
NOTICE_DAYS = 14  # how long before the deadline the officer is reminded of unnamed places


@dataclass(frozen=True, slots=True)
class Naming:
    """The delegate named for an assembly's seat in a sitting."""

    sitting: int
    seat: str
    member: str


def window(session: Session, body_key: str, day: date, lead_days: int) -> NamingWindow:
    """The rota period ``day`` falls in, as an assembly names it."""
    where = period_of(session, body_key, day)
    days = pattern(session, body_key).cycle_days
    rota = where.rota
    published = rota.published_at if rota and rota.status == "published" else None
    return NamingWindow(
        where.start, where.last_day(days), delegate_deadline(where.start, lead_days),
        london(published).date() if published else None,
    )


def name_delegates(
    session: Session, officer_id: str, assembly_id: int, namings: Sequence[Naming], *,
    now: datetime, lead_days: int,
) -> int:
    """The assembly's officer names delegates (each a sharer of the seat, serving and able to
    sit that day) before the deadline; another name for a place replaces the earlier one, the
    same name again changes nothing.  Any refusal says why, and nothing is stored.  Returns
    how many places were named or changed."""
    found = assembly(session, assembly_id)
    require(session, officer_id, "name delegates", now, body_key=found.body_key,
            assembly_id=assembly_id)
    if not namings:
        raise Invalid("name at least one delegate")
    seats = {s.code: s for s in seats_of(session, assembly_id)}
    keys = [(n.sitting, n.seat) for n in namings]
    if len(set(keys)) < len(keys):
        raise Invalid("a seat is named twice for one sitting")
    existing = {
        (d.sitting_id, d.seat_id): d
        for d in session.exec(select(Delegate).where(
            col(Delegate.sitting_id).in_({n.sitting for n in namings}),
            Delegate.assembly_id == assembly_id,
        )).all()
    }
    same = {(d.sitting_id, code, d.member_id) for (_, seat_id), d in existing.items()
            for code, seat in seats.items() if seat.id == seat_id}
    namings = [n for n in namings if (n.sitting, n.seat, n.member) not in same]  # unchanged
    today, windows = day_of(now), {}
    rows = []
    for n in namings:
        seat = seats.get(n.seat)
        if seat is None:
            raise Invalid(f"seat {n.seat} is not one of the {found.name} assembly's "
                          f"({', '.join(seats)})")
        where = sitting(session, n.sitting)
        if where.body_key != found.body_key:
            raise Invalid(f"sitting {n.sitting} is not one of {found.body_key}")
        if where.day < found.names_from:
            raise Refused(f"the {found.name} assembly names delegates for the sittings from "
                          f"{found.names_from:%a %d %b %Y}")
        who = session.get(Member, n.member)
        if who is None or who.seat_id != seat.id:
            raise Invalid(f"{n.member} is not a sharer of seat {seat.code}: the delegate for "
                          "a seat is one of its sharers")
        if not serving(who, where.day, where.day):
            raise Refused(f"{n.member} does not serve on {where.day:%a %d %b %Y}")
        if session.exec(select(Unavailability.id).where(
            Unavailability.member_id == n.member, Unavailability.day == where.day,
            Unavailability.session == where.session,
        )).first() is not None:
            raise Refused(f"{n.member} declared they cannot sit on {where.day:%a %d %b %Y} "
                          f"({where.session})")
        if where.day not in windows:
            windows[where.day] = window(session, found.body_key, where.day, lead_days)
        held = windows[where.day].published_on is None and (n.sitting, seat.id) not in existing
        may_name(today, windows[where.day], filling_a_held_rota=held).enforce()
        rows.append((n, seat))
    for n, seat in rows:
        assert seat.id is not None
        row = existing.get((n.sitting, seat.id))
        if row is None:
            row = Delegate(assembly_id=assembly_id, sitting_id=n.sitting, seat_id=seat.id,
                           member_id=n.member, named_by=officer_id, named_at=now)
            session.add(row)
        row.member_id, row.named_by, row.named_at = n.member, officer_id, now
    if not rows:
        return 0
    session.flush()
    append(session, "delegates named",
           {"assembly": assembly_id, "by": officer_id,
            "named": [[n.sitting, n.seat, n.member] for n in namings]}, now)
    for w in {w.first: w for w in windows.values()}.values():
        if not unnamed(session, assembly_id, w.first, w.last):
            resolve_alerts(session, KIND, subject(found, w.first), now)
    return len(namings)


def subject(found: Assembly, start: date) -> str:
    return f"delegates of the {found.name} assembly for the rota from {start.isoformat()}"


def unnamed(session: Session, assembly_id: int, first: date,
            last: date) -> list[tuple[SittingSummary, str]]:
    """The places (sitting, seat) of an assembly from ``first`` to ``last`` with no delegate."""
    found = assembly(session, assembly_id)
    seats = seats_of(session, assembly_id)
    named = set(session.exec(
        select(Delegate.sitting_id, Delegate.seat_id)
        .join(Sitting, col(Sitting.id) == col(Delegate.sitting_id))
        .where(Delegate.assembly_id == assembly_id, col(Sitting.day) >= first,
               col(Sitting.day) <= last)
    ).all())
    sittings = session.exec(
        select(Sitting).where(Sitting.body_key == found.body_key, col(Sitting.day) >= first,
                              col(Sitting.day) <= last).order_by(col(Sitting.starts_at))
    ).all()
    return [(summary(s), seat.code) for s in sittings for seat in seats
            if (s.id, seat.id) not in named]


def remind_assemblies(session: Session, now: datetime, lead_days: int) -> int:
    """Keep an alert open for each assembly with places unnamed in a rota period due within
    `NOTICE_DAYS` (or overdue), saying which and by when; close it once all are named.
    Returns how many are open."""
    today = day_of(now)
    days: dict[str, int] = {}
    open_ = 0
    for body_key, start, cycles in due_periods(session, today + timedelta(days=NOTICE_DAYS),
                                               lead_days):
        days.setdefault(body_key, pattern(session, body_key).cycle_days)
        last = start + timedelta(days=cycles * days[body_key] - 1)
        deadline = delegate_deadline(start, lead_days)
        for view in assemblies_of(session, body_key):
            if view.names_from > start:
                continue
            found = assembly(session, view.id)
            missing = unnamed(session, view.id, start, last)
            if not missing:
                resolve_alerts(session, KIND, subject(found, start), now)
                continue
            first, seat = missing[0]
            raise_alert(
                session, body_key, KIND, subject(found, start),
                f"The {found.name} assembly has named no delegate for {len(missing)} of its "
                f"places in the sittings from {start:%a %d %b %Y} to {last:%a %d %b %Y} (the "
                f"first: seat {seat}, {london(first.starts_at):%a %d %b %H:%M}). Its officer "
                f"names them by {deadline:%a %d %b %Y}, the day before the rota is due; the "
                "rota is not published while a place is unnamed.", now,
            )
            open_ += 1
    return open_


@dataclass(frozen=True, slots=True)
class Place:
    seat: str
    delegate: str | None


@dataclass(frozen=True, slots=True)
class SittingPlaces:
    sitting: SittingSummary
    places: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class PeriodDesk:
    """A rota period as the officer names it: its dates, the deadline, whether names may be
    given now, and each sitting's places."""

    window: NamingWindow
    open: bool
    held: bool  # past its deadline, unpublished: only missing places may be named
    sittings: tuple[SittingPlaces, ...]

    @property
    def unnamed(self) -> int:
        return sum(p.delegate is None for s in self.sittings for p in s.places)


@dataclass(frozen=True, slots=True)
class AssemblyDesk:
    assembly: AssemblyView
    sharers: dict[str, tuple[tuple[str, str], ...]]  # seat -> (member id, name) serving
    periods: tuple[PeriodDesk, ...]
    alerts: tuple[AlertView, ...]


def assembly_desks(session: Session, officer_id: str, now: datetime, lead_days: int,
                   *, periods: int = 2) -> list[AssemblyDesk]:
    """The officer's page: for each assembly they are the officer of, the next ``periods``
    rota periods not yet published, with the places named and unnamed."""
    today = day_of(now)
    ids = [h.assembly_id for h in holdings(session, officer_id, today, _body(session, officer_id))
           if h.office == "assembly officer" and h.assembly_id is not None]
    out = []
    for assembly_id in ids:
        found = assembly(session, assembly_id)
        view = next(v for v in assemblies_of(session, found.body_key) if v.id == assembly_id)
        sharers = {
            code: tuple((m.id, m.name) for m in session.exec(
                select(Member).join(Seat, col(Seat.id) == col(Member.seat_id))
                .where(Seat.code == code, Seat.body_key == found.body_key,
                       col(Member.serves_until).is_(None) | (col(Member.serves_until) >= today))
                .order_by(col(Member.id))
            ).all())
            for code in view.seats
        }
        start = max(next_period_start(session, found.body_key, today), found.names_from)
        desks = []
        for _ in range(periods):
            w = window(session, found.body_key, start, lead_days)
            named = {(d.sitting_id, d.seat_id): d.member_id for d in session.exec(
                select(Delegate).where(Delegate.assembly_id == assembly_id))}
            seat_ids = {s.code: int(s.id or 0) for s in seats_of(session, assembly_id)}
            rows = tuple(
                SittingPlaces(s, tuple(Place(code, named.get((s.id, seat_ids[code])))
                                       for code in view.seats))
                for s in _sittings(session, found.body_key, w.first, w.last)
            )
            held = w.published_on is None and today > w.deadline
            desks.append(PeriodDesk(w, w.published_on is None and (today <= w.deadline or held),
                                    held, rows))
            start = w.last + timedelta(days=1)
        alerts = tuple(a for a in open_alerts(session)
                       if a.kind == KIND and f"the {found.name} assembly" in a.subject)
        out.append(AssemblyDesk(view, sharers, tuple(desks), alerts))
    return out


def _body(session: Session, member_id: str) -> str:
    return seat_of(session, member_id).body_key


def _sittings(session: Session, body_key: str, first: date, last: date) -> list[SittingSummary]:
    return [summary(s) for s in session.exec(
        select(Sitting).where(Sitting.body_key == body_key, col(Sitting.day) >= first,
                              col(Sitting.day) <= last).order_by(col(Sitting.starts_at))
    ).all()]


def register_assemblies(session: Session, body_key: str, now: datetime) -> int:
    """Register a body's assemblies from its composition, naming delegates from the first rota
    period not yet published (the published ones keep the sharers the rota seated)."""
    start = next_period_start(session, body_key, day_of(now))
    return install_assemblies(session, body_key, names_from=start, now=now)
