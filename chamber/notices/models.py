"""The table of site notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
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
