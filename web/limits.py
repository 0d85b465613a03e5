"""Rate limits on voting and signing in, per client, shared by every server on the database.

A route opts in with ``opt={"rate_limited": True}`` (votes, proxies) or
``opt={"login_limited": True}`` (sign-in, registration); every other route passes straight
through.  A client may make at most ``limit`` requests to the routes of one kind in any
sliding window of ``window`` seconds, counted in the database (`chamber.limits`), so N worker
processes or N machines on one database give a client the same N requests a minute, not N
times as many; a request beyond the limit gets 429 with ``Retry-After``.  Responses on a
limited route carry ``RateLimit-Policy``, ``RateLimit-Remaining`` and ``RateLimit-Reset``
(IETF draft headers).  The client is the peer address, or the first X-Forwarded-For address
when the peer is a trusted reverse proxy (`client_address`).

Counting is one statement on a connection of its own, in a worker thread (the event loop goes
on serving meanwhile).  A limited route is nearly always one for a signed-in user (a vote), so
the same thread hop also finds who the session belongs to (``preload``): one hop, two indexed
statements, and the handler's guard finds the user already known.  Each process forgets the
clients idle for longer than a window once a window.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from chamber.limits.services import SharedLimits, Taken


def client_address(
    peer: str | None, forwarded: str | None, trusted_proxies: Sequence[str]
) -> str:
    """Who a request comes from: the peer address, or the first address of X-Forwarded-For
    when the peer is a trusted reverse proxy."""
    peer = peer or "unknown"
    if forwarded and peer in trusted_proxies:
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return peer


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``limit`` requests per client in any ``window`` seconds."""

    limit: int
    window: float = 60.0


class RateLimits(ASGIMiddleware):
    """The middleware: ``limits`` maps a route ``opt`` key to its limit, counted in ``store``;
    ``preload(scope)`` runs in the same worker thread after a counted request."""

    scopes = (ScopeType.HTTP,)

    def __init__(
        self,
        limits: Mapping[str, Limit],
        trusted_proxies: Sequence[str],
        store: SharedLimits,
        preload: Callable[[Scope], object] | None = None,
    ):
        self.limits = dict(limits)
        self.trusted_proxies = tuple(trusted_proxies)
        self.store = store
        self.preload = preload
        self.idle = max((limit.window for limit in self.limits.values()), default=60.0)
        self._swept = time.monotonic()

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        limit = name = None
        opt = scope["route_handler"].opt
        for key, window in self.limits.items():
            if opt.get(key):
                limit, name = window, key
                break
        if limit is None:
            await next_app(scope, receive, send)
            return
        taken = await asyncio.to_thread(self._take, scope, f"{name}:{self._client(scope)}", limit)
        named = {
            "RateLimit-Policy": f"{limit.limit}; w={limit.window:.0f}",
            "RateLimit-Remaining": str(taken.remaining),
            "RateLimit-Reset": str(taken.reset),
        }
        if not taken.allowed:  # web.errors renders it, with these headers
            retry = str(max(taken.reset, 1))
            raise TooManyRequestsException(headers={**named, "Retry-After": retry})
        headers = [(k.lower().encode(), v.encode()) for k, v in named.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await next_app(scope, receive, send_with_headers)

    def _take(self, scope: Scope, key: str, limit: Limit) -> Taken:
        """In a worker thread: count the request, then (if counted) find the signed-in user;
        once a window, forget the idle clients."""
        taken = self.store.take(key, limit.limit, limit.window)
        if taken.allowed and self.preload is not None:
            self.preload(scope)
        if time.monotonic() - self._swept > self.idle:
            self._swept = time.monotonic()
            self.store.sweep(self.idle)
        return taken

    def _client(self, scope: Scope) -> str:
        client: Any = scope.get("client")
        peer = client[0] if client else None
        forwarded = None
        if peer in self.trusted_proxies:
            for name, value in scope["headers"]:
                if name == b"x-forwarded-for":
                    forwarded = value.decode("latin-1")
                    break
        return client_address(peer, forwarded, self.trusted_proxies)
