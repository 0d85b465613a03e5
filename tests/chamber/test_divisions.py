"""Division services on an embedded SQLite database: votes, re-votes, receipts, proxies,
closing twice, and the audit chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber.db import create_schema, make_engine
from chamber.divisions.models import AuditEntry, PublicSubmission
from chamber.divisions.services import (
    appoint_proxy,
    cast_member_vote,
    cast_public_vote,
    close_division,
    create_division,
    receipt_status,
    revoke_proxy,
    verify_audit,
)
from chamber.voting import VotingError

T0 = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
ROSTER = {"S001": "alice", "S002": "bob", "S003": "cyd"}


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'chamber.db'}")
    create_schema(engine)
    return engine


@pytest.fixture
def division(engine):
    return create_division(
        engine,
        "That the Bill be read a second time",
        ["content", "not content"],
        T0,
        T0,
        T0 + timedelta(hours=2),
    )


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_members_vote_only_when_rostered_and_the_last_vote_counts(engine, division):
    cast_member_vote(engine, division, "alice", "S001", "content", ROSTER, at(1))
    cast_member_vote(engine, division, "alice", "S001", "not content", ROSTER, at(2))
    cast_member_vote(engine, division, "bob", "S002", "content", ROSTER, at(3))
    with pytest.raises(VotingError, match="dora is not rostered for seat S003"):
        cast_member_vote(engine, division, "dora", "S003", "content", ROSTER, at(4))
    result = close_division(engine, division, at(200))
    assert result["chamber_votes"] == [1, 1]


def test_public_revotes_keep_every_submission_and_receipts_hide_the_choice(engine, division):
    first = cast_public_vote(engine, division, "v1", "content", at(1))
    second = cast_public_vote(engine, division, "v1", "not content", at(2))
    assert first != second
    with Session(engine) as s:
        assert len(s.exec(select(PublicSubmission)).all()) == 2
    assert receipt_status(engine, first)["is_latest"] is False
    close_division(engine, division, at(200))
    assert receipt_status(engine, second)["counted"] is True
    with pytest.raises(VotingError, match="closed"):
        cast_public_vote(engine, division, "v1", "content", at(201))


def test_proxies_carry_to_the_first_direct_voter_and_a_direct_vote_overrides(engine, division):
    appoint_proxy(engine, "a", "b", at(0))
    appoint_proxy(engine, "b", "c", at(0))
    appoint_proxy(engine, "d", "c", at(0), division_id=division)
    appoint_proxy(engine, "e", "f", at(0))
    appoint_proxy(engine, "f", "e", at(0))  # a cycle adds nothing
    appoint_proxy(engine, "g", "c", at(0))
    cast_public_vote(engine, division, "c", "content", at(5))
    cast_public_vote(engine, division, "g", "not content", at(6))  # overrides g's proxy
    result = close_division(engine, division, at(200))
    assert result["public_votes"] == [4, 1]  # c with a, b, d; and g
    assert result["proxy_votes_in_cycles"] == 2
    assert result["largest_proxies"] == [{"proxy": "c", "votes": 3}]


def test_a_revoked_proxy_carries_nothing(engine, division):
    appoint_proxy(engine, "a", "b", at(0))
    revoke_proxy(engine, "a", at(1))
    cast_public_vote(engine, division, "b", "content", at(2))
    assert close_division(engine, division, at(200))["public_votes"] == [1, 0]


def test_closing_twice_changes_nothing(engine, division):
    cast_public_vote(engine, division, "v", "content", at(1))
    first = close_division(engine, division, at(200))
    with Session(engine) as s:
        entries = len(s.exec(select(AuditEntry)).all())
    assert close_division(engine, division, at(300)) == first
    with Session(engine) as s:
        assert len(s.exec(select(AuditEntry)).all()) == entries


def test_the_audit_chain_verifies_and_tampering_is_found(engine, division):
    cast_public_vote(engine, division, "v", "content", at(1))
    close_division(engine, division, at(200))
    assert verify_audit(engine) is None
    with Session(engine) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.kind == "public vote")).one()
        entry.payload = {**entry.payload, "receipt": "forged"}
        s.add(entry)
        s.commit()
        broken = entry.id
    assert verify_audit(engine) == broken
