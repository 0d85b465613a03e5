"""The JSON API: the same services as the pages, with an OpenAPI schema at /schema.

Sign in with POST /api/session; unsafe methods need the CSRF token (cookie ``csrftoken``, sent
back in the ``x-csrftoken`` header), as the pages do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, Router, delete, get, post, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from chamber import accounts, institution, records
from chamber.divisions import services as divisions
from web import deps
from web.deps import engine_of, now_of, require, session_for, signed_in


@dataclass
class Credentials:
    username: str
    password: str


@dataclass
class VoteIn:
    option: str
    idempotency_key: str | None = None


@dataclass
class ProxyIn:
    proxy: str
    division: int | None = None


@dataclass
class Receipt:
    receipt: str
    division: int


@post("/session", status_code=HTTP_200_OK, opt={"login_limited": True}, sync_to_thread=True)
def sign_in(request: Request[Any, Any, Any], data: JSONBody[Credentials]) -> dict[str, object]:
    user = accounts.authenticate(engine_of(request), data.username, data.password)
    request.set_session(session_for(user))
    return {"username": user.username, "role": user.role}


@delete("/session", status_code=HTTP_200_OK, sync_to_thread=True)
def sign_out(request: Request[Any, Any, Any]) -> dict[str, str]:
    request.clear_session()
    return {"status": "signed out"}


@get("/divisions", sync_to_thread=True)
def list_divisions(request: Request[Any, Any, Any]) -> list[dict[str, object]]:
    return divisions.list_divisions(engine_of(request), 200)


@get("/divisions/{division_id:int}", sync_to_thread=True)
def get_division(request: Request[Any, Any, Any], division_id: int) -> dict[str, object]:
    return divisions.division_view(engine_of(request), division_id, now_of(request))


@post(
    "/divisions/{division_id:int}/votes",
    guards=[require("public")],
    opt={"rate_limited": True},
)
async def cast_vote(
    request: Request[Any, Any, Any], division_id: int, data: JSONBody[VoteIn]
) -> Receipt:
    token = await deps.cast_vote(request, division_id, data.option, data.idempotency_key)
    return Receipt(token, division_id)


@get("/divisions/{division_id:int}/my-delegation", guards=[require("public")], sync_to_thread=True)
def my_delegation(request: Request[Any, Any, Any], division_id: int) -> dict[str, object]:
    user = signed_in(request)
    assert user.voter is not None
    return divisions.delegation_status(engine_of(request), user.voter, division_id)


@get("/receipts/{token:str}", sync_to_thread=True)
def receipt(request: Request[Any, Any, Any], token: str) -> dict[str, object]:
    return divisions.receipt_status(engine_of(request), token)


@get("/proxy", guards=[require("public")], sync_to_thread=True)
def get_proxy(request: Request[Any, Any, Any], division: int | None = None) -> dict[str, object]:
    user = signed_in(request)
    assert user.voter is not None
    return {
        "proxy": divisions.my_proxy(engine_of(request), user.voter, now_of(request), division),
        "division": division,
    }


@put("/proxy", guards=[require("public")], opt={"rate_limited": True}, sync_to_thread=True)
def set_proxy(request: Request[Any, Any, Any], data: JSONBody[ProxyIn]) -> dict[str, object]:
    user = signed_in(request)
    assert user.voter is not None
    divisions.appoint_proxy(
        engine_of(request), user.voter, data.proxy, now_of(request), data.division
    )
    return {"proxy": data.proxy, "division": data.division}


@delete(
    "/proxy",
    guards=[require("public")],
    status_code=HTTP_200_OK,
    opt={"rate_limited": True},
    sync_to_thread=True,
)
def revoke_proxy(request: Request[Any, Any, Any], division: int | None = None) -> dict[str, object]:
    user = signed_in(request)
    assert user.voter is not None
    divisions.revoke_proxy(engine_of(request), user.voter, now_of(request), division)
    return {"proxy": None, "division": division}


@get("/sittings", sync_to_thread=True)
def list_sittings(
    request: Request[Any, Any, Any], week: date | None = None
) -> list[dict[str, object]]:
    _, found = institution.sittings_of_week(engine_of(request), week or now_of(request).date())
    return [
        {
            "id": s.id,
            "starts_at": institution.utc(s.starts_at).isoformat(),
            "ends_at": institution.utc(s.ends_at).isoformat(),
            "urgent_only": s.urgent_only,
        }
        for s in found
    ]


@get("/sittings/{sitting_id:int}", sync_to_thread=True)
def get_sitting(request: Request[Any, Any, Any], sitting_id: int) -> dict[str, object]:
    return institution.sitting_view(engine_of(request), sitting_id)


@get("/me/rota", guards=[require("member")], sync_to_thread=True)
def get_my_rota(request: Request[Any, Any, Any]) -> dict[str, object]:
    user = signed_in(request)
    assert user.member_id is not None
    return institution.member_rota_view(engine_of(request), user.member_id, now_of(request))


@get("/elections/{election_id:int}", sync_to_thread=True)
def get_election(request: Request[Any, Any, Any], election_id: int) -> dict[str, Any]:
    return records.election(engine_of(request), election_id)


@get("/draws/{draw_id:int}", sync_to_thread=True)
def get_draw(request: Request[Any, Any, Any], draw_id: int) -> dict[str, Any]:
    return records.draw_record(engine_of(request), draw_id)


router = Router(
    path="/api",
    route_handlers=[
        sign_in,
        sign_out,
        list_divisions,
        get_division,
        cast_vote,
        my_delegation,
        receipt,
        get_proxy,
        set_proxy,
        revoke_proxy,
        list_sittings,
        get_sitting,
        get_my_rota,
        get_election,
        get_draw,
    ],
)
