"""The database engine and sessions (SQLModel on SQLite by default, PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from chamber.settings import settings


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: the settings).  SQLite runs in WAL mode with foreign keys
    on, so a crash never loses an acknowledged write and readers do not block the writer."""
    url = url or settings().database_url
    engine = create_engine(
        url, connect_args={"check_same_thread": False} if url.startswith("sqlite") else {}
    )
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _record: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def create_schema(engine: Engine) -> None:
    """Create every table (migrations take this over once alembic lands)."""
    import chamber.divisions.models  # noqa: F401  (registers the tables)

    SQLModel.metadata.create_all(engine)
