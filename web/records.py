"""The public record and help: /records finds every published count, draw and division by
words; /help says what each kind of user can do here and where the guides are."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from chamber.records import search_records
from web.deps import AnyRequest, perform
from web.public import page


@get("/records", name="records", sync_to_thread=True)
def records(request: AnyRequest, q: str = "") -> Template:
    """Published counts, draws and divisions, newest first; ``q`` keeps those with every word."""
    query = q[:200]
    return page("records.html", request, r=perform(request, search_records, query), q=query)


@get("/help", name="help", sync_to_thread=True)
def help_page(request: AnyRequest) -> Template:
    return page("help.html", request)


router = Router(path="/", route_handlers=[records, help_page], tags=["pages (HTML forms)"])
