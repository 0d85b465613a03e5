"""Public votes: every submission kept with a receipt, the last before close counting; a retry
with the same idempotency key returns the first receipt.

The hot path of the public vote, so it is written in SQL (no ORM objects), and many votes are
stored in one transaction (group commit: the web server gathers the votes that arrive while the
previous group is being written).  Each ballot gets its receipt or the reason it was refused,
exactly as if it had been cast alone, in order.  The round trips are the same for one vote or
a thousand: the locks, the divisions, what is known of the voters (current submission number,
proxy graph, earlier idempotency keys), and the submissions with the current votes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, column, select, table
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from chamber.divisions import public_pg
from chamber.divisions.ballots import (
    Ballot,
    Known,
    decide,
    division_of,
    private_of,
    usable_keys,
)
from chamber.divisions.models import Division, Proxy, PublicSubmission, PublicVote
from chamber.divisions.voters import voter_numbers
from chamber.errors import ChamberError

SITTING = table("sitting", column("id"), column("body_key", String))
REMIT = table("panelremit", column("body_key", String), column("public_votes", Boolean))
"""A citizens' panel's setting on public votes (`chamber.jury.expert_models.PanelRemit`), read
by table name: the divisions package does not depend on the jury's."""


def cast_public_votes(
    session: Session, ballots: Sequence[Ballot], receipt_key: bytes, *, audit_key: bytes
) -> list[str | ChamberError]:
    """Store many public votes in the session's transaction; each ballot's receipt or the
    reason it was refused, in order (a voter who votes twice in one group gets two numbered
    submissions, and the later one is current).  ``receipt_key`` is the deployment's receipt
    secret, ``audit_key`` the key of each submission's MAC (`chamber.audit.keys`)."""
    if not ballots:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return public_pg.cast(session, ballots, receipt_key, audit_key)
    conn = session.connection()
    voters = voter_numbers(session, {b.voter for b in ballots})
    division_ids = sorted({b.division_id for b in ballots})
    people = sorted(set(voters.values()))
    div = Division.__table__  # type: ignore[attr-defined]
    sub = PublicSubmission.__table__  # type: ignore[attr-defined]
    vote = PublicVote.__table__  # type: ignore[attr-defined]
    proxy = Proxy.__table__  # type: ignore[attr-defined]
    keys = usable_keys(ballots)
    seen: Iterable[Sequence[Any]] = conn.execute(
        select(
            sub.c.division_id, sub.c.voter_id, sub.c.idempotency_key, sub.c.receipt, sub.c.option
        ).where(
            sub.c.division_id.in_(division_ids),
            sub.c.voter_id.in_(people),
            sub.c.idempotency_key.in_(keys),
        )
    ) if keys else []
    division_rows = list(conn.execute(
        select(div.c.id, div.c.status, div.c.options, div.c.opens_at, div.c.closes_at,
               REMIT.c.public_votes)
        .select_from(div.outerjoin(SITTING, SITTING.c.id == div.c.sitting_id)
                     .outerjoin(REMIT, REMIT.c.body_key == SITTING.c.body_key))
        .where(div.c.id.in_(division_ids))
    ))
    known = Known(
        voters,
        {row[0]: division_of(row) for row in division_rows},
        {
            (row[0], row[1]): int(row[2])
            for row in conn.execute(
                select(vote.c.division_id, vote.c.voter_id, sub.c.number)
                .join(sub, sub.c.id == vote.c.submission_id)
                .where(vote.c.division_id.in_(division_ids), vote.c.voter_id.in_(people))
            )
        },
        {
            person
            for row in conn.execute(
                select(proxy.c.voter_id, proxy.c.proxy_id).where(
                    proxy.c.voter_id.in_(people) | proxy.c.proxy_id.in_(people)
                )
            )
            for person in row
        },
        {(row[0], row[1], row[2]): (str(row[3]), int(row[4])) for row in seen},
        private_of(division_rows),
    )
    results, rows = decide(ballots, known, receipt_key, audit_key)
    if rows:
        inserted = conn.execute(
            sub.insert().returning(sub.c.id, sort_by_parameter_order=True), rows
        ).scalars().all()
        current = {
            (r["division_id"], r["voter_id"]): {
                "division_id": r["division_id"],
                "voter_id": r["voter_id"],
                "option": r["option"],
                "submission_id": submission_id,
                "in_graph": r["voter_id"] in known.graph,
            }
            for r, submission_id in zip(rows, inserted, strict=True)
        }
        upsert = sqlite_insert(vote)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[vote.c.division_id, vote.c.voter_id],
                set_={
                    "option": upsert.excluded.option,
                    "submission_id": upsert.excluded.submission_id,
                    "in_graph": vote.c.in_graph | upsert.excluded.in_graph,
                },
            ),
            list(current.values()),
        )
    return results  # chained by the sequencer, in order, within a second


def cast_public_vote(
    session: Session,
    division_id: int,
    voter: str,
    option: str,
    now: datetime,
    receipt_key: bytes,
    *,
    audit_key: bytes,
    idempotency_key: str | None = None,
) -> str:
    """One public vote; re-voting before close replaces it (every submission is kept).  Returns
    a receipt that does not reveal the choice."""
    (result,) = cast_public_votes(
        session, [Ballot(division_id, voter, option, now, idempotency_key)], receipt_key,
        audit_key=audit_key,
    )
    if isinstance(result, ChamberError):
        raise result
    return result
