"""The table of sittings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Sitting(SQLModel, table=True):
    """A sitting of a body in a slot."""

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", unique=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    urgent_only: bool
