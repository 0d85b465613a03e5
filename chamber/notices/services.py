"""Notifying a signed-in person on the site, and what they have been told.  Every notice is
also e-mailed (through the outbox) to whoever has an e-mail address on record (their account's,
or their elector's on the register) and has not asked not to be."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, column, insert, table
from sqlmodel import Session, col, select

from chamber.clock import london
from chamber.notices.models import Notice
from chamber.outbox.models import OutboxEmail

# The accounts and electors tables by name only: accounts depend (through divisions and rotas)
# on what sends notices, so importing their models here would close a cycle between packages.
_ACCOUNTS = table(
    "account", column("id"), column("member_id"), column("email"),
    column("email_notices", Boolean), column("disabled", Boolean),
)
_ELECTORS = table("elector", column("account_id"), column("email"))
CHUNK = 5_000  # ids in one IN (...)
SIGNATURE = "\n\n(You asked to be told this. Your account's page says how to stop e-mail.)"


@dataclass(frozen=True, slots=True)
class NoticeView:
    id: int
    subject: str
    text: str
    link: str
    created_at: datetime


def notify(
    session: Session, account_id: int, subject: str, text: str, link: str, now: datetime
) -> int:
    """Tell an account something on the site; returns the notice's id."""
    notice = Notice(account_id=account_id, subject=subject, text=text, link=link, created_at=now)
    session.add(notice)
    session.flush()
    assert notice.id is not None
    email_notice(session, [account_id], subject, text, link, now)
    return notice.id


def close_notices(session: Session, link: str, now: datetime) -> int:
    """Mark the open notices pointing at ``link`` done (the person acted on them)."""
    found = session.exec(
        select(Notice).where(Notice.link == link, col(Notice.done_at).is_(None))
    ).all()
    for notice in found:
        notice.done_at = now
    return len(found)


def notices_for(session: Session, account_id: int) -> list[NoticeView]:
    """An account's open notices, newest first."""
    rows = session.exec(
        select(Notice)
        .where(Notice.account_id == account_id, col(Notice.done_at).is_(None))
        .order_by(col(Notice.id).desc())
    ).all()
    return [NoticeView(n.id or 0, n.subject, n.text, n.link, london(n.created_at)) for n in rows]


def notify_members(
    session: Session, member_ids: Iterable[str], subject: str, text: str, link: str,
    now: datetime,
) -> int:
    """Tell the members who have accounts (a member without one is told by the clerk's other
    means); returns how many were told.  One insert for them all (a rota tells thousands)."""
    wanted = list(dict.fromkeys(member_ids))
    accounts: list[int] = []
    for n in range(0, len(wanted), CHUNK):
        accounts += [
            int(a) for (a,) in session.execute(
                select(_ACCOUNTS.c.id).where(_ACCOUNTS.c.member_id.in_(wanted[n:n + CHUNK]))
            )
        ]
    return notify_all(session, accounts, subject, text, link, now)


def notify_all(
    session: Session, account_ids: Sequence[int], subject: str, text: str, link: str,
    now: datetime,
) -> int:
    """Tell each of these accounts the same thing, in one insert (and e-mail those who want
    it, in one more); returns how many."""
    if account_ids:
        session.execute(insert(Notice), [
            {"account_id": a, "subject": subject, "text": text, "link": link, "created_at": now}
            for a in account_ids
        ])
        email_notice(session, account_ids, subject, text, link, now)
    return len(account_ids)


def email_addresses(session: Session, account_ids: Sequence[int]) -> dict[int, str]:
    """Where each of these accounts is e-mailed its notices: its own address, or else its
    elector's on the register; without those that have none, are disabled or opted out."""
    found: dict[int, str] = {}
    wanted = list(dict.fromkeys(account_ids))
    for n in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(_ACCOUNTS.c.id, _ACCOUNTS.c.email, _ELECTORS.c.email)
            .select_from(_ACCOUNTS)
            .outerjoin(_ELECTORS, _ELECTORS.c.account_id == _ACCOUNTS.c.id)
            .where(_ACCOUNTS.c.id.in_(wanted[n:n + CHUNK]), _ACCOUNTS.c.email_notices.is_(True),
                   _ACCOUNTS.c.disabled.is_(False))
        )
        for account, own, elector in rows:
            address = (own or elector or "").strip()
            if address:
                found[int(account)] = address
    return found


def email_notice(
    session: Session, account_ids: Sequence[int], subject: str, text: str, link: str,
    now: datetime,
) -> int:
    """Queue a notice as e-mail to those of these accounts who want it; returns how many."""
    addresses = email_addresses(session, account_ids)
    if addresses:
        session.execute(insert(OutboxEmail), [
            {"to_address": address, "subject": subject, "body": text + SIGNATURE,
             "link": link or None, "queued_at": now}
            for address in addresses.values()
        ])
    return len(addresses)
