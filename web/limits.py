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

Counting is done in groups: the requests that arrive while the previous group is being
counted are counted together, one statement on a connection of its own, in a worker thread
(the event loop goes on serving meanwhile), so under load a round trip and a thread hop are
shared by many requests, and a lone request is counted at once (under load, a group that
starts within 50 ms of the previous one's end waits ``linger``, 3 ms, to fill a little, as the
votes' groups do: `chamber.divisions.batching`).  A limited route is nearly
always one for a signed-in user, so the same hop also finds who the sessions of the group belong
to (``preload``, one statement for the group), and the handler's guard finds the user already
known.  A route marked ``COUNTED_BY_HANDLER`` (the API's public vote) is counted by its handler,
with the vote itself (`chamber.intake`, one hop for both); it reports the count here
(`RateLimits.settle`), and this middleware adds the headers to its answer.  Each process
forgets the clients idle for longer than a window once a window.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from chamber.divisions.batching import RECENT
from chamber.limits.services import SharedLimits, Taken

# A route whose handler counts its requests itself, in the same worker-thread hop as its own
# database work (the public vote: `chamber.intake`); the middleware only adds the headers.
COUNTED_BY_HANDLER = "counted_by_handler"
TAKEN = "rate_limit"  # the key of a counted request's limit headers in the scope's state


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
        preload: Callable[[Sequence[Scope]], object] | None = None,
        max_group: int = 1000,
        linger: float = 0.003,
        fill: int = 32,
    ):
        self.limits = dict(limits)
        self.trusted_proxies = tuple(trusted_proxies)
        self.store = store
        self.preload = preload
        self.max_group = max_group
        self.linger, self.fill = linger, fill
        self._ended = -RECENT  # when the previous group was counted (the loop's clock)
        self.idle = max((limit.window for limit in self.limits.values()), default=60.0)
        self._pending: list[tuple[Scope, str, Limit, asyncio.Future[Taken]]] = []
        # Two groups counted at once on PostgreSQL (rows locked in sorted order, as across
        # server processes), so one group's round trips do not hold up the next; one on SQLite.
        self.counters = 2 if store.postgresql else 1
        self._counting: list[asyncio.Task[None]] = []

    def route_limit(self, scope: Scope) -> tuple[str, Limit] | None:
        """The route's limit (its ``opt`` key and the limit), if it has one."""
        opt = scope["route_handler"].opt
        for key, limit in self.limits.items():
            if opt.get(key):
                return key, limit
        return None

    def key(self, scope: Scope, name: str) -> str:
        """What a request is counted under: the limit's name and the client."""
        return f"{name}:{self._client(scope)}"

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        found = self.route_limit(scope)
        if found is None:
            await next_app(scope, receive, send)
            return
        if not scope["route_handler"].opt.get(COUNTED_BY_HANDLER):
            await self.count(scope)

        async def send_with_headers(message: Message) -> None:
            named: dict[str, str] | None = scope["state"].get(TAKEN)
            if message["type"] == "http.response.start" and named:
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(
                    (k, v) for k, v in ((k.lower().encode(), v.encode()) for k, v in named.items())
                    if k not in present
                )
                message["headers"] = headers
            await send(message)

        await next_app(scope, receive, send_with_headers)

    async def count(self, scope: Scope) -> None:
        """Count this request against its route's limit now, with the group being gathered (the
        session's user found in the same hop), and `settle` it: what the middleware does before
        a route's handler, for a route whose handler counts its own requests but refuses this
        one before it gets that far."""
        found = self.route_limit(scope)
        if found is not None:
            name, limit = found
            self.settle(scope, limit, await self._take(scope, self.key(scope, name), limit))

    @staticmethod
    def settle(scope: Scope, limit: Limit, taken: Taken) -> None:
        """A counted request's answer: its response will carry the limit's headers, and one
        beyond the limit is refused (429, ``Retry-After``; `web.errors` renders it)."""
        named = {
            "RateLimit-Policy": f"{limit.limit}; w={limit.window:.0f}",
            "RateLimit-Remaining": str(taken.remaining),
            "RateLimit-Reset": str(taken.reset),
        }
        scope.setdefault("state", {})[TAKEN] = named
        if not taken.allowed:
            retry = str(max(taken.reset, 1))
            raise TooManyRequestsException(headers={**named, "Retry-After": retry})

    async def _take(self, scope: Scope, key: str, limit: Limit) -> Taken:
        """Count this request with the group being gathered; its answer once counted."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Taken] = loop.create_future()
        self._pending.append((scope, key, limit, future))
        self._counting = [t for t in self._counting if not t.done() and t.get_loop() is loop]
        if len(self._counting) < self.counters:
            self._counting.append(loop.create_task(self._count()))
        return await future

    async def _count(self) -> None:
        """Count the waiting requests, a group at a time, until none is left."""
        loop = asyncio.get_running_loop()
        while self._pending:
            if len(self._pending) < self.fill and loop.time() - self._ended < RECENT:
                await asyncio.sleep(self.linger)  # under load: let the group fill a little
            group = self._pending[: self.max_group]
            del self._pending[: self.max_group]
            try:
                answers = await asyncio.to_thread(self._take_group, group)
            except Exception as failure:  # each request fails with it (a 500), none hangs
                for *_, future in group:
                    if not future.done():
                        future.set_exception(failure)
                continue
            self._ended = loop.time()
            for (*_, future), taken in zip(group, answers, strict=True):
                if not future.done():  # the client went away
                    future.set_result(taken)

    def _take_group(
        self, group: Sequence[tuple[Scope, str, Limit, asyncio.Future[Taken]]]
    ) -> list[Taken]:
        """In a worker thread: count the group's requests, then find the signed-in users of
        those counted; once a window, forget the idle clients."""
        answers = self.store.take_many([(key, lim.limit, lim.window) for _, key, lim, _ in group])
        if self.preload is not None:
            self.preload([scope for (scope, *_), t in zip(group, answers, strict=True)
                          if t.allowed])
        self.store.sweep_now_and_then(self.idle)
        return answers

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
