"""Signed-in sessions, kept in the database so that they can be ended.

Signing in makes a random token; the browser's cookie carries it and the table keeps only its
SHA-256.  Each request finds its user with one indexed look-up (`lookup`, one round trip on
PostgreSQL): the session must be neither revoked nor idle past its expiry, and the account not
disabled, so signing out,
disabling an account or changing its role or password (`end_sessions`) takes effect at the
next request.  A session in use is kept alive: when it was last marked more than `TOUCH` ago,
`touch` moves its expiry to `IDLE` from now (a write every few minutes, not every request).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, false, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from chamber.accounts.models import Account, AccountSession
from chamber.accounts.services import User
from chamber.clock import aware
from chamber.db import quickly, text_array, transaction
from chamber.divisions.models import PublicVoter
from chamber.divisions.voters import remember_voter

IDLE = timedelta(hours=8)  # a session unused this long has ended
TOUCH = timedelta(minutes=5)  # how often a session in use has its expiry moved on


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Found:
    """A live session's user, and when the session was last marked as seen."""

    user: User
    last_seen_at: datetime


def start_session(session: Session, account_id: int, now: datetime) -> str:
    """A new session for the account; returns its token (for the cookie, never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        AccountSession(
            token_hash=token_hash(token), account_id=account_id, created_at=now,
            last_seen_at=now, expires_at=now + IDLE,
        )
    )
    return token


def session_user(session: Session, token: str, now: datetime) -> Found | None:
    """The user of a live session (one indexed look-up), or None."""
    return _found(session.connection(), token, now)


# built once (the look-up runs on every signed-in request): the token's hash and the time bound
_COLUMNS = select(
    col(Account.id), col(Account.username), col(Account.role), col(Account.member_id),
    col(PublicVoter.handle), col(Account.calendar_token), col(AccountSession.last_seen_at),
    col(PublicVoter.id),
)
_JOINED = (
    _COLUMNS.join(Account, col(Account.id) == AccountSession.account_id)
    .outerjoin(PublicVoter, col(PublicVoter.id) == Account.voter_id)
    .where(
        col(AccountSession.revoked_at).is_(None),
        col(AccountSession.expires_at) > bindparam("now"),
        col(Account.disabled).is_(false()),
    )
)
_LIVE = _JOINED.where(col(AccountSession.token_hash) == bindparam("token_hash"))
_LIVE_MANY = _JOINED.add_columns(col(AccountSession.token_hash)).where(
    col(AccountSession.token_hash).in_(bindparam("hashes", expanding=True))
)

# `_LIVE_MANY` in PostgreSQL's words, whose text does not depend on the number of sessions (so
# it is prepared once per connection)
_PG_LIVE_MANY = (
    "SELECT a.id, a.username, a.role, a.member_id, v.handle, a.calendar_token, s.last_seen_at,"
    " v.id, s.token_hash FROM accountsession s"
    " JOIN account a ON a.id = s.account_id"
    " LEFT JOIN publicvoter v ON v.id = a.voter_id"
    " WHERE s.token_hash = ANY(%(hashes)s::varchar[]) AND s.revoked_at IS NULL"
    " AND s.expires_at > %(now)s AND a.disabled IS false"
)


def _found(conn: Connection, token: str, now: datetime) -> Found | None:
    row = conn.execute(_LIVE, {"token_hash": token_hash(token), "now": now}).first()
    if row is None:
        return None
    account_id, username, role, member_id, voter, calendar_token, seen, number = row
    assert account_id is not None
    if voter is not None and number is not None:  # known to this process before they vote
        remember_voter(str(conn.engine.url), voter, number)
    return Found(User(account_id, username, role, member_id, voter, calendar_token), aware(seen))


def lookup_all(engine: Engine, tokens: Iterable[str], now: datetime) -> dict[str, Found]:
    """`lookup` for many sessions at once (one statement): the live ones, by token."""
    hashes = {token_hash(token): token for token in tokens}
    if not hashes:
        return {}
    if len(hashes) == 1:
        (token,) = hashes.values()
        found = lookup(engine, token, now)
        return {token: found} if found is not None else {}

    def read(conn: Connection) -> dict[str, Found]:
        if conn.dialect.name == "postgresql":  # on the driver: the hot path of every vote
            pg = conn.connection.driver_connection
            return lookup_on(pg, str(conn.engine.url), hashes.values(), now)()
        rows = conn.execute(_LIVE_MANY, {"hashes": list(hashes), "now": now}).all()
        return _found_all(rows, hashes, str(conn.engine.url))

    return quickly(engine, read)


@dataclass(frozen=True, slots=True)
class Live:
    """A live session's user, and whether this request moved the session's expiry on (so the
    browser's cookie must be sent again)."""

    user: User
    refreshed: bool


def live_users(engine: Engine, tokens: Iterable[str], now: datetime) -> dict[str, Live]:
    """The users of many requests' sessions (`lookup_all`, one statement), each session in use
    for longer than `TOUCH` since it was last marked kept alive (`keep_alive`).  By token, the
    live ones."""
    return keep_alive(engine, lookup_all(engine, tokens, now), now)


def keep_alive(engine: Engine, found: dict[str, Found], now: datetime) -> dict[str, Live]:
    """The sessions found, each in use for longer than `TOUCH` since it was last marked moved
    on (`touch`, in a transaction of its own: a write every few minutes a session, not every
    request)."""
    out = {}
    for token, live in found.items():
        refreshed = now - live.last_seen_at >= TOUCH
        if refreshed:
            with transaction(engine) as session:
                touch(session, token, now)
        out[token] = Live(live.user, refreshed)
    return out


def lookup_on(
    pg: Any, url: str, tokens: Iterable[str], now: datetime
) -> Callable[[], dict[str, Found]]:
    """`lookup_all` on PostgreSQL, on the driver's connection ``pg`` of the database at
    ``url``: sends the statement and returns what reads its answer, so that a caller in
    pipeline mode sends other statements in the same round trip."""
    hashes = {token_hash(token): token for token in tokens}
    cursor = pg.execute(_PG_LIVE_MANY, {"hashes": text_array(hashes), "now": now})
    return lambda: _found_all(cursor.fetchall(), hashes, url)


def _found_all(rows: Iterable[Sequence[Any]], hashes: dict[str, str], url: str) -> dict[str, Found]:
    out = {}
    for account_id, username, role, member_id, voter, calendar, seen, number, digest in rows:
        if voter is not None and number is not None:
            remember_voter(url, voter, number)
        user = User(account_id, username, role, member_id, voter, calendar)
        out[hashes[digest]] = Found(user, aware(seen))
    return out


def lookup(engine: Engine, token: str, now: datetime) -> Found | None:
    """`session_user` outside any unit of work: on PostgreSQL a single statement in autocommit
    on `chamber.db.quick_engine` (one round trip: no BEGIN, COMMIT or ping)."""
    return quickly(engine, lambda conn: _found(conn, token, now))


def touch(session: Session, token: str, now: datetime) -> None:
    """Mark a session as seen now: it ends `IDLE` from now unless used again."""
    session.connection().execute(
        update(AccountSession)
        .where(
            col(AccountSession.token_hash) == token_hash(token),
            col(AccountSession.revoked_at).is_(None),
        )
        .values(last_seen_at=now, expires_at=now + IDLE)
    )


def end_session(session: Session, token: str, now: datetime) -> None:
    """Sign out: the session's token no longer signs anyone in."""
    session.connection().execute(
        update(AccountSession)
        .where(
            col(AccountSession.token_hash) == token_hash(token),
            col(AccountSession.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )


def end_sessions(session: Session, account_id: int, now: datetime) -> int:
    """End every session of an account; returns how many were live."""
    ended = session.connection().execute(
        update(AccountSession)
        .where(
            col(AccountSession.account_id) == account_id,
            col(AccountSession.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    return int(ended.rowcount)
