"""Division services on SQLite and PostgreSQL: member votes from the roster, public votes,
re-votes, receipts, idempotent retries, proxies, closing twice, and the audit chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber import institution
from chamber.divisions.models import AuditEntry, PublicSubmission
from chamber.divisions.services import (
    appoint_proxy,
    cast_member_vote,
    cast_public_vote,
    close_division,
    create_division,
    delegation_status,
    my_proxy,
    receipt_status,
    register_voter,
    revoke_proxy,
    verify_audit,
)
from chamber.voting import VotingError

T0 = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def sitting(world):
    """A sitting of the panel with at least two seats filled, and its roster."""
    engine = world["engine"]
    for s in institution.sittings_between(engine, T0 - timedelta(days=2), T0 + timedelta(days=20)):
        with Session(engine) as session:
            roster = institution.rostered(session, s.id)
        if len(roster) >= 2:
            return s, roster
    raise AssertionError("the rota left every sitting nearly empty")


@pytest.fixture
def division(world, sitting):
    s, _ = sitting
    start = s.starts_at if s.starts_at.tzinfo else s.starts_at.replace(tzinfo=UTC)
    return create_division(
        world["engine"],
        "That the Bill be read a second time",
        ["content", "not content"],
        start,
        start + timedelta(hours=2),
        sitting_id=s.id,
    )


@pytest.fixture
def voters(engine):
    for name in "abcdefgv":
        register_voter(engine, name, T0 - timedelta(days=1))
    register_voter(engine, "v1", T0 - timedelta(days=1))


@pytest.fixture
def t(sitting):
    start = sitting[0].starts_at
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    return lambda minutes: start + timedelta(minutes=minutes)


def test_only_the_rostered_member_votes_and_the_last_vote_counts(engine, division, sitting, t):
    _, roster = sitting
    (seat1, m1), (seat2, m2) = sorted(roster.items())[:2]
    cast_member_vote(engine, division, m1, "content", t(1))
    cast_member_vote(engine, division, m1, "not content", t(2))
    cast_member_vote(engine, division, m2, "content", t(3))
    sharer = next(
        f"{seat1}-{k}" for k in range(2) if f"{seat1}-{k}" != m1
    )  # shares seat1, not rostered now
    with pytest.raises(VotingError, match=f"{sharer} is not rostered for seat {seat1}"):
        cast_member_vote(engine, division, sharer, "content", t(4))
    with pytest.raises(VotingError, match=f"{m1} is not rostered for seat {seat2}"):
        cast_member_vote(engine, division, m1, "content", t(4), seat=seat2)
    with pytest.raises(VotingError, match="not an option"):
        cast_member_vote(engine, division, m2, "abstain", t(5))
    result = close_division(engine, division, t(200))
    assert result["chamber_votes"] == [1, 1]
    with pytest.raises(VotingError, match="closed"):
        cast_member_vote(engine, division, m2, "not content", t(201))


def test_members_cannot_vote_before_the_division_opens(engine, division, sitting, t):
    _, roster = sitting
    member = next(iter(roster.values()))
    with pytest.raises(VotingError, match="not open yet"):
        cast_member_vote(engine, division, member, "content", t(-5))


def test_public_revotes_keep_every_submission_and_receipts_hide_the_choice(
    engine, division, voters, t
):
    first = cast_public_vote(engine, division, "v1", "content", t(1))
    second = cast_public_vote(engine, division, "v1", "not content", t(2))
    assert first != second
    assert "content" not in first
    assert "not" not in second
    with Session(engine) as s:
        assert len(s.exec(select(PublicSubmission)).all()) == 2
    assert receipt_status(engine, first)["is_latest"] is False
    close_division(engine, division, t(200))
    assert receipt_status(engine, second)["counted"] is True
    assert receipt_status(engine, first)["counted"] is False
    with pytest.raises(VotingError, match="closed"):
        cast_public_vote(engine, division, "v1", "content", t(201))
    with pytest.raises(VotingError, match="not a registered voter"):
        cast_public_vote(engine, division, "stranger", "content", t(3))


def test_a_retried_submission_returns_the_same_receipt_and_stores_nothing(
    engine, division, voters, t
):
    first = cast_public_vote(engine, division, "v", "content", t(1), idempotency_key="k1")
    again = cast_public_vote(engine, division, "v", "content", t(2), idempotency_key="k1")
    assert again == first
    with Session(engine) as s:
        assert len(s.exec(select(PublicSubmission)).all()) == 1
    other = cast_public_vote(engine, division, "v", "not content", t(3), idempotency_key="k2")
    assert other != first


def test_proxies_carry_to_the_first_direct_voter_and_a_direct_vote_overrides(
    engine, division, voters, t
):
    appoint_proxy(engine, "a", "b", t(0))
    appoint_proxy(engine, "b", "c", t(0))
    appoint_proxy(engine, "d", "c", t(0), division_id=division)
    appoint_proxy(engine, "e", "f", t(0))
    appoint_proxy(engine, "f", "e", t(0))  # a cycle adds nothing
    appoint_proxy(engine, "g", "c", t(0))
    assert my_proxy(engine, "a", t(1)) == "b"
    cast_public_vote(engine, division, "c", "content", t(5))
    cast_public_vote(engine, division, "g", "not content", t(6))  # overrides g's proxy
    result = close_division(engine, division, t(200))
    assert result["public_votes"] == [4, 1]  # c with a, b, d; and g
    assert result["proxy_votes_in_cycles"] == 2
    assert result["largest_proxies"] == [{"proxy": "c", "votes": 3}]
    status = delegation_status(engine, "a", division)
    assert status["delegated_to"] == "b"
    assert status["counted_through"] == "c"
    assert status["counted"] is True
    assert delegation_status(engine, "e", division)["why_not"] == "a cycle of proxies"
    assert delegation_status(engine, "g", division)["voted_directly"] is True


def test_a_division_proxy_overrides_the_general_one(engine, division, voters, t):
    appoint_proxy(engine, "a", "b", t(0))
    appoint_proxy(engine, "a", "c", t(0), division_id=division)
    cast_public_vote(engine, division, "b", "content", t(1))
    cast_public_vote(engine, division, "c", "not content", t(1))
    assert close_division(engine, division, t(200))["public_votes"] == [1, 2]


def test_proxy_refusals(engine, division, voters, t):
    with pytest.raises(VotingError, match="own proxy"):
        appoint_proxy(engine, "a", "a", t(0))
    with pytest.raises(VotingError, match="no proxy to revoke"):
        revoke_proxy(engine, "a", t(0))
    with pytest.raises(VotingError, match="not a registered voter"):
        appoint_proxy(engine, "a", "nobody", t(0))
    close_division(engine, division, t(200))
    with pytest.raises(VotingError, match="closed"):
        appoint_proxy(engine, "a", "b", t(201), division_id=division)


def test_the_proxy_cap_refuses_the_highest_voter_numbers(engine, division, voters, t, monkeypatch):
    from chamber import settings as settings_module

    monkeypatch.setattr(
        settings_module, "settings", lambda: settings_module.Settings(proxy_cap=2)
    )
    monkeypatch.setattr("chamber.divisions.services.settings", settings_module.settings)
    for name in "abd":
        appoint_proxy(engine, name, "c", t(0))
    cast_public_vote(engine, division, "c", "content", t(1))
    result = close_division(engine, division, t(200))
    assert result["public_votes"] == [3, 0]
    assert result["proxy_votes_refused_over_cap"] == 1
    assert delegation_status(engine, "d", division)["refused_over_cap"] is True
    assert delegation_status(engine, "a", division)["counted"] is True


def test_a_revoked_proxy_carries_nothing(engine, division, voters, t):
    appoint_proxy(engine, "a", "b", t(0))
    revoke_proxy(engine, "a", t(1))
    cast_public_vote(engine, division, "b", "content", t(2))
    assert close_division(engine, division, t(200))["public_votes"] == [1, 0]


def test_closing_twice_changes_nothing(engine, division, voters, t):
    cast_public_vote(engine, division, "v", "content", t(1))
    first = close_division(engine, division, t(200))
    with Session(engine) as s:
        entries = len(s.exec(select(AuditEntry)).all())
    assert close_division(engine, division, t(300)) == first
    with Session(engine) as s:
        assert len(s.exec(select(AuditEntry)).all()) == entries


def test_the_published_result_shows_every_part(engine, division, voters, t):
    cast_public_vote(engine, division, "v", "content", t(1))
    result = close_division(engine, division, t(200))
    for key in ("chamber_votes", "public_votes", "public_as_chamber_votes", "combined", "carried",
                "audit_head", "largest_proxies", "rule"):
        assert key in result


def test_the_audit_chain_verifies_and_tampering_is_found(engine, division, voters, t):
    cast_public_vote(engine, division, "v", "content", t(1))
    close_division(engine, division, t(200))
    assert verify_audit(engine) is None
    with Session(engine) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.kind == "public vote")).one()
        entry.payload = {**entry.payload, "receipt": "forged"}
        s.add(entry)
        s.commit()
        broken = entry.id
    assert verify_audit(engine) == broken
