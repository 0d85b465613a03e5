"""Accounts: argon2id password hashes (argon2-cffi), four roles, the signed-in user."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from chamber.accounts.models import ROLES, Account
from chamber.divisions.models import PublicVoter
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.membership.services import member

MIN_PASSWORD = 10
_hasher = PasswordHasher()
# verified against when the username is unknown, so a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in person."""

    id: int
    username: str
    role: str
    member_id: str | None
    voter: str | None  # the public-vote handle (public voters)
    calendar_token: str | None


def _user(session: Session, account: Account) -> User:
    assert account.id is not None
    voter = session.get(PublicVoter, account.voter_id) if account.voter_id else None
    return User(account.id, account.username, account.role, account.member_id,
                voter.handle if voter else None, account.calendar_token)


def create_account(
    session: Session,
    username: str,
    password: str,
    role: str,
    now: datetime,
    *,
    member_id: str | None = None,
) -> User:
    """Create an account.  A public account registers its holder as a public voter; a member
    account is tied to a member of a body and gets a calendar-feed token."""
    username = username.strip()
    problems = []
    if not username or len(username) > 64 or not username.isprintable():
        problems.append("a username is 1 to 64 printable characters")
    if len(password) < MIN_PASSWORD:
        problems.append(f"a password has at least {MIN_PASSWORD} characters")
    if role not in ROLES:
        problems.append(f"role must be one of {', '.join(ROLES)}")
    if (role == "member") != (member_id is not None):
        problems.append("a member account (and only one) names the member it belongs to")
    if problems:
        raise Invalid("; ".join(problems))
    if session.exec(select(Account.id).where(Account.username == username)).first():
        raise Conflict(f"the username {username!r} is taken")
    if member_id is not None:
        member(session, member_id)
    voter_id = None
    if role == "public":
        # a voter registered without an account (imported) gets this account
        voter_id = session.exec(
            select(PublicVoter.id).where(PublicVoter.handle == username)
        ).first()
        if voter_id is None:
            voter = PublicVoter(handle=username, registered_at=now)
            session.add(voter)
            session.flush()
            voter_id = voter.id
    account = Account(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        member_id=member_id,
        voter_id=voter_id,
        calendar_token=secrets.token_urlsafe(24) if role == "member" else None,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return _user(session, account)


def authenticate(session: Session, username: str, password: str) -> User:
    """The account for a username and password; one message for every failure."""
    account = session.exec(select(Account).where(Account.username == username.strip())).first()
    try:
        _hasher.verify(account.password_hash if account else _DUMMY, password)
    except (VerifyMismatchError, VerificationError):
        account = None
    if account is None:
        raise Refused("wrong username or password")
    return _user(session, account)


def get_user(session: Session, user_id: int) -> User | None:
    account = session.get(Account, user_id)
    return None if account is None else _user(session, account)


def member_for_calendar(session: Session, token: str) -> str:
    """The member whose calendar feed a token opens."""
    found = session.exec(select(Account.member_id).where(Account.calendar_token == token)).first()
    if not found:
        raise NotFound("no calendar has this address")
    return found
