"""The session cookie: Litestar's signed, encrypted client-side session, rewritten only when it
changes or is past half its life.

Litestar's cookie backend encrypts the session again and sets the cookie on every response;
for a public vote (a tiny request) that was a tenth of the server's work.  The session carries
the time it was written (``at``); an unchanged session younger than half of ``max_age`` is
not sent back, an older one is written afresh, so an active user stays signed in and an idle
one is signed out ``max_age`` after their last rewrite."""

from __future__ import annotations

import time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import Message, ScopeSession

LOADED = "session_as_loaded"
Connection = ASGIConnection[Any, Any, Any, Any]


class QuietCookieBackend(ClientSideSessionBackend):
    async def load_from_connection(
        self, connection: Connection
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[LOADED] = dict(data)
        return data

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: Connection,
    ) -> None:
        if isinstance(scope_session, dict) and scope_session:
            loaded = connection.scope.get("state", {}).get(LOADED)
            written = scope_session.get("at")
            fresh = isinstance(written, int | float) and (
                time.time() - written < self.config.max_age / 2
            )
            if scope_session == loaded and fresh:
                return  # the browser's cookie already says this
            scope_session["at"] = round(time.time())
        await super().store_in_message(scope_session, message, connection)


class QuietCookieBackendConfig(CookieBackendConfig):
    _backend_class = QuietCookieBackend
