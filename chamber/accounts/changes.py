"""Changes to an account by the deployment's operator (`chamber account ...`): disable or
enable it, change its role or its password.  Each ends every session of the account (it takes
effect at the holder's next request) and is recorded on the audit chain."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, select

from chamber.accounts.integrity import record_account
from chamber.accounts.models import ROLES, Account
from chamber.accounts.services import MIN_PASSWORD, hash_password
from chamber.accounts.sessions import end_sessions
from chamber.audit.services import append
from chamber.divisions.models import PublicVoter
from chamber.errors import Invalid, NotFound
from chamber.membership.services import member


def account_named(session: Session, username: str) -> Account:
    found = session.exec(select(Account).where(Account.username == username.strip())).first()
    if found is None or found.id is None:
        raise NotFound(f"no account {username!r}")
    return found


def set_disabled(session: Session, username: str, disabled: bool, now: datetime) -> int:
    """Disable an account (it cannot sign in, and its sessions end) or enable it again;
    returns how many sessions ended."""
    account = account_named(session, username)
    assert account.id is not None
    account.disabled = disabled
    session.add(account)
    ended = end_sessions(session, account.id, now)
    kind = "account disabled" if disabled else "account enabled"
    append(session, kind, {"account": account.username}, now)
    record_account(session, account, now)  # the state `chamber audit verify` compares
    return ended


def set_role(
    session: Session, username: str, role: str, now: datetime, *, member_id: str | None = None
) -> int:
    """Give an account another role; returns how many sessions ended.  A member account names
    its member (and gets a calendar token); a public account is registered as a voter."""
    account = account_named(session, username)
    assert account.id is not None
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    member_id = member_id or (account.member_id if role == "member" else None)
    if (role == "member") != (member_id is not None):
        raise Invalid("a member account (and only one) names the member it belongs to")
    if member_id is not None:
        member(session, member_id)
    before = account.role
    account.role, account.member_id = role, member_id
    if role == "member" and account.calendar_token is None:
        account.calendar_token = secrets.token_urlsafe(24)
    elif role != "member":
        account.calendar_token = None
    if role == "public" and account.voter_id is None:
        voter = session.exec(
            select(PublicVoter).where(PublicVoter.handle == account.username)
        ).first()
        if voter is None:
            voter = PublicVoter(handle=account.username, registered_at=now)
            session.add(voter)
            session.flush()
        account.voter_id = voter.id
    session.add(account)
    ended = end_sessions(session, account.id, now)
    append(
        session, "account role changed",
        {"account": account.username, "from": before, "to": role, "member": member_id}, now,
    )
    record_account(session, account, now)  # the state `chamber audit verify` compares
    return ended


def set_password(session: Session, username: str, password: str, now: datetime) -> int:
    """Change an account's password; every session of the account ends (returns how many)."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters")
    account = account_named(session, username)
    assert account.id is not None
    account.password_hash = hash_password(password)
    session.add(account)
    ended = end_sessions(session, account.id, now)
    append(session, "account password changed", {"account": account.username}, now)
    return ended
