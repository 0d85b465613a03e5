"""A refused form comes back as the page it was sent from, not a separate page saying "Sorry":
the page is rendered again (a GET of the page the browser came from, through the whole app, so
with the same account and the same guards), the message is put beside the field it is about
(or at the top of the form when it names none), that field is marked invalid and what was
typed is filled in again (never a password, a code or a hidden field).  The status stays the
refusal's (400, 403, 409, ...), and it works without JavaScript.

When the page cannot be rendered again (no Referer from this site, a page that is not HTML or
not 200) the error page is shown as before."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.response.base import ASGIResponse
from litestar.types import (
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

Req = Request[Any, Any, Any]
SECRET = re.compile(r"pass|code|csrf|token|secret", re.I)
INPUT = re.compile(r"<(input|select|textarea)\b[^>]*>", re.I)
SCOPE_KEYS = ("type", "asgi", "http_version", "scheme", "server", "client", "root_path",
              "app", "litestar_app")


def came_from(request: Req) -> str | None:
    """The path and query of the page this form was sent from, when it is this site's own and
    the request was an ordinary form post.  A form sent again from a page given back by this
    module has the posted path as its Referer; it carries the first page in ``_back``."""
    if request.method != "POST" or request.headers.get("hx-request") == "true":
        return None
    referer = request.headers.get("referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.headers.get("host", ""):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")  # the posted path: see _back


class FormAgain(Response[bytes]):
    """The page the form came from, rendered again with the refusal beside its field."""

    def __init__(self, request: Req, back: str, message: str, status: int,
                 fallback: Response[Any]) -> None:
        super().__init__(b"", status_code=status)
        self.back, self.message, self.fallback = back, message, fallback
        self.posted = request.url.path

    def to_asgi_response(self, app: Any, request: Req, **kwargs: Any) -> ASGIResponse:
        fallback = self.fallback.to_asgi_response(app, request, **kwargs)
        return _Again(self, request, fallback)  # type: ignore[return-value]


class _Again:
    def __init__(self, again: FormAgain, request: Req, fallback: ASGIResponse) -> None:
        self.again, self.request, self.fallback = again, request, fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, _, query = self.again.back.partition("?")
        sub: dict[str, Any] = {k: scope[k] for k in SCOPE_KEYS if k in scope}  # type: ignore[literal-required]
        sub.update(
            method="GET", path=path, raw_path=path.encode(), query_string=query.encode(),
            headers=[(k, v) for k, v in scope["headers"]
                     if k not in (b"content-type", b"content-length", b"hx-request")],
            state={}, extensions={},
        )
        status, headers, body = 0, [], bytearray()

        async def nothing() -> Any:  # the GET has no body
            return {"type": "http.request", "body": b"", "more_body": False}

        async def keep(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        try:
            form = await self.request.form()
            if path == self.again.posted:  # sent again from the page given back
                back = form.get("_back")
                if not isinstance(back, str) or not back.startswith("/") or back.startswith("//"):
                    raise ValueError("no page to go back to")
                path, _, query = back.partition("?")
                sub.update(path=path, raw_path=path.encode(), query_string=query.encode())
            await self.request.app(sub, nothing, keep)  # type: ignore[arg-type]
        except Exception:  # anything wrong: the plain error page, as before
            status = 0
        kind = next((v for k, v in headers if k == b"content-type"), b"")
        if status != 200 or not kind.startswith(b"text/html"):
            await self.fallback(scope, receive, send)
            return
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        files = {v.filename: k for k, v in form.items() if isinstance(v, UploadFile) and v.filename}
        back = path + (f"?{query}" if query else "")
        page = beside(body.decode(), self.again.posted, self.again.message, values, back, files)
        data = page.encode()
        keep_headers = [(k, v) for k, v in headers if k in (b"content-type", b"set-cookie")]
        start: HTTPResponseStartEvent = {
            "type": "http.response.start", "status": self.again.status_code or 400,
            "headers": [*keep_headers, (b"content-length", str(len(data)).encode())],
        }
        await send(start)
        end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": data,
                                      "more_body": False}
        await send(end)


def field_named(message: str, names: list[str]) -> str | None:
    """The form field a message is about: one it starts with (``seats: ...``), else the first
    it names as a word (``seats 'abc' is not a number``)."""
    low = message.lower()
    for name in names:
        if low.startswith(f"{name.lower()}:") or low.startswith(f"{name.lower()} "):
            return name
    for name in names:
        if re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", low):
            return name
    return None


def beside(page: str, action: str, message: str, values: Mapping[str, str],
           back: str = "", files: Mapping[str, str] | None = None) -> str:
    """The page with the message in the form posting to ``action``: beside the field it names
    (or the file field whose uploaded file it names, ``files``: file name -> field), else at
    the form's top (the page's main part when no form posts there), what was typed
    filled in again."""
    form = re.search(rf'<form\b[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page,
                     re.S | re.I)
    note = f'<p class="field-error" role="alert" id="form-error">{html.escape(message)}</p>'
    if form is None:
        at = page.find(">", page.find("<main")) + 1 if "<main" in page else 0
        return page[:at] + note + page[at:]
    inner = form.group(1)
    if back:  # where the form is from, should it be sent (and refused) again
        kept = html.escape(back, quote=True)
        inner = f'<input type="hidden" name="_back" value="{kept}">' + inner
    names = [n for n in dict.fromkeys(re.findall(r'\bname="([^"]+)"', inner))
             if not SECRET.search(n) and not n.startswith("_")]
    field = next((f for name, f in (files or {}).items() if message.startswith(name)), None)
    field = field or field_named(message, names)  # a file's error names the file, not its field
    inner = _refill(inner, values)
    if field is not None:
        tag = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{re.escape(field)}"[^>]*>',
                        inner, re.I)
        if tag is not None:
            marked = tag.group(0)[:-1].rstrip("/").rstrip() + (
                ' aria-invalid="true" aria-describedby="form-error" autofocus>')
            inner = inner[:tag.start()] + note + marked + inner[tag.end():]
            return page[:form.start(1)] + inner + page[form.end(1):]
    return page[:form.start(1)] + note + inner + page[form.end(1):]


def _refill(inner: str, values: Mapping[str, str]) -> str:
    """Inputs, text areas and selects of a form given back what was typed (never a secret,
    a hidden field, a checkbox's or radio's state)."""
    def one(match: re.Match[str]) -> str:
        tag = match.group(0)
        name = re.search(r'\bname="([^"]+)"', tag)
        if name is None or name.group(1) not in values or SECRET.search(name.group(1)):
            return tag
        kind = re.search(r'\btype="([^"]+)"', tag)
        if match.group(1).lower() != "input" or (
            kind and kind.group(1).lower() in ("hidden", "checkbox", "radio", "file", "submit",
                                               "password")
        ):
            return tag
        value = html.escape(values[name.group(1)], quote=True)
        tag = re.sub(r'\svalue="[^"]*"', "", tag)
        return tag[:-1].rstrip("/").rstrip() + f' value="{value}">'

    inner = INPUT.sub(one, inner)
    for name, value in values.items():
        if SECRET.search(name):
            continue
        area = re.search(rf'<textarea\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>',
                         inner, re.S)
        if area is not None:
            inner = inner[:area.start(1)] + html.escape(value) + inner[area.end(1):]
        select = re.search(rf'<select\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>',
                           inner, re.S)
        if select is not None:
            options = re.sub(r"\sselected\b", "", select.group(1))
            options = options.replace(f'value="{html.escape(value, quote=True)}"',
                                      f'value="{html.escape(value, quote=True)}" selected', 1)
            inner = inner[:select.start(1)] + options + inner[select.end(1):]
    return inner

