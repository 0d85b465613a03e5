"""The browser's cookies: who is signed in (a server-side session) and the CSRF token bound to it.

Three cookies, all ``Path=/; SameSite=Lax``, and ``Secure`` whenever the site is served over
HTTPS (directly, or behind a reverse proxy named in TRUSTED_PROXIES saying
``X-Forwarded-Proto: https``) or SECURE_COOKIES is 1:

- ``session`` (HttpOnly): the random token of a signed-in session (`chamber.accounts.sessions`:
  the database keeps its hash, and whether it was revoked); nothing else.  Set on signing in,
  sent again when the session's expiry is moved on, deleted on signing out.
- ``presession`` (HttpOnly): a random token given to a browser that has no session, so that the
  forms of a visitor who is not signed in (sign in, register) have a token of their own.
- ``csrftoken`` (readable by scripts and API clients): the CSRF token, an HMAC under the
  deployment's secret of the session token (or, without one, of the pre-session token).  It
  is sent again whenever it changes (signing in or out).

Every unsafe request (not GET, HEAD or OPTIONS) must carry the token in the ``x-csrftoken``
header or the ``_csrf_token`` form field, and it is compared with the value derived from the
request's own cookies, never with the cookie ``csrftoken``: a token from another browser or
another session, or a cookie planted by a neighbouring site, does not match.  Signing in makes a
new session, so the token changes (read the cookie again after signing in).

Who the session belongs to is read from the database when a handler or guard first asks
(`web.deps.user_of`), not here: a page that shows no one's data reads nothing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from chamber.accounts.sessions import IDLE

SESSION = "session"
PRESESSION = "presession"
CSRF = "csrftoken"
CSRF_HEADER = b"x-csrftoken"
CSRF_FIELD = "_csrf_token"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
VISIT = "visit"  # the key of the `Visit` in the scope's state


@dataclass
class Visit:
    """This request's cookies and what the response must change in them."""

    secret: bytes
    session: str | None  # the session token the browser sent (valid or not)
    presession: str | None
    csrf_cookie: str | None  # what the browser's csrftoken cookie says
    new_presession: bool = False
    session_changed: bool = False  # signed in or out: set or delete the session cookie
    refreshed: bool = False  # the session's expiry moved on: send its cookie again
    _tokens: dict[str, str] = field(default_factory=dict, repr=False)

    def csrf(self) -> str:
        """The CSRF token for this browser as things stand (the session, else the
        pre-session)."""
        if self.session:
            base = "session:" + self.session
        else:
            if self.presession is None:
                self.presession, self.new_presession = secrets.token_urlsafe(32), True
            base = "anonymous:" + self.presession
        token = self._tokens.get(base)
        if token is None:
            digest = hmac.digest(self.secret, base.encode(), "sha256").hex()
            token = self._tokens[base] = digest
        return token

    def begin(self, token: str) -> None:
        """Signed in: the browser's session is now ``token``."""
        self.session, self.session_changed = token, True

    def end(self) -> None:
        """Signed out."""
        self.session, self.session_changed = None, True


def visit_of(scope: Scope) -> Visit | None:
    found: Visit | None = scope.get("state", {}).get(VISIT)
    return found


def _cookies(scope: Scope) -> dict[str, str]:
    jar: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, sep, val = part.strip().partition("=")
                if sep and key not in jar:
                    jar[key] = val.strip().strip('"')
    return jar


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def served_over_https(scope: Scope, trusted_proxies: Sequence[str]) -> bool:
    """Whether the browser reached us over HTTPS: the connection itself, or a trusted reverse
    proxy's ``X-Forwarded-Proto`` (uvicorn applies it to the scope already when it is given the
    proxies; this covers any other server)."""
    if scope.get("scheme") in ("https", "wss"):
        return True
    client: Any = scope.get("client")
    if client and client[0] in trusted_proxies:
        proto = _header(scope, b"x-forwarded-proto") or ""
        return proto.split(",")[0].strip().lower() == "https"
    return False


def _cookie(name: str, value: str, *, secure: bool, httponly: bool, max_age: int | None) -> bytes:
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if httponly:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class Sessions(ASGIMiddleware):
    """Reads the cookies into a `Visit`, checks the CSRF token of every unsafe request, and
    writes the cookies that changed into the response."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, secret: bytes, *, secure: bool, trusted_proxies: Sequence[str]) -> None:
        self.secret = secret
        self.secure = secure
        self.trusted_proxies = tuple(trusted_proxies)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        jar = _cookies(scope)
        visit = Visit(self.secret, jar.get(SESSION) or None, jar.get(PRESESSION) or None,
                      jar.get(CSRF))
        scope.setdefault("state", {})[VISIT] = visit
        expected = visit.csrf()
        ScopeState.from_scope(scope).csrf_token = expected  # the templates' csrf_input
        if scope.get("method", "GET") not in SAFE:
            submitted = _header(scope, CSRF_HEADER) or await self._form_token(scope, receive)
            if not submitted or not hmac.compare_digest(submitted.encode(), expected.encode()):
                raise PermissionDeniedException("CSRF token verification failed")
        secure = self.secure or served_over_https(scope, self.trusted_proxies)

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookies = self._set_cookies(visit, secure)
                if cookies:
                    message["headers"] = [*message.get("headers", ()), *cookies]
            await send(message)

        await next_app(scope, receive, send_with_cookies)

    @staticmethod
    async def _form_token(scope: Scope, receive: Receive) -> str | None:
        """The ``_csrf_token`` field of a form (the body is kept for the handler)."""
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        content_type, _ = request.content_type
        if content_type not in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
            return None
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None

    @staticmethod
    def _set_cookies(visit: Visit, secure: bool) -> list[tuple[bytes, bytes]]:
        out = []
        if visit.session_changed or visit.refreshed:
            value, age = (visit.session, int(IDLE.total_seconds())) if visit.session else ("", 0)
            out.append(_cookie(SESSION, value, secure=secure, httponly=True, max_age=age))
        token = visit.csrf()  # after signing in or out, the new one (may make a pre-session)
        if visit.new_presession:
            assert visit.presession is not None
            out.append(
                _cookie(PRESESSION, visit.presession, secure=secure, httponly=True, max_age=None)
            )
        if token != visit.csrf_cookie:
            out.append(_cookie(CSRF, token, secure=secure, httponly=False, max_age=None))
        return [(b"set-cookie", cookie) for cookie in out]
