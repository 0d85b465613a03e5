"""Clerks' pages: the alerts to act on, business planned into sittings (a month ahead, or urgent
on Saturday afternoons), divisions created within their sittings and opened or closed, and who
attended each sitting."""

from __future__ import annotations

from datetime import datetime, timedelta

from litestar import Router, get, post
from litestar.response import Redirect, Template

from chamber.alerts.services import open_alerts, resolve_alert
from chamber.business.planning import planned_business, retitle_business, withdraw_business
from chamber.business.services import plan_business as plan
from chamber.business.services import record_attendance
from chamber.clock import LONDON, within_range
from chamber.divisions.lifecycle import close_division as close
from chamber.divisions.lifecycle import create_division as create
from chamber.divisions.lifecycle import open_division as open_
from chamber.divisions.views import division_view, list_divisions
from chamber.errors import Invalid, Refused
from chamber.sittings.services import sittings_between
from web.deps import AnyRequest, now_of, perform, require, settings_of, signed_in, transaction
from web.public import page
from web.schemas import (
    AttendanceFormBody,
    BusinessFormBody,
    DivisionFormBody,
    RetitleFormBody,
)


@get("/clerk", name="clerk", sync_to_thread=True)
def clerk_home(request: AnyRequest) -> Template:
    now = now_of(request)
    with transaction(request) as session:
        upcoming = sittings_between(session, now - timedelta(days=7), now + timedelta(days=70))
        recent = list_divisions(session, 30)
        alerts = open_alerts(session)
        business = planned_business(session, now - timedelta(days=1), now + timedelta(days=70))
    return page(
        "clerk.html", request, sittings=upcoming, divisions=recent, alerts=alerts, now=now,
        today=now.astimezone(LONDON).date(), business=business,
        done=DONE.get(request.query_params.get("done", "")),
    )


DONE = {
    "retitled": "The item of business is retitled.",
    "withdrawn": "The item of business is withdrawn (the audit log keeps what was planned).",
    "planned": "The item of business is planned.",
}


@post("/clerk/business", name="plan_business", sync_to_thread=True)
def plan_business(request: AnyRequest, data: BusinessFormBody) -> Redirect:
    debate = perform(
        request, plan, data.sitting, data.title, now=now_of(request),
        by=signed_in(request).username, urgent=data.urgent == "on",
    )
    return Redirect(f"/clerk?done=planned&planned={debate}#business")


@post("/clerk/business/{item_id:int}/title", name="retitle_business", sync_to_thread=True)
def retitle(request: AnyRequest, item_id: int, data: RetitleFormBody) -> Redirect:
    perform(request, retitle_business, item_id, data.title, now=now_of(request),
            by=signed_in(request).username)
    return Redirect("/clerk?done=retitled#business")


@post("/clerk/business/{item_id:int}/withdraw", name="withdraw_business", sync_to_thread=True)
def withdraw(request: AnyRequest, item_id: int) -> Redirect:
    perform(request, withdraw_business, item_id, now=now_of(request),
            by=signed_in(request).username)
    return Redirect("/clerk?done=withdrawn#business")


def _time(value: str, name: str) -> datetime:
    """A time a clerk typed (a datetime-local input): London wall time unless it names a zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{name} must be a date and time, like 2027-03-01T10:00") from None
    return within_range(moment if moment.tzinfo else moment.replace(tzinfo=LONDON), name)


@post("/clerk/divisions", name="create_division", sync_to_thread=True)
def create_division(request: AnyRequest, data: DivisionFormBody) -> Redirect:
    options = [o.strip() for o in data.options.splitlines() if o.strip()]
    opens = _time(data.opens_at, "the opening time")
    closes = _time(data.closes_at, "the closing time")
    division = perform(
        request, create, data.question, options, opens, closes, sitting_id=data.sitting,
        now=now_of(request),
    )
    return Redirect(f"/divisions/{division}")


@post("/clerk/divisions/{division_id:int}/open", name="open_division", sync_to_thread=True)
def open_division(request: AnyRequest, division_id: int) -> Redirect:
    if not perform(request, open_, division_id, now_of(request)):
        raise Refused("the division cannot open now (already open, closed, or not yet due)")
    return Redirect(f"/divisions/{division_id}")


@get("/clerk/divisions/{division_id:int}/close", name="confirm_close", sync_to_thread=True)
def confirm_close(request: AnyRequest, division_id: int) -> Template:
    """Closing is final: the page says so, with the division's state, before the button."""
    view = perform(request, division_view, division_id, now_of(request))
    return page("close.html", request, d=view)


@post("/clerk/divisions/{division_id:int}/close", name="close_division", sync_to_thread=True)
def close_division(request: AnyRequest, division_id: int) -> Redirect:
    cap = settings_of(request).proxy_cap
    perform(request, close, division_id, now_of(request), proxy_cap=cap,
            audit_key=request.app.state.audit_key)
    return Redirect(f"/divisions/{division_id}")


@post("/clerk/attendance", name="record_attendance", sync_to_thread=True)
def attendance(request: AnyRequest, data: AttendanceFormBody) -> Redirect:
    perform(
        request, record_attendance, data.sitting, data.member.strip(), data.kind,
        by=signed_in(request).username, now=now_of(request),
    )
    return Redirect(f"/sittings/{data.sitting}?recorded=1")


@post("/clerk/alerts/{alert_id:int}/resolve", name="resolve_alert", sync_to_thread=True)
def resolve(request: AnyRequest, alert_id: int) -> Redirect:
    perform(request, resolve_alert, alert_id, now_of(request))
    return Redirect("/clerk")


router = Router(
    path="/",
    tags=["pages (HTML forms)"],  # in /schema beside the API, so the fuzz test reaches them
    guards=[require("clerk", "administrator")],
    route_handlers=[
        clerk_home, plan_business, retitle, withdraw, create_division, open_division,
        confirm_close, close_division, attendance, resolve,
    ],
)
