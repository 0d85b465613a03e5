"""A small chamber behind the web app, a fixed clock, one signed-in client per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlmodel import Session

from chamber import accounts, institution
from chamber.db import make_engine, upgrade
from chamber.divisions import services as divisions
from chamber.settings import Settings
from tests.chamber.conftest import SMALL
from web.app import create_app

MONDAY = date(2027, 3, 1)
PASSWORD = "correct horse battery"
ROLES = ("anonymous", "public", "member", "clerk", "administrator")


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


def build_world(engine) -> World:
    institution.install_body(engine, SMALL)
    institution.add_members(
        engine,
        SMALL.key,
        [
            institution.NewMember(f"S{s:03d}-{k}", f"Member {s}-{k}", f"S{s:03d}", "citizens")
            for s in range(3)
            for k in range(2)
        ],
    )
    published = datetime(2027, 1, 4, 9, tzinfo=UTC)
    institution.solve_and_publish(engine, SMALL.key, MONDAY, 1, published)
    sittings = institution.sittings_between(
        engine, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 15, tzinfo=UTC)
    )
    chosen, roster = None, {}
    for s in sittings:
        with Session(engine) as session:
            roster = institution.rostered(session, s.id)
        if roster and not s.urgent_only:
            chosen = s
            break
    assert chosen is not None
    start = institution.utc(chosen.starts_at)
    now = start + timedelta(hours=1)
    institution.plan_business(
        engine, chosen.id, "The Budget", planned_on=start.date() - timedelta(days=40), by="clerk"
    )
    division = divisions.create_division(
        engine,
        "That the Budget be approved",
        ["content", "not content"],
        start,
        start + timedelta(hours=4),
        sitting_id=chosen.id,
    )
    closed = divisions.create_division(
        engine,
        "That the minutes be agreed",
        ["content", "not content"],
        start,
        start + timedelta(minutes=30),
        sitting_id=chosen.id,
    )
    member = sorted(roster.values())[0]
    for role, kwargs in (
        ("public", {}),
        ("clerk", {}),
        ("administrator", {}),
        ("member", {"member_id": member}),
    ):
        accounts.create_account(engine, role, PASSWORD, role, published, **kwargs)
    accounts.create_account(engine, "friend", PASSWORD, "public", published)
    divisions.cast_public_vote(engine, closed, "friend", "content", start + timedelta(minutes=5))
    divisions.close_division(engine, closed, start + timedelta(minutes=30))
    from chamber import records

    blt = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"
    election = records.count_election(
        engine, "Calton", blt.name, blt.read_text(), rule="scottish", seed="s", now=published
    )
    return World(engine, now, chosen.id, division, closed, member, roster, election)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    upgrade(engine)
    yield build_world(engine)
    engine.dispose()


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
