"""Administrators fill the seats through their routes on the site: enter or upload the national
vote, a party's delegation (its files), a division between units and each unit's STV ballots,
the UK Youth Parliament's list, the organisations ballot and a winner's group.  Each form calls
one route service; the stored step's public page (or the count's) follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from litestar import Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from msgspec import Meta

from chamber.errors import Invalid
from chamber.routes.delegation import fill_delegation
from chamber.routes.organisations import name_group, run_ballot
from chamber.routes.party import allocate_party_seats, read_peers
from chamber.routes.submission import read_submission
from chamber.routes.units import divide, elect, read_groups
from chamber.routes.youth import seat_youth_parliament
from electoral.party_list.methods import METHODS
from web.admin import MAX_UPLOAD, _seed, _text
from web.deps import AnyRequest, now_of, perform, require
from web.public import page

BodyKey = Annotated[str, Meta(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Seed = Annotated[str, Meta(max_length=500)]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
Day = Annotated[str, Meta(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
Places = Annotated[int, Meta(ge=1, le=100_000)] | Literal[""]
Unit = Literal["local", "faith", "students"]
ADMIN = [require("administrator")]
BIG = 4 * MAX_UPLOAD


@dataclass
class PartyVoteForm:
    held_on: Day
    seed: Seed = ""
    votes: UploadFile | None = None
    entered: Annotated[str, Meta(max_length=100_000)] = ""  # "party,votes" typed in
    peers: UploadFile | None = None
    method: Annotated[str, Meta(max_length=64)] = "dhondt"
    body: BodyKey = "national"


@dataclass
class DelegationForm:
    party: Name
    seed: Seed = ""
    files: list[UploadFile] = field(default_factory=list)
    serves_from: Day = ""
    body: BodyKey = "national"


@dataclass
class DivideForm:
    route: Unit
    table: UploadFile
    seed: Seed = ""
    places: Places = ""
    body: BodyKey = "national"


@dataclass
class ElectForm:
    route: Unit
    unit: Name
    ballots: UploadFile
    seed: Seed = ""
    groups: UploadFile | None = None
    serves_from: Day = ""
    body: BodyKey = "national"


@dataclass
class YouthForm:
    members: UploadFile
    serves_from: Day = ""
    body: BodyKey = "national"


@dataclass
class BallotForm:
    orgs: UploadFile
    ballots: UploadFile
    seed: Seed = ""
    body: BodyKey = "national"


@dataclass
class GroupForm:
    organisation: Name
    names: UploadFile
    serves_from: Day = ""
    body: BodyKey = "national"


def _given(upload: UploadFile | None) -> bool:
    return upload is not None and bool(upload.filename)


def _day(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{name}: {text!r} is not a date") from None


def _to(result_id: int) -> Redirect:
    return Redirect(f"/routes/{result_id}")


@get("/admin/routes", name="route_setup", guards=ADMIN, sync_to_thread=True)
def setup(request: AnyRequest) -> Template:
    return page("route_setup.html", request, methods=list(METHODS))


@post("/admin/routes/party-vote", name="route_party_vote", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def party_vote(
    request: AnyRequest,
    data: Annotated[PartyVoteForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    held = _day(data.held_on, "held_on")
    if held is None:
        raise Invalid("held_on: the general election's day is needed")
    if _given(data.votes) and data.votes is not None:
        name, text = data.votes.filename, _text(data.votes)
    elif data.entered.strip():
        name, text = "entered.csv", data.entered
    else:
        raise Invalid("votes: upload the national vote or enter it (party,votes)")
    peers = read_peers(_text(data.peers), data.peers.filename) if (
        _given(data.peers) and data.peers is not None) else []
    return _to(perform(request, allocate_party_seats, data.body, name, text, held_on=held,
                       method=data.method, seed=_seed(data.seed, "allocation"), peers=peers,
                       now=now_of(request)))


@post("/admin/routes/delegation", name="route_delegation", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def delegation(
    request: AnyRequest,
    data: Annotated[DelegationForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    files = {f.filename: _text(f) for f in data.files if f.filename}
    if not files:
        raise Invalid("files: upload the delegation's files")
    given = read_submission(data.party, files)
    return _to(perform(request, fill_delegation, data.body, given,
                       seed=_seed(data.seed, "counts"),
                       serves_from=_day(data.serves_from, "serves_from"), now=now_of(request)))


@post("/admin/routes/divide", name="route_divide", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def divide_share(
    request: AnyRequest,
    data: Annotated[DivideForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    return _to(perform(request, divide, data.body, data.route, data.table.filename,
                       _text(data.table), seed=_seed(data.seed, "division"),
                       places=data.places or None, now=now_of(request)))


@post("/admin/routes/elect", name="route_elect", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def elect_unit(
    request: AnyRequest,
    data: Annotated[ElectForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    groups = None
    if _given(data.groups) and data.groups is not None:
        groups = read_groups(_text(data.groups), data.groups.filename)
    count = perform(request, elect, data.body, data.route, data.unit, data.ballots.filename,
                    _text(data.ballots), seed=_seed(data.seed, "count"), groups=groups,
                    serves_from=_day(data.serves_from, "serves_from"), now=now_of(request))
    return Redirect(f"/elections/{count}")


@post("/admin/routes/youth-parliament", name="route_youth", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def youth(
    request: AnyRequest,
    data: Annotated[YouthForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    return _to(perform(request, seat_youth_parliament, data.body, data.members.filename,
                       _text(data.members), serves_from=_day(data.serves_from, "serves_from"),
                       now=now_of(request)))


@post("/admin/routes/organisations", name="route_organisations", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def organisations(
    request: AnyRequest,
    data: Annotated[BallotForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    return _to(perform(request, run_ballot, data.body, data.orgs.filename, _text(data.orgs),
                       data.ballots.filename, _text(data.ballots),
                       seed=_seed(data.seed, "ballot's count"), now=now_of(request)))


@post("/admin/routes/group", name="route_group", guards=ADMIN,
      request_max_body_size=BIG, sync_to_thread=True)
def group(
    request: AnyRequest,
    data: Annotated[GroupForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    return _to(perform(request, name_group, data.body, data.organisation, data.names.filename,
                       _text(data.names), serves_from=_day(data.serves_from, "serves_from"),
                       now=now_of(request)))


router = Router(path="/", tags=["pages (HTML forms)"], route_handlers=[
    setup, party_vote, delegation, divide_share, elect_unit, youth, organisations, group,
])
