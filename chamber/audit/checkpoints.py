"""Checkpoints of the chain's head: made at each division's close and hourly, published at
/audit, and checked by `chamber audit verify` (a chain cut back or rewritten before a
checkpoint, or before a head kept elsewhere, is named)."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as select_model

from chamber.audit.keys import checkpoint_mac
from chamber.audit.models import AuditCheckpoint
from chamber.audit.services import ENTRIES, lock_chain
from chamber.clock import aware, describe

CHECKPOINTS = AuditCheckpoint.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class CheckpointView:
    at: datetime
    length: int
    head: str
    reason: str


def make_checkpoint(
    session: Session, now: datetime, reason: str, key: bytes
) -> CheckpointView | None:
    """Record the chain's head and length now, in the caller's transaction (under the chain's
    lock, so the head cannot move meanwhile); None for an empty chain.  A checkpoint is made
    even when the head is the last one's: a checkpoint every hour shows, by its gaps, when
    checkpoints stopped or were deleted."""
    session.flush()
    conn = session.connection()
    lock_chain(conn)
    last = conn.execute(
        select(ENTRIES.c.id, ENTRIES.c.hash).order_by(ENTRIES.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return None
    previous = conn.execute(
        select(CHECKPOINTS.c.entry_id, CHECKPOINTS.c.length)
        .order_by(CHECKPOINTS.c.id.desc())
        .limit(1)
    ).first()
    if previous is not None and previous.entry_id <= last.id:
        # count only what was appended since the last checkpoint (the chain grows by every vote)
        since = select(func.count()).where(
            ENTRIES.c.id > previous.entry_id, ENTRIES.c.id <= last.id
        )
        length = previous.length + int(conn.execute(since).scalar_one())
    else:
        length = int(conn.execute(
            select(func.count()).where(ENTRIES.c.id <= last.id)
        ).scalar_one())
    point = AuditCheckpoint(
        at=now, length=length, entry_id=last.id, head=last.hash, reason=reason,
        mac=checkpoint_mac(key, length, last.hash, now, reason),
    )
    session.add(point)
    session.flush()
    return CheckpointView(aware(now), length, last.hash, reason)


def latest_checkpoints(session: Session, limit: int = 50) -> list[CheckpointView]:
    """The newest checkpoints first (what /audit shows)."""
    found = session.exec(
        select_model(AuditCheckpoint).order_by(col(AuditCheckpoint.id).desc()).limit(limit)
    ).all()
    return [CheckpointView(aware(c.at), c.length, c.head, c.reason) for c in found]


def checkpoint_problems(
    session: Session, hashes: Sequence[str], key: bytes | None
) -> list[str]:
    """Every checkpoint whose head is not at its position in the chain (``hashes``, in order),
    or whose MAC does not verify under the audit key (when there is one)."""
    problems = []
    for c in session.exec(select_model(AuditCheckpoint).order_by(col(AuditCheckpoint.id))):
        name = f"checkpoint {c.id} ({describe(c.at)}, {c.reason})"
        if key is not None and not hmac.compare_digest(
            checkpoint_mac(key, c.length, c.head, c.at, c.reason), c.mac
        ):
            problems.append(f"{name}: its MAC does not verify (made without the audit key)")
        problems += _position(name, c.head, c.length, hashes)
    return problems


def _position(name: str, head: str, length: int, hashes: Sequence[str]) -> list[str]:
    if length > len(hashes):
        return [
            f"{name} records head {head[:16]}… as entry {length:,} of the chain, which now "
            f"has only {len(hashes):,}: the chain was cut back"
        ]
    if length < 1 or hashes[length - 1] != head:
        return [
            f"{name} records head {head[:16]}… as entry {length:,} of the chain, which is "
            f"{hashes[length - 1][:16] if length >= 1 else 'nothing'}…: the chain was "
            "rewritten before the checkpoint"
        ]
    return []


def head_problems(hashes: Sequence[str], heads: Sequence[str]) -> tuple[list[str], list[str]]:
    """Heads kept outside the database: each must be on the chain.  (problems, where each
    found head is)."""
    where = {h: i for i, h in enumerate(hashes, start=1)}
    problems, found = [], []
    for h in heads:
        h = h.strip().lower()
        if h in where:
            found.append(f"the head {h[:16]}… kept outside is entry {where[h]:,} of the chain")
        else:
            problems.append(
                f"the head {h[:16]}… kept outside is not on the chain: the chain was cut back "
                "or rewritten before it"
            )
    return problems, found
