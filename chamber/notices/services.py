"""Notifying a signed-in person on the site, and what they have been told."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import column, insert, table
from sqlmodel import Session, col, select

from chamber.clock import london
from chamber.notices.models import Notice

# The accounts table by name only: accounts depend (through divisions and rotas) on what sends
# notices, so importing its model here would close a cycle between the packages.
_ACCOUNTS = table("account", column("id"), column("member_id"))


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
    for n in range(0, len(wanted), 5_000):
        accounts += [
            int(a) for (a,) in session.execute(
                select(_ACCOUNTS.c.id).where(_ACCOUNTS.c.member_id.in_(wanted[n:n + 5_000]))
            )
        ]
    return notify_all(session, accounts, subject, text, link, now)


def notify_all(
    session: Session, account_ids: Sequence[int], subject: str, text: str, link: str,
    now: datetime,
) -> int:
    """Tell each of these accounts the same thing, in one insert; returns how many."""
    if account_ids:
        session.execute(insert(Notice), [
            {"account_id": a, "subject": subject, "text": text, "link": link, "created_at": now}
            for a in account_ids
        ])
    return len(account_ids)
