"""Following a division: a member of the public asks to be told when it opens, and is (a site
notice with its link) when the scheduler or a clerk opens it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from chamber.clock import london
from chamber.divisions.models import Division
from chamber.divisions.state import division
from chamber.errors import Refused
from chamber.notices.models import Follow
from chamber.notices.services import notify_all


def follow_division(session: Session, account_id: int, division_id: int, now: datetime) -> None:
    """Follow a division not yet closed (following twice changes nothing)."""
    found = division(session, division_id)
    if found.status == "closed":
        raise Refused("the division is closed: there is nothing more to be told")
    if following(session, account_id, division_id):
        return
    session.add(Follow(account_id=account_id, division_id=division_id, created_at=now))


def unfollow_division(session: Session, account_id: int, division_id: int) -> None:
    for row in session.exec(
        select(Follow).where(Follow.account_id == account_id, Follow.division_id == division_id)
    ).all():
        session.delete(row)


def following(session: Session, account_id: int, division_id: int) -> bool:
    return session.exec(
        select(Follow.id).where(Follow.account_id == account_id, Follow.division_id == division_id)
    ).first() is not None


def notify_followers(session: Session, found: Division, now: datetime) -> int:
    """Tell everyone following a division (just opened) that it is open; returns how many."""
    division_id = found.id
    accounts = session.exec(select(Follow.account_id).where(Follow.division_id == division_id))
    return notify_all(
        session, accounts.all(), "A division you follow is open",
        f"{found.question!r} is open until {london(found.closes_at):%A %d %B, %H:%M}.",
        f"/divisions/{division_id}", now,
    )
