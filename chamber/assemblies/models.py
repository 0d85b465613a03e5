"""The tables of interest assemblies: an assembly and its seats, and the delegate it named for
a seat in a sitting."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Assembly(SQLModel, table=True):
    """An interest assembly of a body (Land & Title, Capital, ...), which meets monthly and names
    a delegate for each of its seats in each sitting from ``names_from`` (the first day of the
    first rota period it names; before it the seats were rotated among their sharers)."""

    __table_args__ = (UniqueConstraint("body_key", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    name: str
    sector: str = ""  # e.g. "economy", "professions" (the composition's grouping)
    names_from: date
    registered_at: datetime


class AssemblySeat(SQLModel, table=True):
    """A seat held by an assembly (each seat by one assembly at most)."""

    __table_args__ = (UniqueConstraint("seat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    assembly_id: int = Field(foreign_key="assembly.id", index=True)
    seat_id: int = Field(foreign_key="seat.id")


class Delegate(SQLModel, table=True):
    """The delegate an assembly named to sit in one of its seats in a sitting: a sharer of that
    seat, named by the assembly's officer before the deadline."""

    __table_args__ = (
        UniqueConstraint("sitting_id", "seat_id"),
        UniqueConstraint("sitting_id", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assembly_id: int = Field(foreign_key="assembly.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    seat_id: int = Field(foreign_key="seat.id")
    member_id: str = Field(foreign_key="member.id", index=True)
    named_by: str
    named_at: datetime
