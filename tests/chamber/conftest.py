"""Database fixtures: every service test runs on SQLite and on PostgreSQL.

PostgreSQL is a scratch server started once per session (`chamber.devdb`); each test gets a
new database copied from a migrated template.  Without the server binaries the PostgreSQL cases
are skipped, except under CHAMBER_REQUIRE_POSTGRES=1 (set by `make test`), where they fail.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, date, datetime

import pytest

from chamber import devdb, institution
from chamber.bodies import composition
from chamber.db import make_engine, upgrade

_databases = itertools.count()
MONDAY = date(2027, 3, 1)


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


def new_engine(kind: str, request, tmp_path):
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / f'chamber{next(_databases)}.db'}")
        upgrade(engine)
        return engine
    server = request.getfixturevalue("pg_server")
    return make_engine(server.create_database(f"t{next(_databases)}", "chamber_template"))


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
)


@pytest.fixture
def world(engine):
    """A three-seat panel with two sharers a seat and a published fortnight's rota."""
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
    now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    rota_id = institution.solve_and_publish(engine, SMALL.key, MONDAY, 1, now)
    return {"engine": engine, "rota": rota_id, "now": now}
