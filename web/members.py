"""Members' pages: my rota (next slots, seat, sharers), swap requests, and the calendar feed."""

from __future__ import annotations

from litestar import Response, Router, get, post
from litestar.response import Redirect, Template

from chamber.accounts.services import get_user, member_for_calendar
from chamber.rotas.swaps import answer_swap, request_swap, withdraw_swap
from chamber.rotas.views import member_calendar, member_rota_view
from web.deps import AnyRequest, now_of, perform, require, signed_in, transaction
from web.public import page
from web.schemas import SwapAnswerFormBody, SwapFormBody


def _member(request: AnyRequest) -> str:
    user = signed_in(request)
    assert user.member_id is not None  # the router's guard made sure
    return user.member_id


@get("/me/rota", name="my_rota", sync_to_thread=True)
def my_rota(request: AnyRequest) -> Template:
    user = signed_in(request)
    with transaction(request) as session:
        view = member_rota_view(session, _member(request), now_of(request))
        account = get_user(session, user.id)
    token = account.calendar_token if account else None
    feed = str(request.url_for("calendar", file=f"{token}.ics"))
    return page("rota.html", request, v=view, feed=feed)


@post("/me/swaps", name="swap_request", sync_to_thread=True)
def swap_request(request: AnyRequest, data: SwapFormBody) -> Redirect:
    """Ask a sharer to exchange one of my sittings for one of theirs (``their_slot`` is
    "MEMBER/SITTING", as the form's choices give it)."""
    sharer, _, theirs = data.their_slot.partition("/")
    perform(
        request, request_swap, _member(request), data.my_sitting, sharer, int(theirs),
        now_of(request),
    )
    return Redirect("/me/rota?asked=1")


@post("/me/swaps/{request_id:int}/withdraw", name="swap_withdraw", sync_to_thread=True)
def swap_withdraw(request: AnyRequest, request_id: int) -> Redirect:
    perform(request, withdraw_swap, request_id, _member(request), now_of(request))
    return Redirect("/me/rota?swap=withdrawn")


@post("/me/swaps/{request_id:int}", name="swap_answer", sync_to_thread=True)
def swap_answer(request: AnyRequest, request_id: int, data: SwapAnswerFormBody) -> Redirect:
    status = perform(
        request, answer_swap, request_id, _member(request), data.answer == "accept",
        now_of(request),
    )
    return Redirect(f"/me/rota?swap={status}")


@get("/calendar/{file:str}", name="calendar", sync_to_thread=True)
def calendar(request: AnyRequest, file: str) -> Response[bytes]:
    """The member's iCalendar feed at ``/calendar/TOKEN.ics``; the unguessable token is the
    credential (calendar apps cannot sign in)."""
    with transaction(request) as session:
        member = member_for_calendar(session, file.removesuffix(".ics"))
        body = member_calendar(
            session, member, now_of(request), rota_url=str(request.url_for("my_rota"))
        )
    return Response(
        body,
        media_type="text/calendar",  # Litestar adds "; charset=utf-8" to text types
        headers={"Content-Disposition": f'inline; filename="{member}.ics"'},
    )


router = Router(
    path="/",
    tags=["pages (HTML forms)"],  # in /schema beside the API, so the fuzz test reaches them
    route_handlers=[
        Router(
            path="/", guards=[require("member")],
            route_handlers=[my_rota, swap_request, swap_answer, swap_withdraw],
        ),
        calendar,
    ],
)
