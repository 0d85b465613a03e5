"""The table of alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Alert(SQLModel, table=True):
    """Something the clerks must act on; open until resolved."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str | None = Field(default=None, foreign_key="body.key", index=True)
    kind: str  # e.g. "rota not published", "seat left empty"
    subject: str  # what it is about, e.g. "rota from 2027-03-01" (an open alert is raised once)
    message: str = Field(sa_column=Column(Text, nullable=False))
    raised_at: datetime
    resolved_at: datetime | None = None
