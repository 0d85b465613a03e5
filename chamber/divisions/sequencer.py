"""The audit sequencer: public votes commit without waiting for the chain (so they are not
serialised behind one lock), and are then put on it, in order, with every field, within a
second (the scheduler) and always before a division closes."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from chamber.audit.chain import GENESIS, chain_link
from chamber.audit.models import AuditEntry
from chamber.audit.services import HEAD, lock_chain
from chamber.clock import aware
from chamber.db import transaction
from chamber.divisions.models import PublicSubmission

_PG_CHAIN = text(
    """
    WITH entry AS (
        INSERT INTO auditentry (kind, payload, previous, hash, at)
        SELECT 'public vote', CAST(p AS json), pr, h, t FROM unnest(
            CAST(:payload AS text[]), CAST(:previous AS varchar[]), CAST(:hash AS varchar[]),
            CAST(:at AS timestamptz[])
        ) WITH ORDINALITY AS u(p, pr, h, t, i)
        ORDER BY i
        RETURNING id, hash
    )
    UPDATE publicsubmission SET audit_id = entry.id
    FROM entry JOIN unnest(CAST(:submission AS integer[]), CAST(:hash AS varchar[])) AS m(s, h)
        ON m.h = entry.hash
    WHERE publicsubmission.id = m.s
    """
)


def submission_entry(sub: Any) -> dict[str, object]:
    """What the chain records of a public submission (a `PublicSubmission` or a row with its
    columns); the integrity check compares stored submissions with it."""
    return {
        "division": sub.division_id,
        "submission": sub.id,
        "voter": sub.voter_id,
        "option": sub.option,
        "number": sub.number,
        "receipt": sub.receipt,
    }


def chain_pending(session: Session, limit: int | None = None) -> int:
    """Append the public submissions not yet on the chain, in id order, in the caller's
    transaction (under the audit lock); returns how many.  Written in SQL, not ORM objects:
    the sequencer chains every public vote."""
    session.flush()  # the entries `append` added to this transaction come first
    conn = session.connection()
    lock_chain(conn)
    sub = PublicSubmission.__table__  # type: ignore[attr-defined]
    pending = conn.execute(
        select(
            sub.c.id, sub.c.division_id, sub.c.voter_id, sub.c.option, sub.c.number,
            sub.c.receipt, sub.c.at,
        )
        .where(sub.c.audit_id.is_(None))
        .order_by(sub.c.id)
        .limit(limit)
    ).all()
    if not pending:
        return 0
    entry = AuditEntry.__table__  # type: ignore[attr-defined]
    previous = conn.execute(select(entry.c.hash).order_by(entry.c.id.desc()).limit(1)).scalar()
    previous = previous or GENESIS
    payloads, previouses, hashes, ats = [], [], [], []
    for row in pending:
        at = aware(row.at)
        body = {"kind": "public vote", "at": at.isoformat(), **submission_entry(row)}
        canonical, digest = chain_link(previous, body)
        payloads.append(canonical)
        previouses.append(previous)
        hashes.append(digest)
        ats.append(at)
        previous = digest
    session.info[HEAD] = previous  # the head is now the last entry chained here
    if conn.dialect.name == "postgresql":
        conn.execute(_PG_CHAIN, {"payload": payloads, "previous": previouses, "hash": hashes,
                                 "at": ats, "submission": [row.id for row in pending]})
    else:
        ids = conn.execute(
            entry.insert().returning(entry.c.id, sort_by_parameter_order=True),
            [
                {"kind": "public vote", "payload": json.loads(p), "previous": pr, "hash": h,
                 "at": t}
                for p, pr, h, t in zip(payloads, previouses, hashes, ats, strict=True)
            ],
        ).scalars().all()
        conn.execute(
            update(sub).where(sub.c.id == bindparam("sid")).values(audit_id=bindparam("aid")),
            [{"sid": row.id, "aid": i} for row, i in zip(pending, ids, strict=True)],
        )
    return len(pending)


def chain_public_votes(engine: Engine, batch: int = 500) -> int:
    """Put every public submission so far on the audit chain, in transactions of ``batch``
    (so that votes waiting to be stored interleave with the sequencer); returns how many."""
    done = 0
    while True:
        with transaction(engine) as session:
            n = chain_pending(session, batch)
        done += n
        if n < batch:
            return done
