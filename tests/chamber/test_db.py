"""SQLite writers take turns on an flock beside the file, and single statements outside a unit
of work run without a ping, once more on a connection found dead (chamber/db.py)."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from chamber.db import (
    _WriterQueue,
    int_array,
    make_engine,
    quick_engine,
    quickly,
    text_array,
    writing,
)


def _held(path: str) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also releases the probe's own lock
    return False


def test_a_write_transaction_holds_the_queue_until_its_connection_returns(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    queue = str(tmp_path / "q.db-writers")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    assert not _held(queue)
    with writing(engine).begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert _held(queue)
    assert not _held(queue)
    with engine.connect() as conn:  # a read does not queue
        conn.execute(text("SELECT count(*) FROM t")).scalar_one()
        assert not _held(queue)
    try:
        with writing(engine).begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert not _held(queue)
    engine.dispose()


def test_other_threads_wait_their_turn_and_a_thread_never_waits_for_itself(tmp_path):
    queue = _WriterQueue(str(tmp_path / "writers"))
    first, second, other = object(), object(), object()
    queue.enter(first)
    queue.enter(second)  # the same thread, another connection: no wait (it would be forever)
    entered = threading.Event()

    def elsewhere() -> None:
        queue.enter(other)
        entered.set()
        queue.leave(other)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    assert not entered.wait(0.2)  # waits while this thread holds the queue
    queue.leave(second)  # held through `first`, not `second`: nothing to release
    assert not entered.wait(0.1)
    queue.leave(first)
    assert entered.wait(10)
    thread.join()


def test_concurrent_writers_from_threads_all_commit(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))

    def write(k: int) -> None:
        for i in range(20):
            with writing(engine).begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": k * 100 + i})

    threads = [threading.Thread(target=write, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT x) FROM t")).scalar_one() == 120
    engine.dispose()


def _backend(conn) -> int:
    return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_quick_statement_finds_its_pooled_connection_dead_and_runs_once_more(engine):
    if engine.dialect.name != "postgresql":
        assert quick_engine(engine) is engine  # SQLite: the engine itself
        assert quickly(engine, lambda conn: conn.execute(text("SELECT 1")).scalar_one()) == 1
        return
    quick = quick_engine(engine)
    assert quick_engine(engine) is quick  # one pool per engine
    first = quickly(engine, _backend)  # its connection goes back to the pool
    with engine.connect() as admin:  # the server restarts, say: that connection is gone
        admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first})
    runs = []

    def statement(conn) -> int:
        runs.append(1)
        return _backend(conn)

    second = quickly(engine, statement)  # no ping first: it fails once, then runs again
    assert second != first
    assert len(runs) == 2


def test_a_quick_statement_that_fails_for_another_reason_is_not_run_again(engine):
    runs = []

    def statement(conn) -> None:
        runs.append(1)
        conn.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(DBAPIError):
        quickly(engine, statement)
    assert len(runs) == 1


def test_arrays_sent_as_text_come_back_as_they_were(engine):
    """`int_array` and `text_array` (what the votes' statements send): any string, quotes,
    backslashes, commas, braces, spaces and NULL included, arrives whole."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the arrays' text is PostgreSQL's")
    strings = st.lists(st.one_of(st.none(), st.text(st.characters(exclude_characters="\x00"))))
    numbers = st.lists(st.integers(-(2**31), 2**31 - 1))

    @settings(max_examples=200, deadline=None)
    @given(strings, numbers)
    def round_trip(texts, ints):
        def read(conn):
            pg = conn.connection.driver_connection
            return pg.execute("SELECT %s::varchar[], %s::integer[]",
                              [text_array(texts), int_array(ints)]).fetchone()

        assert tuple(quickly(engine, read)) == (texts, ints)

    round_trip()
