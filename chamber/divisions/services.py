"""The rules of divisions as transactions: member votes, public votes with receipts, proxies,
closing (idempotent), and the hash-chained audit log."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, func, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.db import writing
from chamber.divisions.models import (
    AuditEntry,
    Division,
    MemberVote,
    Proxy,
    PublicSubmission,
    PublicVote,
    PublicVoter,
)
from chamber.settings import settings
from chamber.voting import (
    GENESIS,
    VotingError,
    chain_hash,
    chain_link,
    may_vote,
    outcome,
    receipt,
    resolve_proxies,
    verify_chain,
)

Ints = NDArray[np.int64]
AUDIT_LOCK = 7_245_001  # the advisory lock key of the audit chain on PostgreSQL


_KNOWN: dict[tuple[str, str], str | int] = {}  # (database, key) -> a value that never changes


def _secret(engine: Engine, name: str) -> str:
    """A per-deployment secret: made once, in its own transaction (so two first votes cannot
    race for it), never changed, so cached per database.  Call it outside a write transaction."""
    key = (str(engine.url), f"secret:{name}")
    if key not in _KNOWN:
        from chamber.accounts import deployment_secret

        _KNOWN[key] = deployment_secret(engine, name)
    return str(_KNOWN[key])


def audit(session: Session, kind: str, payload: Mapping[str, object], at: datetime) -> str:
    """Append an entry to the hash chain (in the caller's transaction); returns its hash.

    Appends are serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by
    the write lock every transaction takes when it begins (``BEGIN IMMEDIATE``).  The unique
    ``previous`` column would refuse a fork even if they were not."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
    last = session.exec(
        select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
    ).first()
    previous = last or GENESIS
    body = {"kind": kind, "at": at.isoformat(), **payload}
    digest = chain_hash(previous, body)
    session.add(AuditEntry(kind=kind, payload=body, previous=previous, hash=digest, at=at))
    return digest


def _submission_entry(sub: Any) -> dict[str, object]:
    """What the chain records of a public submission (a `PublicSubmission` or a row with its
    columns); `audit_problems` checks stored submissions against it."""
    return {
        "division": sub.division_id,
        "submission": sub.id,
        "voter": sub.voter_id,
        "option": sub.option,
        "number": sub.number,
        "receipt": sub.receipt,
    }


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


def _chain_pending(session: Session, limit: int | None = None) -> int:
    """Append the public submissions not yet on the chain, in id order, in the caller's
    transaction (under the audit lock); returns how many.  Written in SQL, not ORM objects:
    the sequencer chains every public vote."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
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
    last = conn.execute(select(entry.c.hash).order_by(entry.c.id.desc()).limit(1)).scalar()
    previous = last or GENESIS
    payloads, previouses, hashes, ats = [], [], [], []
    for row in pending:
        at = _aware(row.at)
        body = {"kind": "public vote", "at": at.isoformat(), **_submission_entry(row)}
        canonical, digest = chain_link(previous, body)
        payloads.append(canonical)
        previouses.append(previous)
        hashes.append(digest)
        ats.append(at)
        previous = digest
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
    """Put every public submission so far on the audit chain (the scheduler does this every
    second; a close does it first).  Votes commit without waiting for the chain, so they are
    not serialised behind one lock; the chain keeps their order and every field."""
    done = 0
    while True:
        with Session(writing(engine)) as session:
            n = _chain_pending(session, batch)
            session.commit()
        done += n
        if n < batch:
            return done


def verify_audit(engine: Engine) -> int | None:
    """Check the whole audit chain; the id of the first altered entry, or None."""
    return audit_problems(engine)[0]


def audit_problems(engine: Engine) -> tuple[int | None, list[str]]:
    """The first altered chain entry (or None), and every stored public submission that does
    not match the entry that chained it (a vote changed after it was recorded)."""
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
        broken = verify_chain([(e.payload, e.hash) for e in entries])
        first = None if broken is None else entries[broken].id
        by_id = {e.id: e.payload for e in entries}
        options = {d.id: d.options for d in session.exec(select(Division))}
        latest_member_votes: dict[tuple[object, object], tuple[object, int]] = {}
        for e in entries:
            if e.kind == "member vote":
                p = e.payload
                opts = options.get(p.get("division"), [])  # type: ignore[call-overload]
                index = opts.index(p["option"]) if p.get("option") in opts else -1
                latest_member_votes[(p.get("division"), p.get("seat"))] = (p.get("member"), index)
        problems = []
        for sub in session.exec(
            select(PublicSubmission).where(col(PublicSubmission.audit_id).is_not(None))
        ):
            payload = by_id.get(sub.audit_id, {})
            stored = {k: payload.get(k) for k in _submission_entry(sub)}
            if stored != _submission_entry(sub):
                problems.append(
                    f"public submission {sub.id} (division {sub.division_id}) differs from "
                    f"audit entry {sub.audit_id}"
                )
        for vote in session.exec(select(PublicVote)):
            sub = session.get(PublicSubmission, vote.submission_id)
            if sub is None or sub.option != vote.option or sub.voter_id != vote.voter_id:
                problems.append(
                    f"the current public vote {vote.id} (division {vote.division_id}) differs "
                    f"from its submission {vote.submission_id}"
                )
        closes = {
            e.payload.get("division"): e.payload.get("result")
            for e in entries
            if e.kind == "division closed"
        }
        for division in session.exec(select(Division).where(Division.status == "closed")):
            published = division.result or {}
            chained = closes.get(division.id) or {}
            if any(published.get(k) != v for k, v in chained.items()):
                problems.append(
                    f"the stored result of division {division.id} differs from its audit entry"
                )
        for member_vote in session.exec(select(MemberVote)):
            last = latest_member_votes.get((member_vote.division_id, member_vote.seat))
            if last is None or last != (member_vote.member, member_vote.option):
                problems.append(
                    f"the member vote of seat {member_vote.seat} in division "
                    f"{member_vote.division_id} differs from the audit log"
                )
        return first, problems


def _division(session: Session, division_id: int) -> Division:
    division = session.get(Division, division_id)
    if division is None:
        raise VotingError(f"no division {division_id}")
    return division


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


DIVISION_LOCK = 7_245_200  # advisory lock class of one division (PostgreSQL)


def _open_division_for_update(session: Session, division_id: int) -> Division:
    """The division, with a shared advisory lock on PostgreSQL: votes in flight hold it
    shared, a close takes it exclusively, so a close waits for them and a later vote sees the
    division closed (SQLite serialises every write anyway).  A lock, not FOR SHARE on the row:
    thousands of voters share-locking one row would churn multixacts."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock_shared(:c, :d)"),
            {"c": DIVISION_LOCK, "d": division_id},
        )
    return _division(session, division_id)


