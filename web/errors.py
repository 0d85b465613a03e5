"""The one place where errors from the domain become HTTP responses.

`VotingError` (the chamber's refusals), `CountError` and `BallotFileError` (the counting and
sortition libraries' bad input) and `RotaError` become 404 when something named does not exist,
403 when the signed-in user may not do it, and otherwise 409 (a refused action) or 422 (a bad
file).  The API answers JSON ``{"error": message}``; pages show the message in the layout.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect, Template
from sqlalchemy.exc import DataError

from chamber.voting import VotingError
from electoral.errors import BallotFileError, CountError
from rota.errors import RotaError


def status_for(exc: Exception) -> int:
    message = str(exc)
    if isinstance(exc, BallotFileError):
        return 422
    if message.startswith("no ") or " is not a registered voter" in message:
        return 404
    if isinstance(exc, CountError | RotaError) and not isinstance(exc, VotingError):
        return 422
    return 409


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request[Any, Any, Any], message: str, status: int) -> Response[Any]:
    partial = request.headers.get("hx-request") == "true"  # htmx swaps this into the page
    return Template(  # type: ignore[return-value]
        "_error.html" if partial else "error.html",
        context={"message": message, "status": status, "request": request},
        status_code=status,
    )


def domain_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status = status_for(exc)
    if _wants_json(request):
        return Response({"error": str(exc)}, status_code=status)
    return _page(request, str(exc), status)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """Litestar's own errors (401, 403, 404, 429, CSRF, validation) with a human message."""
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not _wants_json(request):
        return Redirect(f"/login?next={request.url.path}")  # type: ignore[return-value]
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
        message = f"The request was not understood: {exc.detail}"
    if _wants_json(request):
        response: Response[Any] = Response({"error": message}, status_code=status)
    else:
        response = _page(request, message, status)
    if exc.headers:  # Retry-After on a 429, say
        response.headers.update(exc.headers)
    return response


def out_of_range(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A number too large for the database (an id of 2**70, say) names nothing that exists."""
    message = "There is no such record (the number is out of range)."
    if _wants_json(request):
        return Response({"error": message}, status_code=404)
    return _page(request, message, 404)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    OverflowError: out_of_range,
    DataError: out_of_range,
    VotingError: domain_error,
    CountError: domain_error,
    BallotFileError: domain_error,
    RotaError: domain_error,
    HTTPException: http_error,
}
