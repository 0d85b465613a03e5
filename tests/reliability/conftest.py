"""The database fixtures of the chamber tests (SQLite and a scratch PostgreSQL)."""

from tests.chamber.conftest import engine, pg_server  # noqa: F401
