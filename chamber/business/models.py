"""The tables of business: items, invitations, debates and speeches."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class BusinessItem(SQLModel, table=True):
    """An item of business planned into a sitting (a month ahead, or urgent on Saturday pm)."""

    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    title: str
    urgent: bool = False
    planned_on: date
    planned_by: str


class Invitation(SQLModel, table=True):
    """The Speaker invites a member who is not rostered to speak in a sitting (never to vote)."""

    __table_args__ = (UniqueConstraint("sitting_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    reason: str  # one of chamber.business.rules.INVITATION_REASONS
    detail: str


class Debate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="businessitem.id", unique=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    title: str


class Speech(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    debate_id: int = Field(foreign_key="debate.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    seat_code: str
    invited: bool  # spoke by the Speaker's invitation, not from a rostered seat
    at: datetime
    text: str = Field(sa_column=Column(Text, nullable=False))


class Attendance(SQLModel, table=True):
    """Who attended a sitting, recorded by the clerk: the rostered member of a seat, a member
    invited by the Speaker (with the reason), or a member attending without a vote."""

    __table_args__ = (UniqueConstraint("sitting_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    kind: str  # "rostered", "invited" or "without a vote"
    reason: str = ""
    recorded_by: str
    recorded_at: datetime
