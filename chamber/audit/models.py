"""The audit log's table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    """One link of the hash chain; ``previous`` is unique, so the chain can never fork."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    payload: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    previous: str = Field(unique=True)
    hash: str = Field(unique=True)
    at: datetime
