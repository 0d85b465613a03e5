"""Published counts as the public sees them (without the ballots, which are downloaded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from chamber.clock import london
from chamber.elections.models import Election
from chamber.elections.services import stored


@dataclass(frozen=True, slots=True)
class ElectionRecord:
    """A stored count as published: its rule, seed, the ballots' SHA-256 and the result (the
    `electoral.result.CountResult` JSON, read by the page, the chart and the downloads)."""

    id: int
    title: str
    rule: str
    seed: str
    seats: int
    source_name: str
    source_sha256: str
    result: dict[str, Any]
    counted_at: datetime
    audit_head: str


@dataclass(frozen=True, slots=True)
class ElectionSummary:
    id: int
    title: str
    rule: str
    elected: tuple[str, ...]


def election(session: Session, election_id: int) -> ElectionRecord:
    e = stored(session, election_id)
    assert e.id is not None
    return ElectionRecord(
        e.id, e.title, e.rule, e.seed, e.seats, e.source_name, e.source_sha256, dict(e.result),
        london(e.counted_at), e.audit_head,
    )


def elections(session: Session) -> list[ElectionSummary]:
    """Every stored count, newest first."""
    return [
        ElectionSummary(e.id or 0, e.title, e.rule, tuple(e.result.get("elected", ())))  # type: ignore[arg-type]
        for e in session.exec(select(Election).order_by(col(Election.id).desc())).all()
    ]


def election_ballots(session: Session, election_id: int) -> tuple[str, str]:
    """A stored count's ballot file as given: (its name, its text), for anyone to re-count."""
    e = stored(session, election_id)
    return e.source_name, e.ballots
