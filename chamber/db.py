"""The database: engines, transactions, and the schema through alembic migrations.

SQLite (the default, an embedded file) runs in WAL mode with ``synchronous=FULL`` and foreign
keys on, so an acknowledged write survives a crash and readers never block the writer.  A write
transaction (a session on `writing(engine)`) begins ``IMMEDIATE``, so two writers queue for the
lock instead of failing when one upgrades a read to a write, and waits its turn first on an flock
beside the file (`_WriterQueue`: woken at once, where SQLite's busy handler sleeps and retries);
reads begin deferred.
PostgreSQL is used through psycopg 3 (``postgresql+psycopg://``).
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

from chamber.errors import NotFound
from chamber.settings import settings

MIGRATIONS = Path(__file__).parent / "migrations"
P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M")


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

        queue = _writer_queue(engine.url.database)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("immediate", False)
            if immediate and queue is not None:
                queue.enter(conn.connection.dbapi_connection)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        if queue is not None:
            # the turn ends when the connection goes back to the pool: after the COMMIT (the
            # "commit" event comes before it) or the rollback, however the transaction ended
            @event.listens_for(engine, "checkin")
            def _checkin(dbapi_connection: Any, _record: Any) -> None:
                queue.leave(dbapi_connection)

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


_QUICK: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_UNPINGED: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def _pool_beside(
    engine: Engine, pools: weakref.WeakKeyDictionary[Engine, Engine], **options: Any
) -> Engine:
    """On PostgreSQL, a pool of its own on the engine's database, made once per engine (kept in
    ``pools``) with ``options``; on SQLite, the engine itself."""
    if engine.dialect.name != "postgresql":
        return engine
    found = pools.get(engine)
    if found is None:
        found = create_engine(engine.url.render_as_string(hide_password=False), **options)
        pools[engine] = found
    return found


def quick_engine(engine: Engine) -> Engine:
    """The engine of single statements outside any unit of work (counting a request against its
    rate limit, finding a session's user): on PostgreSQL a pool of its own in autocommit, each
    commit not waiting for the disk (``synchronous_commit`` off: what is written here is a
    count, never a vote), and no ping when a connection is taken from the pool (a round trip
    per statement, which `quickly` saves by trying again on a connection found dead).  On
    SQLite, the engine itself."""
    return _pool_beside(
        engine, _QUICK, isolation_level="AUTOCOMMIT", pool_size=10, max_overflow=20,
        pool_pre_ping=False, connect_args={"options": "-c synchronous_commit=off"},
    )


def unpinged_engine(engine: Engine) -> Engine:
    """The engine of the grouped writes (`chamber.divisions.batching`): on PostgreSQL a pool of
    its own whose connections are not pinged when taken (a round trip for every group, when
    the group itself is a few round trips); the writer tries a group again on a fresh connection
    when it finds its connection dead.  Transactions and durable commits as usual.  On SQLite,
    the engine itself."""
    return _pool_beside(engine, _UNPINGED, pool_size=4, max_overflow=4, pool_pre_ping=False)


def int_array(values: Iterable[int]) -> str:
    """PostgreSQL's text of an array of integers, to send as one parameter cast to
    ``integer[]``: psycopg dumps a list element by element in Python, which for a group of
    votes was a quarter of the writer thread's time."""
    return "{" + ",".join(map(str, values)) + "}"


def text_array(values: Iterable[str | None]) -> str:
    """PostgreSQL's text of an array of strings (each quoted, its backslashes and double quotes
    escaped; None as NULL), to send as one parameter cast to ``varchar[]`` or another type's
    array (see `int_array`)."""
    return "{" + ",".join(
        "NULL" if v is None else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        for v in values
    ) + "}"


def quickly(engine: Engine, statement: Callable[[Connection], R]) -> R:
    """Run one statement (``statement`` given a connection) on `quick_engine`; if the connection
    turns out to be dead (the server restarted), once more on a fresh one.  Only for
    statements that may run twice: a read, or a count whose second try errs on the strict
    side."""
    quick = quick_engine(engine)
    try:
        with quick.connect() as conn:
            return statement(conn)
    except DBAPIError as failure:
        if not failure.connection_invalidated:
            raise
    with quick.connect() as conn:
        return statement(conn)


class _WriterQueue:
    """Writers to one SQLite file wait their turn on an flock before ``BEGIN IMMEDIATE``.

    SQLite itself makes a writer that finds the file locked sleep and retry (1, 2, 5, ... up
    to 100 ms at a time), so under load a writer can sleep through many others' transactions
    (the web benchmark's p99 was 0.6-0.9 s).  The kernel wakes an flock's waiter as soon as it
    is released.  A thread that already holds the queue through another connection does not
    queue again (it would wait for itself); SQLite's own lock still decides."""

    def __init__(self, path: str) -> None:
        self.path = path
        # id(sqlite connection) -> (the fd holding the lock, the thread that took it)
        self._held: dict[int, tuple[int, int]] = {}

    def enter(self, dbapi_connection: Any) -> None:
        me = threading.get_ident()
        if id(dbapi_connection) in self._held or any(
            thread == me for _, thread in list(self._held.values())
        ):
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._held[id(dbapi_connection)] = (fd, me)

    def leave(self, dbapi_connection: Any) -> None:
        held = self._held.pop(id(dbapi_connection), None)
        if held is not None:
            os.close(held[0])  # releases the flock


def _writer_queue(database: str | None) -> _WriterQueue | None:
    """The queue beside a SQLite file (``<file>-writers``); None for an in-memory database."""
    if not database or database.startswith(":memory:") or database.startswith("file:"):
        return None
    return _WriterQueue(database + "-writers")


def writing(engine: Engine) -> Engine:
    """The engine for a write transaction: on SQLite its transactions begin IMMEDIATE."""
    return engine.execution_options(immediate=True)


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: a session whose transaction commits when the block ends and rolls
    back if it raises.  A service takes this session and never commits itself, so whatever a
    user or a command does in one block (solve a rota and publish it, say) is one transaction.
    ``write=False`` for a read: on SQLite it does not take the write lock."""
    with Session(writing(engine) if write else engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.clear()  # what the transaction noted (the audit head) ends with it


def fetch(session: Session, model: type[M], key: object, what: str) -> M:
    """The row of ``model`` with primary key ``key``, or `NotFound` saying "no {what} {key}"."""
    found = session.get(model, key)
    if found is None:
        raise NotFound(f"no {what} {key!r}")
    return found


def perform(
    engine: Engine, service: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run one service in a transaction of its own (the command line, jobs and tests)."""
    with transaction(engine) as session:
        return service(session, *args, **kwargs)


def read(
    engine: Engine, service: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run one read-only service (a view) in a read transaction."""
    with transaction(engine, write=False) as session:
        return service(session, *args, **kwargs)


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
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest migration's revision."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head
