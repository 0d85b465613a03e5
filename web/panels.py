"""Citizens' panels on the site: each panel's public page (question, stratum, powers, members by
pseudonym, meetings, outputs) and the panel officer's page (the remit before the draw, meetings,
outputs, whether the public vote on its divisions)."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.response import Redirect, Template

from chamber.errors import NotFound
from chamber.jury.citizen_views import panel_page, panels
from chamber.jury.citizens import (
    add_meeting,
    create_panel,
    publish_output,
    schedule_meetings,
    set_public_votes,
)
from chamber.jury.views import officer_view
from web.clerk import _time
from web.deps import AnyRequest, now_of, perform, require
from web.jury import lottery_of
from web.jury_forms import (
    MeetingFormBody,
    OutputFormBody,
    PublicVotesFormBody,
    RemitFormBody,
    ScheduleFormBody,
)
from web.public import page


@get("/panels", name="panels", sync_to_thread=True)
def panel_list(request: AnyRequest) -> Template:
    return page("panels.html", request, panels=perform(request, panels))


@get("/panels/{key:str}", name="panel", sync_to_thread=True)
def panel(request: AnyRequest, key: str) -> Template:
    return page("panel.html", request, p=perform(request, panel_page, key))


@get("/admin/panels/{key:str}", name="panel_officer", sync_to_thread=True)
def officer(request: AnyRequest, key: str) -> Template:
    lottery = lottery_of(request, key)
    pool = perform(request, officer_view, lottery, now_of(request))
    try:
        found = perform(request, panel_page, key)
    except NotFound:
        found = None
    return page("panel_officer.html", request, key=key, lottery=lottery, pool=pool, p=found,
                done=request.query_params.get("done"))


def _back(key: str, done: str) -> Redirect:
    return Redirect(f"/admin/panels/{key}?done={done}")


@post("/admin/panels/{key:str}/remit", name="panel_remit", sync_to_thread=True)
def remit(request: AnyRequest, key: str, data: RemitFormBody) -> Redirect:
    perform(request, create_panel, lottery_of(request, key), data.question, data.stratum,
            data.powers(), now_of(request), size=data.size, quotas_csv=data.quotas or None,
            public_votes=data.public_votes == "on")
    return _back(key, "the remit is set")


@post("/admin/panels/{key:str}/meetings", name="panel_meeting", sync_to_thread=True)
def meeting(request: AnyRequest, key: str, data: MeetingFormBody) -> Redirect:
    perform(request, add_meeting, key, _time(data.starts_at, "starts_at"),
            _time(data.ends_at, "ends_at"), data.venue, data.agenda)
    return _back(key, "the meeting is added")


@post("/admin/panels/{key:str}/schedule", name="panel_schedule", sync_to_thread=True)
def schedule(request: AnyRequest, key: str, data: ScheduleFormBody) -> Redirect:
    made = perform(request, schedule_meetings, key, data.first, data.last, data.venue)
    return _back(key, f"{made} meetings stored from the sitting pattern")


@post("/admin/panels/{key:str}/outputs", name="panel_output", sync_to_thread=True)
def output(request: AnyRequest, key: str, data: OutputFormBody) -> Redirect:
    perform(request, publish_output, key, data.kind, data.title, data.text, now_of(request),
            meeting_id=data.meeting or None)
    return Redirect(f"/panels/{key}")


@post("/admin/panels/{key:str}/public-votes", name="panel_public_votes", sync_to_thread=True)
def public_votes(request: AnyRequest, key: str, data: PublicVotesFormBody) -> Redirect:
    perform(request, set_public_votes, key, data.public_votes == "on")
    return _back(key, "the setting is saved")


router = Router(
    path="/",
    route_handlers=[
        Router(path="/", guards=[require("administrator")],
               route_handlers=[officer, remit, meeting, schedule, output, public_votes]),
        panel_list, panel,
    ],
    tags=["pages (HTML forms)"],
)
