"""Public pages: the sittings calendar, a sitting with its debates and seats, divisions and their
results, voting and proxies for registered members of the public, receipts; and signing in."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Router, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Response, Template

from chamber.accounts.services import account_of, authenticate, claim_account
from chamber.audit.checkpoints import latest_checkpoints
from chamber.business.views import sitting_view
from chamber.clock import LONDON, within_range
from chamber.divisions.follows import follow_division, following, unfollow_division
from chamber.divisions.member_votes import cast_member_vote, member_ballot
from chamber.divisions.proxies import appoint_proxy, revoke_proxy
from chamber.divisions.proxy_views import proxy_page as proxies_of
from chamber.divisions.views import (
    Delegation,
    ReceiptStatus,
    delegation_status,
    division_view,
    divisions_of_sitting,
    divisions_page,
    list_divisions,
    member_votes_csv,
    receipt_status,
)
from chamber.errors import ChamberError, Invalid, Refused
from chamber.notices.services import notices_for
from chamber.register.claims import claim_key, request_code
from chamber.sittings.services import sittings_between, week_of
from web import deps
from web.deps import (
    AnyRequest,
    engine_of,
    now_of,
    perform,
    require,
    settings_of,
    sign_in,
    sign_out,
    signed_in,
    transaction,
    user_of,
)
from web.errors import status_for
from web.schemas import (
    CodeRequestFormBody,
    FollowFormBody,
    LoginFormBody,
    ProxyFormBody,
    RegisterFormBody,
    VoteFormBody,
)

HTMX = (Path(__file__).parent / "static" / "vendor" / "htmx.min.js").exists()


def partial(request: AnyRequest) -> bool:
    """Whether htmx asked for a fragment of a page rather than the whole page."""
    return request.headers.get("hx-request") == "true"


def page(name: str, request: AnyRequest, **context: Any) -> Template:
    return Template(name, context={"user": user_of(request), "htmx": HTMX, **context})


@get("/", name="home", sync_to_thread=True)
def home(request: AnyRequest) -> Template:
    now = now_of(request)
    day_start = datetime.combine(now.date(), time(0), now.tzinfo)
    with transaction(request) as session:
        today = sittings_between(session, day_start, day_start + timedelta(days=1))
        recent = list_divisions(session, 12)
        user = user_of(request)
        notices = notices_for(session, user.id) if user is not None else []
    return page("home.html", request, today=today, now=now, divisions=recent, notices=notices)


@get("/sittings", name="sittings", sync_to_thread=True)
def sittings(request: AnyRequest, week: date | None = None) -> Template:
    """The calendar: a week of sittings, Monday to Saturday."""
    week_view = perform(request, week_of, week or now_of(request).date())
    return page("sittings.html", request, w=week_view)


@get("/sittings/{sitting_id:int}", name="sitting", sync_to_thread=True)
def sitting(request: AnyRequest, sitting_id: int) -> Template:
    with transaction(request) as session:
        view = sitting_view(session, sitting_id)
        found = divisions_of_sitting(session, sitting_id)
    now = now_of(request)
    live = view.sitting.starts_at <= now < view.sitting.ends_at
    return page("sitting.html", request, s=view, divisions=found, live=live)


@get("/divisions", name="divisions", sync_to_thread=True)
def division_list(
    request: AnyRequest, q: str = "", since: date | None = None, until: date | None = None,
    body_key: Annotated[str, Parameter(query="body", max_length=64)] = "",
) -> Template:
    """The divisions, newest first, filtered by words of the question, London dates (from
    ``since`` to ``until``, both days included) and the body that sat."""
    start = None if since is None else _london_midnight(within_range(since, "since"))
    end = None if until is None else _london_midnight(within_range(until, "until")
                                                     + timedelta(days=1))
    found = perform(request, divisions_page, 200, words=q[:200], since=start, until=end,
                    body_key=body_key)
    return page("divisions.html", request, divisions=found.divisions, bodies=found.bodies,
                body=body_key, q=q[:200], since=since, until=until,
                filtered=bool(q.strip() or since or until or body_key))


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON)


@get("/divisions/{division_id:int}/votes.csv", name="division_votes_csv", sync_to_thread=True)
def division_votes_csv(request: AnyRequest, division_id: int) -> Response[str]:
    """The members' votes of a division, by vote, as CSV."""
    return Response(
        perform(request, member_votes_csv, division_id), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition":
                 f'attachment; filename="division-{division_id}-members.csv"'},
    )


