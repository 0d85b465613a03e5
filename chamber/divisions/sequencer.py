"""The audit sequencer: public votes commit without waiting for the chain (so they are not
serialised behind one lock), and are then put on it, in order, with every field, within a
second (the scheduler) and always before a division closes.

Only a submission whose MAC verifies under the audit key is chained: one written into the
database directly (without the key) is left off the chain, logged, and reported by
`chamber audit verify` as forged."""

from __future__ import annotations

import json
import logging
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from chamber.audit.chain import GENESIS, chain_link
from chamber.audit.keys import submission_mac_ok
from chamber.audit.models import AuditEntry
from chamber.audit.services import HEAD, lock_chain
from chamber.clock import aware
from chamber.db import transaction
from chamber.divisions.models import PublicSubmission
from chamber.divisions.public_pg import INDEXED

log = logging.getLogger(__name__)
_REPORTED: set[tuple[str, int]] = set()  # (database, submission) logged as forged already

# on the driver, with every array sent in binary (a JSON payload sent as text would be escaped
# character by character, a third of the sequencer's time)
_PG_CHAIN = """
    WITH entry AS (
        INSERT INTO auditentry (kind, payload, previous, hash, at)
        SELECT 'public vote', CAST(p AS json), pr, h, t FROM unnest(
            %(payload)b::text[], %(previous)b::varchar[], %(hash)b::varchar[],
            %(at)b::timestamptz[]
        ) WITH ORDINALITY AS u(p, pr, h, t, i)
        ORDER BY i
        RETURNING id, hash
    )
    UPDATE publicsubmission SET audit_id = entry.id
    FROM entry JOIN unnest(%(submission)b::integer[], %(hash)b::varchar[]) AS m(s, h)
        ON m.h = entry.hash
    WHERE publicsubmission.id = m.s
"""


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


class Sequenced(NamedTuple):
    chained: int  # submissions put on the chain
    read: int  # submissions read (those without a valid MAC are left off)
    last: int  # the last id read (where the next batch starts)


def chain_pending(
    session: Session, audit_key: bytes, limit: int | None = None, after: int = 0
) -> Sequenced:
    """Append the public submissions not yet on the chain (``limit`` of them, with ids above
    ``after``), in id order, in the caller's transaction (under the audit lock), each only if
    its MAC verifies under ``audit_key``.  Written in SQL, not ORM objects: the sequencer
    chains every public vote."""
    session.flush()  # the entries `append` added to this transaction come first
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # by index, however stale the statistics
        conn.exec_driver_sql(INDEXED)
    lock_chain(conn)
    sub = PublicSubmission.__table__  # type: ignore[attr-defined]
    read = conn.execute(
        select(
            sub.c.id, sub.c.division_id, sub.c.voter_id, sub.c.option, sub.c.number,
            sub.c.receipt, sub.c.at, sub.c.mac,
        )
        .where(sub.c.audit_id.is_(None), sub.c.id > after)
        .order_by(sub.c.id)
        .limit(limit)
    ).all()
    if not read:
        return Sequenced(0, 0, after)
    pending = [row for row in read if submission_mac_ok(audit_key, row)]
    if len(pending) < len(read):
        url = str(conn.engine.url)
        forged = sorted({row.id for row in read} - {row.id for row in pending}
                        - {s for u, s in _REPORTED if u == url})
        if forged:
            _REPORTED.update((url, s) for s in forged)
            log.warning("public submissions %s carry no valid MAC: not chained (forged?)",
                        forged)
    if not pending:
        return Sequenced(0, len(read), read[-1].id)
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
        pg = conn.connection.driver_connection
        assert pg is not None
        pg.execute(_PG_CHAIN, {"payload": payloads, "previous": previouses, "hash": hashes,
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
    return Sequenced(len(pending), len(read), read[-1].id)


def chain_public_votes(engine: Engine, audit_key: bytes, batch: int = 500) -> int:
    """Put every public submission so far whose MAC verifies on the audit chain, in
    transactions of ``batch`` (so that votes waiting to be stored interleave with the
    sequencer); returns how many."""
    done, after = 0, 0
    while True:
        with transaction(engine) as session:
            step = chain_pending(session, audit_key, batch, after)
        done += step.chained
        if step.read < batch:
            return done
        after = step.last
