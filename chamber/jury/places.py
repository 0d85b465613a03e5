"""Places on a jury and who holds them: the seats places share, invitations (a site notice now,
the outbox later: `deliver_invitation`), accepting, declining, lapsing and withdrawing, and a
juror becoming a member of the body from the first day of their month until their term ends.

Months are labels ``YYYY-MM``; a place of cohort ``2027-03`` with term end ``2028-03`` is held
from 1 March 2027 to 29 February 2028."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

import numpy as np
from sqlmodel import Session, col, select

from chamber.accounts.models import Account
from chamber.bodies.models import Category, Seat
from chamber.clock import london
from chamber.db import fetch
from chamber.errors import Forbidden, Refused
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryInvitation, JuryPlace, Volunteer
from chamber.jury.rules import Ints
from chamber.membership.models import Member
from chamber.membership.services import NewMember
from chamber.notices.services import close_notices, notify
from chamber.rotas.changes import change_last_day, join
from electoral.sortition.instance import Quota

HOLDING = ("invited", "serving")


def index(label: str) -> int:
    """A month label as a number of months (``2027-03`` -> 2027 * 12 + 2)."""
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1


def label(at: int) -> str:
    return f"{at // 12:04d}-{at % 12 + 1:02d}"


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_of(now: datetime) -> str:
    return london(now).strftime("%Y-%m")


def on_jury(session: Session, body_key: str, month: str) -> list[JuryPlace]:
    """The places of a body's jury in ``month`` (held, invited or vacant)."""
    return list(session.exec(
        select(JuryPlace).where(
            JuryPlace.body_key == body_key, col(JuryPlace.cohort) <= month,
            col(JuryPlace.term_end) > month,
        ).order_by(col(JuryPlace.id))
    ).all())


def holders(session: Session, places: Iterable[JuryPlace]) -> dict[int, Volunteer]:
    """Place id -> the volunteer holding (or invited to) it."""
    held = {p.volunteer_id: p.id or 0 for p in places if p.status in HOLDING and p.volunteer_id}
    rows = session.exec(select(Volunteer).where(col(Volunteer.id).in_(list(held)))).all()
    return {held[v.id or 0]: v for v in rows}


def counts(quotas: Sequence[Quota], people: Iterable[Volunteer]) -> Ints:
    """How many of ``people`` have each quota's value."""
    out = np.zeros(len(quotas), dtype=np.int64)
    for v in people:
        for q, quota in enumerate(quotas):
            out[q] += v.features.get(quota.feature) == quota.value
    return out


def membership(quotas: Sequence[Quota], people: Sequence[Volunteer]) -> np.ndarray:
    """``[q, i]``: whether person ``i`` has quota ``q``'s value."""
    return np.array(
        [[v.features.get(q.feature) == q.value for v in people] for q in quotas], dtype=bool
    ).reshape(len(quotas), len(people))


# -- seats ---------------------------------------------------------------------------------------


def _occupancy(
    session: Session, lottery: Lottery, months: range
) -> tuple[dict[int, np.ndarray], int]:
    """Seat id -> how many share it at the start of each of ``months`` (places of the jury and
    members who hold no place), and the category's sharers per seat."""
    category = session.exec(
        select(Category).where(Category.body_key == lottery.body,
                               Category.key == lottery.category)
    ).first()
    if category is None:
        raise Refused(f"{lottery.body} has no category {lottery.category!r} for its jurors")
    seats = session.exec(
        select(Seat.id).where(Seat.category_id == category.id).order_by(col(Seat.number))
    ).all()
    used = {s: np.zeros(len(months), dtype=np.int64) for s in seats if s is not None}
    places = session.exec(
        select(JuryPlace).where(JuryPlace.body_key == lottery.body,
                                col(JuryPlace.seat_id).in_(list(used)))
    ).all()
    linked = {p.member_id for p in places if p.member_id}
    for p in places:
        a, b = index(p.cohort), index(p.term_end)
        used[p.seat_id] += [a <= m < b for m in months]
    for m in session.exec(select(Member).where(col(Member.seat_id).in_(list(used)))).all():
        if m.id in linked:
            continue
        days = [first_day(label(k)) for k in months]
        used[m.seat_id] += [
            m.serves_from <= d and (m.serves_until is None or m.serves_until >= d) for d in days
        ]
    return used, category.sharers_per_seat


