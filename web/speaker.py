"""The Speaker's page: invite a member who is not rostered to attend a sitting, without a vote,
for business on the agenda, a specific contribution, or a committee that is meeting."""

from __future__ import annotations

from datetime import timedelta

from litestar import Router, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template

from chamber.business.rules import INVITATION_REASONS
from chamber.business.services import SPEAKERS, invite
from chamber.db import transaction as unit_of_work
from chamber.membership.services import member
from chamber.sittings.services import sittings_between
from web.deps import (
    AnyRequest,
    Connection,
    engine_of,
    now_of,
    perform,
    require,
    signed_in,
    transaction,
)
from web.public import page
from web.schemas import InvitationFormBody


async def speaker_only(connection: Connection, handler: BaseRouteHandler) -> None:
    """A member account whose member is the Speaker or a deputy speaker."""
    await require("member")(connection, handler)
    user = signed_in(connection)
    assert user.member_id is not None
    with unit_of_work(engine_of(connection), write=False) as session:
        role = member(session, user.member_id).role
    if role not in SPEAKERS:
        raise PermissionDeniedException("this is for the Speaker and the deputy speakers")


@get("/speaker", name="speaker", sync_to_thread=True)
def speaker_home(request: AnyRequest) -> Template:
    now = now_of(request)
    with transaction(request) as session:
        upcoming = sittings_between(session, now - timedelta(hours=8), now + timedelta(days=42))
    return page("speaker.html", request, sittings=upcoming, reasons=INVITATION_REASONS)


@post("/speaker/invitations", name="invite", sync_to_thread=True)
def invitation(request: AnyRequest, data: InvitationFormBody) -> Redirect:
    user = signed_in(request)
    assert user.member_id is not None
    perform(
        request, invite, data.sitting, data.member.strip(), data.reason, data.detail,
        by=user.member_id, now=now_of(request),
    )
    return Redirect(f"/sittings/{data.sitting}?invited=1")


router = Router(
    path="/", guards=[speaker_only], route_handlers=[speaker_home, invitation],
    tags=["pages (HTML forms)"],
)
