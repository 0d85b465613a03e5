"""Database fixtures: every service test runs on SQLite and on PostgreSQL.

PostgreSQL is a scratch server started once per session (`chamber.devdb`); each test gets a
new database copied from a migrated template.  Without the server binaries the PostgreSQL cases
are skipped, except under CHAMBER_REQUIRE_POSTGRES=1 (set by `make test`), where they fail.

Services take a session; the tests call each in a transaction of its own with
`chamber.db.perform` (a write) or `chamber.db.read`, as the command line does.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from chamber import devdb
from chamber.accounts.services import User, create_account
from chamber.audit.keys import audit_key
from chamber.bodies import composition
from chamber.bodies.pattern import SittingSpec
from chamber.bodies.services import install_body
from chamber.db import make_engine, perform, read, upgrade
from chamber.divisions.lifecycle import close_division
from chamber.divisions.proxies import appoint_proxy, my_proxy_code
from chamber.divisions.public_votes import cast_public_vote
from chamber.divisions.results import PublishedResult
from chamber.keys import deployment_secret
from chamber.membership.services import NewMember, add_members
from chamber.register.models import Elector
from chamber.register.services import import_register
from chamber.rotas.roster import rostered
from chamber.rotas.services import solve_and_publish
from chamber.settings import Settings
from chamber.sittings.services import SittingSummary, extend_calendar, sittings_between

_databases = itertools.count()
MONDAY = date(2027, 3, 1)
CAP = 10_000


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = devdb.start()
    except devdb.NoPostgresError as exc:
        if os.environ.get("CHAMBER_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    engine = make_engine(server.create_database("chamber_template"))
    upgrade(engine)
    engine.dispose()
    yield server
    server.stop()


def database_name(prefix: str) -> str:
    """A database name no other test of this process has used (each process has its own
    `pg_server`).  Not ``id(tmp_path)``: an object's id is reused once it is freed, and two
    tests then asked for the same database."""
    return f"{prefix}{next(_databases)}"


def new_engine(kind: str, request, tmp_path):
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / database_name('chamber')}.db")
        upgrade(engine)
        return engine
    server = request.getfixturevalue("pg_server")
    return make_engine(server.create_database(database_name("t"), "chamber_template"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    engine = new_engine(request.param, request, tmp_path)
    yield engine
    engine.dispose()


SMALL = composition.Body(
    key="test-panel",
    title="A test panel",
    expected_seats=3,
    categories=(
        composition.Category(
            key="citizens", title="Citizens", seats=3, sharers_per_seat=2, cycle="fortnightly",
            selection="by lot", rota_by="the clerk",
        ),
    ),
    # two sittings a fortnight (so two sharers a seat each sit once): a Monday morning, and a
    # Saturday afternoon kept for urgent business
    sittings=(
        SittingSpec(week=1, day="Monday", session="morning"),
        SittingSpec(week=2, day="Saturday", session="evening", urgent_only=True),
    ),
)
SMALL_MEMBERS = [
    NewMember(f"S{s:03d}-{k}", f"Member {s}-{k}", f"S{s:03d}", "citizens")
    for s in range(3)
    for k in range(2)
]


@dataclass(frozen=True)
class World:
    """A three-seat panel with two sharers a seat and a published fortnight's rota."""

    engine: Engine
    rota: int
    now: datetime

    def sittings(self) -> list[SittingSummary]:
        return read(
            self.engine, sittings_between, datetime(2027, 3, 1, tzinfo=UTC),
            datetime(2027, 3, 15, tzinfo=UTC),
        )

    def roster(self, sitting_id: int) -> dict[str, str]:
        return read(self.engine, rostered, sitting_id)


def build_small(engine: Engine) -> World:
    perform(engine, install_body, SMALL, MONDAY)
    perform(engine, add_members, SMALL.key, SMALL_MEMBERS)
    now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    perform(engine, extend_calendar, SMALL.key, MONDAY + timedelta(weeks=8))
    rota_id = perform(engine, solve_and_publish, SMALL.key, MONDAY, 1, now)
    return World(engine, rota_id, now)


@pytest.fixture
def world(engine) -> World:
    return build_small(engine)


def key_of(engine: Engine) -> bytes:
    """The audit key of a test database (a file beside it; for PostgreSQL, in the working
    directory), as the web app and the scheduler find it."""
    return audit_key(Settings(), engine.url)


def public_vote(engine: Engine, division: int, voter: str, option: str, now: datetime,
                **kwargs) -> str:
    """Cast one public vote in a transaction of its own; its receipt."""
    key = deployment_secret(engine, "receipts").encode()
    return perform(engine, cast_public_vote, division, voter, option, now, key,
                   audit_key=key_of(engine), **kwargs)


def close(engine: Engine, division: int, now: datetime, cap: int = CAP) -> PublishedResult:
    return perform(engine, close_division, division, now, proxy_cap=cap,
                   audit_key=key_of(engine))


def proxy_code(engine: Engine, handle: str) -> str:
    """A voter's own proxy code (what they would give to whoever appoints them)."""
    code = read(engine, my_proxy_code, handle)
    assert code is not None
    return code


def appoint(engine: Engine, voter: str, proxy: str, now: datetime,
            division_id: int | None = None) -> None:
    """``voter`` appoints ``proxy`` (a handle, named by its proxy code, as a voter does)."""
    perform(engine, appoint_proxy, voter, proxy_code(engine, proxy), now, division_id)


def elector_line(number: str, email: str = "") -> str:
    """A row of a register CSV: every elector in the tests lives at AB1 2CD, born 1 March
    1980."""
    return f"{number},Elector {number},AB1 2CD,1980-03-01,{email}"


def enrol(engine: Engine, *numbers: str, now: datetime = datetime(2027, 1, 1, tzinfo=UTC),
          emails: dict[str, str] | None = None) -> None:
    """Import a register of exactly these electors (see `elector_line`)."""
    lines = ["elector_number,name,postcode,date_of_birth,email"] + [
        elector_line(n, (emails or {}).get(n, "")) for n in numbers
    ]
    perform(engine, import_register, "register.csv", "\n".join(lines) + "\n", now)


def public_account(engine: Engine, name: str, password: str, now: datetime) -> User:
    """A public account for ``name``, bound to a new elector of the same number (the register
    is re-imported with every elector it had, and this one)."""
    with Session(engine) as session:
        kept = list(session.exec(select(Elector.number).where(Elector.status == "current")))
    number = name.upper()
    enrol(engine, *dict.fromkeys([*kept, number]), now=now)
    return perform(engine, create_account, name, password, "public", now, elector=number)
