"""Counting an election and storing it with its inputs; re-running a stored count; checking
stored counts against the audit log."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import PurePath
from typing import Any

from sqlmodel import Session, select

from chamber.audit.models import AuditEntry
from chamber.audit.services import append
from chamber.bodies.services import body
from chamber.db import fetch
from chamber.elections.models import Election
from electoral.result import CountResult, result_from_dict
from electoral.rules import count_text, differences


def _count(source_name: str, ballots: str, rule: str, seats: int | None, seed: str) -> CountResult:
    """The count of a ballot file's text; its errors name the file by its own name only."""
    return count_text(ballots, PurePath(source_name).name or "ballots.blt", rule, seats, seed)


def digest(data: dict[str, Any]) -> str:
    """The SHA-256 of a result's canonical JSON (what the audit log records of it)."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def count_election(
    session: Session,
    title: str,
    source_name: str,
    ballots: str,
    *,
    rule: str,
    seed: str,
    seats: int | None = None,
    body_key: str | None = None,
    now: datetime,
) -> int:
    """Count a ballot file (its text, named ``source_name`` so its format is known) and store
    the inputs, rule, seed and result; returns the election's id.  A bad file raises the
    count's own error (`electoral.errors.BallotFileError`) and stores nothing."""
    result = _count(source_name, ballots, rule, seats, seed)
    if body_key is not None:
        body(session, body_key)
    data = result.as_dict()
    head = append(
        session,
        "election counted",
        {
            "title": title,
            "rule": rule,
            "seed": seed,
            "source_sha256": result.source_sha256,
            "elected": list(result.elected),
            "result_sha256": digest(data),
        },
        now,
    )
    election = Election(
        body_key=body_key, title=title, rule=rule, seats=result.seats, seed=seed,
        source_name=source_name, source_sha256=result.source_sha256 or "", ballots=ballots,
        result=data, counted_at=now, audit_head=head,
    )
    session.add(election)
    session.flush()
    assert election.id is not None
    return election.id


def stored(session: Session, election_id: int) -> Election:
    return fetch(session, Election, election_id, "election")


def verify_election(session: Session, election_id: int) -> list[str]:
    """Re-run a stored count from its stored inputs; the differences (none when it agrees)."""
    election = stored(session, election_id)
    published = result_from_dict(election.result)
    problems = []
    if hashlib.sha256(election.ballots.encode("utf-8")).hexdigest() != election.source_sha256:
        problems.append("the stored ballots are not the ones counted (SHA-256 differs)")
    recount = _count(
        election.source_name, election.ballots, election.rule, election.seats, election.seed
    )
    return problems + differences(published, recount)


def election_problems(session: Session) -> list[str]:
    """Stored counts whose ballots or result differ from what the audit log recorded."""
    recorded = {
        e.hash: e.payload
        for e in session.exec(select(AuditEntry).where(AuditEntry.kind == "election counted"))
    }
    problems = []
    for election in session.exec(select(Election)):
        entry = recorded.get(election.audit_head, {})
        ballots = hashlib.sha256(election.ballots.encode("utf-8")).hexdigest()
        if entry.get("source_sha256") != ballots:
            problems.append(f"the stored ballots of election {election.id} were changed")
        if entry.get("result_sha256") != digest(election.result):
            problems.append(f"the stored result of election {election.id} was changed")
    return problems
