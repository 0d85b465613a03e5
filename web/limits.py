"""Rate limits on voting and signing in, per client.

A route opts in with ``opt={"rate_limited": True}`` (votes, proxies) or
``opt={"login_limited": True}`` (sign-in, registration); every other route passes straight
through.  A client may make at most ``limit`` requests to the routes of one kind in any
sliding window of ``window`` seconds: the times of its recent requests are kept, oldest first,
and a request beyond the limit gets 429 with ``Retry-After``.  Responses on a limited route
carry ``RateLimit-Policy``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (IETF draft
headers).  The client is the peer address, or the first X-Forwarded-For address when the peer
is a trusted reverse proxy (`client_address`).

Each server process keeps its own counts in memory (nothing is shared between workers, and a
restart forgets them): a limit against floods from one address, not an accounting.

Why not Litestar's ``RateLimitMiddleware``: it wraps every route (two limits, two layers),
takes two asyncio locks per request that each yield to the event loop, and encodes the
client's whole history to its store and back; on a public vote that was about 80 µs of the
app's 175 µs.  Here a request costs a dictionary look-up and a deque append (no await), which
is safe because the event loop runs one request's code at a time.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send


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


@dataclass
class SlidingWindow:
    """At most ``limit`` requests per client in any ``window`` seconds."""

    limit: int
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _times: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _swept: float = field(default=0.0, repr=False)

    def take(self, client: str) -> tuple[bool, int, int]:
        """Count one request from ``client`` if it is within the limit.  Returns whether it
        is, how many more the client may make now, and the whole seconds until its oldest
        counted request leaves the window."""
        now = self.clock()
        if now - self._swept > self.window:
            self._sweep(now)
        times = self._times.get(client)
        if times is None:
            times = self._times[client] = deque()
        horizon = now - self.window
        while times and times[0] <= horizon:
            times.popleft()
        allowed = len(times) < self.limit
        if allowed:
            times.append(now)
        reset = math.ceil(times[0] - horizon) if times else 0
        return allowed, self.limit - len(times), reset

    def _sweep(self, now: float) -> None:
        """Forget the clients with nothing in the window (memory stays bounded by the
        clients of the last window)."""
        horizon = now - self.window
        for client in [c for c, times in self._times.items() if not times or times[-1] <= horizon]:
            del self._times[client]
        self._swept = now


class RateLimits(ASGIMiddleware):
    """The middleware: ``limits`` maps a route ``opt`` key to its window."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, limits: Mapping[str, SlidingWindow], trusted_proxies: Sequence[str]):
        self.limits = dict(limits)
        self.trusted_proxies = tuple(trusted_proxies)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        limit = None
        opt = scope["route_handler"].opt
        for key, window in self.limits.items():
            if opt.get(key):
                limit = window
                break
        if limit is None:
            await next_app(scope, receive, send)
            return
        allowed, remaining, reset = limit.take(self._client(scope))
        named = {
            "RateLimit-Policy": f"{limit.limit}; w={limit.window:.0f}",
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
        }
        if not allowed:  # web.errors renders it, with these headers
            raise TooManyRequestsException(headers={**named, "Retry-After": str(max(reset, 1))})
        headers = [(k.lower().encode(), v.encode()) for k, v in named.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await next_app(scope, receive, send_with_headers)

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
