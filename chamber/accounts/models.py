"""The table of accounts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

ROLES = ("public", "member", "clerk", "administrator")


class Account(SQLModel, table=True):
    """Who may sign in: a public voter, a member, a clerk or an administrator.  ``calendar_token``
    is the secret part of a member's iCalendar feed URL."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str
    role: str  # one of ROLES
    member_id: str | None = Field(default=None, foreign_key="member.id")
    voter_id: int | None = Field(default=None, foreign_key="publicvoter.id")
    calendar_token: str | None = Field(default=None, unique=True)
    created_at: datetime
