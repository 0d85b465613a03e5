"""Everything the audit log covers, checked against it: the chain itself, every stored vote and
result of a division, every stored count.  What `chamber audit verify` reports."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from chamber.audit.chain import verify_chain
from chamber.audit.models import AuditEntry
from chamber.audit.services import head
from chamber.divisions.integrity import division_problems
from chamber.divisions.models import PublicSubmission
from chamber.elections.services import election_problems


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
    unchained: int  # public submissions not yet on the chain (the sequencer runs every second)

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.problems


def verify(session: Session) -> Verification:
    entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    index = verify_chain([(e.payload, e.hash) for e in entries])
    broken = None
    if index is not None:
        e = entries[index]
        assert e.id is not None
        broken = BrokenLink(e.id, e.kind, e.at.isoformat())
    problems = division_problems(session, entries) + election_problems(session)
    unchained = session.exec(
        select(func.count()).select_from(PublicSubmission).where(
            col(PublicSubmission.audit_id).is_(None)
        )
    ).one()
    return Verification(len(entries), head(session), broken, tuple(problems), int(unchained))
