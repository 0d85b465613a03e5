"""Election administrators and panel officers: upload ballots and count them (rule, seed),
the round-by-round table and chart, downloads, re-running a published count; upload a pool and
quotas and draw a panel with a public seed.  Published counts and draws are public pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from litestar import Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from msgspec import Meta

from chamber.elections.services import count_election, verify_election
from chamber.elections.views import election as election_record
from chamber.elections.views import election_ballots, elections
from chamber.errors import Invalid, NotFound
from chamber.jury.services import draw_record, draws, run_panel_draw
from electoral.errors import BallotFileError
from electoral.result import result_from_dict
from electoral.rules import RULES
from web.charts import probabilities_chart, stages_chart, transfers_chart
from web.deps import AnyRequest, now_of, perform, require, transaction
from web.public import page

MAX_UPLOAD = 50 * 1024 * 1024
Seats = Annotated[int, Meta(ge=1, le=10_000)] | Literal[""]
Size = Annotated[int, Meta(ge=1, le=100_000)]


@dataclass
class CountForm:
    ballots: UploadFile
    rule: str = "scottish"
    seed: Annotated[str, Meta(max_length=500)] = ""
    seats: Seats = ""
    title: Annotated[str, Meta(max_length=500)] = ""


@dataclass
class DrawForm:
    pool: UploadFile
    quotas: UploadFile
    size: Size
    seed: Annotated[str, Meta(max_length=500)] = ""
    method: Literal["leximin", "legacy"] = "leximin"


def _text(upload: UploadFile) -> str:
    data = upload.file.read()
    if len(data) > MAX_UPLOAD:
        raise BallotFileError(upload.filename, None, "the file is larger than 50 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BallotFileError(upload.filename, None, f"not UTF-8 text ({exc.reason})") from None


def _seed(seed: str, what: str) -> str:
    if not seed.strip():
        raise Invalid(f"announce a seed before the {what} (any text, e.g. lottery numbers)")
    return seed.strip()


@get("/admin", name="admin", guards=[require("administrator")], sync_to_thread=True)
def admin_home(request: AnyRequest) -> Template:
    with transaction(request) as session:
        counts, stored = elections(session), draws(session)
    return page("admin.html", request, rules=list(RULES), elections=counts, draws=stored,
                lotteries=list(request.app.state.lotteries))


@post(
    "/admin/counts",
    name="run_count",
    guards=[require("administrator")],
    request_max_body_size=MAX_UPLOAD + 65536,
    sync_to_thread=True,
)
def run_count(
    request: AnyRequest,
    data: Annotated[CountForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    election_id = perform(
        request, count_election,
        data.title.strip() or data.ballots.filename, data.ballots.filename, _text(data.ballots),
        rule=data.rule, seed=_seed(data.seed, "count"), seats=data.seats or None,
        now=now_of(request),
    )
    return Redirect(f"/elections/{election_id}")


def _election_page(request: AnyRequest, election_id: int, **extra: Any) -> Template:
    e = perform(request, election_record, election_id)
    return page(
        "election.html", request, e=e, r=e.result, chart=stages_chart(e.result),
        sankey=transfers_chart(e.result), **extra,
    )


@get("/elections/{election_id:int}", name="election", sync_to_thread=True)
def election(request: AnyRequest, election_id: int) -> Template:
    return _election_page(request, election_id, verified=request.query_params.get("verified"))


@get("/elections/{election_id:int}/result.json", name="election_json", sync_to_thread=True)
def election_json(request: AnyRequest, election_id: int) -> Response[Any]:
    return Response(
        perform(request, election_record, election_id).result,
        headers={"Content-Disposition": f'attachment; filename="election-{election_id}.json"'},
    )


@get("/elections/{election_id:int}/{name:str}", name="election_csv", sync_to_thread=True)
def election_csv(request: AnyRequest, election_id: int, name: str) -> Response[str]:
    """``stages.csv`` or ``transfers.csv``; ``ballots``: the ballot file as counted."""
    if name == "ballots":
        source, text = perform(request, election_ballots, election_id)
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in source) or "ballots"
        return Response(text, media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{safe}"'})
    table = name.removesuffix(".csv")
    if table not in ("stages", "transfers") or not name.endswith(".csv"):
        raise NotFound(f"no table {table!r}: stages or transfers")
    result = result_from_dict(perform(request, election_record, election_id).result)
    body = result.stages_csv() if table == "stages" else result.transfers_csv()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="election-{election_id}-{table}.csv"'
        },
    )


@post("/elections/{election_id:int}/verify", name="verify_election", sync_to_thread=True)
def verify(request: AnyRequest, election_id: int) -> Template:
    problems = perform(request, verify_election, election_id)
    return _election_page(request, election_id, problems=problems, verified="1")


@post(
    "/admin/draws",
    name="run_draw",
    guards=[require("administrator")],
    request_max_body_size=2 * MAX_UPLOAD,
    sync_to_thread=True,
)
def run_draw(
    request: AnyRequest,
    data: Annotated[DrawForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    draw_id = perform(
        request, run_panel_draw,
        data.pool.filename, _text(data.pool), data.quotas.filename, _text(data.quotas),
        size=data.size, seed=_seed(data.seed, "draw"), method=data.method, now=now_of(request),
    )
    return Redirect(f"/draws/{draw_id}")


@get("/draws/{draw_id:int}", name="draw", sync_to_thread=True)
def draw(request: AnyRequest, draw_id: int) -> Template:
    d = perform(request, draw_record, draw_id)
    chart = probabilities_chart(d.record.get("probabilities", {}))
    return page("draw.html", request, d=d, r=d.record, chart=chart)


@get("/draws/{draw_id:int}/record.json", name="draw_json", sync_to_thread=True)
def draw_json(request: AnyRequest, draw_id: int) -> Response[Any]:
    return Response(
        perform(request, draw_record, draw_id).record,
        headers={"Content-Disposition": f'attachment; filename="draw-{draw_id}.json"'},
    )


router = Router(
    path="/",
    tags=["pages (HTML forms)"],  # in /schema beside the API, so the fuzz test reaches them
    route_handlers=[
        admin_home, run_count, election, election_json, election_csv, verify, run_draw, draw,
        draw_json,
    ],
)
