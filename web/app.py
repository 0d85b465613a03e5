"""The Litestar application: pages and the JSON API over `chamber` services.  The scheduler of
the deployment starts in the app's lifespan (one per deployment: see `chamber.jobs`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from sqlalchemy.engine import Engine

from chamber import jobs
from chamber.db import make_engine, upgrade
from chamber.divisions import services as divisions
from chamber.voting import VotingError

TEMPLATES = Path(__file__).parent / "templates"


def _engine(request: Request[Any, Any, Any]) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Template:
    return Template("home.html", context={"divisions": divisions.list_divisions(_engine(request))})


@get("/divisions/{division_id:int}", name="division")
async def division_page(request: Request[Any, Any, Any], division_id: int) -> Template:
    view = divisions.division_view(_engine(request), division_id)
    return Template("division.html", context={"d": view})


@get("/api/divisions/{division_id:int}", name="api_division")
async def division_api(request: Request[Any, Any, Any], division_id: int) -> dict[str, object]:
    return divisions.division_view(_engine(request), division_id)


@get("/health", name="health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def domain_error(request: Request[Any, Any, Any], exc: ValueError) -> Response[Any]:
    """The one place where the domain's refusals become HTTP: 404 for what does not exist,
    409 for the rest, with the human message."""
    status = 404 if str(exc).startswith("no ") else 409
    if request.url.path.startswith("/api/"):
        return Response({"error": str(exc)}, status_code=status)
    return Template("error.html", context={"message": str(exc)}, status_code=status)  # type: ignore[return-value]


def create_app(engine: Engine | None = None, *, scheduler: bool = True) -> Litestar:
    engine = engine or make_engine()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        upgrade(engine)
        running = jobs.start_scheduler(engine) if scheduler else None
        try:
            yield
        finally:
            if running is not None:
                running.shutdown()

    app = Litestar(
        route_handlers=[home, division_page, division_api, health],
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
        exception_handlers={VotingError: domain_error},
        lifespan=[lifespan],
    )
    app.state.engine = engine
    return app
