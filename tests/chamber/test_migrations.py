"""The schema is made only by migrations: upgrade from empty, downgrade to empty, and the models
agree with the newest migration (nothing left for autogenerate to find)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from chamber import db
from chamber.tables import metadata
from tests.chamber.conftest import new_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request, tmp_path):
    if request.param == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    else:
        server = request.getfixturevalue("pg_server")
        engine = db.make_engine(server.create_database(f"empty{id(tmp_path)}"))
    yield engine
    engine.dispose()


def test_upgrade_from_empty_then_downgrade_to_empty(empty):
    assert db.current_revision(empty) is None
    db.upgrade(empty)
    assert db.current_revision(empty) == db.head_revision()
    tables = set(inspect(empty).get_table_names())
    assert {"division", "publicvote", "proxy", "auditentry", "seat", "member", "sitting"} <= tables
    db.downgrade(empty)
    assert db.current_revision(empty) is None
    assert set(inspect(empty).get_table_names()) <= {"alembic_version"}
    db.upgrade(empty)  # and back up again
    assert db.current_revision(empty) == db.head_revision()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_models_match_the_migrations(kind, request, tmp_path):
    engine = new_engine(kind, request, tmp_path)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata())
    engine.dispose()
    assert diff == []