def _my_status(request: AnyRequest, division_id: int) -> Delegation | None:
    user = user_of(request)
    if user is None or user.voter is None:
        return None
    cap = settings_of(request).proxy_cap
    return perform(request, delegation_status, user.voter, division_id, cap=cap)


@get("/divisions/{division_id:int}", name="division", sync_to_thread=True)
def division(request: AnyRequest, division_id: int, voted: str | None = None) -> Template:
    """A division: its state and result; for a voter their vote and proxy, for a member
    whether they may vote (rostered in its sitting, while it is open) and their seat's vote."""
    view = perform(request, division_view, division_id, now_of(request))
    user = user_of(request)
    ballot = None
    if user is not None and user.member_id is not None:
        ballot = perform(request, member_ballot, division_id, user.member_id, now_of(request))
    follows = user is not None and user.role == "public" and perform(
        request, following, user.id, division_id
    )
    return page(
        "division.html",
        request,
        d=view,
        status=_my_status(request, division_id),
        ballot=ballot,
        follows=follows,
        followed=request.query_params.get("followed"),
        voted=voted is not None,
        is_open=view.state == "open",  # by the clock, as the service reckons it
        receipt=request.query_params.get("receipt"),
    )


@post(
    "/divisions/{division_id:int}/follow", name="follow_division", guards=[require("public")],
    sync_to_thread=True,
)
def follow(request: AnyRequest, division_id: int, data: FollowFormBody) -> Redirect:
    """Be told (on the site) when a division opens, or stop."""
    user = signed_in(request)
    if data.action == "follow":
        perform(request, follow_division, user.id, division_id, now_of(request))
    else:
        perform(request, unfollow_division, user.id, division_id)
    return Redirect(f"/divisions/{division_id}?followed={data.action}")


@get("/divisions/{division_id:int}/live", name="division_live", sync_to_thread=True)
def division_live(request: AnyRequest, division_id: int) -> Template:
    """The status, result and the signed-in voter's part of a division's page (htmx refreshes
    it every 10 s and after a vote)."""
    return page(
        "_division_live.html",
        request,
        d=perform(request, division_view, division_id, now_of(request)),
        status=_my_status(request, division_id),
    )


@post(
    "/divisions/{division_id:int}/vote",
    name="vote",
    guards=[require("public")],
    opt={"rate_limited": True},
)
async def vote(request: AnyRequest, division_id: int, data: VoteFormBody) -> Template:
    token = await deps.cast_vote(request, division_id, data.option, data.idempotency_key)
    status = await _receipt_status(request, token)
    return page(
        "_receipt.html" if partial(request) else "receipt.html",
        request,
        receipt=token,
        division_id=division_id,
        status=status,
        option=data.option,
    )


async def _receipt_status(request: AnyRequest, token: str) -> ReceiptStatus:
    return await asyncio.to_thread(perform, request, receipt_status, token)


@post(
    "/divisions/{division_id:int}/member-vote",
    name="member_vote",
    guards=[require("member")],
    opt={"rate_limited": True},
    sync_to_thread=True,
)
def member_vote(request: AnyRequest, division_id: int, data: VoteFormBody) -> Redirect:
    user = signed_in(request)
    assert user.member_id is not None
    perform(request, cast_member_vote, division_id, user.member_id, data.option, now_of(request))
    return Redirect(f"/divisions/{division_id}?voted=1")


@get("/receipts", name="receipts", sync_to_thread=True)
def receipts(request: AnyRequest, receipt: str | None = None) -> Template:
    status = perform(request, receipt_status, receipt.strip()) if receipt else None
    return page("receipts.html", request, receipt=receipt, status=status)


@get("/audit", name="audit", sync_to_thread=True)
def audit(request: AnyRequest) -> Template:
    """The latest checkpoints of the audit chain's head, for anyone to copy and check later
    (`chamber audit verify --head HASH`)."""
    return page("audit.html", request, checkpoints=perform(request, latest_checkpoints))


SAVED = {
    "appointed": "Your proxy is appointed.",
    "revoked": "Your proxy is revoked: you vote for yourself there unless you appoint another.",
}


