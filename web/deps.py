"""What every handler shares: the engine and a transaction per request, signing in and out,
the signed-in user (from the session, read from the database once per request), role guards,
the clock and the settings."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Scope
from sqlalchemy.engine import Engine
from sqlmodel import Session

from chamber.accounts.services import User
from chamber.accounts.sessions import (
    end_session,
    keep_alive,
    live_users,
    lookup,
    start_session,
)
from chamber.db import transaction as unit_of_work
from chamber.divisions.ballots import Ballot
from chamber.intake.services import VOTERS, SignedVote, VoteIntake
from chamber.officers.rules import Power
from chamber.officers.services import may_now
from chamber.settings import Settings
from web.limits import RateLimits
from web.sessions import visit_of

Connection = ASGIConnection[Any, Any, Any, Any]
AnyRequest = Request[Any, Any, Any]
P = ParamSpec("P")
R = TypeVar("R")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
USER = "user"  # the key of the signed-in user (or None) in the scope's state, once read


def engine_of(request: Connection) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Connection) -> Settings:
    config: Settings = request.app.state.settings
    return config


def now_of(request: Connection) -> datetime:
    """The time (the app's clock: real time, or a fixed one in tests)."""
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


@contextmanager
def transaction(request: Connection) -> Iterator[Session]:
    """The request's unit of work: a read transaction for GET, a write transaction otherwise;
    committed when the block ends, rolled back if it raises."""
    write = request.scope.get("method", "GET") not in SAFE_METHODS
    with unit_of_work(engine_of(request), write=write) as session:
        yield session


def perform(
    request: Connection,
    service: Callable[Concatenate[Session, P], R],
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """Call one chamber service in the request's transaction."""
    with transaction(request) as session:
        return service(session, *args, **kwargs)


async def cast_vote(
    request: AnyRequest, division_id: int, option: str, idempotency_key: str | None
) -> str:
    """Cast the signed-in public voter's vote (a page's form: the request was counted and its
    user found already) through the app's group-commit writer; returns the receipt once the
    vote is stored."""
    user = signed_in(request)
    assert user.voter is not None  # the route's guard made sure
    intake: VoteIntake = request.app.state.votes
    return await intake.cast(
        Ballot(division_id, user.voter, option, now_of(request), idempotency_key)
    )


async def submit_vote(
    request: AnyRequest, division_id: int, option: str, idempotency_key: str | None
) -> str:
    """Count the request against its route's rate limit, find its session's user and cast the
    vote, all in the group the vote joins (`chamber.intake`: one worker-thread hop); then
    answer as the middleware and a `require("public")` guard would have: 429 beyond the limit,
    401 signed out, 403 not a public voter.  Returns the receipt once the vote is stored."""
    limits: RateLimits = request.app.state.limits
    found = limits.route_limit(request.scope)
    assert found is not None  # the route is limited, and counted here
    name, limit = found
    visit = visit_of(request.scope)
    intake: VoteIntake = request.app.state.votes
    admission = await intake.submit(SignedVote(
        limits.key(request.scope, name), limit.limit, limit.window,
        visit.session if visit is not None else None, division_id, option, now_of(request),
        idempotency_key,
    ))
    limits.settle(request.scope, limit, admission.taken)
    request.scope["state"][USER] = admission.user
    if visit is not None and admission.refreshed:
        visit.refreshed = True
    authorize(admission.user, VOTERS)
    if isinstance(admission.outcome, BaseException):
        raise admission.outcome
    if admission.outcome is None:  # may_vote said no where the role said yes: no voter
        raise PermissionDeniedException("this account casts no public vote")
    return admission.outcome


def sign_in(
    request: Connection,
    service: Callable[Concatenate[Session, P], User],
    *args: P.args,
    **kwargs: P.kwargs,
) -> User:
    """Call a service that names a user (checking a password, registering) and sign that user
    in on this browser, in one transaction: a new session (the browser's old one, if any, is
    ended), whose token the response's cookie carries."""
    visit = visit_of(request.scope)
    assert visit is not None  # web.sessions made it
    now = now_of(request)
    with transaction(request) as session:
        user = service(session, *args, **kwargs)
        if visit.session:
            end_session(session, visit.session, now)
        token = start_session(session, user.id, now)
    visit.begin(token)
    request.scope["state"][USER] = user
    return user


def sign_out(request: Connection) -> None:
    """End the browser's session (its cookie no longer signs anyone in, wherever it is kept)."""
    visit = visit_of(request.scope)
    if visit is not None and visit.session:
        perform(request, end_session, visit.session, now_of(request))
        visit.end()
    request.scope.setdefault("state", {})[USER] = None


def user_of(request: Connection) -> User | None:
    """The signed-in user, read from the database once per request (so a session ended, an
    account disabled or a role changed applies from the next request).  Blocking: call it from
    a synchronous handler (a worker thread) or await `load_user`."""
    state = request.scope.setdefault("state", {})
    if USER not in state:
        state[USER] = _session_user(request)
    found: User | None = state[USER]
    return found


def _session_user(request: Connection) -> User | None:
    visit = visit_of(request.scope)
    if visit is None or not visit.session:
        return None
    now, engine = now_of(request), engine_of(request)
    found = lookup(engine, visit.session, now)
    if found is None:
        return None
    live = keep_alive(engine, {visit.session: found}, now)[visit.session]
    visit.refreshed = visit.refreshed or live.refreshed  # its cookie is sent again
    return live.user


def preload_users(scopes: Sequence[Scope]) -> None:
    """Find the signed-in users of many requests from their scopes, in one statement (in a
    worker thread); each request then knows its user as `user_of` would have found it."""
    waiting = []
    for scope in scopes:
        state = scope.setdefault("state", {})
        if USER in state:
            continue
        visit = visit_of(scope)
        if visit is None or not visit.session:
            state[USER] = None
        else:
            waiting.append((ASGIConnection[Any, Any, Any, Any](scope), visit, visit.session))
    if not waiting:
        return
    engine, now = engine_of(waiting[0][0]), now_of(waiting[0][0])
    found = live_users(engine, {token for *_, token in waiting}, now)
    for request, visit, token in waiting:
        live = found.get(token)
        visit.refreshed = visit.refreshed or (live is not None and live.refreshed)
        request.scope["state"][USER] = live.user if live is not None else None


async def load_user(connection: Connection) -> User | None:
    """`user_of` without blocking the event loop (the look-up runs in a worker thread)."""
    state = connection.scope.setdefault("state", {})
    if USER in state:
        found: User | None = state[USER]
        return found
    return await asyncio.to_thread(user_of, connection)


Guard = Callable[[Connection, BaseRouteHandler], Awaitable[None]]


def authorize(user: User | None, roles: Sequence[str]) -> None:
    """The signed-in user must hold one of ``roles``: 401 signed out, else 403."""
    if user is None:
        raise NotAuthorizedException("sign in first")
    if user.role not in roles:
        raise PermissionDeniedException(f"this needs the role {' or '.join(roles)}")


def require(*roles: str) -> Guard:
    """A guard: the signed-in user must hold one of ``roles``.  A coroutine, because Litestar
    runs a plain function given as a guard in a worker thread on every request."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        authorize(await load_user(connection), roles)

    return guard


def voter_first(body: type[Any]) -> Callable[[AnyRequest], Awaitable[None]]:
    """The ``before_request`` hook of a route whose handler finds its user with the request's
    own database work (`submit_vote`), run before the body is parsed: a request with no
    session cookie is 401 at once, and one whose body (read as ``body``) would be refused is
    counted against the route's rate limit and authorized here first, so that it gets 429, 401
    or 403 before its 400, as behind the middleware and `require("public")` (no malformed
    request reads the database uncounted).  A well-formed vote goes on without a look-up.  (A
    hook rather than a guard: Litestar copies the route handler for every guard it calls.)"""

    async def before(request: AnyRequest) -> None:
        visit = visit_of(request.scope)
        if visit is None or not visit.session:
            raise NotAuthorizedException("sign in first")
        try:
            msgspec.json.decode(await request.body(), type=body)
        except msgspec.MsgspecError:  # counted as the handler would have (429), then 401/403
            limits: RateLimits = request.app.state.limits
            await limits.count(request.scope)
            authorize(await load_user(request), VOTERS)

    return before


def holds(power: Power) -> Guard:
    """A guard, the one for every officer's page: a member account whose member holds today an
    office with ``power`` (the Speaker's, a whip's, an assembly officer's).  The service that
    uses the power checks again, for the group or assembly it is used on."""

    async def guard(connection: Connection, handler: BaseRouteHandler) -> None:
        await require("member")(connection, handler)
        member_id = signed_in(connection).member_id
        if member_id is None:
            raise PermissionDeniedException("this account is not linked to a member")
        with unit_of_work(engine_of(connection), write=False) as session:
            verdict = may_now(session, member_id, power, now_of(connection))
        if not verdict.allowed:
            raise PermissionDeniedException(verdict.reason)

    return guard


def member_of(request: Connection) -> str:
    """The member id of the signed-in member account (its guard made sure there is one)."""
    member_id = signed_in(request).member_id
    assert member_id is not None
    return member_id


def signed_in(request: Connection) -> User:
    user = user_of(request)
    assert user is not None  # the route's guard made sure
    return user
