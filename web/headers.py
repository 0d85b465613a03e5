"""Security headers on every response: pages, the API, static files and errors (a ``before_send``
hook of the app, so even a 404 for a path no route matches carries them).

The pages load only this site's own scripts (``/static/app.js``, ``/static/vendor/htmx.min.js``)
and style sheet, and draw their charts as inline SVG (elements, no scripts or style
attributes), so the policy allows this site only: no inline scripts, no ``eval``, no inline
styles, no plug-ins, and no framing by anyone (``frame-ancestors 'none'``, and X-Frame-Options
for older browsers).

The OpenAPI pages under ``/schema`` (Swagger, ReDoc, RapiDoc, Elements, Scalar) are Litestar's:
they load their scripts, styles and fonts from public CDNs and start with an inline script, so
``/schema`` alone gets a policy that also allows those hosts and inline code.  The rest of the
headers are the same there.
"""

from __future__ import annotations

from litestar.types import Message, Scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CDNS = "https://unpkg.com https://cdn.jsdelivr.net https://cdn.redoc.ly"
SCHEMA_CSP = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {CDNS}; "
    f"style-src 'self' 'unsafe-inline' {CDNS} https://fonts.googleapis.com; "
    "img-src 'self' data: https:; font-src 'self' data: https://fonts.gstatic.com "
    f"{CDNS}; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
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
