"""The jury's experts on the site: the fields, ballots and (in the transition) the peers put to
the jury, which anyone may read; the serving jurors rank a field's nominees and answer yes or no
on each peer; the panel officer opens ballots, enters nominations, counts, seats the crossbench
peers and puts the whip-taking peers to the jury."""

from __future__ import annotations

from typing import Annotated

from litestar import Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from chamber.clock import london
from chamber.jury.expert_peers import (
    answer_peer,
    decide_peer,
    propose_peers,
    seat_crossbench_peers,
)
from chamber.jury.expert_views import experts_ballot_view, experts_overview
from chamber.jury.experts import (
    cast_expert_vote,
    count_experts,
    nominate,
    open_experts_ballot,
)
from web.admin import MAX_UPLOAD, _text
from web.deps import AnyRequest, now_of, perform, require, signed_in, user_of
from web.jury import lottery_of
from web.jury_forms import (
    CountFormBody,
    ExpertsBallotFormBody,
    NominationFormBody,
    PeersUpload,
    ServesFromFormBody,
    YesNoFormBody,
    day,
)
from web.public import page
from web.schemas import RankingFormBody


@get("/jury/{key:str}/experts", name="jury_experts", sync_to_thread=True)
def experts(request: AnyRequest, key: str) -> Template:
    view = perform(request, experts_overview, lottery_of(request, key),
                   london(now_of(request)).date())
    user = user_of(request)
    return page("experts.html", request, v=view, juror=user is not None and user.role == "member",
                saved=request.query_params.get("saved"))


@get("/jury/{key:str}/experts/ballots/{ballot_id:int}", name="experts_ballot",
     sync_to_thread=True)
def ballot(request: AnyRequest, key: str, ballot_id: int) -> Template:
    user = user_of(request)
    view = perform(request, experts_ballot_view, lottery_of(request, key), ballot_id,
                   user.id if user is not None else None)
    return page("experts_ballot.html", request, b=view, saved=request.query_params.get("saved"))


@post("/jury/{key:str}/experts/ballots/{ballot_id:int}", name="experts_ballot_vote",
      sync_to_thread=True)
def ballot_vote(request: AnyRequest, key: str, ballot_id: int,
                data: RankingFormBody) -> Redirect:
    lottery_of(request, key)
    perform(request, cast_expert_vote, ballot_id, data.places(), now_of(request),
            account_id=signed_in(request).id)
    return Redirect(f"/jury/{key}/experts/ballots/{ballot_id}?saved=1")


@post("/jury/{key:str}/experts/peers/{question_id:int}", name="experts_peer_answer",
      sync_to_thread=True)
def peer_answer(request: AnyRequest, key: str, question_id: int,
                data: YesNoFormBody) -> Redirect:
    lottery_of(request, key)
    perform(request, answer_peer, question_id, data.answer == "yes", now_of(request),
            account_id=signed_in(request).id)
    return Redirect(f"/jury/{key}/experts?saved=peer")


# -- the panel officer ------------------------------------------------------------------------


@get("/admin/jury/{key:str}/experts", name="experts_officer", sync_to_thread=True)
def officer(request: AnyRequest, key: str) -> Template:
    view = perform(request, experts_overview, lottery_of(request, key),
                   london(now_of(request)).date())
    return page("experts_officer.html", request, v=view, done=request.query_params.get("done"))


@post("/admin/jury/{key:str}/experts/ballots", name="experts_open", sync_to_thread=True)
def open_ballot(request: AnyRequest, key: str, data: ExpertsBallotFormBody) -> Redirect:
    ballot_id = perform(request, open_experts_ballot, lottery_of(request, key), data.field,
                        data.serves_from, now_of(request), places=data.places or None)
    return Redirect(f"/jury/{key}/experts/ballots/{ballot_id}")


@post("/admin/jury/{key:str}/experts/nominations", name="experts_nominate",
      sync_to_thread=True)
def nomination(request: AnyRequest, key: str, data: NominationFormBody) -> Redirect:
    perform(request, nominate, lottery_of(request, key), data.field, data.name, data.expertise,
            now_of(request))
    return Redirect(f"/admin/jury/{key}/experts?done={data.name} is nominated for {data.field}")


@post("/admin/jury/{key:str}/experts/ballots/{ballot_id:int}/count", name="experts_count",
      sync_to_thread=True)
def count(request: AnyRequest, key: str, ballot_id: int, data: CountFormBody) -> Redirect:
    perform(request, count_experts, lottery_of(request, key), ballot_id, data.seed,
            now_of(request))
    return Redirect(f"/jury/{key}/experts/ballots/{ballot_id}")


UPLOAD = Body(media_type=RequestEncodingType.MULTI_PART)


@post("/admin/jury/{key:str}/experts/crossbench", name="experts_crossbench",
      request_max_body_size=MAX_UPLOAD + 65536, sync_to_thread=True)
def crossbench(request: AnyRequest, key: str,
               data: Annotated[PeersUpload, UPLOAD]) -> Redirect:
    starts = day(data.serves_from, "serves_from")
    result = perform(request, seat_crossbench_peers, lottery_of(request, key),
                     data.peers.filename, _text(data.peers), starts, now_of(request))
    return Redirect(f"/routes/{result}")


@post("/admin/jury/{key:str}/experts/peers", name="experts_peers", sync_to_thread=True,
      request_max_body_size=MAX_UPLOAD + 65536)
def peers(request: AnyRequest, key: str, data: Annotated[PeersUpload, UPLOAD]) -> Redirect:
    put = perform(request, propose_peers, lottery_of(request, key), data.peers.filename,
                  _text(data.peers), now_of(request))
    return Redirect(f"/admin/jury/{key}/experts?done={len(put)} peers put to the jury")


@post("/admin/jury/{key:str}/experts/peers/{question_id:int}/decide", name="experts_decide",
      sync_to_thread=True)
def decide(request: AnyRequest, key: str, question_id: int,
           data: ServesFromFormBody) -> Redirect:
    approved = perform(request, decide_peer, lottery_of(request, key), question_id,
                       data.serves_from, now_of(request))
    word = "approved" if approved else "not approved"
    return Redirect(f"/admin/jury/{key}/experts?done=question {question_id}: {word}")


router = Router(
    path="/",
    route_handlers=[
        Router(path="/", guards=[require("administrator")],
               route_handlers=[officer, open_ballot, nomination, count, crossbench, peers,
                               decide]),
        Router(path="/", guards=[require("member")], route_handlers=[ballot_vote, peer_answer]),
        experts, ballot,
    ],
    tags=["pages (HTML forms)"],
)
