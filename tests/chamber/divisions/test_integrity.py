"""Tampering made directly in the database is found by `chamber.integrity.verify`, on SQLite
and PostgreSQL: one change per table the audit log covers, each named (the log is the record,
and the tables are replayed from it); a forged submission is not chained by the sequencer; a
chain cut back behind a checkpoint, or behind a head kept elsewhere, is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from chamber.accounts.services import create_account
from chamber.audit.checkpoints import make_checkpoint
from chamber.audit.keys import submission_mac
from chamber.audit.models import AuditCheckpoint, AuditEntry
from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division, open_division
from chamber.divisions.member_votes import cast_member_vote
from chamber.divisions.models import (
    Division,
    Proxy,
    PublicSubmission,
    PublicVote,
    PublicVoter,
)
from chamber.divisions.proxies import revoke_proxy
from chamber.divisions.sequencer import chain_public_votes
from chamber.integrity import Verification, verify
from tests.chamber.conftest import appoint, close, key_of, public_vote


@dataclass
class Scene:
    engine: object
    closed: int  # a division closed with public, member and proxied votes
    open: int  # a division still open, its votes waiting for the sequencer
    voter: dict[str, int]


@pytest.fixture
def scene(engine, division, sitting, voters, t) -> Scene:
    s, roster = sitting
    appoint(engine, "a", "b", t(-30))  # general
    appoint(engine, "c", "d", t(-20), division)  # for the division, then revoked
    perform(engine, revoke_proxy, "c", t(-10), division)
    appoint(engine, "f", "g", t(-5))
    appoint(engine, "f", "e", t(-4))  # replaces f's first proxy
    perform(engine, open_division, division, t(0))
    public_vote(engine, division, "b", "content", t(1))
    public_vote(engine, division, "e", "not content", t(2))
    public_vote(engine, division, "e", "content", t(3))  # e's latest
    public_vote(engine, division, "v", "not content", t(4))
    for member in sorted(roster.values())[:2]:
        perform(engine, cast_member_vote, division, member, "content", t(5))
    close(engine, division, t(120))
    later = perform(
        engine, create_division, "That the Bill be read a third time", ["content", "not content"],
        t(130), t(200), sitting_id=s.id, now=t(125),
    )
    public_vote(engine, later, "a", "content", t(131))
    perform(engine, create_account, "kim", "a long password", "clerk", t(132))
    with Session(engine) as session:
        numbers = dict(session.exec(select(PublicVoter.handle, PublicVoter.id)).all())
    found = verify_now(engine)
    assert found.intact, found.problems
    return Scene(engine, division, later, numbers)


def verify_now(engine, heads=()) -> Verification:
    return read(engine, verify, key_of(engine), heads)


def run(engine, sql: str, **params) -> None:
    with Session(engine) as session:
        assert session.execute(text(sql), params).rowcount >= 1  # type: ignore[attr-defined]
        session.commit()


def found(scene: Scene, says: str) -> None:
    problems = verify_now(scene.engine).problems
    assert any(says in p for p in problems), problems


def test_deleting_a_current_public_vote(scene):
    run(scene.engine, "DELETE FROM publicvote WHERE division_id = :d AND voter_id = :v",
        d=scene.closed, v=scene.voter["e"])
    found(scene, f"voter {scene.voter['e']} has no current public vote in division "
                 f"{scene.closed}")


def test_rolling_a_current_vote_back_to_an_earlier_submission(scene):
    with Session(scene.engine) as s:
        first = s.exec(
            select(PublicSubmission.id).where(
                PublicSubmission.voter_id == scene.voter["e"], PublicSubmission.number == 1
            )
        ).one()
    run(scene.engine, "UPDATE publicvote SET submission_id = :s, option = 1 WHERE voter_id = :v"
        " AND division_id = :d", s=first, v=scene.voter["e"], d=scene.closed)
    found(scene, "it was rolled back")


def test_deleting_a_member_vote(scene):
    with Session(scene.engine) as s:
        seat = s.exec(text("SELECT seat FROM membervote LIMIT 1")).scalar_one()  # type: ignore[call-overload]
    run(scene.engine, "DELETE FROM membervote WHERE seat = :s", s=seat)
    found(scene, f"the member vote of seat {seat} in division {scene.closed}")


def test_repointing_a_proxy(scene):
    run(scene.engine, "UPDATE proxy SET proxy_id = :p WHERE voter_id = :v",
        p=scene.voter["v"], v=scene.voter["a"])
    found(scene, "differs from its audit entry")


def test_deleting_a_proxy(scene):
    run(scene.engine, "DELETE FROM proxy WHERE voter_id = :v", v=scene.voter["a"])
    found(scene, "is missing from the proxy table")


def test_undoing_a_revocation(scene):
    run(scene.engine, "UPDATE proxy SET revoked_at = NULL WHERE voter_id = :v",
        v=scene.voter["c"])
    found(scene, "(revocation)")


def test_a_proxy_written_into_the_table(scene):
    with Session(scene.engine) as s:
        s.add(Proxy(voter_id=scene.voter["v"], proxy_id=scene.voter["a"],
                    appointed_at=s.exec(select(func.min(Proxy.appointed_at))).one()))
        s.commit()
    found(scene, "has no audit entry: it was not appointed through the chamber")


def test_editing_a_divisions_question(scene):
    run(scene.engine, "UPDATE division SET question = 'That nothing be done' WHERE id = :d",
        d=scene.closed)
    found(scene, f"the question of division {scene.closed} differs")


def test_editing_a_divisions_times(scene):
    with Session(scene.engine) as s:
        d = s.get(Division, scene.open)
        d.closes_at = d.closes_at + timedelta(minutes=30)
        s.add(d)
        s.commit()
    found(scene, f"the closing time of division {scene.open} differs")


def test_reopening_a_closed_division(scene):
    run(scene.engine, "UPDATE division SET status = 'open' WHERE id = :d", d=scene.closed)
    found(scene, "a closed division never reopens")


def test_editing_an_unchained_result_field(scene):
    with Session(scene.engine) as s:
        d = s.get(Division, scene.closed)
        d.result = {**d.result, "proxy_votes_counted": d.result["proxy_votes_counted"] + 5}
        s.add(d)
        s.commit()
    found(scene, f"the stored result of division {scene.closed} differs")


def test_raising_an_accounts_role(scene):
    run(scene.engine, "UPDATE account SET role = 'administrator' WHERE username = 'kim'")
    found(scene, "has the role 'administrator', but its latest audit entry")


def test_a_forged_submission_is_not_chained_and_is_reported(scene):
    engine = scene.engine
    with Session(engine) as s:
        at = s.exec(select(PublicSubmission.at).where(
            PublicSubmission.division_id == scene.open)).one()
        forged = PublicSubmission(division_id=scene.open, voter_id=scene.voter["g"], option=1,
                                  number=1, receipt="forged receipt", at=at)
        # and one signed with another key
        other = PublicSubmission(division_id=scene.open, voter_id=scene.voter["d"], option=1,
                                 number=1, receipt="another forged receipt", at=at,
                                 mac=submission_mac(b"x" * 32, scene.open, scene.voter["d"], 1,
                                                    1, "another forged receipt", at))
        s.add(forged)
        s.add(other)
        s.flush()
        s.add(PublicVote(division_id=scene.open, voter_id=scene.voter["g"], option=1,
                         submission_id=forged.id))
        s.commit()
        ids = [forged.id, other.id]
    assert chain_public_votes(engine, key_of(engine), batch=1) == 1  # a's vote, past them both
    with Session(engine) as s:
        unchained = s.exec(select(PublicSubmission.id).where(
            col(PublicSubmission.audit_id).is_(None))).all()
    assert sorted(unchained) == ids
    for number in ids:
        found(scene, f"public submission {number} (division {scene.open}) has no valid MAC")
    # and when its division closes, it is still left off the chain
    close(engine, scene.open, read(engine, lambda s: s.get(Division, scene.open).closes_at))
    with Session(engine) as s:
        assert s.get(PublicSubmission, ids[0]).audit_id is None


def test_cutting_the_chain_back_behind_a_checkpoint(scene):
    engine = scene.engine
    with Session(engine) as s:
        last = s.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
        head, last_id = last.hash, last.id
    perform(engine, make_checkpoint, last.at, "hourly", key_of(engine))
    assert verify_now(engine, [head]).intact
    run(engine, "DELETE FROM auditentry WHERE id = :i", i=last_id)  # kim's account entry
    problems = verify_now(engine, [head]).problems
    assert any("the chain was cut back" in p and "hourly" in p for p in problems), problems
    assert any("kept outside is not on the chain" in p for p in problems), problems


def test_a_checkpoint_made_in_the_database_alone(scene):
    with Session(scene.engine) as s:
        c = s.exec(select(AuditCheckpoint)).first()
        c.reason = "division 1 closed, honestly"
        s.add(c)
        s.commit()
    found(scene, "its MAC does not verify")


def test_the_close_checkpoints_the_head(scene):
    with Session(scene.engine) as s:
        checkpoint = s.exec(select(AuditCheckpoint)).one()
        d = s.get(Division, scene.closed)
        count = s.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.id <= checkpoint.entry_id)).one()
    assert checkpoint.head == d.audit_head
    assert checkpoint.length == count
    assert checkpoint.reason == f"division {scene.closed} closed"
