"""Member votes from the roster, public votes with receipts, re-votes and idempotent retries,
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from chamber.db import perform
from chamber.divisions.member_votes import cast_member_vote
from chamber.divisions.models import PublicSubmission
from chamber.divisions.views import receipt_status
from chamber.errors import ChamberError, Conflict, Invalid, NotFound, Refused
from tests.chamber.conftest import close, public_vote


def test_only_the_rostered_member_votes_and_the_last_vote_counts(engine, division, sitting, t):
    _, roster = sitting
    (seat1, m1), (_, m2) = sorted(roster.items())[:2]
    perform(engine, cast_member_vote, division, m1, "content", t(1))
    perform(engine, cast_member_vote, division, m1, "not content", t(2))
    perform(engine, cast_member_vote, division, m2, "content", t(3))
    sharer = next(f"{seat1}-{k}" for k in range(2) if f"{seat1}-{k}" != m1)  # not rostered now
    with pytest.raises(Refused, match=f"{sharer} is not rostered for seat {seat1}"):
        perform(engine, cast_member_vote, division, sharer, "content", t(4))
    with pytest.raises(ChamberError, match="not an option"):
        perform(engine, cast_member_vote, division, m2, "abstain", t(5))
    result = close(engine, division, t(200))
    assert result.chamber_votes == (1, 1)
    with pytest.raises(Refused, match="closed"):
        perform(engine, cast_member_vote, division, m2, "not content", t(201))


def test_members_cannot_vote_before_the_division_opens(engine, division, sitting, t):
    _, roster = sitting
    member = next(iter(roster.values()))
    with pytest.raises(Refused, match="not open yet"):
        perform(engine, cast_member_vote, division, member, "content", t(-5))


def test_public_revotes_keep_every_submission_and_receipts_hide_the_choice(
    engine, division, voters, t
):
    first = public_vote(engine, division, "v1", "content", t(1))
    second = public_vote(engine, division, "v1", "not content", t(2))
    assert first != second
    assert "content" not in first
    assert "not" not in second
    with Session(engine) as s:
        assert len(s.exec(select(PublicSubmission)).all()) == 2
    assert perform(engine, receipt_status, first).is_latest is False
    close(engine, division, t(200))
    assert perform(engine, receipt_status, second).counted is True
    assert perform(engine, receipt_status, first).counted is False
    with pytest.raises(Refused, match="closed"):
        public_vote(engine, division, "v1", "content", t(201))
    with pytest.raises(NotFound, match="not a registered voter"):
        public_vote(engine, division, "stranger", "content", t(3))
    with pytest.raises(NotFound, match="no vote has this receipt"):
        perform(engine, receipt_status, "nonsense")


def test_a_retried_submission_returns_the_same_receipt_and_stores_nothing(
    engine, division, voters, t
):
    first = public_vote(engine, division, "v", "content", t(1), idempotency_key="k1")
    again = public_vote(engine, division, "v", "content", t(2), idempotency_key="k1")
    assert again == first
    with Session(engine) as s:
        assert len(s.exec(select(PublicSubmission)).all()) == 1
    other = public_vote(engine, division, "v", "not content", t(3), idempotency_key="k2")
    assert other != first


def test_the_same_key_with_another_choice_is_a_conflict_and_stores_nothing(
    engine, division, voters, t
):
    first = public_vote(engine, division, "v", "content", t(1), idempotency_key="k1")
    with pytest.raises(Conflict, match="already used for 'content'") as refused:
        public_vote(engine, division, "v", "not content", t(2), idempotency_key="k1")
    assert first in str(refused.value)
    with Session(engine) as s:
        assert [x.option for x in s.exec(select(PublicSubmission))] == [0]


def test_an_idempotency_key_over_128_characters_is_refused_by_the_service(
    engine, division, voters, t
):
    with pytest.raises(Invalid, match="idempotency_key: must be 1 to 128 characters, not 3000"):
        public_vote(engine, division, "v", "content", t(1), idempotency_key="k" * 3000)
    assert public_vote(engine, division, "v", "content", t(1), idempotency_key="k" * 128)
