"""What every handler shares: the engine and a transaction per request, the signed-in user,
role guards, the clock and the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.engine import Engine
from sqlmodel import Session

from chamber.accounts.services import User, get_user
from chamber.db import transaction as unit_of_work
from chamber.divisions.ballots import Ballot
from chamber.divisions.batching import VoteBatcher
from chamber.settings import Settings

Connection = ASGIConnection[Any, Any, Any, Any]
AnyRequest = Request[Any, Any, Any]
P = ParamSpec("P")
R = TypeVar("R")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    """Cast the signed-in public voter's vote through the app's group-commit writer; returns
    the receipt once the vote is stored."""
    user = signed_in(request)
    assert user.voter is not None  # the route's guard made sure
    batcher: VoteBatcher = request.app.state.votes
    return await batcher.cast(
        Ballot(division_id, user.voter, option, now_of(request), idempotency_key)
    )


def session_for(user: User) -> dict[str, Any]:
    """What the signed, encrypted session cookie holds: who, and their role (a role changed by
    a clerk applies from the next sign-in)."""
    return {"user": user.id, "who": [user.username, user.role, user.member_id, user.voter]}


def user_of(request: Connection) -> User | None:
    """The signed-in user, from the session cookie (no database read on each request)."""
    if "user" not in request.scope.get("state", {}):
        data = request.session if "session" in request.scope else {}
        user = None
        if data.get("user") and isinstance(data.get("who"), list) and len(data["who"]) == 4:
            username, role, member_id, voter = data["who"]
            user = User(int(data["user"]), username, role, member_id, voter, None)
        elif data.get("user"):
            with unit_of_work(engine_of(request), write=False) as session:
                user = get_user(session, int(data["user"]))
        request.scope.setdefault("state", {})["user"] = user
    found: User | None = request.scope["state"]["user"]
    return found


Guard = Callable[[Connection, BaseRouteHandler], Awaitable[None]]


def require(*roles: str) -> Guard:
    """A guard: the signed-in user must hold one of ``roles``.  A coroutine, because Litestar
    runs a plain function given as a guard in a worker thread on every request."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        user = user_of(connection)
        if user is None:
            raise NotAuthorizedException("sign in first")
        if user.role not in roles:
            raise PermissionDeniedException(f"this needs the role {' or '.join(roles)}")

    return guard


def signed_in(request: Connection) -> User:
    user = user_of(request)
    assert user is not None  # the route's guard made sure
    return user
