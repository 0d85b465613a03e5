"""The tables of the national jury: its stored months, the serving jurors, and every draw's
public record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class JuryDraw(SQLModel, table=True):
    """A draw by lot (a monthly jury draw, a replacement, or a panel) with its public record."""

    id: int | None = Field(default=None, primary_key=True)
    month: str | None = Field(default=None, index=True)  # "2027-03" for jury draws
    kind: str  # "monthly", "replacement", "panel"
    seed: str
    record: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    drawn_at: datetime
    audit_head: str


class JuryMonth(SQLModel, table=True):
    """The jury after a month: the state to continue from, and the month's report."""

    month: int = Field(primary_key=True)
    label: str = Field(unique=True)
    state: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    report: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    run_at: datetime


class Juror(SQLModel, table=True):
    """A place on the jury in a month (rows of the latest month are the serving jury)."""

    id: int | None = Field(default=None, primary_key=True)
    month: int = Field(foreign_key="jurymonth.month", index=True)
    person: str
    cohort: str
    joined: str
    term_end: str
    extended: bool
