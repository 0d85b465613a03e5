"""Group commit of public votes: a group stored in one transaction (`cast_public_votes`, what
the web server's `VoteIntake` calls) gives every ballot the same answer, and leaves the same
submissions and current votes, as casting the ballots one at a time; on both databases."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from chamber.db import perform, read, transaction
from chamber.divisions import public_votes
from chamber.divisions.ballots import Ballot
from chamber.divisions.lifecycle import create_division
from chamber.divisions.models import PublicSubmission, PublicVote
from chamber.divisions.views import receipt_status
from chamber.divisions.voters import register_voter, voter_numbers
from chamber.errors import ChamberError
from chamber.intake.services import VoteIntake
from chamber.keys import deployment_secret
from chamber.limits.services import SharedLimits
from tests.chamber.conftest import appoint, key_of, public_vote

T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)
VOTERS = ["p0", "p1", "p2", "p3"]
NOWHERE = 10**6
_examples = itertools.count()

ballots = st.lists(
    st.tuples(
        st.sampled_from([*VOTERS, "nobody"]),
        st.sampled_from(["open", "closed", "missing"]),
        st.sampled_from(["a", "b", "a", "b", "maybe"]),
        st.sampled_from([None, None, "k1", "k2"]),
    ),
    min_size=1,
    max_size=14,
)


def _setup(engine) -> None:
    if read(engine, voter_numbers, VOTERS):
        return
    for voter in VOTERS:
        perform(engine, register_voter, voter, T0)
    appoint(engine, "p0", "p1", T0)  # p0 and p1 are in the proxy graph


def _divisions(world) -> dict[str, int]:
    n = next(_examples)
    sitting = world.sittings()[0].id
    return {
        "open": perform(
            world.engine, create_division, f"Q{n}", ["a", "b"], T0, T0 + timedelta(hours=1),
            sitting_id=sitting, now=T0,
        ),
        "closed": perform(
            world.engine, create_division, f"C{n}", ["a", "b"], T0 + timedelta(hours=1),
            T0 + timedelta(hours=2), sitting_id=sitting, now=T0,
        ),
        "missing": NOWHERE,
    }


def _cast(engine, group: list[Ballot]) -> list[str | ChamberError]:
    key = deployment_secret(engine, "receipts").encode()
    with transaction(engine) as session:
        return public_votes.cast_public_votes(session, group, key, audit_key=key_of(engine))


def _outcome(engine, divisions: dict[str, int], results: list[str | ChamberError]):
    """The answers and the stored state, in terms that do not depend on the division ids."""
    slot = {v: k for k, v in divisions.items()}
    with Session(engine) as session:
        subs = {
            s.receipt: s
            for s in session.exec(
                select(PublicSubmission).where(
                    PublicSubmission.division_id.in_(list(divisions.values()))  # type: ignore[attr-defined]
                )
            )
        }
        answers = []
        for r in results:
            if isinstance(r, ChamberError):  # (a receipt named in the reason is random)
                answers.append(("refused", re.sub(r"receipt \w+", "receipt R", str(r))))
            else:
                s = subs[r]
                answers.append((slot[s.division_id], s.voter_id, s.option, s.number,
                                s.idempotency_key))
        stored = sorted(
            (slot[s.division_id], s.voter_id, s.option, s.number, s.idempotency_key)
            for s in subs.values()
        )
        current = sorted(
            (slot[v.division_id], v.voter_id, v.option, v.in_graph,
             session.get(PublicSubmission, v.submission_id).number)
            for v in session.exec(
                select(PublicVote).where(
                    PublicVote.division_id.in_(list(divisions.values()))  # type: ignore[attr-defined]
                )
            )
        )
    return answers, stored, current


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=ballots)
def test_a_group_equals_the_same_ballots_cast_one_at_a_time(world, case):
    engine = world.engine
    _setup(engine)
    now = T0 + timedelta(minutes=5)
    grouped, alone = _divisions(world), _divisions(world)
    group = [Ballot(grouped[where], voter, option, now, key) for voter, where, option, key in case]
    together = _cast(engine, group)
    one_by_one: list[str | ChamberError] = []
    for voter, where, option, key in case:
        try:
            one_by_one.append(
                public_vote(engine, alone[where], voter, option, now, idempotency_key=key)
            )
        except ChamberError as refused:
            one_by_one.append(refused)
    assert _outcome(engine, grouped, together) == _outcome(engine, alone, one_by_one)


def test_the_batcher_groups_concurrent_votes_and_answers_each(world):
    engine = world.engine
    _setup(engine)
    d = _divisions(world)["open"]
    batcher = VoteIntake(engine, SharedLimits(engine), audit_key=key_of(engine))
    now = T0 + timedelta(minutes=5)

    async def run():
        votes = [batcher.cast(Ballot(d, VOTERS[i % 4], "ab"[i % 2], now)) for i in range(40)]
        votes.append(batcher.cast(Ballot(d, "p0", "maybe", now)))
        answers = await asyncio.gather(*votes, return_exceptions=True)
        await batcher.close()
        return answers

    answers = asyncio.run(run())
    receipts, refused = answers[:40], answers[40]
    assert all(isinstance(r, str) for r in receipts)
    assert len(set(receipts)) == 40
    assert isinstance(refused, ChamberError)
    assert "not an option" in str(refused)
    assert batcher.votes == 41
    assert batcher.groups < 41  # they were gathered, not written one by one
    with Session(engine) as session:
        stored = session.exec(
            select(PublicSubmission).where(PublicSubmission.division_id == d)
        ).all()
    assert sorted(s.receipt for s in stored) == sorted(receipts)
    assert read(engine, receipt_status, receipts[-1]).division == d


def test_a_failing_group_is_retried_vote_by_vote(world, monkeypatch):
    """One vote that breaks its group's transaction does not refuse its neighbours."""
    engine = world.engine
    _setup(engine)
    d = _divisions(world)["open"]
    batcher = VoteIntake(engine, SharedLimits(engine), audit_key=key_of(engine))
    real = public_votes.cast_public_votes
    calls = []

    def flaky(session, group, key, *, audit_key):
        calls.append(len(group))
        if len(group) > 1:
            raise RuntimeError("the connection dropped")
        return real(session, group, key, audit_key=audit_key)

    monkeypatch.setattr("chamber.divisions.batching.cast_public_votes", flaky)
    now = T0 + timedelta(minutes=5)

    async def run():
        answers = await asyncio.gather(
            *(batcher.cast(Ballot(d, v, "a", now)) for v in VOTERS), return_exceptions=True
        )
        await batcher.close()
        return answers

    answers = asyncio.run(run())
    assert all(isinstance(a, str) for a in answers)
    assert calls[0] > 1
    assert calls[1:] == [1] * len(VOTERS)


