"""Everything the audit log covers, checked against it: the chain itself, its checkpoints and
any head kept outside; every division (definition, status, result), public submission (and
its MAC), current public vote, member vote, proxy, account role, and stored count.  The log
is the record: the tables are replayed from it and each row that differs, is missing, or has
no entry is named.  What `chamber audit verify` reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from chamber.accounts.integrity import account_problems
from chamber.audit.chain import verify_chain
from chamber.audit.checkpoints import checkpoint_problems, head_problems
from chamber.audit.models import AuditCheckpoint
from chamber.audit.services import Findings, load_entries
from chamber.divisions.integrity import division_problems
from chamber.divisions.models import PublicSubmission
from chamber.elections.services import election_problems
from chamber.routes.records import route_problems


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first chain entry whose hash does not match its contents and the hash before it."""

    id: int
    kind: str
    at: str


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head: str | None
    broken: BrokenLink | None
    problems: tuple[str, ...]
    unchained: int  # public submissions not on the chain (waiting for the sequencer, or forged)
    notes: tuple[str, ...] = ()  # what could not be checked, and heads kept outside found
    checkpoints: int = 0

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.problems


def verify(
    session: Session, audit_key: bytes | None = None, heads: Sequence[str] = ()
) -> Verification:
    """Check the chain and every table it covers.  ``audit_key`` checks the submissions' and
    checkpoints' MACs (without it they are not checked, and a note says so); ``heads`` are
    head hashes kept outside the database, each of which must be on the chain."""
    entries = load_entries(session)
    index = verify_chain([(e.payload, e.hash) for e in entries])
    broken = None
    if index is not None:
        e = entries[index]
        broken = BrokenLink(e.id, e.kind, str(e.payload.get("at")))
    found = Findings()
    found.add(division_problems(session, entries, audit_key))
    found.problems += account_problems(session, entries)
    found.problems += election_problems(session)
    found.problems += route_problems(session)
    hashes = [e.hash for e in entries]
    found.problems += checkpoint_problems(session, hashes, audit_key)
    outside, located = head_problems(hashes, heads)
    found.problems += outside
    found.notes += located
    unchained = session.exec(
        select(func.count()).select_from(PublicSubmission).where(
            col(PublicSubmission.audit_id).is_(None)
        )
    ).one()
    checkpoints = session.exec(select(func.count()).select_from(AuditCheckpoint)).one()
    return Verification(
        len(entries), hashes[-1] if hashes else None, broken, tuple(found.problems),
        int(unchained), tuple(found.notes), int(checkpoints),
    )
