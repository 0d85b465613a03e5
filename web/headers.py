"""Security headers on every response: pages, the API, static files and errors (a ``before_send``
hook of the app, so even a 404 for a path no route matches carries them).

The pages load only this site's own scripts (``/static/app.js``, ``/static/vendor/htmx.min.js``)
and style sheet, and draw their charts as inline SVG (elements, no scripts or style
attributes), so the policy allows this site only: no inline scripts, no ``eval``, no inline
styles, no plug-ins, and no framing by anyone (``frame-ancestors 'none'``, and X-Frame-Options
for older browsers).

The API documentation under ``/schema`` is Swagger UI served from ``/static`` (web.apidocs),
started by a static script; it styles elements as it draws them and shows data: images, so
``/schema`` alone also allows inline styles and data: fonts.  No page loads anything from another
host.  The rest of the headers are the same there.
"""

from __future__ import annotations

from litestar.types import Message, Scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SCHEMA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_COMMON = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
HEADERS = ((b"content-security-policy", CSP.encode()), *_COMMON)
SCHEMA_HEADERS = ((b"content-security-policy", SCHEMA_CSP.encode()), *_COMMON)


async def security_headers(message: Message, scope: Scope) -> None:
    """Add the headers to the start of every response (unless a handler set its own)."""
    if message["type"] != "http.response.start":
        return
    path: str = scope.get("path", "")
    wanted = SCHEMA_HEADERS if path == "/schema" or path.startswith("/schema/") else HEADERS
    headers = list(message.get("headers", ()))
    present = {name.lower() for name, _ in headers}
    headers.extend(h for h in wanted if h[0] not in present)
    message["headers"] = headers
