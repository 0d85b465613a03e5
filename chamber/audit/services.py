"""Appending to the audit chain, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from chamber.audit.chain import GENESIS, chain_hash
from chamber.audit.models import AuditEntry

AUDIT_LOCK = 7_245_001  # the advisory lock key of the audit chain on PostgreSQL


def lock_chain(conn: Connection | Session) -> None:
    """Serialise appends: on PostgreSQL a transaction-scoped advisory lock; on SQLite the write
    lock every writing transaction takes when it begins (``BEGIN IMMEDIATE``) already does.
    The unique ``previous`` column would refuse a fork even if they were not serialised."""
    dialect = conn.get_bind().dialect if isinstance(conn, Session) else conn.dialect
    if dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})


def head(session: Session) -> str | None:
    """The hash of the newest entry (None for an empty chain)."""
    return session.exec(
        select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
    ).first()


def append(session: Session, kind: str, payload: Mapping[str, object], at: datetime) -> str:
    """Append an entry to the hash chain in the caller's transaction; returns its hash."""
    lock_chain(session)
    previous = head(session) or GENESIS
    body = {"kind": kind, "at": at.isoformat(), **payload}
    digest = chain_hash(previous, body)
    session.add(AuditEntry(kind=kind, payload=body, previous=previous, hash=digest, at=at))
    return digest
