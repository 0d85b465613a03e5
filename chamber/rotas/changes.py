"""Membership through time: a member leaves or joins, and every published rota that runs after
the change is re-solved, changing as little as possible (the published part of a rota changes
only this way).  What cannot be filled is raised for the clerks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from chamber.alerts.services import raise_alert
from chamber.errors import Invalid
from chamber.membership.services import NewMember, add_members, member, seat_of
from chamber.rotas.services import resolve_rota, rotas_covering


def _resolve_from(session: Session, body_key: str, day: date, now: datetime) -> list[str]:
    problems = []
    for rota_id in rotas_covering(session, body_key, day):
        problems.extend(resolve_rota(session, rota_id, now))
    if problems:
        raise_alert(
            session, body_key, "seat left empty", f"membership of {body_key} from {day}",
            "After a change of membership: " + "; ".join(problems[:20]), now,
        )
    return problems


def end_service(session: Session, member_id: str, last_day: date, now: datetime) -> list[str]:
    """A member's service ends after ``last_day``: they sit in nothing after it.  Returns the
    seats the re-solve could not fill (also raised for the clerks)."""
    who = member(session, member_id)
    if last_day < who.serves_from:
        raise Invalid(f"{member_id} began serving on {who.serves_from}, after {last_day}")
    if who.serves_until is not None and who.serves_until <= last_day:
        raise Invalid(f"{member_id}'s service already ends on {who.serves_until}")
    who.serves_until = last_day
    return _resolve_from(session, seat_of(session, member_id).body_key, last_day, now)


def replace_member(
    session: Session, leaving: str, joining: NewMember, now: datetime
) -> list[str]:
    """One sharer leaves a seat and another takes their place: the leaver serves until the day
    before ``joining.serves_from``; every published rota from then is re-solved once."""
    if joining.serves_from is None:
        raise Invalid("a replacement names the day they begin serving")
    who = member(session, leaving)
    seat = seat_of(session, leaving)
    if joining.seat != seat.code:
        raise Invalid(f"{joining.id} replaces {leaving} in seat {seat.code}, not {joining.seat}")
    who.serves_until = joining.serves_from - timedelta(days=1)
    session.flush()
    add_members(session, seat.body_key, [joining])
    return _resolve_from(session, seat.body_key, who.serves_until, now)


def join(session: Session, body_key: str, joining: NewMember, now: datetime) -> list[str]:
    """A new sharer joins a seat of a body from ``joining.serves_from``."""
    if joining.serves_from is None:
        raise Invalid("a new member names the day they begin serving")
    add_members(session, body_key, [joining])
    return _resolve_from(session, body_key, joining.serves_from, now)


def change_last_day(
    session: Session, member_id: str, last_day: date, now: datetime
) -> list[str]:
    """A member's last day moves (a term extended, or ended before it began: ``last_day`` the
    day before their first); every published rota from the earlier of the two days is
    re-solved."""
    who = member(session, member_id)
    if last_day < who.serves_from - timedelta(days=1):
        raise Invalid(f"{member_id} begins serving on {who.serves_from}, after {last_day}")
    old = who.serves_until
    who.serves_until = last_day
    session.flush()
    day = last_day if old is None else min(old, last_day)
    return _resolve_from(session, seat_of(session, member_id).body_key, day, now)
