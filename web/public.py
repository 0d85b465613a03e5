"""Public pages: the sittings calendar, a sitting with its debates and seats, divisions and their
results, voting and proxies for registered members of the public, receipts; and signing in."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from chamber import accounts, institution
from chamber.divisions import services as divisions
from chamber.voting import VotingError
from web import deps
from web.deps import engine_of, now_of, require, session_for, signed_in, user_of

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


HTMX = (Path(__file__).parent / "static" / "vendor" / "htmx.min.js").exists()


def partial(request: Request[Any, Any, Any]) -> bool:
    """Whether htmx asked for a fragment of a page rather than the whole page."""
    return request.headers.get("hx-request") == "true"


def page(name: str, request: Request[Any, Any, Any], **context: Any) -> Template:
    return Template(name, context={"user": user_of(request), "htmx": HTMX, **context})


@get("/", name="home", sync_to_thread=True)
def home(request: Request[Any, Any, Any]) -> Template:
    now = now_of(request)
    day_start = datetime.combine(now.date(), time(0), now.tzinfo)
    today = institution.sittings_between(
        engine_of(request), day_start, day_start + timedelta(days=1)
    )
    return page(
        "home.html",
        request,
        today=today,
        now=now,
        divisions=divisions.list_divisions(engine_of(request), 12),
    )


@get("/sittings", name="sittings", sync_to_thread=True)
def sittings(request: Request[Any, Any, Any], week: date | None = None) -> Template:
    """The calendar: a week of sittings, Monday to Saturday."""
    monday, found = institution.sittings_of_week(engine_of(request), week or now_of(request).date())
    days: dict[date, list[Any]] = {monday + timedelta(days=d): [] for d in range(6)}
    for s in found:
        days.setdefault(institution.utc(s.starts_at).date(), []).append(s)
    return page(
        "sittings.html",
        request,
        days=days,
        monday=monday,
        previous=monday - timedelta(days=7),
        next=monday + timedelta(days=7),
    )


@get("/sittings/{sitting_id:int}", name="sitting", sync_to_thread=True)
def sitting(request: Request[Any, Any, Any], sitting_id: int) -> Template:
    view = institution.sitting_view(engine_of(request), sitting_id)
    now = now_of(request)
    return page("sitting.html", request, s=view, live=view["starts_at"] <= now < view["ends_at"])  # type: ignore[operator]


@get("/divisions", name="divisions", sync_to_thread=True)
def division_list(request: Request[Any, Any, Any]) -> Template:
    return page("divisions.html", request, divisions=divisions.list_divisions(engine_of(request)))


@get("/divisions/{division_id:int}", name="division", sync_to_thread=True)
def division(request: Request[Any, Any, Any], division_id: int) -> Template:
    engine = engine_of(request)
    view = divisions.division_view(engine, division_id, now_of(request))
    status = _my_status(request, division_id)
    return page(
        "division.html",
        request,
        d=view,
        status=status,
        is_open=view["state"] == "open",  # by the clock, as the service reckons it
        receipt=request.query_params.get("receipt"),
    )


@get("/divisions/{division_id:int}/live", name="division_live", sync_to_thread=True)
def division_live(request: Request[Any, Any, Any], division_id: int) -> Template:
    """The status, result and the signed-in voter's part of a division's page (htmx refreshes
    it every 10 s and after a vote)."""
    engine = engine_of(request)
    return page(
        "_division_live.html",
        request,
        d=divisions.division_view(engine, division_id, now_of(request)),
        status=_my_status(request, division_id),
    )


def _my_status(request: Request[Any, Any, Any], division_id: int) -> dict[str, object] | None:
    user = user_of(request)
    if user is None or user.voter is None:
        return None
    return divisions.delegation_status(engine_of(request), user.voter, division_id)


@post(
    "/divisions/{division_id:int}/vote",
    name="vote",
    guards=[require("public")],
    opt={"rate_limited": True},
)
async def vote(request: Request[Any, Any, Any], division_id: int, data: Form) -> Template:
    token = await deps.cast_vote(
        request, division_id, data.get("option", ""), data.get("idempotency_key") or None
    )
    status = await asyncio.to_thread(divisions.receipt_status, engine_of(request), token)
    return page(
        "_receipt.html" if partial(request) else "receipt.html",
        request,
        receipt=token,
        division_id=division_id,
        status=status,
    )


@post(
    "/divisions/{division_id:int}/member-vote",
    name="member_vote",
    guards=[require("member")],
    opt={"rate_limited": True},
    sync_to_thread=True,
)
def member_vote(request: Request[Any, Any, Any], division_id: int, data: Form) -> Redirect:
    user = signed_in(request)
    assert user.member_id is not None
    divisions.cast_member_vote(
        engine_of(request), division_id, user.member_id, data.get("option", ""), now_of(request)
    )
    return Redirect(f"/divisions/{division_id}?voted=1")


@get("/receipts", name="receipts", sync_to_thread=True)
def receipts(request: Request[Any, Any, Any], receipt: str | None = None) -> Template:
    status = divisions.receipt_status(engine_of(request), receipt.strip()) if receipt else None
    return page("receipts.html", request, receipt=receipt, status=status)


@get("/proxy", name="proxy", guards=[require("public")], sync_to_thread=True)
def proxy_page(request: Request[Any, Any, Any]) -> Template:
    user = signed_in(request)
    assert user.voter is not None
    current = divisions.my_proxy(engine_of(request), user.voter, now_of(request))
    return page(
        "proxy.html",
        request,
        current=current,
        open_divisions=[
            d for d in divisions.list_divisions(engine_of(request)) if d["status"] != "closed"
        ],
    )


@post(
    "/proxy",
    name="proxy_change",
    guards=[require("public")],
    opt={"rate_limited": True},
    sync_to_thread=True,
)
def proxy_change(request: Request[Any, Any, Any], data: Form) -> Redirect:
    user = signed_in(request)
    assert user.voter is not None
    division_id = int(data["division"]) if data.get("division", "").isdigit() else None
    if data.get("action") == "revoke":
        divisions.revoke_proxy(engine_of(request), user.voter, now_of(request), division_id)
    else:
        name = data.get("proxy", "").strip()
        if not name:
            raise VotingError("name the person who will be your proxy")
        divisions.appoint_proxy(engine_of(request), user.voter, name, now_of(request), division_id)
    return Redirect("/proxy?saved=1")


@get("/login", name="login_page", sync_to_thread=True)
def login_page(request: Request[Any, Any, Any], next: str = "/") -> Template:
    return page("login.html", request, next=next if next.startswith("/") else "/")


@post("/login", name="login", opt={"login_limited": True}, sync_to_thread=True)
def login(request: Request[Any, Any, Any], data: Form) -> Redirect:
    user = accounts.authenticate(
        engine_of(request), data.get("username", ""), data.get("password", "")
    )
    request.set_session(session_for(user))
    target = data.get("next", "/")
    return Redirect(target if target.startswith("/") and not target.startswith("//") else "/")


@post("/logout", name="logout", sync_to_thread=True)
def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect("/")


@get("/register", name="register_page", sync_to_thread=True)
def register_page(request: Request[Any, Any, Any]) -> Template:
    return page("register.html", request)


@post("/register", name="register", opt={"login_limited": True}, sync_to_thread=True)
def register(request: Request[Any, Any, Any], data: Form) -> Redirect:
    """A member of the public registers to vote (members and staff get accounts from a clerk)."""
    if data.get("password", "") != data.get("confirm", ""):
        raise VotingError("the two passwords differ")
    user = accounts.create_account(
        engine_of(request),
        data.get("username", ""),
        data.get("password", ""),
        "public",
        now_of(request),
    )
    request.set_session(session_for(user))
    return Redirect("/")


router = Router(
    path="/",
    route_handlers=[
        home,
        division_live,
        sittings,
        sitting,
        division_list,
        division,
        vote,
        member_vote,
        receipts,
        proxy_page,
        proxy_change,
        login_page,
        login,
        logout,
        register_page,
        register,
    ],
)
