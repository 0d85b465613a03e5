"""Accounts and sign-in: argon2id password hashes (argon2-cffi), four roles, and the secrets
the web layer needs (made on first use and stored in the database, never in the repository)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from chamber.db import writing
from chamber.divisions.models import PublicVoter, Secret
from chamber.models import Account, Member
from chamber.voting import VotingError

ROLES = ("public", "member", "clerk", "administrator")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# verified against when the username is unknown, so a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    member_id: str | None
    voter: str | None  # the public-vote handle (public voters)
    calendar_token: str | None


def _user(account: Account, voter: str | None) -> User:
    assert account.id is not None
    return User(account.id, account.username, account.role, account.member_id, voter,
                account.calendar_token)


def create_account(
    engine: Engine,
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
        raise VotingError("; ".join(problems))
    with Session(writing(engine)) as session:
        if session.exec(select(Account.id).where(Account.username == username)).first():
            raise VotingError(f"the username {username!r} is taken")
        if member_id is not None and session.get(Member, member_id) is None:
            raise VotingError(f"no member {member_id!r}")
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
        user = _user(account, username if role == "public" else None)
        session.commit()
        return user


def authenticate(engine: Engine, username: str, password: str) -> User:
    """The account for a username and password; one message for every failure."""
    with Session(engine) as session:
        account = session.exec(select(Account).where(Account.username == username.strip())).first()
        try:
            _hasher.verify(account.password_hash if account else _DUMMY, password)
        except (VerifyMismatchError, VerificationError):
            account = None
        if account is None:
            raise VotingError("wrong username or password")
        voter = session.get(PublicVoter, account.voter_id) if account.voter_id else None
        return _user(account, voter.handle if voter else None)


def get_user(engine: Engine, user_id: int) -> User | None:
    with Session(engine) as session:
        account = session.get(Account, user_id)
        if account is None:
            return None
        voter = session.get(PublicVoter, account.voter_id) if account.voter_id else None
        return _user(account, voter.handle if voter else None)


def member_for_calendar(engine: Engine, token: str) -> str:
    """The member whose calendar feed a token opens."""
    with Session(engine) as session:
        member = session.exec(
            select(Account.member_id).where(Account.calendar_token == token)
        ).first()
        if not member:
            raise VotingError("no calendar has this address")
        return member


def deployment_secret(engine: Engine, name: str) -> str:
    """A per-deployment secret (session signing, CSRF), made on first use."""
    for _ in range(3):  # two workers starting at once: one inserts, the other reads it
        with Session(writing(engine)) as session:
            found = session.get(Secret, name)
            if found is not None:
                return found.value
            value = secrets.token_hex(32)
            session.add(Secret(name=name, value=value))
            try:
                session.commit()
            except IntegrityError:
                continue
            return value
    raise VotingError(f"could not make the secret {name!r}")
