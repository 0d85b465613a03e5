"""The tables of bodies: a body (a chamber or panel), its categories of seats, and its seats."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Body(SQLModel, table=True):
    """A chamber or panel (from its composition); ``spec`` is its full description."""

    key: str = Field(primary_key=True)
    title: str
    expected_seats: int
    spec: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    calendar_start: date  # the first day of the first cycle of its sitting pattern


class Category(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("body_key", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    key: str
    title: str
    seats: int
    sharers_per_seat: int
    cycle: str


class Seat(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("body_key", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    category_id: int = Field(foreign_key="category.id", index=True)
    code: str  # e.g. "S042"
    number: int  # 1-based within the body
