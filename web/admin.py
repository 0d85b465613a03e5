"""Election administrators and panel officers: upload ballots and count them (rule, seed),
the round-by-round table and chart, downloads, re-running a published count; upload a pool and
quotas and draw a panel with a public seed.  Published counts and draws are public pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from chamber import records
from chamber.voting import VotingError
from electoral.errors import BallotFileError
from electoral.result import result_from_dict
from electoral.rules import RULES
from web.charts import probabilities_chart, stages_chart
from web.deps import engine_of, now_of, require
from web.public import page

GUARD = [require("administrator")]
MAX_UPLOAD = 50 * 1024 * 1024


@dataclass
class CountForm:
    ballots: UploadFile
    rule: str = "scottish"
    seed: str = ""
    seats: str = ""
    title: str = ""


@dataclass
class DrawForm:
    pool: UploadFile
    quotas: UploadFile
    size: str = ""
    seed: str = ""
    method: str = "leximin"


def _text(upload: UploadFile) -> str:
    data = upload.file.read()
    if len(data) > MAX_UPLOAD:
        raise BallotFileError(upload.filename, None, "the file is larger than 50 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BallotFileError(upload.filename, None, f"not UTF-8 text ({exc.reason})") from None


@get("/admin", name="admin", guards=GUARD, sync_to_thread=True)
def admin_home(request: Request[Any, Any, Any]) -> Template:
    return page(
        "admin.html",
        request,
        rules=list(RULES),
        elections=records.elections(engine_of(request)),
        draws=records.draws(engine_of(request)),
    )


@post(
    "/admin/counts",
    name="run_count",
    guards=GUARD,
    request_max_body_size=MAX_UPLOAD + 65536,
    sync_to_thread=True,
)
def run_count(
    request: Request[Any, Any, Any],
    data: Annotated[CountForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    text = _text(data.ballots)
    seats = int(data.seats) if data.seats.strip().isdigit() else None
    if not data.seed.strip():
        raise VotingError("announce a seed before the count (any text, e.g. lottery numbers)")
    election_id = records.count_election(
        engine_of(request),
        data.title.strip() or data.ballots.filename,
        data.ballots.filename,
        text,
        rule=data.rule,
        seed=data.seed.strip(),
        seats=seats,
        now=now_of(request),
    )
    return Redirect(f"/elections/{election_id}")


@get("/elections/{election_id:int}", name="election", sync_to_thread=True)
def election(request: Request[Any, Any, Any], election_id: int) -> Template:
    e = records.election(engine_of(request), election_id)
    return page(
        "election.html",
        request,
        e=e,
        r=e["result"],
        chart=stages_chart(e["result"]),
        verified=request.query_params.get("verified"),
    )


@get("/elections/{election_id:int}/result.json", name="election_json", sync_to_thread=True)
def election_json(request: Request[Any, Any, Any], election_id: int) -> Response[Any]:
    e = records.election(engine_of(request), election_id)
    return Response(
        e["result"],
        headers={"Content-Disposition": f'attachment; filename="election-{election_id}.json"'},
    )


@get("/elections/{election_id:int}/{name:str}", name="election_csv", sync_to_thread=True)
def election_csv(request: Request[Any, Any, Any], election_id: int, name: str) -> Response[str]:
    """``stages.csv`` or ``transfers.csv``."""
    table = name.removesuffix(".csv")
    result = result_from_dict(records.election(engine_of(request), election_id)["result"])
    if table not in ("stages", "transfers") or not name.endswith(".csv"):
        raise VotingError(f"no table {table!r}: stages or transfers")
    body = result.stages_csv() if table == "stages" else result.transfers_csv()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="election-{election_id}-{table}.csv"'
        },
    )


@post("/elections/{election_id:int}/verify", name="verify_election", sync_to_thread=True)
def verify_election(request: Request[Any, Any, Any], election_id: int) -> Template:
    problems = records.verify_election(engine_of(request), election_id)
    e = records.election(engine_of(request), election_id)
    return page(
        "election.html",
        request,
        e=e,
        r=e["result"],
        chart=stages_chart(e["result"]),
        problems=problems,
        verified="1",
    )


@post(
    "/admin/draws",
    name="run_draw",
    guards=GUARD,
    request_max_body_size=2 * MAX_UPLOAD,
    sync_to_thread=True,
)
def run_draw(
    request: Request[Any, Any, Any],
    data: Annotated[DrawForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    if not data.size.strip().isdigit() or int(data.size) < 1:
        raise VotingError("the panel size must be a whole number of people")
    if not data.seed.strip():
        raise VotingError("announce a seed before the draw (any text, e.g. lottery numbers)")
    draw_id = records.run_panel_draw(
        engine_of(request),
        data.pool.filename,
        _text(data.pool),
        data.quotas.filename,
        _text(data.quotas),
        size=int(data.size),
        seed=data.seed.strip(),
        method=data.method,
        now=now_of(request),
    )
    return Redirect(f"/draws/{draw_id}")


@get("/draws/{draw_id:int}", name="draw", sync_to_thread=True)
def draw(request: Request[Any, Any, Any], draw_id: int) -> Template:
    d = records.draw_record(engine_of(request), draw_id)
    record = d["record"]
    chart = probabilities_chart(record.get("probabilities", {}))
    return page("draw.html", request, d=d, r=record, chart=chart)


@get("/draws/{draw_id:int}/record.json", name="draw_json", sync_to_thread=True)
def draw_json(request: Request[Any, Any, Any], draw_id: int) -> Response[Any]:
    return Response(
        records.draw_record(engine_of(request), draw_id)["record"],
        headers={"Content-Disposition": f'attachment; filename="draw-{draw_id}.json"'},
    )


router = Router(
    path="/",
    route_handlers=[
        admin_home,
        run_count,
        election,
        election_json,
        election_csv,
        verify_election,
        run_draw,
        draw,
        draw_json,
    ],
)
