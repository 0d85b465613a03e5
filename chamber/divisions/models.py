"""The tables of divisions, votes, proxies and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Division(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    question: str
    options: list[str] = Field(sa_column=Column(JSON, nullable=False))
    slot_start: datetime
    opens_at: datetime
    closes_at: datetime
    status: str = "scheduled"  # scheduled, open, closed
    result: dict[str, object] | None = Field(default=None, sa_column=Column(JSON))
    audit_head: str | None = None


class MemberVote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("division_id", "seat"),)
    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="division.id", index=True)
    member: str
    seat: str
    option: int
    at: datetime


class PublicSubmission(SQLModel, table=True):
    """Every public vote submitted, kept (the last one before close counts)."""

    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="division.id", index=True)
    voter: str = Field(index=True)
    option: int
    number: int  # 1 for the first submission of this voter on this division, then 2, ...
    receipt: str = Field(index=True, unique=True)
    at: datetime


class PublicVote(SQLModel, table=True):
    """The current public vote: unique per (division, voter)."""

    __table_args__ = (UniqueConstraint("division_id", "voter"),)
    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="division.id", index=True)
    voter: str
    option: int
    submission_id: int = Field(foreign_key="publicsubmission.id")


class Proxy(SQLModel, table=True):
    """A person's proxy: general (division_id None) or for one division; revoked by time."""

    id: int | None = Field(default=None, primary_key=True)
    voter: str = Field(index=True)
    proxy: str
    division_id: int | None = Field(default=None, foreign_key="division.id")
    appointed_at: datetime
    revoked_at: datetime | None = None


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    payload: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    previous: str
    hash: str = Field(unique=True)
    at: datetime


class Secret(SQLModel, table=True):
    """Per-deployment secrets made on first use (never in the repository)."""

    name: str = Field(primary_key=True)
    value: str
