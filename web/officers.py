"""Officers' pages: a group's whips and officers arrange its rota (pin a member to a sitting,
answer a swap for a member, mark a member unavailable); an assembly's officer names its
delegates; every member sees the offices they hold and votes for the Executive Committee.
Each page is guarded by `web.deps.holds`; the services check the group or assembly."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.response import Redirect, Template

from chamber.clock import within_range
from chamber.errors import Invalid
from chamber.membership.services import seat_of
from chamber.officers.committee import cast_committee_ballot, committee_elections
from chamber.officers.delegates import Naming, assembly_desks, name_delegates
from chamber.officers.services import day_of, holders
from chamber.officers.whips import approve_swap, group_rota, mark_unavailable, pin_to_sitting
from chamber.officers.whips import remove_pin as unpin
from web.deps import (
    AnyRequest,
    holds,
    member_of,
    now_of,
    perform,
    require,
    settings_of,
    transaction,
)
from web.public import page
from web.schemas import (
    CommitteeBallotFormBody,
    DelegatesFormBody,
    PinFormBody,
    SwapAnswerFormBody,
    UnavailabilityFormBody,
)


@get("/whip", name="whip", sync_to_thread=True)
def whip_home(request: AnyRequest) -> Template:
    with transaction(request) as session:
        view = group_rota(session, member_of(request), now_of(request))
    return page("whip.html", request, v=view)


@post("/whip/pins", name="pin", sync_to_thread=True)
def pin(request: AnyRequest, data: PinFormBody) -> Redirect:
    perform(request, pin_to_sitting, member_of(request), data.member.strip(), data.sitting,
            now_of(request))
    return Redirect("/whip?pinned=1")


@post("/whip/pins/{pin_id:int}/remove", name="unpin", sync_to_thread=True)
def remove_pin(request: AnyRequest, pin_id: int) -> Redirect:
    perform(request, unpin, member_of(request), pin_id, now_of(request))
    return Redirect("/whip?unpinned=1")


@post("/whip/swaps/{request_id:int}", name="whip_swap", sync_to_thread=True)
def answer(request: AnyRequest, request_id: int, data: SwapAnswerFormBody) -> Redirect:
    status = perform(request, approve_swap, member_of(request), request_id,
                     data.answer == "accept", now_of(request))
    return Redirect(f"/whip?swap={status}")


@post("/whip/unavailability", name="mark_unavailable", sync_to_thread=True)
def unavailable(request: AnyRequest, data: UnavailabilityFormBody) -> Redirect:
    perform(request, mark_unavailable, member_of(request), data.member.strip(),
            within_range(data.day, "day"), data.session.strip(), now_of(request))
    return Redirect("/whip?unavailable=1")


whips = Router(path="/", guards=[holds("arrange their group's rota")],
               route_handlers=[whip_home, pin, remove_pin, answer, unavailable])


@get("/assembly", name="assembly", sync_to_thread=True)
def assembly_home(request: AnyRequest) -> Template:
    with transaction(request) as session:
        desks = assembly_desks(session, member_of(request), now_of(request),
                               settings_of(request).rota_lead_days)
    return page("assembly.html", request, desks=desks)


def _namings(places: list[str] | str, members: list[str] | str) -> list[Naming]:
    """The form's places and members, paired in order (blank members left out)."""
    places = [places] if isinstance(places, str) else places
    members = [members] if isinstance(members, str) else members
    if len(places) != len(members):
        raise Invalid(f"the form sent {len(places)} places and {len(members)} members")
    out = []
    for place, who in zip(places, members, strict=True):
        sitting, _, seat = place.partition("/")
        if who.strip():
            out.append(Naming(int(sitting), seat, who.strip()))
    return out


@post("/assembly/{assembly_id:int}/delegates", name="name_delegates", sync_to_thread=True)
def delegates(request: AnyRequest, assembly_id: int, data: DelegatesFormBody) -> Redirect:
    named = perform(request, name_delegates, member_of(request), assembly_id,
                    _namings(data.place, data.member), now=now_of(request),
                    lead_days=settings_of(request).rota_lead_days)
    return Redirect(f"/assembly?named={named}")


assemblies = Router(path="/", guards=[holds("name delegates")],
                    route_handlers=[assembly_home, delegates])


@get("/me/offices", name="my_offices", sync_to_thread=True)
def my_offices(request: AnyRequest) -> Template:
    """The offices the member holds (with their pages), and the Executive Committee's ballots."""
    me, now = member_of(request), now_of(request)
    with transaction(request) as session:
        body = seat_of(session, me).body_key
        held = holders(session, body, day_of(now), member_id=me)
        ballots = committee_elections(session, body, now, me)
    return page("offices.html", request, held=held, ballots=ballots, now=now, me=me)


@post("/me/committee/{election_id:int}", name="committee_ballot", sync_to_thread=True)
def committee_ballot(request: AnyRequest, election_id: int,
                     data: CommitteeBallotFormBody) -> Redirect:
    choices = [data.choice] if isinstance(data.choice, str) else data.choice
    perform(request, cast_committee_ballot, election_id, member_of(request),
            [c.strip() for c in choices if c.strip()], now_of(request))
    return Redirect("/me/offices?voted=1")


members = Router(path="/", guards=[require("member")],
                 route_handlers=[my_offices, committee_ballot])
router = Router(
    path="/", route_handlers=[whips, assemblies, members], tags=["pages (HTML forms)"]
)
