"""Accounts on the audit chain: each account's creation, every change of its role, and its
disabling are chained as an "account role" entry (`record_account`, which any service that
changes an account calls in its transaction), and `account_problems` compares every account
with its latest entry, so a role granted in the database alone is named."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from chamber.accounts.models import Account
from chamber.audit.services import Entry, append

ACCOUNT_ROLE = "account role"


def _disabled(account: Account) -> bool:
    """Whether an account is disabled (the accounts table may say so by ``disabled`` or by
    ``disabled_at``; without either, no account is)."""
    return bool(getattr(account, "disabled", False) or getattr(account, "disabled_at", None))


def record_account(session: Session, account: Account, now: datetime) -> str:
    """Chain an account as it now stands (its username, role, member and whether it is
    disabled), in the caller's transaction: call it after creating an account and after every
    change of its role or its disabling.  Returns the entry's hash."""
    session.flush()
    assert account.id is not None
    return append(
        session, ACCOUNT_ROLE,
        {"account": account.id, "username": account.username, "role": account.role,
         "member": account.member_id, "disabled": _disabled(account)},
        now,
    )


def account_problems(session: Session, entries: Sequence[Entry]) -> list[str]:
    """Every account whose role (or username, member, disabling) differs from its latest
    "account role" entry, that has no entry, or that the log has and the table lacks."""
    latest: dict[object, Entry] = {}
    for e in entries:
        if e.kind == ACCOUNT_ROLE:
            latest[e.payload.get("account")] = e
    problems = []
    seen = set()
    for account in session.exec(select(Account).order_by(Account.id)):  # type: ignore[arg-type]
        seen.add(account.id)
        where = f"account {account.id} ({account.username})"
        entry = latest.get(account.id)
        if entry is None:
            problems.append(f"{where} has no audit entry: it was not made through the chamber")
            continue
        p = entry.payload
        if p.get("role") != account.role:
            problems.append(
                f"{where} has the role {account.role!r}, but its latest audit entry "
                f"({entry.id}) gives {p.get('role')!r}"
            )
        for name, recorded, stored in (
            ("username", p.get("username"), account.username),
            ("member", p.get("member"), account.member_id),
            ("disabling", p.get("disabled", False), _disabled(account)),
        ):
            if recorded != stored:
                problems.append(f"the {name} of {where} differs from its audit entry {entry.id}")
    for number in sorted(set(latest) - seen, key=str):
        e = latest[number]
        problems.append(
            f"account {number} ({e.payload.get('username')}, audit entry {e.id}) is missing"
        )
    return problems
