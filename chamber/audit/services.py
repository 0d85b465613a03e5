"""Appending to the audit chain, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, text
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from chamber.audit.chain import GENESIS, chain_hash
from chamber.audit.models import AuditEntry
from chamber.clock import aware

AUDIT_LOCK = 7_245_001  # the advisory lock key of the audit chain on PostgreSQL
ENTRIES: Table = AuditEntry.__table__  # type: ignore[attr-defined]


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


HEAD = "audit head"  # the session's note of the chain's head, once it holds the chain's lock


def append(session: Session, kind: str, payload: Mapping[str, object], at: datetime) -> str:
    """Append an entry to the hash chain in the caller's transaction; returns its hash."""
    return append_many(session, [(kind, payload, at)])[-1]


def append_many(
    session: Session, entries: Sequence[tuple[str, Mapping[str, object], datetime]]
) -> list[str]:
    """Append entries (kind, payload, time) to the hash chain, in order, in the caller's
    transaction; returns their hashes.  The first append of a transaction takes the chain's
    lock and reads the head; the transaction then knows the head itself (nobody else can append
    until it ends)."""
    previous = session.info.get(HEAD)
    if previous is None:
        lock_chain(session)
        previous = head(session) or GENESIS
    rows: list[dict[str, object]] = []
    hashes: list[str] = []
    for kind, payload, at in entries:
        body = {"kind": kind, "at": at.isoformat(), **payload}
        digest = chain_hash(previous, body)
        rows.append(
            {"kind": kind, "payload": body, "previous": previous, "hash": digest, "at": at}
        )
        hashes.append(digest)
        previous = digest
    if rows:
        # plain INSERTs, not ORM objects: the chain grows by every vote, and building model
        # objects cost more than the rest of an append (measured in the simulation)
        session.connection().execute(ENTRIES.insert(), rows)
        session.info[HEAD] = previous
    return hashes


def forget_head(session: Session) -> None:
    """Drop the session's note of the head (after appending outside `append`)."""
    session.info.pop(HEAD, None)


class Entry(NamedTuple):
    """An audit entry as the checks read it (the payload holds its kind and time too)."""

    id: int
    kind: str
    payload: dict[str, Any]
    hash: str


def load_entries(session: Session) -> list[Entry]:
    """The whole chain, in order (plain rows, not model objects: it holds every vote)."""
    rows = session.connection().execute(
        sa_select(ENTRIES.c.id, ENTRIES.c.kind, ENTRIES.c.payload, ENTRIES.c.hash)
        .order_by(ENTRIES.c.id)
    )
    return [Entry(*row) for row in rows]


def instant(value: object) -> datetime | None:
    """A time recorded in an entry (ISO 8601), or None."""
    return aware(datetime.fromisoformat(value)) if isinstance(value, str) else None


@dataclass
class Findings:
    """What a check against the log found: problems (the log and the tables disagree) and
    notes (what could not be checked, e.g. fields recorded before the log held them)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, other: Findings) -> None:
        self.problems += other.problems
        self.notes += other.notes
