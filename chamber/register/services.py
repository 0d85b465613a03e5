"""Importing the register (all or nothing; a re-import updates changed rows, keeps what each
was in the history, and marks electors missing from it removed), and binding an elector to a
public voter or an account."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.clock import london
from chamber.errors import Conflict, NotFound, Refused
from chamber.register.files import ElectorRow, elector_number, parse_register
from chamber.register.models import ClaimCode, Elector, ElectorHistory, Letter, RegisterImport

FIELDS = ("name", "postcode", "birth_date", "birth_year", "email")


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    import_id: int | None  # None for a dry run
    rows: int
    added: int
    changed: int
    removed: int
    restored: int  # of the changed: electors removed before and on the register again
    unchanged: int


def _values(row: ElectorRow) -> dict[str, object]:
    return {f: getattr(row, f) for f in FIELDS}


def _history(elector: Elector, import_id: int, now: datetime) -> dict[str, object]:
    return {
        "elector_id": elector.id, "import_id": import_id, "status": elector.status,
        "valid_from": elector.updated_at, "replaced_at": now,
        **{f: getattr(elector, f) for f in FIELDS},
    }


def import_register(
    session: Session, filename: str, text: str, now: datetime, *, dry_run: bool = False
) -> ImportReport:
    """Import the whole register from its CSV (`chamber.register.files`).  Nothing is stored if
    any row is bad.  New electors are added; an elector whose row differs is updated, its old
    row kept in the history; an elector missing from the file is marked removed (never deleted)
    and any code waiting for them ends.  The import is recorded with the file's SHA-256, and
    the hash and counts go on the audit chain."""
    rows = parse_register(text, filename, london(now).date())
    existing = {e.number: e for e in session.exec(select(Elector)).all()}
    new = [r for r in rows if r.number not in existing]
    changed: list[tuple[Elector, ElectorRow]] = []
    restored = unchanged = 0
    for row in rows:
        elector = existing.get(row.number)
        if elector is None:
            continue
        if elector.status != "current" or any(
            getattr(elector, f) != v for f, v in _values(row).items()
        ):
            changed.append((elector, row))
            restored += elector.status != "current"
        else:
            unchanged += 1
    listed = {r.number for r in rows}
    gone = [e for n, e in existing.items() if n not in listed and e.status == "current"]
    digest = hashlib.sha256(text.encode()).hexdigest()
    counts = {"rows": len(rows), "added": len(new), "changed": len(changed),
              "removed": len(gone), "unchanged": unchanged}
    if dry_run:
        return ImportReport(None, restored=restored, **counts)
    record = RegisterImport(filename=filename, sha256=digest, imported_at=now, **counts)
    session.add(record)
    session.flush()
    assert record.id is not None
    history = [_history(e, record.id, now) for e, _ in changed] + [
        _history(e, record.id, now) for e in gone
    ]
    if history:
        session.execute(insert(ElectorHistory), history)
    for elector, row in changed:
        for field, value in _values(row).items():
            setattr(elector, field, value)
        elector.status, elector.import_id, elector.updated_at = "current", record.id, now
    for elector in gone:
        elector.status, elector.import_id, elector.updated_at = "removed", record.id, now
    if gone:
        end_codes(session, [e.id for e in gone if e.id is not None], now)
    if new:
        session.execute(insert(Elector), [
            {"number": r.number, **_values(r), "status": "current", "import_id": record.id,
             "updated_at": now}
            for r in new
        ])
    append(session, "register imported",
           {"import": record.id, "file": filename, "sha256": digest, **counts}, now)
    return ImportReport(record.id, restored=restored, **counts)


def end_codes(session: Session, elector_ids: list[int], now: datetime) -> list[int]:
    """End the live codes of these electors (and erase their letters not yet exported); the
    codes ended."""
    ended = list(session.exec(
        select(ClaimCode.id).where(
            col(ClaimCode.elector_id).in_(elector_ids), col(ClaimCode.used_at).is_(None),
            col(ClaimCode.ended_at).is_(None),
        )
    ).all())
    if ended:
        session.execute(update(ClaimCode).where(col(ClaimCode.id).in_(ended)).values(ended_at=now))
        session.execute(
            update(Letter)
            .where(col(Letter.code_id).in_(ended), col(Letter.exported_at).is_(None))
            .values(code=None)
        )
    return [i for i in ended if i is not None]


def elector(session: Session, number: str) -> Elector:
    """The elector with this number, or NotFound."""
    found = session.exec(select(Elector).where(Elector.number == elector_number(number))).first()
    if found is None:
        raise NotFound(f"no elector {elector_number(number)!r} on the register")
    return found


def claimable(session: Session, number: str) -> Elector:
    """An elector who may be given an account: on the register now, and without one."""
    found = elector(session, number)
    if found.status != "current":
        raise Refused(f"elector {found.number} has been removed from the register")
    if found.account_id is not None:
        raise Conflict(f"elector {found.number} already has an account")
    return found


def bind_voter(session: Session, number: str, voter_id: int) -> None:
    """Make a public voter registered without an account (imported) this elector's voter: the
    only way to their account is then the elector's code."""
    found = elector(session, number)
    if found.voter_id is not None and found.voter_id != voter_id:
        raise Conflict(f"elector {found.number} already has a public voter")
    if session.exec(select(Elector.id).where(
        Elector.voter_id == voter_id, Elector.id != found.id
    )).first() is not None:
        raise Conflict("that public voter belongs to another elector")
    found.voter_id = voter_id


def bind_account(session: Session, found: Elector, account_id: int, voter_id: int) -> None:
    """Bind an account (and its public voter) to an elector who has none.  Guarded in the
    database, so two claims of one elector at once cannot both succeed."""
    done = session.execute(
        update(Elector)
        .where(col(Elector.id) == found.id, col(Elector.account_id).is_(None))
        .values(account_id=account_id, voter_id=voter_id)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"elector {found.number} already has an account")
    session.refresh(found)
