"""What every handler shares: the engine, the signed-in user, role guards, and the clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.engine import Engine

from chamber.accounts import User, get_user
from chamber.divisions.batching import VoteBatcher
from chamber.divisions.services import Ballot


def engine_of(request: ASGIConnection[Any, Any, Any, Any]) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def cast_vote(
    request: Request[Any, Any, Any], division_id: int, option: str, idempotency_key: str | None
) -> str:
    """Cast the signed-in public voter's vote through the app's group-commit writer; returns
    the receipt once the vote is stored."""
    user = signed_in(request)
    assert user.voter is not None  # the route's guard made sure
    batcher: VoteBatcher = request.app.state.votes
    return await batcher.cast(
        Ballot(division_id, user.voter, option, now_of(request), idempotency_key)
    )


def now_of(request: ASGIConnection[Any, Any, Any, Any]) -> datetime:
    """The time (the app's clock: real time, or a fixed one in tests)."""
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def session_for(user: User) -> dict[str, Any]:
    """What the signed, encrypted session cookie holds: who, and their role (a role changed by
    a clerk applies from the next sign-in)."""
    return {"user": user.id, "who": [user.username, user.role, user.member_id, user.voter]}


def user_of(request: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    """The signed-in user, from the session cookie (no database read on each request)."""
    if "user" not in request.scope.get("state", {}):
        data = request.session if "session" in request.scope else {}
        user = None
        if data.get("user") and isinstance(data.get("who"), list) and len(data["who"]) == 4:
            username, role, member_id, voter = data["who"]
            user = User(int(data["user"]), username, role, member_id, voter, None)
        elif data.get("user"):
            user = get_user(engine_of(request), int(data["user"]))
        request.scope.setdefault("state", {})["user"] = user
    found: User | None = request.scope["state"]["user"]
    return found


def require(
    *roles: str,
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]:
    """A guard: the signed-in user must hold one of ``roles``.  A coroutine, because Litestar
    runs a plain function given as a guard in a worker thread on every request."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = user_of(connection)
        if user is None:
            raise NotAuthorizedException("sign in first")
        if user.role not in roles:
            raise PermissionDeniedException(f"this needs the role {' or '.join(roles)}")

    return guard


def signed_in(request: Request[Any, Any, Any]) -> User:
    user = user_of(request)
    assert user is not None  # the route's guard made sure
    return user


def utcnow() -> datetime:
    return datetime.now(UTC)
