"""The tables of site notifications and of the divisions and subjects people follow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Notice(SQLModel, table=True):
    """A notification for one account, shown when they sign in until they act on it."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    subject: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    link: str = ""
    created_at: datetime
    done_at: datetime | None = None


class Follow(SQLModel, table=True):
    """A member of the public follows a division: they are told when it opens."""

    __table_args__ = (UniqueConstraint("account_id", "division_id"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    division_id: int = Field(foreign_key="division.id", index=True)
    created_at: datetime


class SubjectFollow(SQLModel, table=True):
    """Someone follows a subject: the words of a search (as `chamber.fulltext.terms.Terms`
    writes them); they are told when a division whose question has them all opens."""

    __table_args__ = (UniqueConstraint("account_id", "words"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    words: str
    created_at: datetime