def _is_open(division: Division, now: datetime) -> bool:
    return division.status != "closed" and _aware(division.opens_at) <= _aware(now) < _aware(
        division.closes_at
    )


def _closed_reason(division: Division, now: datetime) -> str:
    if division.status == "closed" or _aware(now) >= _aware(division.closes_at):
        return "the division is closed: votes can no longer change"
    return "the division is not open yet"


def _option(division: Division, option: str) -> int:
    try:
        return division.options.index(option)
    except ValueError:
        raise VotingError(
            f"{option!r} is not an option of this division ({', '.join(division.options)})"
        ) from None


def register_voter(engine: Engine, handle: str, now: datetime) -> int:
    """Register a member of the public; returns their voter number."""
    handle = handle.strip()
    if not handle:
        raise VotingError("a voter needs a name to sign in with")
    with Session(writing(engine)) as session:
        if session.exec(select(PublicVoter.id).where(PublicVoter.handle == handle)).first():
            raise VotingError(f"{handle!r} is already registered")
        voter = PublicVoter(handle=handle, registered_at=now)
        session.add(voter)
        session.flush()
        assert voter.id is not None
        session.commit()
        return voter.id


PERSON_LOCK = 7_245_100  # advisory lock class of one public voter (PostgreSQL)


def _lock_people(session: Session, *people: int) -> None:
    """Serialise a vote and a proxy change touching the same person (PostgreSQL; SQLite
    serialises every write), so that no vote of someone in the proxy graph goes unflagged."""
    if session.get_bind().dialect.name == "postgresql":
        for person in sorted(set(people)):
            session.execute(
                text("SELECT pg_advisory_xact_lock(:c, :p)"), {"c": PERSON_LOCK, "p": person}
            )


def _voter(session: Session, handle: str) -> int:
    """A voter's number (a voter's handle and number never change, so cached per database)."""
    found = _voters(session, [handle]).get(handle)
    if found is None:
        raise VotingError(f"{handle!r} is not a registered voter")
    return found


