"""Seats and their routes: the shares filled (by which route, what is missing) with every stored
step of the routes, each seat's page (its route, its sharers and how each came to be there, with
links to the counts and route results), and each stored route step published like a count:
its result on the page, its inputs and its result to download.  Public pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Response, Router, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from chamber.clock import london
from chamber.routes.verify import verify_step
from chamber.routes.views import route_inputs, route_record, seat_view, seats_page
from web.deps import AnyRequest, now_of, perform
from web.public import page

BodyKey = Annotated[
    str | None,
    QueryParameter(name="body", max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$"),
]
"""``?body=``: an installed body's key (unless given: ``national`` if installed, else the first)."""


def _today(request: AnyRequest) -> date:
    return london(now_of(request)).date()


def _attachment(name: str) -> dict[str, str]:
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name) or "inputs.txt"
    return {"Content-Disposition": f'attachment; filename="{safe}"'}


@get("/seats", name="seats", sync_to_thread=True)
def seats(request: AnyRequest, body_key: BodyKey = None) -> Template:
    found = perform(request, seats_page, body_key, _today(request))
    return page("seats.html", request, f=found.filled, steps=found.steps)


@get("/seats/{code:str}", name="seat", sync_to_thread=True)
def seat(request: AnyRequest, code: str, body_key: BodyKey = None) -> Template:
    view = perform(request, seat_view, body_key, code, _today(request))
    return page("seat.html", request, s=view, today=_today(request))


@get("/routes/{result_id:int}", name="route_result", sync_to_thread=True)
def route_result(request: AnyRequest, result_id: int) -> Template:
    return page("route.html", request, r=perform(request, route_record, result_id))


@post("/routes/{result_id:int}/verify", name="verify_route", sync_to_thread=True)
def verify(request: AnyRequest, result_id: int) -> Template:
    problems = perform(request, verify_step, result_id)
    return page("route.html", request, r=perform(request, route_record, result_id),
                problems=problems, verified=True)


@get("/routes/{result_id:int}/result.json", name="route_json", sync_to_thread=True)
def route_json(request: AnyRequest, result_id: int) -> Response[Any]:
    return Response(perform(request, route_record, result_id).result,
                    headers=_attachment(f"route-{result_id}.json"))


@get("/routes/{result_id:int}/inputs", name="route_inputs", sync_to_thread=True)
def inputs(request: AnyRequest, result_id: int) -> Response[str]:
    name, text = perform(request, route_inputs, result_id)
    return Response(text, media_type="text/plain; charset=utf-8", headers=_attachment(name))


router = Router(
    path="/", route_handlers=[seats, seat, route_result, verify, route_json, inputs],
    tags=["pages (HTML forms)"],
)
