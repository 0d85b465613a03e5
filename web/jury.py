"""The jury and citizens' panels on the site: volunteering for a body's pool, one's entries and
invitations (accept or decline, withdraw); the panel officer's page (import a pool, announce a
month's seed, draw, record answers given by letter, download the letters); the serving
jurors' ballot on the month's extensions (anyone may read it; jurors vote); and the published
pool and quotas of each draw, which with its record are all `chamber draw verify` needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from chamber.bodies.services import bodies
from chamber.errors import NotFound
from chamber.jury.ballot import cast_vote
from chamber.jury.ballot_views import ballot_view
from chamber.jury.cycle import announce_seed, draw_cohort
from chamber.jury.lottery import Lottery
from chamber.jury.panel import draw_panel
from chamber.jury.places import answer, withdraw_entry
from chamber.jury.pool import Entry, import_pool, volunteer
from chamber.jury.views import (
    draw_pool_csv,
    draw_quotas_csv,
    letters_csv,
    my_entries,
    officer_view,
)
from web.admin import MAX_UPLOAD, _text
from web.deps import (
    AnyRequest,
    now_of,
    perform,
    require,
    settings_of,
    signed_in,
    user_of,
)
from web.public import page
from web.schemas import (
    FEATURE_FIELDS,
    AnswerFormBody,
    RankingFormBody,
    SeedFormBody,
    VolunteerFormBody,
)


def lottery_of(request: AnyRequest, key: str) -> Lottery:
    """The lottery of a body the site draws for (`create_app`'s ``lotteries``)."""
    found: Lottery | None = request.app.state.lotteries.get(key)
    if found is None:
        raise NotFound(f"{key!r} draws nobody by lot from a pool")
    return found


def _csv(body: str, name: str) -> Response[str]:
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- volunteers -------------------------------------------------------------------------------


@get("/volunteer/{key:str}", name="volunteer_page", sync_to_thread=True)
def volunteer_page(request: AnyRequest, key: str) -> Template:
    lottery = lottery_of(request, key)
    return page("volunteer.html", request, lottery=lottery)


@post("/volunteer/{key:str}", name="volunteer", sync_to_thread=True)
def volunteer_form(request: AnyRequest, key: str, data: VolunteerFormBody) -> Redirect:
    lottery = lottery_of(request, key)
    entry = Entry(
        name=data.name, email=data.email, phone=data.phone, address=data.address,
        consent=data.consent == "on",
        features={f: getattr(data, f) for f in FEATURE_FIELDS},
    )
    perform(request, volunteer, lottery, signed_in(request).id, entry, now_of(request))
    return Redirect("/me/volunteering?saved=1")


@get("/me/volunteering", name="my_volunteering", sync_to_thread=True)
def my_volunteering(request: AnyRequest) -> Template:
    entries = perform(request, my_entries, signed_in(request).id)
    installed = set(perform(request, bodies))
    offered = [k for k in request.app.state.lotteries if k in installed]
    return page("volunteering.html", request, entries=entries, offered=offered,
                saved=request.query_params.get("saved"))


@post("/me/volunteering/{entry_id:int}/withdraw", name="withdraw_entry", sync_to_thread=True)
def withdraw(request: AnyRequest, entry_id: int) -> Redirect:
    user = signed_in(request)
    perform(request, withdraw_entry, entry_id, user.id, now_of(request))
    return Redirect("/me/volunteering?saved=withdrawn")


@post("/me/invitations/{invitation_id:int}", name="answer_invitation", sync_to_thread=True)
def answer_invitation(request: AnyRequest, invitation_id: int, data: AnswerFormBody) -> Redirect:
    user = signed_in(request)
    status = perform(request, answer, invitation_id, data.answer == "accept", now_of(request),
                     account_id=user.id)
    return Redirect(f"/me/volunteering?saved={status}")


# -- the panel officer ------------------------------------------------------------------------


@dataclass
class PoolForm:
    pool: UploadFile


@get("/admin/jury/{key:str}", name="jury_officer", sync_to_thread=True)
def officer(request: AnyRequest, key: str) -> Template:
    lottery = lottery_of(request, key)
    view = perform(request, officer_view, lottery, now_of(request))
    return page("jury_officer.html", request, v=view, lottery=lottery,
                done=request.query_params.get("done"))


@post("/admin/jury/{key:str}/pool", name="jury_pool_import",
      request_max_body_size=MAX_UPLOAD + 65536, sync_to_thread=True)
def pool_import(
    request: AnyRequest, key: str,
    data: Annotated[PoolForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    lottery = lottery_of(request, key)
    report = perform(request, import_pool, lottery, data.pool.filename, _text(data.pool),
                     now_of(request))
    return Redirect(f"/admin/jury/{key}?done=imported {report.added} new, {report.updated} "
                    f"updated, {report.replaced} replaced, {report.withdrawn} withdrawn")


@post("/admin/jury/{key:str}/seed", name="jury_seed", sync_to_thread=True)
def seed(request: AnyRequest, key: str, data: SeedFormBody) -> Redirect:
    perform(request, announce_seed, lottery_of(request, key), data.month, data.seed,
            now_of(request))
    return Redirect(f"/admin/jury/{key}?done=the seed of {data.month} is announced")


@post("/admin/jury/{key:str}/draw", name="jury_draw", sync_to_thread=True)
def draw(request: AnyRequest, key: str, data: SeedFormBody) -> Redirect:
    config = settings_of(request)
    lottery = lottery_of(request, key)
    if lottery.cycle is None:
        draw_id = perform(request, draw_panel, lottery, data.month, data.months, data.seed,
                          now_of(request), accept_days=config.jury_accept_days)
    else:
        draw_id = perform(
            request, draw_cohort, lottery, data.month, data.seed, now_of(request),
            accept_days=config.jury_accept_days, lead_months=config.jury_lead_months,
        )
    return Redirect(f"/draws/{draw_id}")


@post("/admin/jury/{key:str}/invitations/{invitation_id:int}", name="jury_letter_answer",
      sync_to_thread=True)
def letter_answer(request: AnyRequest, key: str, invitation_id: int,
                  data: AnswerFormBody) -> Redirect:
    lottery_of(request, key)
    status = perform(request, answer, invitation_id, data.answer == "accept", now_of(request))
    return Redirect(f"/admin/jury/{key}?done=invitation {invitation_id} {status}")


@get("/admin/jury/{key:str}/letters.csv", name="jury_letters", sync_to_thread=True)
def letters(request: AnyRequest, key: str) -> Response[str]:
    lottery_of(request, key)
    return _csv(perform(request, letters_csv, key), f"letters-{key}.csv")


# -- the jurors' extensions ballot --------------------------------------------------------------


@get("/jury/{key:str}/ballots/{ballot_id:int}", name="jury_ballot", sync_to_thread=True)
def ballot(request: AnyRequest, key: str, ballot_id: int) -> Template:
    user = user_of(request)
    view = perform(request, ballot_view, lottery_of(request, key), ballot_id,
                   user.id if user is not None else None)
    return page("jury_ballot.html", request, b=view, saved=request.query_params.get("saved"))


@post("/jury/{key:str}/ballots/{ballot_id:int}", name="jury_ballot_vote", sync_to_thread=True)
def ballot_vote(request: AnyRequest, key: str, ballot_id: int,
                data: RankingFormBody) -> Redirect:
    lottery_of(request, key)
    perform(request, cast_vote, ballot_id, data.places(), now_of(request),
            account_id=signed_in(request).id)
    return Redirect(f"/jury/{key}/ballots/{ballot_id}?saved=1")


# -- what is published with every draw --------------------------------------------------------


@get("/draws/{draw_id:int}/pool.csv", name="draw_pool", sync_to_thread=True)
def draw_pool(request: AnyRequest, draw_id: int) -> Response[str]:
    return _csv(perform(request, draw_pool_csv, draw_id), f"draw-{draw_id}-pool.csv")


@get("/draws/{draw_id:int}/quotas.csv", name="draw_quotas", sync_to_thread=True)
def draw_quotas(request: AnyRequest, draw_id: int) -> Response[str]:
    return _csv(perform(request, draw_quotas_csv, draw_id), f"draw-{draw_id}-quotas.csv")


router = Router(
    path="/",
    route_handlers=[
        Router(path="/", guards=[require("public")], route_handlers=[volunteer_page,
                                                                     volunteer_form]),
        Router(path="/", guards=[require("public", "member")],
               route_handlers=[my_volunteering, withdraw, answer_invitation]),
        Router(path="/", guards=[require("administrator")],
               route_handlers=[officer, pool_import, seed, draw, letter_answer, letters]),
        Router(path="/", guards=[require("member")], route_handlers=[ballot_vote]),
        draw_pool, draw_quotas, ballot,
    ],
    tags=["pages (HTML forms)"],
)
