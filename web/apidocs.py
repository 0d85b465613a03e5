"""The API's documentation at /schema: Swagger UI from our own /static (pinned, installed with
the project like htmx, see the Makefile), started by a static script, so the page makes no
request beyond this server and needs no inline script.  Without the assets installed, the page
says so and links the raw OpenAPI document."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

VENDOR = Path(__file__).parent / "static" / "vendor" / "swagger-ui"
FAVICON = "<link rel='icon' href='/static/favicon.svg' type='image/svg+xml'>"


class ApiDocs(OpenAPIRenderPlugin):
    """Swagger UI over ``/schema/openapi.json``, every asset served from /static."""

    def __init__(self, *, path: str | list[str] = "/") -> None:
        super().__init__(path=path, favicon=FAVICON, style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        if (VENDOR / "swagger-ui-bundle.js").exists():
            body = (
                "<div id='api'></div>"
                "<script src='/static/vendor/swagger-ui/swagger-ui-bundle.js'></script>"
                "<script src='/static/api-docs.js'></script>"
            )
            css = "<link rel='stylesheet' href='/static/vendor/swagger-ui/swagger-ui.css'>"
        else:
            body = (
                "<p>The interactive documentation is not installed on this server "
                "(<code>make</code> installs it). The API is described by "
                "<a href='/schema/openapi.json'>its OpenAPI document</a>.</p>"
            )
            css = ""
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{title} · API</title>{self.favicon}{css}"
            "<link rel='stylesheet' href='/static/style.css'></head><body class='api-docs'>"
            f"<p class='api-back'><a href='/'>← {title}</a> · "
            "<a href='/schema/openapi.json'>OpenAPI (JSON)</a></p>"
            f"{body}</body></html>"
        )
        return page.encode()
