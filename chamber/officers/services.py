"""Offices through time: appointing a member to an office of a body and ending it, who holds
what on a day, and the one check every power goes through (`require`, or `may` for a rule
that refuses rather than forbids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, and_, col, or_, select

from chamber.assemblies.models import Assembly
from chamber.assemblies.services import assembly, seats_of
from chamber.audit.services import append
from chamber.bodies.models import Seat
from chamber.clock import london
from chamber.db import fetch
from chamber.errors import Conflict, Forbidden, Invalid, Refused, Verdict
from chamber.membership.models import Member
from chamber.membership.services import member, seat_of
from chamber.officers.models import OfficeHolding
from chamber.officers.rules import GROUP_OFFICES, OFFICES, POWERS, ROLE_LABELS, Power, either


@dataclass(frozen=True, slots=True)
class Holder:
    """An office held: by whom, of which group or assembly, from when until when."""

    id: int
    body: str
    office: str
    member: str
    name: str
    group: str | None
    assembly: str | None
    holds_from: date
    holds_until: date | None
    election: int | None


def day_of(now: datetime) -> date:
    """The London date of an instant (offices are held by the day)."""
    return london(now).date()


def _on(day: date) -> ColumnElement[bool]:
    """Held on ``day``."""
    return and_(
        col(OfficeHolding.holds_from) <= day,
        or_(col(OfficeHolding.holds_until).is_(None), col(OfficeHolding.holds_until) >= day),
    )


def holdings(session: Session, member_id: str, day: date, body_key: str) -> list[OfficeHolding]:
    """The offices a member holds in a body on a day."""
    return list(
        session.exec(
            select(OfficeHolding).where(
                OfficeHolding.member_id == member_id, OfficeHolding.body_key == body_key,
                _on(day),
            ).order_by(col(OfficeHolding.id))
        ).all()
    )


def may(
    session: Session, member_id: str, power: Power, day: date, *, body_key: str,
    group: str | None = None, assembly_id: int | None = None,
) -> Verdict:
    """Whether a member serving on ``day`` holds then an office with ``power`` (for ``group``
    or ``assembly_id`` when the power is a group's or an assembly's); the reason when not."""
    offices = POWERS[power]
    who = member(session, member_id)
    if who.serves_from > day or (who.serves_until is not None and who.serves_until < day):
        return Verdict(
            False,
            f"{member_id} does not serve in {body_key} on {day:%a %d %b %Y}: an office gives "
            "powers only while its holder serves",
        )
    able = [h for h in holdings(session, member_id, day, body_key) if h.office in offices]
    if not able:
        return Verdict(
            False,
            f"{member_id} may not {power}: that is for {either(offices)}, and {member_id} "
            f"holds no such office in {body_key} on {day:%a %d %b %Y}",
        )
    if group is not None and all(h.group_name != group for h in able):
        held = ", ".join(f"{h.office} of {h.group_name}" for h in able if h.group_name)
        return Verdict(
            False,
            f"{member_id} is {held or 'no group officer'}, not of {group}: a whip or group "
            "officer arranges only their own group's rota",
        )
    if assembly_id is not None and all(h.assembly_id != assembly_id for h in able):
        name = assembly(session, assembly_id).name
        return Verdict(False, f"{member_id} is not the officer of the {name} assembly")
    return Verdict(True)


def require(
    session: Session, member_id: str, power: Power, now: datetime, *, body_key: str,
    group: str | None = None, assembly_id: int | None = None,
) -> None:
    """Raise `Forbidden` with the reason unless the member may use ``power`` now."""
    verdict = may(session, member_id, power, day_of(now), body_key=body_key, group=group,
                  assembly_id=assembly_id)
    if not verdict.allowed:
        raise Forbidden(verdict.reason)


def appoint(
    session: Session, body_key: str, office: str, member_id: str, *, holds_from: date, by: str,
    now: datetime, group: str | None = None, assembly_id: int | None = None,
    election_id: int | None = None,
) -> int:
    """A member of a body takes an office from ``holds_from``.  One Speaker at a time; a whip
    or group officer belongs to the group they serve; an assembly's officer shares one of its
    seats; the Executive Committee only by its count.  Returns the holding's id."""
    if office not in OFFICES:
        raise Invalid(f"office {office!r} is not one of {', '.join(OFFICES)}")
    who = member(session, member_id)
    if seat_of(session, member_id).body_key != body_key:
        raise Invalid(f"{member_id} is not a member of {body_key}")
    if who.serves_from > holds_from or (who.serves_until and who.serves_until < holds_from):
        raise Refused(f"{member_id} does not serve in {body_key} on {holds_from:%a %d %b %Y}")
    if office == "Executive Committee" and election_id is None:
        raise Invalid("the Executive Committee is elected by the members: call an election")
    if office in GROUP_OFFICES:
        group = group or who.group
        if group != who.group:
            raise Invalid(f"a {office} of {group} is one of its members; {member_id} is in "
                          f"{who.group}")
    elif group is not None:
        raise Invalid(f"the office of {office} is not a group's")
    if office == "assembly officer":
        if assembly_id is None:
            raise Invalid("an assembly's officer is named with their assembly")
        found = assembly(session, assembly_id)
        if who.seat_id not in {s.id for s in seats_of(session, assembly_id)}:
            raise Invalid(f"{member_id} does not share a seat of the {found.name} assembly")
    elif assembly_id is not None:
        raise Invalid(f"the office of {office} is not an assembly's")
    _no_overlap(session, body_key, office, member_id, holds_from, group, assembly_id)
    holding = OfficeHolding(
        body_key=body_key, office=office, member_id=member_id, group_name=group,
        assembly_id=assembly_id, election_id=election_id, holds_from=holds_from,
        appointed_by=by, appointed_at=now,
    )
    session.add(holding)
    session.flush()
    assert holding.id is not None
    append(session, "office held",
           {"holding": holding.id, "body": body_key, "office": office, "member": member_id,
            "group": group, "assembly": assembly_id, "from": holds_from.isoformat(), "by": by},
           now)
    return holding.id


