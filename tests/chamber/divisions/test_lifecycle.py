"""A division's life: created, closed once and only once with every part of its result
published, on the audit chain; on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from chamber.audit.models import AuditEntry
from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division
from chamber.errors import Invalid, NotFound, Refused
from chamber.integrity import verify
from tests.chamber.conftest import close, key_of, public_vote


def test_closing_twice_changes_nothing(engine, division, voters, t):
    public_vote(engine, division, "v", "content", t(1))
    first = close(engine, division, t(200))
    with Session(engine) as s:
        entries = len(s.exec(select(AuditEntry)).all())
    assert close(engine, division, t(300)) == first
    with Session(engine) as s:
        assert len(s.exec(select(AuditEntry)).all()) == entries


def test_the_published_result_shows_every_part(engine, division, voters, t):
    public_vote(engine, division, "v", "content", t(1))
    result = close(engine, division, t(200))
    assert result.chamber_votes == (0, 0)
    assert result.public_votes == (1, 0)
    assert result.public_as_chamber_votes == (1, 0)
    assert result.carried == "content"
    assert result.audit_head
    assert result.rule.startswith("Every 25,000 public votes")


def test_a_division_needs_a_question_options_times_and_a_sitting(engine, sitting, t):
    s, _ = sitting
    before = t(-60)
    for question, options, closes, message in (
        (" ", ["a", "b"], t(60), "needs a question"),
        ("Q", ["a"], t(60), "two or more different options"),
        ("Q", ["a", "a"], t(60), "two or more different options"),
        ("Q", ["a", "b"], t(0), "must open before it closes"),
    ):
        with pytest.raises(Invalid, match=message):
            perform(engine, create_division, question, options, t(0), closes, sitting_id=s.id,
                    now=before)
    with pytest.raises(NotFound, match="no sitting 999"):
        perform(engine, create_division, "Q", ["a", "b"], t(0), t(60), sitting_id=999,
                now=before)


def test_a_division_opens_and_closes_within_its_sitting_and_never_in_the_past(
    engine, sitting, t
):
    s, _ = sitting
    with pytest.raises(Refused, match=r"within its sitting .*08:00 GMT"):
        perform(engine, create_division, "Q", ["a", "b"], t(-10), t(60), sitting_id=s.id,
                now=t(-60))
    with pytest.raises(Refused, match="within its sitting"):
        perform(engine, create_division, "Q", ["a", "b"], t(60), t(9 * 60), sitting_id=s.id,
                now=t(-60))
    with pytest.raises(Refused, match="cannot open in the past"):
        perform(engine, create_division, "Q", ["a", "b"], t(10), t(60), sitting_id=s.id,
                now=t(30))
    assert perform(engine, create_division, "Q", ["a", "b"], t(30), t(60), sitting_id=s.id,
                   now=t(30) + timedelta(seconds=30))


def test_the_audit_chain_verifies_and_tampering_is_found(engine, division, voters, t):
    public_vote(engine, division, "v", "content", t(1))
    close(engine, division, t(200) + timedelta(0))
    found = read(engine, verify, key_of(engine))
    assert found.intact, found.problems
    with Session(engine) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.kind == "public vote")).one()
        entry.payload = {**entry.payload, "receipt": "forged"}
        s.add(entry)
        s.commit()
        broken = entry.id
    found = read(engine, verify)
    assert found.broken is not None
    assert found.broken.id == broken
