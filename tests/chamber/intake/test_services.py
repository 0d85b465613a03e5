"""The intake of public votes: a group of signed votes is counted, signed in and cast in one
worker-thread hop, and each request gets what it would have got counted, looked up and cast
in turn; votes from the pages' forms share the groups.  On both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from chamber.accounts.services import create_account
from chamber.accounts.sessions import start_session
from chamber.db import perform, transaction
from chamber.divisions.ballots import Ballot
from chamber.divisions.lifecycle import create_division
from chamber.divisions.models import PublicSubmission
from chamber.errors import ChamberError
from chamber.intake.services import Admission, SignedVote, VoteIntake
from chamber.limits.models import RateLimit
from chamber.limits.services import SharedLimits
from tests.chamber.conftest import key_of, public_account

T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)


def _setting(world):
    engine = world.engine
    with transaction(engine) as session:
        session.connection().execute(delete(RateLimit))
    division = perform(engine, create_division, "Q", ["a", "b"], T0, T0 + timedelta(hours=1),
                       sitting_id=world.sittings()[0].id, now=T0)
    tokens = {}
    for name in ("ann", "bob", "cat"):
        user = public_account(engine, name, "a long enough password", T0)
        tokens[name] = perform(engine, start_session, user.id, T0)
    clerk = perform(engine, create_account, "clerk", "a long enough password", "clerk", T0)
    tokens["clerk"] = perform(engine, start_session, clerk.id, T0)
    return division, tokens


def _run(intake, items):
    async def go():
        answers = await asyncio.gather(*(
            intake.submit(item) if isinstance(item, SignedVote) else intake.cast(item)
            for item in items
        ), return_exceptions=True)
        await intake.close()
        return answers

    return asyncio.run(go())


def _vote(client, token, division, option="a", limit=2, key=None):
    return SignedVote(f"rate_limited:{client}", limit, 60.0, token, division, option,
                      T0 + timedelta(minutes=2), key)


def test_a_group_is_counted_signed_in_and_cast_as_if_in_turn(world):
    engine = world.engine
    division, tokens = _setting(world)
    limits = SharedLimits(engine)
    intake = VoteIntake(engine, limits, audit_key=key_of(engine))
    items = [
        _vote("1.1.1.1", tokens["ann"], division, "a", key="k"),
        _vote("1.1.1.1", tokens["ann"], division, "a", key="k"),  # the same vote again
        _vote("1.1.1.1", tokens["bob"], division, "b"),  # the client's third: over its limit
        _vote("2.2.2.2", "no such session", division),
        _vote("3.3.3.3", None, division),
        _vote("4.4.4.4", tokens["clerk"], division),  # a clerk's account: no public vote
        _vote("5.5.5.5", tokens["cat"], division, "maybe"),  # refused: not an option
        Ballot(division, "bob", "b", T0 + timedelta(minutes=2)),  # a page's, already counted
    ]
    try:
        answers = _run(intake, items)
    finally:
        limits.dispose()
    first, again, over, unknown, none, clerk, refused, page = answers
    assert isinstance(first, Admission)
    assert isinstance(first.outcome, str)
    assert first.user is not None
    assert first.user.username == "ann"
    assert (first.taken.allowed, first.taken.remaining) == (True, 1)
    assert isinstance(again, Admission)
    assert again.outcome == first.outcome
    assert (again.taken.allowed, again.taken.remaining) == (True, 0)
    assert isinstance(over, Admission)
    assert (over.taken.allowed, over.user, over.outcome) == (False, None, None)
    assert isinstance(unknown, Admission)
    assert unknown.taken.allowed
    assert (unknown.user, unknown.outcome) == (None, None)
    assert isinstance(none, Admission)
    assert (none.user, none.outcome) == (None, None)
    assert isinstance(clerk, Admission)
    assert clerk.user is not None
    assert (clerk.user.role, clerk.outcome) == ("clerk", None)
    assert isinstance(refused, Admission)
    assert isinstance(refused.outcome, ChamberError)
    assert isinstance(page, str)
    assert not any(a.refreshed for a in answers if isinstance(a, Admission))
    with Session(engine) as session:
        stored = session.exec(
            select(PublicSubmission.receipt).where(PublicSubmission.division_id == division)
        ).all()
    assert sorted(stored) == sorted([first.outcome, page])
    assert intake.groups < len(items)


def test_a_session_in_use_is_kept_alive(world):
    engine = world.engine
    division, tokens = _setting(world)
    limits = SharedLimits(engine)
    intake = VoteIntake(engine, limits, audit_key=key_of(engine))
    later = SignedVote("rate_limited:9.9.9.9", 5, 60.0, tokens["ann"], division, "a",
                       T0 + timedelta(minutes=30))
    try:
        (answer,) = _run(intake, [later])
    finally:
        limits.dispose()
    assert isinstance(answer, Admission)
    assert answer.refreshed
    assert isinstance(answer.outcome, str)


def test_when_the_counts_cannot_be_read_the_pages_votes_are_still_cast(world, monkeypatch):
    engine = world.engine
    division, tokens = _setting(world)
    limits = SharedLimits(engine)
    intake = VoteIntake(engine, limits, audit_key=key_of(engine))

    def broken(*_args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(limits, "take_many", broken)
    monkeypatch.setattr(limits, "count_on", broken)
    items = [_vote("1.1.1.1", tokens["ann"], division),
             Ballot(division, "bob", "b", T0 + timedelta(minutes=2))]
    try:
        signed, page = _run(intake, items)
    finally:
        limits.dispose()
    assert isinstance(signed, RuntimeError)
    assert isinstance(page, str)


@pytest.mark.parametrize("writers", [1, 2])
def test_every_vote_of_a_surge_is_answered_once(world, writers):
    engine = world.engine
    division, tokens = _setting(world)
    limits = SharedLimits(engine)
    intake = VoteIntake(engine, limits, audit_key=key_of(engine), writers=writers)
    items = [_vote(f"10.0.0.{i}", tokens[("ann", "bob", "cat")[i % 3]], division, "ab"[i % 2],
                   limit=100) for i in range(60)]
    try:
        answers = _run(intake, items)
    finally:
        limits.dispose()
    assert all(isinstance(a, Admission) and isinstance(a.outcome, str) for a in answers)
    with Session(engine) as session:
        stored = session.exec(
            select(PublicSubmission.receipt).where(PublicSubmission.division_id == division)
        ).all()
    assert len(stored) == 60 == len({a.outcome for a in answers if isinstance(a, Admission)})