def free_seats(session: Session, lottery: Lottery, start: str, end: str, places: int) -> list[int]:
    """Seats for ``places`` new places from ``start`` until ``end`` (each seat as often as it
    has room in every month of the term), in seat order; refused when there is not room."""
    months = range(index(start), index(end))
    used, limit = _occupancy(session, lottery, months)
    out: list[int] = []
    for seat, use in used.items():
        out.extend([seat] * max(0, limit - int(use.max(initial=0))))
    if len(out) < places:
        raise Refused(
            f"the {lottery.category} seats of {lottery.body} have room for {len(out)} more from "
            f"{start} to {end}, not {places}: the places of those leaving are still held"
        )
    return out[:places]


def room_to_extend(
    session: Session, lottery: Lottery, places: Sequence[JuryPlace], months: int
) -> set[int]:
    """The places (ids) whose seat has room for their holder ``months`` longer (the seats'
    occupancy read once for each month the places end, not once a place)."""
    out: set[int] = set()
    for end in sorted({index(p.term_end) for p in places}):
        used, limit = _occupancy(session, lottery, range(end, end + months))
        out.update(p.id for p in places if index(p.term_end) == end and p.id is not None
                   and int(used[p.seat_id].max(initial=0)) < limit)
    return out


# -- invitations and answers ------------------------------------------------------------------


def link(invitation_id: int) -> str:
    return f"/me/volunteering#invitation-{invitation_id}"


def deliver_invitation(
    session: Session, invitation: JuryInvitation, who: Volunteer, place: JuryPlace, now: datetime
) -> None:
    """Tell a drawn volunteer: a notice on the site when they have an account (the e-mail
    outbox will be called from here); the officer's letters CSV lists every open invitation."""
    if who.account_id is None:
        return
    assert invitation.id is not None
    notify(
        session, who.account_id, f"You have been drawn for {place.body_key}",
        f"You have been drawn by lot to serve from the first day of {place.cohort} until "
        f"{place.term_end} begins. Please accept or decline by "
        f"{london(invitation.respond_by):%d %B %Y}.",
        link(invitation.id), now,
    )


def invite(
    session: Session, place: JuryPlace, who: Volunteer, draw_id: int, now: datetime,
    accept_days: int,
) -> JuryInvitation:
    assert who.id is not None
    assert place.id is not None
    place.volunteer_id, place.status, place.member_id = who.id, "invited", None
    invitation = JuryInvitation(
        place_id=place.id, volunteer_id=who.id, draw_id=draw_id, invited_at=now,
        respond_by=now + timedelta(days=accept_days), status="invited",
    )
    session.add(invitation)
    session.flush()
    deliver_invitation(session, invitation, who, place, now)
    return invitation


def invite_drawn(
    session: Session, body_key: str, cohort: str, term_end: str, seats: Sequence[int],
    people: Sequence[Volunteer], draw_id: int, now: datetime, accept_days: int,
) -> None:
    """A new place of the cohort in each seat, each drawn person invited to it."""
    for seat, who in zip(seats, people, strict=True):
        place = JuryPlace(body_key=body_key, cohort=cohort, term_end=term_end, seat_id=seat,
                          status="invited")
        session.add(place)
        session.flush()
        invite(session, place, who, draw_id, now, accept_days)


def _mine(session: Session, invitation_id: int, account_id: int | None) -> tuple[
    JuryInvitation, JuryPlace, Volunteer
]:
    invitation = fetch(session, JuryInvitation, invitation_id, "invitation")
    who = fetch(session, Volunteer, invitation.volunteer_id, "volunteer")
    if account_id is not None and who.account_id != account_id:
        raise Forbidden("this invitation is someone else's")
    return invitation, fetch(session, JuryPlace, invitation.place_id, "place"), who


