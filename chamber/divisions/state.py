"""A division's state: finding it, whether it is open, its options, and its locks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from chamber.clock import aware
from chamber.db import fetch
from chamber.divisions.models import Division
from chamber.errors import Invalid

DIVISION_LOCK = 7_245_200  # advisory lock class of one division (PostgreSQL)


def division(session: Session, division_id: int) -> Division:
    return fetch(session, Division, division_id, "division")


def lock_for_vote(session: Session, division_id: int) -> Division:
    """The division, with a shared advisory lock on PostgreSQL: votes in flight hold it
    shared, a close takes it exclusively, so a close waits for them and a later vote sees the
    division closed (SQLite serialises every write anyway).  A lock, not FOR SHARE on the row:
    thousands of voters share-locking one row would churn multixacts."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock_shared(:c, :d)"),
            {"c": DIVISION_LOCK, "d": division_id},
        )
    return division(session, division_id)


def lock_for_close(session: Session, division_id: int) -> Division:
    """The division, with the exclusive advisory lock a close takes (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:c, :d)"), {"c": DIVISION_LOCK, "d": division_id}
        )
    return division(session, division_id)


def is_open(found: Division, now: datetime) -> bool:
    return found.status != "closed" and aware(found.opens_at) <= aware(now) < aware(
        found.closes_at
    )


def has_closed(found: Division, now: datetime) -> bool:
    """Closed, or its closing time has passed (votes and proxies can no longer change)."""
    return found.status == "closed" or aware(now) >= aware(found.closes_at)


def closed_reason(found: Division, now: datetime) -> str:
    if has_closed(found, now):
        return "the division is closed: votes can no longer change"
    return "the division is not open yet"


def option_index(found: Division, option: str) -> int:
    try:
        return found.options.index(option)
    except ValueError:
        raise Invalid(
            f"{option!r} is not an option of this division ({', '.join(found.options)})"
        ) from None
