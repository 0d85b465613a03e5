"""A small chamber behind the web app, a fixed clock, one signed-in client per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import TestClient

from chamber.accounts.services import create_account
from chamber.assemblies.services import register_assembly
from chamber.business.services import plan_business
from chamber.db import make_engine, perform, read, upgrade
from chamber.divisions.lifecycle import create_division
from chamber.elections.services import count_election
from chamber.jury.services import run_panel_draw
from chamber.limits.models import RateLimit
from chamber.membership.services import seat_of, set_role
from chamber.officers.services import appoint
from chamber.routes.records import store_result
from chamber.settings import Settings
from tests.chamber.conftest import SMALL, build_small, close, enrol, public_vote
from tests.chamber.conftest import World as SmallWorld
from tests.conftest import DATA
from web.app import create_app

MONDAY = date(2027, 3, 1)
PASSWORD = "correct horse battery"
ROLES = ("anonymous", "public", "member", "clerk", "administrator")
ELECTORS = tuple(f"E{n}" for n in range(1, 10))


@dataclass
class World:
    engine: object
    now: datetime
    sitting: int
    division: int
    closed: int
    member: str
    roster: dict[str, str]
    election: int
    draw: int
    calendar_token: str
    small: SmallWorld
    assembly: int  # an assembly holding the member's seat, naming from the second fortnight
    route: int = 0  # a stored route step (routes' pages)


def build_world(engine) -> World:
    small = build_small(engine)
    published = small.now
    chosen = next(s for s in small.sittings() if small.roster(s.id) and not s.urgent_only)
    roster = small.roster(chosen.id)
    start = chosen.starts_at
    now = start + timedelta(hours=1)
    planned = start - timedelta(days=40)
    perform(engine, plan_business, chosen.id, "The Budget", now=planned, by="clerk")
    division = perform(
        engine, create_division, "That the Budget be approved", ["content", "not content"],
        start, start + timedelta(hours=4), sitting_id=chosen.id, now=published,
    )
    closed = perform(
        engine, create_division, "That the minutes be agreed", ["content", "not content"],
        start, start + timedelta(minutes=30), sitting_id=chosen.id, now=published,
    )
    member = sorted(roster.values())[0]
    perform(engine, set_role, member, "Speaker")  # a label: the offices give the powers
    # the member account is the Speaker's, its group's whip, and an assembly's officer
    seat = read(engine, seat_of, member).code
    assembly = perform(engine, register_assembly, "test-panel", "Capital", [seat],
                       names_from=MONDAY + timedelta(days=14), now=published)
    for office, extra in (("Speaker", {}), ("whip", {}),
                          ("assembly officer", {"assembly_id": assembly})):
        perform(engine, appoint, "test-panel", office, member, holds_from=MONDAY, by="clerk",
                now=published, **extra)
    # the register: E1 and E2 have accounts, the rest are free to claim (E8 by e-mail)
    enrol(engine, *ELECTORS, now=published, emails={"E8": "e8@example.org"})
    users = {
        role: perform(engine, create_account, role, PASSWORD, role, published, **kwargs)
        for role, kwargs in (
            ("public", {"elector": "E1"}),
            ("clerk", {}),
            ("administrator", {}),
            ("member", {"member_id": member}),
        )
    }
    perform(engine, create_account, "friend", PASSWORD, "public", published, elector="E2")
    public_vote(engine, closed, "friend", "content", start + timedelta(minutes=5))
    close(engine, closed, start + timedelta(minutes=30))
    blt = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"
    election = perform(
        engine, count_election, "Calton", blt.name, blt.read_text(), rule="scottish", seed="s",
        now=published,
    )
    pool = DATA / "sortition" / "example_small_20"
    draw = perform(
        engine, run_panel_draw, "respondents.csv", (pool / "respondents.csv").read_text(),
        "categories.csv", (pool / "categories.csv").read_text(), size=20, seed="s",
        method="legacy", now=published,
    )
    token = users["member"].calendar_token
    assert token is not None
    route = perform(engine, _route_step, published)
    return World(
        engine, now, chosen.id, division, closed, member, roster, election, draw, token, small,
        assembly,
        route,
    )


def _route_step(session, now) -> int:
    """A route's stored step on the test panel (its seats' pages link to it)."""
    stored = store_result(
        session, body_key=SMALL.key, route="local", step="division", title="Test districts",
        source_name="districts.csv", inputs="district,population\nNorth,100\n", seed="s",
        result={"units": {"North": {"places": 6, "seats": []}}}, now=now,
    )
    return stored.id


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    upgrade(engine)
    yield build_world(engine)
    engine.dispose()


def forget_limits(engine) -> None:
    """Empty the rate-limit windows (they are kept in the database, shared by every app on it,
    so a test with a low limit starts from nothing)."""
    with engine.begin() as conn:
        conn.execute(RateLimit.__table__.delete())


def csrf(client: TestClient) -> str:
    if "csrftoken" not in client.cookies:
        client.get("/login")
    return client.cookies["csrftoken"]


def post(client: TestClient, url: str, data: dict | None = None, **kwargs):
    return client.post(
        url, data={**(data or {}), "_csrf_token": csrf(client)}, follow_redirects=False, **kwargs
    )


def sign_in(client: TestClient, username: str) -> None:
    response = post(client, "/login", {"username": username, "password": PASSWORD})
    assert response.status_code in (302, 303), response.text


@pytest.fixture(scope="module")
def app(world):
    return create_app(
        world.engine,
        scheduler=False,
        clock=lambda: world.now,
        config=Settings(vote_rate=10_000, login_rate=10_000),
    )


@pytest.fixture
def client_for(app):
    """Clients that share the app (its lifespan only starts the scheduler, off here)."""

    def make(role: str) -> TestClient:
        client = TestClient(app)
        if role != "anonymous":
            sign_in(client, role)
        return client

    return make
