"""The audit log's tables: the chain, and checkpoints of its head."""

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


class AuditCheckpoint(SQLModel, table=True):
    """The chain's head and length at a moment (each division's close, and hourly): a chain
    cut back or rewritten before a checkpoint no longer has ``head`` at position ``length``.
    Published at /audit, so copies kept elsewhere prove the chain up to them.  ``mac`` is
    made with the audit key, so a checkpoint cannot be invented in the database alone."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    length: int  # entries in the chain, the head included
    entry_id: int  # the head's id (where the next checkpoint starts counting)
    head: str
    reason: str  # "division 12 closed", "hourly"
    mac: str
