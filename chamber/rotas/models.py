"""The tables of rotas: a solved rota of a period, its slots, who sits in each, swap requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Rota(SQLModel, table=True):
    """A solved rota for a period of one body; ``status`` draft or published."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    start: date
    fortnights: int
    status: str = "draft"
    solved_at: datetime
    published_at: datetime | None = None
    summary: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))


class Slot(SQLModel, table=True):
    """One 8-hour slot of a rota period."""

    __table_args__ = (UniqueConstraint("rota_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    rota_id: int = Field(foreign_key="rota.id", index=True)
    number: int  # index within the rota's calendar
    day: date
    session: str
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    urgent_only: bool  # Saturday afternoon: urgent business only


class Assignment(SQLModel, table=True):
    """Who sits in a seat in a slot (the rota's answer)."""

    __table_args__ = (
        UniqueConstraint("slot_id", "seat_id"),
        UniqueConstraint("slot_id", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    seat_id: int = Field(foreign_key="seat.id")
    member_id: str = Field(foreign_key="member.id", index=True)


class SwapRequest(SQLModel, table=True):
    """A member asks a sharer of their seat to swap slots; the sharer accepts or declines."""

    id: int | None = Field(default=None, primary_key=True)
    rota_id: int = Field(foreign_key="rota.id", index=True)
    from_member: str = Field(foreign_key="member.id", index=True)
    to_member: str = Field(foreign_key="member.id", index=True)
    status: str = "pending"  # pending, accepted, declined, refused
    reason: str = ""
    created_at: datetime
    decided_at: datetime | None = None
