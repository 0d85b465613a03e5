"""The tables of the jury's experts and of citizens' panels: each field's ballot with its
nominations and the jurors' rankings; in the transition, the jury's yes/no vote on each
whip-taking peer; a citizens' panel's remit (question, stratum, size, quotas, powers, whether the
public vote on its divisions), its meetings and its outputs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ExpertBallot(SQLModel, table=True):
    """The serving jurors' ballot appointing the experts of one field (or the open seats): how
    many places it fills, the rule, the term; once counted, the stored election and who was
    appointed (their member ids)."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    field: str  # the name of a part of the experts' category ("Health", "Open seats ...")
    places: int
    rule: str
    serves_from: date
    serves_until: date  # the last day of the term
    opened_at: datetime
    counted_at: datetime | None = None
    election_id: int | None = Field(default=None, foreign_key="election.id")
    appointed: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = ""


class ExpertNomination(SQLModel, table=True):
    """A person nominated on a field's ballot, with what they are known for."""

    __table_args__ = (UniqueConstraint("ballot_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="expertballot.id", index=True)
    name: str
    expertise: str = ""
    nominated_at: datetime


class ExpertVote(SQLModel, table=True):
    """One serving juror's ranking of a field's nominations (first preference first)."""

    __table_args__ = (UniqueConstraint("ballot_id", "place_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="expertballot.id", index=True)
    place_id: int = Field(foreign_key="juryplace.id")
    ranking: list[int] = Field(sa_column=Column(JSON, nullable=False))
    cast_at: datetime


class PeerQuestion(SQLModel, table=True):
    """In the transition: whether a whip-taking peer who was not a working peer becomes an
    expert, put to the jury; once decided, the counts and (if approved) their member id."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    name: str
    party: str
    opened_at: datetime
    decided_at: datetime | None = None
    yes: int = 0
    no: int = 0
    approved: bool | None = None
    member_id: str | None = Field(default=None, foreign_key="member.id")


class PeerAnswer(SQLModel, table=True):
    """One serving juror's yes or no on a peer."""

    __table_args__ = (UniqueConstraint("question_id", "place_id"),)
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="peerquestion.id", index=True)
    place_id: int = Field(foreign_key="juryplace.id")
    yes: bool
    cast_at: datetime


class PanelRemit(SQLModel, table=True):
    """What a citizens' panel is drawn for: the question, the stratum it is drawn from, its
    size and quotas (the CSV text), its powers, and whether the public vote on its divisions."""

    body_key: str = Field(foreign_key="body.key", primary_key=True)
    question: str
    stratum: str
    size: int
    quotas_csv: str = Field(sa_column=Column(Text, nullable=False))
    powers: list[str] = Field(sa_column=Column(JSON, nullable=False))
    public_votes: bool = False
    created_at: datetime


class PanelMeeting(SQLModel, table=True):
    """A meeting of a citizens' panel."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="panelremit.body_key", index=True)
    starts_at: datetime
    ends_at: datetime
    venue: str
    agenda: str = ""


class PanelOutput(SQLModel, table=True):
    """What a panel publishes on its decision: a recommendation (to advise), an amendment (to
    revise) or a scrutiny report (to scrutinise), from one of its meetings."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="panelremit.body_key", index=True)
    kind: str
    title: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    meeting_id: int | None = Field(default=None, foreign_key="panelmeeting.id")
    published_at: datetime