@get("/proxy", name="proxy", guards=[require("public")], sync_to_thread=True)
def proxy_page(request: AnyRequest, saved: str | None = None) -> Template:
    """The voter's proxies in force (general and per division), each with how many votes that
    proxy carries against the cap, their own proxy code, and how many appoint them."""
    user = signed_in(request)
    assert user.voter is not None
    cap = settings_of(request).proxy_cap
    with transaction(request) as session:
        mine = proxies_of(session, user.voter, now_of(request), cap)
        open_divisions = [d for d in list_divisions(session) if d.status != "closed"]
    return page(
        "proxy.html", request, p=mine, open_divisions=open_divisions,
        saved=SAVED.get(saved or ""),
    )


@post(
    "/proxy",
    name="proxy_change",
    guards=[require("public")],
    opt={"rate_limited": True},
    sync_to_thread=True,
)
def proxy_change(request: AnyRequest, data: ProxyFormBody) -> Redirect:
    user = signed_in(request)
    assert user.voter is not None
    division_id = data.division or None
    if data.action == "revoke":
        perform(request, revoke_proxy, user.voter, now_of(request), division_id)
        return Redirect("/proxy?saved=revoked")
    perform(request, appoint_proxy, user.voter, data.proxy_code, now_of(request), division_id)
    return Redirect("/proxy?saved=appointed")


@get("/login", name="login_page", sync_to_thread=True)
def login_page(request: AnyRequest, next: str = "/") -> Template:
    return page("login.html", request, next=next if next.startswith("/") else "/")


def _local(target: str) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@post("/login", name="login", opt={"login_limited": True}, sync_to_thread=True)
def login(request: AnyRequest, data: LoginFormBody) -> Redirect:
    sign_in(request, authenticate, data.username, data.password)
    return Redirect(_local(data.next))


@post("/logout", name="logout", sync_to_thread=True)
def logout(request: AnyRequest) -> Redirect:
    sign_out(request)
    return Redirect("/")


@get("/register", name="register_page", sync_to_thread=True)
def register_page(request: AnyRequest, next: str = "/", sent: str = "") -> Template:
    return page("register.html", request, next=_local(next), sent=bool(sent), form={}, step=0)


def _register_again(
    request: AnyRequest, exc: ChamberError, next: str, step: int, form: dict[str, str]
) -> Template:
    """The register page again, with the refusal beside the step and what was typed (never
    the passwords)."""
    response = page("register.html", request, next=_local(next), sent=False, form=form,
                    step=step, error=str(exc))
    response.status_code = status_for(exc)
    return response


@post("/register/code", name="register_code", opt={"login_limited": True}, sync_to_thread=True)
def register_code(request: AnyRequest, data: CodeRequestFormBody) -> Redirect | Template:
    """Step 1: ask for a code.  The answer is the same whoever is named (or no one)."""
    config = settings_of(request)
    try:
        perform(
            request, request_code, data.elector, data.postcode, data.born, now_of(request),
            key=claim_key(engine_of(request)), days=config.code_days, attempts=config.code_attempts,
        )
    except Invalid as exc:  # a malformed postcode or date (it says nothing of anyone)
        form = {"elector": data.elector, "postcode": data.postcode, "born": data.born}
        return _register_again(request, exc, data.next, 1, form)
    return Redirect(f"/register?sent=1&next={quote(_local(data.next))}")


@post("/register", name="register", opt={"login_limited": True}, sync_to_thread=True)
def register(request: AnyRequest, data: RegisterFormBody) -> Redirect | Template:
    """Step 2: claim the account with the code, choosing a username and password (members
    and staff get accounts from an administrator)."""
    form = {"elector": data.elector, "code": data.code, "username": data.username}
    try:
        if data.password != data.confirm:
            raise Invalid("confirm: the two passwords differ")
        claim = perform(
            request, claim_account, data.elector, data.code, data.username, data.password,
            now_of(request), key=claim_key(engine_of(request)),
        )
        if claim.user is None:  # the wrong try is stored; now say so
            raise Refused(claim.problem or "not claimed")
    except ChamberError as exc:
        return _register_again(request, exc, data.next, 2, form)
    sign_in(request, account_of, claim.user.id)  # the claim (or a wrong try) is already stored
    return Redirect(_local(data.next))


router = Router(
    path="/",
    tags=["pages (HTML forms)"],  # in /schema beside the API, so the fuzz test reaches them
    route_handlers=[
        home, division_live, sittings, sitting, division_list, division, vote, member_vote,
        division_votes_csv, follow, receipts, audit, proxy_page, proxy_change, login_page, login,
        logout, register_page, register_code, register,
    ],
)
