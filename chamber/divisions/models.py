"""The tables of divisions, member votes, public voters with their submissions and current
votes, and proxies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


class Division(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # every division is created in a sitting; the column stays nullable for divisions stored
    # before sittings were required
    sitting_id: int | None = Field(default=None, foreign_key="sitting.id", index=True)
    question: str
    options: list[str] = Field(sa_column=Column(JSON, nullable=False))
    opens_at: datetime = Field(index=True)
    closes_at: datetime = Field(index=True)
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


class PublicVoter(SQLModel, table=True):
    """A registered member of the public (``handle`` names them inside the chamber).
    ``proxy_code`` is public: they give it to whoever may appoint them as a proxy."""

    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(unique=True)
    registered_at: datetime
    proxy_code: str | None = Field(default=None, unique=True, index=True)


class PublicSubmission(SQLModel, table=True):
    """Every public vote submitted, kept (the last one before close counts).  A retried
    submission with the same idempotency key returns the first one's receipt."""

    __table_args__ = (
        UniqueConstraint("division_id", "voter_id", "idempotency_key"),
        Index(
            "ix_publicsubmission_unchained",
            "id",
            postgresql_where=text("audit_id IS NULL"),
            sqlite_where=text("audit_id IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="division.id")
    voter_id: int = Field(foreign_key="publicvoter.id", index=True)
    option: int
    number: int  # 1 for the voter's first submission on this division, then 2, ...
    receipt: str = Field(index=True, unique=True)
    idempotency_key: str | None = None
    at: datetime
    # the audit entry that chains this submission (appended in order, in batches, by
    # `chain_public_votes`; None until then, never after a close)
    audit_id: int | None = Field(default=None, foreign_key="auditentry.id")
    # HMAC-SHA256 of the fields under the audit key (kept outside the database): the sequencer
    # chains only a submission whose MAC verifies.  None for submissions chained before MACs.
    mac: str | None = None


class PublicVote(SQLModel, table=True):
    """The current public vote: unique per (division, voter).

    ``in_graph`` marks the votes of people who have appointed a proxy or been named one (set
    when the vote is cast, and when its voter enters the proxy graph later), so that closing a
    division reads only those votes besides the per-option totals."""

    __table_args__ = (
        UniqueConstraint("division_id", "voter_id"),
        Index(
            "ix_publicvote_in_graph",
            "division_id",
            "voter_id",
            "option",
            postgresql_where=text("in_graph"),
            sqlite_where=text("in_graph"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="division.id")
    voter_id: int = Field(foreign_key="publicvoter.id", index=True)
    option: int
    submission_id: int = Field(foreign_key="publicsubmission.id")
    in_graph: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Proxy(SQLModel, table=True):
    """A person's proxy: general (division_id None) or for one division; revoked by time."""

    id: int | None = Field(default=None, primary_key=True)
    voter_id: int = Field(foreign_key="publicvoter.id", index=True)
    proxy_id: int = Field(foreign_key="publicvoter.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    appointed_at: datetime
    revoked_at: datetime | None = None
