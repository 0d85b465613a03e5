"""The JSON API: the same services as the pages, with typed requests and responses described
by the OpenAPI schema at /schema.

Sign in with POST /api/session; unsafe methods need the CSRF token (cookie ``csrftoken``, sent
back in the ``x-csrftoken`` header), as the pages do.  The token belongs to the session, so it
changes on signing in and out: read the cookie again after either."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Router, delete, get, post, put
from litestar.params import JSONBody, Parameter, QueryParameter
from litestar.status_codes import HTTP_200_OK

from chamber.accounts.services import authenticate
from chamber.audit.checkpoints import CheckpointView, latest_checkpoints
from chamber.business.views import SittingView, sitting_view
from chamber.divisions.proxies import appoint_proxy, my_proxy, my_proxy_code, revoke_proxy
from chamber.divisions.views import (
    Delegation,
    DivisionSummary,
    DivisionView,
    ReceiptStatus,
    delegation_status,
    division_view,
    list_divisions,
    receipt_status,
)
from chamber.elections.views import ElectionRecord, election
from chamber.jury.services import DrawView, draw_record
from chamber.rotas.views import MemberRota, member_rota_view
from chamber.search.services import KINDS, LAST_PAGE, SearchResults, search
from chamber.sittings.services import SittingSummary, week_of
from web import deps
from web.deps import AnyRequest, now_of, perform, require, signed_in
from web.limits import COUNTED_BY_HANDLER
from web.schemas import Credentials, Id, ProxyIn, ProxyOut, Receipt, SignedIn, VoteIn

PUBLIC = [require("public")]


def _voter(request: AnyRequest) -> str:
    user = signed_in(request)
    assert user.voter is not None  # the route's guard made sure
    return user.voter


@post("/session", status_code=HTTP_200_OK, opt={"login_limited": True}, sync_to_thread=True)
def sign_in(request: AnyRequest, data: JSONBody[Credentials]) -> SignedIn:
    user = deps.sign_in(request, authenticate, data.username, data.password)
    return SignedIn(user.username, user.role)


@delete("/session", status_code=HTTP_200_OK, sync_to_thread=True)
def sign_out(request: AnyRequest) -> dict[str, str]:
    deps.sign_out(request)
    return {"status": "signed out"}


@get("/divisions", sync_to_thread=True)
def get_divisions(request: AnyRequest) -> list[DivisionSummary]:
    return perform(request, list_divisions, 200)


@get("/divisions/{division_id:int}", sync_to_thread=True)
def get_division(request: AnyRequest, division_id: int) -> DivisionView:
    return perform(request, division_view, division_id, now_of(request))


@post(
    "/divisions/{division_id:int}/votes", before_request=deps.voter_first(VoteIn),
    opt={"rate_limited": True, COUNTED_BY_HANDLER: True},
)
async def cast_vote(request: AnyRequest, division_id: int, data: JSONBody[VoteIn]) -> Receipt:
    """Cast your public vote (a public voter's account).  Counted against your rate limit,
    signed-in and stored in one step with the votes arriving with it."""
    token = await deps.submit_vote(request, division_id, data.option, data.idempotency_key)
    return Receipt(token, division_id)


@get("/divisions/{division_id:int}/my-delegation", guards=PUBLIC, sync_to_thread=True)
def my_delegation(request: AnyRequest, division_id: int) -> Delegation:
    cap = deps.settings_of(request).proxy_cap
    return perform(request, delegation_status, _voter(request), division_id, cap=cap)


@get("/receipts/{token:str}", sync_to_thread=True)
def receipt(request: AnyRequest, token: str) -> ReceiptStatus:
    return perform(request, receipt_status, token)


def _my_code(request: AnyRequest) -> str | None:
    return perform(request, my_proxy_code, _voter(request))


@get("/audit/checkpoints", sync_to_thread=True)
def get_checkpoints(request: AnyRequest) -> list[CheckpointView]:
    """The latest checkpoints of the audit chain's head, newest first."""
    return perform(request, latest_checkpoints)


@get("/proxy", guards=PUBLIC, sync_to_thread=True)
def get_proxy(request: AnyRequest, division: Id | None = None) -> ProxyOut:
    """Your proxy's code (for a division, or the general one) and your own proxy code."""
    proxy = perform(request, my_proxy, _voter(request), now_of(request), division)
    return ProxyOut(proxy, division, _my_code(request))


@put("/proxy", guards=PUBLIC, opt={"rate_limited": True}, sync_to_thread=True)
def set_proxy(request: AnyRequest, data: JSONBody[ProxyIn]) -> ProxyOut:
    """Appoint the voter whose proxy code this is (they gave it to you)."""
    voter, now = _voter(request), now_of(request)
    perform(request, appoint_proxy, voter, data.proxy_code, now, data.division)
    proxy = perform(request, my_proxy, voter, now, data.division)
    return ProxyOut(proxy, data.division, _my_code(request))


@delete(
    "/proxy", guards=PUBLIC, status_code=HTTP_200_OK, opt={"rate_limited": True},
    sync_to_thread=True,
)
def delete_proxy(request: AnyRequest, division: Id | None = None) -> ProxyOut:
    perform(request, revoke_proxy, _voter(request), now_of(request), division)
    return ProxyOut(None, division, _my_code(request))


@get("/sittings", sync_to_thread=True)
def list_sittings(request: AnyRequest, week: date | None = None) -> list[SittingSummary]:
    return list(perform(request, week_of, week or now_of(request).date()).sittings)


@get("/sittings/{sitting_id:int}", sync_to_thread=True)
def get_sitting(request: AnyRequest, sitting_id: int) -> SittingView:
    return perform(request, sitting_view, sitting_id)


@get("/me/rota", guards=[require("member")], sync_to_thread=True)
def get_my_rota(request: AnyRequest) -> MemberRota:
    user = signed_in(request)
    assert user.member_id is not None
    return perform(request, member_rota_view, user.member_id, now_of(request))


@get("/elections/{election_id:int}", sync_to_thread=True)
def get_election(request: AnyRequest, election_id: int) -> ElectionRecord:
    return perform(request, election, election_id)


@get("/draws/{draw_id:int}", sync_to_thread=True)
def get_draw(request: AnyRequest, draw_id: int) -> DrawView:
    return perform(request, draw_record, draw_id)


@get("/search", sync_to_thread=True)
def get_search(
    request: AnyRequest, q: str = "",
    kinds: Annotated[list[str] | None, QueryParameter(name="kind", max_items=len(KINDS))] = None,
    page: Annotated[int, Parameter(ge=1, le=LAST_PAGE)] = 1,
) -> SearchResults:
    """Debates, speeches and divisions with every word of ``q`` (``kind`` keeps some kinds),
    best first, 20 a page; an empty ``q`` is a 400 naming it."""
    return perform(request, search, q[:200], tuple(kinds or ()), page)


router = Router(
    path="/api",
    tags=["API (JSON)"],
    route_handlers=[
        sign_in, sign_out, get_divisions, get_division, cast_vote, my_delegation, receipt,
        get_proxy, set_proxy, delete_proxy, list_sittings, get_sitting, get_my_rota,
        get_election, get_draw, get_checkpoints, get_search,
    ],
)
