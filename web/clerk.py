"""Clerks' pages: plan business into sittings (a month ahead, or urgent on Saturday
afternoons), create divisions, and open or close them."""

from __future__ import annotations

from datetime import datetime, timedelta

from litestar import Router, get, post
from litestar.response import Redirect, Template

from chamber.business.services import plan_business as plan
from chamber.divisions.lifecycle import close_division as close
from chamber.divisions.lifecycle import create_division as create
from chamber.divisions.lifecycle import open_division as open_
from chamber.divisions.views import list_divisions
from chamber.errors import Invalid, Refused
from chamber.sittings.services import sittings_between
from web.deps import AnyRequest, now_of, perform, require, settings_of, signed_in, transaction
from web.public import page
from web.schemas import BusinessFormBody, DivisionFormBody


@get("/clerk", name="clerk", sync_to_thread=True)
def clerk_home(request: AnyRequest) -> Template:
    now = now_of(request)
    with transaction(request) as session:
        upcoming = sittings_between(session, now - timedelta(days=7), now + timedelta(days=70))
        recent = list_divisions(session, 30)
    return page("clerk.html", request, sittings=upcoming, divisions=recent, today=now.date())


@post("/clerk/business", name="plan_business", sync_to_thread=True)
def plan_business(request: AnyRequest, data: BusinessFormBody) -> Redirect:
    debate = perform(
        request, plan, data.sitting, data.title, planned_on=now_of(request).date(),
        by=signed_in(request).username, urgent=data.urgent == "on",
    )
    return Redirect(f"/clerk?planned={debate}")


def _time(value: str, name: str, now: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{name} must be a date and time, like 2027-03-01T10:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


@post("/clerk/divisions", name="create_division", sync_to_thread=True)
def create_division(request: AnyRequest, data: DivisionFormBody) -> Redirect:
    now = now_of(request)
    options = [o.strip() for o in data.options.splitlines() if o.strip()]
    opens = _time(data.opens_at, "the opening time", now)
    closes = _time(data.closes_at, "the closing time", now)
    division = perform(
        request, create, data.question, options, opens, closes, sitting_id=data.sitting
    )
    return Redirect(f"/divisions/{division}")


@post("/clerk/divisions/{division_id:int}/open", name="open_division", sync_to_thread=True)
def open_division(request: AnyRequest, division_id: int) -> Redirect:
    if not perform(request, open_, division_id, now_of(request)):
        raise Refused("the division cannot open now (already open, closed, or not yet due)")
    return Redirect(f"/divisions/{division_id}")


@post("/clerk/divisions/{division_id:int}/close", name="close_division", sync_to_thread=True)
def close_division(request: AnyRequest, division_id: int) -> Redirect:
    cap = settings_of(request).proxy_cap
    perform(request, close, division_id, now_of(request), proxy_cap=cap)
    return Redirect(f"/divisions/{division_id}")


router = Router(
    path="/",
    guards=[require("clerk", "administrator")],
    route_handlers=[clerk_home, plan_business, create_division, open_division, close_division],
)
