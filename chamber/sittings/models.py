"""The table of sittings: when each body sits, made from its sitting pattern well ahead of the
rota that says who sits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Sitting(SQLModel, table=True):
    """One sitting of a body: a session of its pattern on a day, at its wall-clock times in
    Europe/London (stored as aware instants)."""

    __table_args__ = (UniqueConstraint("body_key", "day", "session"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    day: date
    session: str
    cycle: int  # which cycle of the body's pattern, counted from the body's calendar start
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    urgent_only: bool
