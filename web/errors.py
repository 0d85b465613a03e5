"""The one place where errors become HTTP responses.

The chamber's typed refusals (`chamber.errors`) map by kind: `NotFound` 404, `Invalid` 400,
`Forbidden` 403, `Refused` and `Conflict` 409.  The libraries' bad input (a ballot file, a pool,
a rota, a composition) is 422; a number too large for the database names nothing, 404; a
request that does not parse (a form field of the wrong kind) is 400 naming the field.  The API
answers JSON ``{"error": message}``; pages show the message in the layout.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from sqlalchemy.exc import DataError

from chamber.bodies import CompositionError
from chamber.errors import ChamberError, Conflict, Forbidden, Invalid, NotFound, Refused
from electoral.errors import CountError
from rota.errors import RotaError
from web.formagain import FormAgain, came_from

Req = Request[Any, Any, Any]
STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    Invalid: 400,
    Forbidden: 403,
    Refused: 409,
    Conflict: 409,
    ChamberError: 409,
    CountError: 422,
    RotaError: 422,
    CompositionError: 422,
}


def status_for(exc: Exception) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def _wants_json(request: Req) -> bool:
    return request.url.path.startswith("/api/")


def _respond(request: Req, message: str, status: int) -> Response[Any]:
    if _wants_json(request):
        return Response({"error": message}, status_code=status)
    partial = request.headers.get("hx-request") == "true"  # htmx swaps this into the page
    shown = Template(
        "_error.html" if partial else "error.html",
        context={"message": message, "status": status, "request": request},
        status_code=status,
    )
    back = came_from(request) if status not in (401, 429) else None
    return shown if back is None else FormAgain(request, back, message, status, shown)


def domain_error(request: Req, exc: Exception) -> Response[Any]:
    return _respond(request, str(exc), status_for(exc))


def _fields(exc: ValidationException) -> str:
    """The fields a request got wrong, from Litestar's validation details."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    named = []
    for item in extra:
        if isinstance(item, dict) and item.get("key"):
            named.append(f"{item['key']}: {item.get('message', 'not valid')}")
    return "; ".join(named)


def http_error(request: Req, exc: HTTPException) -> Response[Any]:
    """Litestar's own errors (401, 403, 404, 429, CSRF, validation) with a human message."""
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not _wants_json(request):
        return Redirect(f"/login?next={request.url.path}")
    messages = {
        401: "Please sign in first.",
        403: "You may not do this with your account.",
        404: "There is no such page.",
        405: "This page does not accept that request.",
        429: "Too many requests: please wait a minute and try again.",
    }
    message = messages.get(status, str(exc.detail))
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        message = "The form expired or came from elsewhere: please reload the page and retry."
    if status == 400:
        fields = _fields(exc) if isinstance(exc, ValidationException) else ""
        message = f"The request was not understood: {fields or exc.detail}"
    response = _respond(request, message, status)
    if exc.headers:  # Retry-After on a 429, say
        response.headers.update(exc.headers)
    return response


def out_of_range(request: Req, exc: Exception) -> Response[Any]:
    """A number too large for the database (an id of 2**70, say) names nothing that exists."""
    return _respond(request, "There is no such record (the number is out of range).", 404)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    OverflowError: out_of_range,
    DataError: out_of_range,
    ChamberError: domain_error,
    CountError: domain_error,
    RotaError: domain_error,
    CompositionError: domain_error,
    HTTPException: http_error,
}
