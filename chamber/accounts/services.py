"""Accounts: argon2id password hashes (argon2-cffi), four roles, the signed-in user, and
claiming: a public account exists only bound to one elector on the register, and is made by
the elector's one-time code (`claim_account`), or by an administrator naming the elector.

Usernames are case-folded: ``CITIZEN0001`` is ``citizen0001``, stored folded and signed in
with in any case."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from chamber.accounts.integrity import record_account
from chamber.accounts.models import ROLES, Account
from chamber.divisions.models import PublicVoter
from chamber.divisions.voters import register_voter
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.membership.services import member
from chamber.register.claims import check_code, use_code
from chamber.register.models import Elector
from chamber.register.services import bind_account, claimable

MIN_PASSWORD = 10
USERNAME = re.compile(r"[a-z0-9._-]{3,64}")
WRONG_CODE = (
    "the elector number and code do not match a code we sent, or the code has expired or "
    "been used: check both (a code works once, and only a few wrong tries are allowed)"
)
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


def fold(username: str) -> str:
    """A username as stored and compared: trimmed and in lower case."""
    return username.strip().lower()


def _checked(username: str, password: str, role: str, member_id: str | None) -> str:
    """The folded username, or `Invalid` naming each field that is wrong."""
    folded = fold(username)
    problems = []
    if not USERNAME.fullmatch(folded):
        problems.append("username: 3 to 64 characters, each a letter, a digit, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        problems.append(f"password: at least {MIN_PASSWORD} characters")
    if role not in ROLES:
        problems.append(f"role must be one of {', '.join(ROLES)}")
    if (role == "member") != (member_id is not None):
        problems.append("a member account (and only one) names the member it belongs to")
    if problems:
        raise Invalid("; ".join(problems))
    return folded


def _taken(session: Session, username: str) -> None:
    if session.exec(select(Account.id).where(Account.username == username)).first():
        raise Conflict(f"the username {username!r} is taken: choose another")


def create_account(
    session: Session,
    username: str,
    password: str,
    role: str,
    now: datetime,
    *,
    member_id: str | None = None,
    elector: str | None = None,
) -> User:
    """Create an account.  A member account is tied to a member of a body and gets a
    calendar-feed token.  A public account is bound to an elector (by number) who has none:
    this is the administrator's path (and the tests' and the demonstration's); the public
    claim theirs with a code (`claim_account`).  There is no public account without one."""
    username = _checked(username, password, role, member_id)
    if (role == "public") != (elector is not None):
        raise Refused(
            "a public account is bound to one elector on the register: name the elector "
            "(and only for a public account)"
        )
    _taken(session, username)
    if member_id is not None:
        member(session, member_id)
    found = claimable(session, elector) if elector is not None else None
    return _create(session, username, password, role, now, member_id, found)


def _create(
    session: Session, username: str, password: str, role: str, now: datetime,
    member_id: str | None, found: Elector | None,
) -> User:
    voter_id = None
    if found is not None:
        voter_id = found.voter_id  # a voter imported with the register is theirs
        if voter_id is None:
            if session.exec(select(PublicVoter.id).where(PublicVoter.handle == username)).first():
                raise Conflict(f"the username {username!r} is taken: choose another")
            voter_id = register_voter(session, username, now)
        elif session.exec(select(Account.id).where(Account.voter_id == voter_id)).first():
            raise Conflict(f"elector {found.number} already has an account")
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
    if found is not None:
        assert account.id is not None
        assert voter_id is not None
        bind_account(session, found, account.id, voter_id)
    record_account(session, account, now)
    return _user(session, account)


@dataclass(frozen=True, slots=True)
class Claim:
    """What claiming came to: the new account, or why not (the code did not match).  The
    caller commits either way, so that a wrong try counts against the code."""

    user: User | None
    problem: str | None = None


def claim_account(
    session: Session, number: str, code: str, username: str, password: str, now: datetime, *,
    key: bytes,
) -> Claim:
    """Step 2 of claiming: the elector's number and the code sent to them, with the username
    and password they choose.  Only once the code is right may the answer say more (that the
    username is taken); a wrong code says the same whichever elector was named."""
    username = _checked(username, password, "public", None)
    found = check_code(session, number, code, now, key=key)
    if found is None:
        return Claim(None, WRONG_CODE)
    elector, issued = found
    if elector.account_id is not None:
        return Claim(None, WRONG_CODE)  # (no code is sent to an elector with an account)
    _taken(session, username)
    user = _create(session, username, password, "public", now, None, elector)
    if not use_code(session, issued, now):
        raise Conflict("the code was used meanwhile")
    return Claim(user)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def authenticate(session: Session, username: str, password: str) -> User:
    """The account for a username and password; one message for every failure (a disabled
    account is refused, saying so, only to the holder of its password)."""
    account = session.exec(select(Account).where(Account.username == fold(username))).first()
    try:
        _hasher.verify(account.password_hash if account else _DUMMY, password)
    except (VerifyMismatchError, VerificationError):
        account = None
    if account is None:
        raise Refused("wrong username or password")
    if account.disabled:
        raise Refused("this account is disabled")
    return _user(session, account)


def account_of(session: Session, user_id: int) -> User:
    """The account with this id (one just claimed, to sign it in)."""
    account = session.get(Account, user_id)
    if account is None:
        raise NotFound(f"no account {user_id}")
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
