"""The table of stored counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class Election(SQLModel, table=True):
    """A stored count: its inputs (the ballot file itself), rule, seed and published result."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str | None = Field(default=None, foreign_key="body.key")
    title: str
    rule: str
    seats: int
    seed: str
    source_name: str
    source_sha256: str
    ballots: str = Field(sa_column=Column(Text, nullable=False))
    result: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    counted_at: datetime
    audit_head: str
