"""The Speaker's page, for the Speaker and the deputy speakers (who act for the Speaker): who
chairs each sitting, and inviting a member who is not rostered to attend a sitting, without a
vote, for business on the agenda, a specific contribution, or a committee that is meeting."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.response import Redirect, Template

from chamber.business.rules import INVITATION_REASONS
from chamber.business.services import invite
from chamber.officers.speaker import speaker_desk, take_chair
from web.deps import AnyRequest, holds, member_of, now_of, perform, transaction
from web.public import page
from web.schemas import ChairFormBody, InvitationFormBody


@get("/speaker", name="speaker", sync_to_thread=True)
def speaker_home(request: AnyRequest) -> Template:
    with transaction(request) as session:
        desk = speaker_desk(session, member_of(request), now_of(request))
    return page("speaker.html", request, desk=desk, sittings=[c.sitting for c in desk.sittings],
                reasons=INVITATION_REASONS)


@post("/speaker/invitations", name="invite", sync_to_thread=True)
def invitation(request: AnyRequest, data: InvitationFormBody) -> Redirect:
    perform(
        request, invite, data.sitting, data.member.strip(), data.reason, data.detail,
        by=member_of(request), now=now_of(request),
    )
    return Redirect(f"/sittings/{data.sitting}?invited=1")


@post("/speaker/chair", name="take_chair", sync_to_thread=True)
def chair(request: AnyRequest, data: ChairFormBody) -> Redirect:
    perform(request, take_chair, data.sitting, data.chair.strip(), by=member_of(request),
            now=now_of(request))
    return Redirect(f"/sittings/{data.sitting}?chair=1")


router = Router(path="/", guards=[holds("invite members")],
                route_handlers=[speaker_home, invitation, chair])
