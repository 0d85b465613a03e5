"""Concurrency on SQLite and PostgreSQL: double submissions by one voter leave one current vote
and distinct receipts; a retried submission with the same idempotency key, even at the same
instant, stores one; votes arriving while a division closes are either counted or refused with a
clear message, never half-applied; closing twice at once publishes one result."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, func, select

from chamber.audit.models import AuditEntry
from chamber.db import perform
from chamber.divisions.lifecycle import create_division
from chamber.divisions.models import PublicSubmission, PublicVote
from chamber.divisions.voters import register_voter
from chamber.errors import ChamberError
from tests.chamber.conftest import build_small, close, public_vote

T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)


def _division(engine, voters=("v",)):
    sitting = build_small(engine).sittings()[0].id
    for v in voters:
        perform(engine, register_voter, v, T0 - timedelta(days=1))
    return perform(
        engine, create_division, "Q", ["yes", "no"], T0, T0 + timedelta(hours=1),
        sitting_id=sitting, now=T0,
    )


def _together(n, fn):
    barrier = threading.Barrier(n)
    out: list[object] = [None] * n

    def run(i):
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:  # collected and checked by the caller
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_concurrent_submissions_by_one_voter_leave_one_current_vote(engine):
    d = _division(engine)
    out = _together(
        8,
        lambda i: public_vote(
            engine, d, "v", "yes" if i % 2 else "no", T0 + timedelta(minutes=1)
        ),
    )
    assert all(isinstance(r, str) for r in out), out
    assert len(set(out)) == 8
    with Session(engine) as s:
        assert s.exec(select(func.count(PublicVote.id))).one() == 1
        numbers = s.exec(select(PublicSubmission.number)).all()
        current = s.exec(select(PublicVote)).one()
        last = s.exec(select(PublicSubmission).order_by(PublicSubmission.id.desc())).first()
    assert sorted(numbers) == list(range(1, 9))
    assert current.submission_id == last.id


def test_the_same_idempotency_key_at_the_same_instant_stores_one(engine):
    d = _division(engine)
    out = _together(
        6,
        lambda i: public_vote(
            engine, d, "v", "yes", T0 + timedelta(minutes=1), idempotency_key="k"
        ),
    )
    assert len(set(out)) == 1, out
    with Session(engine) as s:
        assert s.exec(select(func.count(PublicSubmission.id))).one() == 1


def test_votes_during_a_close_are_counted_or_refused_never_half_applied(engine):
    voters = [f"v{i}" for i in range(24)]
    d = _division(engine, voters)
    closing = T0 + timedelta(minutes=30)
    acknowledged: dict[str, str] = {}
    refused: list[str] = []

    def vote(i):
        if i == 0:
            return close(engine, d, closing)
        try:
            acknowledged[voters[i]] = public_vote(
                engine, d, voters[i], "yes", closing - timedelta(seconds=1)
            )
        except ChamberError as exc:
            refused.append(str(exc))
        return None

    out = _together(24, vote)
    result = out[0]
    assert not any(isinstance(r, Exception) for r in out), [r for r in out if r is not None][:3]
    assert all("closed" in r for r in refused)
    assert len(acknowledged) + len(refused) == 23
    with Session(engine) as s:
        stored = s.exec(select(func.count(PublicVote.id))).one()
        submissions = s.exec(select(func.count(PublicSubmission.id))).one()
    # every acknowledged vote is stored whole (a submission and a current vote) ...
    assert stored == submissions == len(acknowledged)
    # ... and a vote stored before the close was counted by it; none after it
    assert sum(result.public_votes) == stored
    again = close(engine, d, closing + timedelta(minutes=5))
    assert again == result


def test_closing_twice_at_once_publishes_one_result(engine):
    d = _division(engine)
    public_vote(engine, d, "v", "no", T0 + timedelta(minutes=1))
    out = _together(4, lambda i: close(engine, d, T0 + timedelta(hours=1)))
    assert all(r == out[0] for r in out), out
    with Session(engine) as s:
        closes = s.exec(select(AuditEntry).where(AuditEntry.kind == "division closed")).all()
    assert len(closes) == 1
