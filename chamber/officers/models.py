"""The tables of offices: who holds which office when, who chairs a sitting, and the Executive
Committee's elections (the ballots kept apart from who voted)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class OfficeHolding(SQLModel, table=True):
    """A member holds an office of a body from ``holds_from`` to ``holds_until`` (their last
    day; None: holding on): for a group's whip or officer, ``group_name`` is the group; for an
    assembly's officer, ``assembly_id`` the assembly; for the Executive Committee,
    ``election_id`` the count that elected them."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    office: str  # one of chamber.officers.rules.OFFICES
    member_id: str = Field(foreign_key="member.id", index=True)
    group_name: str | None = None
    assembly_id: int | None = Field(default=None, foreign_key="assembly.id")
    election_id: int | None = Field(default=None, foreign_key="election.id")
    holds_from: date
    holds_until: date | None = None
    appointed_by: str
    appointed_at: datetime


class SittingChair(SQLModel, table=True):
    """Who chairs a sitting: the Speaker or a deputy speaker, named by either."""

    __table_args__ = (UniqueConstraint("sitting_id"),)
    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="sitting.id")
    member_id: str = Field(foreign_key="member.id")
    named_by: str
    named_at: datetime


class CommitteeElection(SQLModel, table=True):
    """An election of a body's Executive Committee by its members: the candidates (member ids),
    seats, the STV rule and the seed announced for ties, when the ballot is open, and the
    stored count (`chamber.elections`) once counted."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    title: str
    seats: int
    rule: str  # "scottish" or "meek"
    seed: str
    candidates: list[str] = Field(sa_column=Column(JSON, nullable=False))
    opens_at: datetime
    closes_at: datetime
    called_by: str
    election_id: int | None = Field(default=None, foreign_key="election.id")


class CommitteeVoter(SQLModel, table=True):
    """A member voted in a committee election (once; their ballot is stored apart)."""

    __table_args__ = (UniqueConstraint("committee_election_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    committee_election_id: int = Field(foreign_key="committeeelection.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    voted_at: datetime


class CommitteeBallot(SQLModel, table=True):
    """A ballot of a committee election: candidates (member ids) in order of preference."""

    id: int | None = Field(default=None, primary_key=True)
    committee_election_id: int = Field(foreign_key="committeeelection.id", index=True)
    ranking: list[str] = Field(sa_column=Column(JSON, nullable=False))
