"""Queueing e-mail in the caller's transaction, and sending what is queued through a delivery
function (SMTP in `chamber.outbox.smtp`; a list in the tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from chamber.outbox.models import OutboxEmail

Deliver = Callable[[EmailMessage], object]
ERASED = ""  # a sent or withdrawn message's body


@dataclass(frozen=True, slots=True)
class Sent:
    sent: int
    failed: int


def queue_email(
    session: Session, to: str, subject: str, body: str, now: datetime, ref: str | None = None
) -> int:
    """Put an e-mail in the outbox; its number."""
    message = OutboxEmail(to_address=to, subject=subject, body=body, ref=ref, queued_at=now)
    session.add(message)
    session.flush()
    assert message.id is not None
    return message.id


def _waiting() -> ColumnElement[bool]:
    return col(OutboxEmail.sent_at).is_(None) & col(OutboxEmail.withdrawn_at).is_(None)


def withdraw(session: Session, ref: str, now: datetime) -> int:
    """Withdraw the unsent messages about ``ref`` (their bodies erased); how many."""
    found = session.exec(select(OutboxEmail).where(OutboxEmail.ref == ref, _waiting())).all()
    for message in found:
        message.withdrawn_at, message.body = now, ERASED
    return len(found)


def waiting(session: Session) -> int:
    """How many e-mails wait to be sent."""
    return int(session.exec(select(func.count()).select_from(OutboxEmail).where(_waiting())).one())


def unsent(session: Session, to: str | None = None) -> list[OutboxEmail]:
    """The messages waiting (to one address, if given), oldest first."""
    query = select(OutboxEmail).where(_waiting()).order_by(col(OutboxEmail.id))
    if to is not None:
        query = query.where(OutboxEmail.to_address == to)
    return list(session.exec(query).all())


def send_queued(
    session: Session, deliver: Deliver, sender: str, now: datetime, limit: int = 200,
    site_url: str = "",
) -> Sent:
    """Send up to ``limit`` waiting messages, oldest first; each sent one is marked and its body
    erased, each failure counted with its error (it is tried again next time).  A message's
    link is written after its body, on the site at ``site_url``.  On PostgreSQL
    the rows are locked, skipping any another sender holds, so nothing is sent twice."""
    query = (
        select(OutboxEmail).where(_waiting()).order_by(col(OutboxEmail.id)).limit(limit)
        .with_for_update(skip_locked=True)
    )
    sent = failed = 0
    for message in session.exec(query).all():
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = sender, message.to_address, message.subject
        link = f"\n\n{site_url.rstrip('/')}{message.link}\n" if message.link else ""
        email.set_content(message.body + link)
        try:
            deliver(email)
        except Exception as exc:  # a refused address or a dropped connection: try again later
            message.tries += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            failed += 1
        else:
            message.sent_at, message.body = now, ERASED
            sent += 1
    return Sent(sent, failed)
