"""Members' pages: my rota (next slots, seat, sharers), swap requests, and the calendar feed."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.response import Redirect, Template

from chamber import accounts, institution
from web.deps import engine_of, now_of, require, signed_in
from web.public import Form, page


@get("/me/rota", name="my_rota", guards=[require("member")], sync_to_thread=True)
def my_rota(request: Request[Any, Any, Any]) -> Template:
    user = signed_in(request)
    assert user.member_id is not None
    view = institution.member_rota_view(engine_of(request), user.member_id, now_of(request))
    account = accounts.get_user(engine_of(request), user.id)
    token = account.calendar_token if account else None
    feed = str(request.url_for("calendar", file=f"{token}.ics"))
    return page("rota.html", request, v=view, feed=feed)


@post("/me/swaps", name="swap_request", guards=[require("member")], sync_to_thread=True)
def swap_request(request: Request[Any, Any, Any], data: Form) -> Redirect:
    user = signed_in(request)
    assert user.member_id is not None
    institution.request_swap(
        engine_of(request), user.member_id, data.get("with", ""), now_of(request)
    )
    return Redirect("/me/rota?asked=1")


@post(
    "/me/swaps/{request_id:int}",
    name="swap_answer",
    guards=[require("member")],
    sync_to_thread=True,
)
def swap_answer(request: Request[Any, Any, Any], request_id: int, data: Form) -> Redirect:
    user = signed_in(request)
    assert user.member_id is not None
    status = institution.answer_swap(
        engine_of(request),
        request_id,
        user.member_id,
        data.get("answer") == "accept",
        now_of(request),
    )
    return Redirect(f"/me/rota?swap={status}")


@get("/calendar/{file:str}", name="calendar", sync_to_thread=True)
def calendar(request: Request[Any, Any, Any], file: str) -> Response[bytes]:
    """The member's iCalendar feed at ``/calendar/TOKEN.ics``; the unguessable token is the
    credential (calendar apps cannot sign in)."""
    engine = engine_of(request)
    member = accounts.member_for_calendar(engine, file.removesuffix(".ics"))
    body = institution.member_calendar(
        engine, member, now_of(request), base_url=str(request.base_url).rstrip("/")
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{member}.ics"'},
    )


router = Router(path="/", route_handlers=[my_rota, swap_request, swap_answer, calendar])
__all__ = ["MediaType", "router"]