def _no_overlap(
    session: Session, body_key: str, office: str, member_id: str, start: date,
    group: str | None, assembly_id: int | None,
) -> None:
    """Refuse a second Speaker, or the same office held twice by one member, at once."""
    same = select(OfficeHolding).where(
        OfficeHolding.body_key == body_key, OfficeHolding.office == office,
        or_(col(OfficeHolding.holds_until).is_(None), col(OfficeHolding.holds_until) >= start),
    )
    if office != "Speaker":
        same = same.where(OfficeHolding.member_id == member_id,
                          OfficeHolding.group_name == group,
                          OfficeHolding.assembly_id == assembly_id)
    clash = session.exec(same).first()
    if clash is not None:
        until = f"until {clash.holds_until:%a %d %b %Y}" if clash.holds_until else "with no end"
        raise Conflict(
            f"{clash.member_id} holds the office of {office} from "
            f"{clash.holds_from:%a %d %b %Y} {until}: end that holding first"
        )


def end_holding(session: Session, holding_id: int, last_day: date, *, by: str,
                now: datetime) -> None:
    """An office ends after ``last_day``."""
    holding = fetch(session, OfficeHolding, holding_id, "office holding")
    if last_day < holding.holds_from:
        raise Invalid(f"the holding began on {holding.holds_from}, after {last_day}")
    if holding.holds_until is not None and holding.holds_until <= last_day:
        raise Refused(f"the holding already ends on {holding.holds_until}")
    holding.holds_until = last_day
    append(session, "office ended",
           {"holding": holding_id, "member": holding.member_id, "office": holding.office,
            "until": last_day.isoformat(), "by": by}, now)


def holders(session: Session, body_key: str, day: date | None = None,
            member_id: str | None = None) -> list[Holder]:
    """Every office of a body (held on ``day`` when given; of one member when given), by
    office and start."""
    query = (
        select(OfficeHolding, Member.name, Assembly.name)
        .join(Member, col(Member.id) == col(OfficeHolding.member_id))
        .outerjoin(Assembly, col(Assembly.id) == col(OfficeHolding.assembly_id))
        .where(OfficeHolding.body_key == body_key)
    )
    if day is not None:
        query = query.where(_on(day))
    if member_id is not None:
        query = query.where(OfficeHolding.member_id == member_id)
    rank = {o: i for i, o in enumerate(OFFICES)}
    rows = session.exec(query).all()
    return sorted(
        (
            Holder(h.id or 0, h.body_key, h.office, h.member_id, name, h.group_name, a,
                   h.holds_from, h.holds_until, h.election_id)
            for h, name, a in rows
        ),
        key=lambda x: (rank[x.office], x.group or "", x.assembly or "", x.holds_from, x.member),
    )


def offices_from_roles(session: Session, body_key: str, *, by: str, now: datetime) -> int:
    """The role labels members carried before offices (Speaker, deputy speaker, whip,
    Executive Committee) become offices held from their first day of service (a whip for their
    own group), where the member holds none yet; returns how many."""
    held = set(session.exec(select(OfficeHolding.member_id).where(
        OfficeHolding.body_key == body_key)).all())
    rows = session.exec(
        select(Member)
        .join(Seat, col(Seat.id) == col(Member.seat_id))
        .where(Seat.body_key == body_key, col(Member.role).in_(ROLE_LABELS))
        .order_by(col(Member.id))
    ).all()
    made = [
        OfficeHolding(
            body_key=body_key, office=m.role, member_id=m.id,
            group_name=m.group if m.role in GROUP_OFFICES else None, holds_from=m.serves_from,
            holds_until=m.serves_until, appointed_by=by, appointed_at=now,
        )
        for m in rows
        if m.id not in held
    ]
    session.add_all(made)
    if made:
        append(session, "offices from roles",
               {"body": body_key, "members": [h.member_id for h in made]}, now)
    return len(made)



def may_now(session: Session, member_id: str, power: Power, now: datetime) -> Verdict:
    """Whether a member holds, today, an office of their body with ``power`` (for any group or
    assembly: the service that uses the power checks which)."""
    return may(session, member_id, power, day_of(now),
               body_key=seat_of(session, member_id).body_key)