@pytest.mark.parametrize("kind", ["unknown voter", "closed"])
def test_a_refused_vote_in_a_group_stores_nothing_of_its_own(world, kind):
    engine = world.engine
    _setup(engine)
    ds = _divisions(world)
    now = T0 + timedelta(minutes=5)
    bad = Ballot(ds["open"], "nobody", "a", now) if kind == "unknown voter" else Ballot(
        ds["closed"], "p2", "a", now
    )
    results = _cast(engine, [Ballot(ds["open"], "p3", "b", now), bad])
    assert isinstance(results[0], str)
    assert isinstance(results[1], ChamberError)
    with Session(engine) as session:
        assert len(session.exec(
            select(PublicSubmission).where(
                PublicSubmission.division_id.in_([ds["open"], ds["closed"]])  # type: ignore[attr-defined]
            )
        ).all()) == 1


def test_an_over_long_key_is_refused_alone_and_its_group_is_stored(world):
    """A 3,000-character key (past PostgreSQL's index row limit) is refused before any query,
    so the rest of its group is stored."""
    engine = world.engine
    _setup(engine)
    d = _divisions(world)["open"]
    now = T0 + timedelta(minutes=5)
    answers = _cast(
        engine,
        [Ballot(d, "p0", "a", now, "k" * 3000), Ballot(d, "p1", "b", now, "k" * 128),
         Ballot(d, "p2", "a", now, "k1")],
    )
    assert "must be 1 to 128 characters" in str(answers[0])
    assert all(isinstance(a, str) for a in answers[1:])
    again = _cast(engine, [Ballot(d, "p1", "b", now, "k" * 128), Ballot(d, "p2", "b", now, "k1")])
    assert again[0] == answers[1]
    assert "already used for 'a'" in str(again[1])


def test_votes_go_by_index_when_the_statistics_say_the_tables_are_empty(world):
    """A division opens with the tables of votes empty (as their statistics say) and then they
    grow: storing a vote must not scan every submission (the foreign-key checks of its rows,
    planned from those statistics, would), or each vote costs more than the last."""
    engine = world.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("the planner in question is PostgreSQL's")
    _setup(engine)
    d = _divisions(world)["open"]
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE publicsubmission, publicvote, division, publicvoter")
        conn.commit()
    now = T0 + timedelta(minutes=5)
    key = deployment_secret(engine, "receipts").encode()
    for round_ in range(3):
        group = [Ballot(d, voter, "ab"[(i + round_) % 2], now) for i, voter in enumerate(VOTERS)]
        with transaction(engine) as session:
            results = public_votes.cast_public_votes(session, group, key, audit_key=key_of(engine))
            scans = session.connection().exec_driver_sql(
                "SELECT relname, seq_scan FROM pg_stat_xact_user_tables"
                " WHERE relname IN ('publicsubmission', 'publicvote')"
            ).all()
        assert all(isinstance(r, str) for r in results)
        assert dict(scans) == {"publicsubmission": 0, "publicvote": 0}
