"""What administrators see of the register: how many electors, claimed, removed; the last
imports; the codes waiting to be posted or e-mailed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from chamber.outbox.services import waiting
from chamber.register.claims import letters_waiting
from chamber.register.models import Elector, RegisterImport


@dataclass(frozen=True, slots=True)
class ImportSummary:
    id: int
    filename: str
    sha256: str
    imported_at: datetime
    rows: int
    added: int
    changed: int
    removed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class RegisterSummary:
    current: int
    removed: int
    claimed: int
    letters_waiting: int
    emails_waiting: int
    imports: tuple[ImportSummary, ...]  # the newest first


def register_summary(session: Session, now: datetime, imports: int = 5) -> RegisterSummary:
    def count(*where: ColumnElement[bool] | bool) -> int:
        return int(session.exec(select(func.count()).select_from(Elector).where(*where)).one())

    recent = session.exec(
        select(RegisterImport).order_by(col(RegisterImport.id).desc()).limit(imports)
    ).all()
    return RegisterSummary(
        current=count(Elector.status == "current"),
        removed=count(Elector.status == "removed"),
        claimed=count(col(Elector.account_id).is_not(None)),
        letters_waiting=letters_waiting(session, now),
        emails_waiting=waiting(session),
        imports=tuple(
            ImportSummary(r.id or 0, r.filename, r.sha256, r.imported_at, r.rows, r.added,
                          r.changed, r.removed, r.unchanged)
            for r in recent
        ),
    )
