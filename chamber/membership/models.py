"""The tables of membership: members (the sharers of seats) and their declared unavailability."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

ROLES = ("member", "whip", "deputy speaker", "Speaker", "Executive Committee")


class Member(SQLModel, table=True):
    """A sharer of a seat, with their group (party, independent, faith, ...) and role."""

    id: str = Field(primary_key=True)  # e.g. "S042-07"
    name: str
    seat_id: int = Field(foreign_key="seat.id", index=True)
    group: str
    role: str = "member"
    cycle: int = 1  # cycles of the body's pattern between sittings: 1, or 2 for youth members
    serves_from: date  # the first day of service
    serves_until: date | None = None  # the last day of service (None: serving on)


class Unavailability(SQLModel, table=True):
    """A member cannot sit in a session on a day (declared before the rota is solved)."""

    __table_args__ = (UniqueConstraint("member_id", "day", "session"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="member.id", index=True)
    day: date
    session: str  # "morning" or "evening"
