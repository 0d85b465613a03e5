"""The site's own files outside /static that browsers ask for by name."""

from __future__ import annotations

from litestar import get
from litestar.response import Redirect


@get("/favicon.ico", name="favicon", include_in_schema=False, sync_to_thread=False)
def favicon() -> Redirect:
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG in /static."""
    return Redirect("/static/favicon.svg", status_code=301)
