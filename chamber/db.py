"""The database: engines, transactions, and the schema through alembic migrations.

SQLite (the default, an embedded file) runs in WAL mode with ``synchronous=FULL`` and foreign
keys on, so an acknowledged write survives a crash and readers never block the writer.  A write
transaction (a session on `writing(engine)`) begins ``IMMEDIATE``, so two writers queue for the
lock instead of failing when one upgrades a read to a write; reads begin deferred.
PostgreSQL is used through psycopg 3 (``postgresql+psycopg://``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from chamber.settings import settings

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: the settings)."""
    url = url or settings().database_url
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _record: Any) -> None:
            conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def writing(engine: Engine) -> Engine:
    """The engine for a write transaction: on SQLite its transactions begin IMMEDIATE."""
    return engine.execution_options(immediate=True)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (every table is made by a migration)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def create_schema(engine: Engine) -> None:
    """The schema at the newest migration (an alias of `upgrade` kept for callers and tests)."""
    upgrade(engine)


def metadata() -> Any:
    """Every table's metadata (importing the model modules registers them)."""
    from sqlmodel import SQLModel

    import chamber.divisions.models
    import chamber.models  # noqa: F401

    return SQLModel.metadata


def head_revision() -> str:
    """The newest migration's revision."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head
