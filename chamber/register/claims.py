"""One-time codes for claiming an elector: asked for with the elector's number, postcode and
date (or year) of birth, sent out of band (by e-mail through the outbox when the register has
an address, else by letter), stored only hashed, expiring, used once, surviving a few wrong
tries.  Asking for a code answers nothing: whether the details match an elector, whether the
elector already has an account, whether a code was sent, the caller learns none of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from chamber.clock import aware, london
from chamber.codes import digest, new_code, same
from chamber.errors import Invalid
from chamber.keys import deployment_secret
from chamber.outbox.services import queue_email, withdraw
from chamber.register.files import birth, elector_number, postcode
from chamber.register.models import ClaimCode, Elector, Letter
from chamber.register.services import end_codes

REISSUE_AFTER = timedelta(hours=24)  # at most one new code a day for an elector
SUBJECT = "Your code to register to vote on the chamber's divisions"


def claim_key(engine: Engine) -> bytes:
    """The deployment's key for hashing codes (call it outside a write transaction)."""
    return deployment_secret(engine, "claim codes").encode()


@dataclass(frozen=True, slots=True)
class LetterRow:
    """A code to post: to whom, and until when it is valid."""

    elector_number: str
    name: str
    postcode: str
    code: str
    valid_until: date


def _ref(code_id: int | None) -> str:
    return f"claim code {code_id}"


def _matches(found: Elector | None, code: str, born: date | None, year: int) -> bool:
    if found is None or found.status != "current" or found.postcode != code:
        return False
    if born is not None and found.birth_date is not None:
        return found.birth_date == born
    return found.birth_year == year


def live_code(session: Session, elector_id: int, now: datetime) -> ClaimCode | None:
    """The elector's newest live code, if any."""
    found = session.exec(
        select(ClaimCode).where(
            ClaimCode.elector_id == elector_id, col(ClaimCode.used_at).is_(None),
            col(ClaimCode.ended_at).is_(None), ClaimCode.attempts_left > 0,
        ).order_by(col(ClaimCode.id).desc())
    ).first()
    return found if found is not None and aware(found.expires_at) > now else None


def request_code(
    session: Session, number: str, typed_postcode: str, born: str, now: datetime, *,
    key: bytes, days: int, attempts: int,
) -> None:
    """Step 1 of claiming: if the details match an elector on the register who has no account,
    a fresh code (valid ``days`` days, ``attempts`` tries; any earlier code ends) is queued by
    e-mail if the register has their address, else by letter.  Returns nothing whatever
    happened; only a malformed postcode or date is refused (that reveals no one)."""
    code = postcode(typed_postcode)
    if code is None:
        raise Invalid(f"postcode: {typed_postcode.strip()!r} is not a UK postcode")
    try:
        born_on, year = birth(born, london(now).date())
    except ValueError as exc:
        raise Invalid(f"born: {exc}") from None
    found = session.exec(select(Elector).where(Elector.number == elector_number(number))).first()
    if not _matches(found, code, born_on, year) or found is None or found.account_id is not None:
        return
    assert found.id is not None
    latest = session.exec(
        select(ClaimCode.issued_at).where(ClaimCode.elector_id == found.id)
        .order_by(col(ClaimCode.id).desc())
    ).first()
    if latest is not None and aware(latest) > now - REISSUE_AFTER:
        return  # one is on its way (or was tried wrongly): one a day
    for ended in end_codes(session, [found.id], now):
        withdraw(session, _ref(ended), now)
    secret = new_code()
    issued = ClaimCode(
        elector_id=found.id, code_hash=digest(key, secret),
        channel="email" if found.email else "letter", issued_at=now,
        expires_at=now + timedelta(days=days), attempts_left=attempts,
    )
    session.add(issued)
    session.flush()
    valid_until = london(issued.expires_at).date()
    if found.email:
        queue_email(session, found.email, SUBJECT, _message(found, secret, valid_until), now,
                    ref=_ref(issued.id))
    else:
        assert issued.id is not None
        session.add(Letter(code_id=issued.id, code=secret, queued_at=now))


def _message(found: Elector, secret: str, valid_until: date) -> str:
    return (
        f"Dear {found.name},\n\n"
        f"Someone (we hope you) asked to register elector {found.number} to vote on the "
        f"chamber's divisions. Your one-time code is\n\n    {secret}\n\n"
        f"Give it, with your elector number, on the Register page with the username and "
        f"password you choose. It is valid until {valid_until:%d %B %Y} and works once.\n\n"
        f"If you did not ask for it, ignore this message: without the code nobody can "
        f"register you.\n"
    )


def check_code(
    session: Session, number: str, typed: str, now: datetime, *, key: bytes
) -> tuple[Elector, ClaimCode] | None:
    """The elector and their live code if ``typed`` is that code; otherwise None, and a wrong
    code costs one of its attempts (the last one ends it).  The caller must commit even when
    it is None, so that the attempt counts."""
    hashed = digest(key, typed)  # computed whatever happens, so a miss takes as long
    found = session.exec(select(Elector).where(Elector.number == elector_number(number))).first()
    if found is None or found.id is None or found.status != "current":
        return None
    code = live_code(session, found.id, now)
    if code is None:
        return None
    if same(code.code_hash, hashed):
        return found, code
    session.execute(
        update(ClaimCode).where(col(ClaimCode.id) == code.id)
        .values(attempts_left=col(ClaimCode.attempts_left) - 1)
    )
    session.refresh(code)
    if code.attempts_left <= 0:
        end_codes(session, [found.id], now)
    return None


def use_code(session: Session, code: ClaimCode, now: datetime) -> bool:
    """Mark a code used; False if it was used (or ended) meanwhile."""
    done = session.execute(
        update(ClaimCode)
        .where(col(ClaimCode.id) == code.id, col(ClaimCode.used_at).is_(None),
               col(ClaimCode.ended_at).is_(None))
        .values(used_at=now)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def _due(now: datetime) -> ColumnElement[bool]:
    return (
        col(Letter.exported_at).is_(None) & col(Letter.code).is_not(None)
        & col(ClaimCode.used_at).is_(None) & col(ClaimCode.ended_at).is_(None)
        & (col(ClaimCode.expires_at) > now)
    )


def letters_waiting(session: Session, now: datetime) -> int:
    """How many codes wait to be posted."""
    return int(session.exec(
        select(func.count()).select_from(Letter)
        .join(ClaimCode, col(ClaimCode.id) == col(Letter.code_id)).where(_due(now))
    ).one())


def export_letters(session: Session, now: datetime) -> list[LetterRow]:
    """The codes waiting to be posted, by elector number; each is marked exported and its code
    erased (it is now only on the letter)."""
    found = session.exec(
        select(Letter, ClaimCode, Elector)
        .join(ClaimCode, col(ClaimCode.id) == col(Letter.code_id))
        .join(Elector, col(Elector.id) == col(ClaimCode.elector_id))
        .where(_due(now))
        .order_by(col(Elector.number))
    ).all()
    rows = []
    for letter, code, person in found:
        assert letter.code is not None
        rows.append(LetterRow(person.number, person.name, person.postcode, letter.code,
                              london(code.expires_at).date()))
        letter.code, letter.exported_at = None, now
    return rows
