"""Clerks' pages: plan business into sittings (a month ahead, or urgent on Saturday
afternoons), create divisions, and open or close them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import Redirect, Template

from chamber import institution
from chamber.divisions import services as divisions
from chamber.voting import VotingError
from web.deps import engine_of, now_of, require, signed_in
from web.public import Form, page

GUARD = [require("clerk", "administrator")]


@get("/clerk", name="clerk", guards=GUARD, sync_to_thread=True)
def clerk_home(request: Request[Any, Any, Any]) -> Template:
    now = now_of(request)
    upcoming = institution.sittings_between(
        engine_of(request), now - timedelta(days=7), now + timedelta(days=70)
    )
    return page(
        "clerk.html",
        request,
        sittings=upcoming,
        divisions=divisions.list_divisions(engine_of(request), 30),
        today=now.date(),
    )


@post("/clerk/business", name="plan_business", guards=GUARD, sync_to_thread=True)
def plan_business(request: Request[Any, Any, Any], data: Form) -> Redirect:
    user = signed_in(request)
    if not data.get("sitting", "").isdigit():
        raise VotingError("choose a sitting")
    debate = institution.plan_business(
        engine_of(request),
        int(data["sitting"]),
        data.get("title", ""),
        planned_on=now_of(request).date(),
        by=user.username,
        urgent=data.get("urgent") == "on",
    )
    return Redirect(f"/clerk?planned={debate}")


def _time(value: str, name: str, now: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise VotingError(f"{name} must be a date and time, like 2027-03-01T10:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


@post("/clerk/divisions", name="create_division", guards=GUARD, sync_to_thread=True)
def create_division(request: Request[Any, Any, Any], data: Form) -> Redirect:
    now = now_of(request)
    if not data.get("sitting", "").isdigit():
        raise VotingError("choose a sitting")
    options = [o.strip() for o in data.get("options", "").splitlines() if o.strip()]
    division = divisions.create_division(
        engine_of(request),
        data.get("question", ""),
        options,
        _time(data.get("opens_at", ""), "the opening time", now),
        _time(data.get("closes_at", ""), "the closing time", now),
        sitting_id=int(data["sitting"]),
    )
    return Redirect(f"/divisions/{division}")


@post(
    "/clerk/divisions/{division_id:int}/open",
    name="open_division",
    guards=GUARD,
    sync_to_thread=True,
)
def open_division(request: Request[Any, Any, Any], division_id: int) -> Redirect:
    if not divisions.open_division(engine_of(request), division_id, now_of(request)):
        raise VotingError("the division cannot open now (already open, closed, or not yet due)")
    return Redirect(f"/divisions/{division_id}")


@post(
    "/clerk/divisions/{division_id:int}/close",
    name="close_division",
    guards=GUARD,
    sync_to_thread=True,
)
def close_division(request: Request[Any, Any, Any], division_id: int) -> Redirect:
    divisions.close_division(engine_of(request), division_id, now_of(request))
    return Redirect(f"/divisions/{division_id}")


router = Router(
    path="/",
    route_handlers=[clerk_home, plan_business, create_division, open_division, close_division],
)
