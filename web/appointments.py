"""The clerks' and administrators' page of offices: who holds which office of a body, appointing
and ending offices, registering the body's interest assemblies, and calling and counting the
Executive Committee's election (its count is published like any other)."""

from __future__ import annotations

import re
from typing import Annotated

from litestar import Router, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from chamber.assemblies.services import assemblies_of
from chamber.bodies.services import bodies
from chamber.errors import Invalid, NotFound
from chamber.officers.committee import (
    call_committee_election,
    committee_elections,
    count_committee,
)
from chamber.officers.delegates import register_assemblies
from chamber.officers.rules import COMMITTEE_RULES
from chamber.officers.services import appoint, end_holding, holders
from web.clerk import _time
from web.deps import AnyRequest, now_of, perform, require, signed_in, transaction
from web.public import page
from web.schemas import AppointFormBody, BodyFormBody, CommitteeFormBody, EndHoldingFormBody


@get("/offices", name="offices", sync_to_thread=True)
def offices_home(
    request: AnyRequest, body_key: Annotated[str | None, QueryParameter(name="body")] = None
) -> Template:
    now = now_of(request)
    with transaction(request) as session:
        keys = bodies(session)
        key = body_key or (keys[0] if keys else None)
        if key is not None and key not in keys:
            raise NotFound(f"no body {key!r}")
        held = holders(session, key) if key else []
        found = assemblies_of(session, key) if key else []
        elections = committee_elections(session, key, now) if key else []
    return page("appointments.html", request, body=key, bodies=keys, held=held,
                assemblies=found, elections=elections, rules=COMMITTEE_RULES, now=now)


@post("/offices/appoint", name="appoint", sync_to_thread=True)
def appoint_office(request: AnyRequest, data: AppointFormBody) -> Redirect:
    perform(request, appoint, data.body, data.office, data.member.strip(),
            holds_from=data.holds_from, by=signed_in(request).username, now=now_of(request),
            group=data.group.strip() or None, assembly_id=data.assembly or None)
    return Redirect(f"/offices?body={data.body}&appointed=1")


@post("/offices/{holding_id:int}/end", name="end_office", sync_to_thread=True)
def end_office(request: AnyRequest, holding_id: int, data: EndHoldingFormBody) -> Redirect:
    perform(request, end_holding, holding_id, data.last_day, by=signed_in(request).username,
            now=now_of(request))
    return Redirect("/offices?ended=1")


@post("/offices/assemblies", name="register_assemblies", sync_to_thread=True)
def assemblies(request: AnyRequest, data: BodyFormBody) -> Redirect:
    perform(request, register_assemblies, data.body, now_of(request))
    return Redirect(f"/offices?body={data.body}&assemblies=1")


@post("/offices/committee", name="call_committee", sync_to_thread=True)
def call_committee(request: AnyRequest, data: CommitteeFormBody) -> Redirect:
    candidates = [c for c in re.split(r"[\s,]+", data.candidates) if c]
    if not candidates:
        raise Invalid("name the candidates (member ids)")
    perform(request, call_committee_election, data.body, data.title, data.seats, candidates,
            rule=data.rule, seed=data.seed, opens_at=_time(data.opens_at, "the opening time"),
            closes_at=_time(data.closes_at, "the closing time"),
            by=signed_in(request).username, now=now_of(request))
    return Redirect(f"/offices?body={data.body}&called=1")


@post("/offices/committee/{election_id:int}/count", name="count_committee",
      sync_to_thread=True)
def count(request: AnyRequest, election_id: int) -> Redirect:
    counted = perform(request, count_committee, election_id, by=signed_in(request).username,
                      now=now_of(request))
    return Redirect(f"/elections/{counted}")


router = Router(
    path="/", guards=[require("clerk", "administrator")],
    route_handlers=[offices_home, appoint_office, end_office, assemblies, call_committee, count],
    tags=["pages (HTML forms)"],
)
