"""/published: every count, draw and route step published, with its downloads, so that anyone
can run it again (`chamber.published`)."""

from __future__ import annotations

from typing import Annotated

from litestar import Router, get
from litestar.params import Parameter
from litestar.response import Template

from chamber.published import KINDS, published
from web.deps import AnyRequest, perform
from web.public import page


@get("/published", name="published", sync_to_thread=True)
def published_page(
    request: AnyRequest,
    q: Annotated[str, Parameter(max_length=200)] = "",
    kind: Annotated[str, Parameter(max_length=16)] = "",
    page_number: Annotated[int, Parameter(query="page", ge=1, le=1_000_000)] = 1,
) -> Template:
    found = perform(request, published, query=q, kind=kind, page=page_number)
    return page("published.html", request, p=found, kinds=KINDS)


router = Router(path="/", tags=["pages (HTML forms)"], route_handlers=[published_page])
