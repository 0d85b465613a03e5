"""The tables of rotas: a solved rota of a period, its slots, who sits in each, swap requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Rota(SQLModel, table=True):
    """Who sits in a body's sittings for a period of whole cycles (``cycles`` of the body's
    pattern, from the cycle starting on ``start``); ``status`` draft or published."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    start: date
    cycles: int
    status: str = "draft"
    solved_at: datetime
    published_at: datetime | None = None
    summary: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))


class Assignment(SQLModel, table=True):
    """Who sits in a seat in a sitting (a rota's answer)."""

    __table_args__ = (
        UniqueConstraint("sitting_id", "seat_id"),
        UniqueConstraint("sitting_id", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    rota_id: int = Field(foreign_key="rota.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    seat_id: int = Field(foreign_key="seat.id")
    member_id: str = Field(foreign_key="member.id", index=True)


class SwapRequest(SQLModel, table=True):
    """A member asks a sharer of their seat to exchange two named sittings; the sharer accepts
    or declines, the asker may withdraw.  Refused once either sitting has changed hands or
    begun."""

    id: int | None = Field(default=None, primary_key=True)
    rota_id: int = Field(foreign_key="rota.id", index=True)
    from_member: str = Field(foreign_key="member.id", index=True)
    to_member: str = Field(foreign_key="member.id", index=True)
    from_sitting_id: int | None = Field(default=None, foreign_key="sitting.id")
    to_sitting_id: int | None = Field(default=None, foreign_key="sitting.id")
    status: str = "pending"  # pending, accepted, declined, refused, withdrawn
    reason: str = ""
    created_at: datetime
    decided_at: datetime | None = None


class Pin(SQLModel, table=True):
    """A member pinned to a sitting by an officer of their group (a whip): every solve of the
    rota seats them there.  Checked against the rota's hard rules when pinned."""

    __table_args__ = (UniqueConstraint("member_id", "sitting_id"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="member.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    pinned_by: str
    pinned_at: datetime