def answer(
    session: Session, invitation_id: int, accept: bool, now: datetime, *,
    account_id: int | None = None,
) -> str:
    """A drawn volunteer accepts or declines (signed in: ``account_id``; or by letter, which
    the officer records: None); accepting makes them a member of the body, a sharer of the
    place's seat from the first day of its month (or tomorrow, when that has passed) until its
    term ends.  Returns the invitation's new status."""
    invitation, place, who = _mine(session, invitation_id, account_id)
    if invitation.status != "invited":
        raise Refused(f"this invitation was {invitation.status} already")
    if now > invitation.respond_by:
        raise Refused(f"the answer was due by {london(invitation.respond_by):%d %B %Y}")
    invitation.answered_at = now
    close_notices(session, link(invitation_id), now)
    if not accept:
        invitation.status, place.status, place.volunteer_id = "declined", "vacant", None
        return invitation.status
    invitation.status, place.status = "accepted", "serving"
    seat = fetch(session, Seat, place.seat_id, "seat")
    category = fetch(session, Category, seat.category_id, "category")
    start = max(first_day(place.cohort), london(now).date() + timedelta(days=1))
    member_id = f"{seat.code}-J{place.id}-{invitation_id}"
    last = first_day(place.term_end) - timedelta(days=1)
    join(session, place.body_key,
         NewMember(member_id, who.name, seat.code, category.key, serves_from=start,
                   serves_until=last),
         now)
    place.member_id = member_id
    _account(session, who.account_id, member_id)
    return invitation.status


def _account(session: Session, account_id: int | None, member_id: str | None) -> None:
    """A public account becomes the member's account while they serve, and public again."""
    account = session.get(Account, account_id) if account_id is not None else None
    if account is None:
        return
    if member_id is not None and account.role == "public":
        account.role, account.member_id = "member", member_id
        account.calendar_token = account.calendar_token or secrets.token_urlsafe(24)
    elif member_id is None and account.role == "member":
        account.role, account.member_id = "public", None


def release(session: Session, place: JuryPlace, status: str, now: datetime) -> None:
    """The holder of a place gives it up (``status``: declined, lapsed, withdrawn): the place is
    vacant until a replacement is drawn; a member stops serving after today (or never starts)."""
    invitation = session.exec(
        select(JuryInvitation).where(JuryInvitation.place_id == place.id,
                                     col(JuryInvitation.status).in_(("invited", "accepted")))
    ).first()
    if invitation is not None:
        invitation.status, invitation.answered_at = status, now
        close_notices(session, link(invitation.id or 0), now)
    if place.member_id is not None:
        member = fetch(session, Member, place.member_id, "member")
        today = london(now).date()
        change_last_day(session, member.id, max(today, member.serves_from - timedelta(days=1)),
                        now)
        who = session.get(Volunteer, place.volunteer_id) if place.volunteer_id else None
        _account(session, who.account_id if who else None, None)
    place.status, place.volunteer_id, place.member_id = "vacant", None, None


def lapse(session: Session, body_key: str, now: datetime) -> int:
    """Invitations not answered in time lapse; their places are vacant.  Returns how many."""
    rows = session.exec(
        select(JuryInvitation, JuryPlace)
        .join(JuryPlace, col(JuryPlace.id) == col(JuryInvitation.place_id))
        .where(JuryPlace.body_key == body_key, JuryInvitation.status == "invited",
               col(JuryInvitation.respond_by) < now)
    ).all()
    for _invitation, place in rows:
        release(session, place, "lapsed", now)
    return len(rows)


def withdraw_entry(session: Session, volunteer_id: int, account_id: int, now: datetime) -> None:
    """A volunteer withdraws their entry from the pool; one who holds a place gives it up (a
    serving juror withdraws from the jury after today, and is replaced)."""
    who = fetch(session, Volunteer, volunteer_id, "entry")
    if who.account_id != account_id:
        raise Forbidden("this entry is someone else's")
    if who.withdrawn_at is not None:
        raise Refused("this entry was withdrawn already")
    who.withdrawn_at = now
    place = session.exec(
        select(JuryPlace).where(JuryPlace.volunteer_id == volunteer_id,
                                col(JuryPlace.status).in_(HOLDING))
    ).first()
    if place is not None:
        release(session, place, "withdrawn" if place.status == "serving" else "declined", now)


def end_terms(session: Session, body_key: str, now: datetime) -> int:
    """Jurors whose term has ended: their account is public again.  Returns how many."""
    month = month_of(now)
    ended = session.exec(
        select(JuryPlace).where(JuryPlace.body_key == body_key, JuryPlace.status == "serving",
                                col(JuryPlace.term_end) <= month)
    ).all()
    for place in ended:
        who = session.get(Volunteer, place.volunteer_id) if place.volunteer_id else None
        place.status = "ended"
        _account(session, who.account_id if who else None, None)
    return len(ended)
