"""The Litestar application: pages (Jinja2) and the JSON API (OpenAPI at /schema) over the
`chamber` services.  Sessions are kept in the database and the cookie carries only their token;
every unsafe request needs the CSRF token bound to the session (`web.sessions`); voting and
signing in are rate-limited per client across every server on the database (`web.limits`);
every response carries the security headers (`web.headers`); errors from the domain become HTTP
in `web.errors`.  The deployment's scheduler starts in the app's lifespan (one per deployment:
`chamber.jobs`)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from litestar import Litestar
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Tag
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy.engine import Engine

from chamber import jobs
from chamber.audit.keys import audit_key
from chamber.clock import describe, london
from chamber.clock import now as utcnow
from chamber.db import make_engine, upgrade
from chamber.intake.services import VoteIntake
from chamber.jury.lottery import LOTTERIES, Lottery
from chamber.keys import deployment_secret
from chamber.limits.services import SharedLimits
from chamber.settings import Settings, settings
from web import (
    admin,
    api,
    appointments,
    assets,
    clerk,
    experts,
    jury,
    members,
    officers,
    panels,
    public,
    published,
    records,
    register,
    routes_admin,
    search,
    seats,
    speaker,
)
from web.apidocs import ApiDocs
from web.deps import preload_users
from web.errors import EXCEPTION_HANDLERS
from web.headers import security_headers
from web.limits import Limit, RateLimits
from web.sessions import Sessions

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def _moment(value: datetime | str) -> datetime:
    return london(datetime.fromisoformat(value) if isinstance(value, str) else value)


def when(value: datetime | str | None) -> str:
    """``Mon 01 Mar 2027 08:00 GMT``: London wall time with its zone (BST in summer)."""
    return describe(_moment(value)) if value else ""


def clock(value: datetime | str | None) -> str:
    """``08:00``, London wall time."""
    return _moment(value).strftime("%H:%M") if value else ""


def local_input(value: datetime | None) -> str:
    """A time as a ``datetime-local`` input's value: London wall time to the minute."""
    return _moment(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _filters(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update(when=when, clock=clock, local_input=local_input)


def create_app(
    engine: Engine | None = None,
    *,
    scheduler: bool = True,
    clock: Callable[[], datetime] = utcnow,
    config: Settings | None = None,
    lotteries: Mapping[str, Lottery] = LOTTERIES,
) -> Litestar:
    config = config or settings()
    engine = engine or make_engine(config.database_url)
    upgrade(engine)
    csrf_secret = bytes.fromhex(deployment_secret(engine, "csrf"))
    counts = SharedLimits(engine)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        running = (
            jobs.start_scheduler(engine, config, lotteries=lotteries) if scheduler else None
        )
        # what was made at start-up (the app, the templates, SQLAlchemy's caches) lives as
        # long as the process: move it out of the collector's way, so a full collection
        # during a surge of votes does not walk it (a pause of tens of milliseconds)
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await app.state.votes.close()  # store the votes already taken before stopping
            if running is not None:
                running.shutdown()
            counts.dispose()

    limits = RateLimits(
        {
            "rate_limited": Limit(config.vote_rate, 60.0),
            "login_limited": Limit(config.login_rate, 60.0),
        },
        config.trusted_proxies,
        counts,
        preload=preload_users,
    )
    app = Litestar(
        route_handlers=[
            public.router,
            members.router,
            clerk.router,
            speaker.router,
            officers.router,
            appointments.router,
            admin.router,
            register.router,
            records.router,
            published.router,
            search.router,
            seats.router,
            routes_admin.router,
            jury.router,
            experts.router,
            panels.router,
            api.router,
            assets.favicon,
            create_static_files_router(
                path="/static", directories=[STATIC], include_in_schema=False
            ),
        ],
        template_config=TemplateConfig(
            directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_filters
        ),
        middleware=[
            Sessions(
                csrf_secret, secure=config.secure_cookies, trusted_proxies=config.trusted_proxies
            ),
            limits,
        ],
        before_send=[security_headers],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="The Chamber",
            version="1",
            path="/schema",
            render_plugins=[ApiDocs(path="/"), JsonRenderPlugin(path="/openapi.json")],
            tags=[
                Tag(name="API (JSON)", description="Sign in, vote, proxies, sittings, results."),
                Tag(name="pages (HTML forms)", description="The site's pages and their forms."),
            ],
        ),
        lifespan=[lifespan],
    )
    app.state.engine = engine
    app.state.settings = config
    key = audit_key(config, engine.url)  # outside the database: each vote's MAC
    app.state.audit_key = key
    app.state.limits = limits
    # the public votes, each counted, signed in and cast with its group (makes the receipt
    # secret first)
    app.state.votes = VoteIntake(engine, counts, audit_key=key)
    app.state.clock = clock
    app.state.lotteries = lotteries  # the bodies drawn by lot from a stored pool
    return app
