"""The public record and help: /records finds every published count, draw and division by
words; /help says what each kind of user can do here and where the guides are."""

from __future__ import annotations

from typing import Annotated

from litestar import Router, get
from litestar.params import Parameter
from litestar.response import Template

from chamber.records import member_record, search_records
from web.deps import AnyRequest, perform
from web.public import page


@get("/records", name="records", sync_to_thread=True)
def records(request: AnyRequest, q: str = "") -> Template:
    """Published counts, draws and divisions, newest first; ``q`` keeps those with every word."""
    query = q[:200]
    return page("records.html", request, r=perform(request, search_records, query), q=query)


MemberId = Annotated[str, Parameter(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]


@get("/members/{member_id:str}", name="member_record", sync_to_thread=True)
def member_page(request: AnyRequest, member_id: MemberId) -> Template:
    """A member's public record: seat and term, sittings, votes, speeches."""
    return page("member.html", request, m=perform(request, member_record, member_id))


@get("/help", name="help", sync_to_thread=True)
def help_page(request: AnyRequest) -> Template:
    return page("help.html", request)


router = Router(
    path="/", route_handlers=[records, member_page, help_page], tags=["pages (HTML forms)"]
)
