"""The table of accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import true
from sqlmodel import Field, SQLModel

ROLES = ("public", "member", "clerk", "administrator")


class Account(SQLModel, table=True):
    """Who may sign in: a public voter, a member, a clerk or an administrator.  ``calendar_token``
    is the secret part of a member's iCalendar feed URL.  A disabled account cannot sign in,
    and its sessions end.  Its notices are also e-mailed (``email_notices``) to ``email``, or
    where that is empty to the e-mail address its elector has on the register."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str
    role: str  # one of ROLES
    member_id: str | None = Field(default=None, foreign_key="member.id")
    voter_id: int | None = Field(default=None, foreign_key="publicvoter.id")
    calendar_token: str | None = Field(default=None, unique=True)
    created_at: datetime
    disabled: bool = False
    email: str | None = None
    email_notices: bool = Field(default=True, sa_column_kwargs={"server_default": true()})


class AccountSession(SQLModel, table=True):
    """A signed-in session.  The cookie carries a random token; only its SHA-256 is stored, so
    a copy of the table signs nobody in.  A session ends when it is revoked (signing out; the
    account disabled, its role or password changed) or when it has been idle past
    ``expires_at``."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