def _cached_voters(url: str, handles: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """The voter numbers among ``handles`` already known for the database at ``url``, and the
    handles still to look up."""
    found: dict[str, int] = {}
    missing = []
    for handle in handles:
        known = _KNOWN.get((url, f"voter:{handle}"))
        if known is None:
            missing.append(handle)
        else:
            found[handle] = int(known)
    return found, missing


def _remember_voter(url: str, handle: str, number: int) -> None:
    if len(_KNOWN) < 1_000_000:
        _KNOWN[(url, f"voter:{handle}")] = number


def _voters(session: Session, handles: Iterable[str]) -> dict[str, int]:
    """The numbers of the registered voters among ``handles`` (one query for those not cached);
    unregistered handles are left out."""
    url = str(session.get_bind().engine.url)
    found, missing = _cached_voters(url, handles)
    if missing:
        for handle, number in session.exec(
            select(PublicVoter.handle, PublicVoter.id).where(col(PublicVoter.handle).in_(missing))
        ):
            assert number is not None
            found[handle] = number
            _remember_voter(url, handle, number)
    return found


def create_division(
    engine: Engine,
    question: str,
    options: list[str],
    opens_at: datetime,
    closes_at: datetime,
    *,
    sitting_id: int | None = None,
    slot_start: datetime | None = None,
) -> int:
    """A division of a sitting (its members vote from the sitting's roster); it opens and closes
    at the given times, by the scheduler or by a clerk."""
    if not question.strip():
        raise VotingError("a division needs a question")
    if len(options) < 2 or len(set(options)) != len(options):
        raise VotingError("a division needs two or more different options")
    if not opens_at < closes_at:
        raise VotingError("a division must open before it closes")
    with Session(writing(engine)) as session:
        if sitting_id is not None:
            from chamber.models import Sitting

            sitting = session.get(Sitting, sitting_id)
            if sitting is None:
                raise VotingError(f"no sitting {sitting_id}")
            slot_start = sitting.starts_at
        if slot_start is None:
            raise VotingError("a division belongs to a sitting")
        division = Division(
            question=question,
            options=options,
            sitting_id=sitting_id,
            slot_start=slot_start,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        session.add(division)
        session.flush()
        assert division.id is not None
        audit(
            session,
            "division created",
            {"division": division.id, "question": question, "options": options},
            opens_at,
        )
        session.commit()
        return division.id


def cast_member_vote(
    engine: Engine,
    division_id: int,
    member: str,
    option: str,
    now: datetime,
    *,
    seat: str | None = None,
    rostered: Mapping[str, str] | None = None,
) -> None:
    """A member's vote: only the member rostered for the seat in the division's slot, while it
    is open; the last vote counts.  The roster comes from the division's sitting (``rostered``
    overrides it for a division held outside a rota)."""
    from chamber.institution import rostered as roster_of
    from chamber.models import Member, Seat

    with Session(writing(engine)) as session:
        division = _open_division_for_update(session, division_id)
        if rostered is None:
            if division.sitting_id is None:
                raise VotingError("this division has no sitting, so no roster")
            rostered = roster_of(session, division.sitting_id)
        if seat is None:
            found = session.exec(
                select(Seat.code)
                .join(Member, col(Member.seat_id) == col(Seat.id))
                .where(Member.id == member)
            ).first()
            if found is None:
                raise VotingError(f"no member {member!r}")
            seat = found
        verdict = may_vote(member, seat, rostered, _is_open(division, now))
        if not verdict.allowed:
            raise VotingError(
                _closed_reason(division, now) if verdict.reason == NOT_OPEN else verdict.reason
            )
        index = _option(division, option)
        existing = session.exec(
            select(MemberVote).where(MemberVote.division_id == division_id, MemberVote.seat == seat)
        ).first()
        if existing is None:
            session.add(
                MemberVote(division_id=division_id, member=member, seat=seat, option=index, at=now)
            )
        else:
            existing.option, existing.at = index, now
        audit(
            session,
            "member vote",
            {"division": division_id, "seat": seat, "member": member, "option": option},
            now,
        )
        session.commit()


NOT_OPEN = "the division is not open"


@dataclass(frozen=True)
class Ballot:
    """One public vote to store: who, on which division, for which option, when, and the
    client's idempotency key (a retry with the same key returns the first receipt)."""

    division_id: int
    voter: str
    option: str
    now: datetime
    idempotency_key: str | None = None


def cast_public_vote(
    engine: Engine,
    division_id: int,
    voter: str,
    option: str,
    now: datetime,
    *,
    idempotency_key: str | None = None,
) -> str:
    """A public vote; re-voting before close replaces it (every submission is kept).  Returns a
    receipt that does not reveal the choice.  A retry with the same ``idempotency_key`` returns
    the first receipt and stores nothing."""
    (result,) = cast_public_votes(
        engine, [Ballot(division_id, voter, option, now, idempotency_key)]
    )
    if isinstance(result, VotingError):
        raise result
    return result


# PostgreSQL: the group of votes in two round trips on the driver's pipeline, with statements
# whose text does not depend on the group's size (so each is prepared once per connection).
# First the locks, then the reads (each statement of the pipeline sees what committed before
# it ran, so the reads see everything a lock waited for) ...
_PG_LOCKS = (
    "SELECT (SELECT count(pg_advisory_xact_lock(%(pc)s, p)) FROM unnest(%(people)s::integer[]) p),"
    " (SELECT count(pg_advisory_xact_lock_shared(%(dc)s, d))"
    " FROM unnest(%(divisions)s::integer[]) d)"
)
_PG_DIVISIONS = (
    "SELECT id, status, options, opens_at, closes_at FROM division"
    " WHERE id = ANY(%(divisions)s::integer[])"
)
_PG_NUMBERS = (
    "SELECT v.division_id, v.voter_id, s.number FROM publicvote v"
    " JOIN publicsubmission s ON s.id = v.submission_id"
    " WHERE v.division_id = ANY(%(divisions)s::integer[])"
    " AND v.voter_id = ANY(%(people)s::integer[])"
)
_PG_GRAPH = (
    "SELECT voter_id, proxy_id FROM proxy"
    " WHERE voter_id = ANY(%(people)s::integer[]) OR proxy_id = ANY(%(people)s::integer[])"
)
_PG_KEYS = (
    "SELECT division_id, voter_id, idempotency_key, receipt FROM publicsubmission"
    " WHERE division_id = ANY(%(divisions)s::integer[]) AND voter_id = ANY(%(people)s::integer[])"
    " AND idempotency_key = ANY(%(keys)s::varchar[])"
)
# ... then the submissions in arrival order (ids follow it) and the last submission of each
# voter in the group as their current vote, and the commit.
_PG_STORE = """
    WITH new AS (
        INSERT INTO publicsubmission
            (division_id, voter_id, option, number, receipt, idempotency_key, at)
        SELECT d, v, o, n, r, k, t FROM unnest(
            %(division)s::integer[], %(voter)s::integer[], %(option)s::integer[],
            %(number)s::integer[], %(receipt)s::varchar[], %(key)s::varchar[],
            %(at)s::timestamptz[]
        ) WITH ORDINALITY AS u(d, v, o, n, r, k, t, i)
        ORDER BY i
        RETURNING id, division_id, voter_id, option, number
    )
    INSERT INTO publicvote (division_id, voter_id, option, submission_id, in_graph)
    SELECT DISTINCT ON (division_id, voter_id)
        division_id, voter_id, option, id, voter_id = ANY(%(graph)s::integer[])
    FROM new
    ORDER BY division_id, voter_id, number DESC
    ON CONFLICT (division_id, voter_id) DO UPDATE SET
        option = excluded.option,
        submission_id = excluded.submission_id,
        in_graph = publicvote.in_graph OR excluded.in_graph
"""


@dataclass
class _Known:
    """What a group of votes needs to know before it is decided."""

    voters: dict[str, int]
    divisions: dict[int, Division]
    numbers: dict[tuple[int, int], int]  # (division, voter) -> their latest submission number
    graph: set[int]  # voters who appointed a proxy or were named one
    seen: dict[tuple[int, int, str], str]  # (division, voter, idempotency key) -> receipt


def _decide(
    ballots: Sequence[Ballot], known: _Known, receipt_key: bytes
) -> tuple[list[str | VotingError], list[dict[str, Any]]]:
    """Each ballot's receipt or refusal, in order, and the submissions to store."""
    results: list[str | VotingError] = []
    rows: list[dict[str, Any]] = []
    numbers, seen = dict(known.numbers), dict(known.seen)
    for b in ballots:
        voter_id = known.voters.get(b.voter)
        division = known.divisions.get(b.division_id)
        first = None
        if voter_id is not None and b.idempotency_key is not None:
            first = seen.get((b.division_id, voter_id, b.idempotency_key))
        if voter_id is None:
            results.append(VotingError(f"{b.voter!r} is not a registered voter"))
        elif first is not None:
            results.append(first)
        elif division is None:
            results.append(VotingError(f"no division {b.division_id}"))
        elif not _is_open(division, b.now):
            results.append(VotingError(_closed_reason(division, b.now)))
        else:
            try:
                index = _option(division, b.option)
            except VotingError as refused:
                results.append(refused)
                continue
            number = numbers.get((b.division_id, voter_id), 0) + 1
            numbers[(b.division_id, voter_id)] = number
            token = receipt(receipt_key, str(b.division_id), str(voter_id), number)
            if b.idempotency_key is not None:
                seen[(b.division_id, voter_id, b.idempotency_key)] = token
            results.append(token)
            rows.append(
                {
                    "division_id": b.division_id,
                    "voter_id": voter_id,
                    "option": index,
                    "number": number,
                    "receipt": token,
                    "idempotency_key": b.idempotency_key,
                    "at": _aware(b.now),
                }
            )
    return results, rows


def _division_of(row: Sequence[Any]) -> Division:
    return Division(
        id=row[0], status=row[1], options=row[2], opens_at=row[3], closes_at=row[4],
        question="", slot_start=row[3],
    )


def cast_public_votes(engine: Engine, ballots: Sequence[Ballot]) -> list[str | VotingError]:
    """Store many public votes in one transaction (group commit: the web server gathers the
    votes that arrive while the previous group is being written).  Each ballot gets its receipt
    or the reason it was refused, exactly as if it had been cast alone, in order: a voter who
    votes twice in one group gets two numbered submissions, and the later one is current.

    The hot path of the public vote, so it is written in SQL (no ORM objects); the round trips
    are the same for one vote or a thousand: the locks, the divisions, what is known of the
    voters (current submission number, proxy graph, earlier idempotency keys), and the
    submissions with the current votes."""
    if not ballots:
        return []
    receipt_key = _secret(engine, "receipts").encode()
    if engine.dialect.name == "postgresql":
        return _cast_postgresql(engine, ballots, receipt_key)
    with Session(writing(engine)) as session:
        conn = session.connection()
        voters = _voters(session, {b.voter for b in ballots})
        division_ids = sorted({b.division_id for b in ballots})
        people = sorted(set(voters.values()))
        div = Division.__table__  # type: ignore[attr-defined]
        sub = PublicSubmission.__table__  # type: ignore[attr-defined]
        vote = PublicVote.__table__  # type: ignore[attr-defined]
        proxy = Proxy.__table__  # type: ignore[attr-defined]
        keys = sorted({b.idempotency_key for b in ballots if b.idempotency_key is not None})
        known = _Known(
            voters,
            {
                row[0]: _division_of(row)
                for row in conn.execute(
                    select(div.c.id, div.c.status, div.c.options, div.c.opens_at, div.c.closes_at)
                    .where(div.c.id.in_(division_ids))
                )
            },
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
            {
                (row[0], row[1], row[2]): str(row[3])
                for row in conn.execute(
                    select(sub.c.division_id, sub.c.voter_id, sub.c.idempotency_key, sub.c.receipt)
                    .where(
                        sub.c.division_id.in_(division_ids),
                        sub.c.voter_id.in_(people),
                        sub.c.idempotency_key.in_(keys),
                    )
                )
            }
            if keys
            else {},
        )
        results, rows = _decide(ballots, known, receipt_key)
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
        session.commit()  # chained by `chain_public_votes`, in order, within a second
    return results


def _cast_postgresql(
    engine: Engine, ballots: Sequence[Ballot], receipt_key: bytes
) -> list[str | VotingError]:
    """`cast_public_votes` on PostgreSQL, on the driver's connection (psycopg), in two
    pipelined round trips: locks and reads, then the writes and the commit."""
    url = str(engine.url)
    voters, missing = _cached_voters(url, {b.voter for b in ballots})
    raw = engine.raw_connection()
    try:
        pg = raw.driver_connection
        assert pg is not None
        if missing:
            for handle, number in pg.execute(
                "SELECT handle, id FROM publicvoter WHERE handle = ANY(%s::varchar[])", [missing]
            ):
                voters[handle] = number
                _remember_voter(url, handle, number)
        people = sorted(set(voters.values()))
        keys = sorted({b.idempotency_key for b in ballots if b.idempotency_key is not None})
        params = {
            "pc": PERSON_LOCK,
            "dc": DIVISION_LOCK,
            "people": people,
            "divisions": sorted({b.division_id for b in ballots}),
            "keys": keys,
        }
        # one submission of a voter at a time (and none while their proxies change), and a
        # close waits for the votes in flight (see _open_division_for_update).  Sorted, so two
        # groups never wait for each other in a cycle (unnest yields an array in order and
        # each lock is taken as it goes).
        with pg.pipeline():
            pg.execute(_PG_LOCKS, params)
            divisions = pg.execute(_PG_DIVISIONS, params)
            numbers = pg.execute(_PG_NUMBERS, params)
            graph = pg.execute(_PG_GRAPH, params)
            seen = pg.execute(_PG_KEYS, params) if keys else None
        known = _Known(
            voters,
            {row[0]: _division_of(row) for row in divisions},
            {(row[0], row[1]): int(row[2]) for row in numbers},
            {person for row in graph for person in row},
            {(r[0], r[1], r[2]): str(r[3]) for r in seen} if seen is not None else {},
        )
        results, rows = _decide(ballots, known, receipt_key)
        with pg.pipeline():
            if rows:
                pg.execute(
                    _PG_STORE,
                    {
                        "division": [r["division_id"] for r in rows],
                        "voter": [r["voter_id"] for r in rows],
                        "option": [r["option"] for r in rows],
                        "number": [r["number"] for r in rows],
                        "receipt": [r["receipt"] for r in rows],
                        "key": [r["idempotency_key"] for r in rows],
                        "at": [r["at"] for r in rows],
                        "graph": sorted(known.graph),
                    },
                )
            pg.commit()  # chained by `chain_public_votes`, in order, within a second
        return results
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def _active_proxies(now: datetime, division_id: int | None) -> Any:
    """The WHERE clause of the proxies in force at ``now`` for a division."""
    return (
        (col(Proxy.appointed_at) <= now)
        & ((col(Proxy.revoked_at).is_(None)) | (col(Proxy.revoked_at) > now))
        & ((col(Proxy.division_id).is_(None)) | (col(Proxy.division_id) == division_id))
    )


def appoint_proxy(
    engine: Engine, voter: str, proxy: str, now: datetime, division_id: int | None = None
) -> None:
    """Appoint a proxy (general, or for one division), replacing any earlier one of that kind."""
    if voter == proxy:
        raise VotingError("a person cannot be their own proxy")
    with Session(writing(engine)) as session:
        voter_id, proxy_id = _voter(session, voter), _voter(session, proxy)
        _lock_people(session, voter_id, proxy_id)
        if division_id is not None:
            division = _division(session, division_id)
            if division.status == "closed" or _aware(now) >= _aware(division.closes_at):
                raise VotingError("the division is closed: proxies can no longer change")
        for old in session.exec(
            select(Proxy).where(
                Proxy.voter_id == voter_id,
                Proxy.division_id == division_id,
                col(Proxy.revoked_at).is_(None),
            )
        ).all():
            old.revoked_at = now
        session.add(
            Proxy(voter_id=voter_id, proxy_id=proxy_id, division_id=division_id, appointed_at=now)
        )
        session.execute(
            update(PublicVote)
            .where(col(PublicVote.voter_id).in_([voter_id, proxy_id]), ~col(PublicVote.in_graph))
            .values(in_graph=True)
        )
        audit(
            session,
            "proxy appointed",
            {"voter": voter_id, "proxy": proxy_id, "division": division_id},
            now,
        )
        session.commit()


def revoke_proxy(engine: Engine, voter: str, now: datetime, division_id: int | None = None) -> None:
    with Session(writing(engine)) as session:
        voter_id = _voter(session, voter)
        if division_id is not None:
            division = _division(session, division_id)
            if division.status == "closed" or _aware(now) >= _aware(division.closes_at):
                raise VotingError("the division is closed: proxies can no longer change")
        active = session.exec(
            select(Proxy).where(
                Proxy.voter_id == voter_id,
                Proxy.division_id == division_id,
                col(Proxy.revoked_at).is_(None),
            )
        ).all()
        if not active:
            raise VotingError("there is no proxy to revoke")
        for p in active:
            p.revoked_at = now
        audit(session, "proxy revoked", {"voter": voter_id, "division": division_id}, now)
        session.commit()


def my_proxy(
    engine: Engine, voter: str, now: datetime, division_id: int | None = None
) -> str | None:
    """Whom a voter delegates to now (for the division if given: its proxy, else the general)."""
    with Session(engine) as session:
        voter_id = _voter(session, voter)
        rows = session.exec(
            select(Proxy.proxy_id, Proxy.division_id).where(
                Proxy.voter_id == voter_id, _active_proxies(now, division_id)
            )
        ).all()
        if division_id is None:
            rows = [r for r in rows if r[1] is None]
        if not rows:
            return None
        best = max(rows, key=lambda r: r[1] is not None)
        return session.get(PublicVoter, best[0]).handle  # type: ignore[union-attr]


def open_division(engine: Engine, division_id: int, now: datetime) -> bool:
    """Mark a division open (the scheduler's job at its opening time); idempotent."""
    with Session(writing(engine)) as session:
        division = _division(session, division_id)
        if division.status != "scheduled" or _aware(now) < _aware(division.opens_at):
            return False
        division.status = "open"
        audit(session, "division opened", {"division": division_id}, now)
        session.commit()
        return True


def _int_rows(rows: Iterable[Sequence[int]], width: int) -> Ints:
    """Integer rows of a query as an (n, width) array, without building a list of rows."""
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
    return flat.reshape(-1, width)


def _proxy_graph(session: Session, division_id: int, now: datetime) -> tuple[Ints, Ints, Ints]:
    """The proxies in force at close, as arrays: voter, proxy (a division's proxy overrides the
    general one), and the direct votes (option, or -1) of everyone in the graph."""
    conn = session.connection()
    active = _active_proxies(now, division_id)
    table = _int_rows(
        conn.execute(
            select(Proxy.voter_id, Proxy.proxy_id, func.coalesce(Proxy.division_id, -1)).where(
                active
            )
        ),
        3,
    )
    if not table.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    # a division's proxy comes after the general one: the last row of each voter wins
    order = np.lexsort((table[:, 2] >= 0, table[:, 0]))
    table = table[order]
    last = np.r_[table[1:, 0] != table[:-1, 0], True]
    voters, proxies = table[last, 0], table[last, 1]
    people = np.unique(np.concatenate([voters, proxies]))
    voted = _int_rows(
        conn.execute(
            select(PublicVote.voter_id, PublicVote.option).where(
                PublicVote.division_id == division_id, col(PublicVote.in_graph)
            )
        ),
        2,
    )
    voted = voted[np.isin(voted[:, 0], people)]
    direct = np.full(people.size, -1, dtype=np.int64)
    direct[np.searchsorted(people, voted[:, 0])] = voted[:, 1]
    proxy = np.full(people.size, -1, dtype=np.int64)
    proxy[np.searchsorted(people, voters)] = np.searchsorted(people, proxies)
    return people, direct, proxy


def close_division(engine: Engine, division_id: int, now: datetime) -> dict[str, object]:
    """Close a division and publish its result, in one transaction.  Closing again changes
    nothing and returns the stored result (a restart or a duplicate trigger does no harm).

    The direct public votes are counted in the database (one GROUP BY); only the proxy graph
    (the proxies in force and the direct votes of the people in it) is read out and resolved
    by `resolve_proxies`, whose tally replaces those people's direct votes."""
    with Session(writing(engine)) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                text("SELECT pg_advisory_xact_lock(:c, :d)"),
                {"c": DIVISION_LOCK, "d": division_id},
            )
        division = _division(session, division_id)
        if division.status == "closed":
            assert division.result is not None
            return division.result
        _chain_pending(session)  # every vote is on the chain before the head is published
        now = _aware(now)  # a clerk may close early: votes stop now
        options = len(division.options)
        chamber_votes = [0] * options
        for option, n in session.exec(
            select(MemberVote.option, func.count())
            .where(MemberVote.division_id == division_id)
            .group_by(MemberVote.option)
        ).all():
            chamber_votes[option] = n
        public = np.zeros(options, dtype=np.int64)
        for option, n in session.exec(
            select(PublicVote.option, func.count())
            .where(PublicVote.division_id == division_id)
            .group_by(PublicVote.option)
        ).all():
            public[option] = n
        people, direct, proxy = _proxy_graph(session, division_id, now)
        cap = settings().proxy_cap
        resolution = resolve_proxies(direct, proxy, options, cap=cap)
        graph_direct = np.bincount(direct[direct >= 0], minlength=options)
        public += resolution.tally - graph_direct
        result = outcome(division.options, chamber_votes, public.tolist())
        largest = resolution.largest_proxies(10)
        handles = dict(
            session.exec(
                select(PublicVoter.id, PublicVoter.handle).where(
                    col(PublicVoter.id).in_([int(people[i]) for i, _ in largest])
                )
            ).all()
        )
        delegated = (resolution.counted_as >= 0) & (direct < 0)
        capped = {}
        for root in np.flatnonzero(resolution.carried >= cap).tolist():
            mine = people[delegated & (resolution.counted_as == root)]
            capped[str(int(people[root]))] = int(mine.max())  # the last voter number counted
        published: dict[str, object] = {
            **result.as_dict(),
            "public_direct_votes": int(public.sum() - resolution.carried.sum()),
            "proxy_votes_counted": int(resolution.carried.sum()),
            "proxy_votes_refused_over_cap": resolution.refused_over_cap,
            "proxy_votes_in_cycles": resolution.in_cycles,
            "proxy_votes_lapsed": resolution.lapsed,
            "proxy_cap": cap,
            "capped_proxies_last_counted": capped,
            "largest_proxies": [
                {"proxy": handles.get(int(people[i]), str(int(people[i]))), "votes": n}
                for i, n in largest
            ],
            "closed_at": _aware(now).isoformat(),
        }
        head = audit(
            session, "division closed", {"division": division_id, "result": result.as_dict()}, now
        )
        published["audit_head"] = head
        division.status, division.result, division.audit_head = "closed", published, head
        session.commit()
        return published


def due_divisions(engine: Engine, now: datetime) -> tuple[list[int], list[int]]:
    """Divisions to open and to close at ``now`` (what the scheduler's sweep acts on)."""
    with Session(engine) as session:
        to_open = session.exec(
            select(Division.id).where(Division.status == "scheduled", Division.opens_at <= now)
        ).all()
        to_close = session.exec(
            select(Division.id).where(Division.status != "closed", Division.closes_at <= now)
        ).all()
        return [int(i) for i in to_open if i is not None], [int(i) for i in to_close if i]


def receipt_status(engine: Engine, token: str) -> dict[str, object]:
    """Whether the submission behind a receipt is the one that counted (it was the voter's last
    before close), without revealing the choice."""
    with Session(engine) as session:
        sub = session.exec(
            select(PublicSubmission).where(PublicSubmission.receipt == token)
        ).first()
        if sub is None:
            raise VotingError("no vote has this receipt")
        current = session.exec(
            select(PublicVote).where(
                PublicVote.division_id == sub.division_id, PublicVote.voter_id == sub.voter_id
            )
        ).first()
        division = _division(session, sub.division_id)
        last = current is not None and current.submission_id == sub.id
        return {
            "division": sub.division_id,
            "recorded_at": _aware(sub.at).isoformat(),
            "is_latest": last,
            "counted": last and division.status == "closed",
            "division_status": division.status,
        }


def delegation_status(engine: Engine, voter: str, division_id: int) -> dict[str, object]:
    """For a voter and a division: whom they delegated to, where their vote went (the first in
    the chain who voted directly), and whether it counted; computed from the stored proxies and
    votes as they were at close (or as they stand, while the division is open)."""
    with Session(engine) as session:
        voter_id = _voter(session, voter)
        division = _division(session, division_id)
        result = division.result or {}
        at = (
            datetime.fromisoformat(str(result["closed_at"]))
            if "closed_at" in result
            else _aware(division.closes_at)
        )
        active = _active_proxies(at, division_id)

        def direct_of(person: int) -> int | None:
            return session.exec(
                select(PublicVote.option).where(
                    PublicVote.division_id == division_id, PublicVote.voter_id == person
                )
            ).first()

        def proxy_of(person: int) -> int | None:
            rows = session.exec(
                select(Proxy.proxy_id, Proxy.division_id).where(Proxy.voter_id == person, active)
            ).all()
            return max(rows, key=lambda r: r[1] is not None)[0] if rows else None

        def handle(person: int) -> str:
            return session.get(PublicVoter, person).handle  # type: ignore[union-attr]

        out: dict[str, object] = {"division": division_id, "status": division.status}
        if direct_of(voter_id) is not None:
            return {
                **out,
                "voted_directly": True,
                "delegated_to": None,
                "counted_through": None,
                "counted": division.status == "closed",
            }
        first = proxy_of(voter_id)
        out.update(voted_directly=False, delegated_to=None if first is None else handle(first))
        seen, person = {voter_id}, first
        while person is not None and person not in seen:
            if direct_of(person) is not None:
                capped = result.get("capped_proxies_last_counted", {})
                assert isinstance(capped, dict)
                limit = capped.get(str(person))
                counted = division.status == "closed" and (limit is None or voter_id <= limit)
                return {
                    **out,
                    "counted_through": handle(person),
                    "counted": counted,
                    "refused_over_cap": limit is not None and voter_id > limit,
                }
            seen.add(person)
            person = proxy_of(person)
        reason = "a cycle of proxies" if person is not None else "no one in the chain voted"
        return {**out, "counted_through": None, "counted": False, "why_not": reason}


def division_view(
    engine: Engine, division_id: int, now: datetime | None = None
) -> dict[str, object]:
    """What the public sees of a division: question, options, times, status, and (once closed)
    the published result with its audit head; member votes by seat, member and group."""
    from chamber.models import Member

    with Session(engine) as session:
        division = _division(session, division_id)
        votes = session.exec(
            select(MemberVote.seat, MemberVote.member, Member.group, MemberVote.option)
            .join(Member, col(Member.id) == col(MemberVote.member))
            .where(MemberVote.division_id == division_id)
            .order_by(col(MemberVote.seat))
        ).all()
        return {
            "id": division.id,
            "question": division.question,
            "options": list(division.options),
            "sitting": division.sitting_id,
            "opens_at": _aware(division.opens_at).isoformat(),
            "closes_at": _aware(division.closes_at).isoformat(),
            "status": division.status,
            "state": _state(division, now),
            "member_votes": [
                {"seat": seat, "member": member, "group": group, "vote": division.options[o]}
                for seat, member, group, o in votes
            ],
            "result": division.result,
        }


def _state(division: Division, now: datetime | None) -> str:
    """What a reader should be told: closed, open, closing (time is up, the close is due) or
    not open yet; the stored status until the time is known."""
    if division.status == "closed" or now is None:
        return division.status
    if _is_open(division, now):
        return "open"
    return "closing" if _aware(now) >= _aware(division.closes_at) else "not open yet"


def list_divisions(engine: Engine, limit: int = 50) -> list[dict[str, object]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Division).order_by(col(Division.opens_at).desc()).limit(limit)
        ).all()
        return [
            {
                "id": d.id,
                "question": d.question,
                "status": d.status,
                "opens_at": _aware(d.opens_at).isoformat(),
                "closes_at": _aware(d.closes_at).isoformat(),
                "carried": (d.result or {}).get("carried"),
            }
            for d in rows
        ]
